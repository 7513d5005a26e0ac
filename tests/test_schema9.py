"""Schema 9: documents_fts keeps no copy of the texts (an external-content FTS5 table over
`documents`); a database of schema 8, whose index held its own copy, is migrated in place
and finds the same documents."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from timeline.schema import SCHEMA_VERSION
from timeline.store import Store

CLI = Callable[..., tuple[int, str, str]]
SCHEMA_8_FTS = "CREATE VIRTUAL TABLE documents_fts USING fts5(id UNINDEXED, title, text)"


def _tables(conn: sqlite3.Connection) -> set[str]:
    return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


@pytest.mark.sqlite_only("FTS5 shadow tables of the SQLite file")
def test_the_index_holds_no_copy_of_the_texts(cli: CLI, seeds: Path, tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    assert cli("--db", str(db), "run", "--quiet", str(seeds))[0] == 0
    with sqlite3.connect(db) as conn:
        assert "documents_fts_content" not in _tables(conn)
        assert "quotes_fts_content" in _tables(conn)  # its rows are a subset: kept as they were
        assert conn.execute("SELECT id, title, text FROM documents_fts ORDER BY rowid"
                            ).fetchall() == conn.execute(
            "SELECT id, title, text FROM documents ORDER BY rowid").fetchall()


@pytest.mark.sqlite_only("migrates an SQLite file in place (PostgreSQL stores are not migrated)")
def test_a_schema_8_database_is_migrated(cli: CLI, seeds: Path, tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    assert cli("--db", str(db), "run", "--quiet", str(seeds))[0] == 0
    word = "zyzzyva"
    first = sorted(seeds.glob("*.txt"))[0]
    first.write_text(first.read_text(encoding="utf-8") + f"\nA {word} parade was held.\n",
                     encoding="utf-8")
    assert cli("--db", str(db), "run", "--quiet", str(seeds))[0] == 0
    _, before, _ = cli("--db", str(db), "search", word)
    with sqlite3.connect(db) as conn:  # the index as schema 8 kept it: a copy of each text
        conn.execute("DROP TABLE documents_fts")
        conn.execute(SCHEMA_8_FTS)
        conn.execute("INSERT INTO documents_fts (rowid, id, title, text) "
                     "SELECT rowid, id, title, text FROM documents")
        conn.execute("PRAGMA user_version = 8")
        assert "documents_fts_content" in _tables(conn)
    code, out, err = cli("--db", str(db), "verify")  # read-only: read as it stands
    assert code == 0, out + err
    Store(db).close()  # opened for writing: migrated
    code, out, err = cli("--db", str(db), "verify")
    assert code == 0, out + err
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert "documents_fts_content" not in _tables(conn)
    code, after, _ = cli("--db", str(db), "search", word)
    assert code == 0 and first.name in after and after == before
