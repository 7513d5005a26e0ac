"""Informal English (tweets, chat): a clock range and the lower-case names of days and months.

"open 9-5", "8-11pm", "9am-5pm": two clock times joined by a dash are a range of hours, not a
date (a day and a month) and not a score. Its ends say am or pm at most once, so the range
says it: the second end earlier on the clock than the first is in the afternoon ("9-5"), and
a first end no later than an afternoon second end is in the afternoon too ("8-11pm").

Tweets write "see you monday", "on march 3", "dec 24 2023": lower-case names that news
capitalizes. A lower-case month is a date only with a day number or a year in the match, or
after a preposition when the word is no verb ("in june", not "in may"; "in march", since the
month entry lists "in" among the words after which "march" is no verb); a lower-case day name
in full ("monday") is a day, an abbreviation ("wed", "sat") only after a preposition, next to a
clock time, a part of day, or another day ("mon-fri").
"""

from __future__ import annotations

import functools
import re
from typing import Any

from timeline import lexicon

Rel = dict[str, Any]


def _clock(h: str, mi: str | None, ampm: str | None) -> tuple[int, int, str | None]:
    return int(h), int(mi or 0), (ampm or "").replace(".", "").lower() or None


def _hour(h: int, ampm: str | None) -> int:
    if ampm == "pm" and h < 12:
        return h + 12
    if ampm == "am" and h == 12:
        return 0
    return h


def clock_range(lang: str, g: dict[str, str | None], spec: dict[str, Any]) -> Rel:
    """The two ends of "9-5", "8-11pm", "9am-5pm" as TIMEs of one range."""
    h1, m1, a1 = _clock(g["hh"] or "0", g.get("mi"), g.get("ampm"))
    # the second end's groups have names of their own: relation() fills "mi" from a "mi2"
    h2, m2, a2 = _clock(g["eh"] or "0", g.get("emi"), g.get("eampm"))
    if a2 is None and a1 is None and (h2, m2) < (h1, m1):
        a2 = "pm"  # "9-5": the working day
    if a1 is None and a2 == "pm" and (h1 % 12, m1) <= (h2 % 12, m2):
        a1 = "pm"  # "8-11pm"
    first = {"k": "time", "H": _hour(h1, a1), "M": m1}
    second = {"k": "time", "H": _hour(h2, a2), "M": m2}
    return {"k": "range", "parts": [first, second]}


@functools.cache
def _names(lang: str) -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """(full day names, abbreviations that are also words, prepositions before a day)."""
    res = lexicon.temporal(lang)
    full = frozenset(e["forms"][0].lower() for e in res.get("weekday", []))
    ambiguous = frozenset(f.lower() for e in res.get("weekday", [])
                          for f in e.get("ambiguous_forms", []))
    before = frozenset(w.lower() for w in res.get("weekday_prepositions", []))
    return full, ambiguous, before


@functools.cache
def _month_after(lang: str) -> dict[str, frozenset[str]]:
    """An ambiguous month's form -> the words after which, lower case, it is the month
    (`lowercase_after` of its entry: "in march", never "to march")."""
    out: dict[str, frozenset[str]] = {}
    for e in lexicon.temporal(lang).get("month", []):
        after = frozenset(w.lower() for w in e.get("lowercase_after", []))
        for f in e["forms"] if after else ():
            out[f.lower()] = after
    return out


@functools.cache
def enabled(lang: str) -> bool:
    """Whether the language reads lower-case names informally (`lowercase_names`)."""
    return bool(lexicon.temporal(lang).get("lowercase_names"))


_AFTER_DAY = re.compile(r"\s*(?:[-–]\s*[a-z]{3}|\d|(?:morning|afternoon|evening|night|arvo)\b)",
                        re.IGNORECASE)
_PREVIOUS = re.compile(r"([\w'’]+)[\s,]*$")


def lowercase_ok(lang: str, name: str, word: str, m: re.Match[str], text: str,
                 prepositions: frozenset[str], ambiguous_months: frozenset[str]) -> bool:
    """Whether a lower-case month or day name (`word`, matched by `m`) is a date."""
    prev = _PREVIOUS.search(text, max(0, m.start() - 30), m.start())
    before = prev.group(1).lower() if prev else ""
    if name == "month":
        return bool(re.search(r"\d", m.group(0))) or (
            before in prepositions and len(word) > 3
            and (word.lower() not in ambiguous_months
                 or before in _month_after(lang).get(word.lower(), ())))
    full, _, day_before = _names(lang)
    if word.lower() in full:
        return True
    return before in day_before or m.group(0).lower() != word.lower() \
        or _AFTER_DAY.match(text, m.end()) is not None \
        or text[max(0, m.start() - 1):m.start()] in ("-", "–")


def ambiguous_day(lang: str, word: str, m: re.Match[str], text: str) -> bool:
    """ "Wed", "Sat" that may be words ("we wed", "sat down"): a day only in a day's context,
    whatever its case."""
    _, ambiguous, day_before = _names(lang)
    if word.lower().rstrip(".") not in ambiguous or word.endswith("."):
        return False
    prev = _PREVIOUS.search(text, max(0, m.start() - 30), m.start())
    before = prev.group(1).lower() if prev else ""
    context = before in day_before or m.group(0).lower() != word.lower() \
        or _AFTER_DAY.match(text, m.end()) is not None
    return not context
