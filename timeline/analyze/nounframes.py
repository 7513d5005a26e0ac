"""The frame of an event noun ("talks", "la visita de", "переговоры"): its doer from a
possessive, an agentive "of"/"de" name or the support verb it is the object of ("The leaders
held talks"), its complement after "of"/"on" (a Russian genitive), its place and means.
Apart from timeline.analyze.framing because a noun has no voice, no particle and no dropped
subject: none of a verb's walks apply.
"""

from __future__ import annotations

from timeline.analyze.frames import Frame, Span, bounds, prepositional, region_end, right_phrase
from timeline.analyze.phrases import Index, np_left
from timeline.analyze.places import find_means, find_place
from timeline.analyze.subjects import left_subject


def noun_frame(ix: Index, i: int) -> Frame:
    first, end = bounds(ix, i)
    stop = region_end(ix, i, end)
    w = ix.words
    subject: Span | None = None
    via = ""
    j = i - 1
    while j >= first and ix.tok(j).upos in ("ADJ", "NUM"):
        j -= 1
    if j - 1 >= first and ix.low(j) in w.possessives:
        subject, via = (np_left(ix, j - 1, first), j), "possessive"
    obj, obj_prep = None, -1
    k = i + 1
    if k < stop and (ix.low(k) in w.links or (ix.lang == "ru" and ix.tok(k).feat("Case") == "Gen")):
        start = k + 1 if ix.low(k) in w.links else k
        span = right_phrase(ix, start, stop)
        if span is not None and all(ix.tok(m).upos == "NUM" for m in range(*span)):
            span = None  # "la segunda vuelta del 19 de noviembre": a day, not a complement
        if span is not None:
            n = ix.name_of[span[0]]
            if subject is None and n >= 0 and _agentive(ix, n, k):
                subject, via = span, "of"
            else:
                obj, obj_prep = span, (k if start > k else -1)
            k = span[1]
    if obj is None:
        span = prepositional(ix, k, stop, w.noun_complements)
        if span is not None:
            obj, obj_prep = span, k
    if subject is None:
        subject = _support_subject(ix, i, first)
        via = "support" if subject else ""
    taken = [s for s in (subject, obj) if s is not None]
    found = find_place(ix, i + 1, stop, taken)
    place_prep, place = found if found else (-1, None)
    return Frame(i, True, subject, via, obj, obj_prep, -1, place, place_prep,
                 find_means(ix, i + 1, stop), False, False)


def _agentive(ix: Index, n: int, link: int) -> bool:
    """A name after "of"/"de" that can be the doer: not a place, unless its only evidence
    of being one was that very preposition ("la visita de Inés Carvajal")."""
    name = ix.names[n]
    if name.label != "PLACE":
        return True
    words = [ix.low(m) for m in range(name.first, name.end)]
    return ix.low(link) in ix.lists.place_prepositions and 2 <= len(words) <= 4 \
        and not any(w in ix.lists.place_words for w in words)


def _support_subject(ix: Index, i: int, first: int) -> Span | None:
    """ "The leaders held talks": an event noun that is the object of a support verb has
    that verb's subject."""
    j = i - 1
    while j >= first and ix.tok(j).upos in ("DET", "ADJ", "NUM"):
        j -= 1
    verb = ix.tok(j) if j >= first else None
    if verb is not None and verb.upos == "VERB" and verb.lemma.lower() in ix.words.support_verbs:
        return left_subject(ix, j)
    return None
