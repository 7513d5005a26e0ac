"""dateparser for the languages we have no resource file for.

Our own rules own English, Spanish and Russian. For anything else dateparser's many locales
are the better tool, with two guards: it never sees the wall clock (the reference date, or a
fixed sentinel, is passed in), and without a reference date only expressions that carry
their own year are kept, since anything relative would be anchored on the sentinel.
"""

from __future__ import annotations

import datetime as dt
import re

from timeline.temporal import Timex

_SENTINEL = dt.datetime(1900, 1, 1)
_HAS_YEAR = re.compile(r"\b(1[5-9]\d\d|20\d\d)\b")


def tag_fallback(text: str, dct: dt.date | None) -> list[Timex]:
    from dateparser.search import search_dates

    base = dt.datetime(dct.year, dct.month, dct.day) if dct else _SENTINEL
    try:
        found = search_dates(text, settings={
            "RELATIVE_BASE": base, "PREFER_DATES_FROM": "past",
            "RETURN_AS_TIMEZONE_AWARE": False}) or []
    except Exception:  # dateparser raises assorted errors on odd input; fall back to nothing
        return []
    out: list[Timex] = []
    pos = 0
    for surface, when in found:
        start = text.find(surface, pos)
        if start < 0 or len(surface.strip()) < 3:
            continue
        end = start + len(surface)
        pos = end
        if dct is None and not _HAS_YEAR.search(surface):
            continue
        if not 1000 <= when.year <= 2999:
            continue
        value = when.date().isoformat()
        out.append(Timex(start, end, surface, "DATE", value,
                         relation={"k": "fallback", "v": value}))
    return out
