"""Exit codes a scheduler can trust (70 a bug of ours, 74 disk full, 75 busy), and read-only
use of a database on a read-only file, directory or filesystem."""

from __future__ import annotations

import errno
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import SEEDS
from freezegun import freeze_time

import timeline.store as store_mod
from timeline import __version__
from timeline.cli.crash import crash_log_paths
from timeline.store import Store

CLI = Callable[..., tuple[int, str, str]]
READERS = [["show"], ["show", "--format", "json"], ["verify"], ["head"], ["documents"],
           ["log", "--since", "200"], ["search", "summit"], ["stats"], ["runs"],
           ["query", "SELECT count(*) FROM events"], ["export", "--format", "json"],
           ["show", "--as-of", "100"], ["diff", "--from", "100"]]


def boom(*_a: Any, **_k: Any) -> Any:
    raise ValueError("no such value\n\x1b[31mforged line\u202e")


@pytest.fixture
def seeded(cli: CLI, tmp_path: Path) -> Path:
    assert cli("run", "--quiet", *map(str, SEEDS[:3]))[0] == 0
    return tmp_path / "timeline.db"


def test_a_crash_is_70_with_one_line_and_a_traceback_in_the_crash_log(
        cli: CLI, seeded: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # the per-user fallback: private
    monkeypatch.setattr(Store, "snapshot", boom)
    with freeze_time("2026-01-02 03:04:05"):
        code, out, err = cli("show", "--format", "json")
    assert code == 70 and out == ""
    lines = err.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("timeline: internal error: ValueError: no such value")
    assert "\x1b" not in err and "\u202e" not in err  # a message is no way to the terminal
    where = lines[0].rpartition("; traceback in ")[2]
    # beside a database file (timeline.db.crash.log); for a URL, the per-user file
    assert Path(where) == crash_log_paths(cli.db())[0]
    log = (tmp_path / where).read_text()
    assert log.startswith(f"=== 2026-01-02T03:04:05+00:00 timeline {__version__}")
    assert "command: timeline show --format json" in log
    assert "Traceback (most recent call last)" in log and "in boom" in log
    with freeze_time("2026-01-03"):
        cli("show")
    log = (tmp_path / where).read_text()
    assert log.count("=== ") == 2  # appended, never overwritten


def test_a_postgresql_urls_crash_log_is_no_path_made_of_it() -> None:
    """Not `postgresql:/user:secret@host/db.crash.log` relative to the working directory."""
    (where,) = crash_log_paths("postgresql://user:secret@db.example/timeline")
    assert where.parent == Path(tempfile.gettempdir()) and "secret" not in str(where)


def test_the_crash_log_falls_back_to_the_temp_dir(cli: CLI, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    import tempfile

    from timeline import temporal

    monkeypatch.setattr(temporal, "tag", boom)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    # `tag` needs no database; the database's directory does not even exist
    code, _, err = cli("--db", "no/such/dir/t.db", "tag", str(SEEDS[0]))
    assert code == 70
    (log,) = (tmp_path / "tmp").glob("timeline-*.crash.log")
    assert str(log) in err and "ValueError" in log.read_text()


def test_a_crash_is_never_confused_with_rejected_inputs(cli: CLI, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    from timeline import pipeline

    monkeypatch.setattr(pipeline, "reconstruct", boom)
    code, _, err = cli("run", *map(str, SEEDS[:2]))
    assert code == 70 and "internal error: ValueError" in err


def test_disk_full_mid_run_is_74_and_leaves_the_log_whole(
        cli: CLI, seeded: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _, head, _ = cli("head")
    real = Store.append
    calls = [0]

    def append(self: Store, batch: Any, **kw: Any) -> list[int]:
        calls[0] += 1
        if calls[0] == 2:
            raise sqlite3.OperationalError("database or disk is full")
        return real(self, batch, **kw)

    monkeypatch.setattr(Store, "append", append)
    code, _, err = cli("run", *map(str, SEEDS))
    assert code == 74
    assert [ln for ln in err.splitlines() if "disk full" in ln] == [err.splitlines()[-1]]
    assert "Traceback" not in err
    assert not (tmp_path / "timeline.db.crash.log").exists()
    monkeypatch.setattr(Store, "append", real)
    code, out, _ = cli("verify", "--expect-head", head.strip())
    assert code == 0
    assert cli("run", "--quiet", *map(str, SEEDS))[0] == 0  # the next run finishes the job
    assert cli("verify")[0] == 0


@pytest.mark.sqlite_only("SQLite's page limit on the file")
def test_a_really_full_database_is_74_and_verifies(cli: CLI, seeded: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """SQLite itself hits SQLITE_FULL: max_page_count as a tiny disk."""
    _, head, _ = cli("head")
    pages = sqlite3.connect(seeded).execute("PRAGMA page_count").fetchone()[0]
    real = store_mod._connect

    def small_disk(target: str, uri: bool = False) -> sqlite3.Connection:
        conn = real(target, uri)
        if "memory" not in target:
            conn.execute(f"PRAGMA max_page_count = {pages + 10}")
        return conn

    monkeypatch.setattr(store_mod, "_connect", small_disk)
    code, _, err = cli("run", *map(str, SEEDS))
    assert code == 74 and "disk full" in err.splitlines()[-1]
    monkeypatch.setattr(store_mod, "_connect", real)
    code, out, _ = cli("verify", "--expect-head", head.strip())
    assert code == 0


def sqlite_error(msg: str, code: int) -> sqlite3.OperationalError:
    exc = sqlite3.OperationalError(msg)
    exc.sqlite_errorcode = code  # type: ignore[attr-defined]
    return exc


def test_a_real_full_filesystem(tmp_path: Path) -> None:
    """A 600 KB tmpfs, smaller than the seeds' database: ENOSPC inside SQLite."""
    if not _can_mount_ro(tmp_path):
        pytest.skip("needs root and unshare -m to mount a tmpfs")
    mnt = tmp_path / "small"
    mnt.mkdir()
    timeline = f'"{sys.executable}" -m timeline'
    script = (f'mount -t tmpfs -o size=600k tmpfs "{mnt}" && cd "{mnt}" && '
              f'{timeline} run {" ".join(map(str, SEEDS))}; echo "run=$?"; '
              f'{timeline} verify; echo "verify=$?"')
    r = subprocess.run(["unshare", "-m", "sh", "-c", script], capture_output=True, text=True,
                       timeout=300)
    assert "run=74" in r.stdout and "verify=0" in r.stdout, (r.stdout, r.stderr)
    assert [ln for ln in r.stderr.splitlines() if ln.startswith("timeline:")] == [
        "timeline: timeline.db: disk full; the log keeps every batch committed before it "
        "(nothing half-written); free space and run again (database or disk is full)"]


@pytest.mark.parametrize(("exc", "code", "words"), [
    (OSError(errno.ENOSPC, "No space left on device"), 74, "disk full"),
    (sqlite_error("disk I/O error", 10), 74, "I/O error"),
    (sqlite_error("attempt to write a readonly database", 8), 2, "cannot write"),
    (sqlite3.OperationalError("no such column: x"), 70, "internal error"),
    (sqlite3.OperationalError("database is locked"), 75, "database busy"),
])
def test_environment_failures_have_their_own_codes(cli: CLI, seeded: Path,
                                                   monkeypatch: pytest.MonkeyPatch,
                                                   exc: Exception, code: int,
                                                   words: str) -> None:
    def fail(*_a: Any, **_k: Any) -> Any:
        raise exc

    monkeypatch.setattr(Store, "append", fail)
    (seeded.parent / "new.txt").write_text("date 2023-09-20\nThe leaders met on Monday.\n")
    got, _, err = cli("run", str(seeded.parent / "new.txt"))
    assert got == code and words in err.splitlines()[-1]


# ------------------------------------------------------------------ read-only use


def fingerprint(d: Path) -> dict[str, tuple[int, int]]:
    return {p.name: (p.stat().st_size, p.stat().st_mtime_ns) for p in sorted(d.iterdir())}


@pytest.mark.sqlite_only(
    "hand edits of the SQLite file with the sqlite3 shell (PostgreSQL's tamper checks: "
    "tests/test_postgres.py)")
def test_readers_never_write_even_when_projections_are_behind(cli: CLI, seeded: Path) -> None:
    with sqlite3.connect(seeded) as conn:
        conn.execute("UPDATE projection_state SET last_seq = last_seq - 1")
    sqlite3.connect(seeded).close()
    before = sqlite3.connect(seeded).execute("SELECT last_seq FROM projection_state").fetchone()
    for args in READERS:
        cli(*args)
    after = sqlite3.connect(seeded).execute("SELECT last_seq FROM projection_state").fetchone()
    assert after == before  # no catch-up from a reader
    code, _, err = cli("verify")
    assert code == 1 and "projections at seq" in err


@pytest.mark.sqlite_only("SQLite's immutable reads of a file in a read-only directory")
def test_readers_fall_back_to_immutable(cli: CLI, seeded: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """mode=ro refused (as on a read-only directory without the -shm file): immutable=1."""
    real = store_mod._connect

    def no_shm(target: str, uri: bool = False) -> sqlite3.Connection:
        if "mode=ro" in target:
            raise sqlite_error("unable to open database file", 14)
        return real(target, uri)

    monkeypatch.setattr(store_mod, "_connect", no_shm)
    for args in READERS:
        code, out, err = cli(*args)
        assert code == 0, (args, err)
        if args[0] != "diff":
            assert err.splitlines()[0] == \
                "timeline: timeline.db: read immutable (its directory cannot be written)"
    with Store(seeded, readonly=True) as store:
        assert store.immutable and store.uri.endswith("?immutable=1")


def _unshare_ro(src: Path, mnt: Path, argv: list[str]) -> subprocess.CompletedProcess[str]:
    script = f'mount --bind -o ro "{src}" "{mnt}" && cd "{mnt}" && exec "$@"'
    return subprocess.run(["unshare", "-m", "sh", "-c", script, "sh", *argv],
                          capture_output=True, text=True, timeout=120,
                          env={**os.environ, "NO_COLOR": "1"})


def _can_mount_ro(tmp_path: Path) -> bool:
    if not shutil.which("unshare") or os.geteuid() != 0:
        return False
    (tmp_path / "probe").mkdir()
    (tmp_path / "probe-mnt").mkdir()
    try:
        r = _unshare_ro(tmp_path / "probe", tmp_path / "probe-mnt", ["true"])
    except (OSError, subprocess.SubprocessError):
        return False
    return r.returncode == 0


@pytest.mark.sqlite_only("a read-only file system under the SQLite file")
def test_a_read_only_filesystem(cli: CLI, seeded: Path, tmp_path: Path) -> None:
    if not _can_mount_ro(tmp_path):
        pytest.skip("needs root and unshare -m for a read-only bind mount")
    src, mnt = seeded.parent, tmp_path / "mnt"
    mnt.mkdir()
    for p in src.glob("timeline.db-*"):
        p.unlink()  # a cleanly closed database: no -shm to share, none can be created
    before = fingerprint(src)
    timeline = [sys.executable, "-m", "timeline"]
    for args in READERS:
        r = _unshare_ro(src, mnt, [*timeline, *args])
        assert r.returncode == 0, (args, r.stderr)
        assert "Traceback" not in r.stderr
    r = _unshare_ro(src, mnt, [*timeline, "verify"])
    assert r.stdout.startswith("ok ") and "read immutable" in r.stderr
    for args in (["run", str(SEEDS[3])], ["rebuild"]):
        r = _unshare_ro(src, mnt, [*timeline, *args])
        assert r.returncode == 2 and len(r.stderr.splitlines()) == 1, r.stderr
        assert "writable directory" in r.stderr
    assert fingerprint(src) == before


def _as_nobody() -> list[str] | None:
    if os.geteuid() != 0 or not shutil.which("setpriv"):
        return None
    return ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]


@pytest.mark.sqlite_only("file permissions of the SQLite file")
def test_a_read_only_file_in_a_directory_we_may_write(tmp_path: Path, seeded: Path) -> None:
    """chmod 0444 as a user permission bits apply to: readers work, writers get one line."""
    nobody = _as_nobody()
    if nobody is None:
        pytest.skip("needs root (to run as nobody) and setpriv")
    reach = subprocess.run([*nobody, sys.executable, "-c", "import timeline"], cwd="/",
                           capture_output=True, text=True, timeout=60)
    if reach.returncode != 0:  # e.g. a checkout under a 0700 `mktemp -d` directory
        pytest.skip(f"nobody cannot import timeline from this checkout: {reach.stderr[-200:]}")
    d = Path(os.environ.get("TMPDIR", "/tmp")) / f"timeline-ro-{os.getpid()}"
    d.mkdir()
    try:
        shutil.copy(seeded, d / "timeline.db")
        os.chown(d, 65534, 65534)
        os.chown(d / "timeline.db", 65534, 65534)
        (d / "timeline.db").chmod(0o444)

        def run(*args: str) -> subprocess.CompletedProcess[str]:
            return subprocess.run([*nobody, sys.executable, "-m", "timeline", *args], cwd=d,
                                  capture_output=True, text=True, timeout=120)

        for args in (["show"], ["verify"], ["export", "--format", "json"]):
            r = run(*args)
            assert r.returncode == 0, r.stderr
        for args in (["run", str(d)], ["rebuild"]):
            r = run(*args)
            assert r.returncode == 2 and len(r.stderr.splitlines()) == 1, r.stderr
            assert "cannot write the database" in r.stderr
        d.chmod(0o555)
        r = run("verify")
        assert r.returncode == 0 and r.stdout.startswith("ok "), r.stderr
    finally:
        d.chmod(0o755)
        shutil.rmtree(d)
