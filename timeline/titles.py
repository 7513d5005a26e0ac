"""Readable titles and real participants for the events a reader sees.

An event's title is the title of its best source mention, a short clause built from the
predicate and its arguments (timeline.analyze.arguments: "Kim Jong Un arrives at Vostochny
Cosmodrome by train"); the best source is one in English when a source in English tells it,
else its first. Every source keeps its own title and language, so `show --lang es` can title
the event as a Spanish source does. Participants are the names among the predicates'
subjects and objects, in the full form each document first gives them. Only shown events are
titled (timeline.salience): the hidden ones keep the kind/label form, which costs nothing.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

import attrs

from timeline import cluetitles, nountitles, salience
from timeline.analyze import Analysed
from timeline.analyze import arguments as args
from timeline.analyze.events import EventMention
from timeline.analyze.frames import head
from timeline.analyze.phrases import index
from timeline.reconcile import Event, mention_key

READER = "en"
_PER_LANGUAGE = 3  # candidate titles per language: an event told by 40 copies needs no 40


def _predicate(m: Mapping[str, Any]) -> EventMention | None:
    if not m.get("pos"):
        return None  # no analysis for its language
    word = m["trigger"].split()[0] if m["trigger"].split() else m["trigger"]
    return EventMention(m["start"], m["start"] + len(word), word, m.get("lemma") or word,
                        m["pos"], m.get("event_class") or "OCCURRENCE", m.get("tense") or "NONE",
                        m.get("aspect") or "NONE", _polarity(m),
                        m.get("modality") or "")


def _polarity(m: Mapping[str, Any]) -> str:
    """A mention the extraction found denied ("ended without an agreement") is titled as
    denied, whatever its own word's polarity: a title never says what the source did not."""
    return "NEG" if m.get("status") == "negated" else m.get("polarity") or "POS"


def _head(m: Mapping[str, Any], doc: Analysed, em: EventMention) -> EventMention:
    """The predicate of a trigger of several words: its verb, else its noun ("sworn in",
    "втором туре" -> "туре", "primera vuelta" -> "vuelta", "golpe de estado" -> "golpe"),
    not its first word."""
    if len(m["trigger"].split()) < 2:
        return em
    ix = index(doc)
    i = ix.by_start.get(em.start)
    if i is None:
        return em
    end = em.start + len(m["trigger"])
    span = [t for t in doc.tokens[i:i + 8] if t.end <= end]
    run = span[:next((k for k, t in enumerate(span) if t.upos == "ADP"), len(span))]
    pick = next((t for t in span if t.upos == "VERB"), None) \
        or next((t for t in reversed(run) if t.upos == "NOUN"), None)
    if pick is None or pick.i == i:
        return em
    noun = pick.upos == "NOUN"
    return attrs.evolve(em, start=pick.start, end=pick.end, text=pick.text, lemma=pick.lemma,
                        pos=pick.upos, tense="NONE" if noun else em.tense,
                        aspect="NONE" if noun else em.aspect)


Told = tuple[str, tuple[str, ...], str | None]  # title, participants, place


def _told(m: Mapping[str, Any], doc: Analysed | None) -> Told:
    em = _predicate(m)
    if doc is None or em is None:
        return "", (), None
    try:
        em = _head(m, doc, em)
        got = args.arguments(doc, em)
        title = cluetitles.mended(doc, em, args.title(doc, em, got))
        if em.pos == "NOUN" and not got.participants and len(title.split()) < 3:
            clause = _governing(doc, em)
            if clause is not None:
                return clause
        if em.pos == "NOUN":  # "Второй тур выборов ...", "Segunda vuelta electoral en ..."
            phrase = nountitles.noun_title(doc, em)
            title = phrase if len(phrase.split()) > len(title.split()) else title
        return title, got.participants, _event_place(doc, em, got)
    except (IndexError, KeyError, ValueError):
        return "", (), None  # offsets the analysis does not know: the old title stands


def _event_place(doc: Analysed, em: EventMention, got: args.Arguments) -> str | None:
    """Where the predicate says it happened: a place governed by a place preposition ("in
    Geneva") or its object ("visited Tarsk"); not where it went from or to ("arrives from
    North Korea", "flies to Moscow"), which is no place of the event's own."""
    fr = args.frame(doc, em)
    if got.place is None or fr is None:
        return None
    ix = index(doc)
    if fr.place_prep >= 0 and ix.low(fr.place_prep) not in ix.words.place_prepositions:
        return None
    return got.place


def _governing(doc: Analysed, em: EventMention) -> Told | None:
    """An event noun's title that says only its noun ("Wildfire", "Meeting") gives way to
    the clause of the verb it is the subject of ("Wildfire breaks out near Patras"), or the
    object of a support verb, whose clause tells the event itself ("Mitsotakis to chair an
    emergency cabinet meeting"); not "rejects a bailout deal", a clause about another event,
    nor a saying's, which tells the saying."""
    from timeline.analyze.events import _mention, lexicon

    ix = index(doc)
    i = ix.by_start.get(em.start)
    if i is None:
        return None
    sent = doc.sentences[doc.tokens[i].sent]
    lex = lexicon(doc.lang)
    seen = ix.verb_mentions  # a sentence's verbs, read again for each of its nouns
    for tok in doc.tokens[sent.first:sent.end]:  # this sentence's verbs only: cheap
        if tok.upos != "VERB":
            continue
        vm = seen.get(tok.i, False)
        if vm is False:
            vm = seen[tok.i] = _mention(doc, tok, sent.first, sent.end, lex)
        if vm is None or vm.pos != "VERB" or vm.class_ == "REPORTING":
            continue
        fr = args.frame(doc, vm)
        if fr is None or fr.noun:
            continue
        support = vm.lemma.lower() in ix.words.support_verbs or fr.passive  # a passive's
        # patient is its grammatical subject ("A vigil is planned")
        spans = [sp for sp in (fr.subject, fr.obj if support else None) if sp is not None]
        if any(sp[0] <= i < sp[1] and head(ix, sp) == i for sp in spans):  # its head noun
            got = args.arguments(doc, vm)
            title = args.title(doc, vm, got)
            if len(title.split()) >= 2:
                return title, got.participants, _event_place(doc, vm, got)
    return None


def _quality(title: str, who: tuple[str, ...], lang: str, verbal: bool) -> tuple[int, ...]:
    """The best source's title: in the reader's language, naming someone, of a few words (a
    lone noun says less; a sentence-long one is no title), a clause rather than a noun
    phrase ("Kim Jong Un arrives by train" before "Kim Jong Un's arrival"). Ties: the
    first."""
    words = len(title.split())
    return (lang == READER, bool(who), 3 <= words <= 10, verbal, -abs(words - 6))


def titled(events: Sequence[Event], mentions: Sequence[Mapping[str, Any]],
           analysed: Mapping[str, Analysed | None], lang_of: Mapping[str, str]) -> list[Event]:
    by_key = {mention_key(m): m for m in mentions}
    out = []
    for e in events:
        if not salience.visible(e):
            out.append(e)
            continue
        titles: dict[tuple[str, int], str] = {}
        rank: dict[str, tuple[int, ...]] = {}
        people: Counter[str] = Counter()
        per_lang: Counter[str] = Counter()
        places: dict[str, str] = {}  # title -> the place its predicate governs
        for k in sorted(e.mentions):
            m = by_key.get(k)
            if m is None or per_lang[lang_of.get(m["document"], "")] >= _PER_LANGUAGE:
                continue
            per_lang[lang_of.get(m["document"], "")] += 1
            title, who, place = _told(m, analysed.get(m["document"]))
            lang = lang_of.get(m["document"], "")
            if title and (who or len(title.split()) >= (2 if lang == READER else 3)):
                # "Deal", "Crisis llega": the kind's own title ("Agreement at Brussels
                # (Cyprus)") says more; "Vigil planned" in the reader's language says more
                # than a clause the reader cannot read
                titles.setdefault((m["document"], m["sentence_start"]), title)
                rank.setdefault(title, _quality(title, who, lang, m.get("pos") == "VERB"))
                if place:
                    places.setdefault(title, place)
            people.update(who)
        sources = [{**s, "lang": lang_of.get(s["document"], ""),
                    **({"title": t} if (t := titles.get((s["document"], s["start"]))) else {})}
                   for s in e.sources]
        best = max(rank, key=lambda t: rank[t], default=e.title)
        participants = [p for p, _ in sorted(people.items(), key=lambda kv: (-kv[1], kv[0]))]
        # an event with no place takes the one its best title's predicate governs ("in
        # Pokhara"); a place extraction found stays (it may be a conjunct's: "factories in
        # Komsomolsk and military facilities in Vladivostok")
        out.append(attrs.evolve(e, title=best, sources=sources,
                                participants=participants[:6] or e.participants,
                                place=e.place or places.get(best)))
    return out
