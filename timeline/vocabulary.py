"""The event vocabulary of a language: kinds, their trigger words, status and order cues.

Read from timeline/resources/<lang>/events.toml (the code knows no trigger word) and
compiled once per language. Split from extract.py, which uses it sentence by sentence.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator

import attrs

from timeline import lexicon


@attrs.frozen
class Kind:
    name: str
    label: str
    regex: re.Pattern[str]  # what names the kind in a phrase: triggers and `anchor_nouns`
    container: bool
    phase: str | None
    needs_time: bool
    attribute: str | None
    values: dict[str, str]  # trigger form -> attribute value (meal: lunch/dinner)
    yields_to: frozenset[str] = frozenset()  # kinds whose presence in a sentence silences it
    speech: bool = False  # a saying: what follows "that" is what was said, not when
    # words one of which the sentence must hold ("strike" is a walkout among workers and
    # unions, not a missile strike); None: no such need
    context: re.Pattern[str] | None = None
    # word beginnings that, next to the trigger, make it another word ("meet demand" is no
    # meeting, "a session rally" no protest): lemmas or forms within three words of it
    not_with: frozenset[str] = frozenset()
    # triggers of a kind that `needs_time` which tell an event undated all the same: "said"
    # is everywhere in news, a press conference is held once (`told_alone` in events.toml)
    told_alone: re.Pattern[str] | None = None


@attrs.frozen
class Identity:
    """A word next to a trigger that tells two happenings of one kind apart: the first round
    of an election and the runoff are two elections; mentions that name different values
    never merge (unlike a meal's lunch/dinner, a disagreement about one event)."""

    name: str
    kinds: frozenset[str]
    regex: re.Pattern[str]
    value_of: dict[str, str]  # form -> value


@attrs.frozen
class Vocabulary:
    lang: str
    kinds: tuple[Kind, ...]
    planned: re.Pattern[str] | None
    reported: re.Pattern[str] | None
    negated: frozenset[str]
    order: dict[str, re.Pattern[str] | None]
    place_preps: frozenset[str]
    function_words: frozenset[str]
    prenominal: bool  # a capitalized word before a lowercase noun is an adjective (English)
    place_heads: re.Pattern[str] | None
    since: re.Pattern[str] | None  # "since 1974" opens a state; it does not date the event
    that: re.Pattern[str] | None  # "said that ...": the reported clause begins
    when: re.Pattern[str] | None  # "on March 8, when ...": the clause that holds its event
    relative: re.Pattern[str] | None  # ", who beat Massa,": an aside, no event of the main clause
    definite: re.Pattern[str] | None  # "the" right before a trigger: matches the text's end
    coordinator: re.Pattern[str] | None  # "and": a time before it is not the next verb's
    # every kind's trigger forms in one trie and every stem in another, matched against the
    # lower-cased text: two scans a sentence instead of one per kind
    forms: re.Pattern[str] | None
    stems: re.Pattern[str] | None
    form_kinds: dict[str, tuple[Kind, ...]]
    stem_kinds: dict[str, tuple[Kind, ...]]
    identities: tuple[Identity, ...] = ()
    # words that deny the trigger right after them only ("ended without an agreement", "sin
    # acuerdo", "без соглашения"); after a trigger they say nothing ("met without aides")
    negated_before: frozenset[str] = frozenset()
    # a denial and its complementizer ("denied that", "negó que", "опроверг сообщения о
    # том, что"): what the clause after it tells is denied, not told as having happened
    denied: re.Pattern[str] | None = None


def _told_alone(forms: list[str]) -> re.Pattern[str] | None:
    """Word beginnings (a stem or a whole form) that tell an event without a time."""
    return re.compile(rf"(?:{lexicon.alternation(forms)})\w*", re.IGNORECASE) if forms else None


@functools.cache
def vocabulary(lang: str) -> Vocabulary:
    res = lexicon.events(lang) or lexicon.events("en")
    kinds = []
    for k in res.get("kind", []):
        parts = []
        if k.get("triggers"):
            parts.append(rf"(?<!\w)(?:{lexicon.alternation(k['triggers'])})(?!\w)")
        if k.get("stems"):
            parts.append(rf"(?<!\w)(?:{lexicon.alternation(k['stems'])})\w*")
        if k.get("anchor_nouns"):  # "a day after the victory": names one, reports none
            parts.append(rf"(?<!\w)(?:{lexicon.alternation(k['anchor_nouns'])})\w*")
        values = {f.lower(): v for v, forms in k.get("values", {}).items() for f in forms}
        kinds.append(Kind(k["name"], k.get("label", k["name"]),
                          re.compile("|".join(parts), re.IGNORECASE), bool(k.get("container")),
                          k.get("phase"), bool(k.get("needs_time")), k.get("attribute"), values,
                          frozenset(k.get("yields_to", [])), bool(k.get("speech")),
                          _context(k.get("context", [])),
                          frozenset(w.lower() for w in k.get("not_with", [])),
                          _told_alone(k.get("told_alone", []))))
    status = res.get("status", {})
    order = res.get("order", {})
    form_kinds: dict[str, list[Kind]] = {}
    stem_kinds: dict[str, list[Kind]] = {}
    for spec, kind in zip(res.get("kind", []), kinds, strict=True):
        for table, key in ((form_kinds, "triggers"), (stem_kinds, "stems")):
            for w in spec.get(key, []):
                table.setdefault(" ".join(w.lower().split()), []).append(kind)
    return Vocabulary(
        lang=lang, kinds=tuple(kinds), planned=lexicon.words_regex(status.get("planned", [])),
        reported=lexicon.words_regex(status.get("reported", [])),
        negated=frozenset(w.lower() for w in status.get("negated", [])),
        negated_before=frozenset(w.lower() for w in status.get("negated_before", [])),
        denied=lexicon.words_regex(status.get("denied", [])),
        order={k: lexicon.words_regex(v) for k, v in order.items()},
        place_preps=frozenset(w.lower() for w in res.get("place_prepositions", [])),
        function_words=frozenset(w.lower() for w in res.get("function_words", []))
        | frozenset(w.lower() for w in res.get("place_prepositions", [])),
        prenominal=bool(res.get("capitalized_adjectives_before_nouns", False)),
        place_heads=lexicon.words_regex(res.get("place_heads", [])),
        since=re.compile(rf"(?<!\w)(?:{lexicon.alternation(res['since'])})(?!\w)", re.IGNORECASE)
        if res.get("since") else None,
        that=lexicon.words_regex(res.get("reported_clause", [])),
        when=lexicon.words_regex(res.get("when_clause", [])),
        relative=lexicon.words_regex(res.get("relative_clause", [])),
        coordinator=lexicon.words_regex(res.get("coordinators", [])),
        definite=re.compile(rf"(?<!\w)(?:{lexicon.alternation(res['definite'])})\s+\Z",
                            re.IGNORECASE) if res.get("definite") else None,
        forms=re.compile(rf"(?<!\w)(?:{lexicon.alternation(form_kinds)})(?!\w)")
        if form_kinds else None,
        stems=re.compile(rf"(?<!\w)(?:{lexicon.alternation(stem_kinds)})\w*")
        if stem_kinds else None,
        form_kinds={w: tuple(ks) for w, ks in form_kinds.items()},
        stem_kinds={w: tuple(ks) for w, ks in stem_kinds.items()},
        identities=tuple(_identity(i) for i in res.get("identity", [])))


def _context(words: list[str]) -> re.Pattern[str] | None:
    """Word beginnings ("worker" for workers, "sindicat" for sindicatos)."""
    return re.compile(rf"(?<!\w)(?:{lexicon.alternation(words)})", re.IGNORECASE) \
        if words else None


def _identity(spec: dict[str, object]) -> Identity:
    value_of = {" ".join(f.lower().split()): str(v)
                for v, forms in spec["values"].items() for f in forms}  # type: ignore[union-attr]
    return Identity(str(spec["name"]), frozenset(spec["kinds"]),  # type: ignore[arg-type]
                    re.compile(rf"(?<!\w)(?:{lexicon.alternation(value_of)})(?!\w)"), value_of)


@functools.cache
def identity_names() -> frozenset[str]:
    """Every language's identity attributes: the reconciler keeps their values apart."""
    return frozenset(str(i["name"]) for lang in lexicon.languages()
                     for i in lexicon.events(lang).get("identity", []))


@functools.cache
def lasting() -> dict[str, int]:
    """Kind -> the days its happenings last at most (`lasts_days` in events.toml): a strike
    told on its first, third and last day by three reports is one strike, dated to its
    first day, as a reader puts it. The largest any language gives."""
    out: dict[str, int] = {}
    for lang in lexicon.languages():
        for k in lexicon.events(lang).get("kind", []):
            if k.get("lasts_days"):
                out[str(k["name"])] = max(out.get(str(k["name"]), 0), int(k["lasts_days"]))
    return out


def kind_of_phrase(phrase: str, lang: str) -> str | None:
    """The event kind a phrase names ("the summit" -> meeting), if any."""
    for k in vocabulary(lang).kinds:
        if k.regex.search(phrase):
            return k.name
    return None


def kinds(lang: str) -> dict[str, Kind]:
    return {k.name: k for k in vocabulary(lang).kinds}


def trigger_matches(low: str, s: int, e: int, voc: Vocabulary
                     ) -> Iterator[tuple[re.Match[str], tuple[Kind, ...]]]:
    """Trigger words in low[s:e] with the kinds they name: forms by their text, stems by
    the stems the matched word starts with."""
    if voc.forms is not None:
        for m in voc.forms.finditer(low, s, e):
            yield m, voc.form_kinds.get(" ".join(m.group(0).split()), ())
    if voc.stems is not None:
        for m in voc.stems.finditer(low, s, e):
            word = " ".join(m.group(0).split())
            kinds: list[Kind] = []
            for stem, ks in voc.stem_kinds.items():
                if word.startswith(stem):
                    kinds += [k for k in ks if all(k is not x for x in kinds)]
            yield m, tuple(kinds)
