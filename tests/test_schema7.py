"""Schema 7: fact_heads keeps its rows in its primary key (no second copy of every key in
an index), and the log has no run_id index (a run's records are found from its seq range).
A database of schema 6 is migrated in place with the same rows."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from conftest import FIXTURES

from timeline.schema import SCHEMA_VERSION
from timeline.store import connect

HEADS = "SELECT fact_type, key, event_id, retracted FROM fact_heads ORDER BY fact_type, key"
SCHEMA_6_HEADS = """CREATE TABLE fact_heads (
    fact_type TEXT, key TEXT, event_id TEXT, retracted INTEGER, PRIMARY KEY (fact_type, key))"""


def _two_runs(cli: Any, tmp_path: Path) -> Path:
    src = tmp_path / "ferry"
    shutil.copytree(FIXTURES / "ferry", src, ignore=shutil.ignore_patterns("*.json"))
    first = sorted(src.iterdir())[0]
    held = tmp_path / first.name
    first.rename(held)
    assert cli("run", str(src))[0] == 0
    held.rename(first)
    assert cli("run", str(src))[0] == 0
    return src


def _sql_of(conn: sqlite3.Connection, name: str) -> str | None:
    row = conn.execute("SELECT sql FROM sqlite_master WHERE name = ?", (name,)).fetchone()
    return row[0] if row else None


def test_a_run_s_records_are_those_with_its_run_id(cli: Any, tmp_path: Path) -> None:
    _two_runs(cli, tmp_path)
    with connect(cli.db(), readonly=True) as store:
        runs = [r["run_id"] for r in store.runs()]
        assert len(runs) == 2
        for run_id in [*runs, "no-such-run"]:
            want = [r[0] for r in store.conn.execute(
                "SELECT seq FROM log WHERE run_id = ? ORDER BY seq", (run_id,))]
            assert [r.seq for r in store.records(run_id=run_id)] == want
            assert want or run_id == "no-such-run"


@pytest.mark.sqlite_only("migrates an SQLite file in place")
def test_a_database_of_schema_6_is_migrated_in_place(cli: Any, tmp_path: Path) -> None:
    src = _two_runs(cli, tmp_path)
    with sqlite3.connect("timeline.db") as conn:
        want = conn.execute(HEADS).fetchall()
        assert "WITHOUT ROWID" in (_sql_of(conn, "fact_heads") or "")
        assert _sql_of(conn, "log_run") is None
        conn.executescript(
            "ALTER TABLE fact_heads RENAME TO heads_7;" + SCHEMA_6_HEADS + ";"
            "INSERT INTO fact_heads SELECT * FROM heads_7; DROP TABLE heads_7;"
            "CREATE INDEX log_run ON log(run_id); PRAGMA user_version = 6;")
        assert "WITHOUT ROWID" not in (_sql_of(conn, "fact_heads") or "")
    assert cli("run", str(src))[0] == 0
    with sqlite3.connect("timeline.db") as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert "WITHOUT ROWID" in (_sql_of(conn, "fact_heads") or "")
        assert _sql_of(conn, "log_run") is None
        assert conn.execute(HEADS).fetchall() == want
    code, out, err = cli("verify")
    assert code == 0, out + err
