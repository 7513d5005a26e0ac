"""Pure planning: given what the log already holds, which events does new input call for?

Nothing here reads files, clocks or the database. The CLI gathers the inputs (parsed files,
the current facts read through the store), calls these functions and appends what they
return. Re-running with the same inputs returns nothing to append, which is what makes
scheduled runs idempotent.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import attrs

from timeline import events as ev
from timeline import temporal
from timeline.ingest import Parsed

Head = tuple[str, bool]  # (event_id of the latest event for a key, retracted?)


@attrs.frozen
class Doc:
    """The part of a current document the derivation stages need."""

    id: str
    path: str
    language: str
    header: dict[str, str]
    text: str
    body_start: int
    title: str = ""


def doc_from_parsed(p: Parsed, path: str) -> Doc:
    return Doc(p.document, path, p.language, p.header, p.text, p.body_start, p.title)


def plan_ingest(p: Parsed, path: str, by_path: dict[str, str], current: set[str]) -> Any | None:
    """DocumentIngested, DocumentRevised, or None when this content is already current."""
    if p.document in current:
        return None
    fields = p.fields()
    previous = by_path.get(path)
    if previous and previous != p.document:
        return ev.DocumentRevised(previous=previous, path=path, **fields)
    return ev.DocumentIngested(path=path, **fields)


def keyed_changes(fact_type: str, desired: Iterable[Any], scope: dict[str, Head],
                  current: dict[str, dict[str, Any]], engine: str) -> list[Any]:
    """New assertions for facts that changed, retractions for facts that vanished.

    `scope` holds the heads of every key the desired set replaces (e.g. all timex keys of a
    document); `current` the payloads of the live ones. `prev` chains each assertion to the
    one it supersedes so that a fact which changes back is still a new event.
    """
    out: list[Any] = []
    seen: set[str] = set()
    for fact in desired:
        key = fact.key
        seen.add(key)
        cur = current.get(key)
        if cur is not None and ev.comparable(cur) == ev.comparable(ev.to_data(fact)):
            continue
        head = scope.get(key)
        out.append(attrs.evolve(fact, prev=head[0] if head else None, engine=engine))
    for key, (eid, retracted) in sorted(scope.items()):
        if key not in seen and not retracted:
            out.append(ev.FactRetracted(fact_type=fact_type, key=key, prev=eid, engine=engine))
    return out


def header_date(doc: Doc) -> str | None:
    d = doc.header.get("date")
    return d[:10] if d else None


def timex_facts(doc: Doc, dct: str | None, engine: str) -> list[ev.TimexFound]:
    """TimexFound for every expression in the document, offsets into its full text."""
    found = temporal.tag(doc.text, dct, doc.language)
    return [
        ev.TimexFound(document=doc.id, start=t.start, end=t.end, text=t.text,
                      timex_type=t.type, value=t.value, mod=t.mod, begin=t.begin,
                      end_value=t.end_value, anchor=t.anchor, relation=t.relation,
                      dct=dct, engine=engine)
        for t in found
    ]


def reresolved_timexes(current: dict[str, dict[str, Any]], dct: str | None,
                       engine: str) -> list[ev.TimexFound]:
    """The document's timexes anchored on a new date, from their stored relations alone."""
    out = []
    for data in current.values():
        tx = temporal.Timex(data["start"], data["end"], data["text"], data["timex_type"],
                            data["value"], data.get("mod"), data.get("begin"),
                            data.get("end_value"), data.get("anchor"), data.get("relation"))
        tx = temporal.reresolve(tx, dct)
        out.append(ev.TimexFound(**{**data, "value": tx.value, "timex_type": tx.type,
                                    "begin": tx.begin, "end_value": tx.end_value, "dct": dct,
                                    "engine": engine, "prev": None}))
    return out
