"""The real stretch of time a TIMEX3 value names, for sorting, drawing and exporting.

A value is a name for an interval, not a point: `2013-W12` is Monday 18 to Sunday 24 March
2013, `2023-SP` is March to May, `201` is the 2010s, `2013-03-18TNI` is that night. Every
reader that places a value on a time line (`show`'s order, the page, iCalendar, Timesketch,
TimelineJS, CSV) asks `span` here, so a week is never a whole year in one export and a day
in another.

Times are *floating*: a clock time is the local time the text wrote ("10:33 in Kathmandu"),
with no zone, unless the value itself carries one (`Z`, `+05:45`). Spans are naive
`datetime`s, the end exclusive. Seasons are the meteorological ones of the northern
hemisphere (spring March-May, winter the December of the year to February); parts of day
are conventions (below), not facts the text gave.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from typing import Any

import attrs

# Part of day -> (first hour, hours long). Night runs from 21:00 into the next morning.
PARTS_OF_DAY = {"MO": (6, 6), "MI": (11, 2), "AF": (12, 6), "EV": (18, 4), "NI": (21, 9),
                "DT": (6, 12)}
_SEASONS = {"SP": (3, 3), "SU": (6, 3), "FA": (9, 3), "WI": (12, 3)}  # first month, months

_VALUE = re.compile(
    r"(?P<y>\d{4})(?:-(?:(?P<m>\d\d)(?:-(?P<d>\d\d))?"
    r"|W(?P<w>\d\d)(?:-(?P<wd>[1-7]|WE))?|Q(?P<q>[1-4])|H(?P<h>[12])|(?P<s>SP|SU|FA|WI)))?"
    r"(?:T(?:(?P<H>\d\d)(?::(?P<M>\d\d)(?::(?P<S>\d\d))?)?|(?P<pod>MO|MI|AF|EV|NI|DT))"
    r"(?P<zone>Z|[+-]\d\d(?::?\d\d)?)?)?")
_COARSE = re.compile(r"(?P<n>\d{2,3})X*")  # a decade ("201", "201X"), a century ("20")
_UNKNOWN = re.compile(r"[-T]?X")  # where an unknown part begins: "2013-XX", "2013-03-XX"


@attrs.frozen
class Span:
    """[start, end) in floating local time; `unit` says how vague it is; `zone` is the
    offset the value gave ("Z", "+05:45"), None when the text gave none."""

    start: dt.datetime
    end: dt.datetime
    unit: str
    zone: str | None = None

    @property
    def is_day_or_finer(self) -> bool:
        return self.unit in ("day", "hour", "minute", "second", "part of day")

    def tzinfo(self) -> dt.tzinfo | None:
        if self.zone is None:
            return None
        if self.zone == "Z":
            return dt.UTC
        sign = -1 if self.zone[0] == "-" else 1
        digits = self.zone[1:].replace(":", "")
        return dt.timezone(sign * dt.timedelta(hours=int(digits[:2]),
                                               minutes=int(digits[2:4] or 0)))


def _month_start(y: int, m: int) -> dt.datetime:
    y, m = y + (m - 1) // 12, (m - 1) % 12 + 1
    return dt.datetime.max if y > 9999 else dt.datetime(y, m, 1)


def _plus(t: dt.datetime, delta: dt.timedelta) -> dt.datetime:
    """`t + delta`, or the end of time past 9999 (where a span's end may fall)."""
    try:
        return t + delta
    except OverflowError:
        return dt.datetime.max


def _months(y: int, first: int, n: int, unit: str) -> Span:
    return Span(_month_start(y, first), _month_start(y, first + n), unit)


def _date_span(m: re.Match[str]) -> Span | None:
    """Raises ValueError for a part that does not exist (month 13, 30 February, week 54)."""
    y = int(m["y"])
    if m["m"] and not 1 <= int(m["m"]) <= 12:
        raise ValueError(m["m"])
    if m["w"]:
        monday = dt.datetime.combine(dt.date.fromisocalendar(y, int(m["w"]), 1), dt.time())
        if m["wd"] == "WE":
            return Span(monday + dt.timedelta(days=5), monday + dt.timedelta(days=7), "weekend")
        if m["wd"]:
            day = monday + dt.timedelta(days=int(m["wd"]) - 1)
            return Span(day, day + dt.timedelta(days=1), "day")
        return Span(monday, monday + dt.timedelta(days=7), "week")
    if m["q"]:
        return _months(y, (int(m["q"]) - 1) * 3 + 1, 3, "quarter")
    if m["h"]:
        return _months(y, (int(m["h"]) - 1) * 6 + 1, 6, "half")
    if m["s"]:
        first, n = _SEASONS[m["s"]]
        return _months(y, first, n, "season")
    if m["d"]:
        day = dt.datetime(y, int(m["m"]), int(m["d"]))
        return Span(day, _plus(day, dt.timedelta(days=1)), "day")
    if m["m"]:
        return _months(y, int(m["m"]), 1, "month")
    return Span(dt.datetime(y, 1, 1), dt.datetime(y + 1, 1, 1) if y < 9999 else dt.datetime.max,
                "year")


def _with_time(day: Span, m: re.Match[str]) -> Span:
    zone = m["zone"]
    if m["pod"]:
        first, hours = PARTS_OF_DAY[m["pod"]]
        start = day.start + dt.timedelta(hours=first)
        return Span(start, _plus(start, dt.timedelta(hours=hours)), "part of day", zone)
    hour, minute, second = int(m["H"]), int(m["M"] or 0), int(m["S"] or 0)
    if hour == 24 and minute == 0 and second == 0:  # the midnight that closes the day
        if day.end == dt.datetime.max:
            return day  # the end of 9999: the day is as precise as we can carry it
        return Span(day.end, day.end, "minute", zone)
    if hour > 23 or minute > 59 or second > 59:
        return day  # an impossible clock: the day is what we can place
    start = day.start.replace(hour=hour, minute=minute, second=second)
    unit = "second" if m["S"] else "minute" if m["M"] else "hour"
    length = {"second": 1, "minute": 60, "hour": 3600}[unit]
    return Span(start, start + dt.timedelta(seconds=length), unit, zone)


def span(value: Any) -> Span | None:
    """The interval a TIMEX3 date or time value names; None for what has no place on a
    calendar (durations, PRESENT_REF, `XXXX-04-30`). A value with unknown parts is placed
    by its known prefix (`2013-XX-XX` is 2013); an impossible one by its valid part."""
    if not isinstance(value, str) or not value or value[0] == "P":
        return None
    m = _VALUE.fullmatch(value)
    if m is None:
        return _prefix_span(value)
    try:
        day = _date_span(m)
    except (ValueError, OverflowError):
        return span(value[:7]) if len(value) > 7 and value[:7] != value else (
            span(value[:4]) if len(value) > 4 else None)
    if day is None:
        return None
    if m["H"] is None and m["pod"] is None:
        return day
    if day.unit != "day":
        return day  # a time on a vague date: the date is what we can place
    return _with_time(day, m)


def _prefix_span(value: str) -> Span | None:
    c = _COARSE.fullmatch(value)
    if c:
        n = int(c["n"])
        width = 10 if len(c["n"]) == 3 else 100
        first = n * width
        if not 1 <= first <= 9999 - width:
            return None
        return Span(dt.datetime(max(first, 1), 1, 1), dt.datetime(first + width, 1, 1),
                    "decade" if width == 10 else "century")
    cut = _UNKNOWN.search(value)
    if cut is not None and cut.start() >= 4:
        return span(value[:cut.start()])
    m = re.match(r"(\d{4})-(\d\d)", value)
    if m and 1 <= int(m[2]) <= 12 and len(value) > 7:
        return span(value[:7])  # "2024-02-30": February 2024
    if re.match(r"\d{4}(?!\d)", value) and value[:4] != "0000" and len(value) > 4:
        return span(value[:4])
    return None


def event_span(start: Any, end: Any = None) -> Span | None:
    """An event's whole stretch: from its start value's beginning to its end value's end."""
    a = span(start)
    if a is None:
        return None
    b = span(end) if end and end != start else None
    if b is None or b.end <= a.start:
        return a
    return Span(a.start, b.end, "range", a.zone or b.zone)


_EPOCH = dt.datetime(1970, 1, 1)


def minutes(t: dt.datetime) -> float:
    """Minutes since 1970-01-01 of a floating time (what the page draws with)."""
    return (t - _EPOCH).total_seconds() / 60


def sort_key(start: Any, end: Any = None) -> tuple[int, float, float]:
    """Timeline order: by where the stretch begins, the longer stretch first (a week before
    the days in it), the undated last."""
    s = event_span(start, end)
    if s is None:
        return (1, 0.0, 0.0)
    return (0, minutes(s.start), -minutes(s.end))


_WORD_UNITS = {"week", "weekend", "quarter", "half", "season", "decade", "century"}
_SEASON_WORDS = {"SP": "spring", "SU": "summer", "FA": "autumn", "WI": "winter"}
_POD_WORDS = {"MO": "morning", "MI": "midday", "AF": "afternoon", "EV": "evening",
              "NI": "night", "DT": "daytime"}


def label(value: Any) -> str:
    """A value spelled out for people: "week 12 of 2013", "spring 2023", "the 2010s",
    "18 March 2013, night", "15 January 2023 10:33"; the value itself when it has no place."""
    s = span(value)
    if s is None:
        return str(value) if value else "undated"
    st = s.start
    if s.unit == "year":
        return f"{st.year}"
    if s.unit == "month":
        return f"{calendar.month_name[st.month]} {st.year}"
    if s.unit in _WORD_UNITS:
        return _vague_label(str(value), s)
    day = f"{st.day} {calendar.month_name[st.month]} {st.year}"
    if s.unit == "day":
        return day
    if s.unit == "part of day":
        pod = re.search(r"T([A-Z]{2})", str(value))
        return f"{day}, {_POD_WORDS.get(pod.group(1), '') if pod else ''}".rstrip(", ")
    clock = st.strftime("%H:%M:%S" if s.unit == "second" else "%H:%M")
    return f"{day} {clock}" + (f" {s.zone}" if s.zone else "")


def _vague_label(value: str, s: Span) -> str:
    st = s.start
    if s.unit == "week":
        return f"week {int(value[6:8])} of {value[:4]}"
    if s.unit == "weekend":
        return f"weekend of week {int(value[6:8])}, {value[:4]}"
    if s.unit == "quarter":
        return f"Q{value[6]} {value[:4]}"
    if s.unit == "half":
        return f"{'first' if value[6] == '1' else 'second'} half of {value[:4]}"
    if s.unit == "season":
        return f"{_SEASON_WORDS[value[5:7]]} {value[:4]}"
    if s.unit == "decade":
        return f"the {st.year}s"
    return f"{st.year}–{st.year + 99}"
