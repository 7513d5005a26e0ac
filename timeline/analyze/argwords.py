"""The words the argument finder reads: timeline/resources/<lang>/arguments.toml.

Prepositions, passive and agent markers, relative pronouns, titles and headline forms are
language facts, so they are data beside examples the tests run; the finder itself
(timeline.analyze.frames) reads only parts of speech, features and these sets.
"""

from __future__ import annotations

import functools
from typing import Any, NamedTuple

from timeline.lexicon import resource as _resource

Cased = dict[str, frozenset[str]]  # preposition -> the cases it must govern (empty: any)


class ArgWords(NamedTuple):
    determiners: frozenset[str]
    place_prepositions: Cased
    direction_prepositions: Cased
    agent_prepositions: frozenset[str]
    agent_case: str
    agent_needs_determiner: bool
    passive_auxiliaries: frozenset[str]
    relative_pronouns: frozenset[str]
    links: frozenset[str]
    object_prepositions: frozenset[str]
    modifier_prepositions: frozenset[str]
    noun_complements: frozenset[str]
    possessives: frozenset[str]
    particles: frozenset[str]
    means_prepositions: Cased
    means_nouns: frozenset[str]
    titles: frozenset[str]
    clitics: frozenset[str]
    reflexive: frozenset[str]
    adverbials: frozenset[str]
    coordinators: frozenset[str]
    focus_particles: frozenset[str]
    person_pronouns: frozenset[str]
    thing_pronouns: frozenset[str]
    support_verbs: frozenset[str]
    pro_drop: bool
    subject_case: str
    headline: dict[str, Any]
    # particles only where no noun phrase follows ("sworn in", not "arrived in Moscow")
    bare_particles: frozenset[str] = frozenset()
    # what a passive participle governs besides its agent ("charged with fraud")
    passive_complements: frozenset[str] = frozenset()
    # verbs whose object is where the event happens ("visited Tarsk"; not "warned Tarsk")
    place_objects: frozenset[str] = frozenset()
    # of those, the ones whose object is a place even when its name has no type ("visited
    # Kestrel"): an untyped name there is a place
    untyped_place_objects: frozenset[str] = frozenset()
    # a reporting verb right after one of these has its speaker after it ("según informó
    # el banco", "как сообщил министр")
    report_openers: frozenset[str] = frozenset()
    # words opening a complement clause whose verb may share the governing verb's subject
    # ("anunció que cerrará", "заявил, что снизит")
    complementizers: frozenset[str] = frozenset()


@functools.cache
def raw(lang: str) -> dict[str, Any]:
    """The parsed arguments.toml of a language (examples included, for the tests)."""
    return _resource(lang, "arguments.toml")  # kept between runs (lexicon.parse_toml)


@functools.cache
def words(lang: str) -> ArgWords:
    data = raw(lang)

    def low(key: str) -> frozenset[str]:
        return frozenset(w.lower() for w in data.get(key, []))

    def cased(key: str) -> Cased:
        value = data.get(key, {})
        if isinstance(value, list):
            return {w.lower(): frozenset() for w in value}
        return {w.lower(): frozenset(c) for w, c in value.items()}

    return ArgWords(
        determiners=low("determiners"),
        place_prepositions=cased("place_prepositions"),
        direction_prepositions=cased("direction_prepositions"),
        agent_prepositions=low("agent_prepositions"),
        agent_case=data.get("agent_case", ""),
        agent_needs_determiner=bool(data.get("agent_needs_determiner", False)),
        passive_auxiliaries=low("passive_auxiliaries"),
        relative_pronouns=low("relative_pronouns"),
        links=low("links"),
        object_prepositions=low("object_prepositions"),
        modifier_prepositions=low("modifier_prepositions"),
        noun_complements=low("noun_complements"),
        possessives=low("possessives"),
        particles=low("particles"),
        means_prepositions=cased("means_prepositions"),
        means_nouns=low("means_nouns"),
        titles=low("titles"),
        clitics=low("clitics"),
        reflexive=low("reflexive"),
        adverbials=low("adverbials"),
        coordinators=low("coordinators"),
        focus_particles=low("focus_particles"),
        person_pronouns=low("person_pronouns"),
        thing_pronouns=low("thing_pronouns"),
        support_verbs=low("support_verbs"),
        pro_drop=bool(data.get("pro_drop", False)),
        subject_case=data.get("subject_case", ""),
        headline=dict(data.get("headline", {})),
        bare_particles=low("bare_particles"),
        passive_complements=low("passive_complements"),
        place_objects=low("place_objects"),
        untyped_place_objects=low("untyped_place_objects"),
        report_openers=low("report_openers"),
        complementizers=low("complementizers"),
    )
