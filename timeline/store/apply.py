"""Applying fold statements to SQLite: the projection schema, batched execution, replay.

Part of the store (the only code that talks to SQLite); split from store/__init__.py, which
keeps the log itself.
"""

from __future__ import annotations

import functools
import json
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from timeline import events as ev
from timeline.projections import FOLD_KEYS, FOLDS, ROWS
from timeline.schema import FTS, PROJECTIONS, VIEWS
from timeline.store.foldbatch import FoldBatch
from timeline.store.setfold import SETS

# The indexes a per-record fold searches by (a DELETE on a column that is not the table's
# key): a replay into fresh tables has them from the start, the others come after the bulk
# fold. Without it each document's entity mentions were deleted by reading the whole table,
# a cost growing with the corpus per document (1.7 s of a 1,000-document rebuild's 9 s).
FOLD_LOOKUPS = frozenset({"entity_mentions_document"})


def _indexes(lookups: bool) -> Iterator[str]:
    for _, indexes in PROJECTIONS.values():
        for idx in indexes:
            if (idx.split()[2] in FOLD_LOOKUPS) == lookups:
                yield idx


def create_projections(conn: sqlite3.Connection, *, indexes: bool = True) -> None:
    for ddl, _ in PROJECTIONS.values():
        conn.execute(ddl)
    for idx in _indexes(lookups=True):
        conn.execute(idx)
    if indexes:
        create_indexes(conn)
    for ddl in FTS.values():
        conn.execute(ddl)
    for ddl in VIEWS.values():
        conn.execute(ddl)
    conn.execute("INSERT INTO projection_state (name, last_seq) VALUES ('all', 0)")


def create_indexes(conn: sqlite3.Connection) -> None:
    """Secondary indexes (but FOLD_LOOKUPS, made with the tables); a rebuild adds them after
    the bulk fold, which is much faster."""
    for idx in _indexes(lookups=False):
        conn.execute(idx)


def drop_projections(conn: sqlite3.Connection) -> None:
    for name in VIEWS:
        conn.execute(f"DROP VIEW IF EXISTS {name}")
    for name in [*FTS, *PROJECTIONS]:
        conn.execute(f"DROP TABLE IF EXISTS {name}")


def replay(conn: sqlite3.Connection, since: int = 0, until: int | None = None,
           table: str = "log", skip: frozenset[str] = frozenset()) -> int:
    """Fold the log records after `since` (up to `until`) into the projection tables of
    `conn`; return the last seq folded. The one way projections change: appends, catch-up,
    rebuild and --as-of all come here.

    The log is read as runs of one event type. A run of a type whose fold is a `Row` spec
    becomes one INSERT ... SELECT per table, executed by SQLite over the whole run (the
    payload read with json_extract, never parsed in Python); other runs are folded record
    by record. A FoldBatch executes them together: the result is the fold's, record by
    record in log order, with few statements (store.foldbatch).
    """
    runs = _log_runs(conn, table, since, until)
    _apply_runs(conn, runs, table, skip,
                lambda first, end: raw_rows(conn, since=first - 1, until=end, table=table))
    return runs[-1][3] if runs else since


def fold_appended(conn: sqlite3.Connection, rows: Sequence[tuple[Any, ...]]) -> None:
    """`replay` of the rows an append just wrote, (seq, event_id, type, version, run_id,
    payload dict): the same fold, from the payloads in hand instead of read back and parsed
    from the log (the bulk statements read the log, as always)."""
    runs = _runs((r[0], r[2], r[3]) for r in rows)
    first = rows[0][0] if rows else 0
    _apply_runs(conn, runs, "log", frozenset(),
                lambda a, b: rows[a - first: b - first + 1])


def _log_runs(conn: sqlite3.Connection, table: str, since: int,
              until: int | None) -> list[list[Any]]:
    """The runs of one type and version in a range of the log, [type, version, first seq,
    last seq], found one query per run (the database skips over a run's rows), not by
    reading every row's type into Python: most of a replay's own time on long runs."""
    bound, extra = ("", []) if until is None else (" AND seq <= ?", [until])
    head = f"SELECT seq, type, version FROM {table} WHERE seq > ?{bound}"
    row = conn.execute(f"{head} ORDER BY seq LIMIT 1", [since, *extra]).fetchone()
    nxt = f"{head} AND (type <> ? OR version <> ?) ORDER BY seq LIMIT 1"
    runs: list[list[Any]] = []
    while row is not None:
        seq, type_, version = row
        row = conn.execute(nxt, [seq, *extra, type_, version]).fetchone()
        runs.append([type_, version, seq, None if row is None else row[0] - 1])
    if runs:
        runs[-1][3] = conn.execute(f"SELECT max(seq) FROM {table} WHERE seq > ?{bound}",
                                   [since, *extra]).fetchone()[0]
    return runs


def _runs(rows: Iterable[tuple[int, str, int]]) -> list[list[Any]]:
    """(seq, type, version) in seq order as runs [type, version, first seq, last seq]."""
    runs: list[list[Any]] = []
    for seq, type_, version in rows:
        if runs and runs[-1][0] == type_ and runs[-1][1] == version:
            runs[-1][3] = seq
        else:
            runs.append([type_, version, seq, seq])
    return runs


def _apply_runs(conn: sqlite3.Connection, runs: list[list[Any]], table: str,
                skip: frozenset[str],
                records: Callable[[int, int], Iterable[tuple[Any, ...]]]) -> None:
    # a connection of another dialect (store.pgconn) compiles the same rows its own way
    compiled = getattr(conn, "bulk_statements", None)
    batch = FoldBatch(conn, skip)
    for type_, version, first, end in runs:
        spec = ROWS.get(type_)
        cls = ev.REGISTRY.get(type_)
        current = cls is not None and version == cls.version
        fold = SETS.get(type_) if compiled is None else None  # SQLite's JSON functions
        if current and spec is not None and spec.table not in skip:
            batch.add_bulk(type_, first - 1, end, frozenset({spec.table}), spec.head,
                           (compiled or _bulk)(type_, table))
        elif current and fold is not None:
            batch.add_bulk(type_, first - 1, end, fold.writes - skip, fold.head,
                           fold.bulk(table, skip), fold.reads)
        else:
            _fold_rows(batch, records(first, end))
    batch.flush()
    if runs:
        conn.execute("UPDATE projection_state SET last_seq = ? WHERE name = 'all'",
                     (runs[-1][3],))


@functools.cache
def _bulk(type_: str, table: str) -> list[str]:
    return ROWS[type_].bulk(table)


def _fold_rows(batch: FoldBatch, rows: Iterable[tuple[Any, ...]]) -> None:
    """Fold log rows (seq, event_id, type, version, run_id, data: JSON text or the payload
    dict) one record at a time into `batch`, which executes them together (store.foldbatch).
    """
    known = ev.REGISTRY
    folds = FOLDS
    keys_of = FOLD_KEYS
    loads = json.loads
    for seq, event_id, type_, version, run_id, blob in rows:
        cls = known.get(type_)
        data = loads(blob) if isinstance(blob, str) else blob
        current = cls is not None and version == cls.version
        if not current:
            # Unknown or old: go through the registry so upcasting or a clear error happens.
            data = ev.to_data(ev.from_data(type_, version, data, seq))
        keys = keys_of.get(type_) if current else None
        batch.add(type_, keys(data) if keys is not None else None,
                  folds[type_]({"seq": seq, "event_id": event_id, "type": type_,
                                "run_id": run_id}, data))


def raw_rows(conn: sqlite3.Connection, since: int = 0,
             until: int | None = None, table: str = "log") -> Iterator[tuple[Any, ...]]:
    sql = f"SELECT seq, event_id, type, version, run_id, data FROM {table} WHERE seq > ?"
    params: list[Any] = [since]
    if until is not None:
        sql += " AND seq <= ?"
        params.append(until)
    return conn.execute(sql + " ORDER BY seq", params)
