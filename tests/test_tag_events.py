"""`timeline tag --events`, end to end in a temporary directory: EVENT lines beside the
TIMEX3 lines, and TempEval-3 TimeML that the scorer's own reader reads back."""

from __future__ import annotations

import json
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

from eval_events import parse_timeml  # noqa: E402

from timeline.analyze.events import EventMention  # noqa: E402
from timeline.cli.tagevents import timeml  # noqa: E402

STORY = ("date 2023-09-14\ntitle Talks & markets\n\n"
         "The minister did not say on Monday that the talks would resume.\n"
         "Shares fell 5% <sharply> after the vote, and the company announced a loss.\n")
EVENT_KEYS = {"file", "tag", "start", "end", "text", "class", "tense", "aspect", "polarity",
              "modality", "lemma", "pos"}


def _write(tmp_path: Path, text: str, name: str = "story.txt") -> Path:
    f = tmp_path / name
    f.write_text(text, encoding="utf-8")
    return f


def _lines(out: str) -> list[dict[str, Any]]:
    return [json.loads(x) for x in out.splitlines()]


def test_events_print_beside_timexes_with_offsets_into_the_file(cli: Any,
                                                                 tmp_path: Path) -> None:
    f = _write(tmp_path, STORY)
    code, out, err = cli("tag", "--events", "--lang", "en", str(f))
    assert code == 0, err
    rows = _lines(out)
    events = [r for r in rows if r["tag"] == "EVENT"]
    timexes = [r for r in rows if r["tag"] == "TIMEX3"]
    assert {r["tag"] for r in rows} == {"EVENT", "TIMEX3"}
    assert all(STORY[r["start"]:r["end"]] == r["text"] for r in rows)  # header included
    assert [r["start"] for r in rows] == sorted(r["start"] for r in rows)
    assert all(set(r) == EVENT_KEYS for r in events)
    by_text = {r["text"]: r for r in events}
    assert {"say", "talks", "resume", "vote", "announced", "loss"} <= set(by_text)
    assert by_text["say"]["polarity"] == "NEG" and by_text["say"]["class"] == "REPORTING"
    assert by_text["resume"]["modality"] == "would"
    assert by_text["announced"]["tense"] == "PAST" and by_text["talks"]["modality"] is None
    assert not any(r["start"] < STORY.index("The minister") for r in events)  # not the header
    assert any(r["text"] == "Monday" and r["value"] == "2023-09-11" for r in timexes)


def test_timex_lines_carry_their_tag_and_every_old_key(cli: Any, tmp_path: Path) -> None:
    f = _write(tmp_path, STORY)
    code, out, _ = cli("tag", str(f))
    plain = _lines(out)
    assert code == 0 and plain and all(r["tag"] == "TIMEX3" for r in plain)
    assert all({"file", "start", "end", "text", "type", "value"} <= set(r) for r in plain)
    code, out, _ = cli("tag", "--events", str(f))
    assert [r for r in _lines(out) if r["tag"] == "TIMEX3"] == plain


def test_tag_without_events_does_not_load_the_analysis_layer(tmp_path: Path) -> None:
    f = _write(tmp_path, STORY)
    probe = ("import sys\nfrom timeline.cli import main\n"
             f"code = main(['tag', {str(f)!r}])\n"
             "print('LOADED' if 'timeline.analyze' in sys.modules else 'LAZY', code)\n")
    res = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         cwd=tmp_path, timeout=120)
    assert res.stdout.splitlines()[-1] == "LAZY 0", res.stderr


def test_timeml_with_events_round_trips_through_the_scorers_reader(cli: Any,
                                                                    tmp_path: Path) -> None:
    f = _write(tmp_path, STORY)
    code, out, _ = cli("tag", "--events", str(f))
    rows = _lines(out)
    code, xml, err = cli("tag", "--events", "--format", "timeml", str(f))
    assert code == 0, err
    root = ET.fromstring(xml)  # well-formed, '&' and '<' of the text escaped
    tags = root.find("TEXT")
    assert tags is not None
    events = list(tags.iter("EVENT"))
    instances = root.findall("MAKEINSTANCE")
    assert events and len(instances) == len(events)
    assert [e.get("eid") for e in events] == [f"e{i}" for i in range(1, len(events) + 1)]
    assert [m.get("eventID") for m in instances] == [e.get("eid") for e in events]
    assert all({"eiid", "tense", "aspect", "polarity", "pos"} <= set(m.attrib)
               for m in instances)
    doc = parse_timeml(xml)
    assert doc.text == STORY and doc.dct == "2023-09-14"
    want = [r for r in rows if r["tag"] == "EVENT"]
    assert [(e.start, e.end, e.cls) for e in doc.events] == [
        (r["start"], r["end"], r["class"]) for r in want]
    for e, r in zip(doc.events, want, strict=True):
        assert (e.attrs["tense"], e.attrs["aspect"], e.attrs["polarity"],
                e.attrs["modality"] or None, e.attrs["pos"]) == (
            r["tense"], r["aspect"], r["polarity"], r["modality"], r["pos"])
    assert [(s, e) for s, e, _t, _v in doc.timexes] == [
        (r["start"], r["end"]) for r in rows if r["tag"] == "TIMEX3"]
    code, plain, _ = cli("tag", "--format", "timeml", str(f))
    assert "<EVENT" not in plain and "MAKEINSTANCE" not in plain


@pytest.mark.parametrize(("lang", "text", "word"), [
    ("es", "date 2023-09-14\n\nLos sindicatos anunciaron una huelga el lunes.\n", "huelga"),
    ("ru", "date 2023-09-14\n\nПрофсоюзы объявили забастовку в понедельник.\n", "объявили"),
])
def test_events_in_spanish_and_russian(cli: Any, tmp_path: Path, lang: str, text: str,
                                       word: str) -> None:
    f = _write(tmp_path, text)
    code, out, err = cli("tag", "--events", "--lang", lang, str(f))
    assert code == 0, err
    events = [r for r in _lines(out) if r["tag"] == "EVENT"]
    assert word in [r["text"] for r in events]
    assert all(text[r["start"]:r["end"]] == r["text"] for r in events)
    code, xml, _ = cli("tag", "--events", "--lang", lang, "--format", "timeml", str(f))
    assert parse_timeml(xml).text == text and [e.start for e in parse_timeml(xml).events] == [
        r["start"] for r in events]


def test_an_event_inside_a_time_expression_stays_out_of_the_timeml() -> None:
    from timeline.temporal import tag

    text = "They met after the summit on Monday."
    timexes = tag(text, None, "en")
    inside = EventMention(29, 35, "Monday", "monday", "NOUN", "OCCURRENCE", "NONE", "NONE",
                          "POS", "")
    summit = EventMention(19, 25, "summit", "summit", "NOUN", "OCCURRENCE", "NONE", "NONE",
                          "POS", "")
    out = timeml(text, timexes, [summit, inside], "<TimeML><TEXT>")
    doc = parse_timeml(out)
    assert [(e.start, e.end) for e in doc.events] == [(19, 25)]
    assert [(s, e) for s, e, _t, _v in doc.timexes] == [(29, 35)]
    assert doc.text == text
