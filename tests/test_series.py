"""Running counts shown as a series: a toll that reports revise day by day is one line of
steps under its event (`show`), and a `series` field of the event (`show --format json`)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from conftest import FIXTURES

from timeline import series


def _m(doc: str, value: str, name: str = "count:dead") -> dict[str, Any]:
    return {"document": doc, "start": 0, "attributes": {name: value}}


DATES = {"a": "2025-05-12", "b": "2025-05-13", "c": "2025-05-14T09:00"}


def test_a_rising_toll_is_a_series_in_date_order() -> None:
    got = series.of_event({"count:dead": []}, [_m("c", "63"), _m("a", "40 EQUAL_OR_MORE"),
                                               _m("b", "52")], DATES)
    assert got == [{"attribute": "count:dead", "points": [
        {"date": "2025-05-12", "value": "40 EQUAL_OR_MORE", "documents": ["a"]},
        {"date": "2025-05-13", "value": "52", "documents": ["b"]},
        {"date": "2025-05-14", "value": "63", "documents": ["c"]}]}]


def test_what_is_no_series() -> None:
    """A falling toll (a dispute, which conflicts records), a toll one day gives, the same
    value on every day, and a count that does not run (people aboard) are no series."""
    falling = [_m("a", "40"), _m("b", "30")]
    assert series.of_event({"count:dead": []}, falling, DATES) == []
    assert series.of_event({"count:dead": []}, [_m("a", "40")], DATES) == []
    assert series.of_event({"count:dead": []}, [_m("a", "40"), _m("b", "40")], DATES) == []
    aboard = [_m("a", "1500", "count:aboard"), _m("b", "2000", "count:aboard")]
    assert series.of_event({"count:aboard": []}, aboard, DATES) == []
    undated = [_m("a", "40"), _m("x", "52")]
    assert series.of_event({"count:dead": []}, undated, DATES) == []


def test_one_document_gives_its_highest_value() -> None:
    """A report that says "at least 40" and later "52" gives 52, as conflicts reads it."""
    got = series.of_event({"count:dead": []}, [_m("a", "40"), _m("a", "52"), _m("b", "60")],
                          DATES)
    assert [p["value"] for p in got[0]["points"]] == ["52", "60"]


def test_counts_and_days_in_words() -> None:
    assert series.count_words("40 EQUAL_OR_MORE") == "at least 40"
    assert series.count_words("40-50 VAGUE") == "40–50"
    assert series.count_words("63") == "63"
    assert series.day_words("2025-05-12") == "Mon 12 May"
    assert series.line({"attribute": "count:dead", "points": [
        {"date": "2025-05-12", "value": "40 EQUAL_OR_MORE"}, {"date": "2025-05-14",
                                                             "value": "63"}]}) == \
        "count:dead: at least 40 (Mon 12 May) → 63 (Wed 14 May)"


def test_the_ferry_toll_is_shown_as_a_series(cli: Any, tmp_path: Path) -> None:
    """The ferry set: 40 or more dead on Monday, 52 on Tuesday, 63 on Wednesday (three
    reports) is a series of the disaster, in `show` and in its JSON; not a conflict."""
    src = tmp_path / "ferry"
    shutil.copytree(FIXTURES / "ferry", src, ignore=shutil.ignore_patterns("*.json"))
    assert cli("run", str(src))[0] == 0
    snap = json.loads(cli("show", "--format", "json")[1])
    disaster = next(e for e in snap["events"] if e["kind"] == "disaster")
    (toll,) = [s for s in disaster["series"] if s["attribute"] == "count:dead"]
    assert [(p["date"], p["value"]) for p in toll["points"]] == [
        ("2025-05-12", "40 EQUAL_OR_MORE"), ("2025-05-13", "52 EQUAL_OR_MORE"),
        ("2025-05-14", "63")]
    assert all(len(p["documents"]) == 1 for p in toll["points"])
    assert not [c for c in snap["conflicts"] if c["attribute"] == "count:dead"]
    out = cli("show")[1]
    assert "count:dead: at least 40 (Mon 12 May) → at least 52 (Tue 13 May) → 63 (Wed 14 May)" \
        in out
    assert "count:aboard disputed: 1500 (2 documents); 2000 (1 document)" in out
    page = cli("export", "--format", "html")[1]
    assert "count:dead: at least 40 (Mon 12 May) → at least 52 (Tue 13 May)" in page


def test_a_disputed_count_is_said_as_a_count() -> None:
    """"63" is sixty-three people, not the 1960s: counts in conflicts are spelled as counts."""
    from timeline import printout

    lines = printout.conflict_lines(
        {"attribute": "count:jobs", "values": [{"value": "63", "documents": ["a"]},
                                               {"value": "40 EQUAL_OR_MORE",
                                                "documents": ["b", "c"]}]},
        True, printout.UNLIMITED)
    text = " ".join(str(t) for t in lines)
    assert "63 (1 document)" in text and "at least 40 (2 documents)" in text
