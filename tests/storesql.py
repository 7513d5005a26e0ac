"""SQL on the store a test ran the CLI on, read through the store API (`connect`), so the
test checks the same thing under `--store postgres` as on a SQLite file: `cli.db(name)` is
the file, or its PostgreSQL database's URL. The statements are in SQLite's SQL, as the
store's own are (a PostgreSQL store translates them, store/dialect.py)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from timeline.store import connect


def rows(db: str | Path, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
    """Every row of one read-only query."""
    with connect(db, readonly=True) as store:
        return [tuple(r) for r in store.conn.execute(sql, params).fetchall()]


def value(db: str | Path, sql: str, params: Sequence[Any] = ()) -> Any:
    """The first column of the first row (a count, a max)."""
    return rows(db, sql, params)[0][0]
