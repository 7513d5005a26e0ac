"""The writer's lock: `<db>.lock`, held by `run` and `rebuild` (anything that writes).

SQLite serializes transactions, but a run reads state between its batches (documents,
caches) and a rebuild in the middle would pull that state from under it; so writers take one
advisory lock for their whole work, and a second writer waits `--wait` seconds, then exits 75
naming the holder (`<db>.lock.info`).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

from filelock import FileLock, Timeout

from timeline.cli.files import refuse_special
from timeline.store import StoreError, is_url


@contextlib.contextmanager
def _hold_advisory(url: str, wait: float, holder: str) -> Iterator[None]:
    """Writers on any host take the server's advisory lock (store.postgres.WriterLock);
    the waiting happens here, where the clock is."""
    import time

    from timeline.store import display_db as redact
    from timeline.store.postgres import WriterLock

    lock = WriterLock(url, f"{holder}, pid {os.getpid()}")
    try:
        end = time.monotonic() + wait
        while not lock.try_acquire():
            if time.monotonic() >= end:
                raise LockHeld(f"{redact(url)}: another timeline process holds the lock "
                               f"({lock.holder()}); gave up after {wait:g}s")
            time.sleep(min(0.2, max(0.0, end - time.monotonic())))
        yield
    finally:
        lock.close()


class LockHeld(Exception):
    """Another process holds the lock; the message names it. Exit 75 (EX_TEMPFAIL)."""


@contextlib.contextmanager
def hold_lock(db: str | Path, wait: float, holder: str) -> Iterator[None]:
    """Hold `<db>.lock` for the block; `holder` ("run <id>", "rebuild") is what a process
    that finds it busy is told, with our pid. On PostgreSQL, a server-side advisory lock."""
    if is_url(db):
        with _hold_advisory(str(db), wait, holder):
            yield
        return
    lock = FileLock(f"{db}.lock")
    info = Path(f"{db}.lock.info")
    for side in (Path(f"{db}.lock"), info):  # opening a FIFO here would block, holding the lock
        why = refuse_special(side)
        if why:
            raise StoreError(f"{side}: {why}")
    try:
        lock.acquire(timeout=wait)
    except Timeout:
        try:
            who = info.read_text(errors="replace").strip() or "unknown"
        except OSError:
            who = "unknown"
        raise LockHeld(f"{db}: another timeline process holds the lock ({who}); "
                       f"gave up after {wait:g}s") from None
    except OSError as exc:
        raise StoreError(f"{db}: cannot create the lock file {db}.lock "
                         f"({exc.strerror or exc}); writing needs a writable directory "
                         "(show, query, export, verify work read-only)") from None
    try:
        with contextlib.suppress(OSError):
            info.write_text(f"{holder}, pid {os.getpid()}\n")
        yield
    finally:
        lock.release()
