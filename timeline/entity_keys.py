"""Keys that compare names of one entity across documents, languages and scripts.

A name word is compared by its *key*: Latin letters (the transliteration table of
events.toml), accents and spellings of one sound folded (`names._fold`), lower case; in a
language that inflects names, the case ending is taken off too ("Кима" ~ "Ким"), by the
ending list of its entities.toml. Countries, capitals and international organisations, whose names
translate rather than transliterate ("North Korea", "КНДР", "Corea del Norte"), are found in
the small table of entities.toml by a key every language shares.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from typing import Any

from timeline import lexicon
from timeline.names import _fold, latin, skeleton

_NOT_KEY = re.compile(r"[^a-z0-9]")
_SPACE = re.compile(r"\s+")


def resource(lang: str) -> dict[str, Any]:
    return lexicon.resource(lang, "entities.toml")


@functools.cache
def _endings(lang: str) -> tuple[str, ...]:
    return tuple(sorted(resource(lang).get("inflection_endings", []), key=len, reverse=True))


@functools.lru_cache(maxsize=100_000)
def word_key(word: str, lang: str = "") -> str:
    """The key of one name word: Latin, folded, without its case ending where names inflect."""
    low = word.lower()
    for e in _endings(lang):
        if low.endswith(e) and len(low) - len(e) >= 3:
            low = low[: -len(e)]
            break
    return _NOT_KEY.sub("", _fold(latin(low)))


@functools.lru_cache(maxsize=100_000)
def word_keys(text: str, lang: str = "") -> tuple[str, ...]:
    return tuple(k for w in re.split(r"[\s\-‐]+", text) if (k := word_key(w, lang)))


def _plain(text: str) -> str:
    """Lower case, accents off, one space: how a table form is matched whole."""
    t = unicodedata.normalize("NFKD", text.lower().replace("ё", "е"))
    t = "".join(c for c in t if not unicodedata.combining(c) or c == "\u0306")
    return _SPACE.sub(" ", unicodedata.normalize("NFC", t)).strip(" .")


@functools.cache
def _table() -> dict[str, tuple[str, str]]:
    """Plain form (and, in inflecting languages, its word keys) -> (table key, type)."""
    out: dict[str, tuple[str, str]] = {}
    for lang in lexicon.languages():
        res = resource(lang)
        for section, label in (("places", "PLACE"), ("cities", "PLACE"),
                               ("organisations", "ORG")):
            for key, forms in res.get(section, {}).items():
                for form in forms:
                    out.setdefault(_plain(form), (key, label))
                    if _endings(lang):
                        out.setdefault(" ".join(word_keys(form, lang)), (key, label))
    return out


@functools.cache
def table_names() -> dict[str, str]:
    """Table key -> the name shown: the first English form (or any language's first)."""
    out: dict[str, str] = {}
    for lang in ("en", *lexicon.languages()):
        res = resource(lang)
        for section in ("places", "cities", "organisations"):
            for key, forms in res.get(section, {}).items():
                if forms:
                    out.setdefault(key, forms[0])
    return out


def table_entry(text: str, lang: str) -> tuple[str, str] | None:
    """(table key, type) when the name is a country or organisation of the table."""
    table = _table()
    got = table.get(_plain(text))
    if got is None and _endings(lang):
        got = table.get(" ".join(word_keys(text, lang)))
    return got


def contains_places(text: str, lang: str) -> bool:
    """A country or an organisation of the table: it holds the towns and sites a source may
    name instead ("in Nepal", "near Pokhara"); a city of the table does not."""
    got = table_entry(text, lang)
    return got is not None and got[0] not in _cities()


@functools.cache
def _site_keys() -> frozenset[str]:
    return frozenset(word_key(w, lang) for lang in lexicon.languages()
                     for w in resource(lang).get("sites", {}).get("words", []))


def is_site(place: str) -> bool:
    """A facility or a landmark (entities.toml [sites]), which one is "at", not "in"; read
    in every language's endings, since a place name's language is not always known."""
    keys = _site_keys()
    return any(word_key(w, lang) in keys for w in re.split(r"[\s\-]+", place)
               for lang in lexicon.languages())


@functools.cache
def _cities() -> frozenset[str]:
    return frozenset(k for lang in lexicon.languages() for k in resource(lang).get("cities", {}))


@functools.cache
def titles() -> frozenset[str]:
    """Titles before a name, in any language: events.toml's and the analysis layer's."""
    words: set[str] = set()
    for lang in lexicon.languages():
        words.update(w.lower() for w in lexicon.events(lang).get("titles", []))
        words.update(w.lower() for w in lexicon.resource(lang, "analyze.toml").get("titles", []))
    return frozenset(words)


def skeletons(keys: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(skeleton(k) for k in keys)


def initials(text: str) -> str:
    """Upper-case initials of the capitalized words: "International Business Machines" IBM."""
    return "".join(w[0] for w in text.split() if w[:1].isupper())


def is_latin(text: str) -> bool:
    return all(ord(c) < 0x250 for c in text)


def slug(text: str) -> str:
    plain = unicodedata.normalize("NFKD", latin(text.lower()))
    s = re.sub(r"[^a-z0-9]+", "-", "".join(c for c in plain if not unicodedata.combining(c)))
    s = s.strip("-")
    return s[:40] or "entity"
