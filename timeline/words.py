"""TIMEX3 values as people say them: "night", "about two hours", "several hours", "week 12 of
2013", "spring 2023", "2013-03-18 night".

The log keeps the normalised codes (`2013-03-18TNI`, `PT2H APPROX`, `PXH`) because programs
read them; a person reading the terminal should never have to know TimeML. Pure: strings in,
strings out; where a value is placed on the calendar is `intervals`' business, not ours.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

from timeline import intervals

_NUMBERS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
            "ten", "eleven", "twelve")
# Duration designators, in the order TIMEX3 writes them (date part, then time part).
_DATE_UNITS = (("ML", "millennium", "millennia"), ("CE", "century", "centuries"),
               ("DE", "decade", "decades"), ("Y", "year", "years"), ("Q", "quarter", "quarters"),
               ("M", "month", "months"), ("W", "week", "weeks"), ("D", "day", "days"))
_TIME_UNITS = (("H", "hour", "hours"), ("M", "minute", "minutes"), ("S", "second", "seconds"))
_AMOUNT = r"(\d+(?:[.,]\d+)?|X)"
_DURATION = re.compile(
    "P" + "".join(f"(?:{_AMOUNT}{code})?" for code, _one, _many in _DATE_UNITS)
    + "(?:T" + "".join(f"(?:{_AMOUNT}{code})?" for code, _one, _many in _TIME_UNITS) + ")?")
_VAGUE_TIME = re.compile(r"PX([HS])")  # TIMEX3's vague hours/seconds come without the T
MODS = {"APPROX": "about", "LESS_THAN": "less than", "MORE_THAN": "more than",
        "EQUAL_OR_LESS": "at most", "EQUAL_OR_MORE": "at least", "BEFORE": "before",
        "AFTER": "after", "ON_OR_BEFORE": "on or before", "ON_OR_AFTER": "on or after",
        "START": "the start of", "MID": "the middle of", "END": "the end of"}
REFS = {"PRESENT_REF": "now", "PAST_REF": "in the past", "FUTURE_REF": "in the future"}
PARTS_OF_DAY = {"MO": "morning", "MI": "midday", "AF": "afternoon", "EV": "evening",
                "NI": "night", "DT": "daytime"}
_CLOCK = re.compile(r"T(\d\d)(?::(\d\d))?(?::(\d\d))?(Z|[+-]\d\d(?::?\d\d)?)?$")
_POD = re.compile(r"T(MO|MI|AF|EV|NI|DT)")
_YEARLESS = re.compile(r"XXXX-(\d\d)(?:-(\d\d))?")


def number(n: str) -> str:
    """Small whole numbers in words ("two"), the rest as written ("36", "1.5")."""
    if n == "X":
        return "several"
    return _NUMBERS[int(n)] if n.isdigit() and int(n) < len(_NUMBERS) else n


def duration(value: str) -> str | None:
    """A TIMEX3 duration in words ("PT2H" -> "two hours", "PXH" -> "several hours",
    "P1Y6M" -> "one year and six months"); None when `value` is not a duration."""
    vague = _VAGUE_TIME.fullmatch(value)
    if vague:
        return "several hours" if vague.group(1) == "H" else "several seconds"
    m = _DURATION.fullmatch(value)
    if m is None or not any(m.groups()):
        return None
    parts = []
    for amount, (_code, one, many) in zip(m.groups(), (*_DATE_UNITS, *_TIME_UNITS),
                                          strict=True):
        if amount is not None:
            parts.append(f"{number(amount)} {one if amount == '1' else many}")
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def time_of_day(value: str | None) -> str:
    """The part of a value finer than a day: "23:00", "10:33 +05:45", "night"; "" if none."""
    if not value:
        return ""
    pod = _POD.search(value)
    if pod:
        return PARTS_OF_DAY[pod.group(1)]
    clock = _CLOCK.search(value)
    if clock is None or len(value) <= 10:
        return ""
    hh, mm, ss, zone = clock.groups()
    shown = f"{hh}:{mm or '00'}" + (f":{ss}" if ss else "")
    return shown + (" UTC" if zone == "Z" else f" {zone}" if zone else "")


def period(value: str | None) -> str:
    """The stretch of time a value names, down to the day, as a heading: "2013-03-18,
    Monday", "week 12 of 2013 (18–24 March)", "spring 2023", "March 2013", "2012"; a time of
    day is left to `time_of_day`. "undated" when there is none."""
    if not value:
        return "undated"
    if value in REFS:
        return REFS[value]
    s = intervals.span(value)
    if s is None:
        return _yearless(value) or value
    if s.is_day_or_finer:
        return f"{s.start:%Y-%m-%d}, {calendar.day_name[s.start.weekday()]}"
    shown = intervals.label(value)
    if s.unit in ("week", "weekend"):
        first, last = s.start, s.end - dt.timedelta(days=1)
        days = (f"{first.day}–{last.day} {calendar.month_name[last.month]}"
                if last.month == first.month else
                f"{first.day} {calendar.month_name[first.month]}–{last.day} "
                f"{calendar.month_name[last.month]}")
        return f"{shown} ({days})"
    if s.unit == "quarter":
        return f"{('first', 'second', 'third', 'fourth')[int(value[6]) - 1]} quarter of {value[:4]}"
    return shown


def _yearless(value: str) -> str | None:
    m = _YEARLESS.match(value)
    if m is None or not 1 <= int(m.group(1)) <= 12:
        return None
    month = calendar.month_name[int(m.group(1))]
    return (f"{int(m.group(2))} {month}" if m.group(2) else month) + " (year unknown)"


def when(value: str | None) -> str:
    """A value on one line: "2013-03-18 night", "2013-03-15 23:00", "week 12 of 2013",
    "spring 2023"; "undated" when there is none."""
    if not value:
        return "undated"
    s = intervals.span(value)
    if s is not None and s.is_day_or_finer:
        clock = time_of_day(value)
        return f"{s.start:%Y-%m-%d}" + (f" {clock}" if clock else "")
    if s is not None:
        return period(value).split(" (")[0]
    return period(value)


def value(text: str) -> str:
    """A value an event is said to have (a conflict's side): a date or a duration in words,
    a TIMEX3 modifier after it ("PT2H APPROX") read as its word; anything else as it is."""
    head, _, mod = text.partition(" ")
    if mod and mod not in MODS:
        head, mod = text, ""
    spoken = duration(head) or (when(head) if head in REFS or intervals.span(head) else None)
    if spoken is None:
        return text
    return f"{MODS[mod]} {spoken}" if mod else spoken
