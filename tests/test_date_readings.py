"""The `date_readings` projection: the dates that competed for each document's date (the
readings a DocumentDated record keeps), so that people reading the tables see why a
document got its date; folded with the date, reproduced by `rebuild`, filled in by the
migration of a database from before it existed."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from conftest import FIXTURES

from tests.storesql import rows
from timeline.schema import SCHEMA_VERSION

ROWS = ("SELECT document, rank, value, chosen, votes, contradictions, evidence, event_id, seq "
        "FROM date_readings ORDER BY document, rank")


def _run_ferry(cli: Any, tmp_path: Path) -> Path:
    src = tmp_path / "ferry"
    shutil.copytree(FIXTURES / "ferry", src, ignore=shutil.ignore_patterns("*.json"))
    code, _, err = cli("run", str(src))
    assert code == 0, err
    return src


def _from_log(db: str) -> dict[str, list[dict[str, Any]]]:
    """Each document's readings as its current DocumentDated record holds them."""
    return {doc: json.loads(data)["readings"] for doc, data in rows(
        db, "SELECT d.document, l.data FROM document_dates d JOIN log l "
        "ON l.event_id = d.event_id")}


def test_the_readings_of_each_date_are_rows(cli: Any, tmp_path: Path) -> None:
    """The ferry set: the Spanish report's date was chosen among competing readings; each
    is a row, the chosen one first and marked, with its contradictions and evidence."""
    _run_ferry(cli, tmp_path)
    got_rows = rows(cli.db(), ROWS)
    logged = _from_log(cli.db())
    dates = dict(rows(cli.db(), "SELECT id, date FROM documents"))
    competed = {doc: rs for doc, rs in logged.items() if len(rs) > 1}
    assert competed, logged
    by_doc: dict[str, list[tuple[Any, ...]]] = {}
    for r in got_rows:
        by_doc.setdefault(r[0], []).append(r)
    assert set(by_doc) == {d for d, rs in logged.items() if rs}
    for doc, readings in logged.items():
        got = by_doc.get(doc, [])
        assert [r[2] for r in got] == [x["date"] for x in readings]
        assert [r[3] for r in got] == [int(x["date"] == dates[doc]) for x in readings]
        assert [json.loads(r[5]) for r in got] == [x["contradictions"] for x in readings]
        assert [r[4] for r in got] == [x.get("votes") for x in readings]
    for doc in competed:
        assert by_doc[doc][0][3] == 1 and by_doc[doc][0][2] == dates[doc]
        assert sum(r[3] for r in by_doc[doc]) == 1


def test_rebuild_reproduces_the_readings(cli: Any, tmp_path: Path) -> None:
    _run_ferry(cli, tmp_path)
    before = rows(cli.db(), ROWS)
    assert before
    assert cli("rebuild")[0] == 0
    assert rows(cli.db(), ROWS) == before


@pytest.mark.sqlite_only(
    "migrates an old SQLite file in place (PostgreSQL stores are not migrated)")
def test_a_database_of_schema_5_gains_the_readings(cli: Any, tmp_path: Path) -> None:
    """A database from before the table: the migration creates it and fills it from the
    log's current dates, the same rows a fold gives; the events gain their series column."""
    src = _run_ferry(cli, tmp_path)
    with sqlite3.connect("timeline.db") as conn:
        want = conn.execute(ROWS).fetchall()
        conn.executescript("DROP TABLE date_readings; ALTER TABLE events DROP COLUMN series; "
                           "PRAGMA user_version = 5;")
    code, _, err = cli("run", str(src))
    assert code == 0, err
    with sqlite3.connect("timeline.db") as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert conn.execute(ROWS).fetchall() == want
        assert "series" in {r[1] for r in conn.execute("PRAGMA table_info(events)")}
    code, out, err = cli("verify")
    assert code == 0, out + err


def test_a_retracted_date_takes_its_readings_along() -> None:
    from timeline import projections

    stmts = projections.fold({"seq": 9, "event_id": "x", "type": "FactRetracted",
                              "data": {"fact_type": "DocumentDated", "key": "d1", "prev": "p"}})
    assert ("DELETE FROM date_readings WHERE document = ?", ("d1",)) in stmts
