"""Russian case from pymorphy3's dictionary, for names and the words the tagger misreads.

The tagger's case on an unseen name is a guess ("Вера Лаптева" read as two genitives); the
dictionary knows every case a form can have. A name's words share one case (the one all of
them allow, the nominative first), and a form goes to the nominative by inflection
("Путиным" -> "Путин", "Зареченска" after "около" -> "Зареченск"). Each answer is memoised:
a document's names repeat.
"""

from __future__ import annotations

import functools
from typing import Any

UD_TO_PYMORPHY = {"Nom": "nomn", "Gen": "gent", "Dat": "datv", "Acc": "accs", "Ins": "ablt",
                  "Loc": "loct"}
_PYMORPHY_TO_UD = {v: k for k, v in UD_TO_PYMORPHY.items()}
_NAME_TAGS = ("Name", "Surn", "Patr", "Geox", "Orgn")
_NOMINAL = frozenset({"NOUN", "ADJF", "PRTF"})


def _analyzer() -> Any:
    from timeline.analyze.russian import _analyzer as shared  # one dictionary in memory

    return shared()


@functools.cache
def _parses(low: str) -> tuple[Any, ...]:
    return tuple(p for p in _analyzer().parse(low) if p.tag.POS in _NOMINAL)


@functools.cache
def cases(word: str, singular: bool = False) -> frozenset[str]:
    """The UD cases a noun or adjective form can have (empty for an unknown form); only
    its singular readings for a person's name ("Анны" is no nominative plural there)."""
    out = set()
    for p in _parses(word.lower()):
        if singular and p.tag.number == "plur":
            continue
        case = _PYMORPHY_TO_UD.get(p.tag.case or "")
        if case:
            out.add(case)
    return frozenset(out)


@functools.cache
def nominative_numbers(word: str) -> frozenset[str]:
    """The numbers ("Sing", "Plur") in which a form can be a nominative: "стороны" is a
    genitive singular or a nominative plural."""
    out = set()
    for p in _parses(word.lower()):
        if p.tag.case == "nomn":
            out.add("Plur" if p.tag.number == "plur" else "Sing")
    return frozenset(out)


def _recase(word: str, like: str) -> str:
    if like.isupper() and len(like) > 1:
        return word.upper()
    if like[:1].isupper():
        return "-".join(p[:1].upper() + p[1:] for p in word.split("-"))
    return word


@functools.cache
def nominative(word: str, case: str | None, adjective: bool = False) -> str:
    """A form in the nominative, read in the given case ("Путиным" Ins -> "Путин"); the word
    as written when no dictionary reading has that case (an indeclinable name)."""
    if case == "Nom" or not word[:1].isalpha():
        return word
    want = UD_TO_PYMORPHY.get(case or "")
    pos = ("ADJF", "PRTF") if adjective else ("NOUN",)
    fitting = [p for p in _parses(word.lower())
               if (want is None or p.tag.case == want) and p.tag.POS in pos]
    if not fitting:
        return word
    named = [p for p in fitting if any(t in p.tag for t in _NAME_TAGS)]
    best = (named or fitting)[0]
    form = best.inflect({"nomn"})
    return _recase(form.word if form else best.normal_form, word)


@functools.cache
def name_cases(word: str) -> frozenset[str]:
    """The singular cases of a form read as a name when the dictionary has such readings
    ("Путина": a surname's genitive, not the nominative of "путина", a fishing season)."""
    named = [p for p in _parses(word.lower()) if p.tag.number != "plur"
             and any(t in p.tag for t in _NAME_TAGS)]
    if not named:
        return cases(word, True)
    return frozenset(c for p in named if (c := _PYMORPHY_TO_UD.get(p.tag.case or "")))


def name_case(words: list[str], tagged: str | None) -> str | None:
    """The one case every word of a name allows: the tagger's when all allow it, else the
    nominative, else the first they share ("Вера Лаптева", read as two genitives, can only
    be a nominative together)."""
    shared: frozenset[str] | None = None
    for w in words:
        c = name_cases(w)
        if not c:
            continue  # an unknown or indeclinable word constrains nothing
        shared = c if shared is None else shared & c
    if shared is None:
        return tagged
    if tagged in shared:  # the tagger saw the context: "саммит Путина" is a genitive
        return tagged
    if "Nom" in shared or (tagged == "Nom" and all("Nom" in cases(w) or not cases(w)
                                                   for w in words)):
        return "Nom"
    return min(shared) if shared else tagged


def same_name(left: list[str], right: list[str]) -> bool:
    """Two adjacent name chunks are one name when their words share a case ("Михаила
    Гусева"), not a title's country and its holder ("России Владимир Путин")."""
    if any(w.isupper() for w in left + right):
        return False  # an abbreviation is its own name: "США Владимир Путин"
    known = [name_cases(w) for w in left + right]
    if not all(known):
        return False
    shared = frozenset.intersection(*known)
    return bool(shared)


@functools.cache
def common_word(word: str) -> bool:
    """A form the dictionary knows, none of whose readings is a name ("Переговоры")."""
    parses = _analyzer().parse(word.lower())
    known = [p for p in parses if p.is_known]
    return bool(known) and not any(t in p.tag for p in known for t in _NAME_TAGS)
