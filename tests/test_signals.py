"""SIGTERM/SIGINT during `run`: the first stops after the current batch (whole documents land,
the run stays unfinished, the next run completes it), the second stops at once; the log is
whole either way. The runs are real `timeline` processes over a generated corpus."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT

from tests.storesql import value
from timeline import events as ev
from timeline import pipeline
from timeline.cli.signals import Interrupted, StopFlag, deferred, exit_code, stopping
from timeline.engine import engine_version
from timeline.store import Store, StoreError, connect, is_url

sys.path.insert(0, str(ROOT / "scripts"))
import corpus

N_DOCS = 250  # more than two batches of BATCH_DOCS


def timeline(db: str | Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "timeline", "--db", str(db), *args],
                          capture_output=True, text=True, timeout=120)


def start_run(db: str | Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "timeline", "--db", str(db), "run", *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def log_count(db: str | Path, where: str = "1") -> int:
    if is_url(db):  # a PostgreSQL store (`cli.db()` or `child_db` under --store postgres)
        try:
            return int(value(db, f"SELECT count(*) FROM log WHERE {where}"))
        except StoreError:  # the run has not made its tables yet
            return 0
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
            return conn.execute(f"SELECT count(*) FROM log WHERE {where}").fetchone()[0]
    except sqlite3.Error:  # not created yet
        return 0


def wait_for(db: str | Path, where: str, proc: subprocess.Popen[str]) -> None:
    """Until the running process has committed a record matching `where` (a hang guard,
    not a timing assertion)."""
    deadline = time.monotonic() + 90
    while log_count(db, where) == 0:
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline, "the run never landed a batch"
        time.sleep(0.02)


@pytest.fixture(scope="module")
def docs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("corpus") / "docs"
    corpus.write(d, N_DOCS)
    return d


@pytest.fixture(scope="module")
def reference(docs: Path, tmp_path_factory: pytest.TempPathFactory) -> Any:
    """The timeline of an uninterrupted run over the same corpus."""
    db = tmp_path_factory.mktemp("ref") / "ref.db"
    assert timeline(db, "run", "--quiet", str(docs)).returncode == 0
    return json.loads(timeline(db, "show", "--format", "json").stdout)


def assert_whole(db: str | Path) -> int:
    """`verify` is ok and every document in the log has all its time expressions (they were
    appended in the document's transaction). Returns how many documents landed."""
    check = timeline(db, "verify")
    assert check.returncode == 0, check.stderr
    engine = engine_version()
    with connect(db, readonly=True) as store:
        rows = store.documents()
        for row in rows:
            doc = pipeline.Doc(row["id"], row["path"], row["language"], row["header"],
                               row["text"], row["body_start"], row["title"])
            want = {ev.fact_key(f) for f in
                    pipeline.timex_facts(doc, pipeline.header_date(doc), engine)}
            _heads, live = store.facts_of("TimexFound", doc.id + ":")
            assert set(live) == want, row["path"]
    return len(rows)


def test_sigterm_stops_after_the_current_batch_and_the_next_run_completes(
        docs: Path, reference: Any, tmp_path: Path, child_db: Callable[[Path], str]) -> None:
    db = child_db(tmp_path / "t.db")  # under --store postgres, against the SQLite reference
    proc = start_run(db, str(docs))
    wait_for(db, "type = 'DocumentIngested'", proc)
    proc.send_signal(signal.SIGTERM)
    _out, err = proc.communicate(timeout=60)
    assert proc.returncode == 143, err
    assert err.count("timeline: signal 15: stopping after the current batch\n") == 1
    assert "Traceback" not in err and "stopped by a signal" in err
    landed = assert_whole(db)
    assert 0 < landed < N_DOCS  # stopped at a batch, not at the end of the corpus
    assert log_count(db, "type = 'RunFinished'") == 0  # the run is left unfinished

    rerun = timeline(db, "run", str(docs))
    assert rerun.returncode == 0, rerun.stderr
    assert f"{N_DOCS - landed} new" in rerun.stderr
    assert json.loads(timeline(db, "show", "--format", "json").stdout) == reference
    assert assert_whole(db) == N_DOCS
    with connect(db, readonly=True) as store:  # repaired: later runs need not be full ones
        assert store.unfinished_runs(besides="") == 0


def test_a_second_signal_stops_at_once_and_the_log_stays_whole(
        docs: Path, tmp_path: Path, child_db: Callable[[Path], str]) -> None:
    db = child_db(tmp_path / "t.db")
    proc = start_run(db, str(docs))
    wait_for(db, "type = 'DocumentIngested'", proc)
    proc.send_signal(signal.SIGINT)
    proc.send_signal(signal.SIGINT)
    _out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert "Traceback" not in err
    assert 0 < assert_whole(db) < N_DOCS
    rerun = timeline(db, "run", str(docs))
    assert rerun.returncode == 0 and f"{N_DOCS} files" in rerun.stderr, rerun.stderr
    assert timeline(db, "verify").returncode == 0


def test_a_second_signal_inside_a_transaction_rolls_it_back(
        cli: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Deterministic: both signals land while the second batch is being written."""
    docs = tmp_path / "docs"
    corpus.write(docs, 150)
    calls = []
    real = Store._append_locked

    def append_then_signal(self: Store, *args: Any) -> Any:
        calls.append(1)
        seqs = real(self, *args)
        if len(calls) == 2:
            os.kill(os.getpid(), signal.SIGTERM)
            os.kill(os.getpid(), signal.SIGTERM)  # raises Interrupted here, mid-transaction
        return seqs

    monkeypatch.setattr(Store, "_append_locked", append_then_signal)
    code, _out, err = cli("run", str(docs))
    assert code == 143, err
    assert "signal 15: stopped at once" in err
    assert assert_whole(cli.db()) == 100  # the first batch only
    assert log_count(cli.db(), "type = 'RunFinished'") == 0


def test_a_signal_while_every_waits_ends_the_loop_with_the_runs_status(
        tmp_path: Path, child_db: Callable[[Path], str]) -> None:
    docs = tmp_path / "docs"
    corpus.write(docs, 3)
    db = child_db(tmp_path / "t.db")
    proc = start_run(db, "--every", "1h", str(docs))
    wait_for(db, "type = 'RunFinished'", proc)
    proc.send_signal(signal.SIGTERM)
    _out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err  # nothing was cut short
    assert err.count("signal 15: stopping after the current batch") == 1
    assert log_count(db, "type = 'RunStarted'") == 1


def test_stop_flag_sets_then_raises_and_restores_the_handlers() -> None:
    before = signal.getsignal(signal.SIGTERM)
    with StopFlag(message=None) as stop:
        assert not stop and not stopping()
        os.kill(os.getpid(), signal.SIGTERM)
        assert stop.signum == signal.SIGTERM and stopping()
        with pytest.raises(Interrupted) as caught:
            os.kill(os.getpid(), signal.SIGTERM)
        assert caught.value.signum == signal.SIGTERM
    assert signal.getsignal(signal.SIGTERM) is before and not stopping()
    assert (exit_code(signal.SIGINT), exit_code(signal.SIGTERM)) == (130, 143)


def test_a_second_signal_inside_deferred_is_raised_as_it_ends() -> None:
    """Ending the workers is not cut short (cli/pool.py: cut short, the exit waits forever)."""
    done = []
    with StopFlag(message=None) as stop:
        os.kill(os.getpid(), signal.SIGTERM)
        with pytest.raises(Interrupted) as caught:
            with deferred():
                os.kill(os.getpid(), signal.SIGINT)
                done.append("the rest of the block")
        assert caught.value.signum == signal.SIGINT and done == ["the rest of the block"]
        assert stop.deferred is None
        with deferred():  # nothing pending: nothing raised
            pass
        with pytest.raises(Interrupted):  # and outside it, at once as before
            os.kill(os.getpid(), signal.SIGINT)


def test_a_signal_during_the_corpus_stages_leaves_the_run_unfinished(
        cli: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Deterministic: SIGTERM lands while the corpus-wide reconstruction runs; nothing of
    it is appended, the run stays unfinished and the next run produces the full timeline."""
    from timeline.cli import run as run_module

    docs = tmp_path / "docs"
    corpus.write(docs, 30)
    code, _, err = cli("--db", "ref.db", "run", str(docs))
    assert code == 0, err
    want = json.loads(cli("--db", "ref.db", "show", "--format", "json")[1])
    real = run_module.pipeline.reconstruct

    def signalled(*args: Any, **kwargs: Any) -> Any:
        os.kill(os.getpid(), signal.SIGTERM)
        return real(*args, **kwargs)

    monkeypatch.setattr(run_module.pipeline, "reconstruct", signalled)
    code, _, err = cli("run", str(docs))
    assert code == 143, err
    assert "before the corpus-wide stages ended" in err and "Traceback" not in err
    db = cli.db()
    assert assert_whole(db) == 30
    assert log_count(db, "type IN ('RunFinished', 'EventFormed')") == 0
    monkeypatch.setattr(run_module.pipeline, "reconstruct", real)
    code, _, err = cli("run", str(docs))
    assert code == 0, err
    assert json.loads(cli("show", "--format", "json")[1]) == want
