"""Counts in running text: "killing at least 68 people", "2.000 empleos", "12 300 зрителей".

A count is a number (digits written the language's way, number words, or a vague word such
as "dozens") with a *measure*: what it counts (the dead, jobs, spectators), named by a word
of that measure a few words away. The numbers and words are data
(`resources/<lang>/quantities.toml`); the code knows none of them. Counts become attributes
of the event mention they stand nearest (`count:<measure>`), so the reconciler can compare
what sources say and `timeline.conflicts` can tell a dispute from a rising toll.

A value is written language-neutrally, as TimeML writes durations: the number and, when the
text bounds it, a mod ("68 EQUAL_OR_MORE"); a vague word is its range ("20-99 VAGUE").
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Mapping
from typing import Any

import attrs

from timeline import lexicon

_TOKENS = re.compile(r"(?P<num>\d+(?:[.,:/'\u00a0\u202f\u2009 ]\d+)*)|(?P<word>\w+(?:-\w+)*)"
                     r"|(?P<punct>[^\w\s])")
_DIGIT = re.compile(r"\d")
_WORD = re.compile(r"\w+")
AFTER, BEFORE = 4, 4  # how many words (count nouns aside) may stand between number and measure
APPROX = 0.1  # "about 1,500": a tenth either way


@attrs.frozen
class Count:
    measure: str
    value: str  # "68", "68 EQUAL_OR_MORE", "20-99 VAGUE"
    start: int
    end: int
    running: bool
    # where the word naming the measure is: when it is an event's trigger itself ("killing
    # at least 68", "погибли 63 человека") the count is the toll of another event
    word_start: int = 0
    word_end: int = 0

    @property
    def attribute(self) -> str:
        return f"count:{self.measure}"


@attrs.frozen
class _Lang:
    groups: frozenset[str]
    decimal: str
    joiners: frozenset[str]
    words: Mapping[str, int]
    multipliers: Mapping[str, int]
    vague: Mapping[str, tuple[int, int]]
    mods: tuple[tuple[tuple[str, ...], str], ...]  # longest first
    counted: frozenset[str]
    things: tuple[str, ...]
    measures: tuple[tuple[str, tuple[str, ...]], ...]  # (measure, phrase words)
    running: frozenset[str]
    # the phrases by their first word: whole words, and word beginnings ("погиб*")
    by_word: Mapping[str, tuple[tuple[str, tuple[str, ...]], ...]]
    by_prefix: tuple[tuple[str, str, tuple[str, ...]], ...]
    starters: frozenset[str]  # words that may begin a number: a sentence without any is skipped
    # a measure's first word, whole or its beginning: a sentence without one counts nothing
    first_words: frozenset[str]
    first_prefixes: re.Pattern[str] | None
    # words of a measure that name the people counted (`people` in a measure's table):
    # another measure's word before the number names what happened to them
    people: tuple[str, ...] = ()


def data(lang: str) -> dict[str, Any]:
    return lexicon.resource(lang, "quantities.toml")


@functools.cache
def _lang(lang: str) -> _Lang | None:
    d = data(lang)
    if not d:
        return None
    nums = d.get("numbers", {})
    phrases = sorted(((m, tuple(w.lower().split())) for m, spec in d.get("measures", {}).items()
                      for w in spec.get("words", [])), key=lambda p: -len(p[1]))
    mods = sorted(((tuple(k.lower().split()), v) for k, v in d.get("mods", {}).items()),
                  key=lambda p: -len(p[0]))
    by_word: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
    for m, words in phrases:
        if not words[0].endswith("*"):
            by_word.setdefault(words[0], []).append((m, words))
    prefixes = {w[0][:-1] for _m, w in phrases if w[0].endswith("*")}
    words_ = {k.lower(): v for k, v in nums.get("words", {}).items()}
    mults = {k.lower(): v for k, v in nums.get("multipliers", {}).items()}
    vague = {k.lower(): (v[0], v[1]) for k, v in d.get("vague", {}).items()}
    starters = frozenset({w for w, v in words_.items() if v != 1}
                         | {w for w in mults if len(w) >= 4} | set(vague))
    return _Lang(frozenset(nums.get("groups", [])), nums.get("decimal", "."),
                 frozenset(nums.get("joiners", [])),
                 {k.lower(): v for k, v in nums.get("words", {}).items()},
                 {k.lower(): v for k, v in nums.get("multipliers", {}).items()},
                 {k.lower(): (v[0], v[1]) for k, v in d.get("vague", {}).items()},
                 tuple(mods), frozenset(w.lower() for w in d.get("counted", {}).get("nouns", [])),
                 tuple(w.lower() for w in d.get("counted", {}).get("things", [])),
                 tuple(phrases),
                 frozenset(m for m, s in d.get("measures", {}).items() if s.get("running")),
                 {k: tuple(v) for k, v in by_word.items()},
                 tuple((words[0][:-1], m, words) for m, words in phrases
                       if words[0].endswith("*")), starters,
                 frozenset(by_word), re.compile(r"\b(?:" + "|".join(sorted(
                     re.escape(p) for p in prefixes)) + ")") if prefixes else None,
                 tuple(str(w).lower() for spec in d.get("measures", {}).values()
                       for w in spec.get("people", [])))


def _word_is(token: str, form: str) -> bool:
    return token.startswith(form[:-1]) if form.endswith("*") else token == form


def _digits(text: str, lg: _Lang, scaled: bool) -> float | None:
    """The number digits write, or None when they are no count ("10:33", "3.5", "2023 15"):
    groups of exactly three digits after a separator of the language; the decimal mark only
    before a multiplier ("1,5 millones")."""
    parts = re.split(r"(\D)", text)
    nums, seps = parts[0::2], parts[1::2]
    if not seps:
        return float(text)
    if scaled and len(seps) == 1 and seps[0] == lg.decimal:
        return float(f"{nums[0]}.{nums[1]}")
    if all(s in lg.groups for s in seps) and len(nums[0]) <= 3 \
            and all(len(n) == 3 for n in nums[1:]):
        return float("".join(nums))
    return None


def _words_value(words: list[str], lg: _Lang) -> float | None:
    """ "two thousand", "sesenta y tres", "две тысячи триста": sums of products."""
    total = current = 0.0
    seen = False
    for w in words:
        if w in lg.joiners:
            continue
        if w in lg.multipliers:
            mult = lg.multipliers[w]
            if mult == 100:
                current = max(current, 1) * 100
            else:
                total += max(current, 1) * mult
                current = 0
        elif w in lg.words:
            current += lg.words[w]
        else:
            return None
        seen = True
    return total + current if seen else None


def _spans(text: str, lg: _Lang) -> list[tuple[int, int, str, str]]:
    """(start, end, kind, lower-cased text) of every token; hyphenated words split."""
    out = []
    for m in _TOKENS.finditer(text):
        kind = m.lastgroup or "punct"
        if kind == "word" and "-" in m.group():
            pos = m.start()
            for part in m.group().split("-"):
                out.append((pos, pos + len(part), "word", part.lower()))
                pos += len(part) + 1
        else:
            out.append((m.start(), m.end(), kind, m.group().lower()))
    return out


def _number_at(toks: list[tuple[int, int, str, str]], i: int, lg: _Lang
               ) -> tuple[int, float, float] | None:
    """(index after, least, most) of a number starting at token i, or None."""
    _s, _e, kind, low = toks[i]
    nxt = toks[i + 1][3] if i + 1 < len(toks) else ""
    if kind == "num":
        if i > 0 and toks[i - 1][3] in "$€£¥₽#№":
            return None  # money and numbers of things, not counts
        mult = lg.multipliers.get(nxt)
        value = _digits(low, lg, bool(mult))
        if value is None or nxt == "%":
            return None
        if mult:
            return i + 2, value * mult, value * mult
        return i + 1, value, value
    if kind != "word":
        return None
    if low in lg.vague and not (i > 0 and (toks[i - 1][2] == "num"
                                           or toks[i - 1][3] in lg.words)):
        lo, hi = lg.vague[low]
        return i + 1, lo, hi
    j = i
    while j < len(toks) and toks[j][2] == "word" and (
            toks[j][3] in lg.words or toks[j][3] in lg.multipliers
            or (toks[j][3] in lg.joiners and j > i)):
        j += 1
    while j > i and toks[j - 1][3] in lg.joiners:
        j -= 1
    if j == i:
        return None
    words = [t[3] for t in toks[i:j]]
    if len(words) == 1 and (lg.words.get(words[0]) == 1 or (
            words[0] in lg.multipliers and len(words[0]) < 4)):
        return None  # "a", "one of them", a bare "m": no count
    value = _words_value(words, lg)
    return (j, value, value) if value else None


def _mod_before(toks: list[tuple[int, int, str, str]], i: int, lg: _Lang
                ) -> tuple[int, str | None]:
    """(index where the mod starts, mod) of the words right before token i."""
    for words, mod in lg.mods:
        k = len(words)
        if i - k >= 0 and tuple(t[3] for t in toks[i - k:i]) == words:
            return i - k, mod
    return i, None


def _measure_at(toks: list[tuple[int, int, str, str]], j: int, lg: _Lang,
                stop: int) -> str | None:
    tok = toks[j][3]
    cands = [*lg.by_word.get(tok, ()),
             *((m, w) for p, m, w in lg.by_prefix if tok.startswith(p))]
    for measure, words in sorted(cands, key=lambda c: -len(c[1])):
        if j + len(words) <= stop and all(
                _word_is(toks[j + n][3], w) for n, w in enumerate(words)):
            return measure
    return None


def _measure(toks: list[tuple[int, int, str, str]], start: int, end: int, lg: _Lang
             ) -> tuple[str, int] | None:
    """The measure named nearest the number (tokens start..end), after it on a tie, and the
    token of its word."""
    found: list[tuple[int, int, str, int]] = []
    budget, j = 0, end
    while j < len(toks) and budget <= AFTER and toks[j][2] == "word":
        got = _measure_at(toks, j, lg, len(toks))
        if got:
            found.append((budget, 0, got, j))
            break
        budget += toks[j][3] not in lg.counted
        j += 1
    budget, j = 1, start - 1
    while j >= 0 and budget <= BEFORE and toks[j][2] == "word":
        got = _measure_at(toks, j, lg, start)
        if got:
            found.append((budget, 1, got, j))
            break
        budget += toks[j][3] not in lg.counted
        j -= 1
    if len(found) == 2 and _people_word(toks[found[0][3]][3], lg):
        return found[1][2:]  # "injuring three workers", "пострадали двое рабочих": the injured
    return min(found)[2:] if found else None


def _people_word(tok: str, lg: _Lang) -> bool:
    return any(tok.startswith(w[:-1]) if w.endswith("*") else tok == w for w in lg.people)


def _encode(lo: float, hi: float, mod: str | None) -> str:
    def n(x: float) -> str:
        return str(int(x)) if x == int(x) else f"{x:g}"

    if lo != hi:
        return f"{n(lo)}-{n(hi)} VAGUE"
    return n(lo) + (f" {mod}" if mod else "")


def counts(text: str, lang: str, start: int = 0, end: int | None = None) -> list[Count]:
    """The counts of text[start:end] with a measure, offsets into `text`."""
    lg = _lang(lang)
    if lg is None:
        return []
    piece = text[start:end]
    low = piece.lower()
    words = set(_WORD.findall(low))
    if lg.first_words.isdisjoint(words) and not (
            lg.first_prefixes and lg.first_prefixes.search(low)):
        return []
    if not _DIGIT.search(piece) and lg.starters.isdisjoint(words):
        return []
    toks = _spans(piece, lg)
    out: list[Count] = []
    i = 0
    while i < len(toks):
        kind, word = toks[i][2], toks[i][3]
        if kind != "num" and (kind != "word" or (word not in lg.vague and word not in lg.words
                                                 and word not in lg.multipliers)):
            i += 1  # no number starts here (_number_at would say None): most tokens
            continue
        got = _number_at(toks, i, lg)
        if got is None:
            i += 1
            continue
        after, lo, hi = got
        if after < len(toks) and any(_word_is(toks[after][3], w) for w in lg.things):
            i = after
            continue  # "six villages", "72 hours": things and stretches, no one counted
        first, mod = _mod_before(toks, i, lg)
        got_measure = _measure(toks, first, after, lg)
        if got_measure:
            measure, w = got_measure
            out.append(Count(measure, _encode(lo, hi, mod), start + toks[i][0],
                             start + toks[after - 1][1], measure in lg.running,
                             start + toks[w][0], start + toks[w][1]))
        i = after
    return out


def running(measure: str) -> bool:
    """Whether a measure is a toll that grows as reports come in, in any language."""
    return any(measure in lg.running for la in lexicon.languages() if (lg := _lang(la)))


def interval(value: str) -> tuple[float, float]:
    """The least and most a count value allows: "68 EQUAL_OR_MORE" is 68 or more."""
    head, _, mod = value.partition(" ")
    if mod == "VAGUE":
        lo, _, hi = head.partition("-")
        return float(lo), float(hi)
    n = float(head)
    return {"EQUAL_OR_MORE": (n, math.inf), "MORE_THAN": (n, math.inf),
            "APPROX": (n * (1 - APPROX), n * (1 + APPROX)),
            "LESS_THAN": (n * (1 - 2 * APPROX), n), "EQUAL_OR_LESS": (0.0, n)
            }.get(mod, (n, n))


def agree(a: str, b: str) -> bool:
    (alo, ahi), (blo, bhi) = interval(a), interval(b)
    return alo <= bhi and blo <= ahi
