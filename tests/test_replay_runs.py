"""Replay finds the log's runs of one type and version by querying for where each run ends
(store.apply._log_runs); the runs must be those a read of every row gives, in any range."""

from __future__ import annotations

import sqlite3

import pytest

from timeline.store.apply import _log_runs, _runs

# seq -> (type, version): runs of one, a long run, a version change inside one type
LOG = [("A", 1), ("A", 1), ("B", 1), ("A", 1), ("A", 2), ("A", 2), ("C", 1), ("C", 1),
       ("C", 1), ("B", 1)]


@pytest.fixture
def conn() -> sqlite3.Connection:
    c = sqlite3.connect(":memory:")
    c.execute("CREATE TABLE log (seq INTEGER PRIMARY KEY, type TEXT, version INTEGER)")
    c.executemany("INSERT INTO log VALUES (?, ?, ?)",
                  [(i + 1, t, v) for i, (t, v) in enumerate(LOG)])
    return c


@pytest.mark.parametrize(("since", "until"), [(0, None), (0, 10), (2, None), (3, 6), (4, 5),
                                              (9, None), (10, None), (5, 5)])
def test_runs_are_those_every_row_gives(conn: sqlite3.Connection, since: int,
                                        until: int | None) -> None:
    rows = [(s, t, v) for s, (t, v) in enumerate(LOG, 1)
            if s > since and (until is None or s <= until)]
    assert _log_runs(conn, "log", since, until) == _runs(rows)


def test_a_gap_in_the_seqs_does_not_join_runs_across_it(conn: sqlite3.Connection) -> None:
    conn.execute("DELETE FROM log WHERE seq = 3")  # the B between two runs of A
    got = _log_runs(conn, "log", 0, None)
    # the A records around the gap may fold as one range: no other record lies between
    assert [r[:3] for r in got][:2] == [["A", 1, 1], ["A", 2, 5]]
    assert got[-1] == ["B", 1, 10, 10]
