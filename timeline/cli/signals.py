"""SIGTERM and SIGINT for long commands: the first asks for a stop at the next safe point, the
second stops at once.

A scheduler (systemd, cron's kill, a person's Ctrl-C) must get its process back in seconds,
and the log must stay whole. The first signal only sets a flag: `run` checks it at each
document boundary, appends what it has read as whole documents and leaves the run unfinished
(the next run reconstructs everything). The second raises `Interrupted` wherever the program
is; an open SQLite transaction is rolled back by the `except BaseException` around every
append, so what lands is still whole batches.

The flag is process-wide (signals are), so `stopping()` can be asked from deep in a loop
without threading a parameter through every call.
"""

from __future__ import annotations

import contextlib
import os
import signal
import time
from collections.abc import Callable, Iterator
from types import FrameType, TracebackType
from typing import Any

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)

_active: list[StopFlag] = []


class Interrupted(KeyboardInterrupt):
    """A second signal: stop now. A KeyboardInterrupt, so nothing that catches `Exception`
    (a per-document guard, a crash handler) swallows it."""

    def __init__(self, signum: int) -> None:
        super().__init__(f"signal {signum}")
        self.signum = signum


class StopRequested(BaseException):
    """Raised at a `checkpoint()` once a stop is asked for, to leave a stage whose results
    are not appended yet (the corpus-wide stages). A BaseException, so no guard that
    catches `Exception` mistakes it for a failure."""


def exit_code(signum: int) -> int:
    """The shell's convention for 'stopped by signal N': 130 for SIGINT, 143 for SIGTERM."""
    return 128 + signum


def _say(line: str) -> None:
    """Write from a signal handler: straight to fd 2, because a buffered stderr that is in
    the middle of a write when the signal lands raises 'reentrant call'."""
    try:
        os.write(2, f"timeline: {line}\n".encode())
    except OSError:
        pass


class StopFlag:
    """Install handlers for SIGINT and SIGTERM for the duration of a `with` block, restore
    the previous ones after it. `signum` is the first signal received, or None."""

    def __init__(self, message: str | None = "stopping after the current batch",
                 *, on_first: Callable[[int], None] | None = None) -> None:
        self.message, self.on_first = message, on_first
        self.signum: int | None = None
        self.deferred: int | None = None  # a second signal that landed in `deferred()`
        self._previous: dict[int, Any] = {}

    def __bool__(self) -> bool:
        return self.signum is not None

    def _handle(self, signum: int, _frame: FrameType | None) -> None:
        if self.signum is not None:
            if _deferring:
                self.deferred = signum
                return
            raise Interrupted(signum)
        self.signum = signum
        if self.message:
            _say(f"signal {signum}: {self.message}")
        if self.on_first:
            self.on_first(signum)

    def __enter__(self) -> StopFlag:
        for s in STOP_SIGNALS:
            self._previous[s] = signal.signal(s, self._handle)
        _active.append(self)
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        _active.remove(self)
        for s, handler in self._previous.items():
            signal.signal(s, handler)

    def sleep_until(self, deadline: float) -> None:
        """Wait for a monotonic deadline, returning early once a stop is asked for."""
        while not self and time.monotonic() < deadline:
            time.sleep(min(0.2, max(0.0, deadline - time.monotonic())))


_deferring: list[bool] = []


@contextlib.contextmanager
def deferred() -> Iterator[None]:
    """A short, bounded piece of cleanup that a second signal must not cut in half: one
    landing inside is raised (Interrupted) as the block ends. Ending worker processes is
    one: cut short, it leaves the executor's thread waiting on a dead worker's pipe, and
    the interpreter's exit joins that thread, forever."""
    _deferring.append(True)
    try:
        yield
    finally:
        _deferring.pop()
    if not _deferring and _active and (signum := _active[-1].deferred) is not None:
        _active[-1].deferred = None
        raise Interrupted(signum)


def stopping() -> bool:
    """Has a stop been asked for (by a signal, to the innermost active StopFlag)?"""
    return bool(_active) and bool(_active[-1])


def checkpoint() -> None:
    """A safe point in a long stage: leave it (StopRequested) if a stop was asked for."""
    if stopping():
        raise StopRequested


def stop_signal() -> int | None:
    return _active[-1].signum if _active else None
