"""Stable ids: events and stories keep their ids across runs; merges and splits are logged."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from conftest import FIXTURES, SEEDS
from freezegun import freeze_time

from tests.storesql import rows, value
from timeline import diff, identity
from timeline.reconcile import Event


def _event(eid: str, sources: list[tuple[str, str]], kind: str = "meeting",
           start: str | None = "2024-03-05") -> Event:
    return Event(eid, "s", kind, kind, start, None, None, "occurred", None, [], [],
                 [{"document": d, "quote": q, "start": 0, "end": len(q)} for d, q in sources],
                 {}, label=kind)


def _prior(e: Event, paths: dict[str, str]) -> identity.Prior:
    return identity.Prior(e.id, identity.group_of(e.kind, e.label, e.status), e.story,
                          identity.fingerprints(e, paths), e.start)


PATHS = {"a1": "a.txt", "a2": "a.txt", "b1": "b.txt", "c1": "c.txt"}


def test_an_event_keeps_its_id_when_its_document_is_revised() -> None:
    before = _event("ev-old", [("a1", "They met on Tuesday."), ("b1", "The two met.")])
    # a1 revised into a2 (a new document id), the sentence as it was; one source more
    now = _event("ev-new", [("a2", "They  met on Tuesday."), ("b1", "The two met."),
                            ("c1", "A meeting took place.")])
    got, changes = identity.settle([now], [], [_prior(before, PATHS)], PATHS, {})
    assert [e.id for e in got] == ["ev-old"] and changes == []


def test_a_kind_apart_is_another_event() -> None:
    before = _event("ev-old", [("a1", "They met and signed.")], kind="meeting")
    now = _event("ev-new", [("a1", "They met and signed.")], kind="agreement")
    got, changes = identity.settle([now], [], [_prior(before, PATHS)], PATHS, {})
    assert got[0].id != "ev-old" and changes == []


def test_two_events_that_became_one_are_a_merge() -> None:
    a = _event("ev-a", [("a1", "They met on Tuesday.")])
    b = _event("ev-b", [("b1", "The two met on Tuesday.")], start="2024-03-12")
    now = _event("ev-x", [("a1", "They met on Tuesday."), ("b1", "The two met on Tuesday.")])
    got, changes = identity.settle([now], [], [_prior(a, PATHS), _prior(b, PATHS)], PATHS, {})
    # the event that kept its date keeps its id; the other is recorded as merged into it
    assert [e.id for e in got] == ["ev-a"]
    assert changes == [identity.Merged("ev-a", ("ev-b",), "s", {})]


def test_an_event_told_apart_again_is_a_split() -> None:
    one = _event("ev-a", [("a1", "They met on Tuesday."), ("b1", "The two met on Friday.")])
    first = _event("ev-x", [("a1", "They met on Tuesday.")])
    second = _event("ev-y", [("b1", "The two met on Friday.")], start="2024-03-08")
    got, changes = identity.settle([first, second], [], [_prior(one, PATHS)], PATHS, {})
    assert got[0].id == "ev-a" and got[1].id == "ev-y"  # no mentions: its own id
    assert changes == [identity.Split("ev-a", (got[1].id,), "s")]


def test_story_ids_follow_their_segments() -> None:
    old = {("a1", 0): "talks-1", ("b1", 0): "talks-1", ("z1", 0): "storm-2"}
    # a1 revised into a2; a new founder gives the talks story another id; the storm story
    # keeps its own; a new story keeps the id it is founded with
    new = {("a2", 0): "talks-9", ("b1", 0): "talks-9", ("z1", 0): "storm-2",
           ("n1", 0): "fresh-3"}
    got = identity.keep_story_ids(new, old, {"a1": "a2"})
    assert got == {("a2", 0): "talks-1", ("b1", 0): "talks-1", ("z1", 0): "storm-2",
                   ("n1", 0): "fresh-3"}


def test_diff_reports_what_the_log_says() -> None:
    def snap(events: list[dict[str, Any]], docs: list[tuple[str, str]]) -> dict[str, Any]:
        return {"events": events, "conflicts": [],
                "documents": [{"id": i, "path": p, "date": None, "date_basis": "unknown"}
                              for i, p in docs]}

    def ev(eid: str) -> dict[str, Any]:
        return {"id": eid, "kind": "meeting", "title": eid, "start": "2024-03-05", "end": None,
                "rank": 1, "status": "occurred", "sources": []}

    a = snap([ev("ev-a"), ev("ev-b"), ev("ev-c")], [("d1", "a.txt")])
    b = snap([ev("ev-a"), ev("ev-c"), ev("ev-d"), ev("ev-e")], [("d2", "a.txt")])
    lineage = [{"change": "merged", "event": "ev-b", "other": "ev-a"},
               {"change": "split", "event": "ev-c", "other": "ev-d"}]
    got = diff.diff(a, b, lineage)
    assert [e["event"] for e in got["events_merged"]] == ["ev-b"]
    assert got["events_merged"][0]["into"] == ["ev-a"]
    assert [(e["event"], e["into"]) for e in got["events_split"]] == [("ev-c", ["ev-d"])]
    assert [e["event"] for e in got["events_added"]] == ["ev-e"]
    assert got["events_removed"] == [] and got["documents_added"] == []
    assert [d["previous"] for d in got["documents_revised"]] == ["d1"]


# ------------------------------------------------------------------ through the CLI


def _state(cli: Any) -> tuple[set[str], set[str], set[str]]:
    code, out, _ = cli("show", "--all", "--format", "json")
    assert code == 0
    snap = json.loads(out)
    code, ics, _ = cli("export", "--format", "ics")
    assert code == 0
    uids = {line.split(":", 1)[1].strip() for line in ics.splitlines()
            if line.startswith("UID:")}
    return {e["story"] for e in snap["events"]}, {e["id"] for e in snap["events"]}, uids


def _head(cli: Any) -> int:
    return int(value(cli.db(), "SELECT max(seq) FROM log"))


def _diff(cli: Any, since: int) -> dict[str, Any]:
    code, out, _ = cli("diff", "--from", str(since), "--format", "json")
    assert code == 0
    return {k: v for k, v in json.loads(out).items() if v and k not in ("from", "to")}


@freeze_time("2026-01-02 03:04:05")
def test_a_line_appended_to_an_article_keeps_every_id(cli: Any, seeds: Path,
                                                      tmp_path: Path) -> None:
    assert cli("run", str(seeds))[0] == 0
    stories, events, uids = _state(cli)
    since = _head(cli)
    with (seeds / SEEDS[1].name).open("a", encoding="utf-8") as fh:
        fh.write("\nCopyright 2023 by the agency. All rights reserved.\n")
    assert cli("run", str(seeds))[0] == 0
    assert _state(cli) == (stories, events, uids)
    for story in stories:
        code, out, _ = cli("show", "--story", story, "--all", "--format", "json")
        assert code == 0 and json.loads(out)["events"]
    changes = _diff(cli, since)
    assert list(changes) == ["documents_revised"], changes


@freeze_time("2026-01-02 03:04:05")
def test_an_unrelated_article_changes_no_id(cli: Any, seeds: Path, tmp_path: Path) -> None:
    assert cli("run", str(seeds))[0] == 0
    stories, events, uids = _state(cli)
    since = _head(cli)
    shutil.copy(FIXTURES / "storm" / "02_reopens.txt", seeds / "zz_storm.txt")
    assert cli("run", str(seeds))[0] == 0
    stories2, events2, uids2 = _state(cli)
    assert stories <= stories2 and events <= events2 and uids <= uids2
    changes = _diff(cli, since)
    assert "events_removed" not in changes and "events_merged" not in changes
    assert [d["path"].rsplit("/", 1)[-1] for d in changes["documents_added"]] == ["zz_storm.txt"]


MEETING = """date {date}
title Ministers meet

{lead} met in Geneva on Tuesday to discuss the Danube water treaty, officials said.
"""


@freeze_time("2026-01-02 03:04:05")
def test_a_revision_that_merges_two_events_is_logged(cli: Any, tmp_path: Path) -> None:
    src = tmp_path / "docs"
    src.mkdir()
    (src / "a.txt").write_text(MEETING.format(
        date="2024-03-06", lead="GENEVA - Foreign ministers Anna Kowalski and Pedro Almeida"))
    (src / "b.txt").write_text(MEETING.format(
        date="2024-03-13", lead="Foreign ministers Anna Kowalski and Pedro Almeida"))
    assert cli("run", str(src))[0] == 0
    _, before, _ = _state(cli)
    since = _head(cli)
    # b's date was wrong: both tell the Tuesday of the same week, one meeting
    (src / "b.txt").write_text(MEETING.format(
        date="2024-03-06", lead="Foreign ministers Anna Kowalski and Pedro Almeida"))
    assert cli("run", str(src))[0] == 0
    _, after, _ = _state(cli)
    assert after < before
    changes = _diff(cli, since)
    merged = [e for e in changes["events_merged"] if e["kind"] == "meeting"]
    assert len(merged) == 1 and merged[0]["into"][0] in after
    assert "events_added" not in changes and "events_removed" not in changes
    data = next(d for (d,) in rows(cli.db(), "SELECT data FROM log WHERE type = 'EventsMerged' "
                                   "ORDER BY seq") if [json.loads(d)["event"]] == merged[0]["into"])
    evidence = json.loads(data)["evidence"]
    assert evidence["documents"] == 2 and evidence["time"] and evidence["predicate"] == "meeting"
    assert set(evidence["participants"]) >= {"Anna Kowalski", "Pedro Almeida"}
