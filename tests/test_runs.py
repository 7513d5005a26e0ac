"""Scheduled re-runs: locking, the --every loop, hostile input, foreign databases."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import SEEDS
from filelock import FileLock
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.storesql import rows, value
from timeline import ingest


@pytest.mark.sqlite_only(
    "holds the SQLite store's lock file (PostgreSQL's lock is an advisory lock: "
    "tests/test_postgres.py)")
def test_a_second_run_waits_then_exits_75_naming_the_holder(cli: Any, tmp_path: Path) -> None:
    (tmp_path / "timeline.db.lock.info").write_text("run 20250101T000000Z-abcdef, pid 4242\n")
    with FileLock(str(tmp_path / "timeline.db.lock")):
        code, _, err = cli("run", str(SEEDS[0]), "--wait", "0.2")
    assert code == 75
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "20250101T000000Z-abcdef" in lines[0] and "lock" in lines[0]
    assert not (tmp_path / "timeline.db").exists()  # locked out before touching the database


def test_every_loop_stops_cleanly_on_sigterm(tmp_path: Path,
                                             child_db: Callable[[Path], str]) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    for f in SEEDS[:2]:
        (docs / f.name).write_bytes(f.read_bytes())
    db = child_db(tmp_path / "t.db")
    # the interval counts from a round's start: it must outlast a round on a loaded machine,
    # or the next round starts at once and the signal cuts one short (exit 143)
    proc = subprocess.Popen([sys.executable, "-m", "timeline", "--db", db, "run",
                             "--every", "30s", str(docs)], stderr=subprocess.PIPE, text=True)
    # the rounds are followed by their summary lines, not by reading the store while the
    # loop writes it
    lines = _lines_of(proc)
    _wait_for(proc, lines, lambda: any(" files (" in line for line in lines))
    (docs / SEEDS[2].name).write_bytes(SEEDS[2].read_bytes())  # picked up by a later round
    # that round done, however long it takes under load: the signal lands while it waits
    _wait_for(proc, lines, lambda: any("3 files (1 new" in line for line in lines))
    proc.send_signal(signal.SIGTERM)
    proc.wait(timeout=60)
    err = "".join(lines)
    assert proc.returncode == 0, err
    assert "stopping after the current batch" in err
    assert value(db, "SELECT count(*) FROM documents") == 3
    assert value(db, "SELECT count(*) FROM runs WHERE finished_at IS NULL") == 0
    verify = subprocess.run([sys.executable, "-m", "timeline", "--db", db, "verify"],
                            capture_output=True, text=True)
    assert verify.returncode == 0


def _lines_of(proc: subprocess.Popen[str]) -> list[str]:
    """The child's stderr lines as they come (read by a thread)."""
    lines: list[str] = []

    def read() -> None:
        assert proc.stderr is not None
        for line in proc.stderr:
            lines.append(line)

    threading.Thread(target=read, daemon=True).start()
    return lines


def _wait_for(proc: subprocess.Popen[str], lines: list[str], done: Callable[[], bool]) -> None:
    """Until the looping process has got that far (a hang guard, not a timing assertion)."""
    deadline = time.monotonic() + 180
    while not done():
        assert proc.poll() is None, f"the loop ended early: {''.join(lines)}"
        if time.monotonic() > deadline:
            proc.kill()
            raise AssertionError(f"the loop never got there: {''.join(lines)}")
        time.sleep(0.2)


@pytest.mark.sqlite_only("hostile SQLite files")
def test_foreign_corrupt_newer_databases_are_refused_untouched(cli: Any, tmp_path: Path) -> None:
    foreign = tmp_path / "foreign.db"
    c = sqlite3.connect(foreign)
    c.execute("CREATE TABLE customers (id)")
    c.commit()
    c.close()
    corrupt = tmp_path / "corrupt.db"
    corrupt.write_bytes(b"SQLite format 3\x00" + b"\x07" * 5000)
    newer = tmp_path / "newer.db"
    cli("--db", str(newer), "run", str(SEEDS[0]))
    c = sqlite3.connect(newer)
    c.execute("PRAGMA user_version = 99")
    c.commit()
    c.close()
    for db, words in ((foreign, "not a timeline database"), (corrupt, "database"),
                      (newer, "newer")):
        before = db.read_bytes()
        code, _, err = cli("--db", str(db), "run", str(SEEDS[1]))
        assert code == 2, err
        assert words in err and "Traceback" not in err
        assert len(err.strip().splitlines()) == 1
        assert db.read_bytes() == before


def test_links_loops_and_vanishing_files(cli: Any, tmp_path: Path) -> None:
    d = tmp_path / "in"
    d.mkdir()
    (d / "good.txt").write_text("Leaders met on Wednesday.")
    os.symlink("..", d / "loop")
    os.symlink(d / "gone.txt", d / "dangling.txt")
    code, _, err = cli("run", str(d))
    assert code == 1
    assert "dangling.txt: cannot read" in err
    assert "loop" in err and "Traceback" not in err
    assert value(cli.db(), "SELECT count(*) FROM documents") == 1


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=2000))
def test_any_bytes_parse_or_are_rejected_cleanly(raw: bytes) -> None:
    try:
        p = ingest.parse("x.txt", raw)
    except ingest.IngestError as exc:
        assert str(exc) and "\n" not in str(exc)
        return
    assert 0 <= p.body_start <= len(p.text)
    assert p.text[p.body_start:].strip()


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=2000))
def test_any_text_ingests_and_tags(text: str) -> None:
    from timeline.temporal import tag

    try:
        p = ingest.parse("x.html" if "<" in text else "x.txt", text.encode("utf-8"))
    except ingest.IngestError:
        return
    for t in tag(p.text, p.header.get("date"), p.language):
        assert p.text[t.start:t.end] == t.text


def test_a_new_engine_version_rederives_and_is_recorded(cli: Any, seeds: Path,
                                                        monkeypatch: Any) -> None:
    from timeline.cli import run as run_module

    cli("run", str(seeds))
    head = value(cli.db(), "SELECT max(seq) FROM log")
    monkeypatch.setattr(run_module, "engine_version", lambda: "9.9.9+test")
    code, _, err = cli("run", str(seeds))
    assert code == 0
    new = rows(cli.db(), "SELECT type FROM log WHERE seq > ? ORDER BY seq", (head,))
    # same rules, same results: only the run itself is recorded, with its engine
    assert [t for (t,) in new] == ["RunStarted", "RunFinished"]
    assert value(cli.db(), "SELECT engine FROM runs ORDER BY first_seq DESC") == "9.9.9+test"
    code, _, err = cli("run", str(seeds))  # and the next run is a no-op again
    assert "0 log records appended" in err
