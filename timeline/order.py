"""Ordering: constraints between events, a cycle-free graph, and ranks.

Text order is not time order. Constraints come from absolute dates, from cue phrases the
extractor recorded ("after the tour", "followed by", "hours before the summit", "shortly
before that"), and, more weakly, from the shape of a visit (arrival first, departure last).
They are added strongest first; one that would close a cycle is rejected and reported.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Any

from timeline.compat import interval
from timeline.reconcile import Constraint, Event

DATE_WEIGHT = 3.0
SCRIPT_WEIGHT = 0.5


def _day(e: Event) -> str | None:
    iv = interval(e.start)
    return iv[0] if iv and iv[0] == iv[1] else None


def constraints(events: Sequence[Event], mentions: Sequence[Mapping[str, Any]]
                ) -> list[Constraint]:
    by_mention = {k: e for e in events for k in e.mentions}
    out: dict[tuple[str, str, str], dict[str, Any]] = {}

    def add(a: Event, b: Event, cue: str, doc: str | None, weight: float) -> None:
        if a.id == b.id:
            return
        slot = out.setdefault((a.id, b.id, cue), {"docs": set(), "weight": 0.0})
        if doc is None or doc not in slot["docs"]:
            slot["weight"] += weight
        if doc:
            slot["docs"].add(doc)

    # 1. absolute dates, as a chain per story (consecutive distinct intervals)
    stories: dict[str, list[Event]] = defaultdict(list)
    for e in events:
        stories[e.story].append(e)
    for evs in stories.values():
        dated = sorted((e for e in evs if interval(e.start)), key=lambda e: interval(e.start))
        for a in dated:
            ia = interval(a.end or a.start)
            later = [b for b in dated if interval(b.start)[0] > ia[1]]  # type: ignore[index]
            if later:
                first = min(interval(b.start)[0] for b in later)  # type: ignore[index]
                for b in later:
                    if interval(b.start)[0] == first:  # type: ignore[index]
                        add(a, b, "date", None, DATE_WEIGHT)
    # 2. cue phrases
    for m in mentions:
        key = f"{m['document']}:{m['start']}:{m['end']}:{m.get('part', 0)}"
        me = by_mention.get(key)
        if me is None:
            continue
        for cue in m.get("cues", []):
            rel = cue["rel"]
            if rel in ("after_mentions", "before_mentions"):
                for other in cue["mentions"]:
                    if other.startswith("@"):
                        other = f"{m['document']}:{other[1:]}"
                    oe = by_mention.get(other)
                    if oe is None:
                        continue
                    if rel == "after_mentions":
                        add(oe, me, cue["cue"], m["document"], 1.0)
                    else:
                        add(me, oe, cue["cue"], m["document"], 1.0)
            elif rel in ("before", "after") and cue.get("anchor_kind"):
                anchors = [e for e in stories[me.story] if e.kind == cue["anchor_kind"]
                           and e.id != me.id and (_day(e) == _day(me) or not _day(e))]
                for a in anchors:
                    phrase = f"{cue.get('offset', '')} {rel} {cue['anchor']}".strip()
                    if rel == "before":
                        add(me, a, phrase, m["document"], 1.0)
                        if a.container:  # before the summit = before everything in it
                            for x in stories[me.story]:
                                if x.id not in (me.id, a.id) and _day(x) and \
                                        _day(x) == _day(me) and x.kind != me.kind:
                                    add(me, x, phrase, m["document"], SCRIPT_WEIGHT)
                    else:
                        add(a, me, phrase, m["document"], 1.0)
    # 3. the shape of a visit: arrival first, departure last, on the same day and story
    for evs in stories.values():
        days: dict[str, list[Event]] = defaultdict(list)
        for e in evs:
            if _day(e) and e.status != "planned":
                days[_day(e)].append(e)  # type: ignore[index]
        for day_events in days.values():
            if not any(e.container for e in day_events):
                continue  # arrival-first / departure-last is the shape of a visit, not of news
            for a in day_events:
                for b in day_events:
                    if a.id == b.id:
                        continue
                    if a.phase == "begin" and b.phase != "begin":
                        add(a, b, "arrival comes first", None, SCRIPT_WEIGHT)
                    if b.phase == "end" and a.phase != "end":
                        add(a, b, "departure comes last", None, SCRIPT_WEIGHT)
    result = []
    for (a, b, cue), slot in out.items():
        docs = sorted(slot["docs"]) or [None]
        result.append(Constraint(a, b, cue, docs[0], slot["weight"]))
    return sorted(result, key=lambda c: (c.before, c.after, c.cue))


def resolve(events: Sequence[Event], cons: Sequence[Constraint]
            ) -> tuple[list[Constraint], dict[str, int]]:
    """Accept constraints strongest first unless they close a cycle; rank by longest path."""
    succ: dict[str, set[str]] = defaultdict(set)

    def reaches(src: str, dst: str) -> bool:
        stack, seen = [src], {src}
        while stack:
            n = stack.pop()
            if n == dst:
                return True
            for nxt in succ[n]:
                if nxt not in seen:
                    seen.add(nxt)
                    stack.append(nxt)
        return False

    # pair weight: all cues for the same (before, after) support each other
    pair_weight: dict[tuple[str, str], float] = defaultdict(float)
    for c in cons:
        pair_weight[(c.before, c.after)] += c.weight
    decided: list[Constraint] = []
    for c in sorted(cons, key=lambda c: (-pair_weight[(c.before, c.after)], c.before,
                                         c.after, c.cue)):
        if c.after in succ[c.before]:
            decided.append(c)
            continue
        if reaches(c.after, c.before):
            decided.append(Constraint(c.before, c.after, c.cue, c.document, c.weight, False))
            continue
        succ[c.before].add(c.after)
        decided.append(c)
    # longest-path layering over the accepted DAG (Kahn's order; no recursion)
    ids = sorted({e.id for e in events} | set(succ) | {b for bs in succ.values() for b in bs})
    indeg = {n: 0 for n in ids}
    for bs in succ.values():
        for b in bs:
            indeg[b] += 1
    ranks = {n: 1 for n in ids}
    queue = [n for n in ids if indeg[n] == 0]
    while queue:
        n = queue.pop()
        for b in sorted(succ[n]):
            ranks[b] = max(ranks[b], ranks[n] + 1)
            indeg[b] -= 1
            if indeg[b] == 0:
                queue.append(b)
    return sorted(decided, key=lambda c: (c.before, c.after, c.cue)), ranks
