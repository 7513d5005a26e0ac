"""Exports place every value on its real stretch of time, keep local clock times floating,
name stories for people, and say what they write (TimeML)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from conftest import FIXTURES

from timeline import export, printout


def _snap(values: list[tuple[str, str | None]]) -> dict[str, Any]:
    doc = {"id": "d1", "path": "a.txt", "title": "A", "language": "en", "date": "2013-03-20",
           "date_basis": "header", "date_evidence": None}
    events = [{"id": f"ev-{i}", "story": "putin-russia-5ebd6e", "kind": "meeting",
               "title": f"Meeting {i}", "start": s, "end": e, "granularity": None,
               "status": "occurred", "rank": i, "place": "Kathmandu", "participants": ["Kim"],
               "sources": [{"document": "d1", "quote": "They met.", "start": 0, "end": 9}]}
              for i, (s, e) in enumerate(values)]
    return {"documents": [doc], "events": events, "conflicts": [], "constraints": []}


def _ics(snap: dict[str, Any]) -> list[Any]:
    from icalendar import Calendar

    ics, _ = export.to_ics(snap, "2024-03-10T12:00:00+00:00")
    return list(Calendar.from_ical(ics).walk("VEVENT"))


@pytest.mark.parametrize(("value", "first", "after"), [
    ("2013-W12", dt.date(2013, 3, 18), dt.date(2013, 3, 25)),
    ("2013-W12-WE", dt.date(2013, 3, 23), dt.date(2013, 3, 25)),
    ("2023-SP", dt.date(2023, 3, 1), dt.date(2023, 6, 1)),
    ("2023-WI", dt.date(2023, 12, 1), dt.date(2024, 3, 1)),
    ("2013-Q2", dt.date(2013, 4, 1), dt.date(2013, 7, 1)),
    ("2013-H1", dt.date(2013, 1, 1), dt.date(2013, 7, 1)),
    ("201", dt.date(2010, 1, 1), dt.date(2020, 1, 1)),
    ("2013-03-18", dt.date(2013, 3, 18), dt.date(2013, 3, 19)),
])
def test_ics_all_day_events_span_the_whole_value(value: str, first: dt.date,
                                                  after: dt.date) -> None:
    (ve,) = _ics(_snap([(value, None)]))
    assert ve["DTSTART"].dt == first and not isinstance(ve["DTSTART"].dt, dt.datetime)
    assert ve["DTEND"].dt == after


def test_ics_times_are_floating_unless_the_text_gives_a_zone() -> None:
    local, night, utc = _ics(_snap([("2023-01-15T10:33", None), ("2013-03-18TNI", None),
                                    ("2023-01-15T10:33Z", None)]))
    assert local["DTSTART"].dt == dt.datetime(2023, 1, 15, 10, 33)  # no tzinfo: floating
    assert "TZID" not in local["DTSTART"].params
    assert b"DTSTART:20230115T103300\r\n" in local.to_ical()
    assert "local time of the text" in str(local["DESCRIPTION"])
    assert (night["DTSTART"].dt, night["DTEND"].dt) == (dt.datetime(2013, 3, 18, 21),
                                                        dt.datetime(2013, 3, 19, 6))
    assert utc["DTSTART"].dt == dt.datetime(2023, 1, 15, 10, 33, tzinfo=dt.UTC)


def test_timesketch_carries_the_interval_and_the_zone_it_knows() -> None:
    text, _ = export.to_timesketch(_snap([("2013-W12", None), ("2023-01-15T10:33", None)]))
    week, _, clock, _ = (json.loads(x) for x in text.splitlines())
    assert week["datetime"] == "2013-03-18T00:00:00"
    assert (week["interval_start"], week["interval_end"]) == ("2013-03-18T00:00:00",
                                                              "2013-03-25T00:00:00")
    assert week["date_words"] == "week 12 of 2013" and week["granularity"] == "week"
    assert clock["datetime"] == "2023-01-15T10:33:00"
    assert clock["time_zone"] == export.FLOATING
    assert week["story_name"] == "Putin · Russia"


def test_timelinejs_ranges_and_readable_groups() -> None:
    text, _ = export.to_timelinejs(_snap([("2013-W12", None), ("2013-03-18TNI", None),
                                          ("2013-04", None), ("2013-03-18", "2013-03-20")]))
    doc = json.loads(text)
    week, night, month, span = doc["events"]
    assert week["start_date"] == {"year": "2013", "month": "3", "day": "18",
                                  "display_date": "week 12 of 2013"}
    assert week["end_date"] == {"year": "2013", "month": "3", "day": "24"}
    assert night["start_date"]["hour"] == "21" and night["end_date"]["day"] == "19"
    assert set(month["start_date"]) == {"year", "month", "display_date"}
    assert "end_date" not in month
    assert span["end_date"] == {"year": "2013", "month": "3", "day": "20"}
    assert {e["group"] for e in doc["events"]} == {"Putin · Russia"}
    assert doc["title"]["text"]["headline"] == "Timeline: Putin · Russia"


def test_csv_has_the_interval_story_place_and_participants() -> None:
    rows = list(csv.DictReader(io.StringIO(export.to_csv(_snap([("2013-W12", None)])))))
    assert rows[0]["from"] == "2013-03-18T00:00" and rows[0]["until"] == "2013-03-25T00:00"
    assert rows[0]["when"] == "week 12 of 2013"
    assert (rows[0]["story_name"], rows[0]["place"], rows[0]["participants"]) == (
        "Putin · Russia", "Kathmandu", "Kim")


def test_show_puts_a_week_where_it_is() -> None:
    snap = _snap([("2013-04-02", None), ("2013-W12", None), ("2013-03-19", None)])
    lines = [t.plain for t in printout.timeline_lines(snap, plain=True)
             if not t.plain[:1].isspace()]
    assert lines == ["week 12 of 2013 (18–24 March)", "2013-03-19, Tuesday",
                     "2013-04-02, Tuesday"]


@pytest.fixture
def db(cli: Any, tmp_path: Path) -> Path:
    corpus = tmp_path / "corpus"
    shutil.copytree(FIXTURES / "bridge", corpus)
    assert cli("run", str(corpus))[0] == 0
    return tmp_path / "timeline.db"


def test_timeml_says_what_it_writes(cli: Any, db: Path, tmp_path: Path) -> None:
    code, out, err = cli("export", "--format", "timeml")
    assert code == 2 and out == "" and len(err.splitlines()) == 1 and "-o DIR" in err
    code, _, err = cli("export", "--format", "timeml", "-o", "one.tml")
    assert code == 2 and "3 documents" in err and not (tmp_path / "one.tml").exists()
    code, _, err = cli("export", "--format", "timeml", "-o", "tml")
    assert code == 0 and "3 files into the directory tml" in err
    assert len(list((tmp_path / "tml").glob("*.tml"))) == 3
    snap = json.loads(cli("show", "--format", "json")[1])
    only = snap["documents"][0]["id"]
    (tmp_path / "single").mkdir()
    shutil.copy(next((tmp_path / "corpus").iterdir()), tmp_path / "single" / "a.txt")
    assert cli("--db", "one.db", "run", str(tmp_path / "single"))[0] == 0
    code, _, err = cli("--db", "one.db", "export", "--format", "timeml", "-o", "one.tml")
    assert code == 0 and "wrote one.tml" in err, err
    assert (tmp_path / "one.tml").read_text().startswith("<?xml")
    assert only
