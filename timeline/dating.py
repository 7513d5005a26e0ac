"""Document dating: the date every relative expression in a document is anchored on.

A date header wins. Without one the date is inferred: from the document's own content (a
dateline or "published" line; a document is never older than the newest past date it
reports) and from sibling documents about the same story ("met yesterday", where other
sources date the meeting to the 13th, puts this document on the 14th). With no support at
all the date is unknown, never the wall clock.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from typing import Any

import attrs

from timeline.reconcile import Event, _interval, mention_key
from timeline.temporal import normalize as nz

_FULL_DAY = re.compile(r"^\d{4}-\d\d-\d\d")
_PUBLISHED = re.compile(r"(?i)\b(?:published|updated|posted|publicado|actualizado|"
                        r"опубликовано|обновлено|дата публикации)\b")


@attrs.frozen
class Dating:
    date: str | None
    basis: str  # header | inferred | unknown
    evidence: str | None
    confidence: float


UNKNOWN = Dating(None, "unknown", None, 0.0)


def _quote(text: str, start: int, end: int, pad: int = 60) -> str:
    s = max(0, text.rfind("\n", 0, start) + 1, start - pad)
    e = text.find("\n", end)
    e = min(len(text), end + pad) if e < 0 else min(e, end + pad)
    return " ".join(text[s:e].split())


def from_content(doc: Any, timexes: Sequence[Mapping[str, Any]]) -> Dating:
    """Header, dateline or published line; else the newest past full date as a floor."""
    hd = doc.header.get("date")
    if hd:
        quote = " ".join(doc.text[: doc.body_start].split()) or hd
        return Dating(hd[:10], "header", quote, 1.0)
    lead_end = doc.body_start + 300
    for t in sorted(timexes, key=lambda t: t["start"]):
        if not _FULL_DAY.match(t["value"] or "") or (t.get("relation") or {}).get("k") != "date":
            continue
        line_start = max(doc.text.rfind("\n", max(0, t["start"] - 120), t["start"]) + 1,
                         t["start"] - 120)  # a dateline or "Published" is right before
        before = doc.text[line_start:t["start"]]
        if _PUBLISHED.search(before) or (t["start"] < lead_end and re.match(
                r"^[A-ZА-ЯЁ][A-ZА-ЯЁ .'-]{2,40},\s*$", before)):
            return Dating(t["value"][:10], "inferred", _quote(doc.text, t["start"], t["end"]),
                          0.9)
    return UNKNOWN


def floor(doc: Any, timexes: Sequence[Mapping[str, Any]]) -> tuple[str, str] | None:
    """(date, quote) of the newest full date the document reports as past."""
    best = None
    for t in timexes:
        rel = t.get("relation") or {}
        if rel.get("k") == "date" and _FULL_DAY.match(t["value"] or "") \
                and rel.get("tense") != "future":
            if best is None or t["value"][:10] > best[0]:
                best = (t["value"][:10], _quote(doc.text, t["start"], t["end"]))
    return best


def _solve(rel: Mapping[str, Any], target: str) -> list[str]:
    """Reference dates on which the relation resolves to `target` (a day)."""
    day = dt.date.fromisoformat(target)
    out = []
    for delta in range(-10, 11):
        cand = day + dt.timedelta(days=delta)
        try:
            _t, v = nz.resolve(dict(rel), cand, rel.get("tense"))
        except (ValueError, KeyError, TypeError):
            continue
        if v[:10] == target:
            out.append(cand.isoformat())
    return out


def from_siblings(doc: Any, mentions: Sequence[Mapping[str, Any]], events: Sequence[Event],
                  floor_date: tuple[str, str] | None) -> Dating:
    """Date an undated document by the events its mentions share with dated documents."""
    event_of = {k: e for e in events for k in e.mentions}
    exact: dict[str, list[str]] = {}
    bounds: list[tuple[str, str]] = []
    for m in mentions:
        e = event_of.get(mention_key(m))
        if e is None or not e.start:
            continue
        iv = _interval(e.start)
        if not iv or iv[0] != iv[1]:
            continue
        others = [s for s in e.sources if s["document"] != doc.id]
        if not others:
            continue
        rel = m.get("relation")
        if rel:
            cands = _solve(rel, iv[0])
            if cands:
                # a report comes on or after what it reports: the earliest such date
                after = [c for c in cands if c >= iv[0]] or cands
                quote = f"“{m['quote'][:160]}” — other sources date this {e.kind} {iv[0]}"
                exact.setdefault(after[0], []).append(quote)
                continue
        if m["status"] == "occurred":
            bounds.append((iv[0], f"reports the {e.kind} other sources date {iv[0]}: "
                                  f"“{m['quote'][:120]}”"))
    if exact:
        date = max(exact, key=lambda d: (len(exact[d]), d))
        n = len(exact[date])
        return Dating(date, "inferred", exact[date][0], min(0.95, 0.6 + 0.1 * n))
    if floor_date:
        bounds.append((floor_date[0], f"reports {floor_date[0]} as past: “{floor_date[1]}”"))
    if bounds:
        date, why = max(bounds)
        return Dating(date, "inferred", f"not older than {date}: {why}", 0.4)
    return UNKNOWN
