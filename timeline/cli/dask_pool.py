"""`timeline run --executor dask://HOST:PORT`: the per-document stages on a Dask cluster.

The same two calls as cli/pool.py's OrderedPool (submit, then next in the order submitted),
so cli/feed.py hands documents to either and the run records results in input order: the
log does not depend on where a document was derived. A document travels as its bytes and
path (`derive.Task`) and comes back as whatever the stages return; a worker reads no file
and never sees the database. The documents the store holds already (`current`, which the
stages consult) go to every worker once (`scatter(broadcast=True)`), not with each task.

What can go wrong on a cluster, and what the run makes of it:
- a worker lost mid-task (killed, out of memory): the scheduler gives the task to another
  worker (up to its `allowed-failures`, then `KilledWorker`: `Lost("WorkerDied")`);
- the stages raise on a worker (a bug of ours, MemoryError): retried `RETRIES` times, then
  `Lost(<the exception's type>)`: a failed document (DocumentFailed), never a stopped run;
- no result within the document's limit (a stage stuck: in a worker's thread the guard's
  timer cannot interrupt it): `Lost("TooSlow")`, the task cancelled (its thread stays busy
  until the stage returns; Dask cannot end a running task short of restarting the worker);
- the scheduler gone: the run stops with exit 2 (nothing of the cluster's trouble is
  recorded as the documents' failure); what landed is whole batches, the next run completes.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Container
from typing import Any

import attrs

from timeline.cli import UsageError
from timeline.cli.crash import one_line
from timeline.cli.derive import Settings, Task, document
from timeline.cli.pool import Lost

RETRIES = 2  # a task that raised is run again this often before its document counts as failed
CONNECT_SECONDS = 10.0  # to reach the scheduler, and for a first worker to be there
INSTALL = "pip install 'timeline-reconstruction[dask]'"


def scheduler_address(executor: str) -> str:
    """dask://HOST:PORT -> tcp://HOST:PORT (Dask's own scheme for its default protocol)."""
    return "tcp://" + executor.removeprefix("dask://")


def _engine() -> str:
    from timeline.engine import engine_version

    return engine_version()


class Cluster:
    """A client of one Dask scheduler for one run: connected (or a UsageError, exit 2, naming
    the address) when made, so a run fails before it reads anything; closed by the run."""

    def __init__(self, executor: str, engine: str, wait: float | None = None) -> None:
        self.executor = executor
        wait = CONNECT_SECONDS if wait is None else wait
        try:
            import distributed
        except ImportError:
            raise UsageError(f"--executor {executor}: Dask is not installed here "
                             f"({INSTALL})") from None
        try:
            self.client = distributed.Client(scheduler_address(executor), timeout=wait,
                                             set_as_default=False)
        except (OSError, TimeoutError) as exc:
            raise UsageError(f"--executor {executor}: cannot reach the Dask scheduler "
                             f"({one_line(str(exc) or type(exc).__name__)})") from None
        try:
            self._ready(engine, wait)
        except BaseException:
            self.close()
            raise
        self.jobs = max(1, sum(self.client.nthreads().values()))

    def _ready(self, engine: str, wait: float) -> None:
        """A worker there, and every worker on this engine: workers deriving with another
        version would make a log no local run makes; one that cannot import timeline at
        all would fail every document."""
        try:
            self.client.wait_for_workers(1, timeout=wait)
        except TimeoutError:
            raise UsageError(f"--executor {self.executor}: no worker joined the scheduler "
                             f"within {wait:g} s") from None
        try:
            found = self.client.run(_engine)
        except Exception as exc:
            raise UsageError(f"--executor {self.executor}: a worker cannot run timeline "
                             f"({type(exc).__name__}: {one_line(str(exc))})") from None
        for worker, theirs in sorted(found.items()):
            if theirs != engine:
                raise UsageError(f"--executor {self.executor}: worker {worker} runs engine "
                                 f"{theirs}, this run {engine}; install the same version")

    def pool(self, settings: Settings, current: Container[str],
             timeout: Callable[[Task], float | None]) -> DaskPool:
        """A pool for cli/feed.py: the stages as in a worker process (segmenting too)."""
        # in a list: scatter sends a collection's items one by one
        [shared] = self.client.scatter([frozenset(current)], broadcast=True, hash=False)
        return DaskPool(self, document, (attrs.evolve(settings, segments=True, ahead=True), shared),
                        timeout)

    def close(self) -> None:
        self.client.close()

    def __enter__(self) -> Cluster:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


class DaskPool:
    """`fn(task, *args)` for each task submitted, on the cluster, results in order. What `fn`
    returns is not looked at: whatever the stages make travels back as it is."""

    def __init__(self, cluster: Cluster, fn: Callable[..., Any], args: tuple[Any, ...],
                 timeout: Callable[[Any], float | None]) -> None:
        self.cluster, self.fn, self.args, self.timeout = cluster, fn, args, timeout
        self.jobs = cluster.jobs
        self.pending: deque[tuple[Any, Any]] = deque()
        self.submitted = 0

    def submit(self, task: Any) -> None:
        self.pending.append((task, self._submit(task)))

    def _submit(self, task: Any, first: bool = False) -> Any:
        # earlier documents first: the run waits for them in that order (Dask's default,
        # within its fifo_timeout, is no particular order)
        self.submitted += 1
        return self.cluster.client.submit(self.fn, task, *self.args, pure=False,
                                          retries=RETRIES,
                                          priority=1 if first else -self.submitted)

    def next(self, task: Any) -> Any:
        """The result of the oldest task submitted (which must be `task`), or Lost. A task
        the scheduler gave up on because workers died on it is run once more, ahead of the
        rest: the scheduler also counts the deaths against tasks merely queued on those
        workers, so the culprit is the one that kills workers again."""
        first, future = self.pending.popleft()
        assert first is task, "results are taken in the order documents were submitted"
        got = self._wait(task, future)
        if isinstance(got, Lost) and got.error == "WorkerDied":
            got = self._wait(task, self._submit(task, first=True))
        return got

    def _wait(self, task: Any, future: Any) -> Any:
        limit = self.timeout(task)
        try:
            return future.result(timeout=limit)
        except TimeoutError:
            # its worker's thread cannot be interrupted: it stays busy until the stage
            # returns, the scheduler moves what was queued behind it to idle workers
            future.cancel()
            return Lost("TooSlow", f"no result from the Dask cluster within {limit:.3g} s "
                        "(stuck where the stage's timer cannot interrupt it)")
        except Exception as exc:
            if future.status != "error":  # not the task's doing: the cluster went away
                raise UsageError(f"--executor {self.cluster.executor}: lost the Dask "
                                 f"scheduler ({type(exc).__name__}: {one_line(str(exc))}); "
                                 "the log holds whole batches, the next run completes "
                                 "the rest") from None
            if type(exc).__name__ == "KilledWorker":
                return Lost("WorkerDied", "each Dask worker that took it ended while "
                            "deriving it (a crash of native code, or killed)")
            return Lost(type(exc).__name__, one_line(str(exc)))

    def close(self, *, kill: bool = False) -> None:
        """Cancel what was not taken (a stopped run); the run closes the cluster's client."""
        self.cluster.client.cancel([f for _t, f in self.pending])
        self.pending.clear()

