"""The only module that talks to SQLite: an append-only, hash-chained log plus its projections.

Appends are batches inside one `BEGIN IMMEDIATE` transaction that also folds the new records
into the projection tables, so a batch (facts and the state derived from them) lands whole or
not at all, and the projections are never behind the log.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, ClassVar

import attrs

from timeline import events as ev
from timeline.projections import FOLDS, Statement, fold
from timeline.schema import (
    APPLICATION_ID,
    CACHES,
    FTS,
    LOG,
    PROJECTIONS,
    SCHEMA_VERSION,
    TRIGGERS,
    VIEWS,
)

GENESIS = "0" * 64
SQLITE_MAGIC = b"SQLite format 3\x00"


class StoreError(Exception):
    """A database we must not or cannot use; the message is one line for the user."""


@attrs.frozen
class LogRecord:
    seq: int
    event_id: str
    type: str
    version: int
    stream: str
    data: str
    recorded_at: str
    run_id: str | None
    prev_hash: str
    hash: str

    def event(self) -> Any:
        return ev.from_data(self.type, self.version, json.loads(self.data), self.seq)


@attrs.frozen
class VerifyResult:
    ok: bool
    count: int
    message: str


def row_hash(prev_hash: str, seq: int, event_id: str, type_: str, version: int, stream: str,
             recorded_at: str, run_id: str | None, data: str) -> str:
    blob = "\x1f".join((prev_hash, str(seq), event_id, type_, str(version), stream, recorded_at,
                        run_id or "", data))
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def _connect(target: str, uri: bool = False) -> sqlite3.Connection:
    conn = sqlite3.connect(target, isolation_level=None, uri=uri, check_same_thread=False)
    conn.execute("PRAGMA busy_timeout = 10000")
    conn.execute("PRAGMA foreign_keys = ON")
    # event_id is a random hash: its unique index is the hot spot of appends; keep it cached.
    conn.execute("PRAGMA cache_size = -65536")
    return conn


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
    so per-table runs are long and each becomes one executemany call.
    """
    by_table: dict[str, list[Statement]] = {}
    for st in statements:
        by_table.setdefault(_table_of(st[0]), []).append(st)
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


class Store:
    """A timeline database. Open with `Store(path)`; `Store.as_of(path, seq)` for the past."""

    def __init__(self, path: str | Path, *, readonly: bool = False) -> None:
        self.path = Path(path)
        self.readonly = readonly
        self._check_file()
        try:
            if readonly:
                self.conn = _connect(f"{self.path.resolve().as_uri()}?mode=ro", uri=True)
                self.conn.execute("PRAGMA query_only = ON")
            else:
                self.conn = _connect(str(self.path))
            self._check_schema()
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.path}: cannot open database: {exc}") from None

    # ------------------------------------------------------------ opening

    def _check_file(self) -> None:
        if self.path.is_dir():
            raise StoreError(f"{self.path}: is a directory, not a database file")
        if not self.path.exists():
            if self.readonly:
                raise StoreError(f"{self.path}: no such database (run `timeline run` first)")
            return
        try:
            with self.path.open("rb") as fh:
                head = fh.read(16)
        except OSError as exc:
            raise StoreError(f"{self.path}: cannot read database: {exc.strerror}") from None
        if head and head != SQLITE_MAGIC:
            raise StoreError(f"{self.path}: not a SQLite database; refusing to touch it")

    def _check_schema(self) -> None:
        conn = self.conn
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        tables = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")]
        if app_id == 0 and not tables:
            if self.readonly:
                raise StoreError(f"{self.path}: empty database (run `timeline run` first)")
            self._create()
            return
        if app_id != APPLICATION_ID:
            raise StoreError(f"{self.path}: not a timeline database (it holds "
                             f"{', '.join(tables[:5]) or 'no tables'}); refusing to touch it")
        if version > SCHEMA_VERSION:
            raise StoreError(f"{self.path}: schema version {version} is newer than this "
                             f"timeline supports ({SCHEMA_VERSION}); upgrade timeline")
        if version < SCHEMA_VERSION and not self.readonly:
            self._migrate(version)
        # Probe the file so corruption is reported now, as one line, not mid-run.
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        conn.execute("SELECT max(seq) FROM log").fetchone()

    def _create(self) -> None:
        conn = self.conn
        conn.execute("PRAGMA journal_mode = WAL")
        # FULL: a committed batch survives power loss, which is what a log of record promises.
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("BEGIN IMMEDIATE")
        try:
            for ddl in LOG:
                conn.execute(ddl)
            for ddl in TRIGGERS.values():
                conn.execute(ddl)
            for ddl in CACHES.values():
                conn.execute(ddl)
            create_projections(conn)
            conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise

    # Migrations from schema version N to N+1, applied in order inside one transaction.
    MIGRATIONS: ClassVar[dict[int, list[str]]] = {}

    def _migrate(self, version: int) -> None:
        conn = self.conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            for v in range(version, SCHEMA_VERSION):
                for sql in self.MIGRATIONS.get(v, []):
                    conn.execute(sql)
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------ appending

    def head(self) -> int:
        return self.conn.execute("SELECT coalesce(max(seq), 0) FROM log").fetchone()[0]

    def projected_seq(self) -> int:
        row = self.conn.execute(
            "SELECT last_seq FROM projection_state WHERE name = 'all'").fetchone()
        return row[0] if row else 0

    def append(self, batch: Sequence[Any], *, recorded_at: str,
               run_id: str | None = None) -> list[int]:
        """Append the events not already in the log; return the seqs they got.

        One transaction: the log rows, the hash chain and the projection updates land together.
        """
        if self.readonly:
            raise StoreError(f"{self.path}: opened read-only")
        if not batch:
            return []
        conn = self.conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            seqs = self._append_locked(batch, recorded_at, run_id)
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        return seqs

    def _append_locked(self, batch: Sequence[Any], recorded_at: str,
                       run_id: str | None) -> list[int]:
        conn = self.conn
        last = conn.execute("SELECT seq, hash FROM log ORDER BY seq DESC LIMIT 1").fetchone()
        seq, prev = (last[0], last[1]) if last else (0, GENESIS)
        datas = [ev.to_data(e) for e in batch]
        blobs = [ev.canonical_json(d) for d in datas]
        ids = [ev.event_id(e, b, d) for e, b, d in zip(batch, blobs, datas, strict=True)]
        existing: set[str] = set()
        for i in range(0, len(ids), 500):
            chunk = ids[i : i + 500]
            marks = ",".join("?" * len(chunk))
            existing.update(r[0] for r in conn.execute(
                f"SELECT event_id FROM log WHERE event_id IN ({marks})", chunk))
        rows: list[tuple[Any, ...]] = []
        records: list[dict[str, Any]] = []
        for e, eid, data, blob in zip(batch, ids, datas, blobs, strict=True):
            if eid in existing:
                continue
            existing.add(eid)
            seq += 1
            h = row_hash(prev, seq, eid, e.type, e.version, e.stream, recorded_at, run_id, blob)
            rows.append((seq, eid, e.type, e.version, e.stream, blob, recorded_at, run_id, prev, h))
            records.append({"seq": seq, "event_id": eid, "type": e.type, "run_id": run_id,
                            "data": data})
            prev = h
        if not rows:
            return []
        conn.executemany("INSERT INTO log (seq, event_id, type, version, stream, data, "
                         "recorded_at, run_id, prev_hash, hash) VALUES (?,?,?,?,?,?,?,?,?,?)", rows)
        _execute_grouped(conn, (st for rec in records for st in fold(rec)))
        conn.execute("UPDATE projection_state SET last_seq = ? WHERE name = 'all'", (seq,))
        return [r[0] for r in rows]

    # ------------------------------------------------------------ reading

    def records(self, *, since: int = 0, until: int | None = None, types: Sequence[str] = (),
                stream: str | None = None, run_id: str | None = None) -> Iterator[LogRecord]:
        sql = "SELECT * FROM log WHERE seq > ?"
        params: list[Any] = [since]
        if until is not None:
            sql += " AND seq <= ?"
            params.append(until)
        if types:
            sql += f" AND type IN ({','.join('?' * len(types))})"
            params += list(types)
        if stream is not None:
            sql += " AND stream = ?"
            params.append(stream)
        if run_id is not None:
            sql += " AND run_id = ?"
            params.append(run_id)
        for row in self.conn.execute(sql + " ORDER BY seq", params):
            yield LogRecord(*row)

    def seq_at(self, instant: str) -> int:
        """The last seq recorded at or before an ISO-8601 instant."""
        row = self.conn.execute("SELECT coalesce(max(seq), 0) FROM log WHERE recorded_at <= ?",
                                (instant,)).fetchone()
        return row[0]

    def rows(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> list[dict[str, Any]]:
        cur = self.conn.execute(sql, params)
        names = [d[0] for d in cur.description or ()]
        return [dict(zip(names, r, strict=True)) for r in cur]

    def query(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()
              ) -> tuple[list[str], list[tuple[Any, ...]]]:
        """User SQL. Only ever called on a store opened read-only (see cli.query)."""
        if not self.readonly:
            raise StoreError("user SQL runs on read-only connections only")
        try:
            cur = self.conn.execute(sql, params)
            names = [d[0] for d in cur.description or ()]
            return names, cur.fetchall()
        except sqlite3.Error as exc:
            msg = str(exc)
            if "readonly" in msg or "read-only" in msg or "query_only" in msg:
                msg = f"the database is read-only here ({msg})"
            raise StoreError(f"query failed: {msg}") from None

    def current_heads(self, fact_type: str) -> dict[str, tuple[str, bool]]:
        """Latest event id per key of a derived fact type, and whether it was retracted."""
        return {k: (e, bool(r)) for k, e, r in self.conn.execute(
            "SELECT key, event_id, retracted FROM fact_heads WHERE fact_type = ?", (fact_type,))}

    def current_facts(self, fact_type: str) -> dict[str, dict[str, Any]]:
        """Current payloads of a derived fact type, keyed, read back from the log."""
        rows = self.conn.execute(
            "SELECT h.key, l.type, l.version, l.data, l.seq FROM fact_heads h "
            "JOIN log l ON l.event_id = h.event_id WHERE h.fact_type = ? AND h.retracted = 0",
            (fact_type,))
        return {k: json.loads(d) for k, _t, _v, d, _s in rows}

    def document_index(self) -> tuple[dict[str, str], set[str]]:
        """(path -> current document id, ids of all current documents)."""
        by_path = dict(self.conn.execute("SELECT path, id FROM documents"))
        return by_path, set(by_path.values())

    def documents(self, ids: Sequence[str] | None = None) -> list[dict[str, Any]]:
        rows = self.rows("SELECT * FROM documents ORDER BY path")
        for r in rows:
            r["header"] = json.loads(r["header"] or "{}")
        if ids is not None:
            wanted = set(ids)
            rows = [r for r in rows if r["id"] in wanted]
        return rows

    def facts_of(self, fact_type: str, prefix: str) -> tuple[dict[str, tuple[str, bool]],
                                                             dict[str, dict[str, Any]]]:
        """Heads and live payloads of the keys of one fact type that start with `prefix`.

        Keys of per-document facts start with the document id, so this is an index range scan.
        """
        hi = prefix[:-1] + chr(ord(prefix[-1]) + 1)
        rows = self.conn.execute(
            "SELECT h.key, h.event_id, h.retracted, l.data FROM fact_heads h "
            "JOIN log l ON l.event_id = h.event_id "
            "WHERE h.fact_type = ? AND h.key >= ? AND h.key < ?", (fact_type, prefix, hi))
        heads: dict[str, tuple[str, bool]] = {}
        live: dict[str, dict[str, Any]] = {}
        for key, eid, retracted, data in rows:
            heads[key] = (eid, bool(retracted))
            if not retracted:
                live[key] = json.loads(data)
        return heads, live

    def snapshot(self) -> dict[str, Any]:
        """The `show --format json` object: documents, events, conflicts, constraints."""
        docs = [
            {"id": r["id"], "path": r["path"], "title": r["title"], "language": r["language"],
             "date": r["date"], "date_basis": r["date_basis"] or "unknown",
             "date_evidence": r["date_evidence"]}
            for r in self.rows("SELECT id, path, title, language, date, date_basis, "
                               "date_evidence FROM documents ORDER BY path, id")
        ]
        sources: dict[str, list[dict[str, Any]]] = {}
        for s in self.rows('SELECT event, document, quote, start, "end" FROM event_sources '
                           "ORDER BY event, document, start"):
            sources.setdefault(s.pop("event"), []).append(s)
        evs = []
        for r in self.rows('SELECT id, story, kind, title, start, "end", granularity, status, '
                           "rank, place, participants FROM events "
                           "ORDER BY rank IS NULL, rank, start, id"):
            r["participants"] = json.loads(r["participants"] or "[]")
            r["sources"] = sources.get(r["id"], [])
            evs.append(r)
        conflicts = [{"event": r["event"], "attribute": r["attribute"],
                      "values": json.loads(r["values"])}
                     for r in self.rows('SELECT event, attribute, "values" FROM conflicts '
                                        "ORDER BY event, attribute")]
        constraints = [
            {"before": r["before"], "after": r["after"], "cue": r["cue"],
             "document": r["document"], **({} if r["accepted"] else {"rejected": True})}
            for r in self.rows("SELECT before, after, cue, document, accepted FROM constraints "
                               "ORDER BY before, after, cue, document")]
        return {"documents": docs, "events": evs, "conflicts": conflicts,
                "constraints": constraints}

    def point(self, spec: str) -> int:
        """A log position from a seq ("120"), an ISO-8601 instant, or a run id."""
        spec = spec.strip()
        if spec.isdigit():
            return min(int(spec), self.head())
        row = self.conn.execute("SELECT last_seq FROM runs WHERE run_id = ?", (spec,)).fetchone()
        if row:
            return int(row[0])
        if not re.match(r"\d{4}-\d\d-\d\d", spec):
            raise StoreError(f"{spec!r} is not a seq, an ISO-8601 instant or a known run id")
        return self.seq_at(spec)

    def search(self, words: str, limit: int = 20) -> tuple[list[dict[str, Any]],
                                                             list[dict[str, Any]]]:
        """(events, documents) matching every word, via the FTS5 indexes. User words are
        quoted, so FTS syntax in them is searched for, never executed."""
        terms = [t for t in re.findall(r"[\w'’-]+", words) if t]
        if not terms:
            return [], []
        match = " ".join('"' + t.replace('"', '""') + '"' for t in terms)
        events = self.rows(
            "SELECT e.id, e.rank, e.start, e.kind, e.title, e.status, q.document, "
            "snippet(quotes_fts, 2, '[', ']', '…', 12) AS snippet "
            "FROM quotes_fts q JOIN events e ON e.id = q.event "
            "WHERE quotes_fts MATCH ? ORDER BY q.rank LIMIT ?", (match, limit))
        docs = self.rows(
            "SELECT d.id, d.path, d.date, d.title, "
            "snippet(documents_fts, 2, '[', ']', '…', 12) AS snippet "
            "FROM documents_fts f JOIN documents d ON d.id = f.id "
            "WHERE documents_fts MATCH ? ORDER BY f.rank LIMIT ?", (match, limit))
        return events, docs

    def stats(self) -> dict[str, Any]:
        def pairs(sql: str) -> list[dict[str, Any]]:
            return self.rows(sql)

        size = self.path.stat().st_size if self.path.exists() else 0
        return {
            "documents": pairs("SELECT language, coalesce(date_basis, 'unknown') AS basis, "
                               "count(*) AS n FROM documents GROUP BY 1, 2 ORDER BY 1, 2"),
            "events": pairs("SELECT kind, status, count(*) AS n FROM events "
                            "GROUP BY 1, 2 ORDER BY 1, 2"),
            "conflicts": pairs("SELECT attribute, count(*) AS n FROM conflicts "
                               "GROUP BY 1 ORDER BY 2 DESC, 1"),
            "rejections": self.rows("SELECT count(*) AS n FROM rejections")[0]["n"],
            "log": {"events": self.head(), "head_seq": self.head(), "file_bytes": size,
                    "types": pairs("SELECT type, count(*) AS n FROM log GROUP BY 1 "
                                   "ORDER BY 2 DESC")},
            "runs": self.rows("SELECT count(*) AS n FROM runs")[0]["n"],
        }

    def runs(self) -> list[dict[str, Any]]:
        rows = self.rows("SELECT run_id, started_at, finished_at, engine, counts, first_seq, "
                         "last_seq FROM runs ORDER BY first_seq")
        for r in rows:
            r["counts"] = json.loads(r["counts"] or "{}")
        return rows

    def document_facts(self, doc: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        tx = self.rows('SELECT start, "end", text, type, value, mod FROM timexes '
                       "WHERE document = ? ORDER BY start", (doc,))
        ms = self.rows('SELECT start, "end", kind FROM mentions WHERE document = ? '
                       "ORDER BY start", (doc,))
        return tx, ms

    # ------------------------------------------------------------ caches (not truth)

    def file_cache(self) -> dict[str, tuple[int, int, str]]:
        return {p: (s, m, d) for p, s, m, d in self.conn.execute(
            "SELECT path, size, mtime_ns, document FROM file_cache")}

    def put_cache(self, table: str, rows: Sequence[tuple[Any, ...]],
                  clear_documents: Sequence[str] = ()) -> None:
        if (not rows and not clear_documents) or self.readonly:
            return
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            self.conn.executemany(f"DELETE FROM {table} WHERE document = ?",
                                  [(d,) for d in clear_documents])
            if rows:
                marks = ",".join("?" * len(rows[0]))
                self.conn.executemany(f"INSERT OR REPLACE INTO {table} VALUES ({marks})", rows)
            self.conn.execute("COMMIT")
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise

    def segment_cache(self, engine: str) -> dict[str, Any]:
        return {d: json.loads(data) for d, data in self.conn.execute(
            "SELECT document, data FROM segment_cache WHERE engine = ?", (engine,))}

    def story_cache(self) -> dict[tuple[str, int], str]:
        return {(d, s): st for d, s, st in self.conn.execute(
            "SELECT document, segment, story FROM story_cache")}

    def events_of_documents(self, documents: Sequence[str]) -> set[str]:
        out: set[str] = set()
        documents = list(documents)
        for i in range(0, len(documents), 500):
            chunk = documents[i:i + 500]
            out.update(r[0] for r in self.conn.execute(
                f"SELECT DISTINCT event FROM event_sources WHERE document IN "
                f"({','.join('?' * len(chunk))})", chunk))
        return out

    def facts_for(self, fact_type: str, keys: Sequence[str]) -> tuple[
            dict[str, tuple[str, bool]], dict[str, dict[str, Any]]]:
        """Heads and live payloads of the given keys of a fact type."""
        heads: dict[str, tuple[str, bool]] = {}
        live: dict[str, dict[str, Any]] = {}
        keys = list(keys)
        for i in range(0, len(keys), 500):
            chunk = keys[i:i + 500]
            for key, eid, retracted, data in self.conn.execute(
                    "SELECT h.key, h.event_id, h.retracted, l.data FROM fact_heads h "
                    "JOIN log l ON l.event_id = h.event_id WHERE h.fact_type = ? AND h.key IN "
                    f"({','.join('?' * len(chunk))})", [fact_type, *chunk]):
                heads[key] = (eid, bool(retracted))
                if not retracted:
                    live[key] = json.loads(data)
        return heads, live

    def constraint_keys(self, events: set[str]) -> list[str]:
        return [k for k, b, a in self.conn.execute("SELECT key, before, after FROM constraints")
                if b in events or a in events]

    def conflict_keys(self, events: set[str]) -> list[str]:
        return [k for k, e in self.conn.execute("SELECT key, event FROM conflicts")
                if e in events]

    def last_engine(self) -> str | None:
        row = self.conn.execute("SELECT engine FROM runs WHERE finished_at IS NOT NULL "
                                "ORDER BY first_seq DESC LIMIT 1").fetchone()
        return row[0] if row else None

    def catch_up(self) -> int:
        """Fold any log records the projections have not seen (e.g. after a crash)."""
        seen, head = self.projected_seq(), self.head()
        if seen >= head or self.readonly:
            return 0
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            replay(self.conn, list(raw_rows(self.conn, since=seen)))
            self.conn.execute("COMMIT")
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        return head - seen

    # ------------------------------------------------------------ checking and rebuilding

    def verify(self) -> VerifyResult:
        names = {r[0] for r in self.conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger'")}
        missing = sorted(set(TRIGGERS) - names)
        if missing:
            return VerifyResult(False, 0, f"append-only triggers missing: {', '.join(missing)}")
        prev, count, expect = GENESIS, 0, 1
        for rec in self.records():
            if rec.seq != expect:
                return VerifyResult(False, count, f"seq {expect} is missing (next is {rec.seq})")
            if rec.prev_hash != prev:
                return VerifyResult(False, count, f"seq {rec.seq}: chain broken (prev_hash)")
            h = row_hash(rec.prev_hash, rec.seq, rec.event_id, rec.type, rec.version, rec.stream,
                         rec.recorded_at, rec.run_id, rec.data)
            if h != rec.hash:
                return VerifyResult(False, count, f"seq {rec.seq}: hash mismatch (row altered)")
            try:
                e = rec.event()
            except (ev.EventError, ValueError) as exc:
                return VerifyResult(False, count, f"seq {rec.seq}: {exc}")
            if ev.event_id(e) != rec.event_id:
                return VerifyResult(False, count, f"seq {rec.seq}: event_id does not match data")
            prev, count, expect = rec.hash, count + 1, expect + 1
        projected = self.projected_seq()
        if projected != count:
            return VerifyResult(False, count, f"projections at seq {projected}, log at {count}")
        return VerifyResult(True, count, f"ok {count} events")

    def rebuild(self) -> int:
        """Drop every projection and fold the whole log again; the log is the truth."""
        conn = self.conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            drop_projections(conn)
            for name in CACHES:
                conn.execute(f"DELETE FROM {name}")
            create_projections(conn, indexes=False)
            head = replay(conn, raw_rows(self.conn))
            create_indexes(conn)
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        return head

    @classmethod
    def as_of(cls, path: str | Path, seq: int) -> Store:
        """The projections as they stood at `seq`, folded into a scratch in-memory database.

        The real projections are never touched; the past log is visible as the view `log`.
        """
        src = cls(path, readonly=True)
        mem = _connect("file::memory:", uri=True)
        try:
            mem.execute("ATTACH DATABASE ? AS src", (f"{src.path.resolve().as_uri()}?mode=ro",))
            mem.execute("BEGIN")
            create_projections(mem, indexes=False)
            mem.execute(f"CREATE TEMP VIEW log AS SELECT * FROM src.log WHERE seq <= {int(seq)}")
            # the past is for reading the timeline; full-text search stays with the present
            replay(mem, raw_rows(mem, until=seq, table="src.log"), skip=frozenset(FTS))
            create_indexes(mem)
            mem.execute("COMMIT")
            mem.execute("PRAGMA query_only = ON")
        finally:
            src.close()
        store = cls.__new__(cls)
        store.path, store.readonly, store.conn = Path(path), True, mem
        return store


def replay(conn: sqlite3.Connection, rows: Iterable[tuple[Any, ...]], chunk: int = 20000,
           skip: frozenset[str] = frozenset()) -> int:
    """Fold raw log rows (seq, event_id, type, version, run_id, data) into the projection
    tables of `conn`; return the last seq folded. The hot loop of rebuild and --as-of."""
    last = 0
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
        last = seq
        if len(pending) >= chunk:
            _execute_grouped(conn, pending)
            pending = []
    _execute_grouped(conn, pending)
    conn.execute("UPDATE projection_state SET last_seq = ? WHERE name = 'all'", (last,))
    return last


def raw_rows(conn: sqlite3.Connection, since: int = 0,
             until: int | None = None, table: str = "log") -> Iterator[tuple[Any, ...]]:
    sql = f"SELECT seq, event_id, type, version, run_id, data FROM {table} WHERE seq > ?"
    params: list[Any] = [since]
    if until is not None:
        sql += " AND seq <= ?"
        params.append(until)
    return conn.execute(sql + " ORDER BY seq", params)
