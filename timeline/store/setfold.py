"""Set-based folds: a run of records whose fold writes several rows per record, folded
together, a few statements per table instead of a fold per record.

Part of the store. An EventFormed record folds into its events row, its fact head, one
event_sources row per source and the FTS rows of their quotes (projections._event_formed).
Folded record by record through store.foldbatch, whose generic batching (each record's
statements built, chained and merged) was the largest Python part of a rebuild: 16,000
events and 34,000 sources at 1,000 documents. Here only the newest record of each event in
the run is folded (a later record of an event replaces its row and deletes the sources
before it: the same end state). Its events row is one INSERT ... SELECT over the log, with
SQLite's JSON functions, as projections.Row compiles one-row-per-record facts; its sources
are the fold's own rows (projections._source) from the payload's `sources` alone, their
quotes cut from the documents' texts by store.quotes: all of it in SQL was slower, each
quote reading its document's text by a scalar subquery (and the whole payload parsed in
Python was slower still).

Only rowids may differ from a fold one record at a time, which nothing compares
(store.foldbatch). SQLite only: PostgreSQL keeps the per-record fold (its connection
compiles Row statements of its own, store.pgconn).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import attrs

from timeline.events import VISIBLE_V1
from timeline.projections import (
    _SOURCE_BY_OFFSETS,
    _UPSERT,
    QUOTES_OF_EVENT,
    _drop_entity_mentions,
    _head,
    _source,
)
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

# The fold's values, from the payload in SQL (projections._event_formed's row): what a
# payload lacks takes the fold's default, `series` is NULL when empty (`or None`)
_RANGE = "FROM {log} AS l WHERE +l.type = ? AND l.seq > ? AND l.seq <= ? ORDER BY l.seq"
# the newest records when some event is formed twice in the run: their seqs, a JSON list
_LISTED = "FROM {log} AS l WHERE l.seq IN (SELECT value FROM json_each(?)) ORDER BY l.seq"


def _field(name: str) -> str:
    return f"json_extract(l.data, '$.{name}')"


def _or(name: str, default: str) -> str:
    """`data.get(name, default)`."""
    return f"CASE WHEN json_type(l.data, '$.{name}') IS NULL THEN {default} " \
           f"ELSE {_field(name)} END"


_SALIENCE = _or("salience", str(VISIBLE_V1))
_EVENT_VALUES = {
    "id": _field("event"),
    "source_count": "(SELECT count(DISTINCT json_extract(value, '$.document')) "
                    "FROM json_each(l.data, '$.sources'))",
    "event_id": "l.event_id", "seq": "l.seq",
    "label": _or("label", _field("kind")),
    "class": _field("event_class"),
    "salience": _SALIENCE,
    "series": f"CASE WHEN {_field('series')} IN ('', 0, '[]', '{{}}') THEN NULL "
              f"ELSE {_field('series')} END",
}
_EVENTS = _UPSERT["events"][0].split(" VALUES ")[0] + " SELECT " + ", ".join(
    _EVENT_VALUES.get(c, _field(c)) for c in _UPSERT["events"][1]) + " "
# every record of the run: its event, sources, and whether its quotes are searched
_FORMED = (f"SELECT l.seq, l.event_id, {_field('event')}, {_field('sources')}, "
           f"{_SALIENCE} >= {VISIBLE_V1} {_RANGE}")


def _write_sources(conn: Any, sources: list[Any]) -> None:
    """The sources in order, as one statement when store.quotes can cut every quote."""
    by_offsets = [i for i, (sql, _) in enumerate(sources) if sql is _SOURCE_BY_OFFSETS]
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


def _heads_and_rows(conn: Any, type_: str, newest: dict[str, tuple[Any, ...]], total: int,
                    in_range: str, listed: str, params: tuple[Any, ...]) -> None:
    """The newest records' fact heads, then their rows: by the run's range when every
    record of it is the newest of its key, else by the listed log rows."""
    heads = [_head({"event_id": r[1]}, type_, r[2], 0) for r in newest.values()]
    if heads:
        conn.executemany(heads[0][0], [p for _, p in heads])
    if len(newest) == total:
        conn.execute(in_range, params)
    else:
        conn.execute(listed, (json.dumps([r[0] for r in newest.values()]),))


def _events(log: str, skip: frozenset[str]) -> Run:
    """The fold of an EventFormed run: the sources of every event it forms dropped, then
    the newest record's head, row and sources written, and its quotes indexed if shown."""
    formed_sql = _FORMED.replace("{log}", log)
    in_range, listed = (_EVENTS + tail.replace("{log}", log) for tail in (_RANGE, _LISTED))
    fts = "quotes_fts" not in skip

    def run(conn: Any, type_: str, first: int, end: int) -> None:
        params = (type_, first, end)
        formed = conn.execute(formed_sql, params).fetchall()
        newest: dict[str, tuple[Any, ...]] = {}
        for row in formed:
            newest.pop(row[2], None)  # a later record of the event replaces it
            newest[row[2]] = row
        keys = [(event,) for event in newest]
        if conn.execute("SELECT 1 FROM event_sources LIMIT 1").fetchone() is not None:
            if fts:
                conn.executemany(_DROP_QUOTES, keys)
            conn.executemany(_DROP_SOURCES, keys)
        _heads_and_rows(conn, "EventFormed", newest, len(formed), in_range, listed, params)
        loads = json.loads
        _write_sources(conn, [_source(r[2], s) for r in newest.values() for s in loads(r[3])])
        if fts:
            conn.executemany(QUOTES_OF_EVENT, [(r[2],) for r in newest.values() if r[4]])
    return run


def _name(i: int) -> str:
    return f"json_extract(j.value, '$[{i}]')"


def _text(expr: str) -> str:
    """An f-string's rendering of a JSON scalar: a number's digits, 'None' for null."""
    return f"coalesce(CAST({expr} AS TEXT), 'None')"


_MENTION_VALUES = {
    "key": f"{_text(_field('document'))} || ':' || {_text(_name(0))} || ':' || "
           f"{_text(_name(1))}",
    "document": _field("document"), "start": _name(0), "end": _name(1), "text": _name(2),
    "label": _name(3), "language": _field("language"), "local": _name(4),
    "entity": _name(5), "engine": _field("engine"), "event_id": "l.event_id",
    "seq": "l.seq",
}
_MENTIONS = (_UPSERT["entity_mentions"][0].split(" VALUES ")[0] + " SELECT "
             + ", ".join(_MENTION_VALUES[c] for c in _UPSERT["entity_mentions"][1])
             + " FROM {log} AS l, json_each(l.data, '$.names') AS j WHERE ")
_MENTIONED = f"SELECT l.seq, l.event_id, {_field('document')} {_RANGE}"


def _entities(log: str, skip: frozenset[str]) -> Run:
    """The fold of an EntitiesMentioned run (projections._entities_mentioned): the rows of
    every document it names dropped, then the newest record's head and rows written."""
    mentioned = _MENTIONED.replace("{log}", log)
    head = _MENTIONS.replace("{log}", log)
    in_range = head + "+l.type = ? AND l.seq > ? AND l.seq <= ? ORDER BY l.seq, j.key"
    listed = head + "l.seq IN (SELECT value FROM json_each(?)) ORDER BY l.seq, j.key"

    def run(conn: Any, type_: str, first: int, end: int) -> None:
        params = (type_, first, end)
        records = conn.execute(mentioned, params).fetchall()
        newest: dict[str, tuple[Any, ...]] = {}
        for row in records:
            newest.pop(row[2], None)  # a later record of the document replaces its rows
            newest[row[2]] = row
        if conn.execute("SELECT 1 FROM entity_mentions LIMIT 1").fetchone() is not None:
            conn.executemany(_drop_entity_mentions("")[0], [(doc,) for doc in newest])
        _heads_and_rows(conn, "EntitiesMentioned", newest, len(records), in_range, listed,
                        params)
    return run


assert _UPSERT["event_sources"][1] == ["event", "document", "quote", "start", "end", "lang",
                                       "title"]

SETS: dict[str, SetFold] = {
    "EventFormed": SetFold(writes=frozenset({"events", "event_sources", "quotes_fts"}),
                           reads=frozenset({"documents"}), head="EventFormed", make=_events),
    "EntitiesMentioned": SetFold(writes=frozenset({"entity_mentions"}), reads=frozenset(),
                                 head="EntitiesMentioned", make=_entities),
}
