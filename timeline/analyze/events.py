"""Open-class event mentions over an analysed document, with their TimeML attributes.

Every eventive predicate is a mention, as the TimeML guidelines have it: a verb that is not an
auxiliary, copula or modal used as such, and an event noun (one listed in the language's
eventmentions.toml, one learnt from TimeBank in eventnouns.toml, or one formed with a
deverbal suffix). The extent is the head word, as TimeML tags it. Nothing here names a
language: the words are data in timeline/resources/<lang>/, the rest reads the analysis
(parts of speech, lemmas and UD features), so a new language is a new data file.
"""

from __future__ import annotations

import functools
from typing import Any, NamedTuple

import attrs

from timeline import concepts
from timeline.analyze import classmodel, eventclass
from timeline.analyze.document import Analysed, Token
from timeline.lexicon import resource as _resource

CLASSES = ("REPORTING", "I_ACTION", "I_STATE", "ASPECTUAL", "PERCEPTION", "STATE")
_BREAK = frozenset({"PUNCT", "SCONJ", "CCONJ"})  # a clause ends: no modal or negation across
_SKIP = frozenset({"ADV", "PART"})  # between an auxiliary and its verb ("has not")
_SUBJECT = frozenset({"NOUN", "PROPN", "PRON"})
_NOUN_GAP = frozenset({"DET", "ADJ", "NUM"})  # between "no" and its noun ("no new talks")
_VERB_GAP = _SKIP | {"AUX", "PRON"}  # between a negation and its verb ("no se firmó")
_TENSES = {"Past": "PAST", "Pres": "PRESENT", "Fut": "FUTURE"}
# the only parts of speech a mention can have: every other token is skipped before any lookup
_CANDIDATE = frozenset({"VERB", "ADJ", "NOUN"})


@attrs.frozen
class EventMention:
    """One EVENT: ``doc.text[start:end] == text``; attributes as TimeML spells them."""

    start: int
    end: int
    text: str
    lemma: str
    pos: str  # VERB, NOUN, ADJECTIVE (a participle read as an adjective): TimeML pos
    class_: str
    tense: str  # PAST, PRESENT, FUTURE, INFINITIVE, PRESPART, PASTPART, NONE
    aspect: str  # PROGRESSIVE, PERFECTIVE, PERFECTIVE_PROGRESSIVE, NONE
    polarity: str  # POS, NEG
    modality: str  # the modal word as written, lower-cased; "" when none


class Lexicon(NamedTuple):
    not_events: frozenset[str]
    not_event_forms: frozenset[str]
    modals: frozenset[str]
    negations: frozenset[str]
    future: frozenset[str]
    perfect: frozenset[str]
    progressive: frozenset[str]
    nouns: dict[str, str]  # lemma -> class ("" when the class lists decide)
    suffixes: tuple[str, ...]
    not_event_nouns: frozenset[str]
    classes: dict[str, str]  # lemma -> class, the hand lists
    table: dict[str, str]  # "lemma POS [context]" -> class, learnt (eventclass.py)
    rare: frozenset[str] = frozenset()  # "lemma POS" seldom an EVENT in TimeBank: not one
    complements: eventclass.Complements = eventclass.ENGLISH  # [complements] (eventclass.py)
    # the deverbal suffixes as written, also when [suffix_nouns] turns them off as mentions:
    # an argument so formed is still an event to the class rules ("ordered the evacuation")
    arg_suffixes: tuple[str, ...] = ()
    # classmodel.Classifier: the learnt class decision over the rules' class (None: the rules)
    classifier: Any = None


def _load(lang: str, name: str) -> dict[str, Any]:
    return _resource(lang, name)  # parsed once, kept between runs (lexicon.parse_toml)


@functools.cache
def raw(lang: str) -> dict[str, Any]:
    """The parsed eventmentions.toml of a language (examples included, for the tests)."""
    return _load(lang, "eventmentions.toml")


@functools.cache
def learnt(lang: str) -> dict[str, Any]:
    """The parsed eventnouns.toml (event nouns learnt on TimeBank; English only today)."""
    return _load(lang, "eventnouns.toml")


@functools.cache
def lexicon(lang: str) -> Lexicon:
    data = raw(lang)

    def low(key: str) -> frozenset[str]:
        return frozenset(w.lower() for w in data.get(key, []))

    classes: dict[str, str] = {}
    for cls in CLASSES:
        for w in data.get("classes", {}).get(cls, []):
            classes.setdefault(w.lower(), cls)
    table = {k: entry["class"] for k, entry in learnt(lang).get("classes", {}).items()}
    nouns = {lemma: entry["class"] for lemma, entry in learnt(lang).get("nouns", {}).items()}
    for w in data.get("nouns", []):
        nouns.setdefault(w.lower(), "")
    return Lexicon(low("not_events"), low("not_event_forms"), low("modals"), low("negations"),
                   low("future"), low("perfect"), low("progressive"), nouns,
                   tuple(data.get("suffixes", [])) if learnt(lang).get("suffix_nouns", {}).get(
                       "use", True) else (), low("not_event_nouns"), classes, table,
                   frozenset(learnt(lang).get("rare", {})), _complements(data),
                   tuple(data.get("suffixes", [])) + tuple(data.get("argument_suffixes", [])),
                   classmodel.load(lang))


def _complements(data: dict[str, Any]) -> eventclass.Complements:
    comp = data.get("complements", {})
    default = eventclass.ENGLISH
    return eventclass.Complements(
        frozenset(w.lower() for w in comp.get("clause", default.clause)),
        frozenset(w.lower() for w in comp.get("infinitive", default.infinitive)),
        bool(comp.get("bare_infinitive", default.bare_infinitive)),
        bool(comp.get("comma", default.comma)),
        frozenset(w.lower() for w in comp.get("after_object", default.after_object)))


def _is_event_argument(lemma: str, lex: Lexicon) -> bool:
    """Whether a noun heads an event argument for the class rules: an event noun, or one
    with a deverbal suffix even where those are not mentions (precision matters less here:
    the question is only whether a verb governs some event)."""
    if _is_event_noun(lemma, lex):
        return True
    if lemma in lex.not_event_nouns or not lex.arg_suffixes:
        return False
    return any(lemma.endswith(s) and len(lemma) > len(s) + 2 for s in lex.arg_suffixes)


def _is_event_noun(lemma: str, lex: Lexicon) -> bool:
    if lemma in lex.nouns:
        return True
    if lemma in lex.not_event_nouns:
        return False
    memo = _suffixed(lex)
    got = memo.get(lemma)
    if got is None:
        got = memo[lemma] = any(lemma.endswith(s) and len(lemma) > len(s) + 2
                                for s in lex.suffixes)
    return got


# lemma -> whether a suffix makes it an event noun, per lexicon (asked for every noun of
# every document; a lexicon holds dicts, so it is no key itself and is kept here with it)
_SUFFIXED: dict[int, tuple[Lexicon, dict[str, bool]]] = {}


def _suffixed(lex: Lexicon) -> dict[str, bool]:
    got = _SUFFIXED.get(id(lex))
    if got is None or got[0] is not lex:
        got = _SUFFIXED[id(lex)] = (lex, {})
    return got[1]


def _auxiliaries(tokens: tuple[Token, ...], i: int, first: int, lex: Lexicon) -> list[Token]:
    """The auxiliaries and modals before token i in its clause, nearest first, skipping
    adverbs and negations between them ("would not have been said")."""
    out: list[Token] = []
    j = i - 1
    while j >= first:
        t = tokens[j]
        if t.upos == "AUX" or t.lemma.lower() in lex.modals:
            out.append(t)
        elif t.upos not in _SKIP:
            break
        j -= 1
    return out


def _negated(tokens: tuple[Token, ...], i: int, first: int, lex: Lexicon, noun: bool) -> bool:
    """A negation just before the predicate in its clause: among its auxiliaries and
    adverbs for a verb ("did not say", "не подписал"), before its determiners and
    adjectives for a noun ("no new agreement")."""
    gap = _NOUN_GAP if noun else _VERB_GAP
    j = i - 1
    while j >= first:
        t = tokens[j]
        if t.text.lower() in lex.negations or (t.feat("Polarity") == "Neg" and t.upos != "ADJ"):
            return True
        if t.upos not in gap or t.upos in _BREAK:
            return False
        j -= 1
    return False


def _tense_aspect(tok: Token, auxes: list[Token], lex: Lexicon,
                  subject: bool) -> tuple[str, str]:
    """TimeML tense and aspect from the verb's own features and its auxiliaries'. A bare
    participle right after its subject is the finite past of a language that spells both
    alike ("the board approved"), as the tagger cannot always tell."""
    form = tok.feat("VerbForm")
    if not auxes:  # most predicates: the rules below with no auxiliary, minus their lookups
        tense = tok.feat("Tense")
        if form == "Fin" or tense == "Fut":
            return _TENSES.get(tense or "", "NONE"), "NONE"
        return _nonfinite(form, tense, False, subject), "NONE"
    lemmas = [a.lemma.lower() for a in auxes]
    perfect = any(w in lex.perfect for w in lemmas) and (
        form == "Part" or any(a.feat("VerbForm") == "Part" for a in auxes))
    progressive = any(w in lex.progressive for w in lemmas) and (
        form == "Ger" or (form == "Part" and tok.feat("Tense") == "Pres"))
    aspect = ("PERFECTIVE_PROGRESSIVE" if perfect and progressive else
              "PERFECTIVE" if perfect else "PROGRESSIVE" if progressive else "NONE")
    finite = next((a for a in reversed(auxes) if a.feat("VerbForm") == "Fin"), None)
    if any(w in lex.modals for w in lemmas):
        return "NONE", aspect
    if any(w in lex.future for w in lemmas) and (finite is None or (
            finite.lemma.lower() in lex.future and finite.feat("Tense") != "Past")):
        return "FUTURE", aspect  # not "был оштрафован": быть is the past auxiliary too
    source = finite or tok
    tense = source.feat("Tense")
    if source.feat("VerbForm") == "Fin" or finite is not None or tense == "Fut":
        return _TENSES.get(tense or "", "NONE"), aspect
    return _nonfinite(form, tense, True, subject), aspect


_TENSES = {"Past": "PAST", "Pres": "PRESENT", "Fut": "FUTURE"}


def _nonfinite(form: str | None, tense: str | None, auxes: bool, subject: bool) -> str:
    if form == "Inf":
        return "INFINITIVE"
    if form == "Ger" or (form == "Part" and tense == "Pres"):
        return "PRESPART"
    if form == "Part":
        return "PASTPART" if auxes or not subject else "PAST"
    return "NONE"


def _class(doc: Analysed, tok: Token, first: int, end: int, lex: Lexicon, lemma: str,
           sent_first: int, attrs: tuple[str, str, str, str]) -> str:
    ctx = eventclass.context(doc.tokens, tok.i, end, lex.complements)
    pos = eventclass.kind(tok)
    got = eventclass.decide(lemma, pos, ctx, lex.table, lex.classes, lex.nouns)
    bare = None
    # the argument is read only where it can change the class (most verbs are occurrences)
    if pos == "VERB" and not ctx and got in eventclass.NEEDS_EVENT:
        bare = not eventclass.event_argument(doc.tokens, tok.i, first, end,
                                             functools.partial(_argument_token, lex=lex),
                                             lex.complements, _far_subject(tok, got, sent_first))
        if bare:
            got = "OCCURRENCE"
    if lex.classifier is None:
        return got
    return lex.classifier.decide(classmodel.features(
        doc.tokens, tok.i, sent_first, end, got, ctx, attrs, bare,
        lambda w, p: eventclass.decide(w, p, "", lex.table, lex.classes, lex.nouns),
        functools.partial(_argument_token, lex=lex)),
        droppable=_droppable(doc, tok, end, lemma, lex), bare=bool(bare))


def _far_subject(tok: Token, cls: str, sent_first: int) -> int | None:
    """Where a finite aspectual verb's subject may be sought across the words between
    ("переговоры в понедельник закончились"): the sentence start; None for any other verb
    (on AQUAINT, sought for every I_ACTION and ASPECTUAL verb it lowered class F1 by 0.0005:
    "efforts to keep the boy ... would fail")."""
    return sent_first if cls == "ASPECTUAL" and tok.feat("VerbForm") == "Fin" else None


def _droppable(doc: Analysed, tok: Token, end: int, lemma: str, lex: Lexicon) -> bool:
    """Whether the class model may read a mention as no event: a verb (not one of the concept
    layer's predicates), or a noun only the deverbal suffixes make one; not a curated event
    noun (the product keeps "agreement" or "flight" whatever TimeBank's annotators did), not
    a participle that modifies a noun (read as an adjective or as a verb before its noun: "a
    recently repaired bridge", whose arguments the titles read)."""
    if tok.upos == "NOUN":
        return lemma not in lex.nouns
    if tok.upos != "VERB" or lemma in concepts.table(doc.lang):
        return False  # a predicate of the concept layer (concepts.toml) is curated too
    return not (tok.feat("VerbForm") == "Part" and tok.i + 1 < end
                and doc.tokens[tok.i + 1].upos == "NOUN")


def _argument_token(t: Token, lex: Lexicon) -> bool:
    return t.upos == "NOUN" and _is_event_argument(t.lemma.lower(), lex)


def _mention(doc: Analysed, tok: Token, first: int, end: int,
             lex: Lexicon, sent_first: int | None = None) -> EventMention | None:
    """``first`` where the clause starts, ``sent_first`` the sentence (the class model
    looks for a governing verb across the clause: "said that ..."); titles.py calls this
    with the sentence as the clause."""
    if sent_first is None:
        sent_first = first
    part = tok.upos == "ADJ" and tok.feat("VerbForm") == "Part"  # "ha sido firmado"
    memo = _gates(lex)
    gate = memo.get((tok.text, tok.lemma, tok.upos, part))
    if gate is None:
        if len(memo) > 200_000:  # a corpus of very many distinct words: start again
            memo.clear()
        gate = memo[tok.text, tok.lemma, tok.upos, part] = _gate(tok, part, lex)
    if gate == "":
        return None
    lemma = tok.lemma.lower()
    if gate == "VERB":
        auxes = _auxiliaries(doc.tokens, tok.i, first, lex)
        prev = doc.tokens[tok.i - 1] if tok.i > first else None
        subject = prev is not None and prev.upos in _SUBJECT
        tense, aspect = _tense_aspect(tok, auxes, lex, subject)
        modal = next((a.text.lower() for a in auxes if a.lemma.lower() in lex.modals), "")
        polarity = "NEG" if _negated(doc.tokens, tok.i, first, lex, noun=False) else "POS"
        cls = _class(doc, tok, first, end, lex, lemma, sent_first,
                     (tense, aspect, polarity, modal))
        if cls == classmodel.NONE:
            return None  # the class model (classmodel.py) reads it as no event
        pos = "ADJECTIVE" if tok.upos == "ADJ" else "VERB"
        return EventMention(tok.start, tok.end, tok.text, tok.lemma, pos, cls, tense,
                            aspect, polarity, modal)
    polarity = "NEG" if _negated(doc.tokens, tok.i, first, lex, noun=True) else "POS"
    cls = _class(doc, tok, first, end, lex, lemma, sent_first, ("NONE", "NONE", polarity, ""))
    if cls == classmodel.NONE:
        return None  # an event noun
    return EventMention(tok.start, tok.end, tok.text, tok.lemma, "NOUN", cls, "NONE",
                        "NONE", polarity, "")


def _gate(tok: Token, part: bool, lex: Lexicon) -> str:
    """What a token's words alone say (its form, lemma, tag and whether it is a participle):
    a predicate ("VERB": a verb or participle, "NOUN": an event noun) or none (""). Asked
    for every candidate token, and the same words come back: memoised per lexicon."""
    lemma = tok.lemma.lower()
    if tok.text.lower() in lex.not_event_forms:
        return ""
    if lex.rare and eventclass.key(lemma, eventclass.kind(tok)) in lex.rare:
        return ""
    if (tok.upos == "VERB" and lemma not in lex.not_events and lemma not in lex.modals) \
            or part:
        return "VERB"
    if tok.upos == "NOUN" and _is_event_noun(lemma, lex):
        return "NOUN"
    return ""


# (form, lemma, upos, participle) -> _gate, per lexicon (kept with it, as _SUFFIXED is)
_GATES: dict[int, tuple[Lexicon, dict[tuple[str, str, str, bool], str]]] = {}


def _gates(lex: Lexicon) -> dict[tuple[str, str, str, bool], str]:
    got = _GATES.get(id(lex))
    if got is None or got[0] is not lex:
        got = _GATES[id(lex)] = (lex, {})
    return got[1]


_DATELINE_NEXT = frozenset({"(", ",", "-", "—", "–"})


def _dateline(tokens: tuple[Token, ...], tok: Token, end: int) -> bool:
    """A place in capitals opening a sentence before "(", "," or a dash: a wire story's
    dateline ("VALDEMAR (Agencia) -", read as an infinitive in -ar), never a predicate."""
    return (len(tok.text) > 2 and tok.text.isupper() and tok.i + 1 < end
            and tokens[tok.i + 1].text in _DATELINE_NEXT)


def _title_participle(tokens: tuple[Token, ...], tok: Token, end: int) -> bool:
    """A participle in the case of the name right after it is that name's title, a noun
    ("Нападающий Денис Орлов", "обвиняемого Иванова"), no predicate. Only a language that
    marks case says so; elsewhere inert ("ousted leader Milosevic" stays an event)."""
    case = tok.feat("Case")
    if case is None or tok.feat("VerbForm") != "Part" or tok.i + 1 >= end:
        return False
    nxt = tokens[tok.i + 1]
    return nxt.upos == "PROPN" and nxt.feat("Case") == case


def event_mentions(doc: Analysed) -> list[EventMention]:
    """The event mentions of an analysed document, in text order."""
    return mentions_with(doc, lexicon(doc.lang))


def mentions_with(doc: Analysed, lex: Lexicon) -> list[EventMention]:
    """event_mentions under a given lexicon (the seed script's, learning what it filters)."""
    out: list[EventMention] = []
    for sent in doc.sentences:
        clause = sent.first
        for tok in doc.tokens[sent.first:sent.end]:
            upos = tok.upos
            if upos in _BREAK:
                clause = tok.i + 1
                continue
            if upos not in _CANDIDATE:
                continue  # _mention would say None: no lemma, key or form to look up
            if (tok.i == sent.first and _dateline(doc.tokens, tok, sent.end)) \
                    or _title_participle(doc.tokens, tok, sent.end):
                continue
            m = _mention(doc, tok, clause, sent.end, lex, sent.first)
            if m is not None:
                out.append(m)
    return out
