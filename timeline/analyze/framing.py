"""Build a verb's frame (timeline.analyze.frames): its subject (timeline.analyze.subjects, or
after the verb when inverted, reported or dropped), its object, a passive's agent, its place
and means, a pronoun's antecedent. Event nouns: timeline.analyze.nounframes."""

from __future__ import annotations

from timeline.analyze import rucase
from timeline.analyze.frames import (
    Frame,
    Span,
    bounds,
    head,
    is_passive,
    prepositional,
    reflexive_before,
    region_end,
    right_phrase,
)
from timeline.analyze.governed import fronted_object, governor_subject
from timeline.analyze.phrases import NOUNS, Index, np_right
from timeline.analyze.places import find_means, find_place, place_at
from timeline.analyze.reduced import clause_opener
from timeline.analyze.subjects import left_subject, prodrop_subject, sentence_subject


def _agent(ix: Index, lo: int, hi: int) -> Span | None:
    w = ix.words
    for k in range(lo, hi):
        if ix.low(k) in w.agent_prepositions:
            span = right_phrase(ix, k + 1, hi)
            bare = span is not None and ix.tok(span[0]).upos == "NOUN" \
                and ix.name_of[span[0]] < 0 and w.agent_needs_determiner
            if span is not None and not bare:  # "por precaución" is a cause, no agent
                return span
        elif w.agent_case and ix.tok(k).feat("Case") == w.agent_case \
                and ix.tok(k).upos in NOUNS and ix.tok(k - 1).upos != "ADP":
            a = k
            b = np_right(ix, a, hi)
            return (a, b) if b > a else None
    return None


_PHRASE_START = frozenset({"DET", "NOUN", "PROPN", "NUM", "ADJ", "PRON"})


def _object(ix: Index, j: int, stop: int) -> tuple[Span | None, int, int]:
    """(object, its preposition, a particle) after a verb at j - 1."""
    w = ix.words
    particle = -1
    while j < stop and ix.tok(j).upos == "ADV":
        j += 1
    if j < stop and ix.low(j) in w.particles and ix.tok(j).upos in ("ADP", "ADV", "PART") \
            and not (j + 1 < stop and (ix.temporal(j + 1) or ix.tok(j + 1).upos == "NUM")):
        particle, j = j, j + 1  # "walked off the job", not "resigned on Friday"
    elif j < stop and ix.low(j) in w.bare_particles and ix.tok(j).upos in ("ADP", "ADV", "PART") \
            and not (j + 1 < stop and ix.tok(j + 1).upos in _PHRASE_START
                     and ix.low(j + 1) not in w.passive_complements | w.agent_prepositions):
        particle, j = j, j + 1  # "was sworn in as president", not "arrived in Moscow"
    while j < stop and (ix.temporal(j) or (j + 1 < stop and ix.tok(j).upos in ("DET", "ADP")
                                            and ix.temporal(j + 1))):
        j += 1 if ix.temporal(j) else 2  # "rechazó este martes el plan", "во вторник в"
        if j < stop and ix.tok(j).upos == "NUM" and ix.temporal(j - 1):
            j += 1  # "won the November 19 runoff": the day goes with its month
    if j < stop and ix.low(j) in w.object_prepositions:
        indirect = prepositional(ix, j, stop, w.object_prepositions)
        if indirect is not None:  # "concedió a Chipre un crédito": the direct one
            direct = right_phrase(ix, indirect[1], stop)
            if direct is not None and not temporal_phrase(ix, direct):
                return direct, -1, particle
    if j + 1 < stop and ix.low(j) in w.focus_particles:
        j += 1  # "существует и другая версия": "и" is "also" here
    span = right_phrase(ix, j, stop)
    if span is not None and ix.lang == "ru":
        h = ix.tok(head(ix, span))
        if h.feat("Case") not in (None, "Acc", "Gen", "Nom") \
                and not rucase.cases(h.text) & {"Acc", "Gen"}:
            span = None  # an instrumental or dative is no direct object
    if span is not None and temporal_phrase(ix, span):
        span = None
    if span is not None:
        return span, -1, particle
    if j < stop and ix.low(j) in w.place_prepositions:
        place = place_at(ix, j, stop)  # "se reunió en Dalsby con el canciller": past it
        if place is not None and place[1] < stop and ix.low(place[1]) in w.object_prepositions \
                and _someone(ix, place[1] + 1, stop):
            j = place[1]
    if j < stop and ix.low(j) in w.object_prepositions:
        span = prepositional(ix, j, stop, w.object_prepositions)
        if span is not None and not temporal_phrase(ix, span):
            n = ix.name_of[span[0]]
            if n < 0 or ix.names[n].label != "PLACE":
                return span, j, particle
    return None, -1, particle


def _someone(ix: Index, j: int, stop: int) -> bool:
    """A phrase at j naming a person or a body, or headed by a title ("el canciller Omar
    Rahimi", "министром финансов"; not "con 72 personas a bordo")."""
    span = right_phrase(ix, j, stop)
    if span is None:
        return False
    return any(ix.is_title(m) or (ix.name_of[m] >= 0 and ix.names[ix.name_of[m]].label
                                  in ("PERSON", "ORG")) for m in range(*span))


def temporal_phrase(ix: Index, span: Span) -> bool:
    """ "for nine months", "last week": a time, not what the verb acts on."""
    h = ix.tok(head(ix, span))
    if any(ix.low(m) in ix.words.links for m in range(*span)):
        return False  # "a day of mourning"
    return ix.temporal(h.i) or h.lemma.lower() in ix.words.adverbials


def _prenominal(ix: Index, i: int, first: int, stop: int) -> bool:
    """A past participle between an article (or adverb) and its noun qualifies the noun."""
    t = ix.tok(i)
    participle = t.feat("VerbForm") == "Part" or (t.feat("VerbForm") == "Fin"
                                                  and t.feat("Tense") == "Past")
    if not participle or t.feat("Tense") == "Pres" or i == first:
        return False
    before = ix.tok(i - 1).upos == "DET" or (ix.tok(i - 1).upos == "ADV" and i - 2 >= first
                                              and ix.tok(i - 2).upos == "DET")
    return before and i + 1 < stop and ix.tok(i + 1).upos == "NOUN" \
        and np_right(ix, i + 1, stop) > i + 1


def verb_frame(ix: Index, i: int) -> Frame:
    first, end = bounds(ix, i)
    stop = region_end(ix, i, end)
    if _prenominal(ix, i, first, stop):  # "the newly opened airport": the airport opened
        obj = (i + 1, np_right(ix, i + 1, stop))
        return Frame(i, False, None, "", obj, -1, -1, None, -1, None, True, False)
    passive = is_passive(ix, i, first)
    grammatical = left_subject(ix, i)
    via = ""
    obj, obj_prep, particle = _object(ix, i + 1, stop)
    # "se firmó el acuerdo": a reflexive with an object and no subject is a passive
    reflexive = not passive and grammatical is None and obj is not None and obj_prep < 0 \
        and reflexive_before(ix, i, first)
    subject = grammatical
    if passive:
        obj, obj_prep = grammatical, -1
        subject = _agent(ix, i + 1, stop)
        via = "agent" if subject else ""
    elif subject is None and not reflexive:
        if obj is not None and obj_prep < 0 and _reported_by(ix, obj, i):
            subject = obj  # "“...”, said the minister", "— заявил президент"
            obj, obj_prep, particle = _object(ix, obj[1], stop)
        elif ix.lang == "ru" and (said := governor_subject(ix, i, first)) is not None:
            subject, via = said, "prodrop"  # "заявил, что продлит": who said it
        elif ix.lang == "ru":
            subject, obj = _russian_after(ix, i, obj if obj_prep < 0 else None, stop, obj)
            via = "prodrop" if subject is not None and subject[1] <= i else ""
        else:
            inverted = obj is not None and obj_prep < 0 and _inverted_subject(ix, obj, i)
            if inverted and obj is not None:
                subject = obj
                obj, obj_prep, particle = _object(ix, obj[1], stop)
            elif ix.words.pro_drop:
                subject = governor_subject(ix, i, first) or prodrop_subject(ix, i)
                via = "prodrop" if subject else ""
    if subject is None and not passive and not reflexive:
        subject = _adjunct_subject(ix, i, first)  # ", throwing into doubt": the main clause's
    if subject is not None and via == "" and ix.tok(subject[0]).upos == "PRON" \
            and subject[1] - subject[0] == 1:
        resolved = _pronoun(ix, subject, i)
        if resolved is not None:
            subject, via = resolved, "pronoun"
    stood_for = None
    if passive and obj is not None and ix.tok(obj[0]).upos == "PRON" and obj[1] - obj[0] == 1:
        stood_for = _pronoun(ix, obj, i)  # "He was expected": who was
    elif obj is not None and obj_prep < 0 and obj[0] > i:
        stood_for = _thing_object(ix, obj, subject, i, first)
    obj_via = "pronoun" if stood_for is not None else ""
    obj = stood_for or obj
    place_prep, place = _verb_place(ix, i, stop, subject, None if passive or obj_prep >= 0 else obj,
                                    [s for s in (subject, obj) if s is not None])
    means = find_means(ix, i + 1, stop)
    return Frame(i, False, subject, via, obj, obj_prep, particle, place, place_prep, means,
                 passive, reflexive, obj_via)


def _verb_place(ix: Index, i: int, stop: int, subject: Span | None, direct: Span | None,
                taken: list[Span]) -> tuple[int, Span | None]:
    """(preposition, place) of verb i: a place phrase after it, else one opening its clause
    ("In Vladivostok, Putin hosted"), else its direct object after a verb of place ("visited
    Tarsk": the object is where it happened)."""
    first = bounds(ix, i)[0]
    found = find_place(ix, i + 1, stop, taken)
    if found is None:
        lo = subject[0] if subject is not None and subject[1] <= i else i
        clause = not any(ix.tok(k).upos in ("VERB", "AUX", "CCONJ", "SCONJ")
                         for k in range(first, lo))
        found = find_place(ix, first, lo, taken) if clause and lo > first else None
    if found is not None:
        return found
    lemma = ix.tok(i).lemma.lower()
    if direct is not None and lemma in ix.words.place_objects:
        k = ix.name_of[direct[0]]
        if k >= 0 and ix.names[k].end == direct[1] and (ix.names[k].label == "PLACE" or (
                ix.names[k].label == "OTHER" and lemma in ix.words.untyped_place_objects)):
            return -1, direct
    return -1, None


def _adjunct_subject(ix: Index, i: int, first: int) -> Span | None:
    """A gerund or participle after a comma ("rejected a deal ..., throwing into doubt")
    has the subject of the clause it hangs on."""
    t = ix.tok(i)
    if i - 1 < first or ix.tok(i - 1).text != "," or not (
            t.feat("VerbForm") in ("Ger", "Conv") or (t.feat("VerbForm") == "Part"
                                                     and t.feat("Tense") == "Pres")):
        return None
    for k in range(first, i - 1):  # the main clause: its first verb with a subject
        v = ix.tok(k)
        if v.upos == "VERB" and v.feat("VerbForm") in ("Fin", "Part"):
            found = left_subject(ix, k, 1)
            if found is not None:
                return found
    return None


def _thing_object(ix: Index, obj: Span, subject: Span | None, i: int, first: int
                  ) -> Span | None:
    """ "The port reopened on Friday, three days after a gale closed it": "it" is the subject
    of a verb before this clause (not of this one), when nothing follows the pronoun that
    makes it a clause's subject ("said it would"), and only in a clause a clause preposition
    opens ("after", "until"). Elsewhere the nearest phrase is as often not what "it" stands
    for ("expended every effort to stop it", "take out the battery and put it back in"), and
    a title with "it" is vague where one with the wrong thing is false."""
    a = obj[0]
    if obj[1] - a != 1 or ix.tok(a).upos != "PRON" or ix.low(a) not in ix.words.thing_pronouns \
            or (obj[1] < len(ix.doc.tokens) and ix.tok(obj[1]).upos in ("VERB", "AUX")):
        return None
    k = (subject[0] if subject is not None and subject[1] <= i else i) - 1
    if not clause_opener(ix, k, first):
        return None
    while k >= first:  # the nearest verb before: its object, else its subject
        if ix.tok(k).upos == "VERB":
            fr = ix.frames.get(k)
            if fr is None:
                fr = ix.frames[k] = verb_frame(ix, k)
            for span in (fr.obj if fr.obj_prep < 0 else None, fr.subject):
                if span is not None and span[1] <= i and ix.tok(head(ix, span)).upos != "PRON":
                    return span
            return None
        k -= 1
    return None


def _russian_after(ix: Index, i: int, first_np: Span | None, stop: int, obj: Span | None
                   ) -> tuple[Span | None, Span | None]:
    """(subject, object) of a Russian verb with no subject before it. A noun phrase after the
    verb that can only be a nominative and agrees ("Существует версия", "приняли участие
    поэт Андрей Вознесенский") is its subject; else the previous sentence's subject when the
    verb agrees with it (pro-drop); else a phrase the tagger read as a nominative."""
    number = ix.tok(i).feat("Number")
    candidates: list[Span] = []
    span = first_np
    while span is not None and len(candidates) < 2:
        candidates.append(span)
        span = right_phrase(ix, span[1], stop)
    fronted = fronted_object(ix, i)
    if fronted is not None:  # "Реформу отклонил парламент": the nominative after is who
        for span in candidates:
            h = ix.tok(head(ix, span))
            if h.upos != "PRON" and (number is None or number in
                                     rucase.nominative_numbers(h.text)):
                return span, fronted
        return None, fronted  # "Соглашение не подписали": they, whoever they are
    for span in candidates:
        h = ix.tok(head(ix, span))
        c = rucase.cases(h.text) if h.upos != "PRON" else frozenset()
        numbers = rucase.nominative_numbers(h.text) if c else frozenset()
        if c and "Nom" in c and "Acc" not in c and (number is None or number in numbers):
            return span, (obj if span != obj else None)
    dropped = prodrop_subject(ix, i)
    if dropped is not None:
        return dropped, obj
    for span in candidates:
        h = ix.tok(head(ix, span))
        if h.feat("Case") == "Nom" and number is not None and h.feat("Number") in (None, number):
            return span, (obj if span != obj else None)
    return None, obj


def _reported_by(ix: Index, span: Span, verb: int) -> bool:
    """A reporting verb after a quotation or a comma has its speaker after it."""
    first = ix.doc.sentences[ix.tok(verb).sent].first
    before = ix.tok(verb - 1).upos == "PUNCT" or ix.low(verb - 1) in ix.words.report_openers
    return verb > first and ix.lex.classes.get(ix.tok(verb).lemma.lower()) == "REPORTING" \
        and before and ix.tok(head(ix, span)).upos != "PRON"


def _inverted_subject(ix: Index, span: Span, verb: int) -> bool:
    """A Spanish subject after its verb: a person's or a body's name that agrees
    ("llegó el presidente Julio Ferrán"), or one that agrees when no earlier subject can
    be the dropped one."""
    from timeline.analyze.arguments import name_parts

    h = ix.tok(head(ix, span))
    if ix.lang == "en":
        return False
    parts = name_parts(ix, span)
    named = parts is not None and len(parts) == 1 \
        and ix.names[parts[0]].label in ("PERSON", "ORG")
    if named and ix.tok(verb).feat("Number") in (None, "Sing"):
        return True
    number = ix.tok(verb).feat("Number")
    if number is not None and h.feat("Number") not in (None, number):
        return False
    if ix.lang == "ru":
        return h.feat("Case") == "Nom" and ix.tok(verb).feat("Number") is not None
    n = ix.name_of[head(ix, span)]
    return n >= 0 and ix.names[n].label in ("PERSON", "ORG") \
        and prodrop_subject(ix, verb) is None


def _pronoun(ix: Index, span: Span, verb: int) -> Span | None:
    """A pronoun's antecedent: the subject of an earlier verb of the same sentence ("The
    bank said it would cut", "he would"); for "he", "ella", "он", else the previous
    sentence's subject when it is a person's name."""
    low = ix.low(span[0])
    person = low in ix.words.person_pronouns
    if not person and low not in ix.words.thing_pronouns:
        return None
    first = ix.doc.sentences[ix.tok(verb).sent].first
    for k in range(span[0] - 1, first - 1, -1):
        t = ix.tok(k)
        if t.upos == "VERB" and (t.feat("VerbForm") == "Fin" or (
                t.feat("VerbForm") == "Part" and t.feat("Tense") == "Past"
                and not is_passive(ix, k, first))):  # the tagger's English past
            earlier = left_subject(ix, k, 1)
            if earlier is not None and ix.tok(earlier[0]).upos != "PRON":
                return earlier
            break
    if not person:
        return None
    sent = ix.tok(verb).sent
    for back in (1, 2):
        if sent - back < 0:
            return None
        prev = sentence_subject(ix, sent - back) or _patient(ix, sent - back)
        if prev is not None:
            from timeline.analyze.arguments import name_parts

            parts = name_parts(ix, prev)
            if parts and len(parts) == 1 and ix.names[parts[0]].label in ("PERSON", "OTHER"):
                return prev
    return None


def _patient(ix: Index, sent: int) -> Span | None:
    """The grammatical subject of a sentence's first passive ("Milei sworn in as
    president"): a person it names is who a later "he" is, as the subject of an active."""
    s = ix.doc.sentences[sent]
    for k in range(s.first, s.end):
        if ix.tok(k).upos == "VERB" and is_passive(ix, k, s.first):
            subj = left_subject(ix, k)
            return subj if subj is not None and ix.tok(head(ix, subj)).upos in NOUNS else None
    return None
