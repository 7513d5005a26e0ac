"""The store's contract, on each store (`store_db`: SQLite and PostgreSQL, see conftest's
`--store`): appends, idempotence, atomic batches, rebuild, --as-of, verify and copy."""

from __future__ import annotations

from typing import Any

import attrs
import pytest

from tests.test_store import AT, SAMPLES
from timeline import events as ev
from timeline.schema import PROJECTION_TABLES
from timeline.store import StoreError, connect, past
from timeline.store.copy import copy_log


def _dump(store: Any) -> dict[str, list[tuple[Any, ...]]]:
    """Every projection table, without the PostgreSQL FTS tables' own tsvector columns."""
    out = {}
    for t in PROJECTION_TABLES:
        rows = store.rows(f"SELECT * FROM {t}")
        out[t] = sorted((tuple(v for k, v in r.items() if k not in ("tsv", "cfg"))
                         for r in rows), key=repr)
    return out


def test_append_is_idempotent_and_verifies(store_db: str) -> None:
    with connect(store_db) as store:
        seqs = store.append(SAMPLES, recorded_at=AT, run_id="r1")
        assert seqs == list(range(1, len(SAMPLES) + 1))
        assert store.append(SAMPLES, recorded_at=AT) == []
        assert [r.event() for r in store.records()] == SAMPLES
        assert store.head() == len(SAMPLES)
        result = store.verify()
    assert result.ok, result.message
    assert result.head_seq == len(SAMPLES)


def test_the_same_input_gives_the_same_chain_in_both_stores(store_db: str,
                                                             tmp_path: Any) -> None:
    with connect(store_db) as store:
        store.append(SAMPLES, recorded_at=AT, run_id="r1")
        head = store.head_entry()
        dump = _dump(store)
    with connect(str(tmp_path / "reference.db")) as ref:
        ref.append(SAMPLES, recorded_at=AT, run_id="r1")
        assert ref.head_entry() == head
        assert _dump(ref) == dump


def test_a_batch_that_fails_half_way_leaves_nothing(store_db: str) -> None:
    @attrs.frozen
    class Broken:
        type = "DocumentRejected"
        version = 1
        id_fields = None
        stream = "x"
        path: str = "p"
        reason: Any = attrs.field(factory=object)  # not JSON: fails after others were added
        sha256: None = None

    with connect(store_db) as store:
        store.append(SAMPLES[:2], recorded_at=AT)
        before = [r.hash for r in store.records()]
        with pytest.raises(TypeError):
            store.append([SAMPLES[3], Broken()], recorded_at=AT)
        assert [r.hash for r in store.records()] == before
        assert store.projected_seq() == 2
        assert store.rows("SELECT count(*) AS n FROM rejections")[0]["n"] == 0


def test_rebuild_gives_identical_rows(store_db: str) -> None:
    with connect(store_db) as store:
        store.append(SAMPLES, recorded_at=AT)
        before = _dump(store)
        assert store.rebuild() == len(SAMPLES)
        assert _dump(store) == before
    assert [r[0] for r in before["documents"]] == ["d2"]  # the revision replaced d1
    assert before["conflicts"] == []  # the retraction removed the conflict


def test_as_of_is_the_fold_of_the_prefix(store_db: str, tmp_path: Any) -> None:
    cut = next(i for i, e in enumerate(SAMPLES) if isinstance(e, ev.FactRetracted))
    with connect(store_db) as store:
        store.append(SAMPLES, recorded_at=AT)
    with connect(str(tmp_path / "prefix.db")) as prefix:
        prefix.append(SAMPLES[:cut], recorded_at=AT)
        want = prefix.snapshot()
    with past(store_db, cut) as then:
        assert then.snapshot() == want
        assert then.rows("SELECT count(*) AS n FROM conflicts")[0]["n"] == 1
        assert then.head() == cut  # the past log is all it sees
    with connect(store_db, readonly=True) as now:  # the present was not touched
        assert now.rows("SELECT count(*) AS n FROM conflicts")[0]["n"] == 0


def test_copy_there_and_back_keeps_every_hash(store_db: str, tmp_path: Any) -> None:
    src = str(tmp_path / "src.db")
    with connect(src) as a:
        a.append(SAMPLES, recorded_at=AT, run_id="r1")
        head = a.head_entry()
        with connect(store_db) as b:
            result = copy_log(a, b)
            assert result.ok, result.message
            assert b.head_entry() == head
            assert b.snapshot() == a.snapshot()
            with pytest.raises(StoreError, match="empty destination"):
                copy_log(a, b)
            with connect(str(tmp_path / "back.db")) as c:
                assert copy_log(b, c).ok
                assert c.head_entry() == head


def test_expect_head_detects_a_truncated_log(store_db: str, tmp_path: Any) -> None:
    """A backup restored from before the last batches: internally consistent, but the head
    kept elsewhere says history is missing."""
    with connect(str(tmp_path / "full.db")) as full:
        full.append(SAMPLES[:5], recorded_at=AT)
        with connect(store_db) as restored:
            copy_log(full, restored)
        full.append(SAMPLES[5:], recorded_at=AT)
        kept = full.head_entry()
    with connect(store_db, readonly=True) as restored:
        assert restored.verify().ok
        result = restored.verify(kept)
    assert not result.ok
    assert "truncated" in result.message


def test_compiled_fold_equals_record_by_record(store_db: str, monkeypatch: Any) -> None:
    """Runs of a `Row` type are one INSERT ... SELECT per table, compiled for each SQL
    dialect; a rebuild folding record by record must give the very same rows (a key asserted
    twice in one run, booleans, nested JSON, defaults and fallbacks included)."""
    from timeline.store import apply

    t1 = ev.TimexFound(document="d2", start=5, end=9, text="Tuesday", timex_type="DATE",
                       value="2023-09-12", relation={"k": "weekday", "wd": 2, "pod": None,
                                                     "n": 0.5, "tense": "past"}, engine="e")
    batch = [*SAMPLES, t1, attrs.evolve(t1, value="2023-09-05", engine="e2"),
             ev.OrderAsserted(before="E1", after="E2", cue="then", document="d2", engine="e",
                              accepted=False),
             ev.MentionFound(document="d2", start=5, end=9, trigger="visit", kind="visit",
                             status="planned", sentence_start=0, sentence_end=9, quote="…",
                             block=0, story="s1", engine="e", part=1, place="Москва",
                             participants=["Ким", "Putin"], attributes={"meal": "lunch"})]
    with connect(store_db) as store:
        store.append(batch, recorded_at=AT, run_id="r1")
        compiled = _dump(store)
        monkeypatch.setattr(apply, "ROWS", {})
        store.rebuild()
        assert _dump(store) == compiled
    assert [r[6] for r in compiled["timexes"] if r[1] == "d2" and r[2] == 5] == ["2023-09-05"]
    assert sorted(r[5] for r in compiled["constraints"]) == [0, 1]
