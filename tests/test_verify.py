"""`verify` proves something: projections against a fresh fold, the guards' SQL, the head
(`--expect-head`, `head`), one snapshot while a run appends; `rebuild` takes the lock."""

from __future__ import annotations

import re
import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import SEEDS
from filelock import FileLock

from tests.storesql import rows
from timeline import events as ev
from timeline.cli import main
from timeline.schema import TRIGGERS
from timeline.store import Store, chain, connect, row_hash
from timeline.store.copy import copy_log

AT = "2024-01-01T00:00:00+00:00"
CLI = Callable[..., tuple[int, str, str]]


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database of the five seed articles, built once; tests work on copies."""
    d = tmp_path_factory.mktemp("seeded")
    assert main(["--db", str(d / "seed.db"), "run", "--quiet", *map(str, SEEDS)]) == 0
    return d / "seed.db"


@pytest.fixture
def db(seeded: Path, tmp_path: Path, request: pytest.FixtureRequest) -> Path:
    """A copy of the seeded database as `timeline.db`; for a test that runs the CLI under
    --store postgres, the same log copied (timeline.store.copy) into the database the CLI's
    `timeline.db` stands for, so that the test reads the seeded log there too."""
    dst = tmp_path / "timeline.db"
    with sqlite3.connect(seeded) as a, sqlite3.connect(dst) as b:
        a.backup(b)
    if "cli" in request.fixturenames and request.config.getoption("--store") == "postgres":
        url = request.getfixturevalue("cli").db()
        with connect(seeded, readonly=True) as src, connect(url) as to:
            assert copy_log(src, to).ok
    return dst


def edit(db: Path, *sql: str | tuple[str, tuple[Any, ...]]) -> None:
    """Hand edits, as someone with the sqlite3 shell would make them."""
    conn = sqlite3.connect(db)
    for st in sql:
        conn.execute(*((st,) if isinstance(st, str) else st))
    conn.commit()
    conn.close()


def head_of(db: str | Path) -> tuple[int, str]:
    """The last row's seq and hash: of a SQLite file, or of the store `cli.db()` names."""
    ((seq, digest),) = rows(db, "SELECT seq, hash FROM log ORDER BY seq DESC LIMIT 1")
    return seq, digest


def test_verify_prints_the_full_head_and_head_prints_it_alone(cli: CLI, db: Path) -> None:
    seq, digest = head_of(cli.db())
    code, out, err = cli("verify")
    assert code == 0 and err == ""
    assert out == f"ok {seq} events; head {seq}:{digest}\n"
    assert re.fullmatch(r"[0-9a-f]{64}", digest)
    code, out, _ = cli("head")
    assert code == 0 and out == f"{seq}:{digest}\n"
    code, out, _ = cli("verify", "--expect-head", f"{seq}:{digest.upper()}")
    assert code == 0 and out.startswith(f"ok {seq} events")


@pytest.mark.parametrize(("sql", "table", "how"), [
    ("UPDATE events SET title = 'forged' WHERE rowid = 1", "events", "1 row missing, 1 extra"),
    ("DELETE FROM timexes WHERE rowid = (SELECT min(rowid) FROM timexes)", "timexes",
     "1 row missing, 0 extra"),
    ("INSERT INTO rejections VALUES ('x.txt', 'r', NULL, 1, NULL)", "rejections",
     "0 rows missing, 1 extra"),
    # its rows are read from `documents` (external content): the index itself differs
    ("UPDATE documents_fts SET title = 'forged' WHERE rowid = 1", "documents_fts",
     "its index: "),
    ("INSERT INTO documents_fts (rowid, id, title, text) VALUES (1, 'x', 'forged', 'forged')",
     "documents_fts", "entries missing, 2 extra"),
    ("INSERT INTO events (id) VALUES (NULL), (NULL)", "events", "0 rows missing, 1 extra"),
    ("ALTER TABLE constraints ADD COLUMN note TEXT", "constraints", "columns are (key, "),
    ("DROP TABLE conflicts", "conflicts", "the table is missing"),
])
@pytest.mark.sqlite_only(
    "hand edits of the SQLite file with the sqlite3 shell (PostgreSQL's tamper checks: "
    "tests/test_postgres.py)")
def test_a_hand_edited_projection_fails_naming_the_table(cli: CLI, db: Path, sql: str,
                                                          table: str, how: str) -> None:
    edit(db, sql)
    code, out, err = cli("verify")
    assert code == 1 and out == ""
    assert len(err.splitlines()) == 1
    assert f"projection {table} differs from a fresh fold of the log" in err and how in err


@pytest.mark.sqlite_only(
    "hand edits of the SQLite file with the sqlite3 shell (PostgreSQL's tamper checks: "
    "tests/test_postgres.py)")
def test_a_duplicated_row_is_counted(cli: CLI, db: Path) -> None:
    """rejections has no key: a copy of a true row is only seen when rows are counted."""
    with Store(db) as store:
        store.append([rejected(1)], recorded_at=AT)
    assert cli("verify")[0] == 0
    edit(db, "INSERT INTO rejections SELECT * FROM rejections")
    code, _, err = cli("verify")
    assert code == 1 and "projection rejections" in err and "1 row missing, 1 extra" in err


@pytest.mark.sqlite_only(
    "hand edits of the SQLite file with the sqlite3 shell (PostgreSQL's tamper checks: "
    "tests/test_postgres.py)")
def test_a_no_op_trigger_with_the_right_name_fails(cli: CLI, db: Path) -> None:
    edit(db, "DROP TRIGGER log_no_delete",
         "CREATE TRIGGER log_no_delete BEFORE DELETE ON log BEGIN SELECT 1; END")
    code, _, err = cli("verify")
    assert code == 1 and "trigger log_no_delete was altered" in err
    edit(db, "DROP TRIGGER log_no_delete", TRIGGERS["log_no_delete"])
    # the original DDL, whatever its whitespace, is the guard again
    assert cli("verify")[0] == 0
    edit(db, "CREATE TRIGGER sneaky AFTER INSERT ON log BEGIN SELECT 1; END")
    code, _, err = cli("verify")
    assert code == 1 and "unexpected trigger sneaky" in err


@pytest.mark.sqlite_only(
    "hand edits of the SQLite file with the sqlite3 shell (PostgreSQL's tamper checks: "
    "tests/test_postgres.py)")
def test_a_weakened_log_table_or_view_fails(cli: CLI, db: Path) -> None:
    edit(db, "DROP VIEW timeline", "CREATE VIEW timeline AS SELECT * FROM events WHERE 0")
    code, _, err = cli("verify")
    assert code == 1 and "view timeline" in err


@pytest.mark.sqlite_only(
    "hand edits of the SQLite file with the sqlite3 shell (PostgreSQL's tamper checks: "
    "tests/test_postgres.py)")
def test_truncated_tail_with_edited_projection_state_fails(cli: CLI, db: Path) -> None:
    seq, digest = head_of(db)
    edit(db, "DROP TRIGGER log_no_delete", f"DELETE FROM log WHERE seq > {seq - 3}",
         f"UPDATE projection_state SET last_seq = {seq - 3}", TRIGGERS["log_no_delete"])
    code, _, err = cli("verify")
    assert code == 1 and "differs from a fresh fold" in err
    code, _, err = cli("verify", "--expect-head", f"{seq}:{digest}")
    assert code == 1 and len(err.splitlines()) == 1
    assert f"the log ends at seq {seq - 3}, before the expected head {seq}" in err
    assert "truncated" in err


@pytest.mark.sqlite_only(
    "hand edits of the SQLite file with the sqlite3 shell (on PostgreSQL a truncated log is "
    "an older pg_dump restored: tests/test_postgres.py)")
def test_a_consistent_truncation_needs_the_kept_head(cli: CLI, db: Path) -> None:
    """Truncate and rebuild: internally consistent, so only a head kept elsewhere tells."""
    _, kept, _ = cli("head")
    seq, _ = head_of(db)
    edit(db, "DROP TRIGGER log_no_delete", f"DELETE FROM log WHERE seq > {seq - 5}",
         TRIGGERS["log_no_delete"])
    assert cli("rebuild")[0] == 0
    code, out, _ = cli("verify")
    assert code == 0 and f"ok {seq - 5} events" in out
    code, _, err = cli("verify", "--expect-head", kept.strip())
    assert code == 1 and "truncated" in err
    code, _, err = cli("verify", "--expect-head", f"{seq - 5}:{head_of(db)[1]}")
    assert code == 0


@pytest.mark.sqlite_only(
    "hand edits of the SQLite file with the sqlite3 shell (PostgreSQL's tamper checks: "
    "tests/test_postgres.py)")
def test_history_rewritten_with_recomputed_hashes_fails_expect_head(cli: CLI, db: Path) -> None:
    seq, digest = head_of(db)
    conn = sqlite3.connect(db)
    conn.execute("DROP TRIGGER log_no_update")
    rows = conn.execute("SELECT seq, event_id, type, version, stream, data, recorded_at, run_id "
                        "FROM log ORDER BY seq").fetchall()
    prev = chain.GENESIS
    for s, eid, type_, version, stream, data, recorded_at, run_id in rows:
        if s == 2:
            recorded_at = "1999-01-01T00:00:00+00:00"  # the forger's change
        h = row_hash(prev, s, eid, type_, version, stream, recorded_at, run_id, data)
        conn.execute("UPDATE log SET recorded_at = ?, prev_hash = ?, hash = ? WHERE seq = ?",
                     (recorded_at, prev, h, s))
        prev = h
    conn.execute(TRIGGERS["log_no_update"])
    conn.commit()
    conn.close()
    assert cli("rebuild")[0] == 0
    assert cli("verify")[0] == 0  # what verify alone cannot see, as documented
    code, _, err = cli("verify", "--expect-head", f"{seq}:{digest}")
    assert code == 1 and f"seq {seq} has hash" in err and "rewritten" in err


def test_an_earlier_head_still_verifies_after_more_runs(cli: CLI, db: Path,
                                                        tmp_path: Path) -> None:
    _, kept, _ = cli("head")
    extra = tmp_path / "more"
    extra.mkdir()
    (extra / "x.txt").write_text("date 2023-09-20\nThe leaders met again on Monday.\n")
    cli("run", str(extra))
    code, out, _ = cli("verify", "--expect-head", kept.strip())
    assert code == 0 and out.split("head ")[1].strip() != kept.strip()


@pytest.mark.parametrize("spec", ["12", "12:abc", "x:" + "0" * 64, "12:" + "g" * 64])
def test_a_malformed_expect_head_is_a_usage_error(cli: CLI, db: Path, spec: str) -> None:
    code, _, err = cli("verify", "--expect-head", spec)
    assert code == 2 and len(err.splitlines()) == 1 and "SEQ:HASH" in err


def test_an_empty_log_has_the_genesis_head(cli: CLI, tmp_path: Path) -> None:
    connect(cli.db()).close()
    assert cli("head")[1] == f"0:{chain.GENESIS}\n"
    assert cli("verify")[1] == f"ok 0 events; head 0:{chain.GENESIS}\n"


def rejected(i: int) -> Any:
    return ev.DocumentRejected(path=f"p{i}.txt", reason="concurrent writer", sha256=None)


def test_verify_reads_one_snapshot_while_a_run_appends(db: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """Batches committed between verify's reads (after the chain walk, after the fold) are
    not seen: no false "projections behind", no false difference."""
    seq, _ = head_of(db)
    real_walk, real_replay = chain._check_chain, chain.replay

    def append(n: int) -> None:
        with Store(db) as writer:
            writer.append([rejected(n + i) for i in range(50)], recorded_at=AT)

    def walk_then_append(*args: Any) -> tuple[int, str]:
        head = real_walk(*args)
        append(0)
        return head

    def replay_then_append(conn: sqlite3.Connection, **kw: Any) -> int:
        last = real_replay(conn, **kw)
        append(50)
        return last

    monkeypatch.setattr(chain, "_check_chain", walk_then_append)
    monkeypatch.setattr(chain, "replay", replay_then_append)
    with Store(db, readonly=True) as store:
        result = store.verify()
    assert result.ok, result.message
    assert result.count == seq
    monkeypatch.undo()
    with Store(db, readonly=True) as store:
        assert store.verify().count == seq + 100


def test_verify_stays_ok_under_a_writer_thread(db: Path) -> None:
    stop = threading.Event()
    errors: list[BaseException] = []

    def writer() -> None:
        try:
            with Store(db) as w:
                i = 0
                while not stop.is_set():
                    w.append([rejected(i), rejected(i + 1)], recorded_at=AT)
                    i += 2
        except BaseException as exc:  # reported by the assertion below
            errors.append(exc)

    t = threading.Thread(target=writer)
    t.start()
    try:
        results = []
        with Store(db, readonly=True) as store:
            for _ in range(4):
                results.append(store.verify())
    finally:
        stop.set()
        t.join(timeout=60)
    assert not errors
    assert all(r.ok for r in results), [r.message for r in results if not r.ok]
    assert results[-1].count > results[0].count or head_of(db)[0] > results[0].count


@pytest.mark.sqlite_only(
    "holds the SQLite store's lock file (PostgreSQL's is an advisory lock)")
def test_rebuild_takes_the_run_lock(cli: CLI, db: Path, tmp_path: Path) -> None:
    (tmp_path / "timeline.db.lock.info").write_text("run 20250101T000000Z-abcdef, pid 4242\n")
    before = head_of(db)
    with FileLock(str(tmp_path / "timeline.db.lock")):
        code, out, err = cli("rebuild", "--wait", "0.2")
    assert code == 75 and out == ""
    assert len(err.splitlines()) == 1 and "20250101T000000Z-abcdef" in err
    assert "gave up after 0.2s" in err
    assert head_of(db) == before
    code, out, _ = cli("rebuild")
    assert code == 0 and f"from {before[0]} events" in out
    assert (tmp_path / "timeline.db.lock.info").read_text().startswith("rebuild, pid ")


@pytest.mark.sqlite_only(
    "holds the SQLite store's lock file (PostgreSQL's is an advisory lock)")
def test_a_run_waits_for_a_rebuild(cli: CLI, db: Path, tmp_path: Path) -> None:
    from timeline.cli.lock import hold_lock

    with hold_lock(tmp_path / "timeline.db", 0, "rebuild"):
        code, _, err = cli("run", str(SEEDS[0]), "--wait", "0.1")
    assert code == 75 and "(rebuild, pid " in err
