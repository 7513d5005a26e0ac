"""Running counts told as a series: a toll that reports revise day by day, with its steps.

`conflicts` already tells a rising toll from a dispute: "at least 40 dead" on Monday and 63
on Wednesday is a revision, not a disagreement, so no conflict is recorded. This module
keeps what that leaves unsaid, the steps themselves: for every running measure (`running`
in quantities.toml) of an event, each report's value on its document's date, in date order,
when at least two dates give values and the values never fall (a falling one is a conflict,
and `conflicts` says so). Stored with the event (EventFormed.series) and shown by `show`.
Pure.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Any

from timeline import quantities

Mention = Mapping[str, Any]


def of_event(attributes: Mapping[str, Sequence[Mapping[str, Any]]],
             members: Sequence[Mention], dates: Mapping[str, str | None]
             ) -> list[dict[str, Any]]:
    """[{attribute, points: [{date, value, documents}]}] for each running count of an event
    (its `attributes`, its mentions `members`) that reports on two or more days revise."""
    out = []
    for name in sorted(attributes):
        if not name.startswith("count:") or not quantities.running(name.split(":", 1)[1]):
            continue
        points = _points(name, members, dates)
        if points:
            out.append({"attribute": name, "points": points})
    return out


def _points(name: str, members: Sequence[Mention], dates: Mapping[str, str | None]
            ) -> list[dict[str, Any]] | None:
    """The steps of one count: per document its highest value (the latest it reports, as
    conflicts reads it); per day the highest of its documents'; None unless two days differ
    and no day's value falls below an earlier one's."""
    best: dict[str, str] = {}
    for m in members:
        v = (m.get("attributes") or {}).get(name)
        if v and (m["document"] not in best or quantities.interval(v)[0] >
                  quantities.interval(best[m["document"]])[0]):
            best[m["document"]] = v
    by_day: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for doc, v in best.items():
        day = (dates.get(doc) or "")[:10]
        if len(day) == 10:
            by_day[day][v].append(doc)
    if len(by_day) < 2:
        return None
    points = []
    for day in sorted(by_day):
        value = max(by_day[day], key=lambda v: (quantities.interval(v)[0], v))
        docs = sorted(d for ds in by_day[day].values() for d in ds)
        points.append({"date": day, "value": value, "documents": docs})
    lows = [quantities.interval(p["value"])[0] for p in points]
    if any(b < a for a, b in itertools.pairwise(lows)) or len(set(lows)) < 2:
        return None
    return points


_MOD_WORDS = {"EQUAL_OR_MORE": "at least", "MORE_THAN": "more than", "APPROX": "about",
              "LESS_THAN": "fewer than", "EQUAL_OR_LESS": "at most"}
_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def count_words(value: str) -> str:
    """A count value in words: "40 EQUAL_OR_MORE" is "at least 40", "40-50 VAGUE" "40–50"."""
    head, _, mod = value.partition(" ")
    if mod == "VAGUE":
        return head.replace("-", "–")
    return f"{_MOD_WORDS[mod]} {head}" if mod in _MOD_WORDS else head


def day_words(day: str) -> str:
    """"2025-05-12" as "Mon 12 May": short enough for three steps on one line."""
    import datetime as dt

    try:
        d = dt.date.fromisoformat(day)
    except ValueError:
        return day
    return f"{_WEEKDAYS[d.weekday()]} {d.day} {_MONTHS[d.month - 1]}"


def line(s: Mapping[str, Any]) -> str:
    """One series in words: "count:dead: at least 40 (Mon 12 May) → 63 (Wed 14 May)"."""
    steps = " → ".join(f"{count_words(str(p['value']))} ({day_words(str(p['date']))})"
                       for p in s["points"])
    return f"{s['attribute']}: {steps}"
