"""`timeline copy`: a log moved between stores (SQLite <-> PostgreSQL), row for row.

Every row keeps its seq, recorded_at, run id and hash; each is re-derived on the way (hash,
chain link, event id from the payload) before it is written, so a copy is never the way a
broken or rewritten log gets a clean bill. Chunks are one transaction each, with the
projections folded in it, so an interrupted copy is a shorter, consistent log that a second
copy (into an empty store) replaces; `verify` runs on the destination at the end.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from timeline import events as ev
from timeline.store.apply import replay
from timeline.store.chain import GENESIS, VerifyResult, row_hash
from timeline.store.queries import StoreError

CHUNK = 5000


class CopyRefused(StoreError):
    """The source's chain does not verify: nothing past the bad row is copied."""


def _checked(records: Iterable[Any]) -> Iterable[tuple[Any, ...]]:
    prev, expected = GENESIS, 1
    for r in records:
        if r.seq != expected:
            raise CopyRefused(f"seq {expected} is missing in the source (next is {r.seq})")
        if r.prev_hash != prev or row_hash(r.prev_hash, r.seq, r.event_id, r.type, r.version,
                                           r.stream, r.recorded_at, r.run_id, r.data) != r.hash:
            raise CopyRefused(f"seq {r.seq}: the source's hash chain is broken there")
        if ev.event_id(ev.from_data(r.type, r.version, json.loads(r.data), r.seq)) != r.event_id:
            raise CopyRefused(f"seq {r.seq}: event_id does not match data in the source")
        prev, expected = r.hash, r.seq + 1
        yield (r.seq, r.event_id, r.type, r.version, r.stream, r.data, r.recorded_at,
               r.run_id, r.prev_hash, r.hash)


def copy_log(src: Any, dst: Any, chunk: int = CHUNK) -> VerifyResult:
    """Copy every row of `src` into the empty store `dst`; return `dst.verify()`."""
    if dst.head():
        raise StoreError(f"{dst.path}: holds {dst.head()} events already; copy needs an "
                         "empty destination")
    rows: list[tuple[Any, ...]] = []
    for row in _checked(src.records()):
        rows.append(row)
        if len(rows) >= chunk:
            _write(dst, rows)
            rows = []
    if rows:
        _write(dst, rows)
    return dst.verify()


def _write(dst: Any, rows: list[tuple[Any, ...]]) -> None:
    conn = dst.conn
    conn.execute("BEGIN IMMEDIATE")
    try:
        conn.executemany("INSERT INTO log (seq, event_id, type, version, stream, data, "
                         "recorded_at, run_id, prev_hash, hash) VALUES (?,?,?,?,?,?,?,?,?,?)",
                         rows)
        replay(conn, since=rows[0][0] - 1, until=rows[-1][0])
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
