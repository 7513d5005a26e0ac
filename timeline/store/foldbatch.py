"""Executing the per-record fold of many log records with few `executemany` calls.

Part of the store. A record's fold is a short list of statements in a fixed pattern (a
document: drop its FTS row, upsert it, take its date, index it; an event: drop its sources
and quotes, upsert it, insert each source, index its quotes). Executed record by record, each
statement differs from the one before and every `executemany` gets one row: about one call
per record. Here the records of a batch are executed together:

* statements are split by the table group they write (projections.FTS_GROUP keeps an FTS
  table with the table it indexes), as before: writes to different groups commute;
* within a group, each record's statements form a chain whose order is kept; the chains of
  records that touch different rows commute, so they are merged, each step executing the
  head statement shared by the most chains as one `executemany` (`merge_chains`);
* which rows a record touches is named by its fold keys (projections.FOLD_KEYS: a
  document's id, an event's id). A record whose keys meet those of a record already pending
  flushes the pending ones first, so a later record of the same document or event still
  supersedes an earlier one exactly as in a fold one record at a time. A record of a type
  without fold keys is a barrier: executed alone, in order.

The end state is that of the record-by-record fold; only the rowids a table assigns may
differ (nothing compares them: each FTS row takes the rowid of the row it indexes when that
row is written, and `verify` compares rows, not rowids).
"""

from __future__ import annotations

import functools
import re
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from timeline.projections import FTS_GROUP, Statement
from timeline.store import quotes

_TABLE = re.compile(r"(?:INTO|UPDATE|FROM|JOIN)\s+(\w+)", re.IGNORECASE)

Step = tuple[str, list[tuple[Any, ...]]]  # one SQL text and the parameter rows it runs for


@functools.cache
def table_of(sql: str) -> str:
    m = _TABLE.search(sql)
    return m.group(1) if m else ""


@functools.cache
def group_of(sql: str) -> str:
    table = table_of(sql)
    return FTS_GROUP.get(table, table)


def _groups(tables: frozenset[str]) -> frozenset[str]:
    return frozenset(FTS_GROUP.get(t, t) for t in tables)


@functools.cache
def reads_of(sql: str) -> frozenset[str]:
    """The table groups a statement reads besides its own (a document taking its date from
    document_dates, a source quoting its document's text)."""
    own = group_of(sql)
    return frozenset(g for t in _TABLE.findall(sql)[1:]
                     if (g := FTS_GROUP.get(t, t)) != own)


@functools.lru_cache(maxsize=4096)
def _touches(sqls: tuple[str, ...]) -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """The tables, table groups and read groups of a record's statements: records of one
    type repeat a few SQL texts, so a record's are worked out once per sequence of them, not
    per record (per record they were a third of FoldBatch.add's own time)."""
    return (frozenset(map(table_of, sqls)), frozenset(map(group_of, sqls)),
            frozenset().union(*map(reads_of, sqls)))


def _chain(statements: Iterable[Statement]) -> list[Step]:
    """Runs of one SQL text, in order: the steps of one record in one table group."""
    steps: list[Step] = []
    for sql, params in statements:
        if steps and steps[-1][0] == sql:
            steps[-1][1].append(params)
        else:
            steps.append((sql, [params]))
    return steps


def merge_chains(chains: Sequence[list[Step]]) -> Iterator[Step]:
    """Interleave commuting chains into as few steps as possible, keeping each chain's order:
    repeatedly run the SQL at the head of the most chains, for all of them (in chain order,
    so rows are written in record order)."""
    pos = [0] * len(chains)
    heads: dict[str, list[int]] = {}
    for i, chain in enumerate(chains):
        if chain:
            heads.setdefault(chain[0][0], []).append(i)
    while heads:
        sql = max(heads, key=lambda s: len(heads[s]))  # the first of equals: deterministic
        rows: list[tuple[Any, ...]] = []
        for i in sorted(heads.pop(sql)):
            chain = chains[i]
            rows += chain[pos[i]][1]
            pos[i] += 1
            if pos[i] < len(chain):
                heads.setdefault(chain[pos[i]][0], []).append(i)
        yield sql, rows


class FoldBatch:
    """Pending folds of a replay, executed together (see the module docstring): per-record
    folds, and the compiled bulk statements of `Row` types (projections.Row.bulk), whose seq
    ranges grow while nothing pending conflicts with them."""

    def __init__(self, conn: sqlite3.Connection, skip: frozenset[str] = frozenset(),
                 chunk: int = 20000) -> None:
        self.conn, self.skip, self.chunk = conn, skip, chunk
        # type -> [first seq - 1, last seq, tables written, fact head or None, statements,
        # table groups read]
        self.bulks: dict[str, list[Any]] = {}
        self._reset()

    def _reset(self) -> None:
        self.records: list[list[Statement]] = []
        self.keys: set[str] = set()
        self.tables: set[str] = set()  # every table a pending statement writes
        self.writes: set[str] = set()  # their table groups
        self.reads: set[str] = set()  # the other groups they read
        self.types: set[str] = set()  # the event types pending (their fact_heads rows)
        self.size = 0

    def add(self, type_: str, keys: Iterable[str] | None, statements: list[Statement]) -> None:
        """One record's fold; `keys` name the rows it touches (None: a barrier)."""
        if self.skip:
            statements = [st for st in statements if table_of(st[0]) not in self.skip]
        if keys is None:  # alone, after everything pending
            self.flush()
            self._execute([statements])
            return
        keys = set(keys)
        tables, writes, reads = _touches(tuple([sql for sql, _ in statements]))
        for t, (_, _, b_tables, head, _, b_reads) in list(self.bulks.items()):
            b_writes = _groups(b_tables)
            if t == type_ or head == type_ or not b_tables.isdisjoint(tables) \
                    or not b_writes.isdisjoint(reads) or not b_writes.isdisjoint(writes) \
                    or not b_reads.isdisjoint(writes):
                self._run_bulk(t)
        if not self.keys.isdisjoint(keys) or not self.writes.isdisjoint(reads) \
                or not self.reads.isdisjoint(writes) or self.size >= self.chunk:
            self._flush_records()
        self.records.append(statements)
        self.keys |= keys
        self.types.add(type_)
        self.tables |= tables
        self.writes |= writes
        self.reads |= reads
        self.size += len(statements)

    def add_bulk(self, type_: str, first: int, end: int, tables: frozenset[str],
                 head: str | None, statements: list[str],
                 reads: frozenset[str] = frozenset()) -> None:
        """The records of `type_` in seqs (first, end], by compiled statements that write
        `tables` (and the fact heads of `head`) and read `reads` besides."""
        writes, read_groups = _groups(tables), _groups(reads)
        for t, (_, _, b_tables, _, _, b_reads) in list(self.bulks.items()):
            # another type's pending bulk writing what this one touches runs first
            if t != type_ and (not _groups(b_tables).isdisjoint(writes | read_groups)
                               or not b_reads.isdisjoint(writes)):
                self._run_bulk(t)
        if not self.tables.isdisjoint(tables) or (head is not None and head in self.types) \
                or not self.reads.isdisjoint(writes) or not self.writes.isdisjoint(writes) \
                or not self.writes.isdisjoint(read_groups):
            self._flush_records()
        pending = self.bulks.get(type_)
        if pending is not None:
            pending[1] = end  # the statements select by type: what lies between is not read
        else:
            self.bulks[type_] = [first, end, tables, head, statements, read_groups]

    def flush(self) -> None:
        for t in list(self.bulks):
            self._run_bulk(t)
        self._flush_records()

    def _run_bulk(self, type_: str) -> None:
        first, end, _, _, statements, _ = self.bulks.pop(type_)
        for statement in statements:
            if callable(statement):  # a fold of the run in Python (store.setfold)
                statement(self.conn, type_, first, end)
            else:
                self.conn.execute(statement, (type_, first, end))

    def _flush_records(self) -> None:
        if self.records:
            self._execute(self.records)
        self._reset()

    def _execute(self, records: list[list[Statement]]) -> None:
        by_group: dict[str, list[list[Step]]] = {}
        for statements in records:
            mine: dict[str, list[Statement]] = {}
            for st in statements:
                mine.setdefault(group_of(st[0]), []).append(st)
            for group, sts in mine.items():
                by_group.setdefault(group, []).append(_chain(sts))
        executemany = self.conn.executemany
        for chains in by_group.values():
            for sql, rows in merge_chains(chains):
                if sql == quotes.BY_OFFSETS:  # the documents' texts read once, not per source
                    sql, rows = quotes.by_value(self.conn, rows)
                executemany(sql, rows)
