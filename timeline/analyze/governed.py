"""Subjects and objects a clause takes from outside its own words: the subject of the verb
that governs a complement clause ("La empresa anunció que cerrará dos plantas", "Компания
заявила, что закроет два завода"), and a Russian object fronted before its verb ("Реформу
отклонил парламент"). The words are data (complementizers in arguments.toml).
"""

from __future__ import annotations

from timeline.analyze import rucase
from timeline.analyze.frames import Span
from timeline.analyze.phrases import NOUNS, Index, np_left
from timeline.analyze.subjects import left_subject


def fronted_object(ix: Index, i: int) -> Span | None:
    """A Russian noun phrase opening the clause right before its verb that cannot be the
    verb's subject: an accusative that is no nominative ("Реформу отклонил"), or one whose
    nominative readings disagree with the verb in number ("Соглашение не подписали")."""
    first = ix.doc.sentences[ix.tok(i).sent].first
    j = i - 1
    while j >= first and (ix.tok(j).upos in ("ADV", "PART") or ix.low(j) in ix.lex.negations):
        j -= 1
    if j < first or ix.tok(j).upos not in NOUNS or ix.name_of[j] >= 0:
        return None
    a = np_left(ix, j, first)
    if a != first:
        return None
    c = rucase.cases(ix.tok(j).text)
    number = ix.tok(i).feat("Number")
    if "Acc" not in c or ("Nom" in c and (number is None
                                          or number in rucase.nominative_numbers(ix.tok(j).text))):
        return None
    return (a, j + 1)


def governor_subject(ix: Index, i: int, first: int) -> Span | None:
    """A verb with no subject in a clause that a complementizer opens after another verb
    ("La empresa anunció que cerrará dos plantas", "Банк заявил, что снизит ставку") has
    that verb's subject when it agrees in person and number; else None (pro-drop decides)."""
    w = ix.words
    j = i - 1
    while j >= first and (ix.tok(j).upos in ("AUX", "ADV", "PART") or ix.low(j) in w.clitics
                          or ix.low(j) in ix.lex.negations):
        j -= 1
    if j <= first or ix.low(j) not in w.complementizers:
        return None
    k = j - 1 if ix.tok(j - 1).text == "," else j
    k -= 1
    if k < first or ix.tok(k).upos != "VERB" or ix.tok(k).feat("VerbForm") != "Fin":
        return None
    v, g = ix.tok(i), ix.tok(k)
    persons = (v.feat("Person"), g.feat("Person"))
    if v.feat("Number") != g.feat("Number") or (None not in persons and len(set(persons)) > 1):
        return None  # a Russian past has no person: "заявила, что закроет"
    return left_subject(ix, k, 1)
