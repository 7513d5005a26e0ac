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

from timeline import datecheck
from timeline.compat import interval
from timeline.reconcile import Event, mention_key
from timeline.temporal import normalize as nz
from timeline.vocabulary import lasting

_FULL_DAY = re.compile(r"^\d{4}-\d\d-\d\d")
_PUBLISHED = re.compile(r"(?i)\b(?:published|updated|posted|publicado|actualizado|"
                        r"опубликовано|обновлено|дата публикации)\b")


@attrs.frozen
class Dating:
    date: str | None
    basis: str  # header | inferred | unknown
    evidence: str | None
    confidence: float
    # a dateline without its year ("АФИНЫ, 14 августа"): (month, day, quote), for siblings
    partial: tuple[int, int, str] | None = None
    readings: tuple[dict[str, Any], ...] = ()  # what competed (timeline.datecheck)


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
        rel = t.get("relation") or {}
        if rel.get("k") == "narrative":  # a dateline is the creation time, never the
            rel = rel["rel"]             # story's time ("desde 2021" in the headline)
            t = {**t, "relation": rel}
        kind = rel.get("k")
        if not (kind == "date" and _FULL_DAY.match(t["value"] or "")) and kind != "monthday":
            continue
        line_start = max(doc.text.rfind("\n", max(0, t["start"] - 120), t["start"]) + 1,
                         t["start"] - 120)  # a dateline or "Published" is right before
        before = doc.text[line_start:t["start"]]
        if not (_PUBLISHED.search(before) or (t["start"] < lead_end and re.match(
                r"^[A-ZА-ЯЁ][A-ZА-ЯЁ .'-]{2,40},\s*$", before))
                or datecheck.own_line(doc.text, doc.body_start, t)):
            continue
        quote = _quote(doc.text, t["start"], t["end"])
        if kind == "date":
            return Dating(t["value"][:10], "inferred", quote, 0.9)
        partial = (t["relation"]["m"], t["relation"]["d"], quote)
        dated = _year_of(t["relation"], timexes)
        if dated:  # "Monday, March 4": the first year on or after it that has that weekday
            weekday = any(m is t for m, _w in datecheck.weekday_marks(timexes, doc.language))
            dated = datecheck.weekday_year(t, timexes, doc.language, dated)
            # a year read off the past the text reports ("quebró en noviembre de 2022") is a
            # guess that other sources of the story may correct; a weekday is not
            return Dating(dated[0], "inferred", f"{quote} (year: {dated[1]})", 0.6,
                          None if weekday else partial)
        return Dating(None, "unknown", None, 0.0, partial)
    return UNKNOWN


_MONTH_OR_DAY = re.compile(r"^(\d{4})-(\d\d)")


def _year_of(rel: Mapping[str, Any], timexes: Sequence[Mapping[str, Any]]
             ) -> tuple[str, str] | None:
    """The year of a year-less dateline ("NICOSIA, March 20"): the first one on or after the
    newest month or day the document reports as past ("it sought a bailout in June 2012").
    A bare year is not enough: news names old years as history ("divided in 1974"), but the
    months and days it reports as past are recent."""
    newest = None
    for t in timexes:
        m = _MONTH_OR_DAY.match(t["value"] or "")
        its = t.get("relation") or {}
        # a year the text gave: not one a narrative reading lent ("13 jun" after "2021")
        if m and t["timex_type"] in ("DATE", "TIME") and its.get("tense") != "future" \
                and its.get("k") != "narrative":
            if newest is None or m.group(0) > newest[0]:
                newest = (m.group(0), t["text"])
    if newest is None:
        return None
    year = int(newest[0][:4])
    try:
        day = dt.date(year, rel["m"], rel["d"])
        if day.isoformat()[:7] < newest[0]:
            day = dt.date(year + 1, rel["m"], rel["d"])
    except (ValueError, KeyError, TypeError):
        return None
    return day.isoformat(), f"after “{newest[1]}”, reported as past"


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


def from_siblings(doc: Any, mentions: Sequence[Mapping[str, Any]],
                  events: Sequence[Event] | EventIndex,
                  floor_date: tuple[str, str] | None,
                  partial: tuple[int, int, str] | None = None,
                  timexes: Sequence[Mapping[str, Any]] = (),
                  stories: frozenset[Any] = frozenset(),
                  story_dates: Sequence[str] = ()) -> Dating:
    """Date an undated document by the events its mentions share with dated documents; a
    year-less dateline then keeps its day and takes the year nearest to that date (or, when
    it shares no event, to the days of its `stories`); a report without one that shares no
    dated event is dated by its lead's weekday, near its story's time (`_lead_weekday_date`;
    `story_dates`: the story's dated reports). `events` may come as an EventIndex, built once
    for all the documents of a round."""
    index = events if isinstance(events, EventIndex) else EventIndex.of(events)
    got = _from_siblings(doc, mentions, index, floor_date, timexes)
    if got.date is None:
        when = _story_time(doc.id, stories | {m.get("story") for m in mentions}, index)
        if partial is not None:
            got = when
        else:
            if when.date is None and story_dates:
                mid = story_dates[len(story_dates) // 2]
                when = Dating(mid, "inferred", f"the story's dated reports, around {mid}", 0.5)
            got = _lead_weekday_date(doc, timexes, when)
    if partial is None or got.date is None:
        return got
    near = dt.date.fromisoformat(got.date)
    days = []
    for year in (near.year - 1, near.year, near.year + 1):
        try:
            days.append(dt.date(year, partial[0], partial[1]))
        except ValueError:
            continue
    if not days:
        return got
    # the year nearest the siblings' date, unless a weekday or a date says otherwise
    own = datecheck.OwnDays.of(timexes, doc.language)
    checked = {d: own.check(d.isoformat()) for d in days}
    best = min(days, key=lambda d: (len(checked[d]), abs((d - near).days)))
    readings = tuple({"date": d.isoformat(), "contradictions": checked[d][:5]}
                     for d in sorted(days, key=lambda d: (len(checked[d]),
                                                          abs((d - near).days))))
    return Dating(best.isoformat(), "inferred",
                  f"{partial[2]} (year: {best.year}, from other sources: {got.evidence})",
                  max(got.confidence, 0.7), readings=readings)


_LEAD = 300  # characters of the body that hold the lead's news


def _lead_weekday_date(doc: Any, timexes: Sequence[Mapping[str, Any]], story: Dating
                       ) -> Dating:
    """A report that shares no dated event, whose lead gives its news a year-less date with
    its weekday ("Kessring во вторник, 17 ноября, повысила предложение"): the year is the
    one within a year of the story's time whose day has that weekday, and the report comes
    out that day (the lead's news is the day's). Nothing when the story has no time, or
    when no year nearby, or two, fit."""
    if story.date is None:
        return UNKNOWN
    near = dt.date.fromisoformat(story.date[:10])
    lead_end = doc.body_start + _LEAD
    for t, wd in datecheck.weekday_marks(timexes, doc.language):
        rel = t.get("relation") or {}
        if not doc.body_start <= t["start"] < lead_end or rel.get("tense") == "future":
            continue
        fits = [y for y in (near.year - 1, near.year, near.year + 1)
                if datecheck.fits_weekday(rel["m"], rel["d"], wd, y)]
        if len(fits) == 1:
            day = dt.date(fits[0], rel["m"], rel["d"])
            return Dating(day.isoformat(), "inferred",
                          f"{_quote(doc.text, t['start'], t['end'])} (a "
                          f"{_DAYS[day.weekday()]} in {day.year}, near {story.evidence})", 0.6)
    return UNKNOWN


_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _story_time(doc_id: str, stories: frozenset[Any] | set[Any], index: EventIndex
                ) -> Dating:
    """The middle day of the events other documents of this document's stories date: a
    year-less dateline ("MARLOW, 14 mar") that shares no event with them still belongs to
    their year, not to one read off the history it recalls."""
    days = sorted(d for e in index.events if e.story in stories
                  if (d := _day_from_others(e, doc_id)))
    if not days:
        return UNKNOWN
    mid = days[len(days) // 2]
    return Dating(mid, "inferred", f"the story's other sources date its events around {mid}",
                  0.5)


_NARROW = frozenset({"weekday", "offset"})


@attrs.frozen
class EventIndex:
    """The events of a draft reconciliation looked up by mention and by (story, kind): built
    once per dating round, so that dating a document costs its own mentions and cues, not a
    pass over every event of the corpus for each."""

    events: Sequence[Event]
    event_of: Mapping[str, Event]
    by_story_kind: Mapping[tuple[Any, str], Sequence[Event]]

    @classmethod
    def of(cls, events: Sequence[Event]) -> EventIndex:
        by: dict[tuple[Any, str], list[Event]] = {}
        for e in events:
            by.setdefault((e.story, e.kind), []).append(e)
        return cls(events, {k: e for e in events for k in e.mentions}, by)

    def told(self, story: Any, kind: str) -> Sequence[Event]:
        """The events of one kind in one story, in the draft's order."""
        return self.by_story_kind.get((story, kind), ())


def _day_from_others(e: Event | None, doc_id: str) -> str | None:
    """The day an event is dated to, if documents other than this one date it."""
    if e is None or not e.start:
        return None
    iv = interval(e.start)
    if not iv or iv[0] != iv[1] or all(s["document"] == doc_id for s in e.sources):
        return None
    return iv[0]


def _day_from_anchor(m: Mapping[str, Any], index: EventIndex, doc_id: str
                     ) -> tuple[str | None, str]:
    """The day of a mention placed a number of days from an event other documents date:
    "received on Sunday, a day after the victory" (the victory: Saturday the 1st)."""
    for cue in m.get("cues", []):
        if cue.get("rel") not in ("after", "before") or not cue.get("anchor_kind"):
            continue
        days = {d for e in index.told(m.get("story"), cue["anchor_kind"])
                if (d := _day_from_others(e, doc_id))}
        if len(days) != 1:
            continue  # no such event dated elsewhere, or several: no telling which
        anchor = days.pop()
        day = nz.days_from(anchor, cue.get("offset"), after=cue["rel"] == "after")
        if day is None:
            continue
        return day, (f"{cue['offset']} {cue['rel']} the {cue['anchor_kind']} other sources "
                     f"date {anchor}, that is {day}")
    return None, ""


def _spread(date: str, timexes: Sequence[Mapping[str, Any]]) -> int:
    """How many days the document's own day expressions ("este lunes", "el domingo", "two
    days ago") span when it is dated `date`: news tells a compact stretch of days. Only
    those a tense points (a bare "Friday" in a headline goes to the nearest Friday of any
    date, and would pull every date towards itself)."""
    ref = dt.date.fromisoformat(date)
    days = []
    for t in timexes:
        rel = t.get("relation") or {}
        if rel.get("tense") and (rel.get("k") == "weekday"
                                 or (rel.get("k") == "offset" and rel.get("unit") == "D")):
            v = nz.resolve(rel, ref, rel.get("tense"))[1][:10]
            if _FULL_DAY.match(v):
                days.append(dt.date.fromisoformat(v))
    return (max(days) - min(days)).days if days else 0


_WEAK_SOURCES = (None, "narrative", "document")  # a day the extractor only supposed


def days_from_anchors(mentions: Sequence[Mapping[str, Any]], events: Sequence[Event]
                      ) -> list[Mapping[str, Any]]:
    """ "Черные ящики были найдены на следующий день после катастрофы": a mention counted in
    days from an event of its story that one day dates (in any document) takes that day,
    over a day the extractor only supposed (the document's narrative day)."""
    out: list[Mapping[str, Any]] = []
    index = EventIndex.of(events)
    for m in mentions:
        if (m.get("time") or {}).get("source") in _WEAK_SOURCES:
            key = mention_key(m)
            for cue in m.get("cues", []):
                if cue.get("rel") not in ("after", "before") or not cue.get("anchor_kind"):
                    continue
                # the event of that kind most documents tell of, if one stands out ("the
                # crash" is the crash, not a passing mention of it dated elsewhere)
                told = sorted(((len({s["document"] for s in e.sources}), iv[0])
                               for e in index.told(m.get("story"), cue["anchor_kind"])
                               if key not in e.mentions
                               and (iv := interval(e.start)) and iv[0] == iv[1]), reverse=True)
                clear = told and (len(told) == 1 or told[0][0] > told[1][0])
                day = nz.days_from(told[0][1], cue.get("offset"), after=cue["rel"] == "after") \
                    if clear else None
                if day:
                    m = {**m, "time": {"value": day, "type": "DATE", "source": "anchor",
                                       "text": cue.get("anchor")}}
                    break
        out.append(m)
    return out


def _narrow(rel: Mapping[str, Any]) -> bool:
    """Whether a relation names one day from the report's date: a weekday, an offset, or
    one counted from either ("прошедшие накануне", the day before "в среду")."""
    return rel.get("k") in _NARROW or (rel.get("k") == "anaphor"
                                       and (rel.get("base") or {}).get("k") in _NARROW)


def _lasting_offset(e: Event | None, rel: Mapping[str, Any]) -> bool:
    """Whether an offset ("two days ago") counts from an event that lasts days (a strike,
    dated to its first day, vocabulary.lasting): the report's day is not its first day plus
    the offset, as the offset may count from any of its days. It bounds the date at most. A
    weekday still votes: a lasting event is merged within a week only, and an undated
    mention of another weekday never joins it (crossdoc._weekday_apart)."""
    return e is not None and rel.get("k") != "weekday" and e.kind in lasting()


def _from_siblings(doc: Any, mentions: Sequence[Mapping[str, Any]], index: EventIndex,
                   floor_date: tuple[str, str] | None,
                   timexes: Sequence[Mapping[str, Any]] = ()) -> Dating:
    event_of = index.event_of
    exact: dict[str, list[str]] = {}
    bounds: list[tuple[str, str]] = []
    ceilings: list[str] = []  # a plan others date: the report comes before it
    voted: list[Mapping[str, Any]] = []  # the relations of the mentions that voted
    for m in mentions:
        e = event_of.get(mention_key(m))
        day = _day_from_others(e, doc.id)
        why = f"other sources date this {e.kind} {day}" if e is not None and day else ""
        if day is None:  # "un día después de la victoria": the victory others date, plus one
            day, why = _day_from_anchor(m, index, doc.id)
        if day is None:
            continue
        rel = m.get("relation")
        # only a day-sized relation ("on Monday", "two days ago") narrows the date down; a
        # "Feb. 16" allows a whole year of reports, and bounds it at most
        if rel and _narrow(rel) and not _lasting_offset(e, rel):
            cands = _solve(rel, day)
            if cands:
                # a report comes on or after what it reports, an announcement before what it
                # plans; every date the relation allows gets a vote ("on Monday" allows a
                # week), so the mentions narrow the date down together
                after = [c for c in cands if (c <= day if m["status"] == "planned"
                                              else c >= day)] or cands
                for c in after:
                    exact.setdefault(c, []).append(f"“{m['quote'][:160]}” — {why}")
                voted.append(rel)
                continue
        if m["status"] == "occurred":
            bounds.append((day, f"reports what {why}: “{m['quote'][:120]}”"))
        elif m["status"] == "planned":
            ceilings.append(day)
    if ceilings and any(d <= min(ceilings) for d in exact):
        exact = {d: q for d, q in exact.items() if d <= min(ceilings)}
    if exact:
        # the fewest contradictions (timeline.datecheck), then the most votes; among equals
        # the one that puts the lead's own days nearest the date (datecheck.lead_gap: the days
        # of the lead other than those of the events siblings date, which voted), then
        # the one that keeps the document's own days together ("recuperaron este lunes" the
        # boxes of the plane that "se estrelló el domingo": Monday is the day after that
        # Sunday, not six days before it), then the earliest, as news reports soon after
        def day_of(m: Mapping[str, Any]) -> tuple[str | None, str]:
            day = _day_from_others(event_of.get(mention_key(m)), doc.id)
            return (day, "") if day else _day_from_anchor(m, index, doc.id)

        own = datecheck.OwnDays.of(timexes, doc.language)

        def check(d: str) -> list[str]:
            return own.check(d) + datecheck.sibling_contradictions(d, mentions, day_of)

        lead = datecheck.lead_days(doc.text, doc.body_start, timexes, voted)
        date, readings = datecheck.pick(
            exact, check, lambda d: (datecheck.lead_gap(lead, d), _spread(d, timexes)))
        n = len(exact[date])
        return Dating(date, "inferred", exact[date][0], min(0.95, 0.6 + 0.1 * n),
                      readings=tuple(readings))
    if floor_date:
        bounds.append((floor_date[0], f"reports {floor_date[0]} as past: “{floor_date[1]}”"))
    if bounds:
        date, why = max(bounds)
        return Dating(date, "inferred", f"not older than {date}: {why}", 0.4)
    return UNKNOWN


def story_days(found: Mapping[str, Sequence[Mapping[str, Any]]], dates: Mapping[str, Dating],
               excluded: set[str]) -> dict[Any, list[str]]:
    """story -> the dates of its dated documents (a year only guessed not among them): the
    story's time for a report that shares no dated event with them."""
    out: dict[Any, list[str]] = {}
    for i, ms in found.items():
        if i not in excluded and dates[i].date and not dates[i].partial:
            for st in {m.get("story") for m in ms}:
                out.setdefault(st, []).append(str(dates[i].date))
    return out
