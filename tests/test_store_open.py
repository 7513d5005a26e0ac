"""A store that refuses to open closes the connection it made at once. Left open until the
garbage collector reaches it (the refusal's traceback holds the opening frame), an idle
SQLite connection in a long-lived process was seen to make that process's later
connections read a database a `--every` loop writes as "malformed"; a PostgreSQL one holds a
server connection (tests/test_postgres.py)."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest

import timeline.store as store_mod
from timeline.store import Store, StoreError


def _closed(conn: sqlite3.Connection) -> bool:
    try:
        conn.execute("SELECT 1")
    except sqlite3.ProgrammingError:  # "Cannot operate on a closed database."
        return True
    return False


@pytest.fixture
def made(monkeypatch: pytest.MonkeyPatch) -> list[sqlite3.Connection]:
    """Every connection the store opens from here on."""
    conns: list[sqlite3.Connection] = []
    real = store_mod._connect

    def recording(*args: Any, **kw: Any) -> sqlite3.Connection:
        conns.append(real(*args, **kw))
        return conns[-1]

    monkeypatch.setattr(store_mod, "_connect", recording)
    return conns


def test_a_refused_open_closes_its_connection(tmp_path: Path, made: list[sqlite3.Connection],
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "t.db"
    Store(db).close()
    made.clear()

    def malformed(self: Store) -> None:
        raise sqlite3.DatabaseError("database disk image is malformed")

    monkeypatch.setattr(Store, "_check_schema", malformed)
    for readonly in (False, True):
        with pytest.raises(StoreError, match="cannot open database: database disk image"):
            Store(db, readonly=readonly)
    assert len(made) == 2 and all(_closed(c) for c in made)


def test_an_empty_file_refused_to_a_reader_leaves_no_connection(
        tmp_path: Path, made: list[sqlite3.Connection]) -> None:
    empty = tmp_path / "empty.db"
    empty.write_bytes(b"")
    with pytest.raises(StoreError, match="empty database"):
        Store(empty, readonly=True)
    assert made and all(_closed(c) for c in made)
