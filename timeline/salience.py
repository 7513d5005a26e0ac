"""Salience: which events a reader sees by default, and how open-class mentions merge.

Every eventive predicate is a mention now, so a story holds many more events than a reader
wants on a timeline: a single source saying something, a state, a predicate no source dates.
Each event gets a salience score; `timeline show` and `export` list the events at or above
`VISIBLE` and `--all` lists every one. The score is a sum:

- sources: the number of documents that tell it (at most 4);
- kind: +2 when a kind of the vocabulary names it (arrival, talks, strike ...);
- time: +1 when a mention carries a time of its own (not its story's or its document's);
- class: +1 for what happens (OCCURRENCE, ASPECTUAL, I_ACTION, PERCEPTION), 0 for a report
  (REPORTING), -1 for a state or an attitude (STATE, I_STATE);
- denied or hypothetical events score 0 ("no agreement was announced", "could sign").

A kind's event told as real scores at least VISIBLE: every one is shown, as before open-class
mentions existed. An open-class event is shown when two documents tell it of the same people
with a time of its own (an undated one scores at most VISIBLE - 1); a reporting verb needs
three, a state four; an undated predicate, a predicate one source tells, a denied or a
hypothetical one are listed by `--all` only.
"""

from __future__ import annotations

import bisect
from collections.abc import Mapping, Sequence
from typing import Any

from timeline.compat import interval
from timeline.names import skeleton

VISIBLE = 4
_EVENTIVE = frozenset({"OCCURRENCE", "ASPECTUAL", "I_ACTION", "PERCEPTION"})
_STATES = frozenset({"STATE", "I_STATE"})
_OWN_SOURCES = frozenset({"own", "offset", "anchor", "lead"})
_UNTOLD = frozenset({"negated", "hypothetical"})


def own_time(m: Mapping[str, Any]) -> bool:
    t = m.get("time")
    return bool(t) and t.get("source") in _OWN_SOURCES


def score(kind: str, event_class: str, status: str, sources: int, dated: bool) -> int:
    if status in _UNTOLD:
        return 0
    cls = 1 if event_class in _EVENTIVE or not event_class else \
        -1 if event_class in _STATES else 0
    got = min(sources, 4) + (2 if kind else 0) + (1 if dated else 0) + cls
    if kind:
        return max(got, VISIBLE)
    return got if dated else min(got, VISIBLE - 1)  # no source dates it: not on the line


def visible(e: Any) -> bool:
    return bool(e.salience >= VISIBLE)


def group(m: Mapping[str, Any]) -> tuple[str, str, str]:
    """What a mention may merge with: its story, its kind (or, without one, its label),
    and whether it is told as real at all (a denied agreement is not the agreement)."""
    status = m["status"] if m["status"] in _UNTOLD else ""
    return m["story"], m["kind"] or "~" + (m.get("label") or ""), status


_PEOPLE: dict[int, tuple[Mapping[str, Any], set[tuple[str, ...]]]] = {}


def people(m: Mapping[str, Any]) -> set[tuple[str, ...]]:
    """The people a mention names, as `may_join` compares them (skeletons of each name and
    of its last word): memoised by mention identity while clustering runs (see may_join's
    caller); the set is shared, not to be changed."""
    hit = _PEOPLE.get(id(m))
    if hit is not None and hit[0] is m:
        return hit[1]
    if len(_PEOPLE) > 200_000:
        _PEOPLE.clear()
    got = _people_of(m)
    _PEOPLE[id(m)] = (m, got)
    return got


def _people_of(m: Mapping[str, Any]) -> set[tuple[str, ...]]:
    return {tuple(skeleton(w) for w in p.split()) for p in m.get("participants") or ()} | \
        {(skeleton(w),) for p in m.get("participants") or () for w in p.split()[-1:]}


def alone(m: Mapping[str, Any]) -> bool:
    """An open-class mention that names nobody: `may_join` admits it to no event, and
    admits no mention to the event it founds, so clustering need not compare it at all."""
    return not people(m)


def may_join(m: Mapping[str, Any], members: Sequence[Mapping[str, Any]]) -> bool:
    """An open-class mention joins an event of its label only when another document tells
    it of the same people: never two sayings of one document, never every "said" of a
    story in one event."""
    if any(x["document"] == m["document"] for x in members):
        return False
    mine = people(m)
    return bool(mine) and any(mine & people(x) for x in members)


def place(events: Sequence[Any], ranks: dict[str, int]) -> dict[str, int]:
    """Ranks for the events the order left out (the hidden ones): the rank of the latest
    shown event of the story that starts no later, so `show --all` lists them among the
    others by date."""
    by_story: dict[str, list[tuple[str, int]]] = {}
    for e in events:
        iv = interval(e.start)
        if e.id in ranks and iv:
            by_story.setdefault(e.story, []).append((iv[0], ranks[e.id]))
    for v in by_story.values():
        v.sort()
    out: dict[str, int] = {}
    for e in events:
        iv = interval(e.start)
        if e.id in ranks or not iv:
            continue
        shown = by_story.get(e.story, [])
        i = bisect.bisect_right(shown, (iv[0], 1 << 30))
        out[e.id] = max((r for _, r in shown[:i]), default=1)
    return out


def view(snap: dict[str, Any], every: bool = False, lang: str = "en") -> dict[str, Any]:
    """A snapshot as `show`/`export` print it: the shown events (every one with `every`),
    each titled by its best source in `lang` (the event's title, when a source in `lang` gave
    it), else by its first source in `lang` that has a title of its own, when one does."""
    events = []
    for e in snap["events"]:
        if not every and e.get("salience", VISIBLE) < VISIBLE:
            continue
        titled = [s for s in e.get("sources", ()) if s.get("title")]
        # the event's own title when a source in `lang` gave it (titles.py ranked it best),
        # else that language's first
        best = next((s for s in titled if s.get("lang") == lang and s["title"] == e.get("title")),
                    None) or next((s for s in titled if s.get("lang") == lang), None)
        events.append({**e, "title": best["title"]} if best else e)
    ids = {e["id"] for e in events}
    return {**snap, "events": events,
            "conflicts": [c for c in snap["conflicts"] if c["event"] in ids],
            "constraints": [c for c in snap["constraints"]
                            if c["before"] in ids and c["after"] in ids]}
