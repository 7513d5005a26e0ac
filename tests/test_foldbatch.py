"""store.foldbatch: the per-record folds of a batch run together, with the result of folding
one record at a time (a later record of a document or event still supersedes an earlier)."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import attrs

from tests.test_store import AT, SAMPLES, _dump
from timeline import events as ev
from timeline.store import Store
from timeline.store.foldbatch import merge_chains


def _event(event: str, doc: str, start: int, end: int, **kw: Any) -> ev.EventFormed:
    return ev.EventFormed(event=event, story="s1", kind="meeting", title=event, start=None,
                          end=None, granularity=None, status="occurred", rank=1, place=None,
                          participants=[], sources=[{"document": doc, "start": start,
                                                     "end": end}], engine="e",
                          salience=5, **kw)


def _doc(doc: str, text: str, **kw: Any) -> ev.DocumentIngested:
    return ev.DocumentIngested(document=doc, path=f"{doc}.txt", sha256=doc, size=len(text),
                               encoding="utf-8", language="en", language_basis="detected",
                               header={}, title=doc, body_start=0, text=text, **kw)


def _batch() -> list[Any]:
    """Records whose folds touch the same rows within one batch: an event formed twice
    (another source the second time), a document revised after an event quoted it, entity
    mentions of one document replaced, many events of one document."""
    d3 = _doc("d3", "Alpha met Beta. Then they left.")
    d4 = ev.DocumentRevised(document="d4", previous="d3", path="d3.txt", sha256="d4",
                            size=20, encoding="utf-8", language="en",
                            language_basis="detected", header={}, title="d4",
                            body_start=0, text="Gamma met Delta today.")
    names = [[0, 5, "Alpha", "PERSON", "alpha", "alpha-1"]]
    return [
        *SAMPLES[:-1], d3,
        *(_event(f"E{i}", "d3", 0, 15) for i in range(10, 30)),
        _event("E5", "d3", 0, 15), _event("E5", "d3", 16, 31, label="left"),
        ev.EntitiesMentioned(document="d3", language="en", engine="e", names=names),
        ev.EntitiesMentioned(document="d3", language="en", engine="e2",
                             names=[*names, [10, 14, "Beta", "PERSON", "beta", "beta-1"]]),
        ev.DocumentDated(document="d3", date="2023-09-14", basis="header", evidence="x",
                         confidence=1.0, engine="e"),
        d4, _event("E6", "d4", 0, 9),
        attrs.evolve(_event("E5", "d4", 10, 22), title="again"),
        ev.FactRetracted(fact_type="EventFormed", key="E11", prev="x", engine="e"),
        _event("E11", "d4", 0, 5),
        SAMPLES[-1],
    ]


def test_a_batch_folds_as_one_record_at_a_time(tmp_path: Path) -> None:
    batch = _batch()
    with Store(tmp_path / "one.db") as store:
        for e in batch:  # each record alone: the reference
            store.append([e], recorded_at=AT, run_id="r1")
    with Store(tmp_path / "all.db") as store:
        store.append(batch, recorded_at=AT, run_id="r1")
        assert store.verify().ok
    one, together = _dump(tmp_path / "one.db"), _dump(tmp_path / "all.db")
    assert together == one
    events = {r[0]: r for r in together["events"]}
    assert events["E5"][3] == "again"  # the newest of three assertions of E5
    quotes = {(r[0], r[2]) for r in together["event_sources"]}
    assert ("E5", "Delta today.") in quotes and ("E10", "Alpha met Beta.") in quotes
    assert len([r for r in together["event_sources"] if r[0] == "E5"]) == 1
    assert sorted(r[4] for r in together["entity_mentions"] if r[1] == "d3") == \
        ["Alpha", "Beta"]
    # each FTS row shares the rowid of the row it indexes, also when run together
    conn = sqlite3.connect(tmp_path / "all.db")
    assert conn.execute("SELECT count(*) FROM quotes_fts q JOIN event_sources s ON "
                        "s.rowid = q.rowid AND s.event = q.event AND s.quote = q.quote"
                        ).fetchone()[0] == len(together["quotes_fts"])
    assert conn.execute("SELECT count(*) FROM documents_fts f JOIN documents d ON "
                        "d.rowid = f.rowid AND d.id = f.id").fetchone()[0] == 2 == \
        len(together["documents"])


def test_many_events_take_a_few_statements_not_one_each(tmp_path: Path,
                                                        monkeypatch: Any) -> None:
    calls: list[str] = []

    class Counting(sqlite3.Connection):
        def executemany(self, sql: str, rows: Any) -> Any:  # type: ignore[override]
            calls.append(sql)
            return super().executemany(sql, rows)

    real = sqlite3.connect
    monkeypatch.setattr(sqlite3, "connect", lambda *a, **k: real(*a, **k, factory=Counting))
    with Store(tmp_path / "t.db") as store:
        store.append([_doc("d3", "Alpha met Beta.")], recorded_at=AT)
        calls.clear()
        store.append([_event(f"E{i}", "d3", 0, 15) for i in range(500)], recorded_at=AT)
    assert 0 < len(calls) <= 12  # log rows, heads, events, sources, quotes: not 500 of each


def test_merge_keeps_each_chain_in_order_and_shares_steps() -> None:
    chains = [[("a", [(1,)]), ("b", [(2,)])],
              [("a", [(3,)]), ("c", [(4,)]), ("b", [(5,)])],
              [("b", [(6,)])]]
    steps = list(merge_chains(chains))
    assert steps[0] == ("a", [(1,), (3,)])  # both chains' heads, in chain order
    order = [p[0] for _, rows in steps for p in rows]
    for chain in chains:
        mine = [p[0] for _, rows in chain for p in rows]
        assert [x for x in order if x in mine] == mine
    assert len(steps) <= 4
