"""Applying fold statements to SQLite: the projection schema, batched execution, replay.

Part of the store (the only code that talks to SQLite); split from store/__init__.py, which
keeps the log itself.
"""

from __future__ import annotations

import functools
import json
import re
import sqlite3
from collections.abc import Iterable, Iterator
from typing import Any

from timeline import events as ev
from timeline.projections import FOLDS, FTS_GROUP, ROWS, Statement
from timeline.schema import FTS, PROJECTIONS, VIEWS

_TABLE = re.compile(r"(?:INTO|UPDATE|FROM)\s+(\w+)", re.IGNORECASE)


@functools.cache
def _table_of(sql: str) -> str:
    m = _TABLE.search(sql)
    return m.group(1) if m else ""


def _execute_grouped(conn: sqlite3.Connection, statements: Iterable[Statement]) -> None:
    """Run fold statements, batching runs of the same SQL into executemany.

    Statements are first split by the table they write, keeping their order within each
    table. Writes to different tables commute (the one cross-table read, a document taking
    the date already derived for it, is always followed by the write that sets that date),
    so per-table runs are long and each becomes one executemany call. An FTS table's
    statements read the rowids of the table it indexes, so they keep their order among
    that table's statements (projections.FTS_GROUP).
    """
    by_table: dict[str, list[Statement]] = {}
    for st in statements:
        table = _table_of(st[0])
        by_table.setdefault(FTS_GROUP.get(table, table), []).append(st)
    for stmts in by_table.values():
        sql_prev: str | None = None
        batch: list[tuple[Any, ...]] = []
        for sql, params in stmts:
            if sql != sql_prev and batch:
                conn.executemany(sql_prev, batch)  # type: ignore[arg-type]
                batch = []
            sql_prev = sql
            batch.append(params)
        if batch:
            conn.executemany(sql_prev, batch)  # type: ignore[arg-type]


def create_projections(conn: sqlite3.Connection, *, indexes: bool = True) -> None:
    for ddl, _ in PROJECTIONS.values():
        conn.execute(ddl)
    if indexes:
        create_indexes(conn)
    for ddl in FTS.values():
        conn.execute(ddl)
    for ddl in VIEWS.values():
        conn.execute(ddl)
    conn.execute("INSERT INTO projection_state (name, last_seq) VALUES ('all', 0)")


def create_indexes(conn: sqlite3.Connection) -> None:
    """Secondary indexes; a rebuild adds them after the bulk fold, which is much faster."""
    for _, indexes in PROJECTIONS.values():
        for idx in indexes:
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
    by record. Runs are applied in log order, so the result is the fold's, record by record.
    """
    sql = f"SELECT seq, type, version FROM {table} WHERE seq > ?"
    params: list[Any] = [since]
    if until is not None:
        sql += " AND seq <= ?"
        params.append(until)
    runs: list[list[Any]] = []  # [type, version, first seq, last seq]
    for seq, type_, version in conn.execute(sql + " ORDER BY seq", params):
        if runs and runs[-1][0] == type_ and runs[-1][1] == version:
            runs[-1][3] = seq
        else:
            runs.append([type_, version, seq, seq])
    last = since
    # a connection of another dialect (store.pgconn) compiles the same rows its own way
    compiled = getattr(conn, "bulk_statements", _bulk)
    for type_, version, first, end in runs:
        spec = ROWS.get(type_)
        cls = ev.REGISTRY.get(type_)
        if spec is not None and cls is not None and version == cls.version \
                and spec.table not in skip:
            for statement in compiled(type_, table):
                conn.execute(statement, (type_, first - 1, end))
        else:
            _fold_rows(conn, raw_rows(conn, since=first - 1, until=end, table=table), skip)
        last = end
    if runs:
        conn.execute("UPDATE projection_state SET last_seq = ? WHERE name = 'all'", (last,))
    return last


@functools.cache
def _bulk(type_: str, table: str) -> list[str]:
    return ROWS[type_].bulk(table)


def _fold_rows(conn: sqlite3.Connection, rows: Iterable[tuple[Any, ...]],
               skip: frozenset[str], chunk: int = 20000) -> None:
    """Fold raw log rows (seq, event_id, type, version, run_id, data) one record at a time."""
    pending: list[Statement] = []
    known = ev.REGISTRY
    folds = FOLDS
    loads = json.loads
    for seq, event_id, type_, version, run_id, blob in rows:
        cls = known.get(type_)
        data = loads(blob)
        if cls is None or version != cls.version:
            # Unknown or old: go through the registry so upcasting or a clear error happens.
            data = ev.to_data(ev.from_data(type_, version, data, seq))
        stmts = folds[type_]({"seq": seq, "event_id": event_id, "type": type_,
                              "run_id": run_id}, data)
        pending += [st for st in stmts if _table_of(st[0]) not in skip] if skip else stmts
        if len(pending) >= chunk:
            _execute_grouped(conn, pending)
            pending = []
    _execute_grouped(conn, pending)


def raw_rows(conn: sqlite3.Connection, since: int = 0,
             until: int | None = None, table: str = "log") -> Iterator[tuple[Any, ...]]:
    sql = f"SELECT seq, event_id, type, version, run_id, data FROM {table} WHERE seq > ?"
    params: list[Any] = [since]
    if until is not None:
        sql += " AND seq <= ?"
        params.append(until)
    return conn.execute(sql + " ORDER BY seq", params)
