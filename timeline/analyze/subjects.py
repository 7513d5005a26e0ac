"""The subject of a predicate: the noun phrase heading its clause, found by walking left.

No parser: from the predicate the walk passes auxiliaries, adverbs, negations and clitics, a
parenthesis between commas (a relative clause, an apposition), a prepositional phrase
("Workers at the plant walked"); a relative pronoun gives its antecedent, "and" or a
governing verb ("agreed to visit") their subject. Spanish and Russian drop subjects: a
third-person verb with none takes the previous sentence's subject when it agrees in number.
The walk stays inside one sentence. Its own module because it is the one leftward search
every frame, pronoun and governed clause shares (timeline.analyze.frames holds the rest).
"""

from __future__ import annotations

from timeline.analyze import rucase
from timeline.analyze.frames import SKIP_LEFT, STOP, Span, bounds, head, is_passive
from timeline.analyze.phrases import HEADS, NOUNS, Index, coordinated_left, np_left
from timeline.analyze.reduced import clause_opener, gerund_complement


def _parenthesis(ix: Index, comma: int, first: int) -> tuple[int, Span] | None:
    """Before a comma that closes a relative clause or an apposition ("The parliament, which
    met late, rejected"): the token before the opening comma and the parenthesis."""
    k = comma - 1
    while k >= first and ix.tok(k).text != ",":
        if ix.tok(k).upos in STOP and ix.low(k) not in ix.words.relative_pronouns:
            return None
        k -= 1
    if k <= first:
        return None
    inside = (k + 1, comma)
    if inside[0] >= inside[1]:
        return None
    head = ix.low(inside[0])
    verbs = any(ix.tok(m).upos == "VERB" for m in range(*inside))
    opener = ix.tok(inside[0])
    if head in ix.words.relative_pronouns or not verbs or opener.upos == "ADP" \
            or opener.feat("VerbForm") in ("Part", "Ger"):  # "capillas, alojadas entre ..., "
        return k - 1, inside
    return None


def _name_span(ix: Index, span: Span) -> bool:
    """A parenthesis that is a name alone ("El ministro, Michael Sarris, dijo")."""
    a, b = span
    k = ix.name_of[a]
    return k >= 0 and ix.names[k].first == a and ix.names[k].end == b \
        and ix.names[k].label in ("PERSON", "OTHER")


def _previous_verb(ix: Index, j: int, first: int, verb: int = -1) -> int:
    """The predicate a coordinated verb shares its subject with (a copula counts: "El
    cotejo será parte ... y se llevará a cabo"): the nearest of the same form and tense as
    `verb` ("warned North Korea that no country should help Putin kill ..., and stressed":
    warned, not kill), else the nearest."""
    nearest = -1
    want = (ix.tok(verb).feat("VerbForm"), ix.tok(verb).feat("Tense")) if verb >= 0 else None
    for k in range(j - 1, first - 1, -1):
        t = ix.tok(k)
        if t.upos == "VERB" or (t.upos == "AUX" and t.feat("VerbForm") == "Fin"):
            if want is None or (t.feat("VerbForm"), t.feat("Tense")) == want:
                return k
            if nearest < 0:
                nearest = k
        elif t.upos in STOP or t.text in ";:":
            break
    return nearest


_QUOTES = frozenset("\"“”«»„'‘’")


def _skippable(ix: Index, j: int, i: int) -> bool:
    """Between a subject and its verb: auxiliaries, adverbs, negations, modals, clitics,
    quotation marks, a time ("on Monday")."""
    t = ix.tok(j)
    low = ix.low(j)
    if t.upos == "ADP":
        return j + 1 < i and ix.temporal(j + 1)
    return (t.upos in SKIP_LEFT or low in ix.lex.negations
            or t.lemma.lower() in ix.lex.modals or low in ix.words.clitics
            or ix.temporal(j) or (t.upos == "PUNCT" and t.text in _QUOTES))


def _antecedent(ix: Index, j: int, first: int, verb: int = -1) -> Span | None:
    """The noun phrase a relative pronoun at j stands for (not for a first or second person
    verb: "el ordenador que compré" has a dropped "I"; only where a person is dropped: an
    English past has no person, whatever the tagger says of "who arrived")."""
    if verb >= 0 and ix.words.pro_drop and ix.tok(verb).feat("Person") in ("1", "2"):
        return None
    k = j - 1
    if k >= first and ix.tok(k).text == ",":
        k -= 1
    if k >= first and ix.tok(k).upos in NOUNS:  # not "lo que pone": a clause
        return (np_left(ix, k, first), k + 1)
    return None


def _phrase_subject(ix: Index, j: int, i: int, first: int, appos: Span | None
                    ) -> tuple[Span | None, int]:
    """The subject ending at j, or (None, where to look on) when the phrase there is no
    subject (a prepositional phrase, a Russian oblique, an age in commas)."""
    w = ix.words
    a = np_left(ix, j, first)
    if a > first and ix.tok(a - 1).upos == "ADP" and ix.low(a - 1) not in w.links \
            and not clause_opener(ix, a - 1, first):
        return None, a - 2  # a prepositional phrase after the subject: "Workers at the plant"
    if a - 1 > first and gerund_complement(ix, a - 1, first):
        return None, a - 1  # "A man accused of killing three people appeared": not them
    if ix.tok(j).upos == "ADJ" and not any(ix.tok(m).upos in HEADS for m in range(a, j)):
        return None, -1
    if all(ix.tok(m).upos == "NUM" for m in range(a, j + 1)) and a > first \
            and ix.tok(a - 1).text == "," and j + 1 < i and ix.tok(j + 1).text == ",":
        return None, a - 1  # "Nina Chahine, 19, said"
    inside = _relative_before(ix, a - 1, first)
    if inside is not None:
        return inside, -1  # "the bill that parliament rejected was": the bill
    a = coordinated_left(ix, a, first, j)
    if w.subject_case and not _can_be_subject(ix, a, j + 1, i):
        return None, a - 1  # a Russian object or adjunct before the verb: look further left
    if appos is not None and not any(ix.name_of[m] >= 0 and ix.names[
            ix.name_of[m]].label == "PERSON" for m in range(a, j + 1)):
        return appos, -1  # "El ministro de Economía, Andrés Velo, dijo": the person
    return (a, j + 1), -1


def left_subject(ix: Index, i: int, depth: int = 2) -> Span | None:
    """The noun phrase heading the clause before predicate i (None when there is none)."""
    first, _ = bounds(ix, i)
    w = ix.words
    form = ix.tok(i).feat("VerbForm")
    appos: Span | None = None
    j = i - 1
    while j >= first:
        t = ix.tok(j)
        if ix.low(j) in w.relative_pronouns and t.upos in ("PRON", "DET", "ADV", "SCONJ"):
            return _antecedent(ix, j, first, i)
        if ix.low(j) in w.report_openers:
            return None  # "según informó la entidad": the speaker follows, whatever the tag
        if _skippable(ix, j, i):
            j -= 1
            continue
        if t.text == ",":
            found = _parenthesis(ix, j, first)
            if found is None:
                return None
            j, inside = found
            if _name_span(ix, inside):
                appos = inside
            continue
        if t.upos in HEADS or ix.name_of[j] >= 0 or (t.upos == "ADJ" and ix.lang != "en"):
            span, j = _phrase_subject(ix, j, i, first, appos)  # a name is a head ("Jae-won")
            if span is not None or j < 0:
                return span
            continue
        if gerund_complement(ix, j, first) and ix.tok(i).feat("VerbForm") not in ("Ger", "Inf"):
            j -= 2  # "a man accused of killing ... appeared": past "of killing"
            ending = ix.words.headline.get("participle_ending")
            if ending and j - 1 >= first and ix.low(j).endswith(ending) \
                    and ix.tok(j - 1).upos in NOUNS:
                j -= 1  # and past "accused", whatever the tagger made of it
            continue
        if t.upos == "VERB" and t.feat("VerbForm") == "Part" and j > first \
                and ix.tok(j - 1).upos in NOUNS and _reduced_relative(ix, j):
            closed = _relative_before(ix, j, first)
            if closed is not None:
                return closed  # "the bill that parliament rejected was rewritten"
            j -= 1  # "the survey cited in the article shows": the participle qualifies
            continue
        if t.upos == "VERB" and depth > 0:
            if form in ("Inf", "Ger") or (form == "Part" and ix.tok(i).feat("Tense") == "Pres"):
                return left_subject(ix, j, depth - 1)  # "agreed to visit", "risks losing"
            return _relative_before(ix, j, first)  # "El ordenador que compré me dio"
        if (t.upos == "CCONJ" or ix.low(j) in w.coordinators) and depth > 0:
            v = _previous_verb(ix, j, first, i)  # "took Fallujah, but still face"
            return left_subject(ix, v, depth - 1) if v >= 0 else None
        return None
    return None


def _relative_before(ix: Index, j: int, first: int) -> Span | None:
    """When tokens up to j close a relative clause without commas ("el ordenador que compré
    aquí", "the bill that parliament rejected"), the phrase the clause qualifies."""
    if j < first or ix.tok(j).upos not in ("VERB", "AUX"):
        return None
    for k in range(j - 1, max(first - 1, j - 7), -1):
        t = ix.tok(k)
        if ix.low(k) in ix.words.relative_pronouns and t.upos in ("PRON", "DET", "SCONJ") \
                and k - 1 >= first and ix.tok(k - 1).upos in NOUNS:
            return _antecedent(ix, k, first)
        if t.upos in ("PUNCT", "SCONJ", "CCONJ") or (t.upos == "VERB" and k != j):
            return None
    return None


def _reduced_relative(ix: Index, j: int) -> bool:
    """A participle after a noun that is not the clause's verb: another verb follows in the
    sentence ("customers attracted by an interface are ...")."""
    s = ix.doc.sentences[ix.tok(j).sent]
    return any(ix.tok(k).upos in ("VERB", "AUX") for k in range(j + 1, s.end))



def _agrees(ix: Index, span: Span, verb: int) -> bool:
    v = ix.tok(verb).feat("Number")
    h = ix.tok(head(ix, span))
    n = h.feat("Number")
    if any(ix.low(m) in ix.words.coordinators for m in range(*span)):
        n = "Plur"
    return v is None or n is None or v == n


def _can_be_subject(ix: Index, a: int, b: int, verb: int) -> bool:
    """A nominative that agrees with its verb in number. In Russian the dictionary decides
    what the tagger may have misread ("Стороны" is a nominative plural, not only a
    genitive singular)."""
    h = ix.tok(head(ix, (a, b)))
    if ix.lang == "ru" and h.upos != "PRON":
        numbers = rucase.nominative_numbers(h.text)
        coordinated = any(ix.low(m) in ix.words.coordinators for m in range(a, b))
        v = ix.tok(verb).feat("Number")
        if not numbers:  # unknown to the dictionary ("ЕЦБ"): the tagger's Nom/Acc
            return h.feat("Case") in (None, "Nom", "Acc")
        return v is None or coordinated or v in numbers
    return h.feat("Case") in (None, ix.words.subject_case, "Acc") and _agrees(ix, (a, b), verb)



def prodrop_subject(ix: Index, i: int) -> Span | None:
    """The previous sentence's explicit subject, for a verb with none that agrees with it."""
    sent = ix.tok(i).sent
    t = ix.tok(i)
    if sent == 0 or t.feat("Person") in ("1", "2"):
        return None
    if t.feat("VerbForm") not in ("Fin", None):
        return None  # an infinitive ("чтобы попросить") has no dropped subject of its own
    prev = sentence_subject(ix, sent - 1)
    if prev is None or not _agrees(ix, prev, i):
        return None
    return prev


def sentence_subject(ix: Index, sent: int) -> Span | None:
    """The explicit subject of a sentence's first finite verb that has one."""
    if sent in ix.subjects:
        return ix.subjects[sent]
    s = ix.doc.sentences[sent]
    found = None
    for k in range(s.first, s.end):
        t = ix.tok(k)
        if t.upos == "VERB" and t.feat("VerbForm") in ("Fin", "Part"):
            subj = left_subject(ix, k)
            if subj is not None and not is_passive(ix, k, s.first) \
                    and ix.tok(head(ix, subj)).upos in NOUNS:
                found = subj
                break
    ix.subjects[sent] = found
    return found


__all__ = ["left_subject", "prodrop_subject", "sentence_subject"]
