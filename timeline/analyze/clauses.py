"""Clauses a title borrows from its sentence: what a saying reports, what a passive governs.

"X says" tells the reader nothing: a reporting verb's title takes the clause it reports, as
written ("Central Bank says the closure would be extended", "Министр заявил, что переговоры
продолжатся"). A passive's title keeps what its participle governs besides its agent
("Woman charged with fraud", "Dana Pell sworn in as mayor"). Pure, over the analysis.
"""

from __future__ import annotations

from timeline.analyze.arguments import _text
from timeline.analyze.document import Token
from timeline.analyze.events import EventMention, lexicon
from timeline.analyze.frames import Frame, head, region_end, right_phrase
from timeline.analyze.phrases import Index, np_right


def passive_complement(ix: Index, fr: Frame) -> str:
    """What a passive participle governs besides its patient and agent, as written ("charged
    with fraud", "sworn in as president", "acusado de fraude"): a title without it says
    something else ("Woman charged")."""
    from timeline.analyze.framing import temporal_phrase

    preps = ix.words.passive_complements
    s = ix.doc.sentences[ix.tok(fr.pred).sent]
    stop = region_end(ix, fr.pred, s.end)
    k = max(fr.pred, fr.particle) + 1
    while k < stop and ix.tok(k).upos == "ADV":
        k += 1
    if k >= stop or ix.low(k) not in preps:
        return ""
    span = right_phrase(ix, k + 1, stop)
    if span is None or temporal_phrase(ix, span) or ix.tok(head(ix, span)).upos == "NUM" \
            or (span[1] < stop and ix.temporal(span[1])):
        return ""  # "extended for two days": a time, not what the participle governs
    return _text(ix, k, span[1])


def clause_subject(ix: Index, fr: Frame, m: EventMention) -> bool:
    """The "object" of a reporting verb that a verb follows is the subject of what was said
    ("Neighbors said the gunman threatened her"): no title says "Neighbors say the gunman"."""
    if m.class_ != "REPORTING" or fr.obj is None or fr.obj[0] < fr.pred \
            or fr.obj[1] >= len(ix.doc.tokens):
        return False
    nxt = ix.tok(fr.obj[1])
    return nxt.upos in ("VERB", "AUX") and nxt.sent == ix.tok(fr.pred).sent


def _verb_like(t: Token) -> bool:
    """A verb, or a participle the tagger read as an adjective ("пожар потушен")."""
    return t.upos == "VERB" or (t.upos == "ADJ" and t.feat("VerbForm") == "Part")


def _prenominal(ix: Index, k: int) -> bool:
    """A participle between an article and a noun qualifies it ("the overloaded vessel")."""
    return 0 < k < len(ix.doc.tokens) - 1 and ix.tok(k - 1).upos == "DET" \
        and ix.tok(k + 1).upos == "NOUN"


def _copula(ix: Index, k: int, end: int) -> bool:
    """A copula before its predicate ("was dead", "is a risk"; "ser", "быть")."""
    return ix.tok(k).upos == "AUX" and ix.tok(k).lemma.lower() in ix.lex.not_events \
        and k + 1 < end and ix.tok(k + 1).upos in ("ADJ", "DET")


def reported(ix: Index, fr: Frame, m: EventMention, obj: str | None) -> str:
    """What a reporting verb reports, as written ("Central Bank says it will provide
    liquidity", "Autoridades informaron que el fuego sigue activo"): the clause after it or
    after its hearer ("told reporters that ..."), up to its verb's object; "X says" alone
    tells the reader nothing. An English title drops the complementiser, as headlines do."""
    from timeline.analyze.framing import verb_frame

    if m.class_ != "REPORTING" or fr.passive or fr.noun:
        return ""
    s = ix.doc.sentences[ix.tok(fr.pred).sent]
    clause = lexicon(ix.lang).complements.clause
    k = fr.pred + 1
    if fr.subject is not None and fr.subject[0] > fr.pred:
        k = fr.subject[1]  # "— заявил президент X поздно вечером": what follows the speaker
    if obj and not clause_subject(ix, fr, m):
        if fr.obj is None or fr.obj[0] <= fr.pred or fr.obj[1] >= s.end \
                or (ix.low(fr.obj[1]) not in clause and not _bare_clause(ix, fr.obj[1], s.end)):
            return before(ix, fr)
        k = fr.obj[1]
    while k < s.end and (ix.tok(k).upos == "ADV" or ix.temporal(k) or (
            ix.tok(k).upos == "ADP" and k + 1 < s.end and ix.temporal(k + 1))):
        k += 1  # "said on Tuesday that"
    start = k
    if k < s.end and ix.tok(k).text == "," and k + 1 < s.end and ix.low(k + 1) in clause:
        k += 1
    if k < s.end and ix.low(k) in clause:
        k += 1
        if ix.words.headline.get("present"):
            start = k
    while k < s.end and k < start + 7 and (not _verb_like(ix.tok(k)) or _prenominal(ix, k)) \
            and ix.tok(k).upos != "PUNCT" and not _copula(ix, k, s.end):
        k += 1  # up to the clause's verb, or its copula before a predicate ("was dead")
    if k >= s.end or k == start or not (_verb_like(ix.tok(k)) or _copula(ix, k, s.end)):
        return before(ix, fr)
    if ix.tok(k).upos == "AUX":
        end = k + 2 if ix.tok(k + 1).upos == "ADJ" else np_right(ix, k + 2, s.end)
        return _text(ix, start, max(end, k + 2))
    inner = ix.frames.get(k) or verb_frame(ix, k)
    end = k + 1
    if inner.particle > k:
        end = inner.particle + 1
    if inner.obj is not None and inner.obj[0] > k:
        end = max(end, inner.obj[1])
    elif end < s.end and ix.tok(end).upos == "ADJ":
        end += 1  # "sigue activo", "was dead"
    return _text(ix, start, end)


def _bare_clause(ix: Index, k: int, end: int) -> bool:
    """A clause with no complementiser after a hearer ("told reporters the company would
    hire"): a noun phrase, then its verb."""
    b = np_right(ix, k, end)
    while b < end and (ix.tok(b).upos == "AUX" or ix.tok(b).lemma.lower() in ix.lex.modals):
        b += 1
    return b > k and b < end and ix.tok(b).upos == "VERB"


def before(ix: Index, fr: Frame) -> str:
    """What a saying after its clause reports ("Inflation fell to 2.4%, the statistics office
    said"; '"We have until Monday," X told reporters'): a quotation opening the sentence, as
    quoted, else the subject, verb and object of the clause before the comma, with the
    language's complementiser ([headline] reported_joiner: "que", ", что")."""
    s = ix.doc.sentences[ix.tok(fr.pred).sent]
    j = (min(fr.pred, fr.subject[0]) if fr.subject is not None else fr.pred) - 1
    close = -1
    k = j
    while k > s.first and (ix.tok(k).text in ",—–-" or ix.tok(k).text in _QUOTES):
        close = k if close < 0 and ix.tok(k).text in _QUOTES else close
        k -= 1
    if k == j or k <= s.first:
        return ""
    if close >= 0 and ix.tok(s.first).text in _QUOTES:
        quote = _text(ix, s.first + 1, k + 1)
        return f": {ix.tok(s.first).text}{quote}{ix.tok(close).text}"
    found = _main_clause(ix, s.first, k + 1)
    if not found:
        return ""
    joiner = ix.words.headline.get("reported_joiner", "")
    return f"{joiner} {found}" if joiner else found


_QUOTES = frozenset("\"“”«»„")


def _main_clause(ix: Index, lo: int, hi: int) -> str:
    """ "subject verb object" of the first finite verb in lo..hi with a subject of its own
    before it (not a relative clause's, not a participle's in Spanish and Russian)."""
    from timeline.analyze.arguments import _common_opening, render
    from timeline.analyze.framing import verb_frame

    en = bool(ix.words.headline.get("present"))
    for k in range(lo, hi):
        t = ix.tok(k)
        form = t.feat("VerbForm")
        g = k
        while g - 1 > lo and (ix.tok(g - 1).upos == "AUX" or ix.low(g - 1) in ix.lex.negations):
            g -= 1  # "will open", "would not", "no abrirá"
        if t.upos != "VERB" or not (form == "Fin" or (en and form == "Part") or g < k) \
                or (g > lo and ix.low(g - 1) in ix.words.relative_pronouns):
            continue
        inner = ix.frames.get(k) or verb_frame(ix, k)
        if inner.noun or inner.passive or inner.subject is None or inner.subject[1] > k \
                or inner.via or inner.subject[0] < lo:
            continue
        end = max(k + 1, inner.particle + 1)
        if inner.obj is not None and inner.obj[0] > k:
            end = max(end, inner.obj[1])
        if end < hi and ix.tok(end).upos == "VERB" and ix.tok(end).feat("VerbForm") == "Inf":
            then = ix.frames.get(end) or verb_frame(ix, end)  # "вынудил власти эвакуировать"
            end = then.obj[1] if then.obj is not None and then.obj[0] > end else end + 1
        if inner.subject[1] > g:
            continue
        subject = render(ix, inner.subject, False)
        a = inner.subject[0]
        n = ix.name_of[a]
        if ix.tok(a).upos == "DET" or (n < 0 and not ix.tok(a).text.isupper()) \
                or (n >= 0 and _common_opening(ix, ix.names[n])):
            subject = subject[:1].lower() + subject[1:]  # mid-title: "says the new bridge"
        return f"{subject} {_text(ix, g, min(end, hi))}"
    return ""
