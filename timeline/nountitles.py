"""Titles for event nouns and the kind's fallback, as a journalist would write them.

An event noun's title is a noun phrase of the noun's own arguments in its sentence: the
modifiers before it (adjectives, an ordinal, an English compound or possessor: "Sunday's
presidential election"), its complement ("of"/"de"/a Russian genitive: "Второй тур выборов
президента Аргентины"; a complement preposition: "Investigation into the crash") and the
place the noun itself governs ("Visit to Bergen", "Talks in Geneva"), in the nominative
where the language declines ("во втором туре" -> "Второй тур"). A place or a name the
sentence ties to another predicate is not in it. When no source gives a clause or such a
phrase, the event is titled by its kind's label alone ("Election"): a wrong place or a
list of names that happen to stand near the word says less than the label.

Pure and cheap: one walk over the noun's own sentence, read from the analysis
(timeline.analyze: tokens, lemmas, UPOS, features, name chunks, the noun's frame).
"""

from __future__ import annotations

import functools
from typing import Any

from timeline import lexicon
from timeline.analyze import Analysed, rucase
from timeline.analyze import arguments as args
from timeline.analyze.events import EventMention
from timeline.analyze.frames import Frame, region_end
from timeline.analyze.phrases import Index, index, np_right
from timeline.analyze.rucase import nominative

_LEFT = frozenset({"ADJ", "NUM"})
_MAX_LEFT = 3  # modifiers before the noun: "the country's largest ever evacuation" stops
_MAX_WORDS = 10  # a title, not the sentence


@functools.cache
def _resource(lang: str) -> dict[str, Any]:
    return lexicon.resource(lang, "nountitles.toml")  # through run's parsed-resource cache


def _complements(lang: str) -> frozenset[str]:
    return frozenset(_resource(lang).get("complements", []))


def _adjectives_after(lang: str) -> bool:
    return bool(_resource(lang).get("adjectives_after", False))


def label_title(name: str) -> str:
    """The kind's (or the lemma's) label alone: what an event is titled by when no source
    mention gives a clause or a noun phrase (timeline.reconcile)."""
    return name.capitalize()


def noun_title(doc: Analysed, em: EventMention) -> str:
    """The noun phrase an event noun's own sentence gives it ("" when it is not a noun the
    analysis knows, or the phrase would be the noun alone)."""
    if em.pos != "NOUN":
        return ""
    fr = args.frame(doc, em)
    if fr is None or not fr.noun:
        return ""
    ix = index(doc)
    if ix.lang == "en" and fr.pred + 1 < len(doc.tokens) \
            and ix.tok(fr.pred + 1).upos in ("NOUN", "PROPN"):
        return ""  # "inspection drones": a noun qualifying another is no event of its own
    left = _left(ix, fr)
    possessor = any(ix.low(m) in ix.words.possessives for m in range(left, fr.pred))
    tail = _complement(ix, fr) + _place(ix, fr)
    right = fr.pred + 1
    while right < len(doc.tokens) and _adjectives_after(ix.lang) \
            and ix.tok(right).upos == "ADJ" and ix.tok(right).sent == ix.tok(fr.pred).sent \
            and right - fr.pred <= 2:
        right += 1  # "votación parlamentaria", "segunda vuelta electoral"
    if not tail and not possessor and right == fr.pred + 1:
        return ""  # "Heavy snowstorm" says no more than the kind's label or another clause
    words = "".join(doc.text[ix.tok(m - 1).end:ix.tok(m).start] * (m > left)
                    + _word(ix, m, fr.pred) for m in range(left, right))
    text = " ".join([words, *tail])
    cut = text.split()[:_MAX_WORDS]
    out = " ".join(cut)
    return out[:1].upper() + out[1:]


def _left(ix: Index, fr: Frame) -> int:
    """The first modifier before the noun: adjectives and numbers agreeing with it, in
    English a compound noun or a possessor ("Cyprus parliament's"), not a determiner."""
    i = fr.pred
    first = ix.doc.sentences[ix.tok(i).sent].first
    case = ix.tok(i).feat("Case")
    a = i
    possessive = ix.words.headline.get("possessive")
    while a - 1 >= first and i - (a - 1) <= _MAX_LEFT:
        t = ix.tok(a - 1)
        if ix.temporal(a - 1) and not (possessive and ix.low(a) in ix.words.possessives):
            break
        if t.upos in _LEFT and (case is None or t.feat("Case") in (case, None)):
            a -= 1
            continue
        if ix.lang == "ru" and case and case != "Nom" and ix.name_of[a - 1] < 0 \
                and nominative(t.text, case, True) != t.text:
            a -= 1  # an ordinal the tagger took for a noun ("во втором туре")
            continue
        if ix.lang == "en" and t.upos in ("NOUN", "PROPN") and a < i + 1:
            a -= 1  # "parliament vote", "Cyprus parliament"
            continue
        if possessive and ix.low(a - 1) in ix.words.possessives and a - 2 >= first \
                and ix.tok(a - 2).upos in ("NOUN", "PROPN"):
            a -= 2  # "parliament's vote", "Sunday's election"
            continue
        break
    while a < i and (ix.tok(a).upos == "DET" or ix.low(a) in ix.words.possessives):
        a += 1
    return a


def _word(ix: Index, m: int, head: int) -> str:
    """A word of the phrase before the complement: in Russian in the nominative when it
    agrees with the noun in an oblique case ("втором туре" -> "второй тур")."""
    t = ix.tok(m)
    text = t.text
    if ix.name_of[m] >= 0:
        return args._name(ix, ix.name_of[m]) if ix.names[ix.name_of[m]].first == m \
            and ix.names[ix.name_of[m]].end == m + 1 else text
    if ix.lang == "ru":
        case = ix.tok(head).feat("Case")
        if m == head and case and case != "Nom" and t.lemma[:1].isalpha():
            text = t.lemma if text[:1].islower() else t.lemma[:1].upper() + t.lemma[1:]
        elif case and case != "Nom":
            text = nominative(text, case, True)
    if m == ix.doc.sentences[t.sent].first and not t.text.isupper():
        text = text[:1].lower() + text[1:]
    return text


def _complement(ix: Index, fr: Frame) -> list[str]:
    """The noun's subject ("of X", "de X") and object ("on the bailout", a Russian
    genitive) as the frame found them, as written."""
    out: list[str] = []
    for span, via in ((fr.subject, fr.via), (fr.obj, "obj")):
        if span is None or span[0] <= fr.pred or span == fr.place:
            continue  # a possessor is already in the phrase; a support verb's subject
        if via not in ("of", "obj"):
            continue
        link = args._text(ix, fr.pred + 1, span[0]) if span[0] > fr.pred + 1 else ""
        if via == "obj" and fr.obj_prep >= 0:
            link = ix.tok(fr.obj_prep).text
        out.append(" ".join(p for p in (link, args._text(ix, *_clipped(ix, span))) if p))
    if fr.obj is None and fr.pred + 2 < len(ix.doc.tokens) \
            and ix.low(fr.pred + 1) in _complements(ix.lang) \
            and ix.tok(fr.pred + 1).sent == ix.tok(fr.pred).sent:
        end = np_right(ix, fr.pred + 2, region_end(ix, fr.pred + 1, _sentence_end(ix, fr)))
        if end > fr.pred + 2:
            end = _clipped(ix, (fr.pred + 2, end))[1]
            out.append(args._text(ix, fr.pred + 1, end))  # "into the collapse of the bridge"
    return out


def _clipped(ix: Index, span: tuple[int, int]) -> tuple[int, int]:
    """A complement without the nominative that follows it in a language that declines:
    "по газу | министры уехали" is the complement and the next clause's subject."""
    a, b = span
    if ix.tok(a).feat("Case") in (None, "Nom"):
        return span
    for k in range(a + 1, b):
        t = ix.tok(k)
        if t.feat("Case") == "Nom" and t.upos in ("NOUN", "PROPN") \
                and ix.tok(k - 1).feat("Case") not in (None, "Nom") \
                and ix.tok(k - 1).feat("Case") not in rucase.cases(t.text):
            return a, k
    return span


def _sentence_end(ix: Index, fr: Frame) -> int:
    return ix.doc.sentences[ix.tok(fr.pred).sent].end


def _place(ix: Index, fr: Frame) -> list[str]:
    """The place the noun governs, after its place preposition, as the sentence writes it
    ("в Аргентине" reads right after "в"); an English or Spanish name in full form."""
    if fr.place is None or fr.place_prep < 0 or fr.place_prep <= fr.pred:
        return []
    if ix.low(fr.place_prep) not in ix.words.place_prepositions:
        return []
    if fr.obj is not None and fr.obj[0] <= fr.place[0] < fr.obj[1]:
        return []  # inside the complement already
    k = ix.name_of[fr.place[0]]
    whole = k >= 0 and ix.names[k].first == fr.place[0] and ix.names[k].end == fr.place[1]
    text = args._name(ix, k) if whole and ix.lang != "ru" else args._text(ix, *fr.place)
    prep = ix.tok(fr.place_prep).text
    return [f"{prep[:1].lower() + prep[1:]} {text}"]
