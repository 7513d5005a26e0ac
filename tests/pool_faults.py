"""Faults a worker process can be made to commit (tasks of cli/pool.py's tests, run by eval in
a worker): what the operating system does to a worker, reproduced at the worst moment."""

from __future__ import annotations

import os
import signal
import struct
import sys


def die_mid_send(size: int = 1 << 20) -> None:
    """Be killed (SIGKILL) halfway through sending a large result: the pool's result pipe is
    left holding the head of a message whose rest never comes, as when the OOM killer or a
    run's stop lands while a worker writes its result. The bytes are the ones
    multiprocessing's Connection.send_bytes writes (a 4-byte big-endian length, then the
    pickle), sent with the queue's write lock held as the worker's own send would."""
    frame = sys._getframe()
    while frame is not None and "result_queue" not in frame.f_locals:
        frame = frame.f_back
    assert frame is not None, "not in a concurrent.futures worker"
    results = frame.f_locals["result_queue"]
    results._wlock.acquire()  # as a worker killed mid-send leaves it
    os.write(results._writer.fileno(), struct.pack("!i", size) + b"\x80" * 4096)
    os.kill(os.getpid(), signal.SIGKILL)
