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

from timeline.store import StoreError


class LockHeld(Exception):
    """Another process holds the lock; the message names it. Exit 75 (EX_TEMPFAIL)."""


@contextlib.contextmanager
def hold_lock(db: str | Path, wait: float, holder: str) -> Iterator[None]:
    """Hold `<db>.lock` for the block; `holder` ("run <id>", "rebuild") is what a process
    that finds it busy is told, with our pid."""
    lock = FileLock(f"{db}.lock")
    info = Path(f"{db}.lock.info")
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
