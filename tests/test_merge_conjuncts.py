"""Issue 19, merging across documents: a verb coordinated with a dated verb shares its day
("burst its banks on Monday and flooded the town"), and a river over its banks is a flood
in every language, so three reports of one flood merge. The texts are written for these
tests; no fixture is read."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests import test_merge_news as merge_news
from timeline import analyze, extract, ingest, segment
from timeline.temporal import tag


def _mentions(name: str, text: str) -> list[dict[str, Any]]:
    p = ingest.parse(name, text.encode())
    ref = (p.header.get("date") or "")[:10] or None
    segs = segment.segments(p.document, p.text, p.body_start, p.language)
    txs = [{**t.to_json(), "timex_type": t.type, "relation": t.relation}
           for t in tag(p.text, ref, p.language)]
    return extract.document_mentions(p.document, p.text, p.language, segs, txs, ref,
                                     analyze.analyze(p.text, p.language))


def _time(ms: list[dict[str, Any]], lemma: str) -> tuple[str | None, str | None]:
    m = next(m for m in ms if m.get("lemma") == lemma)
    return (m["time"] or {}).get("value"), (m["time"] or {}).get("source")


EN = ("date: 2024-03-06\ntitle: Velna floods Koltan\n\n"
      "KOLTAN (AP) - The Velna river burst its banks on Monday and flooded the old quarter "
      "of Koltan, the fire service said.\n")
ES = ("date: 2024-03-05\ntitle: El Velna anega Koltan\n\n"
      "KOLTAN (EFE).- El río Velna se desbordó el lunes e inundó el casco antiguo de "
      "Koltan, informaron los bomberos.\n")
RU = ("date: 2024-03-06\ntitle: Велна затопила Колтан\n\n"
      "В понедельник река Велна вышла из берегов и затопила старый город Колтана, сообщили "
      "пожарные.\n")


def test_the_second_of_two_coordinated_verbs_takes_the_first_ones_day() -> None:
    assert _time(_mentions("en.txt", EN), "flood") == ("2024-03-04", "own")
    assert _time(_mentions("es.txt", ES), "inundar") == ("2024-03-04", "own")


def test_a_verb_after_a_comma_and_another_verb_keeps_its_own_time() -> None:
    """Only a verb right after the coordinator of its conjunct: "said, and rescuers worked"
    is another clause, whose time is its own or its document's."""
    text = ("date: 2024-03-06\ntitle: Koltan\n\nThe Velna burst its banks on Monday, the "
            "mayor said, and rescuers worked through the night.\n")
    assert _time(_mentions("en.txt", text), "work")[1] != "own"


def test_a_planned_verb_does_not_take_the_day_of_a_reported_one() -> None:
    text = ("date: 2024-03-06\ntitle: Koltan\n\nThe council met on Monday and will decide "
            "later whether to rebuild the dam.\n")
    assert _time(_mentions("en.txt", text), "decide") != ("2024-03-04", "own")


def test_a_river_over_its_banks_is_one_flood_in_three_languages(cli: Any,
                                                                 tmp_path: Path) -> None:
    events, _lang = merge_news._run(cli, tmp_path, {"a.txt": EN, "b.txt": ES, "c.txt": RU})
    floods = [e for e in events if e["kind"] == "disaster" and e["start"] == "2024-03-04"]
    docs = [{s["document"] for s in e["sources"]} for e in floods]
    assert any(len(d) == 3 for d in docs), [(e["title"], e["start"], e["sources"])
                                            for e in events if e["kind"] == "disaster"]
