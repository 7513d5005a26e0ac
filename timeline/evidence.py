"""What a merge rests on: the fields the documents of one event agree on.

Recorded with the event (EventFormed.evidence) and with a merge of events told apart before
(EventsMerged.evidence), so that a reader of the log can see why mentions from several
documents are told as one happening: the same predicate (by kind, or by lemma), a time every
dated mention is compatible with, a place they share, the participants more than one
document names.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Any

from timeline.compat import compatible, places_compatible
from timeline.names import skeleton


def _time(m: Mapping[str, Any]) -> str | None:
    t = m.get("time")
    return t.get("value") if t else None


def agreement(members: Sequence[Mapping[str, Any]], start: str | None) -> dict[str, Any]:
    """The fields an event's documents agree on; empty for an event one document tells."""
    docs = sorted({m["document"] for m in members})
    if len(docs) < 2:
        return {}
    words = sorted({(m.get("lemma") or m.get("trigger") or "").lower() for m in members} - {""})
    dated = [t for m in members if (t := _time(m))]
    places = {m["place"] for m in members if m.get("place")}  # each pair once: all() of a
    # pure test over repeated pairs is the same as over the distinct ones
    named = sum(1 for m in members if m.get("place"))
    by_person: dict[tuple[str, ...], set[str]] = defaultdict(set)
    shown: dict[tuple[str, ...], str] = {}
    for m in members:
        for p in m.get("participants") or ():
            key = tuple(skeleton(w) for w in p.split())
            by_person[key].add(m["document"])
            shown.setdefault(key, p)
    return {
        "documents": len(docs),
        "predicate": members[0].get("kind") or members[0].get("label") or "",
        "words": words,
        "time": bool(dated) and all(compatible(t, start) for t in dated),
        # None: fewer than two documents name a place, nothing to agree on
        "place": all(places_compatible(a, b) for a in places for b in places)
        if named > 1 else None,
        "participants": sorted(shown[k] for k, ds in by_person.items() if len(ds) > 1),
    }
