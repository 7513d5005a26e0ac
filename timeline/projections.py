"""Projections: state as a fold over the log.

`fold(record)` is pure: it maps one log record to the SQL statements (text + parameters) that
bring the projection tables up to date. The store executes them, grouping runs of the same
statement into `executemany`, inside the append transaction (so projections are never behind
the log) or over a log prefix into a scratch database (`--as-of`). Because the statements are
data, a rebuild and an incremental update run literally the same code.
"""

from __future__ import annotations

import json
import re
import string
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import attrs

from timeline import events as ev
from timeline.events import VISIBLE_V1
from timeline.schema import PROJECTIONS

Statement = tuple[str, tuple[Any, ...]]


def _json(value: Any) -> Any:
    """Lists and objects as compact JSON, the text SQLite's json_extract gives for them (a
    tuple is a list: an append folds the payload before it went through JSON)."""
    if isinstance(value, (list, tuple, dict)):
        return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return value


def _columns(table: str) -> list[str]:
    ddl = PROJECTIONS[table][0]
    body = ddl[ddl.index("(") + 1 : ddl.rindex(")")]
    body = re.sub(r"PRIMARY KEY \([^)]*\)", "", body)
    body = re.sub(r"FOREIGN KEY \([^)]*\) REFERENCES \w+\([^)]*\)", "", body)
    cols = []
    for part in body.split(","):
        word = part.strip().split()[0] if part.strip() else ""
        if word:
            cols.append(word.strip('"'))
    return cols


def _upsert_sql(table: str) -> tuple[str, list[str]]:
    cols = _columns(table)
    quoted = ", ".join(f'"{c}"' for c in cols)
    marks = ", ".join("?" for _ in cols)
    return f"INSERT OR REPLACE INTO {table} ({quoted}) VALUES ({marks})", cols


_UPSERT = {t: _upsert_sql(t) for t in PROJECTIONS}


# the types a column takes as they are (subclasses of str, int, float by the isinstance)
_PLAIN = frozenset({str, int, float, bool, type(None)})


def upsert(table: str, row: dict[str, Any]) -> Statement:
    """The row's upsert, its lists and objects as JSON. A type looked up in a set before
    the isinstance test: an append folds 60,000 rows of ~15 columns at 1,000 documents."""
    sql, cols = _UPSERT[table]
    get = row.get
    plain = _PLAIN
    return sql, tuple([v if type(v) in plain or isinstance(v, (str, int, float))
                       else _json(v) for v in map(get, cols)])


# ------------------------------------------------------------------ per event type


def _document(rec: dict[str, Any], data: dict[str, Any]) -> list[Statement]:
    doc = data["document"]
    row = dict(
        id=doc, path=data["path"], title=data["title"], language=data["language"],
        language_basis=data["language_basis"], encoding=data["encoding"], size=data["size"],
        chars=len(data["text"]), sha256=data["sha256"], header=data["header"],
        body_start=data["body_start"], text=data["text"], seq=rec["seq"],
    )
    out = []
    previous = data.get("previous")
    if previous:
        out += [
            _drop_document_text(previous),
            ("DELETE FROM documents WHERE id = ?", (previous,)),
            ("UPDATE document_versions SET superseded_by = ? WHERE id = ? AND path = ?",
             (doc, previous, data["path"])),
        ]
    out += [
        _drop_document_text(doc),
        upsert("documents", row),
        # A document that comes back keeps the date already derived for it, if any (the
        # key of a DocumentDated is its document: a primary-key lookup).
        ("UPDATE documents SET (date, date_basis, date_evidence, date_confidence) = "
         "(SELECT date, basis, evidence, confidence FROM document_dates WHERE key = ?) "
         "WHERE id = ? AND EXISTS (SELECT 1 FROM document_dates WHERE key = ?)",
         (doc, doc, doc)),
        upsert("document_versions", dict(id=doc, path=data["path"], seq=rec["seq"])),
        ("INSERT INTO documents_fts (rowid, id, title, text) "
         "SELECT rowid, id, title, text FROM documents WHERE id = ?", (doc,)),
    ]
    return out


# The FTS rows of a document share its `documents` rowid, and the quotes of an event the
# rowids of its `event_sources` rows, so that a document or event is taken out of the index
# by rowid: an FTS5 column filter (`WHERE id = ?`) reads the whole table, per document.
# These statements read `documents`/`event_sources`, so store.apply runs them in the order
# of those tables' own statements (FTS_GROUP).
FTS_GROUP = {"documents_fts": "documents", "quotes_fts": "event_sources"}


def _drop_document_text(doc: str) -> Statement:
    return ("DELETE FROM documents_fts WHERE rowid IN "
            "(SELECT rowid FROM documents WHERE id = ?)", (doc,))


def _run_finished(rec: dict[str, Any], data: dict[str, Any]) -> list[Statement]:
    return [("UPDATE runs SET finished_at = ?, counts = ?, last_seq = ? WHERE run_id = ?",
             (data["finished_at"], _json(data["counts"]), rec["seq"], data["run_id"]))]


def _failed(rec: dict[str, Any], data: dict[str, Any]) -> list[Statement]:
    """A failed document is an input that was not processed: a row of `rejections`, its
    reason saying which stage failed and how (the log keeps the engine and the budget)."""
    reason = ev.DocumentFailed(**data).reason
    return [upsert("rejections", dict(path=data["path"], reason=reason, sha256=data["sha256"],
                                      seq=rec["seq"], run_id=rec.get("run_id")))]


def _head(rec: dict[str, Any], fact_type: str, key: str, retracted: int) -> Statement:
    return upsert("fact_heads", dict(fact_type=fact_type, key=key, event_id=rec["event_id"],
                                     retracted=retracted))


def _keyed_row(rec: dict[str, Any], data: dict[str, Any], key: str) -> dict[str, Any]:
    return {**data, "key": key, "event_id": rec["event_id"], "seq": rec["seq"]}


def _dated(rec: dict[str, Any], data: dict[str, Any]) -> list[Statement]:
    doc = data["document"]
    return [
        _head(rec, "DocumentDated", doc, 0),
        upsert("document_dates", _keyed_row(rec, data, doc)),
        ("UPDATE documents SET date = ?, date_basis = ?, date_evidence = ?, date_confidence = ? "
         "WHERE id = ?", (data["date"], data["basis"], data["evidence"], data["confidence"], doc)),
        *_date_readings(rec, data),
    ]


def _date_readings(rec: dict[str, Any], data: dict[str, Any]) -> list[Statement]:
    """The readings a date was chosen from, one row each, replacing the document's earlier
    ones: why a document got its date, for people who read the tables."""
    doc = data["document"]
    return [_drop_date_readings(doc), *(upsert("date_readings", dict(
        document=doc, rank=i, value=r.get("date"), chosen=int(r.get("date") == data["date"]),
        votes=r.get("votes"), contradictions=list(r.get("contradictions") or ()),
        evidence=r.get("evidence"), event_id=rec["event_id"], seq=rec["seq"]))
        for i, r in enumerate(data.get("readings") or ()))]


def _drop_date_readings(doc: str) -> Statement:
    return "DELETE FROM date_readings WHERE document = ?", (doc,)


def _event_formed(rec: dict[str, Any], data: dict[str, Any]) -> list[Statement]:
    ev = data["event"]
    row = {**data, "id": ev, "source_count": len({s["document"] for s in data["sources"]}),
           "event_id": rec["event_id"], "seq": rec["seq"],
           # a version 1 event was a kind's, and every one was shown
           "label": data.get("label", data["kind"]), "class": data.get("event_class"),
           "salience": data.get("salience", VISIBLE_V1), "series": data.get("series") or None}
    out = [_head(rec, "EventFormed", ev, 0), upsert("events", row), *_drop_event_sources(ev)]
    out += [_source(ev, s) for s in data["sources"]]
    if row["salience"] >= VISIBLE_V1:  # the quotes of shown events are searched
        out.append((QUOTES_OF_EVENT, (ev,)))
    return out


QUOTES_OF_EVENT = ("INSERT INTO quotes_fts (rowid, event, document, quote) "
                   "SELECT rowid, event, document, quote FROM event_sources WHERE event = ?")


# A v3 source without a quote quotes its sentence from the document's text: the document is
# folded before any event that cites it (the corpus phase follows its batch), and a scalar
# subquery keeps the row even if it were not.
_SOURCE_BY_OFFSETS = (
    'INSERT OR REPLACE INTO event_sources (event, document, quote, start, "end", lang, title) '
    f"SELECT ?, ?, (SELECT substr(text, ? + 1, min(? - ?, {ev.QUOTE_CHARS})) FROM documents "
    "WHERE id = ?), ?, ?, ?, ?")


def _source(event: str, s: dict[str, Any]) -> Statement:
    if "quote" in s:
        return upsert("event_sources", dict(event=event, **s))
    return _SOURCE_BY_OFFSETS, (event, s["document"], s["start"], s["end"], s["start"],
                                s["document"], s["start"], s["end"], s.get("lang"),
                                s.get("title"))


def _drop_event_sources(ev: str) -> list[Statement]:
    return [("DELETE FROM quotes_fts WHERE rowid IN "
             "(SELECT rowid FROM event_sources WHERE event = ?)", (ev,)),
            ("DELETE FROM event_sources WHERE event = ?", (ev,))]


def _entities_mentioned(rec: dict[str, Any], data: dict[str, Any]) -> list[Statement]:
    """One row of `entity_mentions` per name, keyed as an EntityMentioned's row was; the
    document's rows are replaced as a whole, those of per-name records included."""
    doc, lang, engine = data["document"], data["language"], data["engine"]
    out = [_head(rec, "EntitiesMentioned", doc, 0), _drop_entity_mentions(doc)]
    out += [upsert("entity_mentions", dict(
        key=f"{doc}:{start}:{end}", document=doc, start=start, end=end, text=text,
        label=label, language=lang, local=local, entity=entity, engine=engine,
        event_id=rec["event_id"], seq=rec["seq"]))
        for start, end, text, label, local, entity in data["names"]]
    return out


def _drop_entity_mentions(doc: str) -> Statement:
    return "DELETE FROM entity_mentions WHERE document = ?", (doc,)


_RETRACT_TABLE = {
    "DocumentDated": "document_dates", "TimexFound": "timexes", "MentionFound": "mentions",
    "EventFormed": "events", "OrderAsserted": "constraints", "ConflictFound": "conflicts",
    "EntityMentioned": "entity_mentions", "EntityFound": "entities",
    "EntitiesMentioned": "entity_mentions",
}


def _retracted(rec: dict[str, Any], data: dict[str, Any]) -> list[Statement]:
    fact, key = data["fact_type"], data["key"]
    table = _RETRACT_TABLE[fact]
    keycol = "id" if table in ("events", "entities") else \
        "document" if fact == "EntitiesMentioned" else "key"
    out = [_head(rec, fact, key, 1), (f"DELETE FROM {table} WHERE {keycol} = ?", (key,))]
    if fact == "EventFormed":
        out += _drop_event_sources(key)
    if fact == "DocumentDated":
        out.append(_drop_date_readings(key))
        out.append(("UPDATE documents SET date = NULL, date_basis = NULL, date_evidence = NULL, "
                    "date_confidence = NULL WHERE id = ?", (key,)))
    return out


def _merged(rec: dict[str, Any], data: dict[str, Any]) -> list[Statement]:
    return [upsert("event_lineage", dict(seq=rec["seq"], change="merged", event=m,
                                         other=data["event"], story=data["story"],
                                         evidence=data.get("evidence") or {}))
            for m in data["merged"]]


def _split(rec: dict[str, Any], data: dict[str, Any]) -> list[Statement]:
    return [upsert("event_lineage", dict(seq=rec["seq"], change="split", event=data["event"],
                                         other=part, story=data["story"], evidence=None))
            for part in data["into"]]


# ------------------------------------------------------------------ one row per record


@attrs.frozen
class Row:
    """The fold of most facts: one projection row per log record, built from the payload
    alone (and the fact's head, for keyed facts). Being data, it is interpreted for a
    single record and compiled to one INSERT ... SELECT over a range of the log, which is
    how replays and appends apply long runs of one event type (see store.apply)."""

    table: str
    head: str | None = None  # the fact type whose newest assertion this row is
    key: str | None = None  # a format string over the payload: the row's `key` column
    renames: Mapping[str, str] = attrs.field(factory=dict)  # column -> payload field
    record: Mapping[str, str] = attrs.field(  # column -> log column
        factory=lambda: {"seq": "seq", "event_id": "event_id"})
    defaults: Mapping[str, Any] = attrs.field(factory=dict)  # fields older events lack
    # column -> the field that stands in when an older event lacks the column's own
    fallbacks: Mapping[str, str] = attrs.field(factory=dict)

    def source(self, column: str) -> tuple[str, str]:
        """Where a column comes from: ("key", ""), ("record", log column), ("data", field)."""
        if column == "key" and self.key is not None:
            return "key", ""
        if column in self.record:
            return "record", self.record[column]
        return "data", self.renames.get(column, column)

    def fold(self, rec: dict[str, Any], data: dict[str, Any]) -> list[Statement]:
        d = {**self.defaults, **data} if self.defaults else data
        key = self.key.format_map(d) if self.key is not None else None
        row = {}
        for c in _UPSERT[self.table][1]:
            where, name = self.source(c)
            row[c] = key if where == "key" else rec.get(name) if where == "record" \
                else d.get(name, d.get(self.fallbacks.get(c, name)))
        out = [_head(rec, self.head, key, 0)] if self.head and key is not None else []
        return [*out, upsert(self.table, row)]

    def bulk(self, log: str = "log") -> list[str]:
        """The same rows for every record of one type in a seq range: parameters (type,
        after seq, up to seq). ORDER BY seq makes the newest record of a key win, as in
        a fold one record at a time."""
        def field(name: str) -> str:
            expr = f"json_extract(data, '$.{name}')"
            if name in self.defaults:
                expr = f"coalesce({expr}, {_literal(self.defaults[name])})"
            return expr

        key = " || ".join(
            part for lit, name, _spec, _conv in string.Formatter().parse(self.key or "")
            for part in ([_literal(lit)] if lit else []) + (
                [f"coalesce(CAST({field(name)} AS TEXT), 'None')"] if name else []))
        cols = _UPSERT[self.table][1]
        exprs = []
        for c in cols:
            where, name = self.source(c)
            expr = field(name)
            if c in self.fallbacks:
                expr = f"coalesce({expr}, {field(self.fallbacks[c])})"
            exprs.append(key if where == "key" else name if where == "record" else expr)
        # +type (SQLite's way to keep a term out of index choice): the run is read by the
        # log's key alone, every row of the seq range being of the type (a run is one type,
        # store.apply._log_runs); on `type` the planner walked the log_type index instead,
        # which reads each row twice (a sixth of a replay's bulk statement)
        tail = f"FROM {log} WHERE +type = ? AND seq > ? AND seq <= ? ORDER BY seq"
        out = []
        if self.head and self.key is not None:
            out.append("INSERT OR REPLACE INTO fact_heads (fact_type, key, event_id, retracted) "
                       f"SELECT {_literal(self.head)}, {key}, event_id, 0 {tail}")
        quoted = ", ".join(f'"{c}"' for c in cols)
        out.append(f"INSERT OR REPLACE INTO {self.table} ({quoted}) "
                   f"SELECT {', '.join(exprs)} {tail}")
        return out


def _literal(value: Any) -> str:
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    return repr(int(value)) if isinstance(value, bool) else repr(value)


def _keyed(fact: str, table: str, **kw: Any) -> Row:
    return Row(table, head=fact, key=ev.REGISTRY[fact].key_format, **kw)


ROWS: dict[str, Row] = {
    "DocumentRejected": Row("rejections", record={"seq": "seq", "run_id": "run_id"}),
    "RunStarted": Row("runs", record={"first_seq": "seq", "last_seq": "seq"}),
    "TimexFound": _keyed("TimexFound", "timexes", renames={"type": "timex_type"}),
    "MentionFound": _keyed("MentionFound", "mentions", defaults={"part": 0},
                           renames={"class": "event_class"}, fallbacks={"label": "kind"}),
    "OrderAsserted": _keyed("OrderAsserted", "constraints"),
    "ConflictFound": _keyed("ConflictFound", "conflicts"),
    "EntityMentioned": _keyed("EntityMentioned", "entity_mentions"),
    "EntityFound": Row("entities", head="EntityFound", key=ev.EntityFound.key_format,
                       renames={"id": "entity", "type": "entity_type"}),
}

FOLDS: dict[str, Callable[[dict[str, Any], dict[str, Any]], list[Statement]]] = {
    "DocumentIngested": _document,
    "DocumentRevised": _document,
    "RunFinished": _run_finished,
    "DocumentFailed": _failed,
    "DocumentDated": _dated,
    "EventFormed": _event_formed,
    "FactRetracted": _retracted,
    "EntitiesMentioned": _entities_mentioned,
    "EventsMerged": _merged,
    "EventSplit": _split,
    **{t: spec.fold for t, spec in ROWS.items()},
}


# The rows a record's fold touches, named: two records of a batch whose keys are disjoint
# touch different rows, so their statements may run interleaved (store.foldbatch); one that
# shares a key with a pending record waits for it. A type missing here is folded alone, in
# log order (always correct, only slower): add its keys when its fold is per record and hot.
# A fold that reads another table group than its own (a source quoting its document) is
# detected from its SQL and never interleaved with a record writing that group.
FOLD_KEYS: dict[str, Callable[[dict[str, Any]], tuple[str, ...]]] = {
    "DocumentIngested": lambda d: (d["document"], d.get("previous") or d["document"]),
    "DocumentRevised": lambda d: (d["document"], d.get("previous") or d["document"]),
    "DocumentDated": lambda d: (d["document"],),
    "EventFormed": lambda d: (d["event"],),
    "EntitiesMentioned": lambda d: (d["document"],),
    # event_lineage rows are keyed by their own record's seq: no two records share one
    "EventsMerged": lambda d: (),
    "EventSplit": lambda d: (),
}


def fold(rec: dict[str, Any]) -> list[Statement]:
    """Statements for one log record: a dict with seq, event_id, type, run_id and data."""
    data = rec["data"]
    if isinstance(data, str):
        data = json.loads(data)
    return FOLDS[rec["type"]](rec, data)


def fold_all(records: Iterable[dict[str, Any]]) -> Iterable[Statement]:
    for rec in records:
        yield from fold(rec)
