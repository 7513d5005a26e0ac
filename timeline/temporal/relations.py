"""From a matched rule to a structured relation: words in, a small JSON-able dict out.

`relation()` turns the words into a relation ("3 days before the reference", "the Wednesday
in the direction of the tense") that does not depend on any date; `normalize.resolve()`
anchors it. Keeping the two apart is what lets a document whose date is found later be
re-resolved without re-reading its text.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import Any

from timeline import lexicon
from timeline.temporal.compound import compound_value
from timeline.temporal.informal import clock_range

Rel = dict[str, Any]
TIME_UNITS = {"H", "MIN", "S"}


# ------------------------------------------------------------------ helpers on matched words


def _key(text: str) -> str:
    return " ".join(text.lower().split())


def lookup(lang: str, cls: str, text: str | None) -> Any:
    if not text:
        return None
    return lexicon.forms(lang, cls).get(_key(text))


def number(lang: str, text: str | None) -> int | float | str | None:
    """Digits, number words and compounds ("twenty-five"); "X" for vague amounts."""
    if text is None:
        return None
    t = _key(text)
    v = lexicon.forms(lang, "num").get(t)
    if v is not None:
        return v
    if re.fullmatch(r"\d+", t):
        return int(t)
    half = re.fullmatch(r"(\d+)(?:\s1/2|½)", t)
    if half:
        return int(half.group(1)) + 0.5
    if re.fullmatch(r"\d+[.,]\d+", t):
        f = float(t.replace(",", "."))
        return int(f) if f.is_integer() else f
    parts = re.split(r"[- ]", t)
    vals = [lexicon.forms(lang, "num").get(p) for p in parts]
    if vals and all(isinstance(x, int) for x in vals):
        return sum(vals)  # type: ignore[arg-type]
    return "X"


def year_of(g: dict[str, str | None]) -> int | None:
    if g.get("year"):
        return int(g["year"])  # type: ignore[arg-type]
    if g.get("yy"):
        yy = int(g["yy"])  # type: ignore[arg-type]
        return 1900 + yy if yy >= 30 else 2000 + yy
    return None


# ------------------------------------------------------------------ relations per norm


def _date(lang: str, g: dict[str, str | None], spec: dict[str, Any]) -> Rel:
    y = year_of(g)
    m = lookup(lang, "month", g.get("month")) or (int(g["mm"]) if g.get("mm") else None)
    d = int(g["day"]) if g.get("day") else (int(g["dd"]) if g.get("dd") else None)
    if d is None and g.get("dnum"):  # "el siete de noviembre": the rule's own `day_words`
        d = spec.get("day_words", {}).get(_key(g["dnum"]))  # type: ignore[arg-type]
    if y is None and m is None and d is not None:
        return {"k": "day_of_month", "d": d}  # "el día 12"
    rel: Rel = {"k": "date", "y": y, "m": m, "d": d}
    if g.get("hh"):
        rel.update(H=int(g["hh"]), M=int(g.get("mi") or 0))  # type: ignore[arg-type]
    if y is None and m is not None:
        rel = {"k": "monthday" if d else "month", "m": m, "d": d}
        shift = lookup(lang, "shift", g.get("shift"))
        if shift is not None:
            rel["shift"] = shift
    return rel


def _range(lang: str, g: dict[str, str | None], spec: dict[str, Any]) -> Rel:
    """ "10 to 13 September 2023", "del 16 de abril al 19 de mayo de 2019": the month and
    year written once belong to both ends; a first date later in the year than the second
    lies in the year before ("del 20 de diciembre al 6 de enero de 2019")."""
    if g.get("month2"):
        first = _date(lang, {**g, "year": None, "yy": None}, spec)
        second = _date(lang, {**g, "day": g["day2"], "month": g["month2"]}, spec)
        y = second.get("y")
        if y and first.get("m") and first.get("d"):
            before = (first["m"], first["d"]) <= (second["m"], second["d"])
            first = {"k": "date", "y": y if before else y - 1, "m": first["m"], "d": first["d"]}
        return {"k": "range", "parts": [first, second]}
    first = _date(lang, {**g, "day": g["day"]}, spec)
    second = _date(lang, {**g, "day": g["day2"]}, spec)
    return {"k": "range", "parts": [first, second]}


def _week_of(lang: str, g: dict[str, str | None], spec: dict[str, Any]) -> Rel:
    """ "the week of March 6": the ISO week the named day falls in."""
    return {"k": "week_of", "day": _date(lang, g, spec)}


def _eve(lang: str, g: dict[str, str | None], spec: dict[str, Any]) -> Rel:
    """ "the eve of the summit": a day before an event; tag() reads the event phrase."""
    return {"k": "duration", "v": "P1D"}


def _relday(lang: str, g: dict[str, str | None], spec: dict[str, Any]) -> Rel:
    return {"k": "offset", "unit": "D", "n": lookup(lang, "relday", g["relday"]),
            "pod": lookup(lang, "pod", g.get("pod"))}


def _weekday(lang: str, g: dict[str, str | None], spec: dict[str, Any]) -> Rel:
    return {"k": "weekday", "wd": lookup(lang, "weekday", g["weekday"]),
            "shift": lookup(lang, "shift", g.get("shift")),
            "pod": lookup(lang, "pod", g.get("pod"))}


def _pod(lang: str, g: dict[str, str | None], spec: dict[str, Any]) -> Rel:
    pod = lookup(lang, "pod", g.get("pod")) or "NI"
    text = _key(g.get("_text") or "")
    words = text.split()
    n = -1 if any(w in words for w in spec.get("previous_words", ["last"])) else \
        1 if any(w in words for w in spec.get("next_words", [])) else 0
    return {"k": "offset", "unit": "D", "n": n, "pod": pod}


def _time(lang: str, g: dict[str, str | None], spec: dict[str, Any]) -> Rel:
    if g.get("noon"):
        word = _key(g["noon"])  # type: ignore[arg-type]
        # TIMEX3 writes midnight as the end of the day it closes: "midnight Friday" is T24:00
        h = 24 if word in spec.get("midnight_words", ["midnight"]) else 12
        return {"k": "time", "H": h, "M": 0}
    h, m = int(g["hh"]), int(g.get("mi") or 0)  # type: ignore[arg-type]
    ampm = _key(g.get("ampm") or "").replace(".", "")
    pm = ampm == "pm" or _key(g.get("pod") or "") in spec.get("pm_pods", ())
    if pm and h < 12:
        h += 12  # "4 p.m.", "4 in the afternoon"
    if ampm == "am" and h == 12:
        h = 0
    if g.get("utc"):  # "las 14:58 UTC": the zone stays in the value, T14:58Z
        return {"k": "time", "H": h, "M": m, "Z": True}
    return {"k": "time", "H": h, "M": m}


def _unit(lang: str, g: dict[str, str | None]) -> tuple[str, int]:
    """Unit code and a factor ("fortnight" is two weeks)."""
    text = _key(g.get("unit") or "")
    for entry in lexicon.temporal(lang).get("unit", []):
        if text in (_key(f) for f in entry["forms"]):
            return entry["value"], int(entry.get("factor", 1))
    return "X", 1


def _amount(lang: str, g: dict[str, str | None]) -> int | float | str:
    n = number(lang, g.get("num"))
    return 1 if n is None else n


def _ago(lang: str, g: dict[str, str | None], spec: dict[str, Any]) -> Rel:
    unit, factor = _unit(lang, g)
    n = _amount(lang, g)
    word = _key(g.get("ago") or "")
    sign = 1 if word in spec.get("future_words", ["later", "from now", "hence"]) else -1
    if n == "X" and word in spec.get("unanchored_words", []):
        return {"k": "duration", "v": duration_value("X", unit)}  # "a few days later"
    if n == "X":
        return {"k": "fixed", "v": "FUTURE_REF" if sign > 0 else "PAST_REF", "t": "DATE"}
    return {"k": "offset", "unit": unit, "n": sign * n * factor, "ago": True}


def _later(lang: str, g: dict[str, str | None], spec: dict[str, Any]) -> Rel:
    unit, factor = _unit(lang, g)
    n = _amount(lang, g)
    if n == "X":  # the unit stays: "через несколько часов после ..." is a stretch before an event
        return {"k": "fixed", "v": "FUTURE_REF", "t": "DATE", "vague_unit": unit}
    rel: Rel = {"k": "offset", "unit": unit, "n": n * factor, "in": True}
    if spec.get("past_points"):
        rel["points"] = True  # a past clause makes it "N later" (see tag)
    return rel


_REFS = {-1: "PAST_REF", 0: "PRESENT_REF", 1: "FUTURE_REF"}


@functools.cache
def _plurals(lang: str) -> frozenset[str]:
    return frozenset(_key(f) for e in lexicon.temporal(lang).get("unit", [])
                     for f in e.get("plural", []))


def _plural(lang: str, word: str | None) -> bool:
    return _key(word or "") in _plurals(lang)


def _shift_unit(lang: str, g: dict[str, str | None], spec: dict[str, Any]) -> Rel:
    unit = spec.get("unit") or _unit(lang, g)[0]
    shift = lookup(lang, "shift", g.get("shift"))
    if not spec.get("unit") and _plural(lang, g.get("unit")) and shift in _REFS:
        # "in coming weeks", "in past years": no count, so no date; only a side of now
        if shift and spec.get("plural_duration"):
            # ...or, as the rule says, a stretch of them up to now or from now, as TimeML
            # marks "los últimos meses", "the past few weeks": PXM, PXW
            return {"k": "duration", "v": duration_value("X", unit)}
        return {"k": "fixed", "v": _REFS[shift], "t": "DATE"}
    if unit in TIME_UNITS and shift in (-1, 1):
        # "in the last hour", "en la última hora": an hour up to (or from) now, not a date
        return {"k": "duration", "v": duration_value(1, unit)}
    return {"k": "offset", "unit": unit, "n": 0 if shift is None else shift}


# A half unit written in the next smaller unit, as TIMEX3 values have no fractions in practice:
# "5 1/2 hours" is PT5H30M, "2 1/2 years" P2Y6M.
_HALF = {"Y": (6, "M"), "M": (15, "D"), "W": (84, "H"), "D": (12, "H"), "H": (30, "MIN"),
         "MIN": (30, "S")}


def duration_value(n: int | float | str, unit: str) -> str:
    if unit in ("DE", "CE") and not isinstance(n, str):
        # ISO 8601 has no decade or century designator: "two decades" is P20Y, which every
        # duration parser reads
        n, unit = n * (10 if unit == "DE" else 100), "Y"
    if isinstance(n, float) and (n * 2).is_integer() and not n.is_integer() and unit in _HALF:
        amount, small = _HALF[unit]
        whole = int(n)
        time_part = unit in TIME_UNITS or small in TIME_UNITS
        code = {"MIN": "M"}.get(unit, unit)
        small_code = {"MIN": "M"}.get(small, small)
        big = f"{whole}{code}" if whole else ""
        if unit in TIME_UNITS:
            return f"PT{big}{amount}{small_code}"
        if time_part:  # days and weeks: "P2DT12H"
            return f"P{big}T{amount}{small_code}"
        return f"P{big}{amount}{small_code}"
    code = {"MIN": "M"}.get(unit, unit)
    amount = n if isinstance(n, str) else (int(n) if float(n).is_integer() else n)
    # TIMEX3 writes vague amounts without the T ("hours" -> PXH), as the contract asks.
    return f"PT{amount}{code}" if unit in TIME_UNITS and amount != "X" else f"P{amount}{code}"


def _compound(lang: str, g: dict[str, str | None]) -> Rel | None:
    """ "dos horas y 30 minutos" (PT2H30M), "1 год 6 месяцев" (P1Y6M): one duration."""
    parts = []
    for i in ("", "2", "3"):
        if g.get("unit" + i):
            unit, factor = _unit(lang, {"unit": g["unit" + i]})
            n = number(lang, g.get("num" + i))
            parts.append((n * factor if isinstance(n, int) else n, unit))
    value = compound_value(parts)
    return {"k": "duration", "v": value} if value else None


def _duration(lang: str, g: dict[str, str | None], spec: dict[str, Any]) -> Rel:
    if g.get("unit2") and (compound := _compound(lang, g)) is not None:
        return compound
    if g.get("bare"):
        unit, _ = _unit(lang, {"unit": g["bare"]})
        return {"k": "duration", "v": duration_value("X", unit)}
    if g.get("the_unit"):
        unit, _ = _unit(lang, {"unit": g["the_unit"]})
        return {"k": "duration", "v": duration_value(1, unit)}
    unit, factor = _unit(lang, g)
    if g.get("unit_stem"):  # "четырехчасовые": the unit is a stem inside one word
        unit, factor = spec["unit_stems"][_key(g["unit_stem"])], 1
    n = spec.get("amount") or _amount(lang, g)  # "half an hour": the rule says how much
    if n == 1 and _plural(lang, g.get("unit")):
        n = "X"  # "a months-long dispute": a plural unit counts no one
    if g.get("and_half") and not isinstance(n, str):
        n += 0.5
    n = n * factor if not isinstance(n, str) else n
    return {"k": "duration", "v": duration_value(n, unit)}


def _season(lang: str, g: dict[str, str | None], spec: dict[str, Any]) -> Rel:
    return {"k": "season", "s": lookup(lang, "season", g["season"]), "y": year_of(g),
            "shift": lookup(lang, "shift", g.get("shift"))}


def _quarter(lang: str, g: dict[str, str | None], spec: dict[str, Any]) -> Rel:
    text = _key(g.get("_text") or "")
    yshift = 0
    for word, n in spec.get("year_shifts", {}).items():  # "last year's third quarter"
        if word in text:
            yshift = n
    # "the last quarter of 2012": a word the rule maps to a quarter (spec `quarters`)
    q = spec.get("quarters", {}).get(_key(g.get("which") or "")) \
        or lookup(lang, "ordinal", g.get("ordinal"))
    return {"k": "quarter", "q": q, "y": year_of(g), "yshift": yshift}


def _quarter_ref(lang: str, g: dict[str, str | None], spec: dict[str, Any]) -> Rel:
    """"the quarter", "the latest quarter": the quarter under discussion (see tag())."""
    shift = lookup(lang, "shift", g.get("shift"))
    return {"k": "quarter_ref", "yshift": int(spec.get("yshift", 0)),
            "shift": 0 if shift is None else shift, "y": year_of(g),
            # "the same period last year": a quarter only if the story named one
            "loose": bool(g.get("period") or g.get("period2"))}


def _half(lang: str, g: dict[str, str | None], spec: dict[str, Any]) -> Rel:
    word = _key(g.get("half") or "")
    h = spec.get("halves", {}).get(word) or lookup(lang, "ordinal", word)
    return {"k": "half", "h": h or 1, "y": year_of(g),
            "yshift": lookup(lang, "shift", g.get("shift")) or 0}


def _weekend(lang: str, g: dict[str, str | None], spec: dict[str, Any]) -> Rel:
    words = _key(g.get("_text") or "").split()
    n = -1 if any(w in words for w in spec.get("previous_words", ["last"])) else \
        1 if any(w in words for w in spec.get("next_words", ["next"])) else 0
    return {"k": "weekend", "n": n}


def _spelled_year(lang: str, g: dict[str, str | None], spec: dict[str, Any]) -> Rel:
    """A year in words: "nineteen ninety-six" is 19 x 100 + 96; "two thousand (and one)"."""
    rest = g.get("yrest") or g.get("yrest2")
    r = number(lang, rest) if rest and _key(rest) not in ("hundred", "a hundred") else 0
    base = 2000 if g.get("ythousand") else number(lang, g.get("ycent"))
    y = base * (1 if g.get("ythousand") else 100) + r  # type: ignore[operator]
    return {"k": "date", "y": y, "m": None, "d": None}


def _decade(lang: str, g: dict[str, str | None], spec: dict[str, Any]) -> Rel:
    if g.get("decade"):
        return {"k": "fixed", "v": g["decade"][:3], "t": "DATE"}  # type: ignore[index]
    if g.get("decade_word"):  # "the nineties": the rule's own table, 1900s assumed
        tens = spec["decade_words"][_key(g["decade_word"])]  # type: ignore[arg-type]
        return {"k": "fixed", "v": f"19{tens}", "t": "DATE"}
    return {"k": "fixed", "v": "19" + g["short_decade"][0], "t": "DATE"}  # type: ignore[index]


_ROMAN = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100}


def roman(numeral: str) -> int:
    """ "xxi" -> 21: Spanish and Russian name centuries in Roman numerals (siglo XXI, XXI век)."""
    values = [_ROMAN[c] for c in numeral.lower()]
    return sum(-v if i + 1 < len(values) and v < values[i + 1] else v
               for i, v in enumerate(values))


def _century(lang: str, g: dict[str, str | None], spec: dict[str, Any]) -> Rel:
    n = roman(g["roman"]) if g.get("roman") else int(g["century"])  # type: ignore[arg-type]
    return {"k": "fixed", "v": f"{n - 1:02d}", "t": "DATE"}


def _ref(lang: str, g: dict[str, str | None], spec: dict[str, Any]) -> Rel:
    return {"k": "fixed", "v": lookup(lang, "ref", g["ref"]), "t": "DATE"}


def _set(lang: str, g: dict[str, str | None], spec: dict[str, Any]) -> Rel:
    return {"k": "fixed", "v": lookup(lang, "set", g["set"]), "t": "SET"}


def _set_of(lang: str, g: dict[str, str | None], spec: dict[str, Any]) -> Rel:
    """ "every Thursday" (XXXX-WXX-4), "each July" (XXXX-07), "every summer" (XXXX-SU),
    "every morning" (XXXX-XX-XXTMO): a set of named days, months, seasons or parts of days."""
    wd = lookup(lang, "weekday", g.get("weekday"))
    pod = lookup(lang, "pod", g.get("pod"))
    if wd is not None:
        return {"k": "fixed", "v": f"XXXX-WXX-{wd}" + (f"T{pod}" if pod else ""), "t": "SET"}
    season = lookup(lang, "season", g.get("season"))
    if season is not None:
        return {"k": "fixed", "v": f"XXXX-{season}", "t": "SET"}
    if pod is not None:
        return {"k": "fixed", "v": f"XXXX-XX-XXT{pod}", "t": "SET"}
    return {"k": "fixed", "v": f"XXXX-{lookup(lang, 'month', g.get('month')):02d}", "t": "SET"}


def _every(lang: str, g: dict[str, str | None], spec: dict[str, Any]) -> Rel:
    """ "every four years" (P4Y), "every other week" (P2W): a set with a period."""
    rel = _duration(lang, g, {**spec, "amount": 2} if g.get("other") else spec)
    return {"k": "fixed", "v": rel["v"], "t": "SET"}


_NTH = re.compile(r"(\d\d)-(\d)#(-?\d)")  # "11-4#4": the 4th Thursday of November
# "easter-2": Good Friday; a trailing w names the ISO week the day falls in (Holy Week)
_EASTER = re.compile(r"(orthodox-)?easter([+-]\d+)?(w)?")


def _holiday(lang: str, g: dict[str, str | None], spec: dict[str, Any]) -> Rel:
    value = lookup(lang, "holiday", g["holiday"])
    y = year_of(g)
    feast = _EASTER.fullmatch(value)
    if feast:
        return {"k": "easter", "orthodox": bool(feast.group(1)), "days": int(feast.group(2) or 0),
                "week": bool(feast.group(3)), "y": y}
    nth = _NTH.fullmatch(value)
    if nth:
        return {"k": "nth_weekday", "m": int(nth.group(1)), "wd": int(nth.group(2)),
                "n": int(nth.group(3)), "y": y}
    m, d = (int(x) for x in value.split("-"))
    return {"k": "date", "y": y, "m": m, "d": d} if y else {"k": "monthday", "m": m, "d": d}


NORMS: dict[str, Callable[[str, dict[str, str | None], dict[str, Any]], Rel]] = {
    "date": _date, "week_of": _week_of, "range": _range, "relday": _relday, "eve": _eve,
    "weekday": _weekday, "pod": _pod,
    "time": _time, "ago": _ago, "later": _later, "shift_unit": _shift_unit,
    "duration": _duration, "season": _season, "quarter": _quarter,
    "quarter_ref": _quarter_ref, "half": _half,
    "weekend": _weekend, "decade": _decade, "century": _century, "ref": _ref, "set": _set,
    "holiday": _holiday, "spelled_year": _spelled_year, "set_of": _set_of, "every": _every,
    "clock_range": clock_range,
}


def relation(lang: str, norm: str, groups: dict[str, str | None], spec: dict[str, Any]) -> Rel:
    """A rule may name a class twice in alternative branches ({season}, {season2}): whichever
    branch matched fills the plain name."""
    g = dict(groups)
    for k, v in groups.items():
        if v and k[-1].isdigit() and not g.get(k.rstrip("0123456789")):
            g[k.rstrip("0123456789")] = v
    return NORMS[norm](lang, g, spec)
