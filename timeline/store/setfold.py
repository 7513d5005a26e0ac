"""Set-based folds: a run of records whose fold writes several rows per record, folded
together with one `executemany` per table.

Part of the store. An EventFormed record folds into its events row, its fact head, one
event_sources row per source and the FTS rows of their quotes (projections._event_formed).
Folded record by record through store.foldbatch, whose generic batching (chains of
statements per record, merged) was most of a rebuild's Python time: 16,000 events and
34,000 sources at 1,000 documents. Here a run is read from the log in one query, only the
newest record of each event is folded (a later record of an event replaces its row and
deletes the sources before it: the same end state), and the rows are written table by
table. The rows are the fold's own (projections._event_formed builds them); quotes are cut
from the documents' texts as store.quotes does.

Compiling the fold to INSERT ... SELECT with SQLite's JSON functions, as projections.Row
does for one-row-per-record facts, gave the same rows but took twice the time: each source
quote read its document's text by a scalar subquery, and each column re-extracted from the
payload. SQLite only: PostgreSQL keeps the per-record fold.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import attrs

from timeline.projections import _SOURCE_BY_OFFSETS, _UPSERT, _event_formed
from timeline.store import quotes

Run = Callable[[Any, str, int, int], None]  # (connection, type, after seq, up to seq)


@attrs.frozen
class SetFold:
    """A fold of every record of one type in a seq range (FoldBatch.add_bulk runs it
    where it runs compiled statements): the tables it writes, fact_heads aside (`head` names
    those rows), and the other tables it reads."""

    writes: frozenset[str]
    reads: frozenset[str]
    head: str | None
    make: Callable[[str, frozenset[str]], Run]  # (log table, skipped tables) -> the fold

    def bulk(self, log: str, skip: frozenset[str]) -> list[Run]:
        return [self.make(log, skip)]


_DROP_QUOTES = ("DELETE FROM quotes_fts WHERE rowid IN "
                "(SELECT rowid FROM event_sources WHERE event = ?)")
_DROP_SOURCES = "DELETE FROM event_sources WHERE event = ?"


def _newest(conn: Any, log: str, type_: str, first: int, end: int
            ) -> dict[str, tuple[int, str, dict[str, Any]]]:
    """event -> (seq, event_id, payload) of its newest record in the range, in that
    record's seq order (the order a record-by-record fold leaves its row written)."""
    newest: dict[str, tuple[int, str, dict[str, Any]]] = {}
    loads = json.loads
    for seq, event_id, blob in conn.execute(
            f"SELECT seq, event_id, data FROM {log} WHERE +type = ? AND seq > ? AND seq <= ? "
            "ORDER BY seq", (type_, first, end)):
        data = loads(blob)
        key = data["event"]
        newest.pop(key, None)
        newest[key] = (seq, event_id, data)
    return newest


def _event_rows(newest: dict[str, tuple[int, str, dict[str, Any]]]
                ) -> tuple[dict[str, list[Any]], list[Any], list[int]]:
    """The fold's statements of each newest record, by SQL text (heads, events, the
    quote inserts), and its sources in order (the positions of those to quote from the
    documents' texts apart)."""
    by_sql: dict[str, list[Any]] = {}
    sources: list[Any] = []
    by_offsets: list[int] = []
    for seq, event_id, data in newest.values():
        statements = _event_formed({"seq": seq, "event_id": event_id}, data)
        n = len(data["sources"])
        head, row, _, _ = statements[:4]
        by_sql.setdefault(head[0], []).append(head[1])
        by_sql.setdefault(row[0], []).append(row[1])
        for sql, params in statements[4:4 + n]:
            if sql is _SOURCE_BY_OFFSETS:
                by_offsets.append(len(sources))
            sources.append((sql, params))
        for sql, params in statements[4 + n:]:
            by_sql.setdefault(sql, []).append(params)
    return by_sql, sources, by_offsets


def _write_sources(conn: Any, sources: list[Any], by_offsets: list[int]) -> None:
    """The sources in order, as one statement when store.quotes can cut every quote."""
    if by_offsets:
        sql, cut = quotes.by_value(conn, [sources[i][1] for i in by_offsets])
        if sql is not quotes.BY_VALUE:  # offsets it does not take: each as folded
            for sql, params in sources:
                conn.execute(sql, params)
            return
        for i, params in zip(by_offsets, cut, strict=True):
            sources[i] = (sql, params)
    # an upsert's columns are BY_VALUE's, in its order (checked below)
    conn.executemany(quotes.BY_VALUE, [params for _, params in sources])


def _events(log: str, skip: frozenset[str]) -> Run:
    def run(conn: Any, type_: str, first: int, end: int) -> None:
        newest = _newest(conn, log, type_, first, end)
        keys = [(k,) for k in newest]
        if conn.execute("SELECT 1 FROM event_sources LIMIT 1").fetchone() is not None:
            if "quotes_fts" not in skip:
                conn.executemany(_DROP_QUOTES, keys)
            conn.executemany(_DROP_SOURCES, keys)
        by_sql, sources, by_offsets = _event_rows(newest)
        quote_sql = [sql for sql in by_sql if "quotes_fts" in sql]
        for sql, rows in by_sql.items():
            if sql not in quote_sql:
                conn.executemany(sql, rows)
        _write_sources(conn, sources, by_offsets)
        for sql in quote_sql:
            if "quotes_fts" not in skip:
                conn.executemany(sql, by_sql[sql])
    return run


assert _UPSERT["event_sources"][1] == ["event", "document", "quote", "start", "end", "lang",
                                       "title"]

SETS: dict[str, SetFold] = {
    "EventFormed": SetFold(writes=frozenset({"events", "event_sources", "quotes_fts"}),
                           reads=frozenset({"documents"}), head="EventFormed", make=_events),
}
