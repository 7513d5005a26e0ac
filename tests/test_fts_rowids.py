"""FTS rows are keyed by the rowid of the row they index, so the fold deletes them by rowid
(no scan of the index per document or event); schema 1 databases are migrated to that."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from timeline.schema import SCHEMA_VERSION
from timeline.store import Store

CLI = Callable[..., tuple[int, str, str]]


def aligned(db: Path) -> None:
    """Every FTS row has the rowid and the content of its row, and no FTS row is orphaned."""
    with sqlite3.connect(db) as conn:
        docs = conn.execute("SELECT rowid, id, title, text FROM documents ORDER BY 1").fetchall()
        fts = conn.execute("SELECT rowid, id, title, text FROM documents_fts ORDER BY 1").fetchall()
        assert docs and fts == docs
        # the quotes of shown events are searched (salience 4 or more; see salience.py)
        src = conn.execute("SELECT s.rowid, s.event, s.document, s.quote FROM event_sources s "
                           "JOIN events e ON e.id = s.event WHERE e.salience >= 4 "
                           "ORDER BY 1").fetchall()
        quotes = conn.execute("SELECT rowid, event, document, quote FROM quotes_fts "
                              "ORDER BY 1").fetchall()
        assert src and quotes == src


@pytest.mark.sqlite_only("FTS5 rowids of the SQLite file")
def test_revisions_keep_the_indexes_aligned(cli: CLI, seeds: Path, tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    assert cli("--db", str(db), "run", "--quiet", str(seeds))[0] == 0
    aligned(db)
    first = sorted(seeds.glob("*.txt"))[0]
    first.write_text(first.read_text(encoding="utf-8") + "\nA zyzzyva parade was held on "
                     "Monday.\n", encoding="utf-8")
    assert cli("--db", str(db), "run", "--quiet", str(seeds))[0] == 0
    aligned(db)
    code, out, _ = cli("--db", str(db), "search", "zyzzyva")
    assert code == 0 and first.name in out
    assert cli("--db", str(db), "verify")[0] == 0


@pytest.mark.sqlite_only(
    "migrates an old SQLite file in place (PostgreSQL stores are not migrated)")
def test_a_schema_1_database_is_migrated(cli: CLI, seeds: Path, tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    assert cli("--db", str(db), "run", "--quiet", str(seeds))[0] == 0
    with sqlite3.connect(db) as conn:  # as schema 1 wrote them: rowids of their own
        for table, cols in (("documents_fts", "id, title, text"),
                            ("quotes_fts", "event, document, quote")):
            rows = conn.execute(f"SELECT {cols} FROM {table}").fetchall()
            conn.execute(f"DELETE FROM {table}")
            conn.executemany(f"INSERT INTO {table} (rowid, {cols}) VALUES (?, ?, ?, ?)",
                             [(1000 + 7 * i, *r) for i, r in enumerate(rows)])
        conn.execute("PRAGMA user_version = 1")
    Store(db).close()
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    aligned(db)
    assert cli("--db", str(db), "verify")[0] == 0
    first = sorted(seeds.glob("*.txt"))[0]
    first.write_text(first.read_text(encoding="utf-8") + "\nMore on Tuesday.\n",
                     encoding="utf-8")
    assert cli("--db", str(db), "run", "--quiet", str(seeds))[0] == 0
    aligned(db)
