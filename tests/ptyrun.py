"""Run `python -m timeline ...` on a pseudo-terminal and collect what it writes: the tests
of what a person at a terminal sees (colour, the pager, progress) need a real tty."""

from __future__ import annotations

import os
import select
import subprocess
import sys
import time
from pathlib import Path


def run_on_pty(args: list[str], env: dict[str, str], cwd: Path | None = None,
               seconds: float = 60) -> tuple[int, bytes]:
    """(exit code, everything written to the terminal) of one command, read until it closes
    the terminal or exits, or `seconds` pass."""
    master, slave = os.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "timeline", *args], cwd=cwd, stdin=slave,
                            stdout=slave, stderr=slave, env=env)
    os.close(slave)
    out, deadline = b"", time.monotonic() + seconds
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([master], [], [], 1.0)
            if ready:
                try:
                    chunk = os.read(master, 65536)
                except OSError:
                    break
                if not chunk:
                    break
                out += chunk
            elif proc.poll() is not None:
                break
        return proc.wait(timeout=10), out
    finally:
        os.close(master)
