"""Temporal tagging: find every time expression in a text and give it a TIMEX3 type and value.

`tag(text, dct, lang)` is a pure function. It runs the language's rules (data, see
timeline/resources/<lang>/temporal.toml), keeps the longest non-overlapping matches, reads
the tense of the clause around each to pick a direction, and anchors relative expressions on
`dct` (the document's date), or leaves them unresolved with the relation needed to resolve
them later (`reresolve`). Languages without a resource file fall back to dateparser.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import re
from collections.abc import Callable
from typing import Any, NamedTuple

from timeline import lexicon
from timeline.temporal import normalize as nz
from timeline.temporal.compose import (
    anaphora,
    compose,
    discourse,
    intervals,
    unanchored_later,
)
from timeline.temporal.dense import dense_dates, split
from timeline.temporal.filters import acceptable, is_rate
from timeline.temporal.grammar import Grammar, Rule, grammar
from timeline.temporal.narrative import narrate
from timeline.temporal.scan import finditer
from timeline.temporal.tense import TenseIndex, possessive_tense
from timeline.temporal.values import parse_day

__all__ = ["Timex", "granularity", "reresolve", "tag"]

granularity = nz.granularity
# up to six words, never across punctuation; _anchor() cuts them at a verb or a phrase break
_ANCHOR_PHRASE = re.compile(r"\s+((?:[\w'’-]+\s+){0,5}[\w'’-]+)")


class Timex(NamedTuple):
    """One time expression. A NamedTuple, not an attrs class (as the grammar's classes):
    `timeline tag` then never imports attrs, a sixth of its start-up."""

    start: int
    end: int
    text: str
    type: str
    value: str
    mod: str | None = None
    begin: str | None = None
    end_value: str | None = None
    anchor: str | None = None
    relation: dict[str, Any] | None = None

    def to_json(self) -> dict[str, Any]:
        d: dict[str, Any] = {"start": self.start, "end": self.end, "text": self.text,
                             "type": self.type, "value": self.value}
        for k in ("mod", "begin", "end_value", "anchor"):
            if getattr(self, k) is not None:
                d[k] = getattr(self, k)
        if self.relation and self.relation.get("dense"):
            d["degraded"] = True  # read in degraded mode (dense.py): context was not used
        return d


# ------------------------------------------------------------------ filters


USE_WINDOWS = True  # tests compare against full scans
BEFORE, AFTER = 40, 40  # the most an expression reaches before and after its first core word


def windows(g: Grammar, low: str) -> list[tuple[int, int]]:
    """The stretches of text that can hold an expression: around digits and core words
    (months, weekdays, units, ...), widened to whole words. Rules scan only these, which
    in news is about a third of the text."""
    if len(low) <= BEFORE + AFTER or not USE_WINDOWS:
        return [(0, len(low))]
    # windows of two core words at most BEFORE + AFTER apart overlap: one window
    out: list[tuple[int, int]] = []
    n, reach = len(low), BEFORE + AFTER
    first = last = -1
    for m in _runs(g.core).finditer(low):
        s, e = m.span()
        if last < 0 or s - last > reach:
            if last >= 0:
                out.append((max(0, first - BEFORE), min(n, last + AFTER)))
            first = s
        last = e
    if last >= 0:
        out.append((max(0, first - BEFORE), min(n, last + AFTER)))
    spans = []
    for s, e in out:
        while s > 0 and low[s - 1].isalnum():
            s -= 1
        while e < n and (low[e].isalnum() or low[e] in ".'’"):
            e += 1  # never end inside a word: (?!\w) must see the real next character
        spans.append((s, e))
    return spans


@functools.cache
def _runs(core: re.Pattern[str]) -> re.Pattern[str]:
    """The core pattern matching a run of digits at once: the same windows (a run's digits
    are adjacent), a tenth of the matches on a line of numbers."""
    assert core.pattern.startswith(r"\d|")
    return re.compile(r"\d+" + core.pattern[2:], core.flags)


def lowercase(text: str) -> str:
    """Lower case with the same length: offsets into it are offsets into the text."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text)


# ------------------------------------------------------------------ tagging


def _select(cands: list[tuple[int, int, int, re.Match[str], Rule]],
            accept: Callable[[tuple[int, int, int, re.Match[str], Rule]], bool] | None = None,
            ) -> list[Any]:
    """Longest match wins, then the earlier rule; kept spans never overlap. `accept` (the
    false-friend filters) is asked only about a candidate that would be kept: one that
    overlaps a kept span is dropped whatever it says, so asking first changed nothing but
    the time. Kept characters are marked in a bytearray, so a text with thousands of
    candidates (a 1 MB line of dates) costs their total length, not n log n plus the
    quadratic inserts into a sorted list this replaced."""
    cands.sort(key=lambda c: (-(c[1] - c[0]), c[2], c[0]))
    taken = bytearray(max((c[1] for c in cands), default=0) + 1)
    points: list[int] = []  # kept empty spans: they hold no character, yet block a span
    out = []
    for c in cands:
        s, e = c[0], c[1]
        if s < e:
            if taken.find(1, s, e) >= 0:
                continue
            if points and bisect.bisect_right(points, s) < bisect.bisect_left(points, e):
                continue  # an empty kept span strictly inside
        elif taken[s]:
            continue
        if accept is not None and not accept(c):
            continue
        if s < e:
            taken[s:e] = b"\x01" * (e - s)
        else:
            bisect.insort(points, s)
        out.append(c)
    out.sort(key=lambda c: c[0])
    return out


def _mod(g: Grammar, groups: dict[str, str | None]) -> str | None:
    for cls in ("qmod", "mod"):
        for key in (cls, cls + "2", cls + "3", cls + "4"):  # whichever alternative matched
            word = groups.get(key)
            if word:
                return nz.lookup(g.lang, cls, word)
    return None


def _anchor(g: Grammar, text: str, end: int) -> tuple[str, str] | None:
    """("BEFORE"|"AFTER", phrase) for an expression tied to an event ("hours before the summit")."""
    if g.anchor is None:
        return None
    m = re.match(r"\s+", text[end:end + 3])
    pos = end + (m.end() if m else 0)
    cue = g.anchor.match(text, pos)
    if not cue:
        return None
    words = _anchor_phrase(g, text, cue.end())
    if words is None:
        return None
    return g.anchor_dir[" ".join(cue.group(0).lower().split())], words


def _anchor_phrase(g: Grammar, text: str, pos: int) -> str | None:
    """The event phrase after an anchor word ("before | the summit")."""
    phrase = _ANCHOR_PHRASE.match(text, pos)
    if not phrase:
        return None
    # The anchor is a noun phrase: stop before a verb (a tense cue) and after four words;
    # after a subject pronoun it is a clause ("after he was captured"): the verb is the event.
    words: list[str] = []
    parts = phrase.group(1).split()
    clause = parts[0].lower() in g.subjects
    for w in parts:
        lw = w.lower()
        verb = bool((g.past and g.past.fullmatch(lw) and lw not in g.past_exclude)
                    or (g.future and g.future.fullmatch(lw)))
        if words and (lw in g.phrase_breaks or (verb and not clause)):
            break
        words.append(w)
    return " ".join(words[:3 if clause else 4])


def _event_anchored(g: Grammar, low: str, m: re.Match[str]) -> bool:
    """ "the day before authorities issued a warrant": the day counts from the event named
    after it, not from a date named before."""
    if g.anchor is None or not re.match(r"\s+\w", low[m.end():m.end() + 2]):
        return False
    last = re.search(r"(\w+)$", m.group(0))
    return last is not None and g.anchor.fullmatch(last.group(1)) is not None


# the article before a hyphened adjective is its noun's ("the 16-day strike"); "the mid-1990s"
# is a noun, its second part a number
_ADJECTIVAL = re.compile(r"(?:the|a|an)\s+(?=(?:fiscal\s+)?[\w]+-[^\W\d]+$)", re.IGNORECASE)


def _build(text: str, start: int, end: int, rel: dict[str, Any], dct: dt.date | None,
           tense: str | None, mod: str | None) -> Timex:
    m = _ADJECTIVAL.match(text, start, end)
    if m:  # "the 16-day strike", "the third-quarter profit": the article is the noun's
        start = m.end()
    t, v = nz.resolve(rel, dct, tense)
    return Timex(start, end, text[start:end], t, v, mod, relation={**rel, "tense": tense})


_LETTERS = re.compile(r"[^\W\d_]+")
_DIGIT = re.compile(r"\d")


_APPLICABLE: dict[tuple[str, frozenset[str] | None], tuple[int, ...]] = {}


def _applicable(g: Grammar, held: frozenset[str] | None) -> tuple[int, ...]:
    """The rules a window holding these classes can match, memoized: windows of news hold
    the same few sets of classes over and over."""
    key = (g.lang, held)
    got = _APPLICABLE.get(key)
    if got is None:
        if len(_APPLICABLE) > 10_000:  # adversarial text: many odd mixtures of classes
            _APPLICABLE.clear()
        got = _APPLICABLE[key] = tuple(
            i for i, r in enumerate(g.rules)
            if held is None or any(need <= held for need in r.any_of))
    return got


def _holds(g: Grammar, low: str, spans: list[tuple[int, int]]) -> list[frozenset[str]]:
    """The classes each window holds, from one pass over its words (see Grammar.class_words):
    a search per class and window cost more than the rules it saved."""
    words = g.class_words
    always = words.get("", frozenset())
    out = []
    for ws, we in spans:
        found = set(always)
        tokens = set(_LETTERS.findall(low, ws, we))
        if tokens:
            found.add("alpha")
            for t in tokens:
                found.update(words.get(t, ()))
        if _DIGIT.search(low, ws, we):
            found.update(g.digit_classes)
        out.append(frozenset(found))
    return out


def tag(text: str, dct: dt.date | str | None = None, lang: str = "en",
        mode: str = "auto") -> list[Timex]:
    """Every temporal expression in `text`, in text order, with code-point offsets. `mode`
    says whose time an underspecified date is in (narrative.py): "auto" reads it from the
    text, "news" always takes the creation time, "narrative" the story's reference time."""
    if isinstance(dct, str):
        dct = parse_day(dct[:10])  # not a real date: nothing to anchor on
    if lang not in lexicon.languages():
        from timeline.temporal.fallback import tag_fallback

        return tag_fallback(text, dct)
    g = grammar(lang)
    cands: list[tuple[int, int, int, re.Match[str], Rule]] = []
    low = lowercase(text)
    # a window longer than any of prose is cut in chunks; the dense ones are degraded
    spans, degraded = split(g.core, low, windows(g, low)) if USE_WINDOWS \
        else (windows(g, low), [])
    # the word classes each window holds: a rule skips a window without the words it needs
    # (a match lies inside one window, with every word it needs)
    holds = _holds(g, low, spans) if USE_WINDOWS else [None] * len(spans)
    for (ws, we), held in zip(spans, holds, strict=True):
        for i in _applicable(g, held):
            rule = g.rules[i]
            for m in (finditer(rule.regex, low, ws, we) if USE_WINDOWS
                      else rule.regex.finditer(low, ws, we)):  # the reference scan
                s, e = next((m.span(n) for n in rule.span_groups
                             if m.start(n) >= 0), m.span())
                cands.append((s, e, i, m, rule))
    out: list[Timex] = []
    tenses = TenseIndex(g, low, text)
    for start, end, _i, m, rule in _select(cands, lambda c: acceptable(g, c[4], c[3], text)):
        groups = {**m.groupdict(), "_text": m.group(0)}
        rel = nz.relation(lang, rule.norm, groups, rule.spec)
        tense = tenses.tense(start, end)
        if rel["k"] == "weekday" and rel.get("shift") is None:
            tense = possessive_tense(g, low, start, end) or tense
        mod = _mod(g, groups) or rule.spec.get("mod")
        q = m.span("qmod") if "qmod" in m.re.groupindex else (-1, -1)
        if q[0] == start and g.determiner.match(low, q[1] + 1):
            # "over the past four years": before an article the word is a preposition
            start, mod = q[1] + 1, None
        if rel["k"] == "range":
            out.extend(_range(text, m, rel, dct, tense, start, end))
            continue
        if rule.norm == "eve":  # "on the eve of the summit", "накануне саммита": the day before
            phrase = _anchor_phrase(g, text, m.end())
            if phrase:
                out.append(Timex(start, end, text[start:end], "DURATION", "P1D", None,
                                 anchor=phrase, relation={
                                     "k": "duration", "v": "P1D", "tense": tense,
                                     "anchor": {"dir": "BEFORE", "phrase": phrase}}))
            continue
        if rule.norm == "duration" and rel.get("k") == "duration" and is_rate(g, text, m):
            rel = {"k": "fixed", "v": rel["v"], "t": "SET"}
        later = m.groupdict().get("ago")
        if rule.norm == "ago" and later and later in rule.spec.get("unanchored_words", ()) \
                and rel["k"] in ("offset", "duration"):
            # what lies before "later" is the stretch of time, if no date is named before it
            rel = {**rel, "later": len(text[start:m.start("ago")].rstrip())}
        if rel["k"] == "offset" and rel.get("unit") in nz.CALENDAR_UNITS and rel.get("n") \
                and not rel.get("pod") and m.end() == end and _event_anchored(g, low, m):
            # "the day after his death": a day counted from the event, which the extractor
            # dates; the anchor word and its phrase become the duration's anchor
            last = re.search(r"\s+\S+$", m.group(0))
            assert last is not None  # _event_anchored found the anchor word
            end = m.start() + last.start()
            rel = {"k": "duration", "v": nz.duration_value(abs(rel["n"]), rel["unit"])}
        elif rel.get("points") and tense == "past":
            # "через неделю французы вошли": a week after the date the story last named
            # (a stretch of time if the story named no date before it, as "N later" is)
            rel = {k: v for k, v in rel.items() if k not in ("in", "points")}
            rel.update(anaphoric=True, later=end - start)
        elif g.anaphoric is not None and g.anaphoric.search(m.group(0)) \
                and not (g.deictic and g.deictic.search(m.group(0))) \
                and not _event_anchored(g, low, m):
            rel = {**rel, "anaphoric": True}
        tx = _build(text, start, end, rel, dct, tense, mod)
        if rel["k"] == "duration" and rel.get("later") is not None:
            tx = unanchored_later(text, tx)
        if (tx.type == "DURATION" or rel["k"] == "offset" or rel.get("vague_unit")) \
                and "anchor" not in (tx.relation or {}):  # "три дня спустя": its own signal
            anchored = _anchor(g, text, end)
            if anchored:
                direction, phrase = anchored
                rel2 = {**(tx.relation or {}), "anchor": {"dir": direction, "phrase": phrase}}
                if rel.get("vague_unit"):  # "через несколько часов после заявления": no "soon"
                    rel2 = {"k": "duration", "v": nz.duration_value("X", rel["vague_unit"]),
                            "tense": tense, "anchor": rel2["anchor"]}
                    tx = tx._replace(type="DURATION", value=rel2["v"])
                if rel.get("anaphoric") and rel.get("unit") == "D" and rel.get("n") in (-1, 1) \
                        and not rel.get("pod"):
                    # "на следующий день после голосования", "the next day after the vote": a
                    # day counted from the event named, as "the day after the vote" is
                    rel2 = {"k": "duration", "v": "P1D", "tense": tense,
                            "anchor": {"dir": direction, "phrase": phrase}}
                    tx = tx._replace(type="DURATION", value="P1D")
                elif rel["k"] == "offset" and rel.get("n") and not rel.get("pod") \
                        and rel.get("unit") in nz.CALENDAR_UNITS \
                        and (rel.get("in") or rel.get("points") or rel.get("later") is not None):
                    # "через два дня после срыва переговоров": two days counted from the
                    # event named, not from the date the story last named (a count after
                    # "через", "in", "later"; "next year after the vote" stays next year)
                    v = nz.duration_value(abs(rel["n"]), rel["unit"])
                    rel2 = {"k": "duration", "v": v, "tense": tense,
                            "anchor": {"dir": direction, "phrase": phrase}}
                    tx = tx._replace(type="DURATION", value=v)
                tx = tx._replace(anchor=phrase, relation=rel2,
                                  mod=tx.mod)
        out.append(tx)
    composed = compose(text, out, dct, g.links, tenses.tense)
    told = narrate(composed, dct, text, mode, tenses.cues)
    done = intervals(text, discourse(anaphora(told, dct, text), dct), g.links)
    if not degraded:
        return done
    done.extend(Timex(s, e, text[s:e], "DATE", v, relation={
        "k": "fixed", "v": v, "t": "DATE", "dense": True}) for s, e, v in dense_dates(
            lang, low, degraded))
    return sorted(done, key=lambda tx: (tx.start, tx.end))


def _range(text: str, m: re.Match[str], rel: dict[str, Any], dct: dt.date | None,
           tense: str | None, start: int, end: int) -> list[Timex]:
    """A range keeps two TimeML spans, each carrying the interval they form."""
    first, second = rel["parts"]
    sep_s, sep_e = m.span("sep")
    spans = [(start, sep_s), (sep_e, end)]
    # "September 10 to 13, 2023": the year (and month) written once belong to both ends.
    for part in (first, second):
        part["tense"] = tense
    t1 = nz.resolve(first, dct, tense)
    t2 = nz.resolve(second, dct, tense)
    out = []
    for (s, e), part, (t, v) in zip(spans, (first, second), (t1, t2), strict=True):
        out.append(Timex(s, e, text[s:e], t, v, None, t1[1], t2[1],
                         relation={**part, "range": [first, second]}))
    return out


def reresolve(tx: Timex, dct: dt.date | str | None) -> Timex:
    """The same expression anchored on another date: no re-reading of the text."""
    if tx.relation is None or tx.relation.get("k") == "fallback":
        return tx
    if isinstance(dct, str):
        dct = parse_day(dct[:10])  # not a real date: nothing to anchor on
    rel = tx.relation
    tense = rel.get("tense")
    t, v = nz.resolve(rel, dct, tense)
    begin, end_value = tx.begin, tx.end_value
    if "range" in rel:
        first, second = rel["range"]
        begin = nz.resolve(first, dct, first.get("tense", tense))[1]
        end_value = nz.resolve(second, dct, second.get("tense", tense))[1]
    return tx._replace(type=t, value=v, begin=begin, end_value=end_value)
