"""The only module that talks to SQLite: an append-only, hash-chained log plus its projections.

Appends are batches inside one `BEGIN IMMEDIATE` transaction that also folds the new records
into the projection tables, so a batch (facts and the state derived from them) lands whole or
not at all, and the projections are never behind the log.
"""

from __future__ import annotations

import functools
import json
import operator
import os
import re
import sqlite3
import stat
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, ClassVar

import attrs

from timeline import events as ev
from timeline.paths import file_kind
from timeline.schema import (
    APPLICATION_ID,
    CACHES,
    FTS,
    LOG,
    MIGRATIONS,
    SCHEMA_VERSION,
    TRIGGERS,
)
from timeline.store.apply import (
    create_indexes,
    create_projections,
    drop_projections,
    fold_appended,
    replay,
)
from timeline.store.chain import GENESIS, VerifyResult, row_hash, verify_snapshot
from timeline.store.entity_index import EntityIndex, refill_entities
from timeline.store.names import KEPT_BY_REBUILD, NameIndex, refill
from timeline.store.queries import Queries, StoreError, in_chunks

SQLITE_MAGIC = b"SQLite format 3\x00"
# never block on a FIFO swapped in after the stat, never acquire a controlling terminal
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)


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


SQLITE_READONLY, SQLITE_CANTOPEN = 8, 14


@functools.cache
def _payload_of(cls: type[Any]) -> Callable[[Any], dict[str, Any]]:
    """`events.to_data` for one class: its fields read by one C attrgetter, not a getattr
    each (a sixth of an append's own Python time on a 1,000-document run)."""
    names = tuple(a.name for a in attrs.fields(cls))
    if len(names) < 2:
        return ev.to_data
    get = operator.attrgetter(*names)
    return lambda e: dict(zip(names, get(e), strict=True))


def _code(exc: sqlite3.Error) -> int:
    """SQLite's primary result code of an error (0 when it has none)."""
    return (getattr(exc, "sqlite_errorcode", None) or 0) & 0xFF


def _read_only_message(path: Path, exc: sqlite3.Error) -> str:
    return (f"{path}: cannot write the database ({exc}): the file or its directory is "
            "read-only; this command needs write access (show, query, export, verify "
            "work read-only)")


def _rollback(conn: sqlite3.Connection) -> None:
    """ROLLBACK unless SQLite already rolled back itself (it may, on a full disk): a second
    error must not hide the first."""
    if conn.in_transaction:
        conn.execute("ROLLBACK")


def _connect(target: str, uri: bool = False) -> sqlite3.Connection:
    conn = sqlite3.connect(target, isolation_level=None, uri=uri, check_same_thread=False)
    conn.execute("PRAGMA busy_timeout = 10000")
    # The projections declare their foreign keys (schema.py) for readers such as Datasette,
    # which link rows by them; they are not enforced: facts fold in log order, and a
    # retraction or a new document version may leave a reference a later fact resolves.
    conn.execute("PRAGMA foreign_keys = OFF")
    # event_id is a random hash: its unique index is the hot spot of appends; keep it cached.
    conn.execute("PRAGMA cache_size = -65536")
    return conn


__all__ = ["GENESIS", "LogRecord", "Store", "StoreError", "VerifyResult", "connect", "past",
           "replay", "row_hash"]


_ADD_COLUMN = re.compile(r"ALTER TABLE (\w+) ADD COLUMN (\w+)")


def _column_exists(conn: sqlite3.Connection, sql: str) -> bool:
    """Whether `sql` adds a column the table already has (SQLite has no ADD COLUMN IF NOT
    EXISTS)."""
    m = _ADD_COLUMN.match(sql)
    return bool(m) and any(row[1] == m.group(2)
                           for row in conn.execute(f"PRAGMA table_info({m.group(1)})"))


class Store(Queries, NameIndex, EntityIndex):
    """A timeline database. Open with `Store(path)`; `Store.as_of(path, seq)` for the past."""

    def __init__(self, path: str | Path, *, readonly: bool = False) -> None:
        self.path = Path(path)
        self.readonly = readonly
        # True when read with immutable=1 because the directory or filesystem is read-only
        self.immutable = False
        self._check_file()
        self.uri = f"{self.path.resolve().as_uri()}?mode=ro"  # how a reader attaches it
        try:
            if readonly:
                self.conn = self._open_readonly()
            else:
                self.conn = _connect(str(self.path))
            self._check_schema()
            if not readonly:
                self._check_writable()
        except BaseException as exc:
            # closed now, not left to the garbage collector (the exception's traceback holds
            # this frame): an idle connection left open in a long-lived process was seen to
            # make its later connections read the file as malformed once a writer's rounds
            # had closed and reopened the WAL (a stale view of the WAL index)
            if getattr(self, "conn", None) is not None:
                self.conn.close()
            if not isinstance(exc, sqlite3.DatabaseError):
                raise
            if not readonly and _code(exc) in (SQLITE_READONLY, SQLITE_CANTOPEN):
                raise StoreError(_read_only_message(self.path, exc)) from None
            raise StoreError(f"{self.path}: cannot open database: {exc}") from None

    # ------------------------------------------------------------ opening

    def _check_file(self) -> None:
        """Refuse what SQLite must not open: a directory, a FIFO (opening one for reading blocks
        until a writer comes), a device or a socket, a file that is not SQLite's."""
        try:
            mode = os.stat(self.path).st_mode
        except FileNotFoundError:
            if self.readonly:
                raise StoreError(f"{self.path}: no such database (run `timeline run` first)"
                                 ) from None
            return
        except OSError as exc:
            raise StoreError(f"{self.path}: cannot read database: {exc.strerror}") from None
        if stat.S_ISDIR(mode):
            raise StoreError(f"{self.path}: is a directory, not a database file")
        if not stat.S_ISREG(mode):
            raise StoreError(f"{self.path}: is a {file_kind(mode)}, not a database file; "
                             "refusing to open it")
        try:
            fd = os.open(self.path, _OPEN_FLAGS)
            try:
                st = os.fstat(fd)
                head = os.read(fd, 16) if stat.S_ISREG(st.st_mode) else None
            finally:
                os.close(fd)
        except OSError as exc:
            raise StoreError(f"{self.path}: cannot read database: {exc.strerror}") from None
        if head is None:
            raise StoreError(f"{self.path}: is a {file_kind(st.st_mode)}, not a database file; "
                             "refusing to open it")
        if head and head != SQLITE_MAGIC:
            raise StoreError(f"{self.path}: not a SQLite database; refusing to touch it")

    def _open_readonly(self) -> sqlite3.Connection:
        """`mode=ro` needs a WAL database's -shm file to exist or be creatable; where it can
        be neither (a read-only directory or filesystem), `immutable=1` reads the main file
        as it stands and writes nothing at all."""
        conn = None
        try:
            conn = _connect(self.uri, uri=True)  # its pragmas open the file
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlite3.OperationalError as exc:
            if conn is not None:
                conn.close()
            if _code(exc) not in (SQLITE_READONLY, SQLITE_CANTOPEN):
                raise
            self.uri = f"{self.path.resolve().as_uri()}?immutable=1"
            self.immutable = True
            conn = _connect(self.uri, uri=True)
        conn.execute("PRAGMA query_only = ON")
        return conn

    def size_bytes(self) -> int:
        return self.path.stat().st_size if self.path.exists() else 0

    def wal_ignored(self) -> int:
        """Bytes of a -wal file an immutable reader does not see (changes not checkpointed)."""
        try:
            return os.stat(f"{self.path}-wal").st_size if self.immutable else 0
        except OSError:
            return 0

    def _check_writable(self) -> None:
        """A database we may not write is one clear line now, not an error half-way through
        a run: write the header inside a transaction that is rolled back."""
        conn = self.conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        finally:
            _rollback(conn)

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
            _rollback(conn)
            raise

    # Migrations from schema version N to N+1, applied in order inside one transaction.
    MIGRATIONS: ClassVar[dict[int, list[str]]] = MIGRATIONS

    def _migrate(self, version: int) -> None:
        conn = self.conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            for v in range(version, SCHEMA_VERSION):
                for sql in self.MIGRATIONS.get(v, []):
                    if not _column_exists(conn, sql):  # a migration may run twice harmlessly
                        conn.execute(sql)
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            conn.execute("COMMIT")
        except BaseException:
            _rollback(conn)
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
        # each id checked once, by the database as it inserts the row, unless the last batch
        # met rows already in the log (a rerun re-sending facts): then probed first
        probe = self._met_duplicates or not self.OPTIMISTIC
        conn.execute("BEGIN IMMEDIATE")
        try:
            try:
                seqs = self._append_locked(batch, recorded_at, run_id, probe)
            except sqlite3.IntegrityError:
                if probe:
                    raise
                # a row exists already (log_no_replace refused it): the batch again, probed
                _rollback(conn)
                conn.execute("BEGIN IMMEDIATE")
                seqs = self._append_locked(batch, recorded_at, run_id, True)
            conn.execute("COMMIT")
        except BaseException:
            _rollback(conn)
            raise
        return seqs

    # Whether an append may leave its duplicate check to the database: SQLite refuses a row
    # whose event_id exists (log_no_replace) and the batch is written again, probed first
    # (the transaction rolled back: a savepoint doubles the cost of every insert in it);
    # PostgreSQL's insert skips such a row instead (ON CONFLICT DO NOTHING).
    OPTIMISTIC: ClassVar[bool] = True
    _met_duplicates = False

    def _append_locked(self, batch: Sequence[Any], recorded_at: str, run_id: str | None,
                       probe: bool = True) -> list[int]:
        conn = self.conn
        last = conn.execute("SELECT seq, hash FROM log ORDER BY seq DESC LIMIT 1").fetchone()
        head = (last[0], last[1]) if last else (0, GENESIS)
        datas = [_payload_of(type(e))(e) for e in batch]
        blobs = list(map(ev.canonical_json, datas))
        ids = list(map(ev.event_id, batch, blobs, datas))
        existing: set[str] = set()
        if probe:
            for chunk, marks in in_chunks(ids):
                existing.update(r[0] for r in conn.execute(
                    f"SELECT event_id FROM log WHERE event_id IN ({marks})", chunk))
            self._met_duplicates = bool(existing)
        return self._write(batch, ids, blobs, datas, existing, head, recorded_at, run_id)

    def _write(self, batch: Sequence[Any], ids: list[str], blobs: list[str],
               datas: list[dict[str, Any]], existing: set[str], head: tuple[int, str],
               recorded_at: str, run_id: str | None) -> list[int]:
        """The log rows of the events whose ids are not in `existing` (nor earlier in the
        batch), chained after `head`, and their fold."""
        seq, prev = head
        rows: list[tuple[Any, ...]] = []
        folded: list[tuple[Any, ...]] = []
        for e, eid, blob, data in zip(batch, ids, blobs, datas, strict=True):
            if eid in existing:
                continue
            existing.add(eid)
            seq += 1
            type_, version = e.type, e.version
            h = row_hash(prev, seq, eid, type_, version, stream := e.stream, recorded_at, run_id,
                         blob)
            rows.append((seq, eid, type_, version, stream, blob, recorded_at, run_id, prev, h))
            folded.append((seq, eid, type_, version, run_id, data))
            prev = h
        if not rows:
            return []
        self.conn.executemany("INSERT INTO log (seq, event_id, type, version, stream, data, "
                              "recorded_at, run_id, prev_hash, hash) "
                              "VALUES (?,?,?,?,?,?,?,?,?,?)", rows)
        # the projections follow from the rows just written, by the code a rebuild runs, from
        # the payloads in hand (the JSON was encoded once, for the id, the hash and the row)
        fold_appended(self.conn, folded)
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
            sql += self._run_range(run_id, params)
        for row in self.conn.execute(sql + " ORDER BY seq", params):
            yield LogRecord(*row)

    def _run_range(self, run_id: str, params: list[Any]) -> str:
        """The seq range a run's records lie in, as SQL (its RunStarted is its first record,
        and runs do not interleave: one writer holds the lock), so that finding them reads
        that range, not the log; nothing when the run has no row."""
        row = self.conn.execute(
            "SELECT first_seq, (SELECT min(first_seq) FROM runs WHERE first_seq > r.first_seq) "
            "FROM runs r WHERE run_id = ?", (run_id,)).fetchone()
        if row is None or row[0] is None:
            return ""
        params.append(row[0])
        if row[1] is None:
            return " AND seq >= ?"
        params.append(row[1])
        return " AND seq >= ? AND seq < ?"

    def seq_at(self, instant: str) -> int:
        """The last seq recorded at or before an ISO-8601 instant."""
        row = self.conn.execute("SELECT coalesce(max(seq), 0) FROM log WHERE recorded_at <= ?",
                                (instant,)).fetchone()
        return row[0]

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
            replay(self.conn, since=seen)
            self.conn.execute("COMMIT")
        except BaseException:
            _rollback(self.conn)
            raise
        return head - seen

    # ------------------------------------------------------------ checking and rebuilding

    def verify(self, expect_head: tuple[int, str] | None = None) -> VerifyResult:
        """Chain, guards and projections checked in one snapshot (see `chain`), with the
        fresh fold in a scratch in-memory database: nothing of this file is written."""
        scratch = _connect("file::memory:", uri=True)
        try:
            scratch.execute("ATTACH DATABASE ? AS src", (self.uri,))
            return verify_snapshot(scratch, expect=expect_head)
        finally:
            scratch.close()

    def head_entry(self) -> tuple[int, str]:
        """(seq, hash) of the last row: what a user keeps elsewhere to detect truncation."""
        row = self.conn.execute("SELECT seq, hash FROM log ORDER BY seq DESC LIMIT 1").fetchone()
        return (row[0], row[1]) if row else (0, GENESIS)

    def rebuild(self) -> int:
        """Drop every projection and fold the whole log again; the log is the truth."""
        conn = self.conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            drop_projections(conn)
            for name in CACHES:
                if name not in KEPT_BY_REBUILD:
                    conn.execute(f"DELETE FROM {name}")
            create_projections(conn, indexes=False)
            head = replay(conn)
            create_indexes(conn)
            self._ensure_name_index()
            refill(conn, self.last_engine())
            refill_entities(conn)
            conn.execute("COMMIT")
        except BaseException:
            _rollback(conn)
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
            mem.execute("ATTACH DATABASE ? AS src", (src.uri,))
            mem.execute("BEGIN")
            create_projections(mem, indexes=False)
            mem.execute(f"CREATE TEMP VIEW log AS SELECT * FROM src.log WHERE seq <= {int(seq)}")
            # the past is for reading the timeline; full-text search stays with the present
            replay(mem, until=seq, table="src.log", skip=frozenset(FTS))
            create_indexes(mem)
            mem.execute("COMMIT")
            mem.execute("PRAGMA query_only = ON")
        finally:
            src.close()
        store = cls.__new__(cls)
        store.path, store.readonly, store.conn = Path(path), True, mem
        store.uri, store.immutable = src.uri, src.immutable
        return store


def is_url(db: object) -> bool:
    """A PostgreSQL URL (`postgresql://user@host/dbname`), not a file name."""
    return isinstance(db, str) and db.startswith(("postgresql://", "postgres://"))


def display_db(db: str | Path) -> str:
    """`--db` as messages print it: a URL's password replaced by ***."""
    if not is_url(db):
        return str(db)
    head, sep, tail = str(db).rpartition("@")
    scheme, _, cred = head.partition("//")
    if not sep or ":" not in cred:
        return str(db)
    return f"{scheme}//{cred.split(':', 1)[0]}:***@{tail}"


def connect(db: str | Path, *, readonly: bool = False) -> Store:
    """The store `--db` names: a PostgreSQL URL (store.postgres) or a SQLite file."""
    if is_url(db):
        from timeline.store.postgres import PgStore

        return PgStore(str(db), readonly=readonly)
    return Store(db, readonly=readonly)


def past(db: str | Path, seq: int) -> Store:
    """`Store.as_of` of the store `--db` names."""
    if is_url(db):
        from timeline.store.postgres import PgStore

        return PgStore.as_of(str(db), seq)
    return Store.as_of(db, seq)
