"""Reading the projections: the questions the CLI and the pipeline ask of a timeline database.

A mixin of `Store` (see store/__init__.py), split out so the core module stays about the log:
opening, appending, verifying, rebuilding. Still the store: nothing outside this package
talks to SQLite.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from timeline.events import VISIBLE_V1
from timeline.store import userquery


class StoreError(Exception):
    """A database we must not or cannot use; the message is one line for the user."""


class QueryInterrupted(StoreError):
    """User SQL stopped because the caller's stop check said so (a deadline, a signal)."""


def _query_error(exc: Exception) -> StoreError:
    """One line for the user from what SQLite (or our authorizer) said."""
    if isinstance(exc, userquery.QueryDenied):
        return StoreError(f"query failed: {exc}")
    msg = str(exc)
    if isinstance(exc, sqlite3.OperationalError) and msg == "interrupted":
        return QueryInterrupted("query interrupted")
    if "readonly" in msg or "read-only" in msg or "query_only" in msg:
        msg = f"the database is read-only here ({msg})"
    return StoreError(f"query failed: {msg}")


def _fetch(cur: sqlite3.Cursor) -> Iterator[tuple[Any, ...]]:
    try:
        while rows := cur.fetchmany(256):
            yield from rows
    except sqlite3.Error as exc:
        raise _query_error(exc) from None


class Queries:
    conn: sqlite3.Connection
    path: Any
    readonly: bool

    def head(self) -> int:  # provided by Store
        raise NotImplementedError

    def seq_at(self, instant: str) -> int:  # provided by Store
        raise NotImplementedError

    def rows(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> list[dict[str, Any]]:
        cur = self.conn.execute(sql, params)
        names = [d[0] for d in cur.description or ()]
        return [dict(zip(names, r, strict=True)) for r in cur]

    def query(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()
              ) -> tuple[list[str], list[tuple[Any, ...]]]:
        """User SQL, all rows at once (see `query_stream`)."""
        with self.query_stream(sql, params) as (names, rows):
            return names, list(rows)

    @contextmanager
    def query_stream(self, sql: str, params: Sequence[Any] | dict[str, Any] = (), *,
                     should_stop: Callable[[], bool] | None = None
                     ) -> Iterator[tuple[list[str], Iterator[tuple[Any, ...]]]]:
        """User SQL: (column names, rows as SQLite produces them). Only ever on a store opened
        read-only, under the guards of `userquery`; `should_stop` is asked every few thousand
        SQLite steps and ends the query with QueryInterrupted when it says so."""
        if not self.readonly:
            raise StoreError("user SQL runs on read-only connections only")
        with userquery.guarded(self.conn, should_stop) as refused:
            try:
                cur = userquery.execute(self.conn, sql, params, refused)
            except (sqlite3.Error, userquery.QueryDenied) as exc:
                raise _query_error(exc) from None
            try:
                yield [d[0] for d in cur.description or ()], _fetch(cur)
            finally:
                cur.close()

    def current_heads(self, fact_type: str) -> dict[str, tuple[str, bool]]:
        """Latest event id per key of a derived fact type, and whether it was retracted."""
        return {k: (e, bool(r)) for k, e, r in self.conn.execute(
            "SELECT key, event_id, retracted FROM fact_heads WHERE fact_type = ?", (fact_type,))}

    def document_index(self) -> tuple[dict[str, str], set[str]]:
        """(path -> current document id, ids of all current documents)."""
        by_path = dict(self.conn.execute("SELECT path, id FROM documents"))
        return by_path, set(by_path.values())

    def documents(self, ids: Sequence[str] | None = None) -> list[dict[str, Any]]:
        """Current documents (all, or those ids) with their text, in path order. Only the
        rows asked for are read: an incremental run asks for a handful of a large corpus."""
        if ids is None:
            rows = self.rows("SELECT * FROM documents")
        else:
            ids, rows = list(ids), []
            for i in range(0, len(ids), 500):
                chunk = ids[i:i + 500]
                rows += self.rows(f"SELECT * FROM documents WHERE id IN "
                                  f"({','.join('?' * len(chunk))})", chunk)
        for r in rows:
            r["header"] = json.loads(r["header"] or "{}")
        return sorted(rows, key=lambda r: (r["path"], r["id"]))

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
        return _heads_and_live(rows)

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
        for s in self.rows('SELECT event, document, quote, start, "end", lang, title '
                           "FROM event_sources ORDER BY event, document, start"):
            for k in ("lang", "title"):
                if s[k] is None:
                    del s[k]
            sources.setdefault(s.pop("event"), []).append(s)
        evs = []
        for r in self.rows('SELECT id, story, kind, title, start, "end", granularity, status, '
                           "rank, place, participants, label, class, salience FROM events "
                           "ORDER BY rank IS NULL, rank, start, id"):
            r["participants"] = json.loads(r["participants"] or "[]")
            r["label"] = r["label"] or r["kind"]
            r["class"] = r["class"] or ""
            r["salience"] = VISIBLE_V1 if r["salience"] is None else r["salience"]
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
            if self.conn.in_transaction:  # SQLite may have rolled back itself (disk full)
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
        keys = list(keys)
        rows: list[tuple[Any, ...]] = []
        for i in range(0, len(keys), 500):
            chunk = keys[i:i + 500]
            rows += self.conn.execute(
                "SELECT h.key, h.event_id, h.retracted, l.data FROM fact_heads h "
                "JOIN log l ON l.event_id = h.event_id WHERE h.fact_type = ? AND h.key IN "
                f"({','.join('?' * len(chunk))})", [fact_type, *chunk]).fetchall()
        return _heads_and_live(rows)

    def last_recorded_at(self) -> str | None:
        return self.conn.execute("SELECT max(recorded_at) FROM log").fetchone()[0]

    def document_chars(self) -> dict[str, int]:
        return dict(self.conn.execute("SELECT id, chars FROM documents"))

    def timexes_of(self, prefix: str) -> list[dict[str, Any]]:
        """Time expressions of the documents whose id starts with `prefix`."""
        return self.rows('SELECT document, start, "end", text, type, value, mod, anchor '
                         "FROM timexes WHERE document LIKE ? ORDER BY document, start",
                         (prefix.replace("%", "").replace("_", "") + "%",))

    def unfinished_runs(self, besides: str) -> int:
        """Runs that started and never finished (killed, crashed, stopped by a signal), other
        than `besides`, since the last run that finished: that run saw them and reconstructed
        everything, so older ones no longer make every later run a full one."""
        return self.conn.execute(
            "SELECT count(*) FROM runs WHERE finished_at IS NULL AND run_id != ? AND "
            "first_seq > coalesce((SELECT max(first_seq) FROM runs "
            "WHERE finished_at IS NOT NULL), 0)", (besides,)).fetchone()[0]

    def failures(self) -> list[dict[str, Any]]:
        """Every DocumentFailed payload, oldest first: what decides whether a document is
        tried again (a new engine, a larger budget)."""
        return [json.loads(r["data"]) for r in
                self.rows("SELECT data FROM log WHERE type = 'DocumentFailed' ORDER BY seq")]

    def document_ids(self) -> list[str]:
        return [r[0] for r in self.conn.execute("SELECT id FROM documents ORDER BY path, id")]

    def header_dates(self) -> dict[str, str | None]:
        """The date header of every current document (stories use it as a time window)."""
        return {i: json.loads(h or "{}").get("date")
                for i, h in self.conn.execute("SELECT id, header FROM documents")}

    def constraint_keys(self, events: set[str]) -> list[str]:
        return [k for k, b, a in self.conn.execute("SELECT key, before, after FROM constraints")
                if b in events or a in events]

    def conflict_keys(self, events: set[str]) -> list[str]:
        return [k for k, e in self.conn.execute("SELECT key, event FROM conflicts")
                if e in events]


def _heads_and_live(rows: Any) -> tuple[dict[str, tuple[str, bool]], dict[str, dict[str, Any]]]:
    """(key -> (latest event id, retracted?)) and the payloads of the live keys."""
    heads: dict[str, tuple[str, bool]] = {}
    live: dict[str, dict[str, Any]] = {}
    for key, eid, retracted, data in rows:
        heads[key] = (eid, bool(retracted))
        if not retracted:
            live[key] = json.loads(data)
    return heads, live
