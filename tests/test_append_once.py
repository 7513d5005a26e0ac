"""An append leaves the duplicate check to the database (log_no_replace refuses an existing
event_id); a batch holding a fact the log has already is written again, probed, with the
same result as before: the new facts only, in order, chained."""

from __future__ import annotations

from pathlib import Path

import pytest

from timeline import events as ev
from timeline.store import Store, connect

AT = "2024-01-01T00:00:00+00:00"


def _rejected(i: int) -> ev.DocumentRejected:
    return ev.DocumentRejected(path=f"in/{i}.txt", reason="empty file", sha256=None)


def test_facts_already_logged_are_skipped_in_any_batch(store_db: str) -> None:
    with connect(store_db) as store:
        assert store.append([_rejected(0), _rejected(1), _rejected(0)], recorded_at=AT) == [1, 2]
        # one of three known: refused unprobed, written again probed
        assert store.append([_rejected(1), _rejected(2), _rejected(3)], recorded_at=AT) == [3, 4]
        assert store.append([_rejected(4)], recorded_at=AT) == [5]  # probed (duplicates met)
        assert store.append([_rejected(4), _rejected(0)], recorded_at=AT) == []
        assert store.append([_rejected(5)], recorded_at=AT) == [6]
        paths = [r.event().path for r in store.records()]
        assert paths == [f"in/{i}.txt" for i in range(6)]
        assert store.verify().ok


@pytest.mark.sqlite_only("the SQLite store's unprobed first attempt")
def test_a_refused_attempt_leaves_nothing_behind(tmp_path: Path) -> None:
    with Store(tmp_path / "t.db") as store:
        store.append([_rejected(i) for i in range(3)], recorded_at=AT)
        store._met_duplicates = False  # as a fresh process would
        assert store.append([_rejected(7), _rejected(2)], recorded_at=AT) == [4]
        assert store._met_duplicates
        assert [r.seq for r in store.records()] == [1, 2, 3, 4]
        assert store.conn.execute("SELECT count(*) FROM rejections").fetchone()[0] == 4
        assert store.verify().ok
