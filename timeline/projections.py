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
from collections.abc import Callable, Iterable
from typing import Any

from timeline.schema import PROJECTIONS

Statement = tuple[str, tuple[Any, ...]]


def _json(value: Any) -> Any:
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return value


def _columns(table: str) -> list[str]:
    ddl = PROJECTIONS[table][0]
    body = ddl[ddl.index("(") + 1 : ddl.rindex(")")]
    body = re.sub(r"PRIMARY KEY \([^)]*\)", "", body)
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


def upsert(table: str, row: dict[str, Any]) -> Statement:
    sql, cols = _UPSERT[table]
    get = row.get
    return sql, tuple([v if v is None or isinstance(v, (str, int, float)) else _json(v)
                       for v in map(get, cols)])


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
            ("DELETE FROM documents WHERE id = ?", (previous,)),
            ("DELETE FROM documents_fts WHERE id = ?", (previous,)),
            ("UPDATE document_versions SET superseded_by = ? WHERE id = ? AND path = ?",
             (doc, previous, data["path"])),
        ]
    out += [
        upsert("documents", row),
        # A document that comes back keeps the date already derived for it, if any.
        ("UPDATE documents SET (date, date_basis, date_evidence, date_confidence) = "
         "(SELECT date, basis, evidence, confidence FROM document_dates WHERE document = ?) "
         "WHERE id = ? AND EXISTS (SELECT 1 FROM document_dates WHERE document = ?)",
         (doc, doc, doc)),
        upsert("document_versions", dict(id=doc, path=data["path"], seq=rec["seq"])),
        ("DELETE FROM documents_fts WHERE id = ?", (doc,)),
        ("INSERT INTO documents_fts (id, title, text) VALUES (?, ?, ?)",
         (doc, data["title"], data["text"])),
    ]
    return out


def _rejected(rec: dict[str, Any], data: dict[str, Any]) -> list[Statement]:
    row = dict(path=data["path"], reason=data["reason"], sha256=data.get("sha256"),
               seq=rec["seq"], run_id=rec.get("run_id"))
    return [upsert("rejections", row)]


def _run_started(rec: dict[str, Any], data: dict[str, Any]) -> list[Statement]:
    row = dict(run_id=data["run_id"], started_at=data["started_at"], engine=data["engine"],
               paths=data["paths"], first_seq=rec["seq"], last_seq=rec["seq"])
    return [upsert("runs", row)]


def _run_finished(rec: dict[str, Any], data: dict[str, Any]) -> list[Statement]:
    return [("UPDATE runs SET finished_at = ?, counts = ?, last_seq = ? WHERE run_id = ?",
             (data["finished_at"], _json(data["counts"]), rec["seq"], data["run_id"]))]


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
    ]


def timex_key(data: dict[str, Any]) -> str:
    return f"{data['document']}:{data['start']}:{data['end']}"


def _timex(rec: dict[str, Any], data: dict[str, Any]) -> list[Statement]:
    key = timex_key(data)
    row = _keyed_row(rec, data, key)
    row["type"] = data["timex_type"]
    return [_head(rec, "TimexFound", key, 0), upsert("timexes", row)]


def _mention(rec: dict[str, Any], data: dict[str, Any]) -> list[Statement]:
    key = f"{timex_key(data)}:{data.get('part', 0)}"
    return [_head(rec, "MentionFound", key, 0), upsert("mentions", _keyed_row(rec, data, key))]


def _event_formed(rec: dict[str, Any], data: dict[str, Any]) -> list[Statement]:
    ev = data["event"]
    row = {**data, "id": ev, "source_count": len({s["document"] for s in data["sources"]}),
           "event_id": rec["event_id"], "seq": rec["seq"]}
    out = [_head(rec, "EventFormed", ev, 0), upsert("events", row), *_drop_event_sources(ev)]
    for s in data["sources"]:
        out.append(upsert("event_sources", dict(event=ev, **s)))
        out.append(("INSERT INTO quotes_fts (event, document, quote) VALUES (?, ?, ?)",
                    (ev, s["document"], s["quote"])))
    return out


def _drop_event_sources(ev: str) -> list[Statement]:
    return [("DELETE FROM event_sources WHERE event = ?", (ev,)),
            ("DELETE FROM quotes_fts WHERE event = ?", (ev,))]


def constraint_key(data: dict[str, Any]) -> str:
    return f"{data['before']}<{data['after']}:{data['cue']}:{data['document']}"


def _order(rec: dict[str, Any], data: dict[str, Any]) -> list[Statement]:
    key = constraint_key(data)
    return [_head(rec, "OrderAsserted", key, 0),
            upsert("constraints", _keyed_row(rec, data, key))]


def _conflict(rec: dict[str, Any], data: dict[str, Any]) -> list[Statement]:
    key = f"{data['event']}:{data['attribute']}"
    return [_head(rec, "ConflictFound", key, 0), upsert("conflicts", _keyed_row(rec, data, key))]


_RETRACT_TABLE = {
    "DocumentDated": "document_dates", "TimexFound": "timexes", "MentionFound": "mentions",
    "EventFormed": "events", "OrderAsserted": "constraints", "ConflictFound": "conflicts",
}


def _retracted(rec: dict[str, Any], data: dict[str, Any]) -> list[Statement]:
    fact, key = data["fact_type"], data["key"]
    table = _RETRACT_TABLE[fact]
    keycol = "id" if table == "events" else "key"
    out = [_head(rec, fact, key, 1), (f"DELETE FROM {table} WHERE {keycol} = ?", (key,))]
    if fact == "EventFormed":
        out += _drop_event_sources(key)
    if fact == "DocumentDated":
        out.append(("UPDATE documents SET date = NULL, date_basis = NULL, date_evidence = NULL, "
                    "date_confidence = NULL WHERE id = ?", (key,)))
    return out


FOLDS: dict[str, Callable[[dict[str, Any], dict[str, Any]], list[Statement]]] = {
    "DocumentIngested": _document,
    "DocumentRevised": _document,
    "DocumentRejected": _rejected,
    "RunStarted": _run_started,
    "RunFinished": _run_finished,
    "DocumentDated": _dated,
    "TimexFound": _timex,
    "MentionFound": _mention,
    "EventFormed": _event_formed,
    "OrderAsserted": _order,
    "ConflictFound": _conflict,
    "FactRetracted": _retracted,
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
