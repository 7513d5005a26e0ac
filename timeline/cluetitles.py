"""Clause titles mended as the language writes headlines (timeline.titles calls ``mended``).

The clause built from a verb's frame (timeline.analyze.headline) keeps what the sentence
wrote; a headline is shorter and agrees. So, from the analysis of the verb's own sentence:

- a participle in an oblique case with no subject is no clause ("число погибших" ->
  "Погибших ..."): the event takes another source's title;
- time words go ("informó este martes" -> "informó"): a timeline shows the date beside it;
- a plural verb whose subject is the right conjunct of a coordination takes the whole
  coordination ("X y la naviera Y anunciaron", not "Naviera Y anunciaron");
- a Spanish or Russian plural verb whose found subject is singular and whose "object" is a
  plural phrase right after it has that phrase as its subject, put first ("..., informaron
  los equipos de rescate" -> "Equipos de rescate informaron");
- a lone quantifier as the object takes the phrase it opens ("recuperaron otros doce
  cuerpos");
- over ``LONG`` words, a reported clause is cut at its complementiser ("de que", "что",
  "that"), which the resource lists per language.

Each rule reads token features (UPOS, Number, name chunks), never fixture words.
"""

from __future__ import annotations

from timeline.analyze import Analysed
from timeline.analyze import arguments as args
from timeline.analyze.events import EventMention
from timeline.analyze.frames import Frame
from timeline.analyze.phrases import Index, index, np_left, np_right
from timeline.nountitles import _resource

LONG = 10  # words: past this a headline cuts its reported clause


def mended(doc: Analysed, em: EventMention, title: str) -> str:
    """The verbal title ``title`` of mention ``em``, mended (the title itself when the
    analysis does not know the mention)."""
    if not title or em.pos != "VERB":
        return title
    fr = args.frame(doc, em)
    if fr is None or fr.noun:
        return title
    ix = index(doc)
    tok = ix.tok(fr.pred)
    if fr.subject is None and tok.feat("VerbForm") == "Part" \
            and tok.feat("Case") in ix.words.headline.get("oblique_cases", []):
        return ""  # "число погибших": a participle standing for people, not a predicate
    title = _whole_subject(ix, fr, title)
    title = _inverted_subject(ix, fr, title)
    title = _quantified_object(ix, fr, title)
    head, colon, quote = title.partition(": ")
    if colon and quote[:1] in "\"“«„":  # a quotation is given as quoted
        return f"{_without_time_words(ix, fr, head)}: {quote}"
    title = _without_time_words(ix, fr, title)
    return _short(ix, title)


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _plural_verb(ix: Index, fr: Frame) -> bool:
    return ix.tok(fr.pred).feat("Number") == "Plur"


def _subject_at_start(ix: Index, fr: Frame, title: str) -> str | None:
    """The subject's text as the title opens with it, or None."""
    if fr.subject is None:
        return None
    text = args.render(ix, fr.subject, True)
    return text if text and title[1:].startswith(text[1:]) and len(title) > len(text) \
        and title[:1].lower() == text[:1].lower() else None


def _whole_subject(ix: Index, fr: Frame, title: str) -> str:
    if fr.subject is None or not _plural_verb(ix, fr):
        return title
    first = ix.doc.sentences[ix.tok(fr.pred).sent].first
    a = fr.subject[0]
    while a - 1 >= first and fr.subject[0] - a < 3 \
            and ix.tok(a - 1).upos in ("DET", "ADJ", "NOUN"):
        a -= 1  # "la naviera | Tolsen": the conjunct's own words before its name
    if a - 2 < first or ix.low(a - 1) not in ix.words.coordinators:
        return title
    said = _subject_at_start(ix, fr, title)
    if said is None:
        return title
    left = np_left(ix, a - 2, first)
    k = ix.name_of[a - 2]
    if k >= 0:
        left = min(left, ix.names[k].first)
    whole = args.render(ix, (left, fr.subject[1]), True)
    return _cap(whole) + title[len(said):]


def _inverted_subject(ix: Index, fr: Frame, title: str) -> str:
    if ix.lang != "en" and fr.subject is None and fr.obj is None and _plural_verb(ix, fr):
        return _late_subject(ix, fr, title)
    if ix.lang == "en" or fr.obj is None or fr.obj_prep >= 0 or not _plural_verb(ix, fr):
        return title
    if fr.subject is None or args.plural(ix, fr.subject) or not args.plural(ix, fr.obj):
        return title
    if any(not ix.temporal(m) and ix.tok(m).upos not in ("DET", "ADV")
           for m in range(fr.pred + 1, fr.obj[0])):
        return title  # only time words between: "informaron este martes los equipos"
    said = _subject_at_start(ix, fr, title)
    obj = args.render(ix, fr.obj, True)
    verb = args._text(ix, fr.pred, fr.pred + 1)
    if said is None or not obj or verb not in title:
        return title
    return f"{_cap(obj)} {verb[:1].lower() + verb[1:]}"


def _late_subject(ix: Index, fr: Frame, title: str) -> str:
    """A plural verb with no subject before it and a plural nominative phrase after it,
    past time words only ("сообщили во вторник спасатели" -> "Спасатели сообщили")."""
    s = ix.doc.sentences[ix.tok(fr.pred).sent]
    k = fr.pred + 1
    while k < s.end and (ix.temporal(k) or ix.tok(k).upos in ("ADP", "DET", "ADV")):
        k += 1
    if k >= s.end or ix.tok(k).upos != "NOUN" or ix.tok(k).feat("Case") not in ("Nom", None):
        return title
    end = np_right(ix, k, s.end)
    if end <= k or not args.plural(ix, (k, end)) \
            or any(ix.tok(m).upos not in ("PUNCT",) for m in range(end, s.end)):
        return title  # the sentence's last phrase only: "..., informaron los bomberos."
    verb = args._text(ix, fr.pred, fr.pred + 1)
    if not title.lower().startswith(verb.lower()):
        return title
    return f"{_cap(args.render(ix, (k, end), True))} {verb[:1].lower() + verb[1:]}"


def _quantified_object(ix: Index, fr: Frame, title: str) -> str:
    if fr.obj is None or fr.obj[1] - fr.obj[0] != 1 or ix.tok(fr.obj[0]).upos not in \
            ("PRON", "DET"):
        return title
    b = fr.obj[1]
    s = ix.doc.sentences[ix.tok(fr.pred).sent]
    if b >= s.end or ix.tok(b).upos not in ("NUM", "ADJ", "NOUN"):
        return title
    end = np_right(ix, b, s.end)
    word = ix.tok(fr.obj[0]).text
    if end <= b or not title.endswith(word):
        return title
    return title + args._text(ix, fr.obj[0], end)[len(word):]


def _without_time_words(ix: Index, fr: Frame, title: str) -> str:
    """The title without a time phrase of the sentence ("este martes", "on Monday")."""
    s = ix.doc.sentences[ix.tok(fr.pred).sent]
    for k in range(s.first, s.end):
        if not ix.temporal(k) or ix.tok(k).upos not in ("NOUN", "PROPN", "ADV"):
            continue
        a = k
        while a - 1 >= s.first and ix.tok(a - 1).upos in ("DET", "ADP") and k - a < 2:
            a -= 1
        for lo in range(a, k + 1):
            phrase = args._text(ix, lo, k + 1)
            if f" {phrase} " in f" {title} " and title.split()[0] != phrase.split()[0]:
                title = " ".join(f" {title} ".replace(f" {phrase} ", " ").split())
                break
    return title


def _short(ix: Index, title: str) -> str:
    words = title.split()
    if len(words) <= LONG:
        return title
    cuts = [tuple(c.split()) for c in _resource(ix.lang).get("complementisers", [])]
    for n in range(2, len(words)):
        for c in cuts:
            if tuple(w.lower().strip(",") for w in words[n:n + len(c)]) == c:
                return " ".join(words[:n]).rstrip(",")
    return title
