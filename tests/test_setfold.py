"""store.setfold: a run of EventFormed or EntitiesMentioned records folded as a set (the
newest record per event or document, rows written table by table) leaves the rows the
record-by-record fold leaves, in a rebuild, an append, and an --as-of replay that skips the
FTS tables."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import attrs
import pytest

from tests.test_foldbatch import _doc, _event
from tests.test_store import AT, _dump
from timeline import events as ev
from timeline.store import Store, apply


def _log() -> list[Any]:
    """Events formed again within one run: more sources, then fewer; shown, then hidden;
    a source repeated; quotes given and cut from the text; a run broken by a document."""
    two = [{"document": "d3", "start": 0, "end": 15}, {"document": "d3", "start": 16, "end": 31}]
    return [
        _doc("d3", "Alpha met Beta. Then they left."),
        _event("E1", "d3", 0, 15), _event("E2", "d3", 16, 31),
        attrs.evolve(_event("E1", "d3", 0, 15), sources=two),
        attrs.evolve(_event("E2", "d3", 0, 15), salience=2),
        attrs.evolve(_event("E3", "d3", 0, 5), sources=[
            {"document": "d3", "start": 0, "end": 5, "quote": "given"},
            {"document": "d3", "start": 0, "end": 5}, *two]),
        attrs.evolve(_event("E1", "d3", 16, 31), title="fewer", series=[{"attribute": "x"}]),
        _doc("d4", "Gamma met Delta today."),
        _event("E4", "d4", 0, 9), attrs.evolve(_event("E3", "d4", 10, 22), salience=4),
        ev.FactRetracted(fact_type="EventFormed", key="E4", prev="x", engine="e"),
        _event("E5", "d4", 0, 100),
        # per-name rows a document's later record replaces, a document named twice in one
        # run (fewer names the second time), a name repeated within a record
        ev.EntityMentioned(document="d3", start=0, end=5, text="Alpha", label="PERSON",
                           language="en", local="alpha", entity="a-1", engine="e"),
        ev.EntitiesMentioned(document="d3", language="en", engine="e", names=[
            [0, 5, "Alpha", "PERSON", "alpha", "a-1"], [10, 14, "Beta", "PERSON", "b", "b-1"]]),
        ev.EntitiesMentioned(document="d4", language="en", engine="e", names=[
            [0, 5, "Gamma", "PERSON", "g", "g-1"], [0, 5, "Gamma", "ORG", "g", "g-2"]]),
        ev.EntitiesMentioned(document="d3", language="en", engine="e2", names=[
            [10, 14, "Beta", "PERSON", "b", "b-1"]]),
        ev.EntityMentioned(document="d4", start=9, end=14, text="Delta", label="PERSON",
                           language="en", local="delta", entity="d-1", engine="e"),
    ]


@pytest.fixture
def reference(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The log folded one record at a time, without set folds."""
    path = tmp_path / "one.db"
    with monkeypatch.context() as m:
        m.setattr(apply, "SETS", {})
        with Store(path) as store:
            for e in _log():
                store.append([e], recorded_at=AT, run_id="r1")
    return path


def test_an_append_and_a_rebuild_leave_the_record_by_record_rows(
        tmp_path: Path, reference: Path) -> None:
    path = tmp_path / "all.db"
    with Store(path) as store:
        store.append(_log(), recorded_at=AT, run_id="r1")
        assert store.verify().ok
    expected = _dump(reference)
    assert _dump(path) == expected
    with Store(reference) as store:
        store.rebuild()
        assert store.verify().ok
    assert _dump(reference) == expected
    sources = {r[0]: [] for r in expected["events"]}
    for r in expected["event_sources"]:
        sources[r[0]].append(r[2])
    assert sorted(sources["E1"]) == ["Then they left."]  # the newest record's source only
    assert sorted(sources["E3"]) == ["Delta today."]
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT count(*) FROM quotes_fts q JOIN event_sources s ON "
                        "s.rowid = q.rowid AND s.event = q.event AND s.quote = q.quote"
                        ).fetchone()[0] == len(expected["quotes_fts"]) > 0
    assert "E2" not in {r[0] for r in expected["quotes_fts"]}  # hidden the second time
    assert sorted((r[1], r[4], r[5]) for r in expected["entity_mentions"]) == [
        ("d3", "Beta", "PERSON"), ("d4", "Delta", "PERSON"), ("d4", "Gamma", "ORG")]


def test_as_of_folds_the_same_rows(tmp_path: Path, reference: Path,
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    def rows(store: Store) -> dict[str, list[tuple[Any, ...]]]:
        return {t: sorted(map(tuple, store.conn.execute(f"SELECT * FROM {t}")), key=repr)
                for t in ("events", "event_sources", "fact_heads", "entity_mentions")}

    for seq in (5, 8, 12, 14, 16, 17):
        with monkeypatch.context() as m:
            m.setattr(apply, "SETS", {})
            one = Store.as_of(reference, seq)
            expected = rows(one)
            one.conn.close()
        past = Store.as_of(reference, seq)
        assert rows(past) == expected
        past.conn.close()
