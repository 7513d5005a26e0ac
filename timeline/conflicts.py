"""Where sources disagree about one event: counts, durations, places, dates, attributes.

Pure: the reconciled events, their mentions and the documents' dates in, conflicts out.
Values are compared by what they mean, not how they are written: "1,500" (en) and "1.500"
(es) are one count, "PT72H" and "P3D" one stretch, "at least 40" agrees with 63. A running
count (a death toll, `running` in quantities.toml) that grows from one day's report to a
later one is a series over time, a revision, not a dispute.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Any

from timeline import entity_keys, quantities
from timeline.compat import places_compatible
from timeline.reconcile import Event, disputed, mention_key

Mention = Mapping[str, Any]
Values = list[dict[str, Any]]

_UNIT = {"Y": 365 * 86400, "M": 30 * 86400, "W": 7 * 86400, "D": 86400}
_CLOCK = {"H": 3600, "M": 60, "S": 1}
_DURATION = re.compile(r"P(?:(\d+(?:\.\d+)?)([YMWD]))*(?:T(?:(\d+(?:\.\d+)?)([HMS]))*)?$")


def seconds(value: str) -> tuple[float, float] | None:
    """The least and most seconds a TIMEX3 duration value allows ("PT2H APPROX": about
    two hours), or None for what is no number of units ("PXD", "P1DT")."""
    head, _, mod = value.partition(" ")
    if not head.startswith("P") or not _DURATION.match(head):
        return None
    date, _, clock = head[1:].partition("T")
    total = 0.0
    for part, units in ((date, _UNIT), (clock, _CLOCK)):
        for n, u in re.findall(r"(\d+(?:\.\d+)?)([A-Z])", part):
            total += float(n) * units[u]
    if not total:
        return None
    return quantities.interval(f"{total:g}" + (f" {mod}" if mod else ""))


def _durations_disputed(values: Sequence[Mapping[str, Any]]) -> bool:
    """As `reconcile.disputed`, and the two stretches differ by their length too."""
    for i, a in enumerate(values):
        for b in values[i + 1:]:
            da, db = set(a["documents"]), set(b["documents"])
            if not (da - db and db - da):
                continue
            sa, sb = seconds(a["value"]), seconds(b["value"])
            if sa is None or sb is None or sa[1] < sb[0] or sb[1] < sa[0]:
                return True
    return False


def _counts(e: Event, name: str, members: Sequence[Mention],
            dates: Mapping[str, str | None]) -> Values | None:
    """The values of a count that sources dispute, or None when they agree or tell a
    series: each document gives one value (of a running count its highest, the latest
    it reports; else its first), and two documents disagree when the values cannot both
    hold, unless the count runs and the later report has the larger one."""
    by_doc: dict[str, list[str]] = defaultdict(list)
    for m in sorted(members, key=lambda m: (m["document"], m["start"])):
        v = (m.get("attributes") or {}).get(name)
        if v:
            by_doc[m["document"]].append(v)
    runs = quantities.running(name.split(":", 1)[1])
    one = {d: (max(vs, key=lambda v: quantities.interval(v)[0]) if runs else vs[0])
           for d, vs in by_doc.items()}
    docs = sorted(one)
    clash = False
    for i, a in enumerate(docs):
        for b in docs[i + 1:]:
            if quantities.agree(one[a], one[b]):
                continue
            da, db = dates.get(a), dates.get(b)
            if runs and da and db and da[:10] != db[:10]:
                early, late = (a, b) if da[:10] < db[:10] else (b, a)
                if quantities.interval(one[early])[1] < quantities.interval(one[late])[0]:
                    continue  # "at least 40 dead" on Monday, 63 on Wednesday: a revision
            clash = True
    if not clash:
        return None
    grouped: dict[str, list[str]] = defaultdict(list)
    for d in docs:
        grouped[one[d]].append(d)
    return [{"value": v, "documents": ds, **({"dates": [dates.get(d) for d in ds]} if runs
                                             else {})}
            for v, ds in sorted(grouped.items(), key=lambda kv: (-len(kv[1]), kv[0]))]


def _places(members: Sequence[Mention], named: Mapping[str, set[str]],
            lang: Mapping[str, str]) -> Values | None:
    """The places of an event that sources dispute: two documents in one language each put
    it somewhere the other never names (in any of its mentions), neither place a country
    or an organisation of the entity table ("in Nepal" holds the town "near Pokhara").
    Across languages spellings drift too far for a skeleton to tell (Geneva, Ginebra):
    there a different spelling is no evidence of a different place."""
    by_doc: dict[str, set[str]] = defaultdict(set)
    for m in members:
        p = m.get("place")
        if p and not entity_keys.contains_places(p, lang.get(m["document"], "")):
            by_doc[m["document"]].add(p)
    docs = sorted(by_doc)
    clash = False
    for i, a in enumerate(docs):
        for b in docs[i + 1:]:
            if lang.get(a) != lang.get(b):
                continue
            if not any(places_compatible(p, q) for p in by_doc[a] | named[a]
                       for q in by_doc[b]) and not any(
                    places_compatible(p, q) for p in by_doc[a] for q in named[b]):
                clash = True
    if not clash:
        return None
    grouped: dict[str, list[str]] = defaultdict(list)
    for d in docs:
        grouped[sorted(by_doc[d])[0]].append(d)
    return [{"value": v, "documents": ds}
            for v, ds in sorted(grouped.items(), key=lambda kv: (-len(kv[1]), kv[0]))]


def of_events(events: Sequence[Event], mentions: Sequence[Mention],
              dates: Mapping[str, str | None]) -> list[tuple[str, str, Values]]:
    """(event id, attribute, values) for every attribute sources dispute."""
    by_key = {mention_key(m): m for m in mentions}
    named: dict[str, set[str]] = defaultdict(set)  # every place each document names
    for m in mentions:
        if m.get("place"):
            named[m["document"]].add(m["place"])
    out: list[tuple[str, str, Values]] = []
    for e in events:
        members = [by_key[k] for k in e.mentions if k in by_key]
        if e.kind and e.status != "planned":  # plans keep apart by place already
            lang = {src["document"]: src.get("lang", "") for src in e.sources}
            places = _places(members, named, lang)
            if places:
                out.append((e.id, "place", places))
        for name, values in sorted(e.attributes.items()):
            if name.startswith("count:"):
                got = _counts(e, name, members, dates)
                if got:
                    out.append((e.id, name, got))
            elif name == "duration":
                if _durations_disputed(values):
                    out.append((e.id, name, values))
            elif disputed(values):
                out.append((e.id, name, values))
    return out
