"""`timeline run --jobs N`: the per-document stages in worker processes, the log the same as
in one process; a worker that dies or hangs costs its document only."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import FIXTURES
from tests.storesql import rows
from timeline.cli.pool import Lost, OrderedPool

CLI = Callable[..., tuple[int, str, str]]


def facts(db: str) -> list[tuple[Any, ...]]:
    """The log apart from what a clock or a run id makes different."""
    return rows(db, "SELECT event_id, type, stream, data FROM log WHERE type NOT IN "
                "('RunStarted', 'RunFinished') ORDER BY seq")


def test_the_log_is_the_same_with_two_workers(cli: CLI, tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    shutil.copytree(FIXTURES, docs)
    (docs / "zz_broken.txt").write_bytes(b"")
    runs: dict[int, list[Any]] = {}
    for jobs in (1, 2):
        db = tmp_path / f"j{jobs}.db"
        first = sorted(docs.rglob("*.txt"))[3]
        text = first.read_text(encoding="utf-8")
        code, _, err = cli("--db", str(db), "run", "--jobs", str(jobs), str(docs))
        assert code == 1 and "zz_broken.txt" in err  # the broken file is rejected either way
        first.write_text(text + "\nTwo days later, on Friday, talks resumed.\n",
                         encoding="utf-8")
        (docs / "zz_new.txt").write_text("date 2023-09-20\n\nA storm hit the coast on Monday.\n",
                                         encoding="utf-8")
        assert cli("--db", str(db), "run", "--jobs", str(jobs), str(docs))[0] == 1
        first.write_text(text, encoding="utf-8")
        (docs / "zz_new.txt").unlink()
        runs[jobs] = facts(cli.db(db))
        assert cli("--db", str(db), "verify")[0] == 0
    assert len(runs[1]) > 900
    assert runs[2] == runs[1]


@pytest.mark.parametrize("value", ["0", "-1", "two"])
def test_jobs_must_be_a_positive_number(cli: CLI, tmp_path: Path, value: str) -> None:
    with pytest.raises(SystemExit) as exc:
        cli("run", "--jobs", value, str(tmp_path))
    assert exc.value.code == 2


@pytest.fixture(autouse=True)
def _cli_signals() -> Any:
    """As after any command of the CLI: SIGPIPE at its default (it kills the process)."""
    import signal

    previous = signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    yield
    signal.signal(signal.SIGPIPE, previous)


def _pool(timeout: float = 20.0) -> OrderedPool:
    # eval runs in any worker: each task is the expression a worker evaluates
    return OrderedPool(2, eval, lambda _task: timeout)


def test_results_come_in_the_order_submitted() -> None:
    pool = _pool()
    tasks = [f"__import__('time').sleep({0.3 if i % 3 == 0 else 0}) or {i}" for i in range(12)]
    try:
        for t in tasks:
            pool.submit(t)
        assert [pool.next(t) for t in tasks] == list(range(12))
    finally:
        pool.close()


def test_a_worker_that_dies_loses_its_task_only() -> None:
    pool = _pool()
    tasks = ["1", "2", "__import__('os')._exit(3)", "4", "None", "6"]
    try:
        for t in tasks:
            pool.submit(t)
        got = [pool.next(t) for t in tasks]
    finally:
        pool.close()
    assert got[:2] == [1, 2] and got[3:] == [4, None, 6]
    assert isinstance(got[2], Lost) and got[2].error == "WorkerDied"
    assert pool.restarts >= 1


def test_a_worker_that_hangs_is_lost_after_its_timeout() -> None:
    pool = _pool(timeout=2.0)
    tasks = ["1", "__import__('time').sleep(600)", "3"]
    try:
        for t in tasks:
            pool.submit(t)
        got = [pool.next(t) for t in tasks]
    finally:
        pool.close()
    assert got[0] == 1 and got[2] == 3
    assert isinstance(got[1], Lost) and got[1].error == "TooSlow"


def _children(pid: int) -> set[int]:
    out = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            out.add(int(stat.parent.name))
    return out


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")
def test_workers_end_when_the_run_is_killed(tmp_path: Path) -> None:
    """SIGKILL leaves the run no chance to stop its workers: they must notice themselves."""
    import os
    import signal
    import subprocess
    import sys
    import time

    docs = tmp_path / "docs"
    shutil.copytree(FIXTURES, docs)
    proc = subprocess.Popen([sys.executable, "-m", "timeline", "--db", str(tmp_path / "t.db"),
                             "run", "--jobs", "2", str(docs)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        workers: set[int] = set()
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and len(workers) < 2 and proc.poll() is None:
            time.sleep(0.2)
            servers = _children(proc.pid)
            workers = {w for s in servers for w in _children(s)} | set()
        if proc.poll() is not None:
            pytest.skip("the run ended before its workers were seen")
        assert workers
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and any(map(_alive, workers | servers)):
            time.sleep(0.2)
        assert not [p for p in workers | servers if _alive(p)]
    finally:
        if proc.poll() is None:
            proc.kill()


_MID_SEND = """
import sys, time
from timeline.cli.pool import Lost, OrderedPool
die = "__import__('tests.pool_faults', fromlist=['die_mid_send']).die_mid_send()"
pool = OrderedPool(2, eval, lambda _task: 20.0)
if sys.argv[1] == "next":
    tasks = ["1", die, "3"]
    for t in tasks:
        pool.submit(t)
    got = [pool.next(t) for t in tasks]
    assert got[0] == 1 and got[2] == 3, got
    assert isinstance(got[1], Lost) and got[1].error == "WorkerDied", got
    pool.close()
else:
    pool.submit(die)
    while not pool._dead():
        time.sleep(0.05)
    pool.close(kill=True)
print("ended", flush=True)
"""


@pytest.mark.parametrize("how", ["next", "kill"])
def test_a_worker_killed_while_sending_its_result_blocks_nothing(how: str) -> None:
    """The worker dies halfway through writing a large result (tests/pool_faults.py): the
    document is lost alone and the pool goes on ("next"), and a pool killed then (a run's
    stop, "kill") ends at once; either way the process exits (the interpreter's exit joins
    the executor's thread). In a child process, so that a hang is a failure, not a stuck
    suite; before the fix "next" waited out its 20 s limit and then forever."""
    import subprocess
    import sys

    from tests.conftest import ROOT

    out = subprocess.run([sys.executable, "-c", _MID_SEND, how], cwd=ROOT, timeout=60,
                         capture_output=True, text=True)
    assert out.returncode == 0 and out.stdout == "ended\n", out.stderr
