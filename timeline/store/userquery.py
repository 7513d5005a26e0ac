"""User SQL (`timeline query`): what it may do, and how it is stopped.

The connection is read-only, but read-only is not enough for SQL typed by a user (or pasted
from a web page): `ATTACH 'file:/x?mode=rwc'` creates a file anywhere, `PRAGMA query_only =
OFF` lifts our guard, extension and file functions reach outside the database, and a
recursive CTE without an end runs forever while holding a read snapshot. So while user SQL
is prepared and stepped, an authorizer refuses those actions, and a progress handler asks
the caller (the CLI, which owns the clock and the signals) whether to stop.

The authorizer is installed for user statements only: `Store.as_of` ATTACHes the real file
to its scratch database before any user SQL runs, and keeps working.
"""

from __future__ import annotations

import functools
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any


class QueryDenied(Exception):
    pass


# Pragmas that only read, and only describe the schema or the file.
READ_PRAGMAS = frozenset({
    "table_info", "table_xinfo", "table_list", "index_list", "index_info", "index_xinfo",
    "foreign_key_list", "foreign_key_check", "integrity_check", "quick_check",
    "collation_list", "function_list", "module_list", "pragma_list", "database_list",
    "compile_options", "application_id", "user_version", "schema_version", "data_version",
    "page_count", "page_size", "freelist_count", "encoding", "journal_mode", "foreign_keys",
    "query_only",
})
# Pragmas whose argument is a table, an index or a count, not a new value.
ARGUMENT_PRAGMAS = frozenset({
    "table_info", "table_xinfo", "table_list", "index_list", "index_info", "index_xinfo",
    "foreign_key_list", "foreign_key_check", "integrity_check", "quick_check",
})
DENIED_FUNCTIONS = frozenset({"load_extension", "readfile", "writefile", "edit",
                              "fts3_tokenizer"})
PROGRESS_OPS = 10_000  # SQLite VM steps between two calls of the stop check

Check = Callable[[int, str | None, str | None, str | None, str | None], int]


def _refusal(action: int, arg1: str | None, arg2: str | None) -> str | None:
    if action == sqlite3.SQLITE_ATTACH:
        return "ATTACH"
    if action == sqlite3.SQLITE_DETACH:
        return "DETACH"
    if action == sqlite3.SQLITE_PRAGMA:
        name = (arg1 or "").lower()
        if name not in READ_PRAGMAS or (arg2 is not None and name not in ARGUMENT_PRAGMAS):
            return f"PRAGMA {name}" + ("" if arg2 is None else " with a value")
    if action == sqlite3.SQLITE_FUNCTION and (arg2 or "").lower() in DENIED_FUNCTIONS:
        return f"{arg2}()"
    return None


def authorizer(refused: list[str]) -> Check:
    """An authorizer that denies what user SQL must not do, noting the first refusal so
    the user reads what was refused rather than SQLite's bare 'not authorized'."""
    def check(action: int, arg1: str | None, arg2: str | None, _db: str | None,
              _source: str | None) -> int:
        why = _refusal(action, arg1, arg2)
        if why is None:
            return sqlite3.SQLITE_OK
        refused.append(why)
        return sqlite3.SQLITE_DENY
    return check


# TEXT that is not UTF-8 (e.g. `CAST(X'ff' AS TEXT)`) would raise mid-fetch; U+FFFD instead.
_lenient_text = functools.partial(str, encoding="utf-8", errors="replace")


@contextmanager
def guarded(conn: sqlite3.Connection, should_stop: Callable[[], bool] | None
            ) -> Iterator[list[str]]:
    """The authorizer, the stop check and lenient text decoding, for one user statement."""
    refused: list[str] = []
    conn.set_authorizer(authorizer(refused))
    if should_stop is not None:
        conn.set_progress_handler(should_stop, PROGRESS_OPS)
    old_factory, conn.text_factory = conn.text_factory, _lenient_text
    try:
        yield refused
    finally:
        conn.set_authorizer(None)
        conn.set_progress_handler(None, 0)
        conn.text_factory = old_factory


def execute(conn: sqlite3.Connection, sql: str, params: Sequence[Any] | dict[str, Any],
            refused: list[str]) -> sqlite3.Cursor:
    try:
        return conn.execute(sql, params)
    except sqlite3.DatabaseError:
        if refused:
            raise QueryDenied(f"{refused[0]} is not allowed in queries") from None
        raise
