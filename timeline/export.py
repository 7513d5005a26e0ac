"""Exports into the formats real timeline tools open: JSON, CSV, Timesketch, TimelineJS,
iCalendar, TimeML. Pure: a snapshot (the `show --format json` object) in, text out, plus
the list of events a format could not carry (undated ones, for formats that need a date).
"""

from __future__ import annotations

import calendar
import datetime as dt
import html
import json
import re
from collections.abc import Mapping, Sequence
from typing import Any

from timeline import render
from timeline.temporal.values import coerce, day_exists, parse_day

FORMATS = ("json", "csv", "timesketch", "timelinejs", "ics", "timeml", "html")

_DAY = re.compile(r"^(\d{4})(?:-(\d\d))?(?:-(\d\d))?(?:T(\d\d):(\d\d))?")


def filter_story(snap: Mapping[str, Any], story: str | None) -> dict[str, Any]:
    if not story:
        return dict(snap)
    events = [e for e in snap["events"] if e["story"].startswith(story)]  # a prefix will do
    ids = {e["id"] for e in events}
    docs = {s["document"] for e in events for s in e["sources"]}
    return {"documents": [d for d in snap["documents"] if d["id"] in docs], "events": events,
            "conflicts": [c for c in snap["conflicts"] if c["event"] in ids],
            "constraints": [c for c in snap["constraints"]
                            if c["before"] in ids and c["after"] in ids]}


def _parts(value: str | None) -> dict[str, int] | None:
    """year/month/day/hour/minute of a TIMEX3 value, only as precise as the value is and as
    it is valid: a stored value an exporter cannot place ("2024-02-30", "2019-13") is
    carried as its valid part (February 2024, 2019), never raised on; None when not even a
    year is there. Weeks, quarters, halves and seasons give their year."""
    if not value or not isinstance(value, str):
        return None
    m = _DAY.match(value)
    if not m or not 1 <= int(m.group(1)) <= 9999:
        return None
    p = {"year": int(m.group(1))}
    if re.match(r"\d{4}-(W|Q|H|SP|SU|FA|WI)", value) or m.group(2) is None:
        return p
    month = int(m.group(2))
    if not 1 <= month <= 12:
        return p
    p["month"] = month
    if m.group(3) is None or not day_exists(p["year"], month, int(m.group(3))):
        return p
    p["day"] = int(m.group(3))
    if m.group(4) is None:
        return p
    hour, minute = int(m.group(4)), int(m.group(5))
    if hour == 24 and minute == 0:  # TIMEX3 midnight, "T24:00": the next day's first moment
        day = dt.date(p["year"], month, p["day"])
        if day == dt.date.max:
            return p  # the end of 9999: the day is as precise as we can carry it
        nxt = day + dt.timedelta(days=1)
        p.update(year=nxt.year, month=nxt.month, day=nxt.day, hour=0, minute=0)
    elif hour <= 23 and minute <= 59:
        p.update(hour=hour, minute=minute)
    return p


def _conflicts_by_event(snap: Mapping[str, Any]) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    for c in snap["conflicts"]:
        out.setdefault(c["event"], []).append(c)
    return out


def to_csv(snap: Mapping[str, Any]) -> str:
    conflicts = _conflicts_by_event(snap)
    cols = ["id", "rank", "start", "end", "kind", "title", "status", "sources", "conflicts"]
    rows = [[e["id"], e["rank"], e["start"], e["end"], e["kind"], e["title"], e["status"],
             len({s["document"] for s in e["sources"]}),
             "; ".join(f"{c['attribute']}: " + " | ".join(v["value"] for v in c["values"])
                       for c in conflicts.get(e["id"], []))]
            for e in snap["events"]]
    return render.to_csv(cols, rows)


def _iso_datetime(value: str) -> str | None:
    p = _parts(value)
    if not p:
        return None
    d = dt.datetime(p["year"], p.get("month", 1), p.get("day", 1), p.get("hour", 0),
                    p.get("minute", 0), tzinfo=dt.UTC)
    return d.isoformat()


def to_timesketch(snap: Mapping[str, Any]) -> tuple[str, list[str]]:
    """JSON Lines: one line per dated event and per dated source of it."""
    docs = {d["id"]: d for d in snap["documents"]}
    lines, skipped = [], []
    for e in snap["events"]:
        when = _iso_datetime(e["start"]) if e["start"] else None
        if when is None:
            skipped.append(e["id"])
            continue
        base = {"event_id": e["id"], "kind": e["kind"], "status": e["status"],
                "story": e["story"], "rank": e["rank"], "timex_value": e["start"],
                "granularity": e["granularity"], "place": e["place"],
                "participants": e["participants"]}
        lines.append({"message": f"{e['title']} [{e['status']}]", "datetime": when,
                      "timestamp_desc": "Event time (reconstructed)", **base,
                      "source_count": len(e["sources"])})
        for s in e["sources"]:
            doc = docs.get(s["document"], {})
            lines.append({"message": s["quote"], "datetime": when,
                          "timestamp_desc": "Event time as reported", **base,
                          "document": s["document"], "document_path": doc.get("path"),
                          "document_date": doc.get("date")})
    text = "".join(json.dumps(x, ensure_ascii=False, sort_keys=True) + "\n" for x in lines)
    return text, skipped


def _tl_date(value: str | None) -> dict[str, str] | None:
    p = _parts(value)
    return {k: str(v) for k, v in p.items()} if p else None


def to_timelinejs(snap: Mapping[str, Any], title: str = "timeline") -> tuple[str, list[str]]:
    docs = {d["id"]: d for d in snap["documents"]}
    events, skipped = [], []
    for e in snap["events"]:
        start = _tl_date(e["start"])
        if start is None:
            skipped.append(e["id"])
            continue
        quotes = "".join(
            f"<p>“{html.escape(s['quote'])}” <em>{html.escape(docs.get(s['document'], {}).get('path') or s['document'][:12])}</em></p>"  # noqa: E501
            for s in e["sources"])
        item: dict[str, Any] = {
            "start_date": start,
            "text": {"headline": html.escape(e["title"]),
                     "text": f"<p>{e['kind']} · {e['status']}</p>{quotes}"},
            "group": e["story"], "unique_id": e["id"]}
        end = _tl_date(e["end"])
        if end and e["end"] != e["start"]:
            item["end_date"] = end
        events.append(item)
    doc = {"title": {"text": {"headline": html.escape(title),
                              "text": f"{len(events)} events from "
                                      f"{len(snap['documents'])} documents"}},
           "events": events}
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n", skipped


def to_ics(snap: Mapping[str, Any], stamp: str) -> tuple[bytes, list[str]]:
    """One VEVENT per dated event; UIDs are the event ids, so they are stable."""
    from icalendar import Calendar
    from icalendar import Event as VEvent

    docs = {d["id"]: d for d in snap["documents"]}
    cal = Calendar()
    cal.add("prodid", "-//timeline//event-sourced timeline reconstruction//EN")
    cal.add("version", "2.0")
    dtstamp = dt.datetime.fromisoformat(stamp).astimezone(dt.UTC)
    skipped = []
    for e in snap["events"]:
        p = _parts(e["start"])
        if not p:
            skipped.append(e["id"])
            continue
        ve = VEvent()
        ve.add("uid", f"{e['id']}@timeline")
        ve.add("dtstamp", dtstamp)
        ve.add("summary", e["title"])
        if "hour" in p:
            start = dt.datetime(p["year"], p["month"], p["day"], p["hour"], p.get("minute", 0))
            ve.add("dtstart", start)
        else:
            first = dt.date(p["year"], p.get("month", 1), p.get("day", 1))
            last = max(first, _last_day(e["end"] or e["start"], p))
            ve.add("dtstart", first)  # a date: VALUE=DATE, an all-day event
            if last < dt.date.max:  # without DTEND an all-day event is its one day
                ve.add("dtend", last + dt.timedelta(days=1))
        ve.add("status", "TENTATIVE" if e["status"] == "planned" else "CONFIRMED")
        ve.add("categories", [e["kind"]])
        if e["place"]:
            ve.add("location", e["place"])
        lines = [f"{e['kind']} ({e['status']}), rank {e['rank']}, story {e['story']}"]
        for s in e["sources"]:
            path = docs.get(s["document"], {}).get("path") or s["document"][:12]
            lines.append(f"“{s['quote']}” — {path}")
        ve.add("description", "\n".join(lines))
        cal.add_component(ve)
    return cal.to_ical(), skipped


def _last_day(value: str, p: Mapping[str, int]) -> dt.date:
    q = _parts(value) or p
    if "day" in q:
        return dt.date(q["year"], q["month"], q["day"])
    if "month" in q:
        return dt.date(q["year"], q["month"], calendar.monthrange(q["year"], q["month"])[1])
    return dt.date(q["year"], 12, 31)


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
