"""Clauses without a subject of their own that the subject finder walks past: a gerund
after "of"/"with" ("a man accused of killing three people appeared"), a participle that
qualifies the noun before it when the clause's own verb follows ("a woman charged with
fraud appeared"), and a preposition that opens a clause ("resigned after a report
criticised her"). The words are data ([headline] in arguments.toml): gerund_links,
clause_prepositions.
"""

from __future__ import annotations

from timeline.analyze.phrases import Index


def clause_opener(ix: Index, k: int, first: int) -> bool:
    """A preposition that opens a clause ("resigned after a report criticised her", "called
    it after talks collapsed"): the phrase after it is that clause's subject, not a phrase
    qualifying the subject before."""
    return ix.low(k) in ix.words.headline.get("clause_prepositions", ()) and k - 1 >= first


def gerund_complement(ix: Index, k: int, first: int) -> bool:
    """A gerund after a preposition ("accused of killing", "charged with defrauding"): the
    phrase after it is its object, and the subject of a later verb is further left."""
    t = ix.tok(k)
    return t.upos == "VERB" and (t.feat("VerbForm") == "Ger" or (
        t.feat("VerbForm") == "Part" and t.feat("Tense") == "Pres")) \
        and k - 1 >= first and ix.low(k - 1) in ix.words.headline.get("gerund_links", ())


def main_verb_follows(ix: Index, k: int) -> bool:
    """A finite verb follows k in the same clause, gerunds and infinitives aside ("a woman
    charged with defrauding banks appeared"; not "X called for talks that began")."""
    s = ix.doc.sentences[ix.tok(k).sent]
    for m in range(k + 1, s.end):
        t = ix.tok(m)
        if t.upos in ("PUNCT", "SCONJ", "CCONJ") or ix.low(m) in ix.words.relative_pronouns:
            return False
        if t.upos in ("VERB", "AUX") and t.feat("VerbForm") in ("Fin", "Part") \
                and t.feat("Tense") != "Pres":
            return True
    return False
