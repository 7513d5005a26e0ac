"""What a TIMEX3 value may be: one validator for every form the engine emits.

The log is append-only, so a value that is not a real calendar value ("2024-02-30",
"2019-04-31") would stay in it for good and break every consumer that reads it as a date
(exports, ordering). `is_valid` is the contract; `coerce` is what the fact boundary
(`pipeline`) applies to anything that reaches it anyway: the most precise valid prefix of
the value ("2024-02-30" is February 2024), or nothing.

Forms (TimeML 1.2 TIMEX3 `value`, as far as we emit them): dates `YYYY`, `YYYY-MM`,
`YYYY-MM-DD`, weeks `YYYY-Www`, `YYYY-Www-D`, `YYYY-Www-WE`, `YYYY-Qn`, `YYYY-Hn`, seasons
`YYYY-SP|SU|FA|WI`, decades `YYY`, centuries `YY`, any of these with X for unknown digits
(`XXXX-04-30`, `XXXX-WXX-3`, `XXXX-QX`); times: a day, `T`, then `HH`, `HH:MM`, `HH:MM:SS`
or a part of day (`MO MI AF EV NI DT`), `T24:00` for the midnight that closes a day, a
`Z` after a clock written in UTC;
`PRESENT_REF`, `PAST_REF`, `FUTURE_REF`; durations `PnYnMnDTnHnMnS` with `W`, `Q`, `DE`,
`CE`, `ML`, `X` for a vague amount (`PXH`: vague hours go without the `T`) and a decimal
fraction; sets: a duration or a date/time pattern.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

__all__ = ["REFS", "coerce", "day_exists", "is_valid", "parse_day"]

REFS = frozenset({"PRESENT_REF", "PAST_REF", "FUTURE_REF"})
PARTS_OF_DAY = frozenset({"MO", "MI", "AF", "EV", "NI", "DT"})
SEASONS = frozenset({"SP", "SU", "FA", "WI"})
_MONTH_DAYS = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)  # the most each month has

_YEAR = r"(?P<y>\d{4}|XXXX)"
_DATE = re.compile(
    _YEAR + r"(?:-(?:"
    r"(?P<m>\d\d|XX)(?:-(?P<d>\d\d|XX))?"
    r"|W(?P<w>\d\d|XX)(?:-(?P<wd>[1-7]|WE))?"
    r"|Q(?P<q>[1-4X])|H(?P<h>[12X])|(?P<s>SP|SU|FA|WI)"
    r"))?")
_TIME = re.compile(r"(?P<H>\d\d)(?::(?P<M>\d\d)(?::(?P<S>\d\d))?)?|(?P<pod>[A-Z]{2})")
_N = r"(?:\d+(?:[.,]\d+)?|X)"
_DURATION = re.compile(
    rf"P(?:{_N}ML)?(?:{_N}CE)?(?:{_N}DE)?(?:{_N}Y)?(?:{_N}Q)?(?:{_N}M)?(?:{_N}W)?(?:{_N}D)?"
    rf"(?:T(?=.)(?:{_N}H)?(?:{_N}M)?(?:{_N}S)?)?"
    r"|PX[HS]")  # vague hours, seconds: TIMEX3 writes them without the T ("hours" is PXH)


def day_exists(y: int | None, m: int, d: int) -> bool:
    """Is there a day `d` in month `m` of year `y` (of some year, when `y` is None)?"""
    if not 1 <= m <= 12 or d < 1:
        return False
    if y is None:
        return d <= _MONTH_DAYS[m - 1]
    if not 1 <= y <= 9999:
        return False
    return d <= calendar.monthrange(y, m)[1]


def parse_day(value: str | None) -> dt.date | None:
    """A strict YYYY-MM-DD (a reference date): the date, or None when it is not one.
    Anything after the ten characters makes it not a date, so nothing can ride along."""
    if not value or not re.fullmatch(r"\d{4}-\d\d-\d\d", value):
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


def _date_ok(value: str) -> bool:
    m = _DATE.fullmatch(value)
    if m is None:
        return re.fullmatch(r"\d{2,3}", value) is not None  # a century, a decade
    y = None if m["y"] == "XXXX" else int(m["y"])
    if y == 0:
        return False
    if m["m"] and m["m"] != "XX":
        month = int(m["m"])
        if not 1 <= month <= 12:
            return False
        if m["d"] and m["d"] != "XX" and not day_exists(y, month, int(m["d"])):
            return False
    elif m["m"] == "XX" and m["d"] and m["d"] != "XX" and not 1 <= int(m["d"]) <= 31:
        return False
    if m["w"] and m["w"] != "XX":
        weeks = 53 if y is None else dt.date(y, 12, 28).isocalendar()[1]
        if not 1 <= int(m["w"]) <= weeks:
            return False
    return True


def _time_ok(value: str) -> bool:
    day, _, clock = value.partition("T")
    if not _date_ok(day) or not re.fullmatch(r"[\dX]{4}-(?:[\dX]{2}-[\dX]{2}|W[\dX]{2}-[1-7])",
                                              day):
        return False
    m = _TIME.fullmatch(clock.removesuffix("Z"))  # a clock written in UTC keeps its zone
    if m is None:
        return False
    if m["pod"]:
        return m["pod"] in PARTS_OF_DAY
    h, mi, s = int(m["H"]), int(m["M"] or 0), int(m["S"] or 0)
    if h == 24:  # the midnight that closes the day
        return mi == 0 and s == 0
    return h <= 23 and mi <= 59 and s <= 59


def _duration_ok(value: str) -> bool:
    return len(value) > 1 and value != "PT" and _DURATION.fullmatch(value) is not None


def is_valid(value: str | None, type: str | None = None) -> bool:
    """Is `value` a TIMEX3 value we may store, for a timex of this `type` (any type when
    None)? Dates must exist on the calendar: "2024-02-30" and "XXXX-04-31" are not valid."""
    if not value or not isinstance(value, str):
        return False
    if value in REFS:
        return type in (None, "DATE", "TIME")
    kinds = {None: ("date", "time", "duration"), "DATE": ("date",), "TIME": ("time",),
             "DURATION": ("duration",), "SET": ("duration", "date", "time")}.get(type, ())
    if value.startswith("P"):
        return "duration" in kinds and _duration_ok(value)
    if "T" in value:
        return "time" in kinds and _time_ok(value)
    return "date" in kinds and _date_ok(value)


def _type_of(value: str) -> str:
    if value.startswith("P"):
        return "DURATION"
    return "TIME" if "T" in value and value not in REFS else "DATE"


def coerce(value: str | None, type: str | None = None) -> tuple[str, str] | None:
    """(type, value) as the value stands if valid; else the most precise valid date prefix
    ("2024-02-30T10:00" -> DATE "2024-02", "2019-13" -> DATE "2019"); else None. A duration
    or a reference word that is not valid has no valid part."""
    if is_valid(value, type):
        assert value is not None
        return type or _type_of(value), value
    if not value or not isinstance(value, str) or value.startswith("P"):
        return None
    head = value.split("T", 1)[0]
    if type not in (None, "DATE", "TIME", "SET"):
        return None
    while head:
        if re.fullmatch(r"[\dX]{4}(?:-[\dXWQHSUPFAI]+)*", head) and _date_ok(head):
            return ("SET" if type == "SET" else "DATE"), head
        cut = head.rfind("-")
        if cut <= 0:
            break
        head = head[:cut]
    return None
