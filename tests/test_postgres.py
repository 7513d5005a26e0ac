"""PostgreSQL as the log store, against a real server (tests/pgcluster.py): the contract
enforced by the server, the same results as SQLite on the same input, two writers, the lock."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, ROOT
from tests.test_store import AT, SAMPLES
from timeline import events as ev
from timeline.store import StoreError, connect

psycopg = pytest.importorskip("psycopg")

Cli = Callable[..., tuple[int, str, str]]


def _as(url: str, user: str) -> str:
    """The same database as another role (the test cluster trusts local connections)."""
    scheme, rest = url.split("//", 1)
    return f"{scheme}//{user}@{rest.split('@', 1)[1]}"


def _sql(url: str, *statements: str) -> None:
    with psycopg.connect(url, autocommit=True) as conn:
        for s in statements:
            conn.execute(s)


@pytest.fixture
def filled(pg_url: str) -> str:
    with connect(pg_url) as store:
        store.append(SAMPLES, recorded_at=AT, run_id="r1")
    return pg_url


def test_triggers_refuse_update_delete_truncate_even_for_the_owner(filled: str) -> None:
    for sql in ("UPDATE log SET data = '{}' WHERE seq = 1", "DELETE FROM log WHERE seq = 1",
                "TRUNCATE log", "TRUNCATE log CASCADE",
                "INSERT INTO log SELECT * FROM log WHERE seq = 1 "
                "ON CONFLICT (seq) DO UPDATE SET data = '{}'"):
        with pytest.raises(psycopg.errors.RaiseException, match="append-only"):
            _sql(filled, sql)
    with connect(filled, readonly=True) as store:
        assert store.head() == len(SAMPLES)
        assert store.verify().ok


def test_verify_names_what_was_tampered_with(filled: str) -> None:
    _sql(filled, "ALTER TABLE log DISABLE TRIGGER log_no_update")
    with connect(filled, readonly=True) as store:
        assert "log_no_update is disabled" in store.verify().message
    _sql(filled, "UPDATE log SET data = replace(data, 'empty file', 'fine') WHERE seq = 4",
         "ALTER TABLE log ENABLE TRIGGER log_no_update")
    with connect(filled, readonly=True) as store:
        result = store.verify()
    assert not result.ok
    assert "seq 4: hash mismatch" in result.message
    _sql(filled, "CREATE OR REPLACE FUNCTION log_refuse() RETURNS trigger LANGUAGE plpgsql "
                 "AS $$ BEGIN RETURN NEW; END $$")
    with connect(filled, readonly=True) as store:
        assert "was altered" in store.verify().message


def test_verify_finds_an_edited_projection(filled: str) -> None:
    _sql(filled, "UPDATE events SET title = 'edited'")
    with connect(filled, readonly=True) as store:
        result = store.verify()
    assert not result.ok
    assert "projection events differs" in result.message


def test_roles_writer_inserts_only_reader_reads(pg_url: str, cli: Cli, seeds: Path) -> None:
    from timeline.store.postgres import grants

    with connect(pg_url):  # the owner creates the schema
        pass
    w, r = (f"{pg_url.rsplit('/', 1)[1]}_{role}" for role in ("writer", "reader"))
    _sql(pg_url, f"CREATE ROLE {w} LOGIN", f"CREATE ROLE {r} LOGIN", grants(w, r))
    writer, reader = _as(pg_url, w), _as(pg_url, r)
    code, _, err = cli("--db", writer, "run", str(seeds), "--jobs", "1")
    assert code == 0, err
    for sql in ("UPDATE log SET data = '{}'", "DELETE FROM log", "TRUNCATE log",
                "DROP TABLE log", "ALTER TABLE log DISABLE TRIGGER ALL"):
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            _sql(writer, sql)
    code, out, _ = cli("--db", reader, "show", "--format", "json")
    assert code == 0 and json.loads(out)["events"]
    code, out, _ = cli("--db", reader, "verify")
    assert code == 0 and out.startswith("ok ")
    (seeds / "new.txt").write_text("date 2024-03-01\nThe council met on Monday.\n")
    code, _, err = cli("--db", reader, "run", str(seeds), "--jobs", "1")
    assert code == 2 and "permission denied" in err and "Traceback" not in err


def test_fixtures_give_the_same_results_in_both_stores(pg_url: str, cli: Cli, seeds: Path,
                                                       tmp_path: Path) -> None:
    lite = str(tmp_path / "lite.db")
    for db in (lite, pg_url):
        code, _, err = cli("--db", db, "run", str(seeds), "--jobs", "1")
        assert code == 0, err
    commands = [["show", "--format", "json"], ["show", "--all", "--format", "json"],
                ["show", "--as-of", "300", "--format", "json"], ["diff", "--from", "300"],
                ["documents", "--format", "json"], ["stories"], ["entities"]]
    commands += [["export", "--format", f] for f in
                 ("json", "csv", "timesketch", "timelinejs")]
    commands += [["export", "--format", "timeline-task", "--entity", "Putin"],
                 ["show", "--entity", "Putin", "--format", "json"]]
    for args in commands:
        a, b = cli("--db", lite, *args), cli("--db", pg_url, *args)
        assert a[0] == b[0] == 0, (args, a[2], b[2])
        assert a[1] == b[1], args
    for db, where in ((lite, tmp_path / "tml-lite"), (pg_url, tmp_path / "tml-pg")):
        assert cli("--db", db, "export", "--format", "timeml", "-o", str(where))[0] == 0
    files = sorted(p.name for p in (tmp_path / "tml-lite").iterdir())
    assert files and files == sorted(p.name for p in (tmp_path / "tml-pg").iterdir())
    for name in files:
        assert (tmp_path / "tml-lite" / name).read_bytes() == \
            (tmp_path / "tml-pg" / name).read_bytes()
    assert json.loads(cli("--db", pg_url, "show", "--format", "json")[1])["events"]
    heads = [cli("--db", db, "head")[1] for db in (lite, pg_url)]
    assert heads[0].split(":")[0] == heads[1].split(":")[0]  # as many rows (times differ)
    assert cli("--db", pg_url, "verify")[0] == 0


def test_search_stems_per_language(pg_url: str) -> None:
    quote = {"document": "d1", "quote": "Putin and Kim held talks in Vostochny",
             "start": 0, "end": 36, "lang": "en"}
    es = {"document": "d2", "quote": "Las cumbres de Moscú", "start": 0, "end": 20,
          "lang": "es"}
    batch = [ev.EventFormed(event=name, story="s", kind="talks", title=name, start=None,
                            end=None, granularity=None, status="occurred", rank=1, place=None,
                            participants=[], sources=[src], engine="e", salience=6)
             for name, src in (("E1", quote), ("E2", es))]
    with connect(pg_url) as store:
        store.append(batch, recorded_at=AT)
    with connect(pg_url, readonly=True) as store:
        assert [e["id"] for e in store.search("talk")[0]] == ["E1"]  # english stems
        assert [e["id"] for e in store.search("cumbre")[0]] == ["E2"]  # spanish stems
        assert [e["id"] for e in store.search('"held talks"')[0]] == ["E1"]
        assert store.search("Putin NOT Kim")[0] == []
        assert [e["id"] for e in store.search("Vost*")[0]] == ["E1"]
        assert "[" in store.search("talks")[0][0]["snippet"]
        with pytest.raises(Exception, match="cannot search"):
            store.search("Putin AND")


def test_user_sql_is_read_only_and_stops(filled: str, cli: Cli) -> None:
    code, out, _ = cli("--db", filled, "query", "SELECT count(*) AS n FROM log",
                       "--format", "json")
    assert code == 0 and str(len(SAMPLES)) in out
    code, _, err = cli("--db", filled, "query", "DELETE FROM events")
    assert code == 2 and "read-only" in err
    code, _, err = cli("--db", filled, "query", "SELECT 1; DELETE FROM events")
    assert code == 2 and "query failed" in err
    code, _, err = cli("--db", filled, "query", "SELECT pg_sleep(30)", "--timeout", "0.5")
    assert code == 2 and "timed out" in err
    with connect(filled, readonly=True) as store:
        assert store.rows("SELECT count(*) AS n FROM events")[0]["n"] == 1


WRITER = """
import sys
from timeline import events as ev
from timeline.store import StoreError, connect
url, who, batches = sys.argv[1], sys.argv[2], int(sys.argv[3])
with connect(url) as store:
    for b in range(batches):
        store.append([ev.DocumentRejected(path=f"{who}/{b}/{i}.txt", reason="empty file",
                                          sha256=None) for i in range(50)],
                     recorded_at="2024-01-01T00:00:00+00:00", run_id=who)
"""


def test_two_writers_in_two_processes_never_fork_the_chain(pg_url: str) -> None:
    with connect(pg_url):
        pass
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    procs = [subprocess.Popen([sys.executable, "-c", WRITER, pg_url, who, "20"], env=env)
             for who in ("a", "b")]
    assert [p.wait(timeout=300) for p in procs] == [0, 0]
    with connect(pg_url, readonly=True) as store:
        result = store.verify()
        assert result.ok, result.message
        assert store.head() == 2 * 20 * 50
        runs = [r.run_id for r in store.records()]
    # batches are whole: each run of one writer's rows is a multiple of a batch
    switches = [i for i in range(1, len(runs)) if runs[i] != runs[i - 1]]
    assert all(i % 50 == 0 for i in switches)


def test_second_run_waits_then_exits_75(pg_url: str, cli: Cli, seeds: Path) -> None:
    from timeline.store.postgres import WriterLock

    lock = WriterLock(pg_url, "run held-by-test")
    try:
        assert lock.try_acquire()
        code, _, err = cli("--db", pg_url, "run", str(seeds), "--wait", "0.3")
        assert code == 75
        assert "holds the lock" in err and "held-by-test" in err
    finally:
        lock.close()
    code, _, err = cli("--db", pg_url, "run", str(seeds), "--jobs", "1", "--wait", "5")
    assert code == 0, err


def test_refuses_a_database_that_is_not_a_timeline(pg_url: str, cli: Cli) -> None:
    _sql(pg_url, "CREATE TABLE invoices (id int)")
    code, _, err = cli("--db", pg_url, "show")
    assert code == 2 and "not a timeline database" in err
    code, _, err = cli("--db", _as(pg_url, "nobody_here"), "show")
    assert code == 2 and "cannot open database" in err and "Traceback" not in err


def test_copy_command_between_stores(pg_url: str, cli: Cli, tmp_path: Path) -> None:
    lite = str(tmp_path / "a.db")
    assert cli("--db", lite, "run", str(sorted(FIXTURES.glob("*.txt"))[0]),
               "--jobs", "1")[0] == 0
    code, out, err = cli("copy", "--from", lite, "--to", pg_url)
    assert code == 0, err
    assert out.split("head ")[1].strip() == cli("--db", lite, "head")[1].strip()
    code, _, err = cli("copy", "--from", lite, "--to", pg_url)
    assert code == 2 and "empty destination" in err


def _client(name: str) -> str:
    """A PostgreSQL client program (pg_dump, pg_restore) of the newest installed version,
    the server's own in the test cluster (scripts/pg_cluster.sh)."""
    import glob
    import shutil

    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"),
                   key=lambda p: int(p.split("/")[4]) if p.split("/")[4].isdigit() else 0)
    path = found[-1] if found else shutil.which(name)
    if path is None:
        if os.environ.get("TIMELINE_REQUIRE_POSTGRES") == "1":
            pytest.fail(f"TIMELINE_REQUIRE_POSTGRES=1 but no {name}")
        pytest.skip(f"no {name} (apt-get install postgresql-client)")
    return path


def test_a_restored_older_dump_verifies_alone_and_fails_the_kept_head(
        pg_url: str, pg_server: str, cli: Cli, seeds: Path, tmp_path: Path) -> None:
    """docs/deploy.md's backups, as written there: `pg_dump`, later runs and `timeline
    head` kept elsewhere; the dump restored into a new database is internally consistent
    (`verify` passes) and only `verify --expect-head` with the kept head finds it truncated."""
    from tests import pgcluster

    first, later = tmp_path / "first", seeds  # two seeds, then the other three
    first.mkdir()
    for f in sorted(seeds.iterdir())[:2]:
        f.rename(first / f.name)
    assert cli("--db", pg_url, "run", "--quiet", "--jobs", "1", str(first))[0] == 0
    dumped = cli("--db", pg_url, "head")[1].strip()
    dump = tmp_path / "newsroom.dump"
    subprocess.run([_client("pg_dump"), "--format=custom", f"--file={dump}", pg_url],
                   check=True, capture_output=True, timeout=120)
    assert cli("--db", pg_url, "run", "--quiet", "--jobs", "1", str(later))[0] == 0
    kept = cli("--db", pg_url, "head")[1].strip()
    assert int(kept.split(":")[0]) > int(dumped.split(":")[0])

    restored, name = pgcluster.with_database(pg_server)
    try:
        subprocess.run([_client("pg_restore"), "--exit-on-error", f"--dbname={restored}",
                        str(dump)], check=True, capture_output=True, timeout=120)
        code, out, err = cli("--db", restored, "verify")
        assert code == 0 and out.endswith(f"head {dumped}\n"), err
        code, _, err = cli("--db", restored, "verify", "--expect-head", kept)
        assert code == 1 and len(err.splitlines()) == 1
        assert (f"the log ends at seq {dumped.split(':')[0]}, before the expected head "
                f"{kept.split(':')[0]}: history was truncated") in err
        assert cli("--db", restored, "verify", "--expect-head", dumped)[0] == 0
        # and the restored store works on: the next run completes it
        assert cli("--db", restored, "run", "--quiet", "--jobs", "1", str(later))[0] == 0
        assert cli("--db", restored, "verify")[0] == 0
    finally:
        pgcluster.drop_database(pg_server, name)


def test_a_refused_open_leaves_no_server_connection(pg_url: str) -> None:
    _sql(pg_url, "CREATE TABLE invoices (id int)")
    name = pg_url.rsplit("/", 1)[1]
    for readonly in (False, True):
        with pytest.raises(StoreError, match="not a timeline database") as refused:
            connect(pg_url, readonly=readonly)
        assert refused.traceback  # kept, as a caller's handler keeps it: not the store
        with psycopg.connect(pg_url, autocommit=True) as conn:
            left = conn.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = %s "
                                "AND application_name = 'timeline'", (name,)).fetchone()[0]
        assert left == 0, readonly
