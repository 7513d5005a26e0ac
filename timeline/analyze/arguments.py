"""A predicate's arguments (who, to whom / what, where) and a readable title, from the analysis.

``arguments`` reads the frame the finder builds (timeline.analyze.framing: subject, object,
place, means as token spans) and renders it as text: a name in the full form the document
first gives it (``full_names``), in the nominative for Russian; a common noun phrase as
written, its leading determiners dropped from a subject. ``title`` writes a short clause from
the same frame (timeline.analyze.headline). All pure: an index per document (token by offset,
name chunk by token, full names, sentence subjects) is built once and kept while the
document lives, so each mention costs a walk over its own sentence.
"""

from __future__ import annotations

import attrs

from timeline.analyze import rucase
from timeline.analyze.document import Analysed, Name
from timeline.analyze.events import EventMention
from timeline.analyze.frames import Frame, Span, head
from timeline.analyze.framing import verb_frame
from timeline.analyze.names import common_noun
from timeline.analyze.nounframes import noun_frame
from timeline.analyze.phrases import NOUNS, Index, index
from timeline.analyze.rucase import nominative

__all__ = ["Arguments", "arguments", "frame", "full_names", "title"]


@attrs.frozen
class Arguments:
    subject: str | None  # who did it, as text; a name in its full form
    object: str | None  # to whom / what (a short noun phrase, head + modifiers)
    place: str | None  # a place name governed by a place preposition or case
    participants: tuple[str, ...]  # the names among subject/object (full forms), in text order
    subject_span: tuple[int, int] | None = None  # offsets into doc.text, when from the text


def full_names(doc: Analysed) -> dict[str, str]:
    """A short form as written -> the first full form the document gives ("Kim" -> "Kim Jong
    Un"; "Путиным" -> "Владимир Путин"). Computed once per document."""
    return dict(index(doc).full)


def frame(doc: Analysed, mention: EventMention) -> Frame | None:
    """The token-span frame of a mention (None when its offsets are not a token's)."""
    ix = index(doc)
    i = ix.by_start.get(mention.start)
    if i is None:
        return None
    hit = ix.frames.get(i)
    if hit is None:
        # a "verb" right after a possessive is a noun the tagger misread ("Okafor's visit")
        noun = mention.pos == "NOUN" or (i > 0 and ix.low(i - 1) in ix.words.possessives) \
            or _opening_noun(ix, i) or _after_preposition(ix, i)
        hit = ix.frames[i] = noun_frame(ix, i) if noun else verb_frame(ix, i)
    return hit


def _opening_noun(ix: Index, i: int) -> bool:
    """A bare verb opening a news sentence is a noun the tagger misread ("Wildfire forces
    thousands to flee", '"...," Police Chief X said'): news sentences give no orders."""
    t = ix.tok(i)
    opening = ix.doc.sentences[t.sent].first == i or ix.tok(i - 1).upos == "PUNCT"
    return bool(ix.words.headline.get("present")) and opening \
        and t.text[:1].isupper() and not t.text.isupper() and t.text.lower() == t.lemma.lower() \
        and t.feat("VerbForm") not in ("Ger", "Part")


def _after_preposition(ix: Index, i: int) -> bool:
    """A finite "verb" right after a preposition or an article (an adjective between) is a
    noun the tagger misread ("se declararon en huelga", "el último debate"): no finite verb
    follows either."""
    t = ix.tok(i)
    j = i - 1
    first = ix.doc.sentences[t.sent].first
    if j > first and ix.tok(j).upos == "ADJ":
        j -= 1  # "el último debate"
    return i > first and ix.tok(j).upos in ("ADP", "DET") and t.feat("VerbForm") == "Fin" \
        and ix.tok(j).upos != "PRON"


def _name(ix: Index, k: int) -> str:
    name = ix.names[k]
    return ix.full_name(name.text)


def _names_in(ix: Index, span: Span) -> list[Name]:
    out: list[Name] = []
    seen = -1
    for m in range(*span):
        k = ix.name_of[m]
        if k >= 0 and k != seen:
            out.append(ix.names[k])
            seen = k
    return out


def name_parts(ix: Index, span: Span) -> list[int] | None:
    """The name chunks a phrase consists of, after determiners and titles ("President
    Vladimir Putin", "Putin and Kim"); None when it is a common noun phrase."""
    a, b = span
    w = ix.words
    cuts = [m for m in range(a + 1, b - 1) if ix.low(m) in w.coordinators
            and ix.name_of[m - 1] >= 0 and ix.name_of[m] < 0]
    if cuts and any(ix.is_title(m) for m in range(a, b)):
        # "Russian President Vladimir Putin and North Korean leader Kim Jong Un": each
        # conjunct is a titled name
        joined: list[int] = []
        for lo, hi in zip([a, *[c + 1 for c in cuts]], [*cuts, b], strict=True):
            part = name_parts(ix, (lo, hi))
            if part is None:
                return None
            joined.extend(part)
        return joined
    while a < b and (ix.tok(a).upos == "DET" or ix.low(a) in w.determiners):
        a += 1
    titles = [m for m in range(a, b) if ix.is_title(m) and ix.name_of[m] < 0]
    if titles and titles[-1] + 1 < b:
        last = ix.name_of[b - 1]
        if last >= 0 and ix.names[last].label == "PERSON" and ix.names[last].end == b \
                and all(_title_part(ix, m) for m in range(a, ix.names[last].first)):
            return [last]  # "министр финансов Пётр Орлов", "Finance Minister Ines Marlow"
        if all(_title_part(ix, m) for m in range(a, titles[-1])):
            a = titles[-1] + 1
    parts: list[int] = []
    m = a
    joined = True
    while m < b:
        k = ix.name_of[m]
        if k < 0:
            if ix.low(m) in w.coordinators and parts:
                m += 1
                joined = True
                continue
            return None
        if not joined:
            return None  # "Парламент Морландии": a name qualifying another is a phrase
        joined = False
        name = ix.names[k]
        if name.first < a or name.end > b:
            return None
        parts.append(k)
        m = name.end
    return parts or None


def _title_part(ix: Index, m: int) -> bool:
    """A word that can stand in a title before a name: the title, an adjective, a name, a
    country ("Russian President", "U.S. President"), a Russian genitive ("министр
    финансов"); not a preposition or another noun ("summit with President X")."""
    t = ix.tok(m)
    return ix.is_title(m) or ix.name_of[m] >= 0 or t.upos in ("ADJ", "PROPN", "DET") \
        or (t.text[:1].isupper() and t.upos in ("ADV", "NOUN") and ix.lang != "ru") \
        or (t.upos == "NOUN" and ix.lang == "en" and ix.is_title(m + 1)) \
        or (ix.lang == "ru" and t.upos == "NOUN" and t.feat("Case") == "Gen")


def _text(ix: Index, a: int, b: int) -> str:
    return ix.doc.text[ix.tok(a).start:ix.tok(b - 1).end]


def render(ix: Index, span: Span, subject: bool, case: str = "") -> str:
    """A phrase as text: names in full form joined as written, else the words as written
    (a subject without its leading determiners; English and Spanish names inside replaced
    by their full forms, Russian ones kept in the case the sentence needs, except a subject
    given in another ``case``, the instrumental agent: "парламентом" -> "парламент")."""
    parts = name_parts(ix, span)
    if parts is not None:
        joiner = next((f" {ix.tok(m).text} " for m in range(*span)
                       if ix.low(m) in ix.words.coordinators), " ")
        return joiner.join(_name(ix, k) for k in parts)
    a, b = span
    if subject:
        while a < b - 1 and (ix.tok(a).upos == "DET" or ix.low(a) in ix.words.determiners):
            a += 1
    if ix.lang == "ru":
        if case:
            h = head(ix, (a, b))
            words = [nominative(ix.tok(m).text, case, ix.tok(m).upos == "ADJ")
                     if m <= h and ix.tok(m).feat("Case") in (case, None) else ix.tok(m).text
                     for m in range(a, b)]
            return _lower_opening(ix, a, " ".join(words))
        return _lower_opening(ix, a, _text(ix, a, b))
    out: list[str] = []
    pos = ix.tok(a).start
    for name in _names_in(ix, (a, b)):
        if name.first < a or name.end > b:
            continue
        before, full = ix.doc.text[pos:name.start], _name(ix, ix.name_of[name.first])
        lead = full[:-len(name.text)] if full.endswith(name.text) else ""
        if lead.strip() and before.endswith(lead):
            before = before[:-len(lead)]  # "Central" + "Bank" whose full form is "Central Bank"
        out.append(before)
        out.append(full)
        pos = name.stop
    out.append(ix.doc.text[pos:ix.tok(b - 1).end])
    return _lower_opening(ix, a, "".join(out))


def _lower_opening(ix: Index, a: int, text: str) -> str:
    """A phrase that opened its sentence loses the capital the sentence gave it."""
    t = ix.tok(a)
    if ix.name_of[a] < 0 and ix.doc.sentences[t.sent].first == a \
            and text[:1].isupper() and not t.text.isupper():
        return text[:1].lower() + text[1:]
    return text


def participants(ix: Index, spans: list[Span]) -> tuple[str, ...]:
    """The names a subject or object phrase holds, not places, not an English name that
    qualifies a common noun ("Cyprus parliament")."""
    out: list[str] = []
    for span in sorted(spans):
        whole = _capitalised(ix, span)
        if whole is not None:
            if whole not in out:
                out.append(whole)
            continue
        for name in _names_in(ix, span):
            if name.label == "PLACE" or name.first < span[0] or name.end > span[1] \
                    or all(ix.is_title(m) for m in range(name.first, name.end)):
                continue  # "Губернатор" opening a sentence is a title, not a name
            if _common_opening(ix, name):
                continue  # "Woman charged with fraud": a headline's capital, not a name
            nxt = name.end
            if ix.lang == "en" and nxt < span[1] and ix.tok(nxt).upos in NOUNS \
                    and ix.name_of[nxt] < 0:
                continue
            full = _name(ix, ix.name_of[name.first])
            if full not in out:
                out.append(full)
    return tuple(out)


def _common_opening(ix: Index, name: Name) -> bool:
    """An untyped one-word "name" opening its sentence that the lexicon knows only as a
    common noun ("Woman", "Police"): the sentence gave it its capital."""
    t = ix.tok(name.first)
    opening = ix.doc.sentences[t.sent].first == name.first or ix.tok(name.first - 1).upos == "PUNCT"
    return name.label == "OTHER" and name.end - name.first == 1 and opening \
        and common_noun(ix.lang, t.text.lower())


def _capitalised(ix: Index, span: Span) -> str | None:
    """A phrase of capitalised words ending in a name ("the Central Bank", the analysis
    having left "Central" out of the name): the phrase is the name."""
    a, b = span
    while a < b and (ix.tok(a).upos == "DET" or ix.low(a) in ix.words.determiners):
        a += 1
    if b - a < 2 or ix.name_of[b - 1] < 0 or ix.names[ix.name_of[b - 1]].first <= a:
        return None
    for m in range(a, ix.names[ix.name_of[b - 1]].first):
        if not ix.tok(m).text[:1].isupper() or ix.is_title(m) or ix.name_of[m] >= 0:
            return None
    full = _name(ix, ix.name_of[b - 1])
    if full.endswith(_text(ix, a, b)):
        return full  # "the Central Bank", the full form of "Bank" already "Central Bank"
    return render(ix, (a, b), True)


def place_text(ix: Index, span: Span, prep: int) -> str:
    """A place in its full form; in Russian, in the nominative read in the case its
    preposition governs ("в Торске" -> "Торск", "около Зареченска" -> "Зареченск")."""
    k = ix.name_of[span[0]]
    whole = k >= 0 and ix.names[k].first == span[0] and ix.names[k].end == span[1]
    if ix.lang == "ru":
        low = ix.low(prep) if prep >= 0 else ""
        governed = ix.words.place_prepositions.get(low) or frozenset()
        words = [ix.tok(m).text for m in range(*span)]
        if len(governed) == 1:
            (case,) = governed
            if all(case in rucase.cases(w) or not rucase.cases(w) for w in words):
                return " ".join(nominative(w, case, ix.tok(m).upos == "ADJ")
                                for m, w in zip(range(*span), words, strict=True))
        if whole:
            return _name(ix, k)
        case = rucase.name_case(words, ix.tok(span[0]).feat("Case"))
        return " ".join(nominative(w, case, ix.tok(m).upos == "ADJ")
                        for m, w in zip(range(*span), words, strict=True))
    if whole:
        return _name(ix, k)
    return _text(ix, *span)


def arguments(doc: Analysed, mention: EventMention) -> Arguments:
    """Who did it, to whom or what, and where, for one mention of the document."""
    fr = frame(doc, mention)
    if fr is None:
        return Arguments(None, None, None, ())
    ix = index(doc)
    agent_case = ix.words.agent_case if fr.via == "agent" else ""
    subject = render(ix, fr.subject, True, agent_case) if fr.subject else None
    obj = render(ix, fr.obj, False) if fr.obj else None
    place = place_text(ix, fr.place, fr.place_prep) if fr.place else None
    spans = [s for s in (fr.subject, fr.obj) if s is not None and s != fr.place]
    sspan = None
    if fr.subject is not None:
        sspan = (ix.tok(fr.subject[0]).start, ix.tok(fr.subject[1] - 1).end)
    return Arguments(subject, obj, place, participants(ix, spans), sspan)


def plural(ix: Index, span: Span | None) -> bool:
    """Whether a subject phrase is plural (its head's number, or coordinated)."""
    if span is None:
        return False
    if any(ix.low(m) in ix.words.coordinators for m in range(*span)):
        return True
    h = ix.tok(head(ix, span))
    name = ix.names[ix.name_of[h.i]] if ix.name_of[h.i] >= 0 else None
    if name is not None and not (name.label == "OTHER" and name.end - name.first == 1
                                 and h.feat("Number") == "Plur"):
        return False  # but "Survivors said": a plural the sentence gave its capital
    if ix.lang == "en" and h.upos == "NOUN" and h.text.endswith("s") \
            and not h.text.endswith(("ss", "us", "is")):
        return True  # the tagger's number slips on unseen plurals ("crews")
    return h.feat("Number") == "Plur" or (h.upos == "PRON" and h.text.lower() in ("they", "we"))


def title(doc: Analysed, mention: EventMention, args: Arguments) -> str:
    """A short clause a journalist would write for the mention (timeline.analyze.headline)."""
    from timeline.analyze.headline import headline

    fr = frame(doc, mention)
    return headline(index(doc), fr, mention, args)
