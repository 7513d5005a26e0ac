"""Fault isolation per document: each stage of one document runs under a guard.

A bug of ours that one article triggers, or an input that makes a stage run far longer than
its size warrants, must cost that article, not the run: the guard turns an unexpected
exception, or the end of the time budget, into a `DocumentFailed` event and one line on
stderr naming the file, and the caller leaves the document out (`pipeline.Excluded`).

The budget is a real-time interval timer (`setitimer(ITIMER_REAL)`) whose SIGALRM handler
raises `TooSlow` in the stage's Python code. Chosen over a forked worker per document on
measurement (scripts/bench_adversarial.py): arming and disarming the timer costs
microseconds, a fork, a pipe and pickling the facts back cost milliseconds per document,
which on a corpus of thousands of short articles is most of a run. The price: a signal is
handled between bytecodes, so one long C-level call (a regex over the whole text) is not
interrupted until it returns; the parsers are written to be linear (timeline/markup.py), so
no single call runs long, and the budget catches what remains (a slow pure-Python stage).

Failures are remembered in the log: a content that failed under this engine is not tried
again on every scheduled run (no repeated cost, no new rows); a new engine version retries
it, and so does a larger budget for one that was too slow.
"""

from __future__ import annotations

import contextlib
import math
import signal
import threading
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

import attrs

from timeline import events as ev
from timeline.cli import err, progress
from timeline.pipeline import Excluded

T = TypeVar("T")

DEFAULT_PER_MB = 10.0  # seconds per MB of input
FLOOR = 10.0  # seconds: a short document gets at least this


class TooSlow(BaseException):
    """Raised by the timer in the middle of a stage. A BaseException, so the `except
    Exception` of a library the stage calls cannot swallow it."""


@attrs.frozen
class Subject:
    """The document a stage works on, as far as it is known."""

    path: str
    size: int  # bytes of input: what the budget is proportional to
    sha256: str | None = None
    document: str | None = None


@contextlib.contextmanager
def _deadline(seconds: float) -> Iterator[None]:
    if math.isinf(seconds) or threading.current_thread() is not threading.main_thread():
        yield
        return

    def on_alarm(_signum: int, _frame: Any) -> None:
        raise TooSlow

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


class StageFailed(Exception):
    """What `attempt` reports when a stage fails: picklable, so that a worker process can
    hand it to the one process that records failures (cli/derive.py)."""

    def __init__(self, stage: str, error: str, message: str) -> None:
        super().__init__(stage, error, message)
        self.stage, self.error, self.message = stage, error, message


def attempt(stage: str, limit: float, per_mb: float, fn: Callable[[], T],
            *expected: type[Exception]) -> T:
    """fn() within `limit` seconds, or StageFailed. Records nothing, so it runs in a worker
    process as well as in the run's own; `expected` exceptions pass through."""
    try:
        with _deadline(limit):
            return fn()
    except expected:
        raise
    except StageFailed:  # found elsewhere (a worker's), raised again here: as it was
        raise
    except TooSlow:
        shown = "no limit" if math.isinf(per_mb) else f"{per_mb:g} s per MB"
        raise StageFailed(stage, "TooSlow", f"more than {limit:.3g} s in {stage} ({shown}, "
                          f"at least {FLOOR:g} s)") from None
    except Exception as exc:  # the point: one document's bug stays its own
        raise StageFailed(stage, type(exc).__name__,
                          _short(str(exc)) or "(no message)") from None


def seconds(per_mb: float, size: int) -> float:
    """A stage's budget for an input of `size` bytes."""
    return max(FLOOR, per_mb * size / 1e6)


def _short(text: str, limit: int = 160) -> str:
    """One line: the message of an exception may hold anything, newlines included."""
    line = " ".join(text.split())
    return line if len(line) <= limit else line[:limit - 1] + "…"


class Guard:
    """Runs the stages of one run's documents; collects the failures as events."""

    def __init__(self, engine: str, per_mb: float, prior: list[dict[str, Any]]) -> None:
        self.engine = engine
        self.per_mb = math.inf if per_mb <= 0 else per_mb
        self.failed: list[Any] = []
        self._prior = [f for f in prior if self._in_force(f)]
        self._by_sha = {f["sha256"]: f for f in self._prior if f.get("sha256")}
        self._by_doc = {f["document"]: f for f in self._prior if f.get("document")}

    def seconds(self, size: int) -> float:
        return seconds(self.per_mb, size)

    def _in_force(self, f: dict[str, Any]) -> bool:
        """Does an earlier failure still hold? Not under another engine; not, for a document
        that was too slow, under a larger budget than it had."""
        if f.get("engine") != self.engine:
            return False
        return f.get("error") != "TooSlow" or (f.get("budget") or 0) >= self.per_mb

    def known(self, *, sha256: str | None = None, document: str | None = None
              ) -> dict[str, Any] | None:
        """The earlier failure, still in force, of this content (raw bytes or document)."""
        return (self._by_sha.get(sha256) if sha256 else None) or \
            (self._by_doc.get(document) if document else None)

    def excluded_documents(self) -> set[str]:
        """Documents left out of the corpus phase: they failed under this engine."""
        return {f["document"] for f in [*self._prior, *map(ev.to_data, self.failed)]
                if f.get("document")}

    def report_known(self, path: str, f: dict[str, Any]) -> None:
        reason = ev.DocumentFailed(**f).reason
        err(f"{path}: not processed: {reason} (failed before under this engine version; "
            "a new version retries it)")

    def run(self, stage: str, subject: Subject, fn: Callable[[], T],
            *expected: type[Exception]) -> T:
        """fn(), or a recorded failure and `Excluded`. `expected` exceptions (a rejection
        of the input, phrased for the user) are the caller's to handle."""
        try:
            done = attempt(stage, self.seconds(subject.size), self.per_mb, fn, *expected)
            progress.tick(stage)
            return done
        except StageFailed as failed:
            self.record(failed, subject)
        raise Excluded(subject.document or subject.path)

    def record(self, failed: StageFailed, subject: Subject) -> None:
        """A failure found elsewhere (a worker process), recorded as if found here."""
        self._fail(failed.stage, subject, failed.error, failed.message)

    def _fail(self, stage: str, subject: Subject, error: str, message: str) -> None:
        failure = ev.DocumentFailed(
            path=subject.path, sha256=subject.sha256, document=subject.document, stage=stage,
            error=error, message=message, engine=self.engine,
            budget=None if math.isinf(self.per_mb) else self.per_mb)
        self.failed.append(failure)
        err(f"{subject.path}: {failure.reason} (document skipped; a new engine version "
            "retries it)")
