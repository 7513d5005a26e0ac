"""Titles a journalist would write: subject + predicate + object + place (+ means).

English titles are in the headline present, built from the lemma ("arrives", "do not sign",
"to visit" for a future, "could delay" for a modal, "Deal signed" for a passive without its
agent, a gerund when there is no subject: "Voting on the bailout"); the irregular forms are
data ([headline] in arguments.toml). Spanish and Russian titles keep the verb group as the
text inflects it ("no se firmó", "не подписали"), which is how their headlines read (a past
is usual there) and needs no conjugation tables. An event noun makes a nominal title ("Vote
on the bailout", "Putin's visit to Beijing", "Визит Путина в Пекин"). Titles are capped at
about 80 characters at a word boundary, dropping the means, then the place, first.
"""

from __future__ import annotations

from timeline.analyze.arguments import Arguments, _text, plural
from timeline.analyze.clauses import clause_subject, passive_complement
from timeline.analyze.clauses import reported as reported_clause
from timeline.analyze.events import EventMention
from timeline.analyze.frames import Frame, Span
from timeline.analyze.phrases import NOUNS, Index, np_left
from timeline.analyze.titlecheck import refused, refused_noun

LIMIT = 80
_VOWELS = "aeiou"


def third_person(lemma: str, forms: dict[str, str]) -> str:
    """The English third person singular present of a verb lemma."""
    if lemma in forms:
        return forms[lemma]
    if lemma.endswith(("s", "x", "z", "ch", "sh", "o")):
        return lemma + "es"
    if len(lemma) > 1 and lemma.endswith("y") and lemma[-2] not in _VOWELS:
        return lemma[:-1] + "ies"
    return lemma + "s"


def gerund(lemma: str, forms: dict[str, str]) -> str:
    """The English -ing form of a verb lemma."""
    if lemma in forms:
        return forms[lemma]
    if lemma.endswith("ie"):
        return lemma[:-2] + "ying"
    if lemma.endswith("e") and not lemma.endswith(("ee", "oe", "ye")) and len(lemma) > 2:
        return lemma[:-1] + "ing"
    groups = sum(1 for k, c in enumerate(lemma) if c in _VOWELS
                 and (k == 0 or lemma[k - 1] not in _VOWELS))
    if groups == 1 and len(lemma) >= 3 and lemma[-1] not in _VOWELS + "wxy" \
            and lemma[-2] in _VOWELS and lemma[-3] not in _VOWELS:
        return lemma + lemma[-1] + "ing"  # "stop" -> "stopping"; "visit" stays single
    return lemma + "ing"


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


def _cap(parts: list[str], optional: list[int]) -> str:
    """Join parts; over the limit, drop the optional ones (last first), then cut words."""
    keep = [p for p in parts if p]
    text = " ".join(keep)
    for k in sorted(optional, reverse=True):
        if len(text) <= LIMIT:
            break
        if parts[k]:
            parts[k] = ""
            text = " ".join(p for p in parts if p)
    if len(text) > LIMIT:
        cut = text[:LIMIT + 1].rsplit(" ", 1)[0]
        text = cut.rstrip(",;:") if cut else text[:LIMIT]
    return text


def _listed_stem(low: str, lemma: str) -> str:
    """The stem of an "-ed" form when the lexicon lists it as a verb and not the tagger's
    lemma ("toasted" -> "toaste" -> "toast"; "wasted" -> "waste" stays, a verb listed)."""
    from timeline.analyze.model import load

    listed = load("en").listed
    if not low.endswith("ed") or "VERB" in listed.get(lemma, "").split("|"):
        return ""
    for stem in (low[:-2], low[:-1]):
        if "VERB" in listed.get(stem, "").split("|"):
            return stem
    return ""


def english_lemma(text: str, lemma: str) -> str:
    """The tagger's lemma, mended where its suffix rule kept a doubled consonant and an
    "e" no English verb ends with ("dragged" -> "dragge" -> "drag")."""
    low = text.lower()
    mended = _listed_stem(low, lemma)
    if mended:
        return mended
    if low.endswith("ed") and lemma == low[:-1] and len(lemma) > 4 and lemma[-5] not in "gq" \
            and lemma[-4] in "aeo" and lemma[-3] in _VOWELS and lemma[-2] in "rnlmkpd":
        return lemma[:-1]  # "toured" -> "toure" -> "tour": no verb ends in "oure", "eale"
    if low.endswith("ed") and lemma == low[:-2] and len(lemma) > 3 and lemma[-1] == "l" \
            and lemma[-2] not in _VOWELS + "lr":
        return lemma + "e"  # "battled" -> "battl" -> "battle"
    if low.endswith("ed") and len(low) > 4 and lemma == low[:-1] and low[-3] == low[-4] \
            and low[-3] not in _VOWELS:
        return low[:-2] if low[-3] in "lsfzd" else low[:-3]
    if low.endswith("ed") and lemma == low[:-2] and len(lemma) > 3 and lemma[-1] == lemma[-2] \
            and lemma[-1] not in _VOWELS + "lsfzd":
        return lemma[:-1]  # "dropped" -> "dropp" -> "drop"
    if lemma == low and low.endswith("ed") and len(low) > 4:  # the tagger kept the form
        if low.endswith("eed"):
            return low[:-1]  # "agreed"
        if low.endswith("ied"):
            return low[:-3] + "y"
        if low[-3] == low[-4] and low[-3] not in _VOWELS + "lsfzd":
            return low[:-3]
        stem = low[:-2]
        return stem + "e" if stem.endswith(("v", "c", "z", "u", "dg", "at", "it")) else stem
    return lemma


def _english_verb(ix: Index, fr: Frame, m: EventMention, plural_subject: bool) -> str:
    h = ix.words.headline
    tok = ix.tok(fr.pred)
    lemma = english_lemma(tok.text, tok.lemma.lower())
    neg = m.polarity == "NEG"
    modal = h.get("modal_forms", {}).get(m.modality, m.modality)
    if modal and modal not in h.get("future_words", []):
        return f"{modal} not {lemma}" if neg else f"{modal} {lemma}"
    to = fr.pred > 0 and ix.low(fr.pred - 1) == h.get("infinitive", "to")
    if m.tense == "FUTURE" or modal or (m.tense == "INFINITIVE" and to):
        return f"not to {lemma}" if neg else f"to {lemma}"
    if neg:
        aux = h.get("do_plural", "do") if plural_subject else h.get("do_singular", "does")
        return f"{aux} not {lemma}"
    if plural_subject:
        return h.get("plural", {}).get(lemma, lemma)
    return third_person(lemma, h.get("third_person", {}))


def _verb_group(ix: Index, fr: Frame, subject: Span | None) -> str:
    """The verb with its auxiliaries, negation and clitics as written ("no se firmó")."""
    i = fr.pred
    first = ix.doc.sentences[ix.tok(i).sent].first
    lo = subject[1] if subject is not None and subject[1] <= i else first
    g = i
    if ix.tok(i).feat("VerbForm") == "Inf" and g - 1 >= lo and ix.tok(g - 1).upos == "VERB":
        g -= 1  # "quiere ampliar", "хочет продлить": the governing verb with it
    while g - 1 >= lo:
        t = ix.tok(g - 1)
        low = t.text.lower()
        if t.upos in ("AUX", "PART") or low in ix.lex.negations or low in ix.words.clitics \
                or t.lemma.lower() in ix.lex.modals:
            g -= 1
        else:
            break
    text = _text(ix, g, i + 1)
    if subject is not None and g == first and text[:1].isupper() and not ix.tok(g).text.isupper():
        text = text[:1].lower() + text[1:]  # "Firmó" after a subject taken from before
    return text


def _prep(ix: Index, k: int) -> str:
    """A preposition as the title places it: mid-clause, so without the capital it had
    opening its sentence ("В Женеве завершился ..." -> "... завершился в Женеве")."""
    if k < 0:
        return ""
    t = ix.tok(k)
    if not t.text.isupper():
        return t.text[:1].lower() + t.text[1:]
    return t.text


def _complement(ix: Index, fr: Frame) -> str:
    """An infinitive the verb governs, with its object ("obliga a evacuar seis pueblos",
    "agreed to return their ambassadors"), when the verb has no object of its own."""
    from timeline.analyze.framing import verb_frame

    s = ix.doc.sentences[ix.tok(fr.pred).sent]
    k = fr.pred + 1
    while k < s.end and ix.tok(k).upos == "ADV":
        k += 1
    when = any(ix.low(m) in ix.words.headline.get("clause_prepositions", ())
               for m in range(fr.pred + 1, k))  # "antes del balotaje": a time
    if k < s.end and fr.place_prep != k and ix.tok(k).upos == "ADP" and not when:
        found = prepositional_complement(ix, fr, k, s.end)
        if found:
            return found
    if k < s.end and ix.tok(k).upos in ("PART", "ADP", "SCONJ") and k + 1 < s.end:
        k += 1
    if k >= s.end or ix.tok(k).upos != "VERB" or ix.tok(k).feat("VerbForm") != "Inf":
        return ""
    inner = ix.frames.get(k) or verb_frame(ix, k)
    end = inner.obj[1] if inner.obj is not None and inner.obj[0] > k else k + 1
    return _text(ix, fr.pred + 1, end)


def prepositional_complement(ix: Index, fr: Frame, k: int, end: int) -> str:
    """A short prepositional phrase of common nouns right after a verb with no object and no
    place ("appeared in court", "подал в отставку", "died in hospital"): what the verb says
    is incomplete without it. Not a time, a name, an agent or a means; beside a place only a
    bare noun where nouns take articles ("appeared in court in Varno")."""
    from timeline.analyze.frames import right_phrase

    w = ix.words
    if ix.low(k) in w.agent_prepositions or ix.low(k) in w.means_prepositions \
            or ix.low(k) in w.headline.get("clause_prepositions", ()) \
            or ix.lex.classes.get(ix.tok(fr.pred).lemma.lower()) == "REPORTING":
        return ""  # not "reopens after snowstorm", "says at a news conference"
    span = right_phrase(ix, k + 1, end)
    if span is None or span[1] - span[0] > 3 or span[0] != k + 1 \
            or (span[1] < end and ix.temporal(span[1]) and ix.tok(span[1]).upos == "NOUN"):
        return ""  # "около четырёх часов": a duration; not "in court Monday"
    toks = range(*span)
    if any(ix.temporal(m) or ix.name_of[m] >= 0 or ix.tok(m).upos in ("NUM", "PRON")
           or ix.tok(m).lemma.lower() in w.adverbials for m in toks) \
            or ix.tok(span[1] - 1).upos not in ("NOUN", "PROPN"):
        return ""
    bare = not any(ix.tok(m).upos == "DET" for m in toks)
    if fr.place is not None and not (bare and ix.lang != "ru"):
        return ""  # "arrived in the city from Malto": the place says where
    return _text(ix, k, span[1])


def _tail(ix: Index, fr: Frame, args: Arguments, obj: str | None) -> list[str]:
    inflected = ix.lang == "ru"
    parts = [_prep(ix, fr.particle) if fr.particle >= 0 else ""]
    if obj:
        parts.append(" ".join(p for p in (_prep(ix, fr.obj_prep), obj) if p))
    elif not fr.noun and fr.obj is None:
        parts.append(_complement(ix, fr))
    else:
        parts.append("")
    place = ""
    if fr.place is not None and args.place and fr.place != fr.obj:
        text = _text(ix, *fr.place) if inflected else args.place
        gap = range(fr.place_prep + 1, fr.place[0])
        if all(ix.tok(m).upos in ("DET", "ADP") or ix.low(m) in ix.words.links for m in gap):
            words = [ix.tok(m).text for m in gap if ix.tok(m).upos != "DET"]
            place = " ".join([_prep(ix, fr.place_prep), *words, text])  # "cerca de Colmar"
        else:  # "in the tourist town of Pokhara", "al este de Patras": as written
            place = " ".join([_prep(ix, fr.place_prep), _text(ix, fr.place_prep + 1,
                                                              fr.place[0]), text])
    parts.append(place)
    parts.append(_text(ix, *fr.means) if fr.means else "")
    return parts


def _object_text(ix: Index, fr: Frame, args: Arguments) -> str | None:
    if fr.obj is None or not args.object:
        return None
    if ix.lang == "ru":
        text = _text(ix, *fr.obj)
        a = fr.obj[0]
        if a == ix.doc.sentences[ix.tok(a).sent].first and ix.name_of[a] < 0 \
                and not ix.tok(a).text.isupper():
            return text[:1].lower() + text[1:]  # "Реформу отклонил ..." -> "... реформу"
        return text
    return args.object


def _strip_det(ix: Index, text: str) -> str:
    first, _, rest = text.partition(" ")
    return rest if rest and first.lower() in ix.words.determiners else text


def _verbal(ix: Index, fr: Frame, m: EventMention, args: Arguments) -> str:
    en = bool(ix.words.headline.get("present"))
    obj = None if clause_subject(ix, fr, m) else _object_text(ix, fr, args)
    reported = reported_clause(ix, fr, m, obj)
    if reported and args.subject:
        verb = _english_verb(ix, fr, m, plural(ix, fr.subject)) if en \
            else _verb_group(ix, fr, fr.subject)
        hearer = obj if obj and not clause_subject(ix, fr, m) else ""
        mark = reported[:1]
        if mark in ",:":  # "заявил, что", 'dijo: "..."': the mark goes with the word before
            reported = reported[1:].lstrip()
            if hearer:
                hearer += mark
            else:
                verb += mark
        if mark == ":" and len(" ".join(p for p in (args.subject, verb, hearer, reported)
                                        if p)) > LIMIT:
            return _cap([_capital(args.subject), verb.rstrip(":"), hearer.rstrip(":")], [2])
        return _cap([_capital(args.subject), verb, hearer, reported], [2])
    tail = _tail(ix, fr, args, None if fr.passive else obj)
    if fr.passive and not args.subject:  # "Deal signed", "Propuesta fue rechazada"
        head = _capital(_strip_det(ix, obj)) if obj else ""
        if en:
            word = ix.tok(fr.pred).text
            neg = "not " if m.polarity == "NEG" else ""
            verb = f"{m.modality} {neg}be {word}" if m.modality else \
                f"{neg}to be {word}" if m.tense == "FUTURE" else f"{neg}{word}"
        else:
            verb = _verb_group(ix, fr, fr.obj)
        return _cap([head, verb, tail[0], passive_complement(ix, fr), *tail[2:]], [5, 4, 3])
    if fr.passive and args.subject:
        if en:
            obj_part = obj or ""
            verb = _english_verb(ix, fr, m, plural(ix, fr.subject))
            return _cap([_capital(args.subject), verb, *tail[:1], obj_part, *tail[2:]], [5, 4])
        head = _capital(_strip_det(ix, obj)) if obj else ""
        a = fr.subject[0] if fr.subject else 0
        if a > 0 and ix.low(a - 1) in ix.words.agent_prepositions:
            a -= 1
        agent = _text(ix, a, fr.subject[1]) if fr.subject else ""
        return _cap([head, _verb_group(ix, fr, fr.obj), agent, *tail[2:]], [4, 3])
    if args.subject:
        verb = _english_verb(ix, fr, m, plural(ix, fr.subject)) if en \
            else _verb_group(ix, fr, fr.subject)
        return _cap([_capital(args.subject), verb, *tail], [5, 4])
    if en:
        tok = ix.tok(fr.pred)
        word = gerund(english_lemma(tok.text, tok.lemma.lower()),
                      ix.words.headline.get("gerund", {}))
        if m.polarity == "NEG":
            word = "not " + word
        said = _said_of(ix, fr.pred)
        if said:  # "Man accused of killing three people", not "Killing three people"
            return _cap([_capital(said), word, *tail], [4, 3])
        return _cap([_capital(word), *tail], [4, 3])
    return _cap([_capital(_verb_group(ix, fr, None)), *tail], [4, 3])


def _said_of(ix: Index, i: int) -> str:
    """Who a gerund is said of, with the participle that says it ("A man accused of killing
    three people", "The suspect was charged with murdering"): "man accused of", "suspect
    charged with". Such a gerund's doer is only alleged, so the title keeps the participle
    rather than making the man the subject of "kills"."""
    h = ix.words.headline
    first = ix.doc.sentences[ix.tok(i).sent].first
    p = i - 2
    if p <= first or ix.low(i - 1) not in h.get("gerund_links", ()) \
            or not ix.low(p).endswith(h.get("participle_ending", "\0")):
        return ""
    j = p - 1
    while j >= first and (ix.tok(j).upos in ("AUX", "ADV") or ix.low(j) in ix.lex.negations):
        j -= 1
    if j < first or (ix.tok(j).upos not in NOUNS and ix.name_of[j] < 0):
        return ""
    a = np_left(ix, j, first)
    while a < j and (ix.tok(a).upos == "DET" or ix.low(a) in ix.words.determiners):
        a += 1
    who = _text(ix, a, j + 1)
    if ix.doc.sentences[ix.tok(a).sent].first == a and ix.name_of[a] < 0 \
            and not ix.tok(a).text.isupper():
        who = who[:1].lower() + who[1:]
    return f"{who} {ix.tok(p).text} {ix.tok(i - 1).text}"


def _nominal(ix: Index, fr: Frame, m: EventMention, args: Arguments) -> str:
    h = ix.words.headline
    noun = m.text
    if m.polarity == "NEG":
        no = h.get("no")
        noun = f"{no} {noun}" if no else _negated_noun(ix, fr) or noun
    obj = _object_text(ix, fr, args)
    tail = _tail(ix, fr, args, obj)
    subject = ""
    if args.subject and fr.via == "possessive" and h.get("possessive"):
        return _cap([_capital(f"{args.subject}{h['possessive']} {noun}"), *tail], [4, 3])
    if args.subject and fr.via == "of" and fr.subject is not None:
        link = _text(ix, fr.pred + 1, fr.subject[0]) if fr.subject[0] > fr.pred + 1 else ""
        subject = f"{link} {_text(ix, *fr.subject)}".strip() if ix.lang == "ru" \
            else f"{link} {args.subject}".strip()
    elif args.subject and h.get("agent") and fr.via != "support":
        subject = f"{h['agent']} {args.subject}"  # the support verb's title names the doer
    return _cap([_capital(noun), subject, *tail], [5, 4])


def _negated_noun(ix: Index, fr: Frame) -> str | None:
    """The noun with the negation word before it, as written ("ningún acuerdo")."""
    i = fr.pred
    j = i - 1
    first = ix.doc.sentences[ix.tok(i).sent].first
    while j >= first and ix.tok(j).upos in ("DET", "ADJ", "NUM", "ADV", "PART"):
        if ix.low(j) in ix.lex.negations or ix.tok(j).feat("Polarity") == "Neg":
            return _text(ix, j, i + 1)
        j -= 1
    return None


def headline(ix: Index, fr: Frame | None, m: EventMention, args: Arguments) -> str:
    if fr is None:
        return _capital(m.text)
    if fr.noun:
        return "" if refused_noun(ix, fr) else _nominal(ix, fr, m, args)
    if refused(ix, fr, m):
        return ""  # timeline.titles takes another source's title or the kind's noun
    return _verbal(ix, fr, m, args)
