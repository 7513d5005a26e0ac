"""Names in running text, and keys that compare them across languages and scripts.

Stories are found by the names they share, places and people are compared by them. A name
is a run of capitalized words minus titles, sentence openers, calendar words and, in
languages that put capitalized adjectives before nouns, adjectives ("the Russian
president"). Keys: `stem` (transliterated, folded, first five letters) within a language,
`skeleton` (first letter and next two consonants) across languages. Split from segment.py.
"""

from __future__ import annotations

import functools
import re
import unicodedata

from timeline import lexicon, spanmemo

_NAME = re.compile(r"[A-ZА-ЯЁ][\w’'-]*"
                   r"(?:[ -](?:[A-ZА-ЯЁ][\w’'-]*|(?:del|de|la|on|na|von|van|al|bin)"
                   r"(?=[ -][A-ZА-ЯЁ])))*")


@functools.cache
def _vocabulary_words(key: str) -> frozenset[str]:
    """One word list of every language's events.toml, lower-cased: names are compared
    across languages, so a title or a non-name in any of them counts."""
    words: set[str] = set()
    for lang in lexicon.languages():
        words.update(w.lower() for w in lexicon.events(lang).get(key, []))
    return frozenset(words)


def not_names() -> frozenset[str]:
    return _vocabulary_words("not_names")


def _titles() -> frozenset[str]:
    """Titles before a person's name ("Finance Minister Michael Sarris")."""
    return _vocabulary_words("titles")


@functools.cache
def _calendar_words() -> frozenset[str]:
    """Month and weekday names: they end a name ("Port Elden on Saturday")."""
    words: set[str] = set()
    for lang in lexicon.languages():
        for cls in ("month", "weekday"):
            words.update(f.strip(".") for f in lexicon.forms(lang, cls))
    return frozenset(words)


@functools.cache
def _translit() -> dict[str, str]:
    table: dict[str, str] = {}
    for lang in lexicon.languages():
        table.update(lexicon.events(lang).get("transliterate", {}))
    return table


def latin(word: str) -> str:
    table = _translit()
    return "".join(table.get(c, c) for c in word.lower())


@functools.lru_cache(maxsize=100_000)
def stem(word: str) -> str:
    """A cross-language key for a name: Latin letters, first five (Путина ~ Putin ~ putin)."""
    w = re.sub(r"[^a-z0-9]", "", _fold(latin(word)))
    return w[:5]


OPENERS = " \"'«»“”„‘’¡¿—–-("  # what may stand before the first word of a sentence
# a wire's dateline before its first sentence: "LERIN (AP) - ", "NICOSIA, Cyprus (AP) — ",
# "GINEBRA (EFE).- ": the word after it opens the sentence (extract reads a trigger there)
_DATELINE = re.compile(r"[\s\"'«“]*[A-ZÀ-ÞА-ЯЁ]{2,}(?:[\s,]+[A-ZÀ-ÞА-ЯЁ][\w.'’-]*){0,4}\s*"
                       r"(?:\([^()\n]{1,30}\))?\.?\s*[-—–]{1,2}\s*")


def opens(text: str, s: int, pos: int) -> bool:
    """Whether the word at `pos` opens the sentence that starts at `s`: only openers, or
    a wire's dateline, stand before it."""
    return not text[s:pos].strip(OPENERS) or _DATELINE.fullmatch(text, s, pos) is not None


_SOUNDS = (("dzh", "j"), ("ck", "k"), ("c", "k"), ("q", "k"), ("w", "v"), ("ph", "f"), ("x", "ks"),
           ("z", "s"))


def _fold(word: str) -> str:
    """Spellings of one sound that differ between languages: Nicosia ~ Никосия (nikos)."""
    w = unicodedata.normalize("NFKD", word)
    w = "".join(c for c in w if not unicodedata.combining(c))
    for a, b in _SOUNDS:
        w = w.replace(a, b)
    return w


@functools.lru_cache(maxsize=100_000)
def skeleton(word: str) -> str:
    """A looser cross-language key for a place: first letter and next two consonants, after
    folding spellings that differ between languages (Moscow ~ Moscú ~ Москву: "msk";
    Brussels ~ Bruselas ~ Брюсселе: "brs")."""
    w = re.sub(r"[^a-z]", "", _fold(latin(word)))
    if not w:
        return ""
    rest = re.sub(r"[aeiouyhj]", "", w[1:])
    rest = re.sub(r"(.)\1+", r"\1", rest)
    return w[0] + rest[:2]


@spanmemo.last_text
def names(text: str, start: int, end: int) -> list[tuple[int, int, str]]:
    """Capitalized name spans that are not sentence openers or known non-names."""
    out = []
    for m in _NAME.finditer(text, start, end):
        got = _name_in(m.group(0))
        if got is not None:
            s = m.start() + got[0]
            out.append((s, s + len(got[1]), got[1]))
    return out


@functools.lru_cache(maxsize=100_000)
def _name_in(run: str) -> tuple[int, str] | None:
    """The name a run of capitalized words holds, and where in the run it starts (None: no
    name). A function of the run alone, so memoised: the same runs ("President Vladimir
    Putin", "The") come back in every sentence and every document of a story."""
    words = run.split()
    s = 0
    non_names, titles, calendar = not_names(), _titles(), _calendar_words()
    # drop leading words that are not names ("The", "After", "President")
    while words and words[0].lower().strip("’'-") in non_names:
        s += len(words[0]) + 1
        words = words[1:]
    # "Russian President Vladimir Putin", "Police Chief Ed Davis": the person after the title
    cut = max((i for i, w in enumerate(words[:-1]) if w.lower() in titles), default=-1)
    if cut >= 0:
        s += len(" ".join(words[:cut + 1])) + 1
        words = words[cut + 1:]
    if words and _POSSESSIVE.search(words[-1]):
        words[-1] = words[-1][:-2]  # "Pyongyang’s plans": the possessor
    elif words and _PLURAL_POSSESSIVE.search(words[-1]):
        words[-1] = words[-1][:-1]  # "Cyprus' parliament"
    if not words or (len(words) == 1 and words[0].lower().strip(".") in calendar):
        return None  # "Feb. 13", "Monday's earthquakes": a date, not a name
    for i in range(1, len(words)):
        if words[i][:1].isupper() and words[i].lower() in calendar:
            words = words[:i - 1] if words[i - 1].islower() else words[:i]
            break
    name = " ".join(words)
    if len(name) < 2 or (name.isupper() and len(name) > 6):
        return None
    return s, name


_POSSESSIVE = re.compile(r"[’']s$")
_PLURAL_POSSESSIVE = re.compile(r"s[’']$")


@functools.cache
def _prenominal(lang: str) -> tuple[frozenset[str], tuple[str, ...], frozenset[str]] | None:
    """Function words, adjective endings and words, when the language puts capitalized
    adjectives before nouns ("the Russian president"). None for languages that do not."""
    res = lexicon.events(lang)
    if not res.get("capitalized_adjectives_before_nouns"):
        return None
    adj = res.get("capitalized_adjectives", {})
    return (frozenset(w.lower() for w in [*res.get("function_words", []),
                                          *res.get("place_prepositions", [])]),
            tuple(adj.get("endings", [])), frozenset(w.lower() for w in adj.get("words", [])))


_NEXT_WORD = re.compile(r"\s+([a-zа-яё][\w-]*)")


def is_modifier(text: str, end: int, name: str, lang: str) -> bool:
    """ "Russian president", "North Korean leader": a capitalized adjective before a noun,
    not a name. "Prime Minister Kyriakos Mitsotakis cut short his holiday" is a name: its
    last word is no adjective (by ending or by list, data per language)."""
    pre = _prenominal(lang)
    if pre is None:
        return False
    function_words = pre[0]
    nxt = _NEXT_WORD.match(text, end, end + 30)
    if not nxt or len(nxt.group(1)) <= 2 or nxt.group(1) in function_words:
        return False
    return is_adjective(name.split()[-1], lang)


def is_adjective(word: str, lang: str) -> bool:
    """A capitalized adjective by its ending or by list ("Russian", "Eastern"): data per
    language; False for languages that put adjectives after the noun."""
    pre = _prenominal(lang)
    if pre is None:
        return False
    _, endings, words = pre
    low = word.lower()
    return low in words or low.endswith(endings)
