"""False friends: matches of a rule that are no time expression after all.

"We" is no Wednesday, "may" no month, "a second meeting" no duration, "$93" and "1/2" no
dates, "60 Minutes" a programme. Split from temporal/__init__.py; `tag` asks `acceptable`
for every match.
"""

from __future__ import annotations

import functools
import re

from timeline import lexicon
from timeline.temporal import informal
from timeline.temporal import normalize as nz
from timeline.temporal.grammar import Grammar, Rule

# a year in a list of years, "en 1988, 1994 y 2000": after a comma, but after a year
_LISTED_YEAR = re.compile(r"(?<![\d.,])(?:1[5-9]\d\d|20\d\d), $")
_EXCLUDED_FOLLOWERS = re.compile(
    r"\s*(?:%|percent|per\s?cent|people|troops|units|tons|tonnes|dollars|km|miles|meters|"
    r"feet|cars|votes|seats|jobs|shares|barrels)\b", re.IGNORECASE)


@functools.cache
def _count_nouns(lang: str) -> frozenset[str]:
    """The nouns a count of people comes before in `lang` (resources/<lang>/quantities.toml,
    [counted] nouns; its short function words aside: "of", "из", "de")."""
    nouns = lexicon.resource(lang, "quantities.toml").get("counted", {}).get("nouns", [])
    return frozenset(str(w).lower() for w in nouns if len(str(w)) > 3 and "*" not in str(w))


_NEXT_WORD = re.compile(r"\s+([^\W\d_]+)")


def _counted_next(lang: str, text: str, end: int) -> bool:
    """Whether a bare number is a count by the noun after it: "эвакуированы 1200 жителей"
    counts residents, it names no year."""
    m = _NEXT_WORD.match(text, end)
    return m is not None and m.group(1).lower() in _count_nouns(lang)


def _preceding_word(text: str, start: int) -> str:
    m = re.search(r"([\w-]+)\W*$", text[max(0, start - 30):start])
    return m.group(1).lower() if m else ""


_WORD = re.compile(r"[^\W\d_][\w'’.-]*")
_OPENING = re.compile(r"(?:^|[.!?:;\"“”'‘’`(«»—–-]|\n)\s*$")


def _in_title(g: Grammar, text: str, start: int, end: int) -> bool:
    """ "60 Minutes", ABC's "This Week", "High Noon", "VOA Today": a capitalized word that
    running text writes in lower case, not opening a sentence, names a show or a film. A
    headline in title case ("Putin To Visit Next Week") is not a title."""
    low = text[start:end].lower()
    together = {w for p in g.proper_phrases if p in low for w in p.split()}
    for w in _WORD.finditer(text, start, end):
        word = w.group(0)
        bare = re.sub(r"(?:[’']s|s)$", "", word.lower().strip("."))  # "Mondays", "Monday's"
        if not word[0].isupper() or word.isupper() or len(word) < 2 \
                or word.lower().strip(".") in g.proper_words or bare in g.proper_words \
                or word.lower() in together \
                or _OPENING.search(text, max(0, w.start() - 3), w.start()):
            continue
        line_start = text.rfind("\n", 0, w.start()) + 1
        line_end = text.find("\n", w.start())
        line = _WORD.findall(text, line_start, line_end if line_end >= 0 else len(text))
        long = [x for x in line if len(x) > 3]
        if long and sum(x[0].isupper() for x in long) >= 0.6 * len(long):
            return False  # a headline
        return True
    return False


_READ_GROUPS = frozenset({"month", "unit", "num"})


def acceptable(g: Grammar, rule: Rule, m: re.Match[str], text: str) -> bool:
    spec = rule.spec
    s = m.group(0)
    if s.strip() != s or not s:
        return False
    if not text[m.start():m.end()].islower() and _in_title(g, text, m.start(), m.end()):
        return False
    # the groups the checks below read; most rules have none of them (a 1 MB line of dates
    # made this dictionary for every candidate)
    groups = {k.rstrip("0123456789"): v for k, v in m.groupdict().items() if v} \
        if not rule.group_bases.isdisjoint(_READ_GROUPS) else {}
    if g.capitalized_names and rule.norm in ("date", "weekday", "range"):
        for name in ("month", "weekday"):  # the text is matched lower-cased: look at the original
            for key in (name, name + "2", name + "3"):
                if key not in m.re.groupindex or m.start(key) < 0:
                    continue
                word = text[m.start(key):m.end(key)]
                if name == "weekday" and informal.ambiguous_day(g.lang, word, m, text):
                    return False
                if not word[0].isupper() and not (
                        informal.enabled(g.lang) and informal.lowercase_ok(
                            g.lang, name, word, m, text, g.prepositions, g.ambiguous_months)):
                    return False
    if spec.get("bare_month"):
        word = groups.get("month", "").lower()
        if word in g.ambiguous_months and _preceding_word(text, m.start()) not in g.prepositions:
            return False
        if word not in g.full_months:
            return False  # "Jan" alone is more often a name than January
    if spec.get("year_alone"):
        before = text[max(0, m.start() - 2):m.start()]
        listed = _LISTED_YEAR.search(text, max(0, m.start() - 8), m.start())  # "1988, 1994"
        if (re.search(r"[\d$€£#.,/]\s?$", before) and not listed) \
                or _EXCLUDED_FOLLOWERS.match(text, m.end()):
            return False
        if re.match(r"[.,/]\d|-\d{3}|\d", text[m.end():m.end() + 2]):
            return False
        if _counted_next(g.lang, text, m.end()):
            return False
    unit = groups.get("unit")
    num = groups.get("num")
    if unit and num and num.lower() in ("a", "an", "un", "una") :
        for entry in lexicon.temporal(g.lang).get("unit", []):
            if unit.lower() in entry["forms"] and entry.get("article") is False:
                return False
    if unit and num and _fraction(g, unit, num, text, m):
        return False
    if rule.norm in ("duration", "ago", "later") and num and re.fullmatch(r"\d+[.,]\d+", num) \
            and not unit:
        return False
    return True


_Fraction = tuple[tuple[str, ...], re.Pattern[str], re.Pattern[str] | None]


@functools.cache
def _fraction_units(lang: str) -> dict[str, _Fraction]:
    """unit form -> (the numbers that make it a fraction, what follows a fraction, what
    precedes one)."""
    out = {}
    for entry in lexicon.temporal(lang).get("unit", []):
        if entry.get("fraction_before"):
            before = entry.get("fraction_preceded")
            spec = (tuple(entry["fraction_after"]), re.compile(entry["fraction_before"]),
                    re.compile(before, re.IGNORECASE) if before else None)
            out.update({f: spec for f in entry["forms"]})
    return out


def _fraction(g: Grammar, unit: str, num: str, text: str, m: re.Match[str]) -> bool:
    """ "a quarter of the population": a unit word that is also a fraction, used as one."""
    spec = _fraction_units(g.lang).get(unit.lower())
    if spec is None:
        return False
    starts = {k.rstrip("0123456789"): m.start(k) for k in m.re.groupindex if m.start(k) >= 0}
    written = text[starts["num"]:starts["unit"]].lower()
    if not any(written.strip() == f or written == f for f in spec[0]):
        return False
    return spec[1].match(text, m.end()) is not None \
        or (spec[2] is not None
            and spec[2].search(text[max(0, m.start() - 12):m.start()]) is not None)


def is_rate(g: Grammar, text: str, m: re.Match[str]) -> bool:
    """ "$2 million a year", "24 hours a day": a rate (a TIMEX3 SET), not a stretch of time."""
    num = m.groupdict().get("num")
    return bool(num and m.groupdict().get("unit") and m.group(0).lower().startswith(num.lower())
                and not num[0].isdigit() and nz.number(g.lang, num) == 1
                and _after_quantity(g, text, m.start()))


_QUANTITY = re.compile(r"(?:[$€£]?\d[\d,.]*%?|(\w+))\s+(?:[^\W\d]+\s+)?$")


def _after_quantity(g: Grammar, text: str, start: int) -> bool:
    m = _QUANTITY.search(text, max(0, start - 40), start)
    if m is None:
        return False
    n = None if m.group(1) is None else nz.number(g.lang, m.group(1))
    return m.group(1) is None or (isinstance(n, int) and n > 1)
