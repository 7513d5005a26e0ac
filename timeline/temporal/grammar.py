"""Compile a language's rules (patterns with word-class placeholders) into regular expressions.

A rule pattern such as `{month} {day}(?:,? {year})?` is expanded with the language's word
forms, so the same rule text shape works for any language that provides the classes.
"""

from __future__ import annotations

import functools
import re
from typing import Any

import attrs

from timeline import lexicon

BUILTIN = {
    "day": r"(?:3[01]|[12]\d|0?[1-9])",
    "year": r"(?:1[5-9]\d\d|20\d\d|2100)",
    "yy": r"(?:\d\d)",
}
_PLACEHOLDER = re.compile(r"\{([a-z]+)(\d?)\}")
NUMBER_DIGITS = r"\d{1,3}(?:[.,]\d+)?"


@attrs.frozen
class Rule:
    id: str
    norm: str
    regex: re.Pattern[str]
    spec: dict[str, Any]


@attrs.frozen
class Grammar:
    lang: str
    rules: tuple[Rule, ...]
    capitalized_names: bool
    ambiguous_months: frozenset[str]
    future: re.Pattern[str] | None
    past: re.Pattern[str] | None
    past_exclude: frozenset[str]
    anchor: re.Pattern[str] | None
    anchor_dir: dict[str, str]
    prepositions: frozenset[str]
    phrase_breaks: frozenset[str]


def _alternation(words: list[str]) -> str:
    words = sorted({" ".join(w.lower().split()) for w in words}, key=len, reverse=True)
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in words)


def _class_regex(lang: str, cls: str) -> str:
    if cls in BUILTIN:
        return BUILTIN[cls]
    alt = _alternation(list(lexicon.forms(lang, cls)))
    if cls == "num":
        tens = [f for f, v in lexicon.forms(lang, "num").items()
                if isinstance(v, int) and 20 <= v <= 90 and v % 10 == 0]
        units = [f for f, v in lexicon.forms(lang, "num").items()
                 if isinstance(v, int) and 1 <= v <= 9 and len(f) > 2]
        compound = f"(?:{_alternation(tens)})[- ](?:{_alternation(units)})" if tens else ""
        parts = [p for p in (compound, NUMBER_DIGITS, alt) if p]
        return "(?:" + "|".join(parts) + ")"
    if not alt:
        return r"(?!x)x"  # a class the language does not have can never match
    return f"(?:{alt})"


def expand(lang: str, pattern: str) -> str:
    used: set[str] = set()

    def sub(m: re.Match[str]) -> str:
        name = m.group(1) + m.group(2)
        if name in used:
            raise ValueError(f"{lang}: placeholder {{{name}}} used twice in {pattern!r}")
        used.add(name)
        return f"(?P<{name}>{_class_regex(lang, m.group(1))})"

    return _PLACEHOLDER.sub(sub, pattern)


def _words_regex(words: list[str]) -> re.Pattern[str] | None:
    if not words:
        return None
    return re.compile(rf"(?<!\w)(?:{_alternation(words)})(?!\w)", re.IGNORECASE)


@functools.cache
def grammar(lang: str) -> Grammar:
    res = lexicon.temporal(lang)
    rules = []
    for spec in res.get("rule", []):
        body = expand(lang, spec["pattern"])
        regex = re.compile(rf"(?<![\w$€£#]){body}(?!\w)", re.IGNORECASE)
        rules.append(Rule(spec["id"], spec["norm"], regex, spec))
    tense = res.get("tense", {})
    past_words = tense.get("past_words", [])
    past_parts = [_alternation(past_words)] if past_words else []
    for suffix in tense.get("past_suffixes", []):
        past_parts.append(rf"\w{{2,}}{re.escape(suffix)}")
    past = re.compile(rf"(?<!\w)(?:{'|'.join(past_parts)})(?!\w)", re.IGNORECASE) \
        if past_parts else None
    future_parts = [_alternation(tense.get("future_words", []))] \
        if tense.get("future_words") else []
    for suffix in tense.get("future_suffixes", []):
        future_parts.append(rf"\w{{2,}}{re.escape(suffix)}")
    future = re.compile(rf"(?<!\w)(?:{'|'.join(future_parts)})(?!\w)", re.IGNORECASE) \
        if future_parts else None
    anchors = res.get("anchors", {})
    anchor_dir = {" ".join(w.lower().split()): d.upper()
                  for d, words in anchors.items() if d in ("before", "after") for w in words}
    return Grammar(
        lang=lang,
        rules=tuple(rules),
        capitalized_names=bool(res.get("capitalized_months", False)),
        ambiguous_months=frozenset(
            f.lower() for e in res.get("month", []) if e.get("ambiguous") for f in e["forms"]),
        future=future,
        past=past,
        past_exclude=frozenset(w.lower() for w in tense.get("past_exclude", [])),
        anchor=_words_regex(list(anchor_dir)),
        anchor_dir=anchor_dir,
        prepositions=frozenset(w.lower() for w in res.get("month_prepositions", [])),
        phrase_breaks=frozenset(w.lower() for w in anchors.get("phrase_breaks", [])),
    )
