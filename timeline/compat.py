"""Whether two mentions' times and places may be one happening's.

What a TIMEX3 value covers (its first and last day: weeks, quarters and seasons by their own
days) and whether two places are one place in two spellings. Split from reconcile, which asks
these for every mention it compares; salience, crossdoc and the order ask them too.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import re

from timeline.names import skeleton, stem

_YMD = re.compile(r"(\d{4})(?:-(\d\d))?(?:-(\d\d))?")
_PERIOD = re.compile(r"\d{4}-(W|Q|H|SU|SP|FA|WI)")
_YEAR = re.compile(r"(\d{4})")


@functools.lru_cache(maxsize=65536)
def interval(value: str | None) -> tuple[str, str] | None:
    """The [first day, last day] a TIMEX3 value covers, as ISO strings; None if not a date.
    Cached: clustering asks it for the same few values hundreds of thousands of times."""
    if not value:
        return None
    m = _YMD.match(value)
    if not m or _PERIOD.match(value):
        y = _YEAR.match(value)
        return (f"{y.group(1)}-01-01", f"{y.group(1)}-12-31") if y else None
    y, mo, d = m.groups()
    if d:
        return f"{y}-{mo}-{d}", f"{y}-{mo}-{d}"
    if mo:
        return f"{y}-{mo}-01", f"{y}-{mo}-31"
    return f"{y}-01-01", f"{y}-12-31"


_SEASONS = {"SP": ((3, 1), (5, 31)), "SU": ((6, 1), (8, 31)), "FA": ((9, 1), (11, 30))}
_PARTS = re.compile(r"(\d{4})-(?:(\d\d)(?:-(\d\d))?|W(\d\d)(-WE)?|Q(\d)|H(\d)|(SP|SU|FA|WI))$")


def day_span(value: str) -> tuple[dt.date, dt.date] | None:
    """The exact first and last day a TIMEX3 value covers (weeks, weekends, quarters,
    halves and meteorological seasons included); None for what it cannot place."""
    m = _PARTS.match(value) if value else None
    if m is None:
        y = re.fullmatch(r"(\d{4})", value or "")
        return (dt.date(int(y.group(1)), 1, 1), dt.date(int(y.group(1)), 12, 31)) if y else None
    y = int(m.group(1))
    month, day, week, weekend, q, h, season = m.groups()[1:]
    try:
        if day:
            d = dt.date(y, int(month), int(day))
            return d, d
        if month:
            last = calendar.monthrange(y, int(month))[1]
            return dt.date(y, int(month), 1), dt.date(y, int(month), last)
        if week:
            monday = dt.date.fromisocalendar(y, int(week), 1)
            first = monday + dt.timedelta(days=5) if weekend else monday
            return first, monday + dt.timedelta(days=6)
        if q or h:
            n, size = (int(q), 3) if q else (int(h), 6)
            first_month = (n - 1) * size + 1
            last_month = first_month + size - 1
            return (dt.date(y, first_month, 1),
                    dt.date(y, last_month, calendar.monthrange(y, last_month)[1]))
        if season == "WI":  # the winter that begins in December of the year
            return dt.date(y, 12, 1), dt.date(y + 1, 2, calendar.monthrange(y + 1, 2)[1])
        (m1, d1), (m2, d2) = _SEASONS[season]
        return dt.date(y, m1, d1), dt.date(y, m2, d2)
    except (ValueError, KeyError):
        return None


def compatible(a: str | None, b: str | None) -> bool:
    """Whether two times may be one happening's: their days overlap. A week, a quarter or
    a season covers its own days (`day_span`), not its whole year: "said last week" (2025-W23)
    is no saying of September."""
    ia, ib = days(a), days(b)
    if ia is None or ib is None:
        return True
    return ia[0] <= ib[1] and ib[0] <= ia[1]


@functools.lru_cache(maxsize=65536)
def days(value: str | None) -> tuple[str, str] | None:
    """`interval`, with the exact days of a week, weekend, quarter, half or season."""
    if value and _PERIOD.match(value):
        span = day_span(value)
        if span is not None:
            # "a weekend shooting spree" that began "shortly after 11 p.m. Friday": news
            # weekends take in Friday night
            first = span[0] - dt.timedelta(days=1) if value.endswith("-WE") else span[0]
            return first.isoformat(), span[1].isoformat()
    return interval(value)


def loosely_compatible(a: str | None, b: str | None) -> bool:
    """`compatible` with a week, quarter or season read as its year: within one document
    the narrative's checks tell its happenings apart ("two weeks ago" of a day's "newly
    opened airport"), and a relative week is approximate."""
    ia, ib = interval(a), interval(b)
    if ia is None or ib is None:
        return True
    return ia[0] <= ib[1] and ib[0] <= ia[1]


def places_compatible(a: str | None, b: str | None) -> bool:
    if not a or not b:
        return True
    return places_agree(a, b)


@functools.lru_cache(maxsize=65536)
def places_agree(a: str, b: str) -> bool:
    """Cached: merging and the evidence of every event compare the same few places."""
    wa = [w for w in re.split(r"[\s-]+", a) if len(w) > 2]
    wb = [w for w in re.split(r"[\s-]+", b) if len(w) > 2]
    if {stem(w) for w in wa} & {stem(w) for w in wb}:
        return True
    # the same place spelled by another language: Moscow, Moscú, Москву
    return bool({skeleton(w) for w in wa if len(w) > 3} & {skeleton(w) for w in wb if len(w) > 3})
