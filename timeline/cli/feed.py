"""The files of a run, read ahead and derived, handed to the run in input order.

`feed` stats and reads each file (unless the file cache says it is unchanged, or it failed
before under this engine), and gives every document to read a `Ticket`: the run asks it for
the document's `Derived` when its turn comes. With `--jobs 1`, or a handful of documents,
the ticket derives it then, in this process, as a run always did; otherwise the documents
go ahead to worker processes (cli/pool.py), a bounded window of them, so memory does not
grow with the corpus.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from collections import deque
from collections.abc import Callable, Container, Iterator, Sequence
from pathlib import Path
from typing import Any, Protocol

import attrs

from timeline import ingest
from timeline.cli import display_path, read_file
from timeline.cli.derive import Derived, Settings, Task, document, in_worker, start_worker
from timeline.cli.pool import Lost, OrderedPool

POOL_MIN = 8  # fewer documents than this are derived in-process: a pool costs more
AHEAD = 4  # documents in flight per worker
GRACE = 30.0  # seconds a worker may take beyond the stages' budgets before it counts as hung


class Pool(Protocol):
    """What the feed asks of a pool: OrderedPool's calls (cli/dask_pool.DaskPool has them)."""

    jobs: int

    def submit(self, task: Task) -> None: ...

    def next(self, task: Task) -> Derived | Lost: ...

    def close(self, *, kill: bool = False) -> None: ...


# a pool for (settings, current, each task's time limit)
Start = Callable[[Settings, Container[str], Callable[[Task], "float | None"]], Pool]


class Ticket:
    """A document's turn: `get()` derives it (or takes its worker's result), once."""

    def __init__(self, fetch: Callable[[], Derived | Lost]) -> None:
        self._fetch: Callable[[], Derived | Lost] | None = fetch
        self._got: Derived | Lost | None = None

    def get(self) -> Derived | Lost:
        if self._fetch is not None:
            self._got, self._fetch = self._fetch(), None
        assert self._got is not None
        return self._got

    @property
    def taken(self) -> bool:
        return self._fetch is None


@attrs.define
class Item:
    """One file as scanned: stat, then (unless unchanged or known to fail) its bytes."""

    path: Path
    name: str
    st: os.stat_result | None = None
    problem: str | None = None  # why it cannot be read: a rejection
    digest: str | None = None
    known: dict[str, Any] | None = None  # its failure under this engine, in an earlier run
    task: Task | None = None  # its bytes, once read
    ticket: Ticket | None = None  # its derivation, unless it failed before


def _scan(files: Sequence[Path], max_bytes: int, unchanged: Callable[[str, Any], bool],
          known: Callable[[str], dict[str, Any] | None]) -> Iterator[Item]:
    for p in files:
        item = Item(p, display_path(p))
        try:
            item.st = p.stat()
        except OSError as exc:
            item.problem = f"cannot read: {exc.strerror or exc}"
            yield item
            continue
        if not unchanged(item.name, item.st):
            read(item, max_bytes, known)
        yield item


def read(item: Item, max_bytes: int, known: Callable[[str], dict[str, Any] | None]) -> None:
    """The file's bytes (a Task), or the problem that stops them being read."""
    try:
        raw = read_file(item.path, max_bytes)
    except ingest.IngestError as exc:
        item.problem = str(exc)
    except OSError as exc:
        item.problem = f"cannot read: {exc.strerror or exc}"
    else:
        item.digest = hashlib.sha256(raw).hexdigest()
        item.known = known(item.digest)
        item.task = Task(item.name, raw, item.digest)


def feed(files: Sequence[Path], settings: Settings, jobs: int, current: Container[str],
         unchanged: Callable[[str, Any], bool], known: Callable[[str], dict[str, Any] | None],
         pool_min: int = POOL_MIN, start: Start | None = None,
         held: list[Pool] | None = None) -> Iterator[Item]:
    """The files' items in input order, each document with its ticket. The caller takes
    every ticket in order or leaves it (a document it no longer needs). Workers start once
    `pool_min` documents are to be derived (an explicit --jobs: 1); `start` makes the pool
    (cli/dask_pool.py's cluster), else `jobs` worker processes. A local pool that saw every
    document through goes to `held` (see `holding`) instead of being closed: the corpus
    phase gives its workers parts of its own (cli/parts.py)."""
    def here(task: Task) -> Ticket:
        return Ticket(lambda: document(task, settings, current))

    def wanted(item: Item) -> bool:  # read, and not a content that failed before
        return item.task is not None and (
            item.known is None or item.known.get("document") in current)

    scan = _scan(files, settings.max_bytes, unchanged, known)
    if jobs <= 1 and start is None:
        for item in scan:
            if wanted(item):
                item.ticket = here(item.task)  # type: ignore[arg-type]
            yield item
        return
    window: deque[Item] = deque()
    pool: Pool | None = None
    waiting = 0  # documents scanned before the pool started
    flying = 0  # items of the window with a ticket: counted, not summed over the window,
    # which holds every unchanged file scanned since the last document (all of them when a
    # few new documents follow a large unchanged corpus)
    done = False
    try:
        for item in scan:
            window.append(item)
            if wanted(item):
                if pool is not None:
                    _submit(pool, item)
                    flying += 1
                else:
                    waiting += 1
                    if waiting >= pool_min:
                        pool = _pool(jobs, settings, current, start)
                        for it in window:
                            if wanted(it):
                                _submit(pool, it)
                                flying += 1
            while pool is not None and flying > pool.jobs * AHEAD:
                gone = window.popleft()
                flying -= gone.ticket is not None
                yield from _hand(gone)
        if pool is None:  # a handful: not worth a pool
            for it in window:
                if wanted(it):
                    it.ticket = here(it.task)  # type: ignore[arg-type]
        while window:
            yield from _hand(window.popleft())
        done = True
    finally:
        if pool is not None and done and held is not None and start is None:
            held.append(pool)
        elif pool is not None:
            pool.close(kill=not done)


@contextlib.contextmanager
def holding() -> Iterator[list[Pool]]:
    """The pools a feed hands on (`held`): closed when the run is done with them, their
    workers killed if it stopped on an exception (a signal, a crash)."""
    held: list[Pool] = []
    try:
        yield held
    except BaseException:
        for pool in held:
            pool.close(kill=True)
        raise
    for pool in held:
        pool.close()


def _hand(item: Item) -> Iterator[Item]:
    """Yield an item; a ticket the caller left is still taken, to keep the pool in order."""
    yield item
    if item.ticket is not None and not item.ticket.taken:
        item.ticket.get()


def _pool(jobs: int, settings: Settings, current: Container[str],
          start: Start | None) -> Pool:
    budget = settings.per_mb

    def timeout(task: Any) -> float | None:
        if not isinstance(task, Task):  # a part of the corpus phase (cli/parts.py)
            return task.limit()  # type: ignore[no-any-return]
        if budget == float("inf"):
            return None
        from timeline.cli.guard import seconds

        # parse, tag, segment, date, anchor, analyse, extract, entities, and grace
        return 8 * seconds(budget, len(task.raw)) + GRACE

    if start is not None:
        return start(settings, current, timeout)
    return OrderedPool(jobs, in_worker, timeout, start_worker,
                       (attrs.evolve(settings, segments=True, ahead=True), frozenset(current),
                        os.getpid()))


def _submit(pool: Pool, item: Item) -> None:
    task = item.task
    assert task is not None
    pool.submit(task)
    item.ticket = Ticket(lambda: pool.next(task))
