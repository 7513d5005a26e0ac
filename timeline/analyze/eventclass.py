"""The TimeML class of an event mention: a per-lemma table learnt on TimeBank, with context.

A predicate's class depends on what it governs as much as on its lemma: "said that ..."
reports, "agreed to sign" is an I_ACTION, "began selling" is ASPECTUAL, while "agreed on the
price" is an ordinary OCCURRENCE. So the table (``[classes]`` in eventnouns.toml, written by
scripts/seed_eventnouns.py from TimeBank, never AQUAINT) is keyed by lemma, TimeML part of
speech and, where TimeBank shows the context changes the class, the context signature
``context`` reads off the analysis: ``that`` (a "that"/"whether"/"if" clause follows),
``to`` (an infinitive follows, perhaps after its object: "asked the board to approve"),
``ing`` (a gerund follows). Lookup: lemma+pos+context, lemma+pos, the hand lists of
eventmentions.toml, the class of a learnt event noun, else OCCURRENCE.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from timeline.analyze.document import Token

CONTEXTS = ("that", "to", "ing")
_CLAUSE = frozenset({"that", "whether", "if"})
_OBJECT = frozenset({"DET", "ADJ", "NOUN", "PROPN", "PRON", "NUM"})  # before "to" + verb
_VERBAL = frozenset({"VERB", "AUX"})


def kind(tok: Token) -> str:
    """The TimeML pos a table key uses: VERB, NOUN, ADJECTIVE or OTHER."""
    if tok.upos in _VERBAL:
        return "VERB"
    if tok.upos in ("NOUN", "PROPN"):
        return "NOUN"
    return "ADJECTIVE" if tok.upos == "ADJ" else "OTHER"


def context(tokens: Sequence[Token], i: int, end: int) -> str:
    """What the predicate at ``i`` governs to its right in its sentence (tokens before
    ``end``): 'that', 'to', 'ing' or ''. An adverb or two may come between ("said
    yesterday that"), an object before an infinitive ("urged them to leave")."""
    j = i + 1
    while j < end and j <= i + 2 and tokens[j].upos == "ADV":
        j += 1
    if j >= end:
        return ""
    t = tokens[j]
    low = t.text.lower()
    if low in _CLAUSE and t.upos in ("SCONJ", "PRON", "DET"):
        return "that"
    if t.upos == "VERB" and (t.feat("VerbForm") == "Ger" or (
            t.feat("VerbForm") == "Part" and t.feat("Tense") == "Pres")):
        return "ing"  # UD English spells the -ing form as a present participle
    k = j
    while k < end and k <= j + 3 and tokens[k].upos in _OBJECT:
        k += 1
    if k + 1 < end and tokens[k].text.lower() == "to" and tokens[k + 1].upos in _VERBAL:
        return "to"
    return ""


def key(lemma: str, pos: str, ctx: str = "") -> str:
    return f"{lemma} {pos} {ctx}" if ctx else f"{lemma} {pos}"


def decide(lemma: str, pos: str, ctx: str, table: Mapping[str, str],
           hand: Mapping[str, str], nouns: Mapping[str, str]) -> str:
    """The class of a mention; see the module docstring for the order."""
    if ctx:
        got = table.get(key(lemma, pos, ctx))
        if got:
            return got
    got = table.get(key(lemma, pos))
    if got:
        return got
    if pos == "NOUN" and nouns.get(lemma):
        return nouns[lemma]
    return hand.get(lemma, "OCCURRENCE")
