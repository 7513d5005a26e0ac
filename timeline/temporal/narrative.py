"""Narrative time: the reference time a story moves through, beside the creation time.

A history or a long feature moves its own time: "In August 1914 Germany declared war ... On 7
August the first troops landed" is 1914-08-07, not the 7 August of the year the page was
written. News keeps to its creation time: "said on 12 February" after "founded in 1998" is
this February. `narrate` walks the tagged expressions in text order and keeps the reference
time: the last date the text named with its year (or that it resolved on such a date).
Each underspecified expression after it ("7 August", "in March", "on Monday", "the following
day", "that year") gets a `narrative` relation holding the reference date (flat, as a date
relation) and its own relation; `normalize.resolve` then decides from the creation time:

- no creation time (a history): the reference alone;
- the reference period ended more than a year before the creation time and the clause is not
  in the present or future tense: the reference ("in March" of a past-tense paragraph on
  1914);
- else the creation time, as before.

The evidence that does not depend on the creation time is read here: a deictic word
("yesterday", "last week", "two days ago") brings the text back to the creation time (the
reference is dropped), and a year in an appositive (", founded in 1998,") is background, not
the story's time. Because the distance test lives in `resolve`, `reresolve` on another
creation time decides again, as `tag` with that date would. `mode` forces it: "news" never
narrates (every underspecified expression on the creation time, the behaviour before), and
"narrative" always resolves on the reference when there is one ("forced" in the relation).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING, Any

from timeline.temporal import normalize as nz
from timeline.temporal.compose import _ANCHOR_KINDS, _PRECISION
from timeline.temporal.normalize import ymd
from timeline.temporal.values import day_exists

if TYPE_CHECKING:
    from collections.abc import Callable

    from timeline.temporal import Timex

    Cues = Callable[[int, int], list[tuple[int, int, str]]]

MODES = ("auto", "news", "narrative")
FAR = dt.timedelta(days=365)  # how long before the creation time a story has moved away
# how many more story dates than words counted from now make a text a story (tuned on
# TempEval-3 train: at 2, a news biography's "in December" went to the year of its last date)
STORY_RATIO = 3
REACH = 500  # an anaphoric expression with a date this close leans on it (compose.anaphora)
_VALUE = re.compile(r"(\d{4})(?:-(\d\d)(?:-(\d\d))?)?(?!\d|-W)")  # a week is no reference
# kinds whose value holds a year only if the text gave it (k == "date" always does)
_WITH_YEAR = ("season", "quarter", "half", "nth_weekday", "easter")
_DERIVED = ("datetime", "anaphor", "week_of", "month_in_year")
# the precision (1 year, 2 month, 3 day) each underspecified kind needs of the reference
_ANAPHORIC_KINDS = ("offset", "weekday", "month_in_year", "month", "monthday", "season")
_NEED_UNIT = {"D": 3, "W": 3, "M": 2, "Q": 1, "Y": 1}


def flat(value: str) -> dict[str, Any] | None:
    """The date relation of a resolved value ("1914-08" -> y 1914, m 8), or None."""
    m = _VALUE.match(value)
    if not m:
        return None
    y, mo, d = int(m[1]), int(m[2]) if m[2] else None, int(m[3]) if m[3] else None
    if mo is not None and not 1 <= mo <= 12:
        return None
    return {"k": "date", "y": y, "m": mo, "d": d}


def precision(base: dict[str, Any]) -> int:
    return 3 if base.get("d") else 2 if base.get("m") else 1


def period(base: dict[str, Any]) -> tuple[dt.date, dt.date]:
    """The first and the last day of the reference period."""
    y, m, d = base["y"], base.get("m"), base.get("d")
    if d and m:
        try:
            day = dt.date(y, m, d)
            return day, day
        except ValueError:
            pass
    if m:
        first = dt.date(y, m, 1)
        nxt = dt.date(y + m // 12, m % 12 + 1, 1)
        return first, nxt - dt.timedelta(days=1)
    return dt.date(y, 1, 1), dt.date(y, 12, 31)


def moved_away(rel: dict[str, Any], dct: dt.date | None, tense: str | None) -> bool:
    """Whether a narrative relation resolves on its reference rather than on `dct`."""
    if dct is None or rel.get("forced"):
        return True
    if rel.get("weak") or tense in ("present", "future"):
        return False
    try:
        return period(rel["base"])[1] < dct - FAR
    except (ValueError, OverflowError, KeyError, TypeError):
        return False


def _explicit(tx: Timex) -> dict[str, Any] | None:
    """The flat reference an expression sets: a date the text gave its year."""
    rel = tx.relation or {}
    k = rel.get("k")
    if tx.type not in ("DATE", "TIME"):
        return None
    if k == "date" or (k in _WITH_YEAR and rel.get("y")):
        return flat(tx.value)
    if k == "narrative" or k in _DERIVED:
        # fixed by the text (or by the story's reference) if it resolves without a date
        return flat(nz.resolve(rel, None, rel.get("tense"))[1])
    return None


def _deictic(rel: dict[str, Any]) -> bool:
    """ "yesterday", "last week", "two days ago", "this year", "last Monday": counted from
    the creation time. A bare weekday is news's own way of naming a day too."""
    k = rel.get("k")
    if rel.get("anaphoric") or rel.get("anchor"):
        return False
    if k == "offset":
        return rel.get("later") is None
    return k in ("weekday", "weekend") or (k in ("month", "monthday", "season")
                                           and rel.get("shift") is not None)


def _need(rel: dict[str, Any]) -> int | None:
    """How precise the reference must be for this expression to lean on it, or None when it
    does not lean on a reference at all (it names its own year, or counts from now)."""
    k = rel.get("k")
    if k in ("monthday", "month"):
        return 1 if rel.get("shift") is None or rel.get("anaphoric") else None
    if k == "weekday":
        return 3 if rel.get("shift") is None or rel.get("anaphoric") else None
    if k == "season":
        return 1 if not rel.get("y") and (rel.get("shift") is None or rel.get("anaphoric")) \
            else None
    if k in ("nth_weekday", "easter"):
        return None if rel.get("y") else 1
    if k == "day_of_month":
        return 2
    if k == "month_in_year":
        return 1 if rel.get("anaphoric") else None
    if k == "datetime":  # "1 авг в 13.00": the clock time on a day that leans on the story
        return _need(rel.get("day") or {})
    if k == "offset" and rel.get("anaphoric"):
        return _NEED_UNIT.get(rel.get("unit", ""))
    return None


def _appositive(text: str, tx: Timex, cues: Cues | None) -> bool:
    """ "The company, founded in 1998 by two engineers, said on 12 February": a year in a
    stretch set off by commas between a subject and its verb (a tense cue right after the
    closing comma), or in parentheses, is background the sentence mentions, not the time it
    moves to."""
    lo = max(0, tx.start - 200)
    before = text[lo:tx.start]
    clause = before[max(before.rfind(". "), before.rfind("\n")) + 1:]
    after = text[tx.end:tx.end + 80]
    close = re.match(r"[^,.;:!?()\n]*([,)])\s*", after)
    if close is None:
        return False
    if close[1] == ")":
        return "(" in clause
    if "," not in clause or cues is None:
        return False
    at = tx.end + close.end()
    return any(s == at for s, _, _ in cues(at, at + 1))


def narrate(found: list[Timex], dct: dt.date | None, text: str, mode: str = "auto",
            cues: Cues | None = None) -> list[Timex]:
    """The expressions with the underspecified ones tied to the story's reference time.
    `cues(start, end)` gives the tense cues starting there (tense.TenseIndex.cues)."""
    if mode == "news":
        return found
    forced = mode == "narrative"
    # the register so far: a text that has named more than STORY_RATIO times as many story
    # dates as words counted from now ("yesterday", "on Tuesday", "last week") lives away
    # from its creation time
    strong = deictic = 0
    ref: dict[str, Any] | None = None
    ref_strong = False  # a date the story moved to, not one it mentioned (_strong)
    last: Timex | None = None  # the last date-like expression: anaphora's antecedent
    out: list[Timex] = []
    for tx in found:
        rel = tx.relation or {}
        need = _need(rel)
        if rel.get("anaphoric") and rel.get("k") in _ANAPHORIC_KINDS \
                and last is not None and tx.start - last.end <= REACH \
                and _PRECISION.get(nz.granularity(last.value) or "", 0) >= (need or 9):
            # a date is close before: anchored there, as compose.anaphora would
            new = {"k": "anaphor", "base": last.relation, "rel": rel, "tense": rel.get("tense")}
            t, v = nz.resolve(new, dct, new["tense"])
            tx = tx._replace(type=t, value=v, relation=new)
        elif need is not None and ref is not None and precision(ref) >= need \
                and tx.type in ("DATE", "TIME"):
            new = {"k": "narrative", "base": ref, "rel": rel, "tense": rel.get("tense")}
            if forced:
                new["forced"] = True
            elif not (ref_strong and strong > STORY_RATIO * deictic):
                new["weak"] = True  # the reference holds only without a creation time
            t, v = nz.resolve(new, dct, new["tense"])
            tx = tx._replace(type=t, value=v, relation=new)
        elif not forced and _deictic(rel):
            ref = None  # the text is back at its creation time
            deictic += 1
        base = _explicit(tx)
        if base is not None and not forced and _dateline(text, tx):
            ref = None  # the document's own date, written in its text: a creation time
        elif base is not None and (forced or not _appositive(text, tx, cues)):
            told = (tx.relation or {}).get("k") == "narrative"
            own = not told and _strong(text, tx, base)
            derived = (tx.relation or {}).get("k") in _DERIVED and ref is not None
            # a date the story's time gave is as strong as the reference it leaned on
            ref_strong = not (tx.relation or {}).get("weak") if told \
                else own or (derived and ref_strong)
            ref = base
            strong += own
        elif ref is not None and (moved := _weeks_on(tx, ref)) is not None:
            ref = moved
        if tx.type in ("DATE", "TIME") and (tx.relation or {}).get("k") in _ANCHOR_KINDS \
                and re.match(r"[\dX]{4}", tx.value):
            last = tx
        out.append(tx)
    return out


_LINE = 60  # the most a dateline holds besides its date
_CITY = re.compile(r"[A-ZА-ЯЁ][A-ZА-ЯЁ .'-]{2,40},\s*$")


def _dateline(text: str, tx: Timex) -> bool:
    """ "date 2023-01-16" on a line of its own, "NICOSIA, March 20 —": the date a report was
    written, which the pipeline takes for its creation time (dating.py), not a time the
    story moves to."""
    if (tx.relation or {}).get("k") != "date" or not (tx.relation or {}).get("d"):
        return False
    # a dateline is a short line: look no further than that (a 1 MB line stays linear)
    lo = text.rfind("\n", max(0, tx.start - _LINE), tx.start)
    hi = text.find("\n", tx.end, tx.end + _LINE)
    if (lo < 0 and tx.start > _LINE) or (hi < 0 and len(text) - tx.end > _LINE):
        return False
    before, after = text[lo + 1:tx.start], text[tx.end:hi if hi >= 0 else len(text)]
    return len((before + " " + after).split()) <= 3 or _CITY.match(before) is not None


_OPENS = re.compile(r"(?:^|[.!?]\s+|\n)\s*(?:[^\W\d_]+\s+)?$")


def _strong(text: str, tx: Timex, base: dict[str, Any]) -> bool:
    """A reference a story moves to: a month or a day with its year ("In August 1914", "on
    7 November 1867"), or a year that opens its sentence ("In 1891 she moved to Paris").
    A year further in ("dating to 1994", "until 1974") is mentioned, not moved to."""
    return precision(base) >= 2 or _OPENS.search(text, max(0, tx.start - 40), tx.start) \
        is not None


def _weeks_on(tx: Timex, ref: dict[str, Any]) -> dict[str, Any] | None:
    """ "On 7 August ... two weeks later ... the following day": weeks counted from the
    reference day move it by whole weeks (the week value alone would lose the day)."""
    rel = tx.relation or {}
    step = rel.get("rel") if rel.get("k") in ("narrative", "anaphor") else None
    if not step or step.get("k") != "offset" or step.get("unit") != "W" \
            or not isinstance(step.get("n"), int) or precision(ref) < 3:
        return None
    if rel["k"] == "anaphor" and flat(nz.resolve(rel["base"], None)[1]) != ref:
        return None  # counted from another date than the reference
    day = period(ref)[0] + dt.timedelta(weeks=step["n"])
    return {"k": "date", "y": day.year, "m": day.month, "d": day.day}


def on_reference(rel: dict[str, Any], base: dict[str, Any], tense: str | None
                 ) -> tuple[str, str] | None:
    """(type, value) of an underspecified expression in the reference's time: a year-less
    date takes the reference's year, a weekday the first such day from the reference on, a
    clock time the reference's day; None for the rest, which counts from the reference's first
    day as from a creation time (resolve does that)."""
    k = rel["k"]
    y = base["y"]
    first = period(base)[0]
    if k in ("monthday", "month") and rel.get("shift") is None:
        m, d = rel["m"], rel.get("d")
        if base.get("m") and base["m"] - m > 6:
            y += 1  # "in December 1808 ... in January": a story moves on, to the nearest one
        if d and not day_exists(y, m, d):
            d = None
        return "DATE", ymd(y, m, d)
    if k == "weekday" and rel.get("shift") is None:
        day = first + dt.timedelta(days=(rel["wd"] - first.isoweekday()) % 7)
        pod = rel.get("pod")
        return ("TIME", f"{day.isoformat()}T{pod}") if pod else ("DATE", day.isoformat())
    if k == "season":
        return "DATE", f"{y:04d}-{rel['s']}"
    if k in ("nth_weekday", "easter"):
        return nz.resolve({**rel, "y": y}, None, tense)
    if k == "day_of_month":
        d = rel["d"]
        m = base.get("m") or 1
        return "DATE", ymd(y, m, d if day_exists(y, m, d) else None)
    if k == "time":
        return "TIME", f"{first.isoformat()}T{rel['H']:02d}:{rel['M']:02d}" \
            + ("Z" if rel.get("Z") else "")
    if k == "datetime":  # the day in the story's time, then the clock on it
        day = on_reference(rel["day"], base, tense)
        on_day = flat(day[1]) if day is not None and day[0] == "DATE" else None
        return nz.resolve({**rel, "day": on_day}, None, tense) if on_day else None
    return None
