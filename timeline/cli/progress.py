"""What a run is doing, on stderr, while a person watches: a bar while files are read, then a
line for each corpus-wide phase (segmenting, linking stories, reconstructing, recording,
entities) with the stage at work, how many documents it has done and the time elapsed, so
no phase longer than a second passes in silence.

Only on a terminal and never with --quiet: a cron job's stderr or a pipe gets nothing (the
bar is transient, so the summary line is all that stays on screen). One run at a time, so
the active display is module state: the stages report through `phase` and `tick` without
being handed anything (`tick` is a no-op when nothing is shown).
"""

from __future__ import annotations

import os
import sys
from typing import Any

_active: _Display | None = None


class _Display:
    def __init__(self, total: int) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            SpinnerColumn,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        self.bar = Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(),
                            MofNCompleteColumn(), TimeElapsedColumn(), TimeRemainingColumn(),
                            transient=True, console=Console(stderr=True))
        self.task: Any = self.bar.add_task("reading files", total=total)
        self.pid = os.getpid()  # a forked worker inherits this module, not the display
        self.name = ""
        self.counts: dict[str, int] = {}
        self.bar.start()

    def begin(self, name: str) -> None:
        """A new phase replaces the one before (its work is done)."""
        self.bar.remove_task(self.task)
        self.name, self.counts = name, {}
        self.task = self.bar.add_task(name, total=None)
        self.bar.refresh()  # drawn at once: a phase is seen even when it ends in 0.1 s

    def tick(self, stage: str) -> None:
        if not self.name:
            return  # reading: the bar counts files, not stages
        self.counts[stage] = self.counts.get(stage, 0) + 1
        done = ", ".join(f"{s} {n}" for s, n in self.counts.items())
        self.bar.update(self.task, description=f"{self.name} ({done})")


def start(total: int, *, quiet: bool) -> None:
    """Show progress for a run of `total` files when stderr is a terminal and not quiet."""
    global _active
    stop()
    if not quiet and sys.stderr.isatty():
        _active = _Display(total)


def advance() -> None:
    if _active is not None and not _active.name:
        _active.bar.advance(_active.task)


def phase(name: str) -> None:
    """Say that a corpus-wide phase begins (what `name` says, in words); it lasts until the
    next one begins or the display stops."""
    if _active is not None:
        _active.begin(name)


def tick(stage: str) -> None:
    """A stage finished one document (the guard calls this for every stage it runs)."""
    if _active is not None and _active.pid == os.getpid():
        _active.tick(stage)


def stop() -> None:
    global _active
    if _active is not None:
        _active.bar.stop()
        _active = None
