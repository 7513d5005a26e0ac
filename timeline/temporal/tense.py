"""The tense that governs each expression: past, future, present or none.

News says when by the verb as much as by the date: "met on Wednesday" is the last Wednesday,
"will visit on Thursday" the next. The cue words are data per language (`[tense]` in
timeline/resources/<lang>/temporal.toml); this module only finds them, once per text, and
picks the one that governs a span.
"""

from __future__ import annotations

import bisect
import re

from timeline import lexicon
from timeline.temporal.grammar import Grammar

_SENTENCE_END = re.compile(r"[.!?;:]\s|\n")
# the tense index reads lower-cased text: "Mr." and "vs." are abbreviations in any case
_ABBREVIATION = re.compile(lexicon.ABBREVIATION_END.pattern, re.IGNORECASE)


_CLAUSE_BREAK = re.compile(r"[,;:—–(]\s|\s[—–]\s|\)")


class TenseIndex:
    """Sentence breaks, clause breaks and tense cues of a text, looked up by bisection: the
    tense of each expression costs log n, however long the text. Cues are found per
    sentence, and only in the sentences an expression asks about."""

    WINDOW = 400

    def __init__(self, g: Grammar, text: str, cased: str | None = None) -> None:
        self.text = text
        self.cased = text if cased is None else cased  # as written: a headline's names
        self.g = g
        self.deadline = g.deadline
        self.sent_ends = [(m.start(), m.end()) for m in _SENTENCE_END.finditer(text)
                          if not (text[m.start()] == "." and _ABBREVIATION.search(
                              text, max(0, m.start() - 6), m.start() + 1))]
        self.sent_starts = [e for _, e in self.sent_ends]
        self.sent_breaks = [s for s, _ in self.sent_ends]
        clause = [(m.start(), m.end()) for m in _CLAUSE_BREAK.finditer(text)]
        self.clause_ends = [e for _, e in clause]
        self.clause_starts = [s for s, _ in clause]
        self.bounds = [0, *self.sent_starts, len(text)]
        # sentence -> its cues and their starts (a 1 MB line is one sentence: bisect into it)
        self.found: dict[int, tuple[list[tuple[int, int, str]], list[int]]] = {}

    def cues(self, s: int, e: int) -> list[tuple[int, int, str]]:
        """The cues that start in [s, e), in text order."""
        out: list[tuple[int, int, str]] = []
        k = max(0, bisect.bisect_right(self.bounds, s) - 1)
        while k < len(self.bounds) - 1 and self.bounds[k] < e:
            if k not in self.found:
                found = self._scan(self.bounds[k], self.bounds[k + 1])
                self.found[k] = (found, [c[0] for c in found])
            cues, starts = self.found[k]
            out += cues[bisect.bisect_left(starts, s):bisect.bisect_left(starts, e)]
            k += 1
        return out

    def _scan(self, lo: int, hi: int) -> list[tuple[int, int, str]]:
        g, text = self.g, self.text
        cues: list[tuple[int, int, str]] = []
        for m in g.cue.finditer(text, lo, hi) if g.cue is not None else ():
            label = m.lastgroup or ""
            word = m.group(0)
            if label == "past" and word in g.past_exclude:
                continue
            if word.split()[0] in g.not_cue_first and g.not_cue is not None \
                    and g.not_cue.match(text, m.start()):
                continue
            if label == "past" and g.participle_after is not None \
                    and g.participle_after.search(text, max(0, m.start() - 30), m.start()):
                continue  # "would be paid": the auxiliary carries the tense
            if label == "past" and g.participle_agent is not None \
                    and g.participle_agent.match(text, m.end()):
                continue  # "analysts polled by the agency expect": the finite verb says when
            if label == "future" and g.plan_passed is not None \
                    and g.plan_passed.search(text, max(0, m.start() - 20), m.start()):
                label = "past"  # "had been due to expire Friday": a plan now past
            cues.append((m.start(), m.end(), label))
        if g.headline_future is not None and _headline(text, lo, hi):
            # "to" and a verb, not a name ("returns to Pyongyang") nor after a move ("heads
            # to cosmodrome")
            cues += [(m.start(), m.end(), "future")
                     for m in g.headline_future.finditer(text, lo, hi)
                     if self.cased[m.end():m.end() + 1].islower()
                     and not _after_word(text, lo, m.start(), g.moves)]
            cues.sort()
        return cues  # one left-to-right scan: already in text order

    def sentence(self, start: int, end: int) -> tuple[int, int]:
        i = bisect.bisect_right(self.sent_starts, start) - 1
        s = self.sent_starts[i] if i >= 0 else 0
        s = max(s, start - self.WINDOW)
        j = bisect.bisect_left(self.sent_breaks, end)
        e = self.sent_breaks[j] if j < len(self.sent_breaks) else len(self.text)
        return s, min(e, end + self.WINDOW)

    def tense(self, start: int, end: int) -> str | None:
        """The tense that governs a span: a cue in its own clause (the verb before it
        first), else the nearest cue in the sentence. A deadline points ahead whatever the
        verb: "has given them until 9 a.m. Tuesday"."""
        if self.deadline is not None and self.deadline.search(self.text, max(0, start - 80),
                                                              start):
            return "future"
        s, e = self.sentence(start, end)
        i = bisect.bisect_right(self.clause_ends, start) - 1
        cs = max(s, self.clause_ends[i]) if i >= 0 and self.clause_ends[i] <= start else s
        j = bisect.bisect_left(self.clause_starts, end)
        ce = min(e, self.clause_starts[j]) if j < len(self.clause_starts) else e
        best: tuple[int, int, int, str] | None = None
        for ms, me, label in self.cues(s, e):
            if ms < s or ms >= e or start <= ms < end or me > e:
                continue
            outside = 0 if cs <= ms < ce else 1
            dist = start - me if me <= start else ms - end
            side = 0 if me <= start or outside else 1  # in-clause: the verb before first
            cand = (outside, side, dist, label)
            if best is None or cand < best:
                best = cand
        return best[3] if best else None


HEADLINE_REACH = 400  # a headline is among the text's first characters
HEADLINE_LENGTH = 200


def _headline(text: str, lo: int, hi: int) -> bool:
    """Whether [lo, hi) is a headline: a line of its own near the text's start, short, with
    no sentence's end, and a body after it ("Ground staff to strike from Monday")."""
    line = text[lo:hi].rstrip()
    return lo < HEADLINE_REACH and 0 < len(line) <= HEADLINE_LENGTH \
        and (lo == 0 or text[lo - 1] == "\n") and hi < len(text) and text[hi] == "\n" \
        and text[hi:].strip() != "" and line[-1] not in ".!?:;"


def _after_word(text: str, lo: int, pos: int, words: frozenset[str]) -> bool:
    """Whether the word right before `pos` (from `lo` on) is one of `words`."""
    before = text[lo:pos].split()
    return bool(before) and before[-1] in words


def possessive_tense(g: Grammar, low: str, start: int, end: int) -> str | None:
    """ "get around Wednesday's ruling": a day in the possessive names an event the story
    reports, so it lies behind, whatever the verb ("would") says; "ahead of Sunday's vote"
    names one awaited. None when the day is not in the possessive."""
    if g.possessive is None or not g.possessive.match(low, end):
        return None
    if g.possessive_ahead is not None and g.possessive_ahead.search(low, max(0, start - 20), start):
        return "future"
    return "past"
