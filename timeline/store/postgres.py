"""The log in PostgreSQL: `Store` over a psycopg connection (`--db postgresql://...`).

The store's logic is not copied: `PgStore` is a `Store` whose connection translates SQLite's
SQL (`pgconn`, `dialect`); what it overrides is what SQLite does with PRAGMAs and files
(opening, creating the schema, the guards), and what needs a scratch database (`verify` and
`--as-of` fold into temporary tables of their own session, which shadow the real ones).

The contract is the server's to enforce: the log refuses UPDATE, DELETE and TRUNCATE by
PL/pgSQL triggers (even for its owner) and, for the writer role, by privileges (`GRANTS`);
appends take a transaction-scoped advisory lock, so the chain has one order whoever writes.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from typing import Any

from timeline.schema import APPLICATION_ID, CACHES, FTS, LOG, PG_SCHEMA_FROM, SCHEMA_VERSION
from timeline.store import LogRecord, Store
from timeline.store import display_db as redact
from timeline.store.apply import create_indexes, create_projections, replay
from timeline.store.chain import VerifyResult
from timeline.store.dialect import LANGUAGE_CONFIG, ddl
from timeline.store.pgconn import PAGE, WRITER_LOCK, PgConnection, _psycopg
from timeline.store.queries import QueryInterrupted, StoreError

REFUSE = """CREATE OR REPLACE FUNCTION log_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'log is append-only: % refused', TG_OP;
END
$$"""
TRIGGERS = {
    "log_no_update": "CREATE TRIGGER log_no_update BEFORE UPDATE ON log "
                     "FOR EACH ROW EXECUTE FUNCTION log_refuse()",
    "log_no_delete": "CREATE TRIGGER log_no_delete BEFORE DELETE ON log "
                     "FOR EACH ROW EXECUTE FUNCTION log_refuse()",
    "log_no_truncate": "CREATE TRIGGER log_no_truncate BEFORE TRUNCATE ON log "
                       "FOR EACH STATEMENT EXECUTE FUNCTION log_refuse()",
}
CONFIG = ("CREATE OR REPLACE FUNCTION tl_config(lang text) RETURNS regconfig "
          "LANGUAGE sql IMMUTABLE AS $$ SELECT CASE lang "
          + " ".join(f"WHEN '{k}' THEN '{v}'::regconfig" for k, v in LANGUAGE_CONFIG.items())
          + " ELSE 'simple'::regconfig END $$")
META = "CREATE TABLE timeline_meta (name TEXT PRIMARY KEY, value TEXT NOT NULL)"

# Roles for a newsroom (docs/deploy.md): run as the owner after the first `timeline` command
# created the schema. {writer} and {reader} are role names.
GRANTS = """\
REVOKE ALL ON ALL TABLES IN SCHEMA {schema} FROM PUBLIC;
GRANT USAGE ON SCHEMA {schema} TO {writer}, {reader};
GRANT SELECT, INSERT ON log, timeline_meta TO {writer};
GRANT SELECT, INSERT, UPDATE, DELETE ON {projections} TO {writer};
GRANT SELECT ON ALL TABLES IN SCHEMA {schema} TO {writer}, {reader};
"""


def grants(writer: str, reader: str, schema: str = "public") -> str:
    from timeline.schema import PROJECTIONS

    tables = ", ".join([*PROJECTIONS, *FTS, *CACHES])
    return GRANTS.format(schema=schema, writer=writer, reader=reader, projections=tables)


class PgStore(Store):
    """A timeline in a PostgreSQL database (the current schema of the connection)."""

    def __init__(self, url: str, *, readonly: bool = False) -> None:
        if _psycopg() is None:
            raise StoreError(f"{redact(url)}: PostgreSQL needs psycopg: "
                             "pip install 'timeline[postgres]'")
        self.url, self.path = url, redact(url)  # type: ignore[assignment]
        self.readonly, self.immutable, self.uri = readonly, False, url
        psycopg = _psycopg()
        try:
            self.conn = PgConnection(url, readonly=readonly)  # type: ignore[assignment]
            self.schema = self.conn.execute_raw("SELECT current_schema()").fetchone()[0]
            self._check_schema()
        except BaseException as exc:
            # a refused open holds no server connection until the garbage collector runs
            if getattr(self, "conn", None) is not None:
                self.conn.close()
            if not isinstance(exc, psycopg.Error):
                raise
            raise StoreError(f"{self.path}: cannot open database: "
                             f"{str(exc).strip().splitlines()[0]}") from None

    # ------------------------------------------------------------ opening

    def _ensure_name_index(self) -> None:
        """Nothing to make: a PostgreSQL store is created whole at its schema version (an
        older one is refused, not migrated), so the index is there; and the writer role may
        not run even `CREATE TABLE IF NOT EXISTS`, which checks the privilege first."""

    def _tables(self) -> list[str]:
        return [r[0] for r in self.conn.execute_raw(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = %s",
            (self.schema,))]

    def _check_schema(self) -> None:
        tables = self._tables()
        if not tables:
            if self.readonly:
                raise StoreError(f"{self.path}: empty database (run `timeline run` first)")
            self._create()
            return
        if "timeline_meta" not in tables:
            raise StoreError(f"{self.path}: not a timeline database (it holds "
                             f"{', '.join(sorted(tables)[:5])}); refusing to touch it")
        meta = dict(self.conn.execute_raw("SELECT name, value FROM timeline_meta").fetchall())
        if meta.get("application_id") != str(APPLICATION_ID):
            raise StoreError(f"{self.path}: not a timeline database; refusing to touch it")
        version = int(meta.get("schema_version", 0))
        if version > SCHEMA_VERSION:
            raise StoreError(f"{self.path}: schema version {version} is newer than this "
                             f"timeline supports ({SCHEMA_VERSION}); upgrade timeline")
        if version < PG_SCHEMA_FROM:
            raise StoreError(f"{self.path}: schema version {version}: `timeline copy` it "
                             "into a new database (PostgreSQL stores are not migrated in place)")

    def _create(self) -> None:
        conn = self.conn
        conn.execute("BEGIN IMMEDIATE")  # two first runs at once: one creates, one waits
        try:
            if self._tables():
                conn.execute("ROLLBACK")
                self._check_schema()
                return
            conn.execute_raw(META)
            conn.execute_raw("INSERT INTO timeline_meta VALUES ('application_id', %s), "
                             "('schema_version', %s)", (str(APPLICATION_ID), str(SCHEMA_VERSION)))
            for sql in LOG:
                conn.execute_raw(ddl(sql))
            conn.execute_raw(REFUSE)
            conn.execute_raw(CONFIG)
            for sql in TRIGGERS.values():
                conn.execute_raw(sql)
            for sql in CACHES.values():
                conn.execute_raw(ddl(sql))
            create_projections(conn)  # type: ignore[arg-type]
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise

    def _check_writable(self) -> None:
        """Nothing to probe: privileges refuse a write with a clear error at the write."""

    OPTIMISTIC = False  # its insert skips an existing event_id: the ids are probed first

    def _append_locked(self, batch: Sequence[Any], recorded_at: str, run_id: str | None,
                       probe: bool = True) -> list[int]:
        seqs = super()._append_locked(batch, recorded_at, run_id, True)
        if seqs:
            # ON CONFLICT DO NOTHING must never have dropped a row: the chain would have a gap
            n = self.conn.execute("SELECT count(*) FROM log WHERE seq >= ? AND seq <= ?",
                                  (seqs[0], seqs[-1])).fetchone()[0]
            if n != len(seqs):
                raise StoreError(f"{self.path}: {len(seqs) - n} rows of the batch were not "
                                 "written (a concurrent writer without the lock?)")
        return seqs

    def records(self, *, since: int = 0, until: int | None = None, types: Sequence[str] = (),
                stream: str | None = None, run_id: str | None = None) -> Iterator[LogRecord]:
        """The log in keyset pages of `PAGE` rows (seq > the last one seen), up to the head
        as it was at the first page: SQLite's one statement streams from its file, a client
        cursor here would receive the whole log at once; and the log is append-only, so the
        pages together are the snapshot that one statement would have read."""
        until = self.head() if until is None else until
        sql, extra = "SELECT * FROM log WHERE seq > ? AND seq <= ?", []
        if types:
            sql += f" AND type IN ({','.join('?' * len(types))})"
            extra += list(types)
        if stream is not None:
            sql += " AND stream = ?"
            extra.append(stream)
        if run_id is not None:
            sql += " AND run_id = ?"
            extra.append(run_id)
        sql += f" ORDER BY seq LIMIT {PAGE}"
        last = since
        while last < until:
            rows = self.conn.execute(sql, [last, until, *extra]).fetchall()
            yield from (LogRecord(*row) for row in rows)
            if len(rows) < PAGE:
                return
            last = rows[-1][0]

    def size_bytes(self) -> int:
        return int(self.conn.execute_raw(
            "SELECT pg_database_size(current_database())").fetchone()[0])

    def wal_ignored(self) -> int:
        return 0

    # ------------------------------------------------------------ checking, the past

    def verify(self, expect_head: tuple[int, str] | None = None) -> VerifyResult:
        from timeline.store.pgverify import verify_pg

        scratch = PgConnection(self.url)
        try:
            return verify_pg(scratch, self.schema, expect=expect_head)
        finally:
            scratch.close()

    @classmethod
    def as_of(cls, path: Any, seq: int) -> PgStore:
        """The projections at `seq`, folded into temporary tables of a session of its own
        (they shadow the real ones); the past log is the temporary view `log`."""
        src = cls(str(path), readonly=True)
        schema = src.schema
        src.close()
        mem = PgConnection(str(path))
        mem.temp_ddl = True
        mem.execute("BEGIN")
        create_projections(mem, indexes=False)  # type: ignore[arg-type]
        mem.execute_raw(f"CREATE TEMP VIEW log AS SELECT * FROM {schema}.log "
                        f"WHERE seq <= {int(seq)}")
        replay(mem, until=seq, table=f"{schema}.log", skip=frozenset(FTS))  # type: ignore[arg-type]
        create_indexes(mem)  # type: ignore[arg-type]
        mem.execute("COMMIT")
        mem.execute_raw("SET default_transaction_read_only = on")
        store = cls.__new__(cls)
        store.url, store.path, store.schema = src.url, src.path, schema
        store.readonly, store.immutable, store.uri = True, False, src.url
        store.conn = mem  # type: ignore[assignment]
        return store

    # ------------------------------------------------------------ user SQL and search

    @contextmanager
    def query_stream(self, sql: str, params: Sequence[Any] | dict[str, Any] = (), *,
                     should_stop: Callable[[], bool] | None = None
                     ) -> Iterator[tuple[list[str], Iterator[tuple[Any, ...]]]]:
        """User SQL in a READ ONLY transaction under a statement_timeout ceiling; the
        caller's stop check is polled by a thread that cancels the statement."""
        if not self.readonly:
            raise StoreError("user SQL runs on read-only connections only")
        psycopg = _psycopg()
        raw = self.conn.raw
        done = threading.Event()
        stopped: list[bool] = []

        def watch() -> None:
            while not done.wait(0.05):
                if should_stop is not None and should_stop():
                    stopped.append(True)
                    raw.cancel_safe()
                    return

        raw.execute("BEGIN READ ONLY")
        raw.execute("SET LOCAL statement_timeout = '600s'")
        watcher = threading.Thread(target=watch, daemon=True)
        watcher.start()
        cur = None
        try:
            # A query goes through a server-side cursor, so that its rows stream as
            # SQLite's do (`--limit` and the table's row cap end an endless query; rows are
            # written as they come); each FETCH is under statement_timeout, the whole under
            # the caller's stop check. What DECLARE cannot hold (SHOW, EXPLAIN) goes through
            # a client cursor, its result read whole.
            cur = raw.cursor(name="timeline_user_query") if declarable(sql) else raw.cursor()
            try:
                cur.execute(*_placeholders(sql, params))
            except psycopg.Error as exc:
                raise _user_error(exc, stopped) from None
            names = [d[0] for d in cur.description or ()]

            def fetch() -> Iterator[tuple[Any, ...]]:
                try:
                    # between two FETCHes no statement runs for the watcher to cancel
                    while not stopped and (rows := cur.fetchmany(256)):
                        yield from rows
                    if stopped:
                        raise QueryInterrupted("query interrupted")
                except psycopg.Error as exc:
                    raise _user_error(exc, stopped) from None

            yield names, fetch()
        finally:
            done.set()
            watcher.join()
            if self.conn.in_transaction:
                raw.execute("ROLLBACK")  # the server closes the cursor with it
            if cur is not None:
                with suppress(psycopg.Error):
                    cur.close()

    def search(self, words: str, limit: int = 20) -> tuple[list[dict[str, Any]],
                                                             list[dict[str, Any]]]:
        from timeline.store import pgsearch, search

        try:
            return pgsearch.run(self.rows, self.conn, words, limit)
        except search.SearchError as exc:
            raise StoreError(str(exc)) from None


_LEAD = re.compile(r"(?:\s+|--[^\n]*(?:\n|$)|/\*.*?\*/|\()*", re.S)
_DECLARABLE = frozenset({"select", "with", "values", "table"})


def declarable(sql: str) -> bool:
    """Whether a statement is a query DECLARE takes (SELECT, WITH, VALUES, TABLE), past
    leading blanks, comments and parentheses."""
    rest = sql[_LEAD.match(sql).end():]  # type: ignore[union-attr]
    word = re.match(r"[A-Za-z]+", rest)
    return word is not None and word.group(0).lower() in _DECLARABLE


_LITERAL_OR_MARK = re.compile(r"'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"|::"
                              r"|(?<![\w:]):([A-Za-z_]\w*)|%|\?")


def _placeholders(sql: str, params: Sequence[Any] | dict[str, Any]) -> tuple[str, Any]:
    """User SQL as SQLite reads its parameters (`:name`, `?`) in psycopg's (`%(name)s`,
    `%s`, every literal `%` doubled, psycopg reads them even in quotes); quoted text and
    `::` casts keep their colons and question marks."""
    if not params:
        return sql, None

    def mark(m: re.Match[str]) -> str:
        tok = m.group(0)
        if m.group(1):
            return f"%({m.group(1)})s"
        return {"%": "%%", "?": "%s"}.get(tok, tok.replace("%", "%%"))

    return _LITERAL_OR_MARK.sub(mark, sql), params


def _user_error(exc: Exception, stopped: list[bool]) -> StoreError:
    psycopg = _psycopg()
    if stopped or isinstance(exc, psycopg.errors.QueryCanceled):
        return QueryInterrupted("query interrupted")
    msg = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    if isinstance(exc, psycopg.errors.ReadOnlySqlTransaction):
        msg = f"the database is read-only here ({msg})"
    return StoreError(f"query failed: {msg}")


# ------------------------------------------------------------ the writer lock


class WriterLock:
    """The lock `run` and `rebuild` hold for their whole work (cli/lock.py waits for it): a
    session-level advisory lock on a connection of its own, so the server releases it when
    the process dies. The session's application_name names the holder to a waiting one."""

    def __init__(self, url: str, holder: str) -> None:
        psycopg = _psycopg()
        if psycopg is None:
            raise StoreError(f"{redact(url)}: PostgreSQL needs psycopg: "
                             "pip install 'timeline[postgres]'")
        self.url = url
        try:
            self.conn = psycopg.connect(url, autocommit=True,
                                        application_name=f"timeline {holder}"[:63])
        except psycopg.Error as exc:
            raise StoreError(f"{redact(url)}: cannot open database: "
                             f"{str(exc).strip().splitlines()[0]}") from None

    def try_acquire(self) -> bool:
        return bool(self.conn.execute("SELECT pg_try_advisory_lock(%s)",
                                      (WRITER_LOCK,)).fetchone()[0])

    def holder(self) -> str:
        """Who holds it: the holder's application_name and server pid, or "unknown"."""
        row = self.conn.execute(
            "SELECT a.application_name, a.pid FROM pg_locks l JOIN pg_stat_activity a "
            "ON a.pid = l.pid WHERE l.locktype = 'advisory' AND l.granted "
            "AND l.classid = %s AND l.objid = %s AND l.database = "
            "(SELECT oid FROM pg_database WHERE datname = current_database()) LIMIT 1",
            (WRITER_LOCK >> 32, WRITER_LOCK & 0xFFFFFFFF)).fetchone()
        return f"{row[0] or 'unknown'}, server pid {row[1]}" if row else "unknown"

    def close(self) -> None:
        self.conn.close()  # ending the session releases the lock
