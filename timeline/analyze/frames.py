"""A predicate's frame: its subject, object, place and means, as token spans of the sentence.

This module holds the frame record and what reads rightwards from the predicate or decides
its voice: where its complements end, whether it is passive ("was rejected", a bare
participle with an agent, a Russian short participle), a phrase's head, the noun phrase after
a word ("for"-like modifiers joined, times left out). The leftward walk for the subject is
timeline.analyze.subjects; timeline.analyze.framing builds verb frames from both, and
timeline.analyze.nounframes the frames of event nouns.
"""

from __future__ import annotations

from typing import NamedTuple

from timeline.analyze.phrases import (
    HEADS,
    NOUNS,
    Index,
    coordinated_right,
    modifier_verb,
    np_right,
)
from timeline.analyze.reduced import main_verb_follows
from timeline.analyze.voice import headline_passive, participle_only

Span = tuple[int, int]
STOP = frozenset({"SCONJ"})
SKIP_LEFT = frozenset({"AUX", "ADV", "PART"})


class Frame(NamedTuple):
    pred: int
    noun: bool
    subject: Span | None
    via: str  # how the subject was found: "", "prodrop", "pronoun", "agent", "possessive"
    obj: Span | None
    obj_prep: int  # the preposition before the object, -1 when none
    particle: int  # "walked off": the particle after the verb, -1 when none
    place: Span | None
    place_prep: int
    means: Span | None
    passive: bool
    reflexive: bool  # "se firmó": an impersonal or passive reflexive, no subject sought
    obj_via: str = ""  # "pronoun": the object is what an object pronoun stood for


def bounds(ix: Index, i: int) -> tuple[int, int]:
    s = ix.doc.sentences[ix.doc.tokens[i].sent]
    return s.first, s.end


def region_end(ix: Index, i: int, stop: int) -> int:
    """Where a predicate's complements end: the next predicate, clause word or comma."""
    w = ix.words
    for k in range(i + 1, stop):
        t = ix.tok(k)
        low = t.text.lower()
        if t.upos in STOP or low in w.relative_pronouns or t.text in ",;:()\"“”«»" \
                or (t.upos == "VERB" and low not in w.particles
                    and not modifier_verb(ix, k, stop)) \
                or (t.upos == "PUNCT" and t.text not in "-'’"):
            return k
    return stop


def is_passive(ix: Index, i: int, first: int) -> bool:
    """A participle after a passive auxiliary ("was rejected", "fue rechazada"; a past the
    tagger read as finite counts: "a deal was struck"), a bare participle with an agent,
    a Russian short participle."""
    t = ix.tok(i)
    form = t.feat("VerbForm")
    if not (form == "Part" or (form == "Fin" and t.feat("Tense") == "Past")) \
            or t.feat("Tense") == "Pres":
        return False
    j = i - 1
    while j >= first:
        a = ix.tok(j)
        if a.upos == "AUX" or a.lemma.lower() in ix.words.passive_auxiliaries:
            if a.lemma.lower() in ix.words.passive_auxiliaries:
                return True
        elif a.upos not in SKIP_LEFT:
            break
        j -= 1
    if j == i - 1 and headline_passive(ix, i, j, first):
        return True
    if form != "Part":
        return False
    if j == i - 1 and (j < first or ix.tok(j).upos in NOUNS or ix.tok(j).upos in ("PRON", "NUM")
                       or ix.tok(j).text == ","):
        # no auxiliary: a participle after a noun or opening its clause is passive when an
        # agent follows ("customers attracted by", "un tebeo publicado en España por")
        stop = region_end(ix, i, ix.doc.sentences[t.sent].end)
        k = i + 1
        while k < stop and ix.tok(k).upos == "ADV":
            k += 1
        if k < stop and ix.tok(k).upos in ("DET", "NOUN", "PROPN", "PRON", "NUM"):
            return False  # an object follows: "crews reached the village"
        if participle_only(ix, t):
            return True  # "Milei sworn in as president": no past is spelt so
        if k < ix.doc.sentences[t.sent].end and ix.low(k) in ix.words.passive_complements \
                and j >= first and ix.tok(j).upos in NOUNS and main_verb_follows(ix, k):
            return True  # "a woman charged with fraud appeared": the clause's verb follows
        w = ix.words
        if any(ix.low(k) in w.agent_prepositions and k + 1 < stop
               and ix.tok(k + 1).lemma.lower() not in w.means_nouns for k in range(i + 1, stop)):
            return True
    # a Russian short participle ("подписан") is passive by itself: it has no case
    return ix.lang == "ru" and t.feat("Case") is None and t.feat("Aspect") is not None


def reflexive_before(ix: Index, i: int, first: int) -> bool:
    j = i - 1
    while j >= first and (ix.tok(j).upos in ("ADV", "PART") or ix.low(j) in ix.lex.negations):
        j -= 1
    return j >= first and ix.low(j) in ix.words.reflexive


def head(ix: Index, span: Span) -> int:
    """The head token of a phrase: the last noun before a link (English), the first noun
    (Spanish, Russian: "el parlamento chipriota", "план помощи")."""
    a, b = span
    nouns = [m for m in range(a, b) if ix.tok(m).upos in HEADS]
    if not nouns:
        return b - 1
    if ix.lang == "en":
        for m in range(a, b):
            if ix.low(m) in ix.words.links or ix.low(m) in ix.words.possessives:
                before = [n for n in nouns if n < m]
                if ix.low(m) in ix.words.links and before:
                    return before[-1]
        return nouns[-1]
    if ix.lang == "ru":
        found = next((m for m in nouns if ix.tok(m).feat("Case") != "Gen"), None)
        if found is None and ix.tok(a).upos == "ADJ" and ix.tok(a).feat("Case") != "Gen":
            return a  # a noun-like adjective heads: "Рабочие завода"
        return nouns[0] if found is None else found
    return nouns[0]



def right_phrase(ix: Index, j: int, stop: int) -> Span | None:
    """A noun phrase starting at j (after adverbs), with a "for"-like modifier joined."""
    while j < stop and ix.tok(j).upos == "ADV":
        j += 1
    b = np_right(ix, j, stop)
    if b == j:
        return None
    b = coordinated_right(ix, j, b, stop)
    if b + 1 < stop and ix.low(b) in ix.words.modifier_prepositions:
        e = np_right(ix, b + 1, stop)
        if e > b + 1 and not _time_words(ix, b + 1, e):  # not "money for three years"
            b = e
    return (j, b)


def _time_words(ix: Index, a: int, b: int) -> bool:
    """A phrase whose head is a time word ("three years", "two weeks"; not "a 15-year
    term")."""
    h = head(ix, (a, b))
    return ix.temporal(h) or ix.tok(h).lemma.lower() in ix.words.adverbials


def prepositional(ix: Index, j: int, stop: int, preps: frozenset[str]) -> Span | None:
    if j < stop and ix.low(j) in preps:
        return right_phrase(ix, j + 1, stop)
    return None


__all__ = ["SKIP_LEFT", "STOP", "Frame", "Span", "bounds", "head", "is_passive", "prepositional",
           "reflexive_before", "region_end", "right_phrase"]
