"""Passives a participle alone tells: a headline's ("Woman charged with fraud") and a form
no past shares ("Milei sworn in as president").

Running text writes a passive with its auxiliary ("a woman was charged"); a headline drops
it and the article, and gives an active verb in the present ("Woman charges"), so a bare
participle after a bare singular noun, with a passive's complement after it, is a passive.
An English participle spelt unlike its past ("sworn", "taken") is one wherever it stands.
"""

from __future__ import annotations

from timeline.analyze import names
from timeline.analyze.document import Token
from timeline.analyze.phrases import Index
from timeline.analyze.resources import irregular_verbs


def participle_only(ix: Index, t: Token) -> bool:
    """A form the language spells only as a participle ("sworn", "taken", "written"):
    without an auxiliary, after its subject, it is a passive (a headline's or a reduced
    relative's), never a finite past."""
    got = irregular_verbs(ix.lang).get(t.text.lower())
    return got is not None and "VerbForm=Part" in got[1]


def headline_passive(ix: Index, i: int, j: int, first: int) -> bool:
    """"Woman charged with fraud": a participle (or a past: English spells both alike) right
    after a headline's subject, with no object and a passive's complement after it."""
    k = i + 1
    while k < len(ix.doc.tokens) and ix.tok(k).upos == "ADV":
        k += 1
    return k < len(ix.doc.tokens) and ix.tok(k).sent == ix.tok(i).sent \
        and ix.low(k) in ix.words.passive_complements and _headline_subject(ix, j, first)


def _headline_subject(ix: Index, j: int, first: int) -> bool:
    """A bare singular count noun or a number opening its clause ("Woman", "Three"): the
    subject a headline gives a passive participle, which running text writes with its
    article ("a woman was charged") and a headline's active verb in the present ("Woman
    charges"), so a bare participle after it is a passive."""
    if j < first:
        return False
    t = ix.tok(j)
    bare = j == first or ix.tok(j - 1).upos == "PUNCT"
    low = t.text.lower()
    common = t.upos == "NOUN" or (t.upos == "PROPN" and names.common_noun(ix.lang, low))
    noun = common and t.feat("Number") != "Plur" and low == t.lemma.lower()
    return bare and (noun or t.upos == "NUM")
