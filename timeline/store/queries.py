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
from timeline.store import search, userquery


class StoreError(Exception):
    """A database we must not or cannot use; the message is one line for the user."""


class QueryInterrupted(StoreError):
    """User SQL stopped because the caller's stop check said so (a deadline, a signal)."""


def in_chunks(values: Sequence[Any], size: int = 500) -> Iterator[tuple[list[Any], str]]:
    """Each slice of `values` with its `?,?,…` placeholders: SQLite bounds the parameters
    of one statement (999 before 3.32), so `IN (...)` over many ids is asked in slices."""
    values = list(values)
    for i in range(0, len(values), size):
        chunk = values[i:i + size]
        yield chunk, ",".join("?" * len(chunk))


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

    def size_bytes(self) -> int:  # provided by Store
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

    def has_live_facts(self, fact_type: str) -> bool:
        return self.conn.execute("SELECT 1 FROM fact_heads WHERE fact_type = ? AND "
                                 "retracted = 0 LIMIT 1", (fact_type,)).fetchone() is not None

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
            rows = []
            for chunk, marks in in_chunks(ids):
                rows += self.rows(f"SELECT * FROM documents WHERE id IN ({marks})", chunk)
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
                           "rank, place, participants, label, class, salience, series "
                           "FROM events ORDER BY rank IS NULL, rank, start, id"):
            r["participants"] = json.loads(r["participants"] or "[]")
            series = r.pop("series")
            if series:  # a running count's steps (timeline.series); absent when none
                r["series"] = json.loads(series)
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
        """(events, documents) matching `words` in FTS5 query syntax (store/search.py):
        each event once, with its best quote. A malformed query raises StoreError."""
        try:
            return search.run(self.rows, self.conn, words, limit)
        except search.SearchError as exc:
            raise StoreError(str(exc)) from None

    def stats(self) -> dict[str, Any]:
        def pairs(sql: str) -> list[dict[str, Any]]:
            return self.rows(sql)

        size = self.size_bytes()
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

    def streams(self, stream: str) -> list[str]:
        """`[stream]` when the log has records of it (the index answers), else every stream
        the log has, for a usage error to name the closest."""
        if self.rows("SELECT 1 AS hit FROM log WHERE stream = ? LIMIT 1", (stream,)):
            return [stream]
        return [r["stream"] for r in self.rows("SELECT DISTINCT stream FROM log")]

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
        for chunk, marks in in_chunks(documents):
            out.update(r[0] for r in self.conn.execute(
                f"SELECT DISTINCT event FROM event_sources WHERE document IN ({marks})", chunk))
        return out

    def prior_events(self, events: Sequence[str]) -> list[dict[str, Any]]:
        """The current events of these ids with their sources' (document, quote), the state
        timeline.identity matches a new reconstruction against."""
        out: dict[str, dict[str, Any]] = {}
        for chunk, marks in in_chunks(sorted(events)):
            for r in self.rows(f"SELECT id, story, kind, label, status, start, place, "
                               f"participants FROM events WHERE id IN ({marks})", chunk):
                r["participants"] = json.loads(r["participants"] or "[]")
                r["sources"] = []
                out[r["id"]] = r
            for e, d, q in self.conn.execute(f"SELECT event, document, quote FROM event_sources "
                                             f"WHERE event IN ({marks})", chunk):
                if e in out:
                    out[e]["sources"].append((d, q))
        return [out[e] for e in sorted(out)]

    def version_paths(self, documents: Sequence[str]) -> dict[str, str]:
        """The path of every version of these documents, current or superseded."""
        out: dict[str, str] = {}
        for chunk, marks in in_chunks(sorted(set(documents))):
            out.update(self.conn.execute(
                f"SELECT id, min(path) FROM document_versions WHERE id IN ({marks}) "
                f"GROUP BY id", chunk))
        return out

    def superseded(self, documents: Sequence[str]) -> dict[str, str]:
        """previous version -> the version that superseded it, for these previous ids."""
        out: dict[str, str] = {}
        for chunk, marks in in_chunks(sorted(set(documents))):
            out.update(self.conn.execute(
                f"SELECT id, superseded_by FROM document_versions WHERE superseded_by IS NOT "
                f"NULL AND id IN ({marks})", chunk))
        return out

    def lineage(self, since: int = 0) -> list[dict[str, Any]]:
        """Merges and splits of events recorded after log position `since`."""
        rows = self.rows("SELECT seq, change, event, other, story, evidence FROM event_lineage "
                         "WHERE seq > ? ORDER BY seq, event, other", (since,))
        for r in rows:
            r["evidence"] = json.loads(r["evidence"]) if r["evidence"] else None
        return rows

    def facts_for(self, fact_type: str, keys: Sequence[str]) -> tuple[
            dict[str, tuple[str, bool]], dict[str, dict[str, Any]]]:
        """Heads and live payloads of the given keys of a fact type."""
        rows: list[tuple[Any, ...]] = []
        for chunk, marks in in_chunks(keys):
            rows += self.conn.execute(
                "SELECT h.key, h.event_id, h.retracted, l.data FROM fact_heads h "
                "JOIN log l ON l.event_id = h.event_id WHERE h.fact_type = ? AND h.key IN "
                f"({marks})", [fact_type, *chunk]).fetchall()
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

    def entity_mention_rows(self) -> list[dict[str, Any]]:
        """Every current entity mention, as `entities.from_data` reads it (with its entity)."""
        return self.rows('SELECT document, start, "end", text, label, language, local, entity '
                         "FROM entity_mentions")

    def entities(self) -> list[dict[str, Any]]:
        rows = self.rows("SELECT id, name, type, aliases, mentions, documents, languages "
                         "FROM entities ORDER BY mentions DESC, id")
        for r in rows:
            r["aliases"] = json.loads(r["aliases"] or "[]")
            r["languages"] = json.loads(r["languages"] or "[]")
        return rows

    def entity_events(self, entity: str) -> list[dict[str, Any]]:
        """The events an entity takes part in (named in a sentence a source quotes)."""
        # (each event once without DISTINCT, whose ORDER BY PostgreSQL limits to its columns)
        return self.rows(
            "SELECT e.id, e.rank, e.start, e.\"end\", e.status, e.kind, e.title, "
            "e.story, e.source_count FROM events e WHERE e.id IN (SELECT x.event FROM "
            "event_entities x WHERE x.entity = ?) ORDER BY e.start IS NULL, e.start, e.rank, "
            "e.id", (entity,))

    def story_summaries(self) -> list[dict[str, Any]]:
        """`timeline stories`: every story with its readable name, dates and counts."""
        from collections import Counter

        from timeline.story_names import summarize

        # the events `show` lists (a version-1 event has no salience: shown, as it was)
        events = self.rows("SELECT id, story, kind, label, start, place, source_count FROM events "
                           "WHERE salience IS NULL OR salience >= ?", (VISIBLE_V1,))
        docs: dict[str, set[str]] = {}
        for story, doc in self.conn.execute("SELECT DISTINCT story, document FROM mentions"):
            docs.setdefault(story, set()).add(doc)
        languages = dict(self.conn.execute("SELECT id, language FROM documents"))
        entities: dict[str, Counter[str]] = {}
        for story, entity, n in self.conn.execute(
                "SELECT e.story, x.entity, count(DISTINCT x.event) FROM event_entities x "
                "JOIN events e ON e.id = x.event GROUP BY e.story, x.entity"):
            entities.setdefault(story, Counter())[entity] = n
        names = {i: (n, t) for i, n, t in self.conn.execute(
            "SELECT id, name, type FROM entities")}
        places: dict[str, str] = {}
        for name, aliases in self.conn.execute(
                "SELECT name, aliases FROM entities WHERE type = 'PLACE' ORDER BY mentions"):
            places.update({a.casefold(): name for a in json.loads(aliases or "[]")})
        return summarize(events, docs, languages, entities, names, places)

    def event_triggers(self, events: Sequence[str], entity: str
                       ) -> dict[str, list[tuple[str, int]]]:
        """(document, trigger offset) of each mention behind each event whose sentence
        names the entity."""
        out: dict[str, list[tuple[str, int]]] = {}
        for chunk, marks in in_chunks(events):
            for ev_id, doc, start in self.conn.execute(
                    "SELECT DISTINCT s.event, m.document, m.start FROM event_sources s "
                    "JOIN events e ON e.id = s.event JOIN mentions m ON m.document = "
                    "s.document AND m.sentence_start = s.start AND m.kind = e.kind "
                    f"WHERE s.event IN ({marks}) AND EXISTS (SELECT 1 "
                    "FROM entity_mentions em WHERE em.document = m.document AND em.entity = ? "
                    'AND em.start >= m.sentence_start AND em."end" <= m.sentence_end)',
                    [*chunk, entity]):
                out.setdefault(ev_id, []).append((doc, start))
        return out

    def constraint_keys(self, events: set[str]) -> list[str]:
        """Keys of the constraints on these events, through the before/after indexes: an
        incremental run asks about a few events of a large timeline."""
        return sorted(self._keys_where(
            "SELECT key FROM constraints WHERE before IN ({0}) OR after IN ({0})", events))

    def conflict_keys(self, events: set[str]) -> list[str]:
        return sorted(self._keys_where("SELECT key FROM conflicts WHERE event IN ({0})",
                                       events))

    def _keys_where(self, sql: str, values: set[str]) -> set[str]:
        out: set[str] = set()
        for chunk, marks in in_chunks(sorted(values), 400):  # 400: the values go in twice
            out.update(r[0] for r in self.conn.execute(
                sql.format(marks), chunk * sql.count("{0}")))
        return out


def _heads_and_live(rows: Any) -> tuple[dict[str, tuple[str, bool]], dict[str, dict[str, Any]]]:
    """(key -> (latest event id, retracted?)) and the payloads of the live keys."""
    heads: dict[str, tuple[str, bool]] = {}
    live: dict[str, dict[str, Any]] = {}
    for key, eid, retracted, data in rows:
        heads[key] = (eid, bool(retracted))
        if not retracted:
            live[key] = json.loads(data)
    return heads, live
