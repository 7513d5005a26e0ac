"""A run's summary line: files read, then what a person cares about (documents, timeline
events new and changed), then the log records that carry them, each counted on its own:
"42 documents, 28 timeline events (28 new), 2,889 log records", never one figure for all."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def changes(before: Mapping[str, tuple[Any, ...]], after: Mapping[str, tuple[Any, ...]]
            ) -> dict[str, int]:
    """Timeline events added, changed (what `show` prints of them differs) and gone."""
    return {"new": sum(1 for k in after if k not in before),
            "changed": sum(1 for k, v in after.items() if k in before and before[k] != v),
            "gone": sum(1 for k in before if k not in after)}


def _n(count: int, one: str, many: str | None = None) -> str:
    return f"{count:,} {one if count == 1 else (many or one + 's')}"


def line(run_id: str, counts: Mapping[str, int], documents: int, events: int,
         moved: Mapping[str, int], records: int) -> str:
    files = (f"{_n(counts['seen'], 'file')} ({counts['new']} new, {counts['revised']} revised, "
             f"{counts['unchanged']} unchanged, {counts['rejected']} rejected"
             + (f", {counts['failed']} failed" if counts.get("failed") else "") + ")")
    said = [f"{moved[k]:,} {k}" for k in ("new", "changed", "gone") if moved.get(k)]
    return (f"run {run_id}: {files}; {_n(documents, 'document')}, "
            f"{_n(events, 'timeline event')}" + (f" ({', '.join(said)})" if said else "")
            + f", {_n(records, 'log record')} appended")
