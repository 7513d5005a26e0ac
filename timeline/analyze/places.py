"""Where a predicate happened and by what means: a name after a place preposition, in the
case the preposition must govern (Russian "в" + the prepositional is a place, "в" + the
accusative a direction), and "by train"-like phrases. The words are data (arguments.toml)."""

from __future__ import annotations

from timeline.analyze.frames import Span
from timeline.analyze.phrases import NOUNS, Index
from timeline.analyze.rucase import nominative

_PLACE_GAP = frozenset({"DET", "ADJ", "NUM"})


def _case_ok(cases: frozenset[str], case: str | None) -> bool:
    return not cases or case is None or case in cases


def place_at(ix: Index, k: int, stop: int) -> Span | None:
    """A place after the preposition at k: a name not of a person ("at the Vostochny
    Cosmodrome", "in the port city of Odessa"), or a place word named by a capitalised word
    ("на космодром Восточный")."""
    m = k + 1
    steps = 0
    while m < stop and steps < 5:
        t = ix.tok(m)
        n = ix.name_of[m]
        if n >= 0:
            name = ix.names[n]
            if name.label == "PERSON" and ix.tok(m - 1).upos != "DET":
                return None  # a person takes no article: "at the Harlow Space Centre" is a place
            end = min(name.end, stop)
            if ix.lang == "en" and end < stop and ix.tok(end).upos == "NOUN":
                return None  # "in Kellsburg trading": a name qualifying a noun
            return (m, end)
        low = t.text.lower()
        place_word = low in ix.lists.place_words or t.lemma.lower() in ix.lists.place_words \
            or (ix.lang == "ru" and nominative(t.text, t.feat("Case")).lower()
                in ix.lists.place_words)
        if place_word and t.upos in NOUNS and m + 1 < stop and ix.tok(m + 1).text[:1].isupper():
            e = m + 1
            while e < stop and ix.tok(e).text[:1].isupper() and ix.tok(e).upos in (
                    "PROPN", "ADJ", "NOUN"):
                e += 1
            return (m, e)
        if t.upos in _PLACE_GAP or place_word or low in ix.words.links:
            m += 1
            steps += 1
            continue
        return None
    return None


def find_place(ix: Index, lo: int, hi: int, taken: list[Span]) -> tuple[int, Span] | None:
    """The first place governed by a place preposition in tokens lo..hi, else the first
    reached by a direction preposition ("to Beijing", "в Москву")."""
    w = ix.words
    direction = None
    for k in range(lo, hi):
        low = ix.low(k)
        located = low in w.place_prepositions
        if not located and low not in w.direction_prepositions:
            continue
        span = place_at(ix, k, hi)
        if span is None or any(a <= span[0] < b for a, b in taken):
            continue
        case = ix.tok(span[0]).feat("Case")
        if located and _case_ok(w.place_prepositions[low], case):
            return k, span
        if direction is None and low in w.direction_prepositions \
                and _case_ok(w.direction_prepositions[low], case):
            direction = (k, span)
    return direction


def find_means(ix: Index, lo: int, hi: int) -> Span | None:
    """ "by train", "en tren", "на поезде": a means preposition and a bare vehicle noun."""
    w = ix.words
    for k in range(lo, hi - 1):
        low = ix.low(k)
        if low in w.means_prepositions:
            t = ix.tok(k + 1)
            lemma = t.lemma.lower()
            if t.upos == "NOUN" and (lemma in w.means_nouns or t.text.lower() in w.means_nouns) \
                    and _case_ok(w.means_prepositions[low], t.feat("Case")):
                return (k, k + 2)
    return None
