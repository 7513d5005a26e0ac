"""Open-class event mentions in extraction: the analysis layer's predicates beside the kinds.

The detector (timeline.analyze.events) finds every eventive predicate with its TimeML
attributes; extraction keeps its kinds (arrival, talks, strike ...) as labels, and turns every
other predicate into a mention of its own, dated by the same attachment rules. This module
holds what joins the two: an index of the analysis by offset, the attributes a mention
carries, its label, its word sense and its status. Pure, like extraction.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from typing import Any

import attrs

from timeline import concepts
from timeline.analyze import Analysed, eventclass
from timeline.analyze import events as detector
from timeline.analyze.events import EventMention
from timeline.vocabulary import Kind, Vocabulary

NEVER = re.compile(r"(?!)")  # an open-class mention's pseudo kind names no phrase
_WINDOW = 3  # tokens either side of a trigger that decide its sense ("meet ... demand")
_STOP = frozenset({"PUNCT", "SCONJ", "CCONJ"})
# classes of what happens; a report, a state or an intention is weaker timeline material
EVENTIVE = frozenset({"OCCURRENCE", "ASPECTUAL", "I_ACTION", "PERCEPTION"})


@attrs.frozen
class Index:
    """The analysis of one document, looked up by character offset."""

    doc: Analysed
    starts: list[int]  # token starts
    mentions: list[EventMention]
    mention_starts: list[int]

    @classmethod
    def build(cls, doc: Analysed) -> Index:
        ems = detector.event_mentions(doc)
        return cls(doc, [t.start for t in doc.tokens], ems, [m.start for m in ems])

    def in_span(self, s: int, e: int) -> list[EventMention]:
        lo = bisect.bisect_left(self.mention_starts, s)
        return self.mentions[lo:bisect.bisect_left(self.mention_starts, e, lo)]

    def head(self, ts: int, te: int) -> EventMention | None:
        """The detector's mention inside a trigger's span ("held talks": held)."""
        found = self.in_span(ts, te)
        return found[0] if found else None

    def token_attributes(self, ts: int, speech: bool) -> dict[str, Any]:
        """A kind's trigger the detector did not take ("met" tagged a name): the attributes
        its token gives, a saying's class for a saying."""
        i = bisect.bisect_left(self.starts, ts)
        if i >= len(self.doc.tokens) or self.doc.tokens[i].start != ts:
            return {}
        tok = self.doc.tokens[i]
        tense = {"Past": "PAST", "Pres": "PRESENT", "Fut": "FUTURE"}.get(tok.feat("Tense") or "",
                                                                        "NONE")
        return {"event_class": "REPORTING" if speech else "OCCURRENCE", "tense": tense,
                "aspect": "NONE", "polarity": "POS", "modality": "",
                "pos": "NOUN" if tok.upos in ("NOUN", "PROPN") else "VERB",
                "lemma": tok.lemma.lower()}

    def neighbours(self, ts: int, te: int) -> set[str]:
        """Lemmas of the few words before and after [ts, te) in its clause and sentence."""
        toks = self.doc.tokens
        i = bisect.bisect_left(self.starts, ts)
        j = bisect.bisect_left(self.starts, te)
        if i >= len(toks):
            return set()
        sent = toks[i].sent
        out: set[str] = set()
        for step, k in ((-1, i - 1), (1, j)):
            n = 0
            while 0 <= k < len(toks) and n < _WINDOW and toks[k].sent == sent \
                    and toks[k].upos not in _STOP:
                out.add(toks[k].lemma.lower())
                out.add(toks[k].text.lower())
                k += step
                n += 1
        return out

    def phrase(self, em: EventMention, lang: str) -> tuple[str, int] | None:
        """The concept of a phrase `em` heads ("llamó a revisión" -> recall) and where the
        phrase ends, or None: the words after the head, as lemmas, in one sentence."""
        ps = concepts.phrases(lang).get(em.lemma.lower())
        if not ps:
            return None
        toks = self.doc.tokens
        i = bisect.bisect_left(self.starts, em.start)
        for tail, cid in ps:
            after = toks[i + 1:i + 1 + len(tail)]
            if len(after) == len(tail) and all(
                    t.sent == toks[i].sent and w in (t.lemma.lower(), t.text.lower())
                    for t, w in zip(after, tail, strict=True)):
                return cid, after[-1].end if after else em.end
        return None


def index(doc: Analysed | None) -> Index | None:
    """The index of a document, built once and kept with it (``doc.derived``): a run
    extracts a document again in each dating round, from the same analysis."""
    if doc is None:
        return None
    idx = doc.derived.get("openclass")
    if idx is None:
        idx = doc.derived["openclass"] = Index.build(doc)
    return idx


def wrong_sense(kind: Kind, ts: int, te: int, idx: Index | None, low: str) -> bool:
    """ "meet additional demand", "a late session rally", "swap lines", "the deal had been
    killed": a neighbour the kind lists as not its sense (`not_with` in events.toml)."""
    if not kind.not_with:
        return False
    if idx is not None:
        return not idx.neighbours(ts, te).isdisjoint(kind.not_with)
    # no analysis (an unsupported language): the words as written, plurals with them
    near = re.findall(r"\w+", low[max(0, ts - 30):ts])[-_WINDOW:] \
        + re.findall(r"\w+", low[te:te + 30])[:_WINDOW]
    return any(w.rstrip("s") in kind.not_with or w in kind.not_with for w in near)


def attributes(em: EventMention | None) -> dict[str, Any]:
    """The TimeML attributes a mention carries (none known: an empty dict)."""
    if em is None:
        return {}
    return {"event_class": em.class_, "tense": em.tense, "aspect": em.aspect,
            "polarity": em.polarity, "modality": em.modality, "pos": em.pos,
            "lemma": em.lemma.lower()}


def label(em: EventMention, voc: Vocabulary, low: str, s: int, e: int,
          idx: Index | None, said: tuple[str, int] | None = None) -> str:
    """The kind a predicate's lemma names when its context allows ("walkout" -> strike),
    else the concept of the phrase it heads (`said`, as `Index.phrase` found it: "llamó a
    revisión" -> recall), else its own concept ("fell", "cayó", "упал" -> fall;
    timeline.concepts), else the lemma itself: kinds are labels, not a gate."""
    lemma = em.lemma.lower()
    for k in voc.form_kinds.get(lemma, ()):
        if (k.context is None or k.context.search(low, s, e)) \
                and not wrong_sense(k, em.start, em.end, idx, low):
            return k.name
    return said[0] if said else concepts.concept(voc.lang, lemma) or lemma


def pseudo_kind(em: EventMention, name: str) -> Kind:
    """A kind of one mention, so that the attachment rules treat it as its own group."""
    return Kind(name=f"\x00{em.start}", label=name, regex=NEVER, container=False, phase=None,
                needs_time=False, attribute=None, values={},
                speech=em.class_ == "REPORTING")


def is_pseudo(kind: Kind) -> bool:
    """An open-class mention's kind: a time of a clause without an event of its own goes to
    such a mention only when it is the last event before that clause."""
    return kind.regex is NEVER


def covered(em: EventMention, spans: Sequence[tuple[int, int]]) -> bool:
    return any(a <= em.start < b or em.start <= a < em.end for a, b in spans)


def status(base: str, attrs_: dict[str, Any], voc: Vocabulary, text: str, s: int,
           ts: int, denial_asked: bool = False) -> str:
    """occurred | planned | reported | negated | hypothetical, from the cues of the text
    (`base`, as extraction reads them) and the predicate's TimeML attributes.
    `denial_asked`: `base` is "negated" already if `denied` says so here."""
    if base == "negated" or attrs_.get("polarity") == "NEG" \
            or (not denial_asked and denied(voc, text, s, ts)):
        return "negated"  # "no agreement was announced", "no se firmó", "не подписали"
    modal = attrs_.get("modality") or ""
    if modal and not _future(modal, voc.lang):
        if base == "planned" and voc.planned is not None and any(
                m.group(0).lower() != modal
                for m in voc.planned.finditer(text, max(s, ts - 60), ts + 1)):
            return "planned"  # "is expected to ... could sign": a plan, its modal aside
        return "hypothetical"  # "would meet", "podría firmar", "может подписать"
    if attrs_.get("tense") == "FUTURE":
        return "planned"
    return base


DENIAL_REACH = 120  # how far after "denied that" its clause goes on, in characters


def denied(voc: Vocabulary, text: str, s: int, ts: int) -> bool:
    """The predicate at `ts` lies in the clause a denial opens, earlier in its sentence
    ("Heldor denied that it had ignored the warnings": the ignoring is denied)."""
    if voc.denied is None:
        return False
    for m in voc.denied.finditer(text, max(s, ts - DENIAL_REACH - 60), ts):
        if ts - m.end() <= DENIAL_REACH:
            return True
    return False


def _future(modal: str, lang: str) -> bool:
    return modal in detector.lexicon(lang).future


_UNREAL = frozenset({"planned", "hypothetical"})
_WANTING = frozenset({"I_ACTION", "I_STATE"})


def inherit_status(mentions: Sequence[dict[str, Any]], idx: Index | None) -> None:
    """Statuses the grammar passes on within one sentence's mentions, in place: the event
    subject of an aspectual verb is as real as the verb ("el recuento terminará el
    miércoles", "рост продолжится в 2027 году": the count and the growth are planned too),
    and a subjunctive verb in the clause an intention or a request opens is not told as
    having happened ("pidió que se repita la votación"). Only an "occurred" changes."""
    if idx is None or not mentions:
        return
    toks, starts = idx.doc.tokens, idx.starts

    def at(i: int) -> dict[str, Any] | None:
        t = toks[i]
        return next((m for m in mentions if m["start"] <= t.start < m["end"]), None)

    for m in mentions:
        i = bisect.bisect_left(starts, m["start"])
        if i >= len(toks) or toks[i].start != m["start"]:
            continue
        tok = toks[i]
        if m.get("event_class") == "ASPECTUAL" and m["status"] in _UNREAL \
                and tok.feat("VerbForm") == "Fin":
            k = eventclass.subject_of(toks, i, idx.doc.sentences[tok.sent].first)
            subject = at(k) if k >= 0 else None
            if subject is not None and subject is not m and subject["status"] == "occurred":
                subject["status"] = m["status"]
        elif m["status"] == "occurred" and tok.feat("Mood") == "Sub" \
                and _wanted(toks, i, idx.doc.sentences[tok.sent].first, at):
            m["status"] = "hypothetical"


def _wanted(toks: Sequence[Any], i: int, first: int, at: Any) -> bool:
    """The clause of the verb at ``i`` opens with a subordinator right after an I_ACTION or
    I_STATE mention, perhaps past its object ("pidió a los diputados que aprobaran")."""
    k = i - 1
    while k >= first and toks[k].upos != "SCONJ":
        if toks[k].upos in ("VERB", "PUNCT") or i - k > 6:
            return False
        k -= 1
    j, n = k - 1, 0
    while j >= first and toks[j].upos in ("DET", "NOUN", "PROPN", "PRON", "ADP") and n < 4:
        j, n = j - 1, n + 1
    head = at(j) if j >= first else None
    return head is not None and head.get("event_class") in _WANTING
