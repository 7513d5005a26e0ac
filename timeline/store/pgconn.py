"""A psycopg 3 connection that the store's code can use as it uses a sqlite3 connection.

`execute`, `executemany` and `in_transaction` behave as sqlite3's do (autocommit unless a
`BEGIN` was executed); every statement is translated by `dialect.translate`. What a
transaction means also maps: `BEGIN IMMEDIATE`, SQLite's "begin, and take the write lock
now", is `BEGIN` plus a transaction-scoped advisory lock, so two writers on two hosts append
one after the other and never fork the chain.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Iterable, Sequence
from typing import Any

from timeline.store.dialect import bulk, ddl, fts_ddl, fts_index, translate

# Advisory lock keys (one bigint space per database): the append lock serialises the chain,
# the writer lock is what `run` and `rebuild` hold for their whole work (cli/lock.py).
APPEND_LOCK = 0x546C6E6501
WRITER_LOCK = 0x546C6E6502

# A read of the log in seq order (replay's runs and rows, the chain): inside a transaction it
# goes through a server-side cursor, fetched in pages, so a fold of the whole log never holds
# the whole log in the client (a client cursor receives the entire result at once).
_LOG_SCAN = re.compile(r"^SELECT\b.*\bFROM [\w.]*\blog\b.*\bORDER BY seq$", re.S | re.I)
PAGE = 2000


def _psycopg() -> Any:
    try:
        import psycopg
    except ImportError:  # the extra is not installed
        return None
    return psycopg


def _bool_as_int(conn: Any) -> None:
    """Python booleans go in as 0/1, as sqlite3 stores them (the columns are BIGINT)."""
    from psycopg.adapt import Dumper
    from psycopg.pq import Format

    class BoolAsInt(Dumper):
        oid = conn.adapters.types["int8"].oid
        format = Format.TEXT

        def dump(self, obj: Any) -> bytes:
            return b"1" if obj else b"0"

    conn.adapters.register_dumper(bool, BoolAsInt)


class PgConnection:
    """sqlite3.Connection's surface over a psycopg connection (see the module docstring)."""

    # apply.replay's compiled fold, in PostgreSQL's SQL (memoized per type and log table)
    bulk_statements: Any = staticmethod(functools.cache(bulk))
    temp_ddl = False  # CREATE TABLE/VIEW make temporary ones (a scratch fold: verify, as-of)

    def __init__(self, url: str, *, readonly: bool = False) -> None:
        psycopg = _psycopg()
        self.raw = psycopg.connect(url, autocommit=True, application_name="timeline")
        _bool_as_int(self.raw)
        if readonly:
            self.raw.execute("SET default_transaction_read_only = on")
        self.Error = psycopg.Error

    @property
    def in_transaction(self) -> bool:
        from psycopg.pq import TransactionStatus

        return self.raw.info.transaction_status != TransactionStatus.IDLE

    def execute(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> Any:
        head = sql.strip().upper()
        if head == "BEGIN IMMEDIATE":
            self.raw.execute("BEGIN")
            self.raw.execute("SELECT pg_advisory_xact_lock(%s)", (APPEND_LOCK,))
            return self.raw.cursor()
        if head in ("BEGIN", "COMMIT", "ROLLBACK"):
            return self.raw.execute(head)
        if head.startswith("CREATE VIRTUAL TABLE"):
            name = sql.split()[3]
            self.raw.execute(fts_ddl(name, temp=self.temp_ddl))
            for index in fts_index(name):
                self.raw.execute(index)
            return self.raw.cursor()
        if head.startswith("CREATE "):
            return self.raw.execute(ddl(sql, temp=self.temp_ddl))
        if isinstance(params, dict):
            return self.raw.execute(translate(sql), params)
        if self.in_transaction and _LOG_SCAN.match(sql.strip()):
            return self.scan(translate(sql), tuple(params))
        return self.raw.execute(translate(sql), tuple(params))

    _names = itertools.count(1)

    def scan(self, sql: str, params: Sequence[Any] = ()) -> Any:
        """A statement already in PostgreSQL's SQL through a server-side cursor (inside the
        current transaction; its rows arrive `PAGE` at a time as the caller iterates)."""
        cur = self.raw.cursor(name=f"timeline_scan_{next(self._names)}")
        cur.itersize = PAGE
        return cur.execute(sql, params or None)

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        with self.raw.cursor() as cur:
            cur.executemany(translate(sql), rows)

    def execute_raw(self, sql: str, params: Sequence[Any] | None = None) -> Any:
        """A statement already in PostgreSQL's SQL (DDL, catalog queries)."""
        return self.raw.execute(sql, params)

    def close(self) -> None:
        self.raw.close()
