"""The hash chain and `verify`: what a database can prove about itself.

`verify_snapshot` reads everything it checks inside one read transaction, so a run appending
meanwhile is simply not seen (no false "projections behind"). It proves internal
consistency: every row's hash and event id, the guards' SQL, and that every projection
equals a fresh fold of the log. With an externally kept head (`expect`) it also proves that
history up to that head was neither truncated nor rewritten. It cannot detect a rewrite of
the whole file by someone who recomputes every hash, unless the head was kept elsewhere.
"""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
from collections.abc import Callable
from typing import Any

import attrs

from timeline import events as ev
from timeline.schema import EXTERNAL_FTS, FTS, LOG, PROJECTIONS, TRIGGERS, VIEWS
from timeline.store.apply import create_projections, replay

GENESIS = "0" * 64
_sha256 = hashlib.sha256
# Bookkeeping checked on its own (it must equal the head); caches are not truth.
NOT_COMPARED = frozenset({"projection_state"})


@attrs.frozen
class VerifyResult:
    ok: bool
    count: int
    message: str
    head_seq: int = 0
    head_hash: str = GENESIS

    @property
    def head(self) -> str:
        return f"{self.head_seq}:{self.head_hash}"


def row_hash(prev_hash: str, seq: int, event_id: str, type_: str, version: int, stream: str,
             recorded_at: str, run_id: str | None, data: str) -> str:
    # one f-string: the bytes of "\x1f".join of the fields as text, without the tuple
    return _sha256(f"{prev_hash}\x1f{seq}\x1f{event_id}\x1f{type_}\x1f{version}\x1f{stream}"
                   f"\x1f{recorded_at}\x1f{run_id or ''}\x1f{data}".encode()).hexdigest()


def normalize_sql(sql: str) -> str:
    """DDL as SQLite keeps it in sqlite_master: no IF NOT EXISTS, whitespace collapsed."""
    sql = re.sub(r"\s+", " ", sql).strip()
    return re.sub(r"^(CREATE (?:TABLE|TRIGGER|VIEW|INDEX)) IF NOT EXISTS ", r"\1 ", sql,
                  flags=re.IGNORECASE)


class Failed(Exception):
    """A check failed; the message is the one line verify prints."""


def verify_snapshot(conn: sqlite3.Connection, *, schema: str = "src",
                    expect: tuple[int, str] | None = None) -> VerifyResult:
    """Check the database attached to the scratch connection `conn` as `schema`.

    `conn`'s own main database (in memory) receives a fresh fold of the whole log; the whole
    check is one transaction, rolled back at the end, so the fold is thrown away and every
    read of the attached database sees one snapshot.
    """
    conn.execute("BEGIN")
    count, head = 0, GENESIS
    try:
        _check_guards(conn, schema)
        count, head = _check_chain(conn, schema, expect)
        projected = conn.execute(f"SELECT last_seq FROM {schema}.projection_state "
                                 "WHERE name = 'all'").fetchone()
        if (projected[0] if projected else 0) != count:
            raise Failed(f"projections at seq {projected[0] if projected else 0}, "
                         f"log at {count}")
        _check_projections(conn, schema)
    except Failed as exc:
        return VerifyResult(False, count, str(exc), count, head)
    finally:
        conn.execute("ROLLBACK")
    return VerifyResult(True, count, f"ok {count} events; head {count}:{head}", count, head)


def _check_guards(conn: sqlite3.Connection, schema: str) -> None:
    """The append-only triggers (and the log table, and the views) exactly as timeline wrote
    them: a trigger with the right name and a body that does nothing is no guard."""
    rows = {(t, name): sql for t, name, sql in conn.execute(
        f"SELECT type, name, sql FROM {schema}.sqlite_master "
        "WHERE type IN ('trigger', 'table', 'view')")}
    for name, ddl in TRIGGERS.items():
        sql = rows.get(("trigger", name))
        if sql is None:
            raise Failed(f"append-only trigger {name} is missing")
        if normalize_sql(sql) != normalize_sql(ddl):
            raise Failed(f"append-only trigger {name} was altered (its SQL is not timeline's)")
    extra = sorted(name for t, name in rows if t == "trigger" and name not in TRIGGERS)
    if extra:
        raise Failed(f"unexpected trigger {extra[0]} (timeline creates none besides "
                     f"{', '.join(TRIGGERS)})")
    if normalize_sql(rows.get(("table", "log")) or "") != normalize_sql(LOG[0]):
        raise Failed("the log table's definition was altered")
    for name, ddl in VIEWS.items():
        if normalize_sql(rows.get(("view", name)) or "") != normalize_sql(ddl):
            raise Failed(f"view {name} is missing or altered")


def _check_chain(conn: sqlite3.Connection, schema: str,
                 expect: tuple[int, str] | None) -> tuple[int, str]:
    """Re-derive every hash and event id; return the head (seq, hash)."""
    prev, count = GENESIS, 0
    cur = conn.execute(f"SELECT seq, event_id, type, version, stream, data, recorded_at, "
                       f"run_id, prev_hash, hash FROM {schema}.log ORDER BY seq")
    for seq, event_id, type_, version, stream, data, recorded_at, run_id, prev_hash, h in cur:
        if seq != count + 1:
            raise Failed(f"seq {count + 1} is missing (next is {seq})")
        if prev_hash != prev:
            raise Failed(f"seq {seq}: chain broken (prev_hash)")
        if row_hash(prev_hash, seq, event_id, type_, version, stream, recorded_at, run_id,
                    data) != h:
            raise Failed(f"seq {seq}: hash mismatch (row altered)")
        try:
            e = ev.from_data(type_, version, json.loads(data), seq)
        except (ev.EventError, ValueError) as exc:
            raise Failed(f"seq {seq}: {exc}") from None
        if ev.event_id(e) != event_id:
            raise Failed(f"seq {seq}: event_id does not match data")
        if expect is not None and seq == expect[0] and h != expect[1]:
            raise Failed(f"seq {seq} has hash {h}, not the expected {expect[1]}: "
                         "history was rewritten")
        prev, count = h, seq
    if expect is not None and count < expect[0]:
        raise Failed(f"the log ends at seq {count}, before the expected head {expect[0]}: "
                     "history was truncated")
    return count, prev


def _check_projections(conn: sqlite3.Connection, schema: str) -> None:
    """Fold the whole log into the scratch database with the code every append runs, and
    compare each projection table with the real one as a multiset of rows."""
    create_projections(conn, indexes=False)
    replay(conn, table=f"{schema}.log")
    for table in [*PROJECTIONS, *FTS]:
        if table in NOT_COMPARED:
            continue
        problem = compare_table(conn, table, "main", schema)
        if not problem and table in EXTERNAL_FTS:
            problem = compare_fts_index(conn, table, "main", schema)
        if problem:
            raise Failed(f"projection {table} differs from a fresh fold of the log: {problem}")


def compare_fts_index(conn: sqlite3.Connection, table: str, fresh: str, real: str) -> str | None:
    """None when two FTS5 indexes hold the same entries (term, row, column, offset); else
    how they differ. An external-content table's rows are its content table's, so comparing
    rows says nothing of its index: fts5vocab reads the index itself."""
    vocab = {}
    for db in (fresh, real):
        vocab[db] = name = f"verify_vocab_{db}"
        conn.execute(f"CREATE VIRTUAL TABLE temp.{name} USING fts5vocab({db}, {table}, instance)")
    rows = "SELECT term, doc, col, offset FROM temp.{}"
    try:
        missing, extra = (conn.execute(
            f"SELECT count(*) FROM ({rows.format(vocab[a])} EXCEPT {rows.format(vocab[b])})"
        ).fetchone()[0] for a, b in ((fresh, real), (real, fresh)))
    finally:
        for name in vocab.values():
            conn.execute(f"DROP TABLE temp.{name}")
    if not missing and not extra:
        return None
    return (f"its index: {missing} entr{'ies' if missing != 1 else 'y'} missing, {extra} extra "
            "(the text it finds is not the text it shows)")


TableInfo = Callable[[Any, str, str], list[tuple[str, bool]]]


def sqlite_table_info(conn: sqlite3.Connection, db: str, table: str) -> list[tuple[str, bool]]:
    """(column, part of the primary key?) of `db.table`, in order; [] when it is missing."""
    return [(r[1], bool(r[5])) for r in conn.execute(f"PRAGMA {db}.table_info({table})")]


def compare_table(conn: sqlite3.Connection, table: str, fresh: str, real: str,
                  info: TableInfo = sqlite_table_info) -> str | None:
    """None when the two tables hold the same rows (duplicates counted); else how they differ.
    `info` reads the catalog (SQLite's PRAGMA here, PostgreSQL's in store.pgverify)."""
    fresh_info = info(conn, fresh, table)
    cols = [name for name, _ in fresh_info]
    real_cols = [name for name, _ in info(conn, real, table)]
    if not real_cols:
        return "the table is missing"
    if real_cols != cols:
        return f"columns are ({', '.join(real_cols)}), expected ({', '.join(cols)})"
    quoted = ", ".join(f'"{c}"' for c in cols)
    keyed = any(pk for _, pk in fresh_info)  # a primary key: no duplicate rows, sets suffice

    def rows(db: str) -> str:
        return f"SELECT {quoted} FROM {db}.{table}" if keyed else \
            f"SELECT {quoted}, count(*) FROM {db}.{table} GROUP BY {quoted}"

    def diff(a: str, b: str) -> tuple[int, Any]:
        sql = f"{rows(a)} EXCEPT {rows(b)}"
        n = conn.execute(f"SELECT count(*) FROM ({sql}) AS d").fetchone()[0]
        first = conn.execute(f"{sql} LIMIT 1").fetchone() if n else None
        return n, first

    counts = [conn.execute(f"SELECT count(*) FROM {db}.{table}").fetchone()[0]
              for db in (fresh, real)] if keyed else [0, 0]
    missing, first_missing = diff(fresh, real)
    if not missing and counts[0] == counts[1]:
        if keyed:
            return None  # fresh ⊆ real and as many rows: equal, no second pass
    extra, first_extra = diff(real, fresh)
    if not missing and not extra:
        # equal sets of rows, unequal counts: duplicates (SQLite lets NULL keys repeat)
        return None if counts[0] == counts[1] else \
            f"{counts[1]} rows, expected {counts[0]} (duplicated rows)"
    side, example = ("extra", first_extra) if extra else ("missing", first_missing)
    return (f"{missing} row{'s' * (missing != 1)} missing, {extra} extra (an edited row is "
            f"both); first {side}: {cols[0]}={str(example[0])[:40]}")
