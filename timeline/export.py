"""Exports into the formats real timeline tools open: JSON, CSV, Timesketch, TimelineJS,
iCalendar, TimeML (and the page, html.py). Pure: a snapshot (the `show --format json`
object) in, text out, plus the list of events a format could not carry (undated ones, for
formats that need a date).

Every format places a value by `intervals.span`, its real stretch of time: a week is its
seven days, a season its three months, a night 21:00 to 06:00. Clock times stay floating
(the local time the text wrote, no zone) unless the value carries a zone.
"""

from __future__ import annotations

import datetime as dt
import html
import json
from collections.abc import Mapping, Sequence
from typing import Any

from timeline import intervals, render
from timeline.storynames import story_name, title_of
from timeline.temporal.values import coerce, parse_day

FORMATS = ("json", "csv", "timesketch", "timelinejs", "ics", "timeml", "html")
FLOATING = "local time of the text (no zone given)"


def filter_story(snap: Mapping[str, Any], story: str | None) -> dict[str, Any]:
    if not story:
        return dict(snap)
    events = [e for e in snap["events"] if e["story"].startswith(story)]  # a prefix will do
    ids = {e["id"] for e in events}
    docs = {s["document"] for e in events for s in e["sources"]}
    return {**snap, "documents": [d for d in snap["documents"] if d["id"] in docs],
            "events": events,
            "conflicts": [c for c in snap["conflicts"] if c["event"] in ids],
            "constraints": [c for c in snap["constraints"]
                            if c["before"] in ids and c["after"] in ids]}


def _conflicts_by_event(snap: Mapping[str, Any]) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    for c in snap["conflicts"]:
        out.setdefault(c["event"], []).append(c)
    return out


def _iso(t: dt.datetime) -> str:
    return t.isoformat(timespec="seconds" if t.second else "minutes")


def _when(e: Mapping[str, Any]) -> tuple[intervals.Span | None, str]:
    """The event's stretch and its words ("week 12 of 2013")."""
    s = intervals.event_span(e["start"], e["end"])
    if s is None:
        return None, "undated"
    if e["end"] and e["end"] != e["start"]:
        return s, f"{intervals.label(e['start'])} – {intervals.label(e['end'])}"
    return s, intervals.label(e["start"])


CSV_COLUMNS = ["id", "rank", "start", "end", "from", "until", "when", "kind", "title",
               "status", "story", "story_name", "place", "participants", "sources",
               "conflicts"]


def to_csv(snap: Mapping[str, Any]) -> str:
    """One row per event. `start`/`end` are the TIMEX3 values; `from`/`until` the stretch
    they name (floating local time, `until` exclusive), `when` the same in words;
    participants are separated by "; "."""
    conflicts = _conflicts_by_event(snap)
    rows = []
    for e in snap["events"]:
        s, words = _when(e)
        rows.append([
            e["id"], e["rank"], e["start"], e["end"], _iso(s.start) if s else None,
            _iso(s.end) if s else None, words, e["kind"], e["title"], e["status"],
            e.get("story"), story_name(e.get("story"), snap.get("story_names")), e.get("place"),
            "; ".join(e.get("participants") or []),
            len({x["document"] for x in e["sources"]}),
            "; ".join(f"{c['attribute']}: " + " | ".join(v["value"] for v in c["values"])
                      for c in conflicts.get(e["id"], []))])
    return render.to_csv(CSV_COLUMNS, rows)


def _zone_words(s: intervals.Span) -> str:
    return FLOATING if s.zone is None else ("UTC" if s.zone == "Z" else s.zone)


def _instant(t: dt.datetime, s: intervals.Span) -> str:
    """ISO 8601: with the offset the value gave, floating (no offset) when it gave none."""
    tz = s.tzinfo()
    return (t.replace(tzinfo=tz) if tz else t).isoformat()


def to_timesketch(snap: Mapping[str, Any]) -> tuple[str, list[str]]:
    """JSON Lines: one line per dated event and per dated source of it. `datetime` is where
    the event's stretch begins, floating (no offset) unless the text gave a zone (tell
    Timesketch's importer the zone if it is not UTC); `time_zone` says which it is, and
    `interval_start`/`interval_end` carry the whole stretch of a vague date."""
    docs = {d["id"]: d for d in snap["documents"]}
    lines, skipped = [], []
    for e in snap["events"]:
        s, words = _when(e)
        if s is None:
            skipped.append(e["id"])
            continue
        when = _instant(s.start, s)
        base = {"event_id": e["id"], "kind": e["kind"], "status": e["status"],
                "story": e["story"], "story_name": story_name(e["story"], snap.get("story_names")),
                "rank": e["rank"],
                "timex_value": e["start"], "timex_end": e["end"], "date_words": words,
                "granularity": s.unit, "interval_start": when,
                "interval_end": _instant(s.end, s), "time_zone": _zone_words(s),
                "place": e["place"], "participants": e["participants"]}
        lines.append({"message": f"{e['title']} [{e['status']}]", "datetime": when,
                      "timestamp_desc": "Event time (reconstructed)", **base,
                      "source_count": len(e["sources"])})
        for x in e["sources"]:
            doc = docs.get(x["document"], {})
            lines.append({"message": x["quote"], "datetime": when,
                          "timestamp_desc": "Event time as reported", **base,
                          "document": x["document"], "document_path": doc.get("path"),
                          "document_date": doc.get("date")})
    text = "".join(json.dumps(x, ensure_ascii=False, sort_keys=True) + "\n" for x in lines)
    return text, skipped


_TL_FIELDS = {"year": ("year",), "decade": ("year",), "century": ("year",),
              "month": ("year", "month"), "part of day": ("year", "month", "day", "hour"),
              "hour": ("year", "month", "day", "hour"),
              "minute": ("year", "month", "day", "hour", "minute"),
              "second": ("year", "month", "day", "hour", "minute", "second")}
_TL_POINT = ("year", "month", "day", "hour", "minute", "second")  # one date is enough


def _tl_date(t: dt.datetime, unit: str, words: str | None = None) -> dict[str, str]:
    out = {f: str(getattr(t, f)) for f in _TL_FIELDS.get(unit, ("year", "month", "day"))}
    if words:
        out["display_date"] = words
    return out


def to_timelinejs(snap: Mapping[str, Any]) -> tuple[str, list[str]]:
    """TimelineJS JSON: groups are the stories' names, the headline names the stories, a
    vague date is its whole stretch (start and end dates, with its words to display)."""
    docs = {d["id"]: d for d in snap["documents"]}
    events, skipped = [], []
    for e in snap["events"]:
        s, words = _when(e)
        if s is None:
            skipped.append(e["id"])
            continue
        quotes = "".join(
            f"<p>“{html.escape(x['quote'])}” <em>{html.escape(docs.get(x['document'], {}).get('path') or x['document'][:12])}</em></p>"  # noqa: E501
            for x in e["sources"])
        item: dict[str, Any] = {
            "start_date": _tl_date(s.start, s.unit, words),
            "text": {"headline": html.escape(e["title"]),
                     "text": f"<p>{html.escape(e['kind'])} · {html.escape(e['status'])}"
                             f" · {html.escape(words)}</p>{quotes}"},
            "group": story_name(e["story"], snap.get("story_names")), "unique_id": e["id"]}
        if s.unit not in _TL_POINT and s.end > s.start:
            timed = s.unit == "part of day" or s.end.time() != dt.time()
            last = s.end - (dt.timedelta(hours=1) if timed else dt.timedelta(days=1))
            item["end_date"] = _tl_date(last, "part of day" if timed else "day")
        events.append(item)
    title = title_of((e["story"] for e in snap["events"]), names=snap.get("story_names"))
    doc = {"title": {"text": {"headline": html.escape(title),
                              "text": f"{len(events)} events from "
                                      f"{len(snap['documents'])} documents"}},
           "events": events}
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n", skipped


def to_ics(snap: Mapping[str, Any], stamp: str) -> tuple[bytes, list[str]]:
    """One VEVENT per dated event; UIDs are the event ids, so they are stable. A date is an
    all-day event over its whole stretch (a week is seven days); a clock time is a floating
    DTSTART (RFC 5545 local time, no TZID) unless the text gave a zone."""
    from icalendar import Calendar
    from icalendar import Event as VEvent

    docs = {d["id"]: d for d in snap["documents"]}
    cal = Calendar()
    cal.add("prodid", "-//timeline//event-sourced timeline reconstruction//EN")
    cal.add("version", "2.0")
    dtstamp = dt.datetime.fromisoformat(stamp).astimezone(dt.UTC)
    skipped = []
    for e in snap["events"]:
        s, words = _when(e)
        if s is None:
            skipped.append(e["id"])
            continue
        ve = VEvent()
        ve.add("uid", f"{e['id']}@timeline")
        ve.add("dtstamp", dtstamp)
        ve.add("summary", e["title"])
        _ics_times(ve, s)
        ve.add("status", "TENTATIVE" if e["status"] == "planned" else "CONFIRMED")
        ve.add("categories", [e["kind"]])
        if e["place"]:
            ve.add("location", e["place"])
        lines = [f"{words}: {e['kind']} ({e['status']}), rank {e['rank']}, "
                 f"story {story_name(e['story'], snap.get('story_names'))}"]
        if s.unit in ("hour", "minute", "second") and s.zone is None:
            lines.append(f"time: {FLOATING}")
        for x in e["sources"]:
            path = docs.get(x["document"], {}).get("path") or x["document"][:12]
            lines.append(f"“{x['quote']}” — {path}")
        ve.add("description", "\n".join(lines))
        cal.add_component(ve)
    return cal.to_ical(), skipped


def _ics_times(ve: Any, s: intervals.Span) -> None:
    tz = s.tzinfo()
    if s.unit in ("hour", "minute", "second", "part of day"):
        def at(t: dt.datetime) -> dt.datetime:
            return t.replace(tzinfo=tz).astimezone(dt.UTC) if tz else t

        ve.add("dtstart", at(s.start))
        if s.unit == "part of day":
            ve.add("dtend", at(s.end))
        return
    first = s.start.date()
    ve.add("dtstart", first)  # a date: VALUE=DATE, an all-day event
    if s.end.year < 9999:  # DTEND is exclusive: a week's is the Monday after
        ve.add("dtend", max(s.end.date() if s.end.time() == dt.time()
                            else s.end.date() + dt.timedelta(days=1),
                            first + dt.timedelta(days=1)))


def to_timeml(doc: Mapping[str, Any], timexes: Sequence[Mapping[str, Any]],
              mentions: Sequence[Mapping[str, Any]]) -> str:
    """One document with inline TIMEX3 and EVENT tags, TempEval style."""
    from xml.sax.saxutils import escape, quoteattr

    text = doc["text"]
    tags: list[tuple[int, int, str, str]] = []
    for i, t in enumerate(sorted(timexes, key=lambda t: t["start"]), 1):
        got = coerce(t.get("value"), t.get("type"))
        if got is None:
            continue  # no valid part to carry: the text stays, untagged
        a = f"tid=\"t{i}\" type={quoteattr(got[0])} value={quoteattr(got[1])}"
        if t.get("mod"):
            a += f" mod={quoteattr(str(t['mod']))}"
        tags.append((t["start"], t["end"], f"<TIMEX3 {a}>", "</TIMEX3>"))
    taken = [(s, e) for s, e, _, _ in tags]
    for i, m in enumerate(sorted(mentions, key=lambda m: m["start"]), 1):
        if any(m["start"] < e and s < m["end"] for s, e in taken):
            continue
        taken.append((m["start"], m["end"]))
        cls = "REPORTING" if m["kind"] == "statement" else "OCCURRENCE"
        tags.append((m["start"], m["end"], f'<EVENT eid="e{i}" class="{cls}">', "</EVENT>"))
    tags.sort()
    out = ['<?xml version="1.0" ?>\n<TimeML>\n', f"<DOCID>{escape(doc['id'])}</DOCID>\n"]
    dct = parse_day(str(doc.get("date") or "")[:10])
    if dct is not None:
        out.append(f'<DCT><TIMEX3 tid="t0" type="DATE" value="{dct}" '
                   f'temporalFunction="false" functionInDocument="CREATION_TIME">'
                   f'{dct}</TIMEX3></DCT>\n')
    out.append("<TEXT>")
    pos = 0
    for s, e, open_, close in tags:
        if s < pos:
            continue
        out.append(escape(text[pos:s]) + open_ + escape(text[s:e]) + close)
        pos = e
    out.append(escape(text[pos:]) + "</TEXT>\n</TimeML>\n")
    return "".join(out)
