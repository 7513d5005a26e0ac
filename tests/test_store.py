"""The log: append-only, hash-chained, idempotent, batch-atomic; projections are a fold."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path
from typing import Any

import attrs
import pytest

from timeline import events as ev
from timeline.schema import PROJECTION_TABLES
from timeline.store import Store, StoreError

AT = "2024-01-01T00:00:00+00:00"

SAMPLES: list[Any] = [
    ev.RunStarted(run_id="r1", started_at=AT, engine="e", paths=["a"]),
    ev.DocumentIngested(document="d1", path="a.txt", sha256="s", size=3, encoding="utf-8",
                        language="en", language_basis="detected", header={"date": "2023-09-14"},
                        title="T", body_start=0, text="abc"),
    ev.DocumentRevised(document="d2", previous="d1", path="a.txt", sha256="s2", size=4,
                       encoding="utf-8", language="en", language_basis="detected", header={},
                       title="T2", body_start=0, text="abcd"),
    ev.DocumentRejected(path="b.txt", reason="empty file", sha256=None),
    ev.DocumentFailed(path="c.txt", sha256="ab", document=None, stage="parse",
                      error="ValueError", message="boom", engine="e"),
    ev.DocumentDated(document="d2", date="2023-09-14", basis="header", evidence="date",
                     confidence=1.0, engine="e"),
    ev.TimexFound(document="d2", start=0, end=3, text="abc", timex_type="DATE",
                  value="2023-09-13", relation={"k": "fixed", "v": "x", "t": "DATE"}, engine="e"),
    ev.MentionFound(document="d2", start=0, end=3, trigger="met", kind="meeting",
                    status="occurred", sentence_start=0, sentence_end=4, quote="abcd", block=0,
                    story="s1", engine="e"),
    ev.EventFormed(event="E1", story="s1", kind="meeting", title="meeting", start="2023-09-13",
                   end=None, granularity="day", status="occurred", rank=1, place=None,
                   participants=["A"], sources=[{"document": "d2", "quote": "abcd", "start": 0,
                                                 "end": 4}], engine="e"),
    ev.OrderAsserted(before="E0", after="E1", cue="then", document="d2", engine="e"),
    ev.ConflictFound(event="E1", attribute="meal", values=[{"value": "lunch", "documents": ["d2"]}],
                     engine="e"),
    ev.FactRetracted(fact_type="ConflictFound", key="E1:meal", prev="x", engine="e"),
    ev.EventsMerged(event="E1", merged=["E2"], story="s1",
                    evidence={"kind": "meeting", "time": True}, engine="e"),
    ev.EventSplit(event="E1", into=["E3"], story="s1", engine="e"),
    ev.EntityMentioned(document="d1", start=0, end=5, text="Putin", label="PERSON",
                       language="en", local="putin", entity="putin-abc123", engine="e"),
    ev.EntitiesMentioned(document="d1", language="en", engine="e",
                         names=[[0, 5, "Putin", "PERSON", "putin", "putin-abc123"]]),
    ev.FactRetracted(fact_type="EntitiesMentioned", key="d1", prev="y", engine="e"),
    ev.EntityFound(entity="putin-abc123", name="Putin", entity_type="PERSON",
                   aliases=["Putin", "Путин"], mentions=2, documents=1, languages=["en"],
                   engine="e"),
    ev.RunFinished(run_id="r1", finished_at=AT, counts={"new": 1}),
]


def test_every_event_type_has_a_sample() -> None:
    assert {type(e).type for e in SAMPLES} == set(ev.REGISTRY)


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda e: type(e).type)
def test_append_replay_round_trip(tmp_path: Path, sample: Any) -> None:
    with Store(tmp_path / "t.db") as store:
        assert store.append([sample], recorded_at=AT) == [1]
        (rec,) = list(store.records())
        assert rec.event() == sample
        assert rec.event_id == ev.event_id(sample)


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda e: type(e).type)
def test_event_id_is_the_hash_of_the_identity_fields(sample: Any) -> None:
    """Ids are stored forever: the shortcuts `event_id` takes must not change a single one."""
    data = ev.to_data(sample)
    fields = type(sample).id_fields or tuple(data)
    blob = ev.canonical_json({k: data[k] for k in fields})
    want = hashlib.sha256(f"{sample.type}\x1f{sample.stream}\x1f{blob}".encode()).hexdigest()
    assert ev.event_id(sample) == want
    assert ev.event_id(sample, ev.canonical_json(data), data) == want


def test_same_event_twice_is_a_no_op(tmp_path: Path) -> None:
    with Store(tmp_path / "t.db") as store:
        assert len(store.append(SAMPLES, recorded_at=AT)) == len(SAMPLES)
        assert store.append(SAMPLES, recorded_at=AT) == []
        assert store.head() == len(SAMPLES)
        assert store.verify().ok


def test_update_delete_and_replace_refused_by_plain_sqlite(tmp_path: Path) -> None:
    path = tmp_path / "t.db"
    with Store(path) as store:
        store.append(SAMPLES[:3], recorded_at=AT)
    conn = sqlite3.connect(path)
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        conn.execute("UPDATE log SET data = '{}' WHERE seq = 1")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        conn.execute("DELETE FROM log WHERE seq = 1")
    row = conn.execute("SELECT * FROM log WHERE seq = 1").fetchone()
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        conn.execute("INSERT OR REPLACE INTO log VALUES (?,?,?,?,?,?,?,?,?,?)",
                     (1, "other", *row[2:]))
    assert conn.execute("SELECT * FROM log WHERE seq = 1").fetchone() == row
    conn.close()


def test_tampered_row_fails_verify_naming_the_seq(tmp_path: Path) -> None:
    path = tmp_path / "t.db"
    with Store(path) as store:
        store.append(SAMPLES, recorded_at=AT)
    conn = sqlite3.connect(path)
    conn.execute("DROP TRIGGER log_no_update")
    conn.execute("UPDATE log SET data = replace(data, 'empty file', 'fine') WHERE seq = 4")
    from timeline.schema import TRIGGERS

    conn.execute(TRIGGERS["log_no_update"])
    conn.commit()
    conn.close()
    with Store(path) as store:
        result = store.verify()
    assert not result.ok
    assert "seq 4" in result.message


def test_batch_that_raises_half_way_leaves_log_unchanged(tmp_path: Path) -> None:
    @attrs.frozen
    class Broken:
        type = "DocumentRejected"
        version = 1
        id_fields = None
        stream = "x"
        path: str = "p"

        # not JSON serializable: explodes after earlier events of the batch were inserted
        reason: Any = attrs.field(factory=object)
        sha256: None = None

    with Store(tmp_path / "t.db") as store:
        store.append(SAMPLES[:2], recorded_at=AT)
        before = [r.hash for r in store.records()]
        with pytest.raises(TypeError):
            store.append([SAMPLES[3], Broken()], recorded_at=AT)
        assert [r.hash for r in store.records()] == before
        assert store.projected_seq() == 2
        assert store.rows("SELECT count(*) AS n FROM rejections")[0]["n"] == 0


def _dump(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    conn = sqlite3.connect(path)
    out = {t: sorted(map(tuple, conn.execute(f"SELECT * FROM {t}")), key=repr)
           for t in PROJECTION_TABLES}
    conn.close()
    return out


def test_rebuild_gives_identical_rows(tmp_path: Path) -> None:
    path = tmp_path / "t.db"
    with Store(path) as store:
        store.append(SAMPLES, recorded_at=AT)
    before = _dump(path)
    with Store(path) as store:
        store.rebuild()
    assert _dump(path) == before
    # the fold did real work: the revision replaced d1, the retraction removed the conflict
    assert [r[0] for r in before["documents"]] == ["d2"]
    assert [r[0] for r in before["events"]] == ["E1"]
    assert before["conflicts"] == []


def test_bulk_runs_fold_exactly_like_one_record_at_a_time(tmp_path: Path,
                                                          monkeypatch: Any) -> None:
    """Runs of a `Row` type are applied by one INSERT ... SELECT in SQLite; that must give
    the very rows (JSON text included) the record-by-record fold gives, including a key
    asserted twice in one run (the newest wins) and asserted again after a retraction."""
    from timeline.store import apply

    t1 = ev.TimexFound(document="d2", start=5, end=9, text="Tuesday", timex_type="DATE",
                       value="2023-09-12", relation={"k": "weekday", "wd": 2, "pod": None,
                                                     "n": 0.5, "tense": "past"}, engine="e")
    t2 = attrs.evolve(t1, value="2023-09-05", engine="e2")
    batch = [*SAMPLES, t1, t2,
             ev.FactRetracted(fact_type="TimexFound", key=t1.key, prev="y", engine="e"),
             attrs.evolve(t1, engine="e3"),
             ev.MentionFound(document="d2", start=5, end=9, trigger="visit", kind="visit",
                             status="planned", sentence_start=0, sentence_end=9, quote="…",
                             block=0, story="s1", engine="e", part=1, place="Москва",
                             participants=["Ким", "Putin"], attributes={"meal": "lunch"})]
    with Store(tmp_path / "bulk.db") as store:
        store.append(batch, recorded_at=AT, run_id="r1")
    monkeypatch.setattr(apply, "ROWS", {})
    with Store(tmp_path / "one.db") as store:
        store.append(batch, recorded_at=AT, run_id="r1")
    bulk, one = _dump(tmp_path / "bulk.db"), _dump(tmp_path / "one.db")
    assert bulk == one
    assert [r[6] for r in bulk["timexes"] if r[1] == "d2" and r[2] == 5] == ["2023-09-12"]


def test_unknown_type_and_newer_version_are_clear_errors(tmp_path: Path) -> None:
    path = tmp_path / "t.db"
    with Store(path) as store:
        store.append(SAMPLES[:1], recorded_at=AT)
    conn = sqlite3.connect(path)
    conn.execute("INSERT INTO log (seq, event_id, type, version, stream, data, recorded_at, "
                 "prev_hash, hash) VALUES (2, 'x', 'FromTheFuture', 1, 's', '{}', ?, '', '')",
                 (AT,))
    conn.commit()
    conn.close()
    with Store(path) as store:
        (_, rec) = list(store.records())
        with pytest.raises(ev.EventError, match="seq 2"):
            rec.event()
    with pytest.raises(ev.EventError, match="newer"):
        ev.from_data("RunStarted", 99, {}, 7)


def test_refuses_foreign_corrupt_and_newer_databases(tmp_path: Path) -> None:
    foreign = tmp_path / "foreign.db"
    conn = sqlite3.connect(foreign)
    conn.execute("CREATE TABLE customers (id INTEGER)")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="not a timeline database"):
        Store(foreign)
    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(b"this is not sqlite at all" * 100)
    with pytest.raises(StoreError, match="not a SQLite database"):
        Store(garbage)
    newer = tmp_path / "newer.db"
    Store(newer).close()
    conn = sqlite3.connect(newer)
    conn.execute("PRAGMA user_version = 99")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="newer"):
        Store(newer)
    assert foreign.read_bytes()[:16] == b"SQLite format 3\x00"
    conn = sqlite3.connect(foreign)
    assert [r[0] for r in conn.execute("SELECT name FROM sqlite_master")] == ["customers"]
    conn.close()


def test_log_data_is_canonical_json(tmp_path: Path) -> None:
    with Store(tmp_path / "t.db") as store:
        store.append(SAMPLES[:2], recorded_at=AT)
        for rec in store.records():
            assert rec.data == ev.canonical_json(json.loads(rec.data))


@pytest.mark.parametrize("data", [
    {"b": 1, "a": [1.5, None, True, "é\n\"x"], "c": {"z": [{}], "y": -0.0}},
    {"nan": float("nan"), "inf": float("inf"), "big": 10**30},
    "text", 3, [],
])
def test_canonical_json_spells_as_the_standard_encoder(data: Any) -> None:
    # the hash chain of logs already written depends on these bytes
    assert ev.canonical_json(data) == json.dumps(data, sort_keys=True, separators=(",", ":"),
                                                 ensure_ascii=False)


def test_canonical_json_pinned_bytes_and_refusal() -> None:
    assert ev.canonical_json({"b": 1, "a": [1.5, None, "é"]}) == '{"a":[1.5,null,"é"],"b":1}'
    with pytest.raises(TypeError):
        ev.canonical_json({"a": object()})
