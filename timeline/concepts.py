"""Concepts: one language-neutral name for an open-class predicate and its translations.

A kind (arrival, talks, strike ...) is already language-neutral; a predicate no kind names
was known only by its lemma, so "fell", "cayó" and "упал" were three predicates and the
same market fall told in three languages never merged. `resources/<lang>/concepts.toml`
maps lemmas of common news predicates to a concept id every language shares ("fall"), and
extraction gives an open-class mention that id as its label: the label is what clustering
(salience.group), the stable ids (identity.group_of) and the merge evidence already compare,
so they all become language-neutral at once, while the mention keeps its word in `lemma`.
A concept adds no evidence of its own: the other merge conditions (time of comparable
precision, shared participants) still decide.
"""

from __future__ import annotations

import functools
from typing import Any

from timeline import lexicon

FILE = "concepts.toml"


@functools.cache
def table(lang: str) -> dict[str, str]:
    """lemma -> concept id for `lang` (empty for a language without the file)."""
    out: dict[str, str] = {}
    for entry in lexicon.resource(lang, FILE).get("concept", []):
        for lemma in entry.get("lemmas", ()):
            out.setdefault(str(lemma).lower(), str(entry["id"]))
    return out


@functools.cache
def phrases(lang: str) -> dict[str, tuple[tuple[tuple[str, ...], str], ...]]:
    """head lemma -> (the lemmas after it, concept id) for each of `lang`'s phrases: a
    predicate whose verb alone means something else ("llamar a revisión" is a recall,
    "llamar" a call). Written as lemmas, head first (`phrases` in concepts.toml)."""
    out: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    for entry in lexicon.resource(lang, FILE).get("concept", []):
        for phrase in entry.get("phrases", ()):
            head, *tail = str(phrase).lower().split()
            out.setdefault(head, []).append((tuple(tail), str(entry["id"])))
    return {h: tuple(sorted(ps, key=lambda p: -len(p[0]))) for h, ps in out.items()}


def entries(lang: str) -> list[dict[str, Any]]:
    """The concept entries of `lang` as written (id, lemmas, example)."""
    return list(lexicon.resource(lang, FILE).get("concept", []))


@functools.cache
def aspectual(cid: str) -> bool:
    """Whether concept `cid` is a phase verb (`aspectual = true` in any language's file):
    "began", "comenzó", "началась" tell a phase of another event, whatever class the
    detector gave the verb."""
    return any(e.get("aspectual") and e["id"] == cid
               for lang in lexicon.languages() for e in entries(lang))


def concept(lang: str, lemma: str) -> str | None:
    return table(lang).get(lemma.lower())


def label(lang: str, lemma: str, name: str) -> str:
    """An open-class mention's label: its concept when no kind took it (`name` is still
    its lemma), else `name` as extraction gave it."""
    if name != lemma.lower():
        return name  # a kind's name ("walkout" -> strike): kinds come first
    return concept(lang, lemma) or name


@functools.cache
def predicate(lemma: str) -> str:
    """A lemma's concept in whichever language has it, else the lemma: what a kind's
    mentions are told with ("cut", "recortó", "снизил" -> cut; "kept" -> keep), so that of
    two clusters of one kind a mention prefers the one that tells its predicate. Scripts
    keep the languages' lemmas apart; a lemma two files name goes by the first language."""
    low = lemma.lower()
    for lang in sorted(lexicon.languages()):
        got = table(lang).get(low)
        if got:
            return got
    return low
