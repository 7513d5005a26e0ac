"""Acceptance: an unseen three-language story where sources disagree and a toll rises.

A ferry sinks on a Sunday. The English wire (Monday) says 1,500 were aboard and at least 40
died, the Spanish report (no date) 2.000 aboard and at least 52 dead, the Russian one
(Wednesday) 1 500 aboard (a narrow no-break space) and 63 dead; the English says the ferry
sank in about 20 minutes, the Spanish in ten. The gold listing beside the files says what a
reader knows; the engine knows none of these texts.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from conftest import FIXTURES

FERRY = FIXTURES / "ferry"
GOLD = json.loads((FERRY / "gold.json").read_text(encoding="utf-8"))


def _snap(cli: Any, tmp_path: Path, strip_dates: bool = False) -> dict[str, Any]:
    d = tmp_path / "ferry"
    d.mkdir()
    for f in sorted(FERRY.glob("*.txt")):
        text = f.read_text(encoding="utf-8")
        if strip_dates:
            text = "\n".join(line for line in text.split("\n")
                             if not line.startswith(" date "))
        (d / f.name).write_text(text, encoding="utf-8")
    code, _, err = cli("run", str(d))
    assert code == 0, err
    code, out, _ = cli("show", "--format", "json", "--all")
    assert code == 0
    return json.loads(out)


def _names(snap: dict[str, Any]) -> dict[str, str]:
    return {d["id"]: Path(d["path"]).name for d in snap["documents"]}


def _the_sinking(snap: dict[str, Any]) -> dict[str, Any]:
    gold = GOLD["events"][0]
    names = _names(snap)
    found = [e for e in snap["events"] if e["kind"] == gold["kind"]
             and {names[s["document"]] for s in e["sources"]} == set(gold["documents"])]
    assert len(found) == 1, [(e["kind"], e["start"], e["sources"]) for e in snap["events"]]
    return found[0]


def test_one_story_and_the_sinking_told_by_all_three(cli: Any, tmp_path: Path) -> None:
    snap = _snap(cli, tmp_path)
    assert len({e["story"] for e in snap["events"]}) == len(GOLD["stories"])
    assert _the_sinking(snap)["start"][:10] == GOLD["events"][0]["date"]


def test_the_dateless_report_is_dated_from_its_siblings(cli: Any, tmp_path: Path) -> None:
    snap = _snap(cli, tmp_path)
    names = {Path(d["path"]).name: d for d in snap["documents"]}
    for name, day in GOLD["dates"].items():
        assert (names[name]["date"], names[name]["date_basis"]) == (day, "inferred")
        assert names[name]["date_evidence"]


def test_the_dating_keeps_the_readings_that_competed(cli: Any, tmp_path: Path) -> None:
    snap = _snap(cli, tmp_path)
    names = {Path(d["path"]).name: d["id"] for d in snap["documents"]}
    for name, day in GOLD["dates"].items():
        code, out, _ = cli("query", "--format", "json", "-p", "type", "DocumentDated",
                           "SELECT data FROM log WHERE type = :type ORDER BY seq")
        assert code == 0
        dated = [json.loads(r["data"]) for r in json.loads(out)]
        readings = [d for d in dated if d["document"] == names[name]][-1]["readings"]
        assert readings[0]["date"] == day
        assert len(readings) > 1 and {r["date"] for r in readings[1:]} - {day}
        assert all("contradictions" in r and "votes" in r for r in readings)


def test_counts_and_durations_sources_disagree_on_are_conflicts(cli: Any,
                                                                tmp_path: Path) -> None:
    snap = _snap(cli, tmp_path)
    sinking = _the_sinking(snap)
    got = {c["attribute"]: {v["value"] for v in c["values"]} for c in snap["conflicts"]
           if c["event"] == sinking["id"]}
    for want in GOLD["conflicts"]:
        assert got.get(want["attribute"]) == set(want["values"]), got
    # the aboard count: the English and the Russian wrote it differently, and agree
    names = _names(snap)
    aboard = next(c for c in snap["conflicts"] if c["event"] == sinking["id"]
                  and c["attribute"] == "count:aboard")
    by_value = {v["value"]: {names[d] for d in v["documents"]} for v in aboard["values"]}
    assert by_value["1500"] == {"01_capsized.txt", "03_pogibshie.txt"}


def test_a_rising_toll_is_no_conflict(cli: Any, tmp_path: Path) -> None:
    snap = _snap(cli, tmp_path)
    sinking = _the_sinking(snap)
    assert not [c for c in snap["conflicts"]
                if c["event"] == sinking["id"] and c["attribute"] == "count:dead"]


def test_show_and_the_page_name_the_disputes(cli: Any, tmp_path: Path) -> None:
    _snap(cli, tmp_path)
    code, out, _ = cli("show")
    assert code == 0
    assert "count:aboard disputed" in out and "duration disputed" in out
    code, _, err = cli("html", "-o", str(tmp_path / "page"))
    assert code == 0, err
    page = "".join(p.read_text(encoding="utf-8") for p in (tmp_path / "page").glob("*.html"))
    assert "count:aboard" in page


def test_without_any_date_the_toll_cannot_be_read_as_a_series(cli: Any,
                                                               tmp_path: Path) -> None:
    # with no date anywhere nothing says which report came first: the counts conflict
    snap = _snap(cli, tmp_path, strip_dates=True)
    sinking = _the_sinking(snap)
    assert any(c["attribute"] == "count:dead" for c in snap["conflicts"]
               if c["event"] == sinking["id"])
