"""The SQLite schema, as data: the log, its guards, and the projection tables people query.

Kept apart from `store` so the table layout can be read (and documented in docs/schema.md)
without wading through connection handling. Only `store` executes these statements.
"""

from __future__ import annotations

import re

APPLICATION_ID = 0x546C6E65  # "Tlne": marks a database as ours
SCHEMA_VERSION = 9
# PostgreSQL stores are not migrated in place; versions whose changes are SQLite's storage
# alone (7) leave them as they were, readable as they stand; 8 adds the entity index, which
# an older PostgreSQL store lacks (`timeline copy` it into a new one)
PG_SCHEMA_FROM = 8
# 2: each FTS row shares the rowid of the row it indexes (documents, event_sources), so
#    Datasette's search finds the rows; projections declare their foreign keys (a database
#    from version 1 gets those from `timeline rebuild`; SQLite cannot add them in place).
# 4: mentions and events carry the TimeML attributes, labels and salience (open-class events)
# 5: event_lineage, the merges and splits of events (EventsMerged, EventSplit)
# 6: date_readings, the dates that competed for each document (DocumentDated v2 readings);
#    events.series, the steps of a running count (EventFormed.series)
# 7: fact_heads WITHOUT ROWID (its primary key was stored twice: the table and its index);
#    no index on log(run_id) (a run's records lie between its first seq and the next run's)
# 8: entity_index, the name keys incremental entity linking expands (store/entity_index.py),
#    and entity_mentions looked up by their local key
# 9: documents_fts an external-content FTS5 table over `documents`: the index alone, the text
#    read from the projection (it held a third copy of every text, after the log and
#    `documents`); SQLite's storage alone, PostgreSQL's FTS tables are unchanged

LOG = [
    """CREATE TABLE IF NOT EXISTS log (
        seq INTEGER PRIMARY KEY,
        event_id TEXT UNIQUE NOT NULL,
        type TEXT NOT NULL,
        version INTEGER NOT NULL,
        stream TEXT NOT NULL,
        data TEXT NOT NULL,
        recorded_at TEXT NOT NULL,
        run_id TEXT,
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL
    )""",
    "CREATE INDEX IF NOT EXISTS log_stream ON log(stream)",
    "CREATE INDEX IF NOT EXISTS log_type ON log(type)",
]

# The database itself refuses to change history. INSERT OR REPLACE would delete the old row
# without firing DELETE triggers (unless recursive_triggers is on), so inserts that collide
# with an existing seq or event_id are refused before they can replace anything.
TRIGGERS = {
    "log_no_update": """CREATE TRIGGER IF NOT EXISTS log_no_update BEFORE UPDATE ON log
        BEGIN SELECT RAISE(ABORT, 'log is append-only: UPDATE refused'); END""",
    "log_no_delete": """CREATE TRIGGER IF NOT EXISTS log_no_delete BEFORE DELETE ON log
        BEGIN SELECT RAISE(ABORT, 'log is append-only: DELETE refused'); END""",
    "log_no_replace": """CREATE TRIGGER IF NOT EXISTS log_no_replace BEFORE INSERT ON log
        WHEN EXISTS (SELECT 1 FROM log WHERE seq = NEW.seq)
          OR EXISTS (SELECT 1 FROM log WHERE event_id = NEW.event_id)
        BEGIN SELECT RAISE(ABORT, 'log is append-only: row exists, REPLACE refused'); END""",
}

# Projection tables: (name, DDL, indexes). Column order here is the order users see.
PROJECTIONS: dict[str, tuple[str, list[str]]] = {
    "documents": (
        """CREATE TABLE documents (
            id TEXT PRIMARY KEY, path TEXT, title TEXT, language TEXT, language_basis TEXT,
            date TEXT, date_basis TEXT, date_evidence TEXT, date_confidence REAL,
            encoding TEXT, size INTEGER, chars INTEGER, sha256 TEXT, header TEXT,
            body_start INTEGER, text TEXT, seq INTEGER)""",
        ["CREATE INDEX documents_path ON documents(path)",
         "CREATE INDEX documents_date ON documents(date)"],
    ),
    "document_versions": (
        """CREATE TABLE document_versions (
            id TEXT, path TEXT, seq INTEGER, superseded_by TEXT, PRIMARY KEY (id, path))""",
        [],
    ),
    "rejections": (
        "CREATE TABLE rejections (path TEXT, reason TEXT, sha256 TEXT, seq INTEGER, run_id TEXT)",
        ["CREATE INDEX rejections_path ON rejections(path)"],
    ),
    "runs": (
        """CREATE TABLE runs (
            run_id TEXT PRIMARY KEY, started_at TEXT, finished_at TEXT, engine TEXT,
            paths TEXT, counts TEXT, first_seq INTEGER, last_seq INTEGER)""",
        [],
    ),
    "document_dates": (
        """CREATE TABLE document_dates (
            key TEXT PRIMARY KEY, document TEXT, date TEXT, basis TEXT, evidence TEXT,
            confidence REAL, engine TEXT, event_id TEXT, seq INTEGER,
            FOREIGN KEY (document) REFERENCES documents(id))""",
        [],
    ),
    "date_readings": (
        """CREATE TABLE date_readings (
            document TEXT, rank INTEGER, value TEXT, chosen INTEGER, votes INTEGER,
            contradictions TEXT, evidence TEXT, event_id TEXT, seq INTEGER,
            PRIMARY KEY (document, rank))""",
        [],
    ),
    "timexes": (
        """CREATE TABLE timexes (
            key TEXT PRIMARY KEY, document TEXT, start INTEGER, "end" INTEGER, text TEXT,
            type TEXT, value TEXT, mod TEXT, begin TEXT, end_value TEXT, anchor TEXT,
            relation TEXT, dct TEXT, engine TEXT, event_id TEXT, seq INTEGER,
            FOREIGN KEY (document) REFERENCES documents(id))""",
        ["CREATE INDEX timexes_document ON timexes(document, start)",
         "CREATE INDEX timexes_value ON timexes(value)"],
    ),
    "mentions": (
        """CREATE TABLE mentions (
            key TEXT PRIMARY KEY, document TEXT, start INTEGER, "end" INTEGER, trigger TEXT,
            kind TEXT, status TEXT, sentence_start INTEGER, sentence_end INTEGER, quote TEXT,
            block INTEGER, story TEXT, time TEXT, participants TEXT, place TEXT,
            attributes TEXT, cues TEXT, part INTEGER, engine TEXT, event_id TEXT, seq INTEGER,
            label TEXT, class TEXT, tense TEXT, aspect TEXT, polarity TEXT, modality TEXT,
            pos TEXT, lemma TEXT,
            FOREIGN KEY (document) REFERENCES documents(id))""",
        ["CREATE INDEX mentions_document ON mentions(document, start)",
         "CREATE INDEX mentions_kind ON mentions(kind)"],
    ),
    "events": (
        """CREATE TABLE events (
            id TEXT PRIMARY KEY, story TEXT, kind TEXT, title TEXT, start TEXT, "end" TEXT,
            granularity TEXT, status TEXT, rank INTEGER, place TEXT, participants TEXT,
            source_count INTEGER, engine TEXT, event_id TEXT, seq INTEGER,
            label TEXT, class TEXT, salience INTEGER, series TEXT)""",
        ["CREATE INDEX events_rank ON events(rank)",
         "CREATE INDEX events_start ON events(start)"],
    ),
    "event_sources": (
        """CREATE TABLE event_sources (
            event TEXT, document TEXT, quote TEXT, start INTEGER, "end" INTEGER,
            lang TEXT, title TEXT,
            PRIMARY KEY (event, document, start),
            FOREIGN KEY (event) REFERENCES events(id),
            FOREIGN KEY (document) REFERENCES documents(id))""",
        ["CREATE INDEX event_sources_document ON event_sources(document)"],
    ),
    "constraints": (
        """CREATE TABLE constraints (
            key TEXT PRIMARY KEY, before TEXT, after TEXT, cue TEXT, document TEXT,
            accepted INTEGER, engine TEXT, event_id TEXT, seq INTEGER,
            FOREIGN KEY (before) REFERENCES events(id), FOREIGN KEY (after) REFERENCES events(id),
            FOREIGN KEY (document) REFERENCES documents(id))""",
        ["CREATE INDEX constraints_before ON constraints(before)",
         "CREATE INDEX constraints_after ON constraints(after)"],
    ),
    "conflicts": (
        """CREATE TABLE conflicts (
            key TEXT PRIMARY KEY, event TEXT, attribute TEXT, "values" TEXT,
            engine TEXT, event_id TEXT, seq INTEGER,
            FOREIGN KEY (event) REFERENCES events(id))""",
        ["CREATE INDEX conflicts_event ON conflicts(event)"],
    ),
    "entities": (
        """CREATE TABLE entities (
            id TEXT PRIMARY KEY, name TEXT, type TEXT, aliases TEXT, mentions INTEGER,
            documents INTEGER, languages TEXT, engine TEXT, event_id TEXT, seq INTEGER)""",
        ["CREATE INDEX entities_name ON entities(name)"],
    ),
    "entity_mentions": (
        """CREATE TABLE entity_mentions (
            key TEXT PRIMARY KEY, document TEXT, start INTEGER, "end" INTEGER, text TEXT,
            label TEXT, language TEXT, local TEXT, entity TEXT, engine TEXT, event_id TEXT,
            seq INTEGER)""",
        ["CREATE INDEX entity_mentions_document ON entity_mentions(document, start)",
         "CREATE INDEX entity_mentions_entity ON entity_mentions(entity)",
         "CREATE INDEX entity_mentions_local ON entity_mentions(local)"],
    ),
    "event_lineage": (
        """CREATE TABLE event_lineage (
            seq INTEGER, change TEXT, event TEXT, other TEXT, story TEXT, evidence TEXT,
            PRIMARY KEY (seq, event, other))""",
        ["CREATE INDEX event_lineage_event ON event_lineage(event)"],
    ),
    "fact_heads": (
        """CREATE TABLE fact_heads (
            fact_type TEXT, key TEXT, event_id TEXT, retracted INTEGER,
            PRIMARY KEY (fact_type, key)) WITHOUT ROWID""",
        [],
    ),
    "projection_state": (
        "CREATE TABLE projection_state (name TEXT PRIMARY KEY, last_seq INTEGER)",
        [],
    ),
}

# From schema version N to N+1: version 2 adds the open-class mention columns (the rows a
# version 1 database holds get them when the next run re-derives its facts).

VIEWS = {
    "timeline": """CREATE VIEW timeline AS
        SELECT e.rank, e.start AS date, e."end" AS end_date, e.status, e.kind, e.title,
               e.story, e.source_count AS sources,
               (SELECT count(*) FROM conflicts c WHERE c.event = e.id) AS conflicts,
               e.id AS event
        FROM events e
        WHERE e.salience IS NULL OR e.salience >= 4
        ORDER BY e.rank IS NULL, e.rank, e.start, e.id""",
    # an event's entities: those named in the sentences its sources quote
    "event_entities": """CREATE VIEW event_entities AS
        SELECT DISTINCT s.event, em.entity, s.document
        FROM event_sources s
        JOIN mentions m ON m.document = s.document AND m.sentence_start = s.start
        JOIN entity_mentions em ON em.document = s.document
             AND em.start >= m.sentence_start AND em."end" <= m.sentence_end""",
}

FTS = {
    # FTS tables kept in sync by the projection code, not by triggers, so a rebuild and an
    # incremental fold write exactly the same index; a row's rowid is that of the row it
    # indexes (documents, event_sources: see projections.FTS_GROUP).
    # external content: the index only; its columns are read from `documents` by rowid (a
    # DELETE reads the row it removes from there, so the fold deletes before the row goes)
    "documents_fts": "CREATE VIRTUAL TABLE documents_fts USING fts5("
                     "id UNINDEXED, title, text, content='documents')",
    "quotes_fts": "CREATE VIRTUAL TABLE quotes_fts USING fts5("
                  "event UNINDEXED, document UNINDEXED, quote)",
}

PROJECTION_TABLES = list(PROJECTIONS) + list(FTS)
# FTS tables that keep no copy of their text (content= another table): verify compares their
# index itself (store.chain), since reading their rows reads the content table
EXTERNAL_FTS = {"documents_fts": "documents"}

CACHES_DDL_ENTITY_INDEX = """CREATE TABLE IF NOT EXISTS entity_index (
        term TEXT, key TEXT, PRIMARY KEY (term, key))"""

# Migrations from schema version N to N+1 (store.Store._migrate runs them in one transaction).
MIGRATIONS: dict[int, list[str]] = {
    # 1 -> 2: FTS rows take the rowid of the row they index (documents, event_sources), so
    # that the fold deletes them by rowid instead of scanning the index per document.
    1: ["DELETE FROM documents_fts",
        "INSERT INTO documents_fts (rowid, id, title, text) "
        "SELECT rowid, id, title, text FROM documents",
        "DELETE FROM quotes_fts",
        "INSERT INTO quotes_fts (rowid, event, document, quote) "
        "SELECT rowid, event, document, quote FROM event_sources"],
    # 2 -> 3: the entity projections, created empty; the next run (a new engine) fills them.
    # Written IF NOT EXISTS, so that running a migration twice is harmless.
    2: [re.sub(r"^CREATE (TABLE|INDEX|UNIQUE INDEX|VIEW) ", r"CREATE \1 IF NOT EXISTS ", sql)
        for sql in (*(sql for t in ("entities", "entity_mentions")
                      for sql in (PROJECTIONS[t][0], *PROJECTIONS[t][1])),
                    VIEWS["event_entities"])],
    # 3 -> 4: the open-class event layer's columns (TimeML attributes, label, salience).
    3: [*(f"ALTER TABLE mentions ADD COLUMN {c}" for c in (
            "label TEXT", "class TEXT", "tense TEXT", "aspect TEXT", "polarity TEXT",
            "modality TEXT", "pos TEXT", "lemma TEXT")),
        *(f"ALTER TABLE events ADD COLUMN {c}" for c in (
            "label TEXT", "class TEXT", "salience INTEGER")),
        "ALTER TABLE event_sources ADD COLUMN lang TEXT",
        "ALTER TABLE event_sources ADD COLUMN title TEXT",
        # only the quotes of shown events are searched (a version-1 event has no salience:
        # shown, as it was)
        "DELETE FROM quotes_fts WHERE rowid IN (SELECT s.rowid FROM event_sources s "
        "JOIN events e ON e.id = s.event WHERE e.salience < 4)",
        # the timeline view lists the events `show` lists (salience 4 or more)
        "DROP VIEW IF EXISTS timeline", VIEWS["timeline"]],
    # 4 -> 5: the merges and splits of events, created empty: a database of version 4 has
    # none recorded (its ids were not kept across runs)
    4: [re.sub(r"^CREATE (TABLE|INDEX) ", r"CREATE \1 IF NOT EXISTS ", sql)
        for sql in (PROJECTIONS["event_lineage"][0], *PROJECTIONS["event_lineage"][1])],
    # 5 -> 6: the readings each current date was chosen from and the series of each event,
    # filled from the log records the rows came from, as a fold would (a record written
    # before either existed has none: no rows, no series until the next run derives them)
    5: [re.sub(r"^CREATE TABLE ", "CREATE TABLE IF NOT EXISTS ", PROJECTIONS["date_readings"][0]),
        "ALTER TABLE events ADD COLUMN series TEXT",
        "UPDATE events SET series = (SELECT nullif(json_extract(l.data, '$.series'), '[]') "
        "FROM log l WHERE l.event_id = events.event_id)",
        "INSERT OR REPLACE INTO date_readings (document, rank, value, chosen, votes, "
        "contradictions, evidence, event_id, seq) "
        "SELECT d.document, r.key, json_extract(r.value, '$.date'), "
        "coalesce(json_extract(r.value, '$.date') = d.date, 0), "
        "json_extract(r.value, '$.votes'), coalesce(json_extract(r.value, '$.contradictions'), "
        "'[]'), json_extract(r.value, '$.evidence'), d.event_id, d.seq "
        "FROM document_dates d JOIN log l ON l.event_id = d.event_id, "
        "json_each(l.data, '$.readings') r"],
    # 6 -> 7: fact_heads keeps its rows in its primary key's b-tree (a rowid table stored
    # each key twice, a tenth of the database); the log's run_id index goes (Store.records
    # finds a run's records from its seq range)
    6: ["DROP INDEX IF EXISTS log_run",
        PROJECTIONS["fact_heads"][0].replace("fact_heads", "fact_heads_7", 1),
        "INSERT INTO fact_heads_7 (fact_type, key, event_id, retracted) "
        "SELECT fact_type, key, event_id, retracted FROM fact_heads",
        "DROP TABLE fact_heads",
        "ALTER TABLE fact_heads_7 RENAME TO fact_heads"],
    # 7 -> 8: the entity index (store/entity_index.py), created empty (the next run links
    # every name once and fills it), and the mentions looked up by their local key
    7: [CACHES_DDL_ENTITY_INDEX,
        "CREATE INDEX IF NOT EXISTS entity_mentions_local ON entity_mentions(local)"],
    # 8 -> 9: documents_fts without its own copy of the texts, indexed again from `documents`
    # (the same rowids and values the fold indexes)
    8: ["DROP TABLE IF EXISTS documents_fts", FTS["documents_fts"],
        "INSERT INTO documents_fts (documents_fts) VALUES ('rebuild')"],
}

# Caches: memoized, deterministic functions of their keys, never a source of truth. Deleting
# them costs only speed; `rebuild` clears them, but for store.names.KEPT_BY_REBUILD.
CACHES = {
    # a file whose size and mtime are unchanged is not read again
    "file_cache": """CREATE TABLE IF NOT EXISTS file_cache (
        path TEXT PRIMARY KEY, size INTEGER, mtime_ns INTEGER, document TEXT)""",
    # segments (blocks, names) of a document text, per engine version
    "segment_cache": """CREATE TABLE IF NOT EXISTS segment_cache (
        document TEXT, engine TEXT, data TEXT, PRIMARY KEY (document, engine))""",
    # the story of every segment as of the last reconciliation: what a run compares against
    # to know which stories a new document touched
    "story_cache": """CREATE TABLE IF NOT EXISTS story_cache (
        document TEXT, segment INTEGER, story TEXT, PRIMARY KEY (document, segment))""",
    # every segment's linking keys, one row each, and one with the empty key for the segment
    # itself (store/names.py): what a run finds a new segment's candidates in
    "name_index": """CREATE TABLE IF NOT EXISTS name_index (
        document TEXT, segment INTEGER, language TEXT, key TEXT,
        PRIMARY KEY (document, segment, key))""",
    # every local name key of entity_mentions under its linking terms (timeline.entity_scope),
    # one row per (term, key): what a run finds the names related to its documents' in
    "entity_index": CACHES_DDL_ENTITY_INDEX,
}

# What each table and column means: shown by `timeline datasette-metadata` and docs/schema.md.
DESCRIPTIONS: dict[str, tuple[str, dict[str, str]]] = {
    "log": ("The append-only, hash-chained event log: the only source of truth.", {
        "seq": "position in the log (1, 2, ...)",
        "event_id": "sha256 of type, stream and payload: the same fact always has the same id",
        "type": "event type, e.g. DocumentIngested, TimexFound, EventFormed",
        "version": "schema version of that event type",
        "stream": "what the event is about: doc:<id>, event:<id>, run:<id>, path:<path>",
        "data": "the event payload, canonical JSON",
        "recorded_at": "when it was appended (UTC)", "run_id": "the run that appended it",
        "prev_hash": "hash of the previous row", "hash": "sha256 over prev_hash and this row"}),
    "documents": ("Current documents (the newest version per path).", {
        "id": "sha256 of the normalized text", "path": "where it was read",
        "date": "the date relative expressions are anchored on (TIMEX3 value)",
        "date_basis": "header, inferred or unknown", "date_evidence": "the quote behind it",
        "date_confidence": "0..1", "language": "en, es, ru, ... or und",
        "text": "the full decoded text; offsets of timexes and mentions point into it"}),
    "document_versions": ("Every version of every document, with what superseded it.", {}),
    "rejections": ("Inputs that were not processed, with the reason: unreadable or invalid "
                   "input (DocumentRejected), or a document our code failed on "
                   "(DocumentFailed: 'internal error in <stage>: <exception>: ...' or "
                   "'too slow: ...'; retried by a new engine version).", {
        "path": "the file", "reason": "one line: why it was not processed",
        "sha256": "of the raw bytes, when they were read",
        "seq": "the log row", "run_id": "the run that found it"}),
    "runs": ("One row per `timeline run`, with its counts and log range.", {}),
    "date_readings": ("The dates that competed for each document's date, the chosen one "
                      "first, with what spoke for each and what each contradicts.", {
        "document": "documents.id", "rank": "0 for the chosen reading, then the runners-up",
        "value": "the date this reading gives (YYYY-MM-DD)",
        "chosen": "1 for the reading that became the document's date",
        "votes": "how many of the document's expressions gave this date (when counted)",
        "contradictions": "JSON list: the document's own expressions this date contradicts "
                          "(a weekday that does not fall on it, a past told as ahead, ...)",
        "evidence": "the expression that first gave this date"}),
    "timexes": ("Time expressions found in documents, with TIMEX3 type and value.", {
        "value": "TIMEX3 value (2023-09-13, 2023-W37, PT2H, PAST_REF, XXXX-WXX-3 ...)",
        "mod": "APPROX, START, MID, END, MORE_THAN, ...",
        "begin": "first day of the range this endpoint belongs to",
        "end_value": "last day of that range", "anchor": "the event phrase an offset hangs on",
        "relation": "JSON: how the value was derived, to re-anchor it on another date"}),
    "mentions": ("Event mentions: a kind's trigger or any other eventive predicate in a "
                 "sentence, with status, time and TimeML attributes.", {
        "kind": "arrival, meeting, talks, visit, meal, statement, departure, launch, ...; "
                "empty for a predicate no kind names",
        "status": "occurred, planned, reported, negated or hypothetical",
        "story": "the story its segment belongs to",
        "time": "JSON: the time attached to it and where that came from",
        "label": "the kind, or the lemma of a predicate no kind names",
        "class": "TimeML class: OCCURRENCE, REPORTING, STATE, I_ACTION, I_STATE, ASPECTUAL, "
                 "PERCEPTION", "tense": "TimeML tense", "aspect": "TimeML aspect",
        "polarity": "POS or NEG", "modality": "the modal as written (would, podría, может)",
        "pos": "VERB, NOUN or ADJECTIVE", "lemma": "the head word's lemma"}),
    "events": ("Reconstructed events: mentions of one happening merged across documents.", {
        "rank": "position in the reconstructed order (equal ranks: not ordered)",
        "start": "TIMEX3 value", "granularity": "day, month, year, time, ...",
        "source_count": "number of documents that mention it",
        "label": "the kind, or the lemma of an event no kind names",
        "class": "TimeML class of its first mention",
        "series": "JSON list: the running counts reports revise day by day, each "
                  "{attribute, points: [{date, value, documents}]}",
        "salience": "sources (at most 4) + 2 for a kind + 1 for a time of its own + 1 for "
                    "an occurrence (-1 a state); 0 when negated or hypothetical; "
                    "`show` lists events of salience 3 or more, `show --all` every one"}),
    "event_sources": ("The quotes behind each event.", {
        "lang": "the language of the document", "title": "the event told by this source"}),
    "constraints": ("Order constraints between events, with the cue that gave them.", {
        "accepted": "0 when the constraint was rejected because it contradicts stronger ones"}),
    "conflicts": ("Attributes the sources disagree on, with every value and its documents.", {
        "values": "JSON list of {value, documents}"}),
    "entities": ("People, organisations and places, linked across documents and languages.", {
        "id": "readable and stable: the name's slug and a hash of its key",
        "name": "the name shown (a Latin spelling when a source has one)",
        "type": "PERSON, ORG, PLACE or OTHER (the majority of its mentions' types)",
        "aliases": "JSON list of every spelling, the most frequent first",
        "mentions": "how often it is named", "documents": "in how many documents",
        "languages": "JSON list of the languages that name it"}),
    "entity_mentions": ("Each name in each document and the entity it names.", {
        "label": "the type the analysis gave this mention",
        "local": "the key of the fuller name it stands for in its document (a surname, an "
                 "acronym)", "entity": "entities.id"}),
    "event_entities": ("View: the entities named in the sentences each event's sources quote.",
                       {}),
    "event_lineage": ("Events that merged or split: what the log's EventsMerged and EventSplit "
                      "records say, one row per pair.", {
        "change": "merged (event now lies in other) or split (other was split off event)",
        "event": "merged: the event absorbed; split: the event that kept its id",
        "other": "merged: the event it lies in now; split: the part that took a new id",
        "evidence": "JSON: the fields the merged events agreed on (kind, time, place, "
                    "participants)", "seq": "the log record"}),
    "fact_heads": ("Bookkeeping: the newest log event per derived fact.", {}),
    "projection_state": ("Bookkeeping: the log seq the projections have folded.", {}),
    "timeline": ("View: one row per event in rank order, with source and conflict counts.", {}),
}

# Tables Datasette hides from its lists (still reachable, and the log through `log_records`):
# bookkeeping, caches and the raw log, which people read through the projections.
HIDDEN = ["log", "fact_heads", "projection_state", *CACHES]

# Datasette's canned queries. Names differ from every table and view, so none shadows one.
CANNED_QUERIES = {
    "disagreements": ("Where the sources disagree",
                      'SELECT e.start, e.kind, e.title, c.attribute, c."values", e.id AS event '
                      "FROM conflicts c JOIN events e ON e.id = c.event ORDER BY e.rank"),
    "planned_events": ("Planned events",
                       "SELECT start, kind, title, id AS event FROM events "
                       "WHERE status = 'planned' ORDER BY start"),
    "events_by_day": ("Events by day",
                      "SELECT substr(start, 1, 10) AS day, count(*) AS events, "
                      "group_concat(kind, ', ') AS kinds FROM events WHERE start IS NOT NULL "
                      "GROUP BY day ORDER BY day"),
    "undated_documents": ("Documents without a date",
                          "SELECT id, path, title FROM documents WHERE date IS NULL"),
    "log_records": ("The raw log, newest first (optionally one type)",
                    "SELECT seq, type, stream, recorded_at, run_id, data FROM log "
                    "WHERE :type = '' OR type = :type ORDER BY seq DESC LIMIT 500"),
}
