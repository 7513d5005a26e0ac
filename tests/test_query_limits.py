"""`timeline query` under limits: a timeout, a row limit, Ctrl-C, streamed rows, refused
ATTACH / PRAGMA writes / file functions, and BLOBs in every format."""

from __future__ import annotations

import base64
import csv
import io
import json
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.storesql import rows
from timeline.cli import query as query_cli

ENDLESS = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c) SELECT x FROM c"
COUNT_ENDLESS = ("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c) "
                 "SELECT count(*) FROM c")


@pytest.fixture
def db(cli: Any, seeds: Path, tmp_path: Path) -> Path:
    code, _, err = cli("run", str(seeds))
    assert code == 0, err
    return tmp_path / "timeline.db"


def one_line(err: str) -> str:
    assert "Traceback" not in err
    lines = err.splitlines()
    assert len(lines) == 1, err
    return lines[0]


@pytest.mark.parametrize("sql", [ENDLESS, COUNT_ENDLESS])
def test_a_query_that_never_ends_times_out(cli: Any, db: Path, sql: str) -> None:
    code, _out, err = cli("query", sql, "--timeout", "0.5", "--format", "jsonl")
    assert code == 2
    assert one_line(err) == "timeline: query timed out after 0.5 s (see --timeout)"


def test_rows_are_written_as_they_come(cli: Any, db: Path) -> None:
    """Before the timeout stops it, the endless query has already written rows, in order:
    nothing waits for a result that is never complete."""
    code, out, _err = cli("query", ENDLESS, "--timeout", "0.5", "--format", "jsonl")
    assert code == 2
    lines = out.splitlines()
    assert len(lines) > 100
    assert [json.loads(x)["x"] for x in lines[:100]] == list(range(1, 101))


def test_limit_caps_the_rows_of_an_endless_query(cli: Any, db: Path) -> None:
    for fmt, parse in (("jsonl", lambda o: [json.loads(x)["x"] for x in o.splitlines()]),
                       ("json", lambda o: [r["x"] for r in json.loads(o)]),
                       ("csv", lambda o: [int(r[0]) for r in list(csv.reader(io.StringIO(o)))[1:]]),
                       ("table", lambda o: [int(x) for x in o.split()[1:]])):
        code, out, err = cli("query", ENDLESS, "--limit", "5", "--format", fmt)
        assert code == 0 and err == "", (fmt, err)
        assert parse(out) == [1, 2, 3, 4, 5], fmt
    code, out, _ = cli("query", "SELECT id FROM documents", "--limit", "0", "--format", "json")
    assert code == 0 and json.loads(out) == []


def test_the_table_format_shows_a_bounded_number_of_rows(cli: Any, db: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(query_cli, "TABLE_ROWS", 50)
    code, out, err = cli("query", ENDLESS)
    assert code == 0
    assert [int(x) for x in out.split()[1:]] == list(range(1, 51))
    assert "the table shows the first 50 rows" in one_line(err)


def test_streamed_json_is_the_same_document_as_before(cli: Any, db: Path) -> None:
    sql = "SELECT id, path, title, chars, date FROM documents ORDER BY path"
    want = [dict(zip(["id", "path", "title", "chars", "date"], r, strict=True))
            for r in rows(cli.db(), sql)]
    code, out, _ = cli("query", sql, "--format", "json")
    assert code == 0 and out == json.dumps(want, ensure_ascii=False, indent=2) + "\n"
    code, out, _ = cli("query", sql, "--format", "jsonl")
    assert [json.loads(x) for x in out.splitlines()] == want


@pytest.mark.parametrize(("sql", "refused"), [
    ("ATTACH 'file:{tmp}/made.db?mode=rwc' AS x", "ATTACH"),
    ("ATTACH DATABASE '{tmp}/made.db' AS x", "ATTACH"),
    ("DETACH DATABASE main", "DETACH"),
    ("PRAGMA query_only = OFF", "PRAGMA query_only with a value"),
    ("PRAGMA user_version = 77", "PRAGMA user_version with a value"),
    ("PRAGMA journal_mode = DELETE", "PRAGMA journal_mode with a value"),
    ("PRAGMA wal_checkpoint(TRUNCATE)", "PRAGMA wal_checkpoint with a value"),
    ("PRAGMA optimize", "PRAGMA optimize"),
    ("SELECT load_extension('{tmp}/evil')", "load_extension()"),
])
@pytest.mark.sqlite_only(
    "user SQL in SQLite's own dialect or SQLite's authorizer (PRAGMA, ATTACH, zeroblob, "
    "char(), recursive CTE, bytes as text)")
def test_user_sql_cannot_reach_outside_the_database(cli: Any, db: Path, tmp_path: Path,
                                                     sql: str, refused: str) -> None:
    target = tmp_path / "elsewhere"
    target.mkdir()
    code, out, err = cli("query", sql.format(tmp=target))
    assert code == 2 and out == ""
    assert one_line(err) == f"timeline: query failed: {refused} is not allowed in queries"
    assert list(target.iterdir()) == []  # no file was created
    assert sqlite3.connect(db).execute("PRAGMA user_version").fetchone()[0] != 77


@pytest.mark.sqlite_only(
    "user SQL in SQLite's own dialect or SQLite's authorizer (PRAGMA, ATTACH, zeroblob, "
    "char(), recursive CTE, bytes as text)")
def test_reading_pragmas_still_work(cli: Any, db: Path) -> None:
    code, out, _ = cli("query", "PRAGMA table_info(events)", "--format", "jsonl")
    assert code == 0 and "title" in {json.loads(x)["name"] for x in out.splitlines()}
    code, out, _ = cli("query", "SELECT name FROM pragma_table_info('documents')",
                       "--format", "jsonl")
    assert code == 0 and {"name": "path"} in [json.loads(x) for x in out.splitlines()]
    code, out, _ = cli("query", "PRAGMA user_version", "--format", "jsonl")
    assert code == 0 and json.loads(out)["user_version"] > 0


@pytest.mark.sqlite_only(
    "user SQL in SQLite's own dialect or SQLite's authorizer (PRAGMA, ATTACH, zeroblob, "
    "char(), recursive CTE, bytes as text)")
def test_as_of_still_works_and_refuses_attach_too(cli: Any, db: Path, tmp_path: Path) -> None:
    """`--as-of` ATTACHes the database itself; only the user's SQL is refused."""
    head = sqlite3.connect(db).execute("SELECT max(seq) FROM log").fetchone()[0]
    code, out, err = cli("query", "SELECT max(seq) AS s FROM log", "--as-of", str(head // 2),
                         "--format", "jsonl")
    assert code == 0, err
    assert json.loads(out) == {"s": head // 2}
    code, _, err = cli("query", f"ATTACH '{tmp_path}/x.db' AS x", "--as-of", "3")
    assert code == 2 and "ATTACH is not allowed in queries" in one_line(err)
    assert not (tmp_path / "x.db").exists()
    code, _, err = cli("query", ENDLESS, "--as-of", "3", "--timeout", "0.3", "--format", "csv")
    assert code == 2 and "timed out" in one_line(err)


BLOBS = "SELECT X'00ff10' AS b, zeroblob(2) AS z, 'plain' AS t, NULL AS n"


@pytest.mark.sqlite_only(
    "user SQL in SQLite's own dialect or SQLite's authorizer (PRAGMA, ATTACH, zeroblob, "
    "char(), recursive CTE, bytes as text)")
def test_blobs_print_in_every_format(cli: Any, db: Path) -> None:
    code, out, err = cli("query", BLOBS, "--format", "json")
    assert code == 0, err
    row = json.loads(out)[0]
    assert base64.b64decode(row["b"]["$base64"]) == b"\x00\xff\x10"
    assert row["z"] == {"$base64": "AAA="} and row["t"] == "plain" and row["n"] is None
    code, out, _ = cli("query", BLOBS, "--format", "jsonl")
    assert json.loads(out) == row
    code, out, _ = cli("query", BLOBS, "--format", "csv")
    assert list(csv.reader(io.StringIO(out))) == [["b", "z", "t", "n"],
                                                  ["X'00ff10'", "X'0000'", "plain", ""]]
    for fmt in ("table", "markdown"):
        code, out, err = cli("query", BLOBS, "--format", fmt)
        assert code == 0 and "X'00ff10'" in out and err == "", fmt
    # the hex form is the SQL literal: it pastes back into a query
    code, out, _ = cli("query", "SELECT X'00ff10' = X'00ff10' AS same", "--format", "jsonl")
    assert json.loads(out) == {"same": 1}


@pytest.mark.sqlite_only(
    "user SQL in SQLite's own dialect or SQLite's authorizer (PRAGMA, ATTACH, zeroblob, "
    "char(), recursive CTE, bytes as text)")
def test_text_that_is_not_utf8_does_not_raise(cli: Any, db: Path) -> None:
    code, out, err = cli("query", "SELECT CAST(X'41ff42' AS TEXT) AS t", "--format", "jsonl")
    assert code == 0, err
    assert json.loads(out) == {"t": "A\ufffdB"}


def test_csv_cells_that_a_spreadsheet_would_run_are_neutralised(cli: Any, db: Path) -> None:
    code, out, _ = cli("query", "SELECT '=HYPERLINK(\"x\")' AS a, '+1' AS b, '@SUM(A1)' AS c, "
                       "-3 AS d, 'fine' AS e", "--format", "csv")
    assert list(csv.reader(io.StringIO(out)))[1] == ["'=HYPERLINK(\"x\")", "'+1", "'@SUM(A1)",
                                                     "-3", "fine"]


@pytest.mark.parametrize("value", ["-1", "x", "nan"])
def test_limit_and_timeout_must_be_numbers_of_zero_or_more(cli: Any, db: Path,
                                                           value: str) -> None:
    for flag in ("--limit", "--timeout"):
        if flag == "--limit" and value == "nan":
            continue
        with pytest.raises(SystemExit) as exit_:
            cli("query", "SELECT 1", flag, value)
        assert exit_.value.code == 2


@pytest.mark.parametrize(("sig", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_ctrl_c_stops_a_running_query_cleanly(cli: Any, db: Path, sig: int, code: int) -> None:
    store = cli.db()
    proc = subprocess.Popen([sys.executable, "-m", "timeline", "--db", store, "query",
                             ENDLESS, "--timeout", "0", "--format", "jsonl"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    assert json.loads(proc.stdout.readline()) == {"x": 1}  # the query is running
    proc.send_signal(sig)
    out, err = proc.communicate(timeout=30)  # a hang guard, not a timing assertion
    assert proc.returncode == code, err
    assert one_line(err) == "timeline: query interrupted"
    assert out.endswith("\n") or out == ""  # stopped between rows


def test_streamed_markdown_neutralises_terminal_escapes(cli: Any, db: Path) -> None:
    # the controls in the SQL text itself: the same statement in both stores' SQL
    code, out, _ = cli("query", "SELECT '\x1b[31mred\x1b]8;;http://x\x07' AS t",
                       "--format", "markdown")
    assert code == 0 and "red" in out
    assert "\x1b" not in out and "\x07" not in out


@pytest.mark.parametrize(("sql", "streams"), [
    ("SELECT 1", True),
    ("  -- a comment\n (WITH x AS (SELECT 1) SELECT * FROM x)", True),
    ("/* one */ values (1), (2)", True),
    ("TABLE documents", True),
    ("SHOW search_path", False),
    ("EXPLAIN SELECT 1", False),
    ("", False),
])
def test_postgres_streams_the_queries_declare_takes(sql: str, streams: bool) -> None:
    """On PostgreSQL a query streams through a server-side cursor (DECLARE); what DECLARE
    refuses goes through a client cursor and is read whole."""
    from timeline.store.postgres import declarable

    assert declarable(sql) is streams
