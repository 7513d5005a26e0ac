"""What an expression means given its neighbours, after every rule has matched.

Four passes, each a pure function of the tagged list: `compose` joins neighbours that are one
TIMEX3, `anaphora` anchors "the following year" on the date the story last named,
`discourse` resolves "the quarter" to the quarter under discussion, and `intervals` gives two
dates that bound one period ("from 2003 to 2013") the interval they form.

Expressions that are one TIMEX3 but were matched as two neighbours:
"10 p.m. Wednesday" is one moment, "July last year" one month, "the day before March 5" one
day: each half is found by its own rule and only their juxtaposition says what they mean
together. Composing them here, after matching, keeps the rules small (no rule has to know
every way a time and a day combine) and works for every language the same way. The composed
expression keeps a structured relation that nests the parts' relations, so `reresolve` still
anchors it without re-reading the text.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from timeline.temporal import normalize as nz

if TYPE_CHECKING:
    from timeline.temporal import Timex
    from timeline.temporal.grammar import Links

# What may stand between a time and the day it belongs to. Juxtaposed ("10 p.m. Wednesday",
# "5 p.m. EST, Nov. 9") they are one expression; across a preposition or a parenthesis
# ("10:30 a.m. on Wednesday", "10:35 a.m. (0735 GMT) Friday") they stay two spans and the
# time borrows the day. The prepositions are language data (`[compose]`, see grammar.Links).
_JOINED = re.compile(r"(?:\s*,)?\s+")
# a month and the year named by a shift word: "July last year", "in January this year" (the
# words between are language data: Links.month_year)
_MONTH_YEAR_GAP = re.compile(r"(?:\s*,)?\s+(?:of\s+)?")
_YEAR_AFTER = re.compile(r",?\s+(?:of\s+)?")
_DAYLIKE = re.compile(r"[\dX]{4}-(?:[\dX]{2}-[\dX]{2}|WXX-\d)$")


def _day_relation(tx: Timex, *, pod_ok: bool = False) -> dict[str, Any] | None:
    """The relation of a day-precise date without a time of its own, else None. With
    `pod_ok`, a day with a part of day too ("Thursday night at 10 p.m.", "вчера вечером около
    22:00"): a clock time may take its day, as the hour is more precise than the part."""
    rel = tx.relation or {}
    if pod_ok and rel.get("pod") and tx.type == "TIME":
        day = tx.value.split("T")[0]
    elif tx.type != "DATE" or rel.get("pod"):
        return None
    else:
        day = tx.value
    if not _DAYLIKE.match(day):
        return None
    if rel.get("k") in ("weekday", "monthday", "date", "offset", "nth_weekday", "anaphor",
                        "day_of_month"):
        return rel
    return None


def _with_day(time: Timex, day: Timex, dct: dt.date | None, *, start: int, end: int,
              text: str, tense: str | None = None) -> Timex:
    t_rel = time.relation or {}
    rel = {"k": "datetime", "day": day.relation, "H": t_rel["H"], "M": t_rel["M"],
           "tense": tense or (day.relation or {}).get("tense")}
    if t_rel.get("Z"):
        rel["Z"] = True
    t, v = nz.resolve(rel, dct, rel["tense"])
    return time._replace(start=start, end=end, text=text[start:end], type=t, value=v,
                        relation=rel)


TenseOf = Callable[[int, int], "str | None"]


def compose(text: str, found: list[Timex], dct: dt.date | None, links: Links,
            tense_of: TenseOf | None = None) -> list[Timex]:
    """`tense_of(start, end)` reads the tense around a span: a joined expression is read as
    a whole ("will leave at 4 a.m. EDT Thursday"), not from its last half."""
    out: list[Timex] = []
    i = 0
    while i < len(found):
        tx = found[i]
        nxt = found[i + 1] if i + 1 < len(found) else None
        rel = tx.relation or {}
        if nxt is not None and rel.get("k") == "time" and "range" not in rel:
            gap = text[tx.end:nxt.start]
            day = _day_relation(nxt, pod_ok=True)
            if day is not None and _JOINED.fullmatch(gap):
                whole = tense_of(tx.start, nxt.end) if tense_of else None
                out.append(_with_day(tx, nxt, dct, start=tx.start, end=nxt.end, text=text,
                                     tense=whole))
                i += 2
                continue
            if day is not None and links.after.fullmatch(gap):
                out.append(_with_day(tx, nxt, dct, start=tx.start, end=tx.end, text=text))
                i += 1
                continue
        if rel.get("k") == "time" and out and _day_relation(out[-1], pod_ok=True) is not None \
                and links.before.fullmatch(text[out[-1].end:tx.start]):
            out.append(_with_day(tx, out[-1], dct, start=tx.start, end=tx.end, text=text))
            i += 1
            continue
        if nxt is not None and rel.get("k") in ("month", "monthday") \
                and (links.month_year or _MONTH_YEAR_GAP).fullmatch(text[tx.end:nxt.start]):
            n_rel = nxt.relation or {}
            if n_rel.get("k") == "offset" and n_rel.get("unit") == "Y" and not n_rel.get("ago") \
                    and not n_rel.get("in"):
                merged = {"k": "month_in_year", "m": rel["m"], "d": rel.get("d"),
                          "yshift": n_rel["n"], "tense": rel.get("tense")}
                if n_rel.get("anaphoric"):  # "January of that year": the story's year
                    merged["anaphoric"] = True
                out.append(_joined(text, tx, nxt, merged, dct))
                i += 2
                continue
        if nxt is not None and (day_of := _day_around(text, tx, nxt)) is not None:
            out.append(_joined(text, tx, nxt, day_of, dct))
            i += 2
            continue
        if nxt is not None and _pod_only(rel) and (day := _day_relation(nxt)) is not None:
            gap = text[tx.end:nxt.start]
            merged = {"k": "anaphor", "base": day, "rel": {**rel, "anaphoric": False},
                      "tense": rel.get("tense")}
            if _JOINED.fullmatch(gap):  # "утром 4 марта 2019 года": one TIME, on that day
                out.append(_joined(text, tx, nxt, merged, dct))
                i += 2
                continue
            if links.after.fullmatch(gap):  # "утром в понедельник": the day is lent
                t, v = nz.resolve(merged, dct, merged.get("tense"))
                out.append(tx._replace(type=t, value=v, relation=merged))
                i += 1
                continue
        the_year = rel.get("k") == "offset" and rel.get("unit") == "Y" and rel.get("n") == 0
        if nxt is not None and (rel.get("k") in ("month", "season") or the_year) \
                and not rel.get("y") and _YEAR_AFTER.fullmatch(text[tx.end:nxt.start]) \
                and _bare_year(nxt):
            # "January nineteen ninety-seven", "the winter of 1994", "the year two thousand"
            y = (nxt.relation or {})["y"]
            merged = {"k": "season", "s": rel["s"], "y": y, "shift": None} \
                if rel.get("k") == "season" else {"k": "date", "y": y, "m": rel.get("m"), "d": None}
            out.append(_joined(text, tx, nxt, merged, dct))
            i += 2
            continue
        out.append(tx)
        i += 1
    return out


def _pod_only(rel: dict[str, Any]) -> bool:
    """A part of day with no day of its own ("утром", "in the morning"): n = 0 on the
    reference day, which a day named right after it replaces."""
    return rel.get("k") == "offset" and rel.get("unit") == "D" and rel.get("n") == 0 \
        and bool(rel.get("pod")) and not rel.get("anaphoric")


def _joined(text: str, tx: Timex, nxt: Timex, rel: dict[str, Any], dct: dt.date | None) -> Timex:
    """One expression from two neighbours, with the relation that says what they mean together."""
    t, v = nz.resolve(rel, dct, rel.get("tense"))
    return tx._replace(end=nxt.end, text=text[tx.start:nxt.end], type=t, value=v,
                        relation=rel)


_SHORT_GAP = re.compile(r"\s+(?:\w+\s+){0,2}")  # "before", "prior to", "al", none at all


def _day_around(text: str, tx: Timex, nxt: Timex) -> dict[str, Any] | None:
    """ "The day before last Tuesday('s hearing)", "the day after March 5": one day next to a
    day the text names is itself a date, one TIMEX3. The anchor word (before, después de,
    до) was read by the offset rule, so the test is language-free: a one-day offset whose
    anchor phrase opens with the date right after it."""
    rel = tx.relation or {}
    if _day_relation(nxt) is None or not _SHORT_GAP.fullmatch(text[tx.end:nxt.start]):
        return None
    if rel.get("k") == "offset" and rel.get("anaphoric") and rel.get("unit") == "D" \
            and rel.get("n") in (-1, 1):
        # "el día anterior al 5 de marzo", "накануне 5 марта": the day leans on the date after
        # it, not on the one the story named before
        n = rel["n"]
    else:
        anchor = rel.get("anchor") or {}
        phrase = anchor.get("phrase") or ""
        opens_with_date = bool(phrase) and (phrase.startswith(nxt.text)
                                            or nxt.text.startswith(phrase))
        if tx.type != "DURATION" or rel.get("v") != "P1D" or not opens_with_date \
                or anchor.get("dir") not in ("BEFORE", "AFTER"):
            return None
        n = -1 if anchor["dir"] == "BEFORE" else 1
    step = {"k": "offset", "unit": "D", "n": n}
    return {"k": "anaphor", "base": nxt.relation, "rel": step, "tense": rel.get("tense")}


def _bare_year(tx: Timex) -> bool:
    rel = tx.relation or {}
    return rel.get("k") == "date" and bool(rel.get("y")) and not rel.get("m")


# ------------------------------------------------------------------ anaphora

ANAPHORA_REACH = 500  # characters back to the date an anaphoric expression leans on
_PRECISION = {"day": 3, "time": 3, "part-of-day": 3, "week": 2, "month": 2, "quarter": 1,
              "season": 1, "half": 1, "year": 1}
_NEEDS = {"D": 3, "W": 3, "M": 2, "Q": 2, "Y": 1}  # a weekday needs a day too
_ANCHOR_KINDS = ("date", "monthday", "month", "weekday", "offset", "datetime", "month_in_year",
                 "anaphor", "nth_weekday", "day_of_month", "narrative")


def unanchored_later(text: str, tx: Timex) -> Timex:
    """ "Three days later" with no date named before it: TimeML marks "three days" as a
    DURATION and "later" as a signal. The direction stays in the relation's anchor, so the
    extractor does not take it for how long the event lasted."""
    rel = tx.relation or {}
    if rel.get("k") == "duration":
        v = rel["v"]
    else:
        v = nz.duration_value(abs(rel["n"]), rel["unit"])
    end = tx.start + rel["later"] if isinstance(rel.get("later"), int) else tx.end
    new = {"k": "duration", "v": v, "anchor": {"dir": "AFTER", "phrase": None}}
    return tx._replace(end=end, text=text[tx.start:end], type="DURATION", value=v,
                        relation=new)


def anaphora(found: list[Timex], dct: dt.date | None, text: str) -> list[Timex]:
    """ "the following year", "the previous Friday", "that day": in a story these count from
    the last date it named, not from the day it was written. Without such a date close
    before, they stay anchored on the document's date."""
    out: list[Timex] = []
    last: Timex | None = None
    for tx in found:
        rel = tx.relation or {}
        if rel.get("anaphoric") and rel.get("k") in ("offset", "weekday", "month_in_year") \
                and last is not None and tx.start - last.end <= ANAPHORA_REACH:
            need = 3 if rel["k"] == "weekday" else 1 if rel["k"] == "month_in_year" \
                else _NEEDS.get(rel.get("unit", ""), 9)
            have = _PRECISION.get(nz.granularity(last.value) or "", 0)
            if have >= need:
                new = {"k": "anaphor", "base": last.relation, "rel": rel,
                       "tense": rel.get("tense")}
                t, v = nz.resolve(new, dct, new["tense"])
                tx = tx._replace(type=t, value=v, relation=new)
        if isinstance(rel.get("later"), int) and rel.get("k") == "offset" \
                and (tx.relation or {}).get("k") != "anaphor":
            tx = unanchored_later(text, tx)
        if tx.type in ("DATE", "TIME") and (tx.relation or {}).get("k") in _ANCHOR_KINDS \
                and re.match(r"[\dX]{4}", tx.value):  # unresolved too: reresolve must agree
            last = tx
        out.append(tx)
    return out


# ------------------------------------------------------------------ the quarter under discussion

_QUARTER = re.compile(r"(\d{4})-Q([1-4])$")


def _forecast(quarter: tuple[int, int], tense: str | None, dct: dt.date | None) -> bool:
    """A quarter still to come, or the current one in a future clause: it is not the quarter
    a results story reports on ("will take a charge in the fourth quarter")."""
    if dct is None:
        return False
    now = (dct.year, (dct.month + 2) // 3)
    return quarter > now or (quarter == now and tense == "future")


def discourse(found: list[Timex], dct: dt.date | None, reach: int = 600) -> list[Timex]:
    """Expressions that lean on the one before: "the quarter" is the quarter under
    discussion, and "a year earlier" next to it is that quarter a year before."""
    last: tuple[int, str] | None = None
    out = []
    for tx in found:
        rel = tx.relation or {}
        near = last is not None and tx.start - last[0] <= reach
        if rel.get("k") == "quarter_ref" and last is not None:
            rel = {**rel, "context": last[1]}
            tx = tx._replace(relation=rel, value=nz.resolve(rel, dct, rel.get("tense"))[1])
        elif near and rel.get("k") == "offset" and rel.get("unit") == "Y" and rel.get("n") == -1 \
                and rel.get("ago"):
            assert last is not None
            y, q = last[1].split("-Q")
            rel = {**rel, "k": "quarter_ref", "context": last[1], "yshift": -1}
            tx = tx._replace(relation=rel, value=f"{int(y) - 1:04d}-Q{q}")
        if (q := _QUARTER.match(tx.value)) and rel.get("k") == "quarter" \
                and not _forecast((int(q[1]), int(q[2])), rel.get("tense"), dct):
            last = (tx.end, tx.value)
        out.append(tx)
    return out


# ------------------------------------------------------------------ periods between two dates

_SHAPE = re.compile(r"\d")


def _year_from_end(a: Timex, b: Timex) -> Timex:
    """ "с 16 апреля по 19 мая 2019 года", "from April 16 to May 19, 2019": the year written
    once, at the end, is the first date's too (the year before, if its day comes later)."""
    ra, rb = a.relation or {}, b.relation or {}
    if ra.get("k") == "narrative":  # the year the range writes beats the story's year
        ra = ra["rel"]
    if ra.get("k") != "monthday" or rb.get("k") != "date" or not (rb.get("y") and rb.get("d")):
        return a
    y = rb["y"] if (ra["m"], ra["d"]) <= (rb["m"], rb["d"]) else rb["y"] - 1
    rel = {"k": "date", "y": y, "m": ra["m"], "d": ra["d"], "tense": ra.get("tense")}
    t, v = nz.resolve(rel, None)
    return a._replace(type=t, value=v, relation=rel)


def intervals(text: str, found: list[Timex], links: Links) -> list[Timex]:
    """ "from 2003 to 2013", "between March and May", "с 2003 по 2013 год": two dates of the
    same precision, joined by the language's range words, bound one period. TimeML keeps
    them two spans; each also carries the interval (begin, end_value), as the range rules'
    "September 10 to 13" does. Dates in the wrong order are no period ("from Friday to
    Monday" as resolved may run backwards): they are left alone rather than guessed."""
    out = list(found)
    for i in range(len(out) - 1):
        a, b = out[i], out[i + 1]
        if a.begin or b.begin or a.type not in ("DATE", "TIME") or b.type != a.type:
            continue
        gap = text[a.end:b.start]
        before = text[max(0, a.start - 24):a.start]
        if not any(join.fullmatch(gap) and (opener is None or opener.search(before))
                   for opener, join in links.ranges):
            continue
        if links.moved is not None and links.moved.search(text, max(0, a.start - 40), a.start):
            continue
        a = _year_from_end(a, b)
        if _SHAPE.sub("9", a.value) != _SHAPE.sub("9", b.value) \
                or (a.value[:1].isdigit() and a.value >= b.value):
            continue
        ra, rb = a.relation or {}, b.relation or {}
        parts = [ra, rb]  # each with its own tense: reresolve reads them so
        out[i] = a._replace(begin=a.value, end_value=b.value,
                              relation={**ra, "range": parts})
        out[i + 1] = b._replace(begin=a.value, end_value=b.value,
                                  relation={**rb, "range": parts})
    return out
