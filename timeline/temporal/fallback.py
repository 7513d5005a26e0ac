"""dateparser for the languages we have no resource file for.

Our own rules own English, Spanish and Russian. For anything else dateparser's many locales
are the better tool, with two guards: it never sees the wall clock (the reference date, or a
fixed sentinel, is passed in), and without a reference date only expressions that carry
their own year are kept, since anything relative would be anchored on the sentinel.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from typing import Any

from timeline.temporal import Timex

_SENTINEL = dt.datetime(1900, 1, 1)
_HAS_YEAR = re.compile(r"\b(1[5-9]\d\d|20\d\d)\b")
# dateparser's search slows down more than linearly with text length: it sees the text in
# pieces of at most CHUNK characters, and no more than LIMIT characters of a document.
CHUNK, LIMIT = 2000, 20_000


def _chunks(text: str) -> list[tuple[int, str]]:
    out = []
    pos = 0
    while pos < min(len(text), LIMIT):
        end = min(len(text), pos + CHUNK)
        if end < len(text):
            cut = max(text.rfind("\n", pos, end), text.rfind(". ", pos, end))
            if cut <= pos:
                cut = text.rfind(" ", pos, end)
            end = cut + 1 if cut > pos else end
        out.append((pos, text[pos:end]))
        pos = end
    return out


def tag_fallback(text: str, dct: dt.date | None) -> list[Timex]:
    from timeline import lexicon
    from timeline.temporal import tag

    language = _language(text)
    if language is None:
        return []
    if language in lexicon.languages():  # dateparser recognises one of ours: we own it
        return tag(text, dct, language)
    out: list[Timex] = []
    for offset, chunk in _chunks(text):
        out += _tag_chunk(chunk, dct, offset, language)
    return out


@functools.cache
def prepare() -> None:
    """Load dateparser's locale data, seconds of work once per process. The CLI calls this
    outside a document's time budget: the budget is for the document's own work, and the
    first undetermined document of a run must not be skipped as too slow for paying it."""
    _language("prepare")


def _language(text: str) -> str | None:
    """dateparser's guess, made once per document on its beginning: guessing on every
    piece is what makes its search slow."""
    from dateparser.search.search import DateSearchWithDetection

    try:
        return DateSearchWithDetection().detect_language(text[:400], None)
    except Exception:  # odd input: no guess
        return None


@functools.lru_cache(maxsize=32)
def _parser(language: str, base: dt.datetime) -> Any:
    """One parser per language and reference date: building one loads the locale."""
    from dateparser.date import DateDataParser

    return DateDataParser(languages=[language], settings={
        "RELATIVE_BASE": base, "PREFER_DATES_FROM": "past", "RETURN_AS_TIMEZONE_AWARE": False})


def _value(surface: str, when: dt.datetime, language: str, base: dt.datetime) -> str:
    """The value at the precision the text gives: search_dates fills a missing day or month
    from the reference date ("mars 2020" came back as 2020-03-08); its parser says which
    parts were there."""
    try:
        period = _parser(language, base).get_date_data(surface).period
    except Exception:  # no second opinion: keep the day
        period = "day"
    if period == "year":
        return f"{when.year:04d}"
    if period == "month":
        return f"{when.year:04d}-{when.month:02d}"
    if period == "week":
        year, week, _ = when.isocalendar()
        return f"{year:04d}-W{week:02d}"
    return when.date().isoformat()


def _tag_chunk(text: str, dct: dt.date | None, offset: int, language: str) -> list[Timex]:
    from dateparser.search import search_dates

    base = dt.datetime(dct.year, dct.month, dct.day) if dct else _SENTINEL
    try:
        found = search_dates(text, languages=[language], settings={
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
        digits = any(c.isdigit() for c in surface)
        if not digits and (when.hour, when.minute) != (0, 0):
            continue  # "deux heures", "дві години": a stretch of time read as "that long ago"
        if not digits and (base - when).days == 7 and when.weekday() == base.weekday():
            when = base  # "у суботу" on a Saturday: news names the day itself, not last week's
        value = _value(surface, when, language, base)
        out.append(Timex(offset + start, offset + end, surface, "DATE", value,
                         relation={"k": "fallback", "v": value}))
    return out
