"""The word lists of the analysis layer: timeline/resources/<lang>/analyze.toml.

Kept as data (with examples the tests run) so that adding a title, an abbreviation or an
organisation word is an edit to a list, not to code.
"""

from __future__ import annotations

import functools
from typing import Any, NamedTuple

from timeline.lexicon import resource as _resource

LANGUAGES = ("en", "es", "ru")


class Lists(NamedTuple):
    """Lower-cased word sets for one language."""

    abbreviations: tuple[str, ...]
    abbreviation_set: frozenset[str]
    join_abbreviations: bool
    titles: frozenset[str]
    place_prepositions: frozenset[str]
    place_words: frozenset[str]
    org_words: frozenset[str]
    connectors: frozenset[str]
    non_names: frozenset[str]


@functools.cache
def raw(lang: str) -> dict[str, Any]:
    """The parsed analyze.toml of a language (examples included, for the tests)."""
    return _resource(lang, "analyze.toml")  # kept between runs (lexicon.parse_toml)


PAST = "Mood=Ind|Tense=Past|VerbForm=Fin"
PARTICIPLE = "Tense=Past|VerbForm=Part"


@functools.cache
def irregular_verbs(lang: str) -> dict[str, tuple[str, str]]:
    """Past and participle forms of the irregular verbs: form -> (lemma, UD features).

    A form that is both (met, found) is read as a finite past: the more frequent in news.
    """
    out: dict[str, tuple[str, str]] = {}
    for entry in raw(lang).get("irregular_verbs", []):
        base, past, participle = entry.split()
        for form in participle.split("/"):
            out[form] = (base, PARTICIPLE)
        for form in past.split("/"):
            out[form] = (base, PAST)
        out.pop(base, None)  # the base form is the present too ("cut", "put"): no guess
    return out


@functools.cache
def lists(lang: str) -> Lists:
    """The word sets of a language, lower-cased once."""
    data = raw(lang)

    def low(key: str) -> frozenset[str]:
        return frozenset(w.lower() for w in data.get(key, []))

    return Lists(
        tuple(data.get("abbreviations", [])),
        low("abbreviations"),
        bool(data.get("join_abbreviations", True)),
        low("titles"),
        low("place_prepositions"),
        low("place_words"),
        low("org_words"),
        low("connectors"),
        low("non_names"),
    )
