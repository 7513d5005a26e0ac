"""A wire's dateline without its year ("MADRID, 14 mar (EFE).-"): read as the document's own
day, never as the story's narrative time, and given the year of its story rather than one
read off the history the report recalls."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from test_dating import _content_date, _event

from timeline import dating
from timeline.pipeline import Doc


def test_a_dateline_is_not_resolved_on_a_year_the_headline_names() -> None:
    # "desde 2021" in the headline would make "13 jun" the 13 June 2021 of a narrative
    got = _content_date("El banco baja los tipos por primera vez desde 2021\n\n"
                        "BORDEAUX, 13 jun (EFE).- El banco recortó ayer los tipos.", "es")
    assert got.date is None
    assert got.partial is not None and got.partial[:2] == (6, 13)


def test_a_year_read_off_the_history_stays_open_to_correction() -> None:
    # "se declaró en quiebra en noviembre de 2022": the first March after it is only a guess
    got = _content_date("MADRID, 14 mar (EFE).- Un jurado declaró culpable este viernes al "
                        "exdirector. La empresa se declaró en quiebra en noviembre de 2022.",
                        "es")
    assert got.date == "2023-03-14"
    assert got.partial is not None and got.partial[:2] == (3, 14)


def test_a_weekday_settles_the_year_of_a_dateline() -> None:
    got = _content_date("NICOSIA, Wednesday, March 20 (AP) — Cyprus sought a bailout in "
                        "June 2012.")
    assert got.date == "2013-03-20" and got.partial is None


def test_a_dateline_sharing_no_event_takes_the_year_of_its_story() -> None:
    doc = Doc(id="c", path="c.txt", language="es", header={}, text="", body_start=0)
    told = {"document": "a", "start": 0, "end": 1, "part": 0, "quote": "on Monday",
            "status": "occurred", "relation": None}
    events = [_event("e1", "meeting", "2025-02-03", told),
              _event("e2", "meeting", "2025-02-18", {**told, "start": 5})]
    got = dating.from_siblings(doc, [], events, None, (3, 14, "MADRID, 14 mar"),
                               stories=frozenset({"s"}))
    assert got.date == "2025-03-14"
    assert got.evidence.startswith("MADRID, 14 mar")
    # a story of its own tells it nothing
    alone = dating.from_siblings(doc, [], events, None, (3, 14, "MADRID, 14 mar"),
                                 stories=frozenset({"s2"}))
    assert alone.date is None


def _write(folder: Path, name: str, text: str) -> None:
    (folder / name).write_text(text, encoding="utf-8")


def test_a_wire_dateline_joins_its_story_year(cli: Any, tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    _write(docs, "01.txt", " date 2025-02-03\ntitle: Fraud trial of former Orvane chief opens\n\n"
           "KESTON (Reuters) - The fraud trial of Alma Roediger, the former chief executive "
           "of Orvane, opened on Monday at the Keston Crown Court, two years after the "
           "company collapsed.\n")
    _write(docs, "02.txt", " date 2025-02-19\ntitle: Orvane auditor testifies\n\n"
           "KESTON (Reuters) - A former auditor of Orvane told the Keston Crown Court on "
           "Tuesday that Alma Roediger approved every document.\n")
    _write(docs, "03.txt", "Declaran culpable a la exdirectora de Orvane\n\n"
           "KESTON, 14 mar (EFE).- Un jurado de Keston declaró culpable este viernes a "
           "Alma Roediger, exconsejera delegada de Orvane.\n\nOrvane se declaró en quiebra "
           "en noviembre de 2022.\n")
    code, _, err = cli("run", str(docs))
    assert code == 0, err
    code, out, _ = cli("show", "--format", "json")
    dates = {Path(d["path"]).name: d["date"] for d in json.loads(out)["documents"]}
    assert dates["03.txt"] == "2025-03-14"
