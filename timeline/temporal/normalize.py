"""From a relation to a TIMEX3 value: anchoring on a reference date.

`relations.relation()` turns matched words into a relation that does not depend on any date;
`resolve()` here anchors a relation on a reference date. A document whose date is found later
is re-resolved with `resolve()` alone, without re-reading the text.
"""

from __future__ import annotations

import datetime as dt
import re

from timeline.temporal.monthless import day_of_month
from timeline.temporal.relations import (
    TIME_UNITS,
    Rel,
    duration_value,
    lookup,
    number,
    relation,
)
from timeline.temporal.values import day_exists

__all__ = ["TIME_UNITS", "Rel", "duration_value", "granularity", "lookup", "nth_weekday",
           "number", "relation", "resolve"]

SEASONS = ["WI", "SP", "SU", "FA"]
CALENDAR_UNITS = ("D", "W", "M", "Y")


def nth_weekday(y: int, m: int, wd: int, n: int) -> dt.date:
    """The n-th (or, for n = -1, the last) weekday `wd` (1 = Monday) of a month."""
    if n > 0:
        first = dt.date(y, m, 1)
        return first + dt.timedelta(days=(wd - first.isoweekday()) % 7 + 7 * (n - 1))
    nxt = dt.date(y + m // 12, m % 12 + 1, 1)
    last = nxt - dt.timedelta(days=1)
    return last - dt.timedelta(days=(last.isoweekday() - wd) % 7)


def easter(y: int, orthodox: bool = False) -> dt.date:
    """Easter Sunday of a year: the Gregorian computus (Anonymous Gregorian algorithm), or
    the Julian one the Orthodox churches keep, given as a Gregorian date."""
    if orthodox:
        a, b, c = y % 4, y % 7, y % 19
        d = (19 * c + 15) % 30
        e = (2 * a + 4 * b - d + 34) % 7
        month, day = divmod(d + e + 114, 31)
        julian_to_gregorian = y // 100 - y // 400 - 2
        return dt.date(y, month, day + 1) + dt.timedelta(days=julian_to_gregorian)
    a, b, c = y % 19, y // 100, y % 100
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    l_ = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l_) // 451
    month, day = divmod(h + l_ - 7 * m + 114, 31)
    return dt.date(y, month, day + 1)


# ------------------------------------------------------------------ resolution


def _iso_week(d: dt.date) -> str:
    y, w, _ = d.isocalendar()
    return f"{y}-W{w:02d}"


def _add_months(y: int, m: int, n: int) -> tuple[int, int]:
    total = y * 12 + (m - 1) + n
    return total // 12, total % 12 + 1


def _ymd(y: int | None, m: int, d: int | None) -> str:
    """A date as precise as the calendar allows: "April 31" names no day, so it is the month.

    The day of an impossible date is a slip of the writer (April 30? May 1?); what the text
    does say is the month, and a TimeML annotator keeps the expression with the value the
    text supports, not a guessed day and not an ISO value that does not exist."""
    v = (f"{y:04d}" if y is not None else "XXXX") + f"-{m:02d}"
    return v + f"-{d:02d}" if d and day_exists(y, m, d) else v


ymd = _ymd


def _leap_year(y: int, m: int, d: int, tense: str | None) -> int:
    """A year the day exists in, starting from `y` in the tense's direction (a year-less
    "February 29" put on a common year goes to the leap year on the side the tense says)."""
    step = 1 if tense == "future" else -1
    for k in range(9):
        for cand in (y + step * k, y - step * k):
            if day_exists(cand, m, d):
                return cand
    return y


def _pick_year(m: int, d: int, dct: dt.date, tense: str | None, shift: int | None,
               day_given: bool = True) -> int:
    """The year of a year-less date: the nearest occurrence, unless the tense (or an explicit
    last/next) says the other side of the reference date and the nearest is not close."""
    # a month alone is the whole month: "next September" said in September is next year's,
    # as "last September" is last year's
    here = (dct.month, dct.day) if day_given else (dct.month, d)
    if shift == -1:
        return dct.year if (m, d) < here else dct.year - 1
    if shift == 1:
        return dct.year if (m, d) > here else dct.year + 1
    if shift == 0:
        return dct.year  # "this September": the reference's year
    cands = []
    for y in (dct.year - 1, dct.year, dct.year + 1):
        try:
            cands.append((dt.date(y, m, min(d, 28 if m == 2 else d)), y))
        except ValueError:
            continue
    best, year = min(cands, key=lambda c: abs((c[0] - dct).days))
    gap = (best - dct).days
    # The tense may send it to the other side, unless that side is more than twice as far:
    # "set the trial for September 5" in May is this September, not last year's.
    other = next((c for c in cands if c[1] == (year - 1 if gap > 0 else year + 1)), None)
    far = day_given and other is not None and abs((other[0] - dct).days) > 2 * abs(gap)
    # the tense sends a date to the other side only when the nearest is two months away
    slack = 60
    if tense == "past" and gap > slack and not far:
        return year - 1
    # a future never lies two months back, however far the next one is: "will take effect
    # on January 1", written in March, is next January (a past verb may set a future date,
    # "set the trial for September 5"; a future verb does not tell a past one)
    if tense == "future" and gap < -slack:
        return year + 1
    return year


def _quarter_year(q: int, dct: dt.date, tense: str | None, yshift: int) -> int:
    """The year of "the fourth quarter": the reference's year, unless the tense puts the
    quarter on the other side ("profits fell in the fourth quarter", written in January,
    is last year's)."""
    if yshift:
        return dct.year + yshift
    current = (dct.month - 1) // 3 + 1
    if tense == "past" and q > current:
        return dct.year - 1
    # no mirror rule for the future tense: "expects to report a loss for the third quarter"
    # in October reports on the quarter just ended
    return dct.year


def _offset(rel: Rel, dct: dt.date) -> tuple[str, str]:
    unit, n = rel["unit"], rel["n"]
    if isinstance(n, float):
        n = round(n)
    if unit == "D":
        return "DATE", (dct + dt.timedelta(days=n)).isoformat()
    if unit == "W":
        return "DATE", _iso_week(dct + dt.timedelta(weeks=n))
    if unit == "M":
        y, m = _add_months(dct.year, dct.month, n)
        return "DATE", f"{y:04d}-{m:02d}"
    if unit == "Y":
        return "DATE", f"{dct.year + n:04d}"
    if unit == "Q":
        y, m = _add_months(dct.year, dct.month, 3 * n)
        return "DATE", f"{y:04d}-Q{(m - 1) // 3 + 1}"
    if unit == "DE":
        return "DATE", str(dct.year // 10 + n)
    if unit == "CE":
        return "DATE", f"{dct.year // 100 + n:02d}"
    return "DATE", dct.isoformat()  # hours, minutes: the day is what we can say


def _weekday_date(rel: Rel, dct: dt.date, tense: str | None) -> dt.date:
    wd, shift = rel["wd"], rel.get("shift")
    delta = wd - dct.isoweekday()
    if shift == 0:
        return dct + dt.timedelta(days=delta)  # the one in the reference's week
    if shift == -1:
        return dct + dt.timedelta(days=(delta % 7) - 7 if delta % 7 else -7)
    if shift == 1:
        return dct + dt.timedelta(days=delta % 7 or 7)
    if tense == "future":
        return dct + dt.timedelta(days=delta % 7)  # "later Thursday", written on a Thursday
    if tense == "present" and 0 < delta % 7 <= 3:
        return dct + dt.timedelta(days=delta % 7)  # "the deadline is Friday": the nearest one
    return dct + dt.timedelta(days=(delta % 7) - 7 if delta % 7 else 0)


def _season_year(s: str, dct: dt.date, shift: int | None) -> int:
    cur = SEASONS[(dct.month % 12) // 3]
    if shift == -1:
        return dct.year - 1 if SEASONS.index(s) >= SEASONS.index(cur) else dct.year
    if shift == 1:
        return dct.year + 1 if SEASONS.index(s) <= SEASONS.index(cur) else dct.year
    return dct.year


def _as_date(value: str) -> dt.date | None:
    """The first day a resolved value covers ("1995" -> 1995-01-01), or None."""
    m = re.match(r"(\d{4})(?:-(\d\d)(?:-(\d\d))?)?(?![\dW])", value)
    if not m:
        return None
    try:
        return dt.date(int(m.group(1)), int(m.group(2) or 1), int(m.group(3) or 1))
    except ValueError:
        return None


def resolve(rel: Rel, dct: dt.date | None, tense: str | None = None) -> tuple[str, str]:
    """(TIMEX3 type, value) of a relation, anchored on `dct` (or left unresolved with X's)."""
    k = rel["k"]
    if k == "fixed":
        return rel["t"], rel["v"]
    if k == "duration":
        return "DURATION", rel["v"]
    if k == "date":
        y, m, d = rel["y"], rel.get("m"), rel.get("d")
        v = _ymd(y, m, d) if m else f"{y:04d}"
        if "H" in rel and len(v) == 10:
            return "TIME", f"{v}T{rel['H']:02d}:{rel['M']:02d}"
        return "DATE", v
    if k in ("monthday", "month"):
        m, d = rel["m"], rel.get("d")
        if d and not day_exists(None, m, d):
            d = None  # "April 31": no year has that day, the month is what it says
        if dct is None:
            return "DATE", _ymd(None, m, d)
        if rel.get("anaphoric") and rel.get("shift") is None:
            y = dct.year  # "that July": in the year the story is at
        else:
            y = _pick_year(m, d or 15, dct, tense, rel.get("shift"), day_given=bool(d))
        if d and not day_exists(y, m, d):
            y = _leap_year(y, m, d, tense)
        return "DATE", _ymd(y, m, d)
    if k == "offset" and rel.get("in") and tense in ("past", "present"):
        # "responded in less than an hour": in a past clause "in" measures, it does not point
        return "DURATION", duration_value(rel["n"], rel["unit"])
    if k == "offset":
        pod = rel.get("pod")
        if dct is None:
            unres = {"D": "XXXX-XX-XX", "W": "XXXX-WXX", "M": "XXXX-XX", "Q": "XXXX-QX"}
            v = unres.get(rel["unit"], "XXXX")
            return ("TIME", f"{v}T{pod}") if pod else ("DATE", v)
        t, v = _offset(rel, dct)
        return ("TIME", f"{v}T{pod}") if pod else (t, v)
    if k == "weekday":
        pod = rel.get("pod")
        if dct is None:
            v = f"XXXX-WXX-{rel['wd']}"
        else:
            v = _weekday_date(rel, dct, tense).isoformat()
        return ("TIME", f"{v}T{pod}") if pod else ("DATE", v)
    if k == "time":
        day = dct.isoformat() if dct else "XXXX-XX-XX"
        return "TIME", f"{day}T{rel['H']:02d}:{rel['M']:02d}" + ("Z" if rel.get("Z") else "")
    if k == "season":
        if rel.get("y"):
            return "DATE", f"{rel['y']:04d}-{rel['s']}"
        if dct is None:
            return "DATE", f"XXXX-{rel['s']}"
        return "DATE", f"{_season_year(rel['s'], dct, rel.get('shift')):04d}-{rel['s']}"
    if k == "quarter":
        y = rel.get("y") or (_quarter_year(rel["q"], dct, tense, rel.get("yshift", 0))
                             if dct else None)
        return "DATE", f"{y:04d}-Q{rel['q']}" if y else f"XXXX-Q{rel['q']}"
    if k == "easter":  # a movable feast: days from (Orthodox) Easter Sunday
        def feast(year: int) -> dt.date:
            return easter(year, rel.get("orthodox", False)) + dt.timedelta(days=rel["days"])
        y = rel.get("y")
        if y is None:
            if dct is None:
                return "DATE", "XXXX-WXX" if rel.get("week") else "XXXX-XX-XX"
            approx = feast(dct.year)
            y = _pick_year(approx.month, approx.day, dct, tense, None)
        return "DATE", _iso_week(feast(y)) if rel.get("week") else feast(y).isoformat()
    if k == "nth_weekday":
        y = rel.get("y")
        if y is None:
            if dct is None:
                return "DATE", f"XXXX-{rel['m']:02d}"
            approx = nth_weekday(dct.year, rel["m"], rel["wd"], rel["n"])
            y = _pick_year(rel["m"], approx.day, dct, tense, None)
        return "DATE", nth_weekday(y, rel["m"], rel["wd"], rel["n"]).isoformat()
    if k == "quarter_ref":
        if rel.get("context"):
            y, q = rel["context"].split("-Q")
            return "DATE", f"{rel.get('y') or int(y) + rel.get('yshift', 0):04d}-Q{q}"
        if rel.get("y"):  # "the 1988 quarter" with no quarter named before it
            return "DATE", f"{rel['y']:04d}"
        if rel.get("loose"):
            return "DATE", f"{dct.year + rel.get('yshift', 0):04d}" if dct else "XXXX"
        if dct is None:
            return "DATE", "XXXX-QX"
        quarters = rel.get("shift", 0) + rel.get("yshift", 0) * 4
        y, m = _add_months(dct.year, dct.month, 3 * quarters)
        if tense == "past" and rel.get("shift", 0) == 0:
            y, m = _add_months(y, m, -3)  # the quarter just reported on
        return "DATE", f"{y:04d}-Q{(m - 1) // 3 + 1}"
    if k == "day_of_month":  # "el día 12": the month unsaid (see monthless.py)
        return "DATE", day_of_month(rel["d"], dct, tense)
    if k == "week_of":
        _, v = resolve(rel["day"], dct, tense)
        day = _as_date(v) if re.fullmatch(r"\d{4}-\d\d-\d\d", v) else None
        return "DATE", _iso_week(day) if day else f"{v[:4]}-WXX"
    if k == "narrative":  # the story's reference time, or the creation time (narrative.py)
        from timeline.temporal.narrative import moved_away, on_reference, period

        if moved_away(rel, dct, tense):
            got = on_reference(rel["rel"], rel["base"], tense)
            return got if got is not None else resolve(rel["rel"], period(rel["base"])[0], tense)
        return resolve(rel["rel"], dct, tense)
    if k == "anaphor":  # counted from a date named earlier in the text
        base = _as_date(resolve(rel["base"], dct, rel["base"].get("tense"))[1])
        return resolve(rel["rel"], base if base is not None else dct, tense)
    if k == "datetime":  # a time on a day named next to it ("10 p.m. Wednesday")
        _, v = resolve(rel["day"], dct, rel.get("tense", tense))
        day = v.split("T")[0]
        if not re.fullmatch(r"[\dX]{4}-(?:[\dX]{2}-[\dX]{2}|WXX-\d)", day):
            return "DATE", day  # no day to put the clock on ("April 31"): the month it gave
        return "TIME", f"{day}T{rel['H']:02d}:{rel['M']:02d}" + ("Z" if rel.get("Z") else "")
    if k == "month_in_year":  # "July last year"
        m, d = rel["m"], rel.get("d")
        return "DATE", _ymd(dct.year + rel["yshift"] if dct else None, m, d)
    if k == "half":
        y = rel.get("y") or (dct.year + rel.get("yshift", 0) if dct else None)
        return "DATE", f"{y:04d}-H{rel['h']}" if y else f"XXXX-H{rel['h']}"
    if k == "weekend":
        if dct is None:
            return "DATE", "XXXX-WXX-WE"
        n = rel["n"]
        if n == 0 and tense == "past" and dct.isoweekday() < 6:
            n = -1  # "over the weekend" in a past clause, written on a weekday: the last one
        return "DATE", _iso_week(dct + dt.timedelta(weeks=n)) + "-WE"
    raise ValueError(f"unknown relation kind {k!r}")


def days_from(day: str, offset: str | None, after: bool) -> str | None:
    """The day `offset` ("P2D") after (or before) `day`, a value that starts with a full
    date; None when either is not that precise. "Reopened on Tuesday, two days after the
    storm" puts the storm on Sunday."""
    n = re.fullmatch(r"P(\d+)D", offset or "")
    if n is None or not re.match(r"\d{4}-\d\d-\d\d", day or ""):
        return None
    step = dt.timedelta(days=int(n.group(1)))
    start = dt.date.fromisoformat(day[:10])
    return (start + step if after else start - step).isoformat()


def granularity(value: str) -> str | None:
    """How precise a TIMEX3 value is: day, month, year, week, time, ..."""
    if "T" in value and re.match(r"[\dX]{4}-", value):
        return "time" if re.search(r"T\d", value) else "part-of-day"
    if re.fullmatch(r"[\dX]{4}-[\dX]{2}-[\dX]{2}", value):
        return "day"
    if re.fullmatch(r"[\dX]{4}-W[\dX]{2}(-\d)?", value):
        return "day" if value[-2] == "-" else "week"
    if re.fullmatch(r"[\dX]{4}-W[\dX]{2}-WE", value):
        return "weekend"
    if re.fullmatch(r"[\dX]{4}-[\dX]{2}", value):
        return "month"
    if re.fullmatch(r"[\dX]{4}-Q[\dX]", value):
        return "quarter"
    if re.fullmatch(r"[\dX]{4}-H\d", value):
        return "half"
    if re.fullmatch(r"[\dX]{4}-(SP|SU|FA|WI)", value):
        return "season"
    if re.fullmatch(r"[\dX]{4}", value):
        return "year"
    if re.fullmatch(r"\d{3}", value):
        return "decade"
    if re.fullmatch(r"\d{2}", value):
        return "century"
    return None
