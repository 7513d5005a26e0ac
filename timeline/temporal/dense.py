"""Degraded mode for stretches of text that cannot be prose.

A window (see `windows` in this package) is a stretch where the words expressions hang on
(digits, months, units, ...) are never far apart. In news, gold sets and fixtures the longest
is under 900 characters; a 1 MB line of dates, digits or numbers is one window of 1 MB, where
every rule tries every word start and each of ~50,000 matches pays for tense, relation cues,
composition and narrative reference time: 9 s of CPU for text nobody reads as sentences.
So a window longer than MAX_WINDOW is cut into chunks of at most CHUNK characters (at a
space); a chunk denser in core characters than DENSE (the densest window of ordinary text
has 0.26, such lines 0.45 to 0.8) is tagged in degraded mode, the others as usual. Adjacent
degraded chunks are one stretch, so no date is cut at their edge.

Degraded mode keeps only what needs no context: fully specified calendar dates ("2023-09-13",
"14 September 2023", "September 14, 2023", "14 de septiembre de 2023", "14 сентября 2023"),
whose value is the same whatever the creation time, tense or story. Everything else in such a
chunk (times, weekdays, bare numbers and years, durations, "May 2") is not reported, and the
degraded dates neither move nor take the narrative reference time. Each carries relation
{"k": "fixed", "v": value, "t": "DATE", "dense": True}, so `reresolve` keeps its value.
"""

from __future__ import annotations

import calendar
import functools
import re

from timeline import lexicon

MAX_WINDOW = 4000  # characters; ~5 times the longest window of ordinary text
CHUNK = 1000  # characters a degraded-mode decision covers
DENSE = 0.3  # core characters (digits count one each) per character of the chunk


def split(core: re.Pattern[str], low: str,
          spans: list[tuple[int, int]]) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """(windows to scan with the rules, chunks for degraded mode). Windows up to MAX_WINDOW
    characters, all of ordinary text, come back untouched."""
    normal: list[tuple[int, int]] = []
    dense: list[tuple[int, int]] = []
    for ws, we in spans:
        if we - ws <= MAX_WINDOW:
            normal.append((ws, we))
            continue
        s = ws
        while s < we:
            e = min(we, s + CHUNK)
            if e < we:  # cut at a space where there is one: no word is split
                cut = low.rfind(" ", s + CHUNK // 2, e)
                e = cut + 1 if cut > s else e
            hits = len(core.findall(low, s, e))
            if hits <= DENSE * (e - s):
                normal.append((s, e))
            elif dense and dense[-1][1] == s:  # one stretch: no date is cut at a chunk edge
                dense[-1] = (dense[-1][0], e)
            else:
                dense.append((s, e))
            s = e
    return normal, dense


@functools.cache
def _pattern(lang: str) -> re.Pattern[str]:
    # a trie: Python's re tries an alternation's branches one by one at every position
    month = rf"(?:{lexicon.alternation(lexicon.forms(lang, 'month'))})(?!\w)\.?"
    day = r"(?:0?[1-9]|[12]\d|3[01])"
    year = r"(?:1\d{3}|2\d{3})"
    edge = r"(?<![\w/.,:+-])"
    return re.compile(
        rf"{edge}(?P<iy>{year})-(?P<im>0[1-9]|1[0-2])-(?P<id>0[1-9]|[12]\d|3[01])(?![\w/:-])"
        rf"|{edge}(?P<dd>{day})(?:\.|-?(?:st|nd|rd|th))?\s+(?:de\s+)?(?P<dm>{month})"
        rf"\s+(?:de\s+|of\s+)?(?P<dy>{year})(?![\w/:-])"
        rf"|{edge}(?P<mm>{month})\s+(?P<md>{day})(?:st|nd|rd|th)?,?\s+(?P<my>{year})(?![\w/:-])")


def dense_dates(lang: str, low: str,
                chunks: list[tuple[int, int]]) -> list[tuple[int, int, str]]:
    """(start, end, TIMEX3 value) of each fully specified date in the chunks, in text order;
    impossible dates (31 February) are left out."""
    pattern = _pattern(lang)
    months = lexicon.forms(lang, "month")
    out = []
    for s, e in chunks:
        for m in pattern.finditer(low, s, e):
            if m.group("iy"):
                y, mo, d = int(m.group("iy")), int(m.group("im")), int(m.group("id"))
            elif m.group("dy"):
                y, mo, d = int(m.group("dy")), _month(months, m.group("dm")), int(m.group("dd"))
            else:
                y, mo, d = int(m.group("my")), _month(months, m.group("mm")), int(m.group("md"))
            if d <= calendar.monthrange(y, mo)[1]:
                out.append((m.start(), m.end(), f"{y:04d}-{mo:02d}-{d:02d}"))
    return out


def _month(months: dict[str, int], word: str) -> int:
    """"sept." is a form of its own; "mar." may be written for "mar" """
    return months.get(word) or months[word.rstrip(".")]
