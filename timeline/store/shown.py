"""What a reader sees of the timeline, as rows to compare: a run's summary counts the
timeline events it added and changed (the `timeline` view: the events `show` lists), not
the log records that carried them."""

from __future__ import annotations

from typing import Any


def timeline_rows(store: Any) -> dict[str, tuple[Any, ...]]:
    """Each shown event's id and what `show` prints of it (rank, dates, status, kind, title,
    story, sources, conflicts)."""
    rows = store.conn.execute(
        "SELECT event, rank, date, end_date, status, kind, title, story, sources, conflicts "
        "FROM timeline").fetchall()
    return {r[0]: tuple(r[1:]) for r in rows}


def timeline_count(store: Any) -> int:
    """How many events `show` lists (`len(timeline_rows(store))`, without reading them)."""
    return int(store.conn.execute("SELECT count(*) FROM timeline").fetchone()[0])


def document_count(store: Any) -> int:
    return int(store.conn.execute("SELECT count(*) FROM documents").fetchone()[0])
