"""From a matched rule to a structured relation, and from a relation to a TIMEX3 value.

Two steps on purpose. `relation()` turns the words into a small JSON-able dict ("3 days
before the reference", "the Wednesday in the direction of the tense") that does not depend
on any date. `resolve()` anchors a relation on a reference date. A document whose date is
found later is re-resolved with `resolve()` alone, without re-reading the text.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

from timeline import lexicon

Rel = dict[str, Any]
TIME_UNITS = {"H", "MIN", "S"}
SEASONS = ["WI", "SP", "SU", "FA"]


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
    first = _date(lang, {**g, "day": g["day"]}, spec)
    second = _date(lang, {**g, "day": g["day2"]}, spec)
    return {"k": "range", "parts": [first, second]}


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
    n = -1 if any(w in text.split() for w in spec.get("previous_words", ["last"])) else 0
    return {"k": "offset", "unit": "D", "n": n, "pod": pod}


def _time(lang: str, g: dict[str, str | None], spec: dict[str, Any]) -> Rel:
    if g.get("noon"):
        word = _key(g["noon"])  # type: ignore[arg-type]
        h = 0 if word in spec.get("midnight_words", ["midnight"]) else 12
        return {"k": "time", "H": h, "M": 0}
    h, m = int(g["hh"]), int(g.get("mi") or 0)  # type: ignore[arg-type]
    ampm = _key(g.get("ampm") or "").replace(".", "")
    if ampm == "pm" and h < 12:
        h += 12
    if ampm == "am" and h == 12:
        h = 0
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
    if n == "X":
        return {"k": "fixed", "v": "FUTURE_REF" if sign > 0 else "PAST_REF", "t": "DATE"}
    return {"k": "offset", "unit": unit, "n": sign * n * factor, "ago": True}


def _later(lang: str, g: dict[str, str | None], spec: dict[str, Any]) -> Rel:
    unit, factor = _unit(lang, g)
    n = _amount(lang, g)
    if n == "X":
        return {"k": "fixed", "v": "FUTURE_REF", "t": "DATE"}
    return {"k": "offset", "unit": unit, "n": n * factor, "in": True}


def _shift_unit(lang: str, g: dict[str, str | None], spec: dict[str, Any]) -> Rel:
    unit = spec.get("unit") or _unit(lang, g)[0]
    shift = lookup(lang, "shift", g.get("shift"))
    return {"k": "offset", "unit": unit, "n": 0 if shift is None else shift}


# A half unit written in the next smaller unit, as TIMEX3 values have no fractions in practice:
# "5 1/2 hours" is PT5H30M, "2 1/2 years" P2Y6M.
_HALF = {"Y": (6, "M"), "M": (15, "D"), "W": (84, "H"), "D": (12, "H"), "H": (30, "MIN"),
         "MIN": (30, "S")}


def duration_value(n: int | float | str, unit: str) -> str:
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


def _duration(lang: str, g: dict[str, str | None], spec: dict[str, Any]) -> Rel:
    if g.get("bare"):
        unit, _ = _unit(lang, {"unit": g["bare"]})
        return {"k": "duration", "v": duration_value("X", unit)}
    if g.get("the_unit"):
        unit, _ = _unit(lang, {"unit": g["the_unit"]})
        return {"k": "duration", "v": duration_value(1, unit)}
    unit, factor = _unit(lang, g)
    n = _amount(lang, g)
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
    for word, n in spec.get("year_shifts", {"last year": -1, "next year": 1, "year-ago": -1,
                                           "year-earlier": -1}).items():
        if word in text:
            yshift = n
    return {"k": "quarter", "q": lookup(lang, "ordinal", g["ordinal"]), "y": year_of(g),
            "yshift": yshift}


def _quarter_ref(lang: str, g: dict[str, str | None], spec: dict[str, Any]) -> Rel:
    """"the quarter", "the latest quarter": the quarter under discussion (see tag())."""
    shift = lookup(lang, "shift", g.get("shift"))
    return {"k": "quarter_ref", "yshift": int(spec.get("yshift", 0)),
            "shift": 0 if shift is None else shift, "y": year_of(g)}


def _half(lang: str, g: dict[str, str | None], spec: dict[str, Any]) -> Rel:
    h = lookup(lang, "ordinal", g.get("half"))
    return {"k": "half", "h": h or 1, "y": year_of(g)}


def _weekend(lang: str, g: dict[str, str | None], spec: dict[str, Any]) -> Rel:
    text = _key(g.get("_text") or "")
    n = -1 if text.startswith("last") else 1 if text.startswith("next") else 0
    return {"k": "weekend", "n": n}


def _spelled_year(lang: str, g: dict[str, str | None], spec: dict[str, Any]) -> Rel:
    """A year in words: "nineteen ninety-six" is 19 x 100 + 96; "two thousand (and one)"."""
    rest = g.get("yrest") or g.get("yrest2")
    r = number(lang, rest) if rest and _key(rest) not in ("hundred", "a hundred") else 0
    base = 2000 if g.get("ythousand") else number(lang, g.get("ycent"))
    y = base * (1 if g.get("ythousand") else 100) + r  # type: ignore[operator]
    if g.get("season"):
        return {"k": "season", "s": lookup(lang, "season", g["season"]), "y": y, "shift": None}
    m = lookup(lang, "month", g.get("month"))
    return {"k": "date", "y": y, "m": m, "d": None}


def _decade(lang: str, g: dict[str, str | None], spec: dict[str, Any]) -> Rel:
    if g.get("decade"):
        return {"k": "fixed", "v": g["decade"][:3], "t": "DATE"}  # type: ignore[index]
    return {"k": "fixed", "v": "19" + g["short_decade"][0], "t": "DATE"}  # type: ignore[index]


def _century(lang: str, g: dict[str, str | None], spec: dict[str, Any]) -> Rel:
    return {"k": "fixed", "v": f"{int(g['century']) - 1:02d}", "t": "DATE"}  # type: ignore[arg-type]


def _ref(lang: str, g: dict[str, str | None], spec: dict[str, Any]) -> Rel:
    return {"k": "fixed", "v": lookup(lang, "ref", g["ref"]), "t": "DATE"}


def _set(lang: str, g: dict[str, str | None], spec: dict[str, Any]) -> Rel:
    return {"k": "fixed", "v": lookup(lang, "set", g["set"]), "t": "SET"}


def _set_of(lang: str, g: dict[str, str | None], spec: dict[str, Any]) -> Rel:
    """ "every Thursday" (XXXX-WXX-4), "each July" (XXXX-07): a set of named days or months."""
    wd = lookup(lang, "weekday", g.get("weekday"))
    if wd is not None:
        pod = lookup(lang, "pod", g.get("pod"))
        return {"k": "fixed", "v": f"XXXX-WXX-{wd}" + (f"T{pod}" if pod else ""), "t": "SET"}
    return {"k": "fixed", "v": f"XXXX-{lookup(lang, 'month', g.get('month')):02d}", "t": "SET"}


_NTH = re.compile(r"(\d\d)-(\d)#(-?\d)")  # "11-4#4": the 4th Thursday of November


def _holiday(lang: str, g: dict[str, str | None], spec: dict[str, Any]) -> Rel:
    value = lookup(lang, "holiday", g["holiday"])
    y = year_of(g)
    nth = _NTH.fullmatch(value)
    if nth:
        return {"k": "nth_weekday", "m": int(nth.group(1)), "wd": int(nth.group(2)),
                "n": int(nth.group(3)), "y": y}
    m, d = (int(x) for x in value.split("-"))
    return {"k": "date", "y": y, "m": m, "d": d} if y else {"k": "monthday", "m": m, "d": d}


def nth_weekday(y: int, m: int, wd: int, n: int) -> dt.date:
    """The n-th (or, for n = -1, the last) weekday `wd` (1 = Monday) of a month."""
    if n > 0:
        first = dt.date(y, m, 1)
        return first + dt.timedelta(days=(wd - first.isoweekday()) % 7 + 7 * (n - 1))
    nxt = dt.date(y + m // 12, m % 12 + 1, 1)
    last = nxt - dt.timedelta(days=1)
    return last - dt.timedelta(days=(last.isoweekday() - wd) % 7)


NORMS: dict[str, Callable[[str, dict[str, str | None], dict[str, Any]], Rel]] = {
    "date": _date, "range": _range, "relday": _relday, "weekday": _weekday, "pod": _pod,
    "time": _time, "ago": _ago, "later": _later, "shift_unit": _shift_unit,
    "duration": _duration, "season": _season, "quarter": _quarter,
    "quarter_ref": _quarter_ref, "half": _half,
    "weekend": _weekend, "decade": _decade, "century": _century, "ref": _ref, "set": _set,
    "holiday": _holiday, "spelled_year": _spelled_year, "set_of": _set_of,
}


def relation(lang: str, norm: str, groups: dict[str, str | None], spec: dict[str, Any]) -> Rel:
    """A rule may name a class twice in alternative branches ({season}, {season2}): whichever
    branch matched fills the plain name."""
    g = dict(groups)
    for k, v in groups.items():
        if v and k[-1].isdigit() and not g.get(k.rstrip("0123456789")):
            g[k.rstrip("0123456789")] = v
    return NORMS[norm](lang, g, spec)


# ------------------------------------------------------------------ resolution


def _iso_week(d: dt.date) -> str:
    y, w, _ = d.isocalendar()
    return f"{y}-W{w:02d}"


def _add_months(y: int, m: int, n: int) -> tuple[int, int]:
    total = y * 12 + (m - 1) + n
    return total // 12, total % 12 + 1


def _pick_year(m: int, d: int, dct: dt.date, tense: str | None, shift: int | None,
               day_given: bool = True) -> int:
    """The year of a year-less date: the nearest occurrence, unless the tense (or an explicit
    last/next) says the other side of the reference date and the nearest is not close."""
    here = (dct.month, dct.day)
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
    if tense == "future" and gap < -slack and not far:
        return year + 1
    return year


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
        v = f"{y:04d}" + (f"-{m:02d}" if m else "") + (f"-{d:02d}" if m and d else "")
        if "H" in rel:
            return "TIME", f"{v}T{rel['H']:02d}:{rel['M']:02d}"
        return "DATE", v
    if k in ("monthday", "month"):
        m, d = rel["m"], rel.get("d")
        if dct is None:
            return "DATE", f"XXXX-{m:02d}" + (f"-{d:02d}" if d else "")
        y = _pick_year(m, d or 15, dct, tense, rel.get("shift"), day_given=bool(d))
        return "DATE", f"{y:04d}-{m:02d}" + (f"-{d:02d}" if d else "")
    if k == "offset" and rel.get("in") and tense == "past":
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
        return "TIME", f"{day}T{rel['H']:02d}:{rel['M']:02d}"
    if k == "season":
        if rel.get("y"):
            return "DATE", f"{rel['y']:04d}-{rel['s']}"
        if dct is None:
            return "DATE", f"XXXX-{rel['s']}"
        return "DATE", f"{_season_year(rel['s'], dct, rel.get('shift')):04d}-{rel['s']}"
    if k == "quarter":
        y = rel.get("y") or (dct.year + rel.get("yshift", 0) if dct else None)
        return "DATE", f"{y:04d}-Q{rel['q']}" if y else f"XXXX-Q{rel['q']}"
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
        if dct is None:
            return "DATE", "XXXX-QX"
        quarters = rel.get("shift", 0) + rel.get("yshift", 0) * 4
        y, m = _add_months(dct.year, dct.month, 3 * quarters)
        if tense == "past" and rel.get("shift", 0) == 0 and not rel.get("yshift"):
            y, m = _add_months(y, m, -3)
        return "DATE", f"{y:04d}-Q{(m - 1) // 3 + 1}"
    if k == "anaphor":  # counted from a date named earlier in the text
        base = _as_date(resolve(rel["base"], dct, rel["base"].get("tense"))[1])
        return resolve(rel["rel"], base if base is not None else dct, tense)
    if k == "datetime":  # a time on a day named next to it ("10 p.m. Wednesday")
        _, v = resolve(rel["day"], dct, rel.get("tense", tense))
        return "TIME", f"{v.split('T')[0]}T{rel['H']:02d}:{rel['M']:02d}"
    if k == "month_in_year":  # "July last year"
        m, d = rel["m"], rel.get("d")
        tail = f"-{m:02d}" + (f"-{d:02d}" if d else "")
        return "DATE", (f"{dct.year + rel['yshift']:04d}" if dct else "XXXX") + tail
    if k == "half":
        y = rel.get("y") or (dct.year if dct else None)
        return "DATE", f"{y:04d}-H{rel['h']}" if y else f"XXXX-H{rel['h']}"
    if k == "weekend":
        if dct is None:
            return "DATE", "XXXX-WXX-WE"
        n = rel["n"]
        if n == 0 and tense == "past" and dct.isoweekday() < 6:
            n = -1  # "over the weekend" in a past clause, written on a weekday: the last one
        return "DATE", _iso_week(dct + dt.timedelta(weeks=n)) + "-WE"
    raise ValueError(f"unknown relation kind {k!r}")


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
