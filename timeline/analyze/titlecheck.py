"""Clauses no journalist would write, refused so the event takes a better source's title.

A title that would say less than the kind's own title, or something the source did not, is
worse than none (timeline.titles then takes another source mention, or the kind's noun):
a lone pronoun or number as the one who acted ("He is due back" -> "He dues back", "two
days after a storm closed it" -> "Two closes it"), a copula or light verb that carries no
event by itself ("A man appeared in court" read as "Spree appears"), an adjective after a
copula the tagger read as a verb, an infinitive after a wh-word whose subject belongs to
another verb ("know how to deal" -> "Descendants to deal"), and, where nouns decline, an
event noun not in the nominative ("после закрытия участков" -> "Закрытия участков": a
headline names its event in the nominative). The words are data ([headline] in
arguments.toml: light_verbs, wh_words, oblique_cases).
"""

from __future__ import annotations

from timeline.analyze.events import EventMention
from timeline.analyze.frames import Frame, Span
from timeline.analyze.phrases import Index

_BARE = ("PRON", "NUM")


def _bare(ix: Index, span: Span | None) -> bool:
    """A phrase that is one pronoun or number the analysis found no antecedent for."""
    if span is None:
        return False
    a, b = span
    words = [m for m in range(a, b) if ix.tok(m).upos != "DET"]
    return len(words) == 1 and ix.tok(words[0]).upos in _BARE


def refused(ix: Index, fr: Frame, m: EventMention) -> bool:
    """Whether the verbal title of this frame would mislead or say nothing."""
    h = ix.words.headline
    tok = ix.tok(fr.pred)
    head = fr.obj if fr.passive and fr.subject is None else fr.subject
    if _bare(ix, head) and fr.via != "prodrop":
        return True
    lemma = tok.lemma.lower()
    if lemma in h.get("light_verbs", []) and fr.obj is None and not _told_where(ix, fr, lemma):
        return True
    if tok.upos == "ADJ" and fr.pred > 0 and ix.tok(fr.pred - 1).upos in ("AUX", "VERB"):
        return True  # "is due back": a state the tagger did not call a verb
    to = h.get("infinitive", "")
    if to and fr.pred > 1 and ix.low(fr.pred - 1) == to \
            and ix.low(fr.pred - 2) in h.get("wh_words", []):
        return True
    return False


def _told_where(ix: Index, fr: Frame, lemma: str) -> bool:
    """A light verb with a prepositional complement tells an event ("appeared in court",
    "remained in power"); not a copula or "have" ([headline] copulas)."""
    from timeline.analyze.headline import prepositional_complement

    if lemma in ix.words.headline.get("copulas", []):
        return False
    s = ix.doc.sentences[ix.tok(fr.pred).sent]
    k = fr.pred + 1
    while k < s.end and ix.tok(k).upos == "ADV":
        k += 1
    return k < s.end and ix.tok(k).upos == "ADP" and fr.place_prep != k \
        and bool(prepositional_complement(ix, fr, k, s.end))


def refused_noun(ix: Index, fr: Frame) -> bool:
    """Whether a nominal title would name its event in an oblique case (a noun right after
    a preposition is in one, whatever the tagger made of it: "после провала")."""
    oblique = ix.words.headline.get("oblique_cases", [])
    return ix.tok(fr.pred).feat("Case") in oblique or (
        bool(oblique) and fr.pred > 0 and ix.tok(fr.pred - 1).upos == "ADP")
