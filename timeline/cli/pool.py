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

A worker killed while it writes its result (by us, on a stop or a restart, or by the OOM
killer) leaves the head of a message in the result pipe. The executor's thread, reading it,
waits for the rest for as long as a write end of the pipe is open, and this process holds
one: that thread never notices the death, shutdown() joins it forever, and so does the
interpreter's exit. So a result awaited is also a look at the workers (one dead with no
result is a broken pool), and killing the workers closes this process's write end once
they are gone, every wait of it bounded.
"""

from __future__ import annotations

import concurrent.futures as cf
import multiprocessing
import multiprocessing.connection
import signal
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures.process import BrokenProcessPool
from typing import Any

import attrs

from timeline.cli.signals import deferred


@attrs.frozen
class Lost:
    """A document a worker did not return: it died on it ("WorkerDied") or hung ("TooSlow")."""

    error: str
    message: str


_BROKEN = object()
LOOK = 1.0  # seconds between looks at the workers while a result is awaited
REAP = 5.0  # seconds a killed worker may take to be gone (SIGKILL: milliseconds)


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
        # whole, even under a second signal: cut short while it starts a worker, it could
        # leave a process the executor does not know of, which `_kill` would not end
        with deferred():
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
        """The result; Lost if it hung (the pool is then restarted); _BROKEN if it broke,
        or if a worker is dead and the executor has not said so after a look (its thread
        is stuck on the dead worker's half-written result)."""
        if future is None:
            return _BROKEN
        limit = self.timeout(task)
        deadline = None if limit is None else time.monotonic() + limit
        while True:
            left = None if deadline is None else deadline - time.monotonic()
            try:
                return future.result(timeout=LOOK if left is None else
                                     max(0.0, min(LOOK, left)))
            except BrokenProcessPool:
                return _BROKEN
            except cf.TimeoutError:
                pass
            if deadline is not None and time.monotonic() >= deadline:
                assert limit is not None
                self._restart()
                self._resubmit()
                return Lost("TooSlow", f"no result from its worker process within {limit:.3g} "
                            "s (stuck where the stage's timer cannot interrupt it)")
            if self._dead():
                return _BROKEN

    def _processes(self) -> list[multiprocessing.process.BaseProcess]:
        # ProcessPoolExecutor has no public way to see or end its workers
        return list((getattr(self.executor, "_processes", None) or {}).values())

    def _dead(self) -> bool:
        """Has a worker ended? (Its sentinel is readable; nothing is read from it, which
        would take the exit status from the executor's own thread.)"""
        sentinels = [p.sentinel for p in self._processes()]
        return bool(sentinels and multiprocessing.connection.wait(sentinels, timeout=0))

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
        """End the workers now, whatever they are doing (they ignore SIGTERM: the run handles
        signals), and the executor's thread with them. A second signal waits until this is
        done (a second or so): cut short, it would leave that thread for the exit to join."""
        with deferred():
            procs = self._processes()
            for p in procs:
                p.kill()
            waiting = [p.sentinel for p in procs]
            deadline = time.monotonic() + REAP
            while waiting and (left := deadline - time.monotonic()) > 0:
                gone = multiprocessing.connection.wait(waiting, timeout=left)
                waiting = [s for s in waiting if s not in gone]
            # the workers' write ends of the result pipe went with them; with ours closed,
            # a half-written result is an end of file to the executor's thread, not a wait
            results = getattr(self.executor, "_result_queue", None)
            if results is not None:
                results._writer.close()
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
