"""The TimeML class of an event mention: a per-lemma table learnt on TimeBank, with context.

A predicate's class depends on what it governs as much as on its lemma: "said that ..."
reports, "agreed to sign" is an I_ACTION, "began selling" is ASPECTUAL, while "agreed on the
price" is an ordinary OCCURRENCE. So the table (``[classes]`` in eventnouns.toml, written by
scripts/seed_eventnouns.py from TimeBank, never AQUAINT) is keyed by lemma, TimeML part of
speech and, where TimeBank shows the context changes the class, the context signature
``context`` reads off the analysis: ``that`` (a "that"/"whether"/"if" clause follows),
``to`` (an infinitive follows, perhaps after its object: "asked the board to approve"),
``ing`` (a gerund follows). Lookup: lemma+pos+context, lemma+pos, the hand lists of
eventmentions.toml, the class of a learnt event noun, else OCCURRENCE.

Then the TimeML guidelines' condition on the intensional and aspectual classes: an I_ACTION
or ASPECTUAL predicate takes an event argument, written in the text ("tried to leave",
"began the talks", "the talks continued"). A verb of one of those lemmas with no such
argument is an OCCURRENCE ("fought to keep the boy in Miami", "refused", "is being sought
as a witness"): ``bare`` says so (``event_argument``). An I_STATE keeps its class with a
nominal object ("wants him back"): so both TimeBank and AQUAINT annotate it, and the rule
applied to it lowers class accuracy on TimeBank (0.835 -> 0.825) as on AQUAINT. The words
that open a complement (complementisers, infinitive markers) are the language's data
(``[complements]`` in eventmentions.toml), so Spanish ("dejó de fumar" / "dejó el país") and
Russian ("начал работать" / "стал президентом") go the same way.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, NamedTuple

from timeline.analyze.document import Token

CONTEXTS = ("that", "to", "ing")
INTENSIONAL = frozenset({"I_ACTION", "I_STATE", "ASPECTUAL"})
# the classes whose verb is an OCCURRENCE without an event argument: an I_STATE keeps its
# state with a nominal object ("wants him back", "needs the cash"), as both TimeBank and
# AQUAINT annotate it
NEEDS_EVENT = frozenset({"I_ACTION", "ASPECTUAL"})
_NP = frozenset({"DET", "ADJ", "NUM", "PRON", "PROPN", "NOUN"})
_NOMINAL = frozenset({"NOUN", "PROPN", "PRON"})
_OBJECT_GAP = frozenset({"DET", "ADJ", "NUM", "PRON", "ADV", "PART"})


class Complements(NamedTuple):
    """What opens a complement in a language: a clause ("that", "que", "что"), an
    infinitive ("to"; "a", "de" before a Spanish infinitive); ``bare_infinitive``: an
    infinitive straight after the verb is a complement ("quiere firmar", "хочет подписать";
    not in English, where "help offset" is rarer than "make it"); ``comma``: a comma comes
    before the complementiser, as Russian punctuation has it ("решили, что");
    ``after_object``: see below."""

    clause: frozenset[str] = frozenset({"that", "whether", "if"})
    infinitive: frozenset[str] = frozenset({"to"})
    bare_infinitive: bool = False
    comma: bool = False
    # the prepositions that bring in the event after an object ("accused them of abuse",
    # "blamed the board for the loss", "acusó al ministro de corrupción")
    after_object: frozenset[str] = frozenset({"of", "from", "about", "against", "into",
                                              "for"})


ENGLISH = Complements()
_OBJECT = frozenset({"DET", "ADJ", "NOUN", "PROPN", "PRON", "NUM"})  # before "to" + verb
_VERBAL = frozenset({"VERB", "AUX"})


def kind(tok: Token) -> str:
    """The TimeML pos a table key uses: VERB, NOUN, ADJECTIVE or OTHER."""
    if tok.upos in _VERBAL:
        return "VERB"
    if tok.upos in ("NOUN", "PROPN"):
        return "NOUN"
    return "ADJECTIVE" if tok.upos == "ADJ" else "OTHER"


def context(tokens: Sequence[Token], i: int, end: int, comp: Complements = ENGLISH) -> str:
    """What the predicate at ``i`` governs to its right in its sentence (tokens before
    ``end``): 'that', 'to', 'ing' or ''. An adverb or two may come between ("said
    yesterday that"), an object before an infinitive ("urged them to leave")."""
    j = i + 1
    while j < end and j <= i + 2 and tokens[j].upos == "ADV":
        j += 1
    if j >= end:
        return ""
    t = tokens[j]
    if comp.comma and t.text == "," and j + 1 < end:
        j += 1
        t = tokens[j]
    low = t.text.lower()
    if low in comp.clause and t.upos in ("SCONJ", "PRON", "DET"):
        return "that"
    if t.upos == "VERB" and (t.feat("VerbForm") == "Ger" or (
            t.feat("VerbForm") == "Part" and t.feat("Tense") == "Pres")):
        return "ing"  # UD English spells the -ing form as a present participle
    if comp.bare_infinitive and t.upos in _VERBAL and t.feat("VerbForm") == "Inf":
        return "to"
    k = j
    while k < end and k <= j + 3 and tokens[k].upos in _OBJECT:
        k += 1
    if (k + 1 < end and tokens[k].text.lower() in comp.infinitive
            and tokens[k + 1].upos in _VERBAL):
        return "to"
    return ""


def event_argument(tokens: Sequence[Token], i: int, first: int, end: int,
                   is_event: Callable[[Token], bool], comp: Complements = ENGLISH,
                   sent_first: int | None = None) -> bool:
    """Whether the verb at ``i`` (clause from ``first``, sentence to ``end``) has an
    argument that is an event or a proposition, besides the complements ``context`` reads:
    an object (perhaps after a preposition) headed by an event noun or a verb ("began the
    talks", "called for a strike", "asked for providing"); a clause with no complementiser
    ("thinks it was a mistake": a noun phrase, then a finite verb or an auxiliary); a
    subject that is an event ("the talks continued", "the vote was delayed"); a predicative
    complement ("called the move a setback"); an event possessed ("blocked the boy's
    return"); an object, then a preposition that introduces the event ("accused them of
    abuse", "prevented him from leaving"). ``is_event`` says whether a noun token is an
    event noun. The possessive is English ("'s"): elsewhere inert; the prepositions are
    the language's data (``Complements.after_object``).
    On TimeBank the last two lift class accuracy 0.8354 -> 0.8371."""
    j = _object_head(tokens, i + 1, end, is_event)
    if j < end and (tokens[j].upos == "VERB" or is_event(tokens[j])):
        return True
    if _object_then_event(tokens, j, end, is_event, comp) or _object_then_complement(
            tokens, j, end, comp):
        return True
    k, n = i + 1, 0
    while k < end and tokens[k].upos in _NP and n < 5:
        k, n = k + 1, n + 1
    if n and k < end and (tokens[k].upos == "AUX" or (
            tokens[k].upos == "VERB" and tokens[k].feat("VerbForm") == "Fin")):
        return True
    k = _subject_before(tokens, i, first, comp)
    if k >= first and is_event(tokens[k]):
        return True
    if sent_first is not None:
        k = subject_of(tokens, i, sent_first)
        if k >= 0 and is_event(tokens[k]):
            return True
    k, n = i + 1, 0
    while k < end and tokens[k].upos in ("DET", "PROPN", "NOUN", "PRON") and n < 4:
        if tokens[k].upos in _NOMINAL and k + 1 < end and tokens[k + 1].upos in ("DET", "ADJ"):
            return True
        k, n = k + 1, n + 1
    return False


def _object_head(tokens: Sequence[Token], j: int, end: int,
                 is_event: Callable[[Token], bool] | None = None) -> int:
    """The head of the phrase the verb governs from ``j``: past a preposition, determiners
    and modifiers, to the last noun of a compound ("the price war") unless an event noun
    comes first (a noun after it is a slip of the tagger or a time: "completed the purchase
    yesterday"), past the words of a name ("accused Mr. Antar of"), and past a possessor to
    what it possesses ("blocked the boy's return", "his return")."""
    if j + 1 < end and tokens[j].upos == "ADV" and tokens[j + 1].upos == "ADP":
        j += 1  # "pressed anew for a trial"
    if j < end and tokens[j].upos == "ADP":
        j += 1
    n = 0
    while j < end and tokens[j].upos in _OBJECT_GAP and n < 4:
        j, n = j + 1, n + 1
    while j + 1 < end and (
            (tokens[j].upos in ("NOUN", "PROPN") and tokens[j + 1].upos == "NOUN")
            or tokens[j].upos == tokens[j + 1].upos == "PROPN"):
        if is_event is not None and is_event(tokens[j]):
            break
        j += 1  # a compound's head is its last noun ("the price war")
    if (j + 2 < end and tokens[j].upos in _NOMINAL and tokens[j + 1].upos == "PART"
            and tokens[j + 1].text in _POSSESSIVE):
        j += 2
        n = 0
        while j < end and tokens[j].upos in ("ADJ", "NUM") and n < 3:
            j, n = j + 1, n + 1
        while (j + 1 < end and tokens[j].upos in ("NOUN", "PROPN")
               and tokens[j + 1].upos == "NOUN"):
            j += 1
    return j


_POSSESSIVE = frozenset({"'s", "’s", "'", "’"})


def _object_then_event(tokens: Sequence[Token], j: int, end: int,
                       is_event: Callable[[Token], bool], comp: Complements) -> bool:
    """A nominal object, then a preposition that introduces the event ("accused them of
    child abuse", "accused of masterminding the attack", "prevented him from leaving")."""
    if j < end and tokens[j].upos in _NOMINAL:
        j += 1
    if j + 1 >= end or tokens[j].text.lower() not in comp.after_object or tokens[j].upos not in (
            "ADP", "SCONJ"):
        return False
    k = _object_head(tokens, j + 1, end, is_event)
    return k < end and (is_event(tokens[k]) or (
        tokens[k].upos == "VERB" and tokens[k].feat("VerbForm") in ("Ger", "Part")))


def _subject_before(tokens: Sequence[Token], i: int, first: int, comp: Complements) -> int:
    """The word before the verb at ``i`` past its auxiliaries, adverbs and negation, and
    past a verb or adjective whose infinitive complement it is ("the talks are expected to
    continue", "the strike is likely to continue", "la huelga parece continuar", "забастовка
    может продолжиться"): where its subject ends, if it has one in the clause."""
    verb, k = i, i - 1
    for _ in range(3):
        marker = False
        while k >= first and (tokens[k].upos in ("AUX", "ADV", "PART") or (
                tokens[k].upos == "ADP" and tokens[k].text.lower() in comp.infinitive)):
            marker = marker or tokens[k].text.lower() in comp.infinitive
            k -= 1
        infinitive = marker or (comp.bare_infinitive
                                and tokens[verb].feat("VerbForm") == "Inf")
        if k < first or not infinitive or not (tokens[k].upos in _VERBAL or (
                marker and tokens[k].upos == "ADJ")):  # "the strike is likely to continue"
            return k
        verb, k = k, k - 1
    return k


_OBLIQUE = frozenset({"Gen", "Dat", "Ins", "Loc"})  # cases no subject is in


def subject_of(tokens: Sequence[Token], i: int, start: int) -> int:
    """The first noun of the verb's clause that no preposition governs and no oblique
    case marks, or -1: the subject when other words stand between it and its verb, which
    ``_subject_before`` does not see past ("the talks on Monday ended", "переговоры в
    понедельник закончились", "подсчёт голосов завершился", "la votación anterior, en 2022,
    terminó"). The clause starts after the last subordinator or finite verb before it."""
    lo = start
    for k in range(i - 1, start - 1, -1):
        t = tokens[k]
        if t.upos == "SCONJ" or (t.upos == "VERB" and t.feat("VerbForm") == "Fin"):
            lo = k + 1
            break
    governed = False  # inside a prepositional phrase
    for k in range(lo, i):
        t = tokens[k]
        if t.upos == "ADP":
            governed = True
        elif t.upos in ("NOUN", "PROPN"):
            if not governed and t.feat("Case") not in _OBLIQUE:
                return k
        elif t.upos not in ("DET", "ADJ", "NUM"):
            governed = False  # a comma, a verb or an adverb ends the phrase
    return -1


def _object_then_complement(tokens: Sequence[Token], j: int, end: int,
                            comp: Complements) -> bool:
    """A nominal object (perhaps after a preposition), then a clause or an infinitive:
    "assured Yeltsin that Ukraine would not join", "called on Israel to continue". What
    opens the complement is the language's data, as for ``context``."""
    if j >= end or tokens[j].upos not in _NOMINAL:
        return False
    k = j + 1
    if comp.comma and k + 1 < end and tokens[k].text == ",":
        k += 1
    if k >= end:
        return False
    low = tokens[k].text.lower()
    if low in comp.clause and tokens[k].upos in ("SCONJ", "PRON", "DET"):
        return True
    if comp.bare_infinitive and tokens[k].upos in _VERBAL and tokens[k].feat(
            "VerbForm") == "Inf":
        return True  # "попросил его подписать"
    return (k + 1 < end and low in comp.infinitive and tokens[k].upos in ("PART", "ADP")
            and tokens[k + 1].upos in _VERBAL)


def key(lemma: str, pos: str, ctx: str = "") -> str:
    return f"{lemma} {pos} {ctx}" if ctx else f"{lemma} {pos}"


def keys_of(doc: Any, tok: Token) -> set[str]:
    """The table keys a token counts under when a table is learnt: its lemma and pos, alone
    and with the context it governs in its sentence (scripts/seed_eventnouns.py and
    scripts/train_eventclass.py learn the same table)."""
    ctx = context(doc.tokens, tok.i, doc.sentences[tok.sent].end)
    pos = kind(tok)
    return {key(tok.lemma.lower(), pos), key(tok.lemma.lower(), pos, ctx)}


def decide(lemma: str, pos: str, ctx: str, table: Mapping[str, str],
           hand: Mapping[str, str], nouns: Mapping[str, str], bare: bool = False) -> str:
    """The class of a mention; see the module docstring for the order. ``bare``: a verb
    with no event argument, which no I_ACTION or ASPECTUAL class fits."""
    got = _lookup(lemma, pos, ctx, table, hand, nouns)
    if bare and pos == "VERB" and got in NEEDS_EVENT:
        return "OCCURRENCE"
    return got


def _lookup(lemma: str, pos: str, ctx: str, table: Mapping[str, str],
            hand: Mapping[str, str], nouns: Mapping[str, str]) -> str:
    if ctx:
        got = table.get(key(lemma, pos, ctx))
        if got:
            return got
    got = table.get(key(lemma, pos))
    if got:
        return got
    if pos == "NOUN" and nouns.get(lemma):
        return nouns[lemma]
    return hand.get(lemma, "OCCURRENCE")
