"""Worker processes for the per-document stages (`timeline run --jobs N`), results in order.

A `concurrent.futures` executor (a process pool here; the interface is submit and result, so
another executor, a cluster's client, can take its place). The run submits documents ahead
and takes results in the order it submitted them, so the log is the same whatever the
number of workers.

A worker that dies (a crash in native code, the OOM killer) breaks the whole pool: the pool
is started again and the document awaited is run alone in it; if it breaks that pool too,
it is the culprit and comes back as `Lost`, the other documents are submitted again. A
document whose result does not come within its time limit (a stage stuck in native code,
where the guard's timer cannot interrupt it) is `Lost` too, and the pool is started again.
The run records a `Lost` document as failed (DocumentFailed), never stops for it.
"""

from __future__ import annotations

import concurrent.futures as cf
import multiprocessing
import signal
from collections import deque
from collections.abc import Callable
from concurrent.futures.process import BrokenProcessPool
from typing import Any

import attrs


@attrs.frozen
class Lost:
    """A document a worker did not return: it died on it ("WorkerDied") or hung ("TooSlow")."""

    error: str
    message: str


_BROKEN = object()


class OrderedPool:
    """`fn(task)` for each task submitted, in `jobs` worker processes, results in order;
    `initializer(*initargs)` starts each worker (in the run: derive.start_worker)."""

    def __init__(self, jobs: int, fn: Callable[[Any], Any],
                 timeout: Callable[[Any], float | None],
                 initializer: Callable[..., None] | None = None,
                 initargs: tuple[Any, ...] = ()) -> None:
        self.jobs, self.fn, self.timeout = jobs, fn, timeout
        self.initializer, self.initargs = initializer, initargs
        self.pending: deque[tuple[Any, cf.Future[Any] | None]] = deque()
        self.restarts = 0
        # the CLI sets SIGPIPE to its default (`show | head` ends quietly); a write to the
        # pipe of a worker that died must be the pool's BrokenPipeError, not our death
        self._sigpipe = signal.signal(signal.SIGPIPE, signal.SIG_IGN) \
            if hasattr(signal, "SIGPIPE") else None
        self.executor = self._start()

    def _start(self) -> cf.ProcessPoolExecutor:
        # forkserver, not fork: a worker must not inherit the run's database connection,
        # its lock's file descriptor or a progress bar's thread
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(["timeline.cli.derive"])
        return cf.ProcessPoolExecutor(self.jobs, mp_context=ctx, initializer=self.initializer,
                                      initargs=self.initargs)

    def _submit(self, task: Any) -> cf.Future[Any] | None:
        try:
            return self.executor.submit(self.fn, task)
        except BrokenProcessPool:
            return None  # found broken when its result is asked for

    def submit(self, task: Any) -> None:
        self.pending.append((task, self._submit(task)))

    def next(self, task: Any) -> Any:
        """The result of the oldest task submitted (which must be `task`), or Lost."""
        first, future = self.pending.popleft()
        assert first is task, "results are taken in the order documents were submitted"
        got = self._wait(task, future)
        if got is not _BROKEN:
            return got
        self._restart()  # broken: the document alone in a fresh pool tells whether it did it
        got = self._wait(task, self._submit(task))
        if got is _BROKEN:
            self._restart()
            got = Lost("WorkerDied", "the worker process ended while deriving it (a crash "
                       "of native code, or killed)")
        self._resubmit()
        return got

    def _wait(self, task: Any, future: cf.Future[Any] | None) -> Any:
        """The result; Lost if it hung (the pool is then restarted); _BROKEN if it broke."""
        if future is None:
            return _BROKEN
        limit = self.timeout(task)
        try:
            return future.result(timeout=limit)
        except cf.TimeoutError:
            self._restart()
            self._resubmit()
            return Lost("TooSlow", f"no result from its worker process within {limit:.3g} s "
                        "(stuck where the stage's timer cannot interrupt it)")
        except BrokenProcessPool:
            return _BROKEN

    def _resubmit(self) -> None:
        """Submit again what the old pool did not finish, in the same order."""
        self.pending = deque(
            (t, f if f is not None and f.done() and not f.cancelled() and f.exception() is None
             else self._submit(t)) for t, f in self.pending)

    def _restart(self) -> None:
        self._kill()
        self.restarts += 1
        self.executor = self._start()

    def _kill(self) -> None:
        # the workers ignore SIGTERM (the run handles signals); ProcessPoolExecutor has no
        # public way to end a busy worker, hence its process table
        for p in list((getattr(self.executor, "_processes", None) or {}).values()):
            p.kill()
        self.executor.shutdown(wait=True, cancel_futures=True)

    def close(self, *, kill: bool = False) -> None:
        try:
            if kill:
                self._kill()
            else:
                self.executor.shutdown(wait=True, cancel_futures=True)
        finally:
            if self._sigpipe is not None:
                signal.signal(signal.SIGPIPE, self._sigpipe)
