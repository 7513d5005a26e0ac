"""Compile a language's rules (patterns with word-class placeholders) into regular expressions.

A rule pattern such as `{month} {day}(?:,? {year})?` is expanded with the language's word
forms, so the same rule text shape works for any language that provides the classes.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

from timeline import lexicon

BUILTIN = {
    "day": r"(?:3[01]|[12]\d|0?[1-9])",
    "year": r"(?:1\d\d\d|20\d\d|2100)",  # histories name the 14th century too
    "yy": r"(?:\d\d)",
}
_PLACEHOLDER = re.compile(r"\{([a-z]+)(\d?)\}")
NUMBER_DIGITS = r"\d{1,3}(?:[.,]\d+|\s1/2|½)?"  # "5 1/2 hours"


# The grammar's classes are NamedTuples, not attrs classes: `timeline tag` never imports
# attrs (a sixth of its start-up). Rule's cached properties live in the __dict__ a subclass
# of a NamedTuple has; its fields alone make a rule (equality, frozen.py).
class _RuleFields(NamedTuple):
    id: str
    norm: str
    regex: re.Pattern[str]
    spec: dict[str, Any]
    requires: frozenset[str] = frozenset()  # word classes (or "digit") every match contains
    # one set per top-level alternative of the pattern: a match contains all of one of them
    any_of: tuple[frozenset[str], ...] = (frozenset(),)


class Rule(_RuleFields):
    @functools.cached_property
    def span_groups(self) -> tuple[str, ...]:
        """The groups that mark the expression inside a longer match ("for {span}")."""
        return tuple(n for n in ("span", "span2") if n in self.regex.groupindex)

    @functools.cached_property
    def group_bases(self) -> frozenset[str]:
        """The pattern's group names without their numbers ("unit2" is a "unit")."""
        return frozenset(n.rstrip("0123456789") for n in self.regex.groupindex)


class Links(NamedTuple):
    """The words that tie a time to a day named next to it, per language: "10:30 a.m. *on*
    Wednesday" (time_day), "Wednesday *at* 10:30" (day_time)."""

    after: re.Pattern[str]  # time, link, day
    before: re.Pattern[str]  # day, link (or none), time
    # "from 2003 to 2013", "entre marzo y mayo", "с 2003 по 2013 год": (what opens the
    # period just before the first date, what joins the two dates)
    ranges: tuple[tuple[re.Pattern[str] | None, re.Pattern[str]], ...] = ()
    # "the meeting was moved from Monday to Wednesday": a change of date, not a period
    moved: re.Pattern[str] | None = None
    # what joins a month to the year named after it: "July of last year", "febrero de ese año"
    month_year: re.Pattern[str] | None = None

    @classmethod
    def of(cls, time_day: list[str], day_time: list[str],
           ranges: list[list[str]] | None = None, moved: list[str] | None = None,
           month_year: list[str] | None = None) -> Links:
        def alt(words: list[str]) -> str:
            return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)) \
                or "(?!x)x"

        def joint(word: str) -> re.Pattern[str]:  # a dash needs no spaces around it
            space = r"\s*" if not word[0].isalnum() else r"\s+"
            return re.compile(rf"{space}{re.escape(word)}{space}", re.IGNORECASE)

        pairs = tuple((re.compile(rf"(?:^|\W){re.escape(opener)}\s+$", re.IGNORECASE)
                       if opener else None, joint(join)) for opener, join in ranges or [])
        return cls(re.compile(rf"\s+(?:{alt(time_day)})\s+|\s*\([^()\n]{{1,30}}\)\s*",
                              re.IGNORECASE),
                   re.compile(rf"(?:\s*,)?\s+(?:(?:{alt(day_time)})\s+)?", re.IGNORECASE),
                   pairs,
                   re.compile(rf"(?<!\w)(?:{alt(moved)})\w*", re.IGNORECASE) if moved else None,
                   re.compile(rf"(?:\s*,)?\s+(?:(?:{alt(month_year or [])})\s+)?", re.IGNORECASE))


class Grammar(NamedTuple):
    lang: str
    rules: tuple[Rule, ...]
    capitalized_names: bool
    ambiguous_months: frozenset[str]
    future: re.Pattern[str] | None
    cue: re.Pattern[str] | None  # future | past | present, as named groups: one scan
    past: re.Pattern[str] | None
    past_exclude: frozenset[str]
    not_cue: re.Pattern[str] | None  # "next to": a cue word that is not one here
    not_cue_first: frozenset[str]  # the first words of those: most cues need no check
    plan_passed: re.Pattern[str] | None  # "had been (due to)": a future seen from the past
    participle_after: re.Pattern[str] | None  # "be paid", "to be held": a participle, not a past
    participle_agent: re.Pattern[str] | None  # "polled by": a participle with its agent
    possessive: re.Pattern[str] | None  # "Wednesday's ruling": the day of an event reported
    possessive_ahead: re.Pattern[str] | None  # "ahead of Sunday's vote": ...or awaited
    deadline: re.Pattern[str] | None  # "has given them until": what follows lies ahead
    # a headline's own future: "Ground staff to strike from Monday" (headlinese drops "are")
    headline_future: re.Pattern[str] | None
    moves: frozenset[str]  # "heads to", "returns to": a movement's "to", no plan
    anchor: re.Pattern[str] | None
    anchor_dir: dict[str, str]
    prepositions: frozenset[str]
    phrase_breaks: frozenset[str]
    subjects: frozenset[str]  # "after he was captured": the anchor is a clause, verb and all
    full_months: frozenset[str]  # the first form of each month entry: the full name
    # words written with a capital in running text (months, weekdays, feasts, zones): any
    # other capitalized word inside a match mid-sentence makes it a title ("60 Minutes")
    proper_words: frozenset[str]
    proper_phrases: tuple[str, ...]  # "Holy Week", "Christmas Eve": capitals only together
    determiner: re.Pattern[str]  # articles: after one, a quantity word is a preposition
    core: re.Pattern[str]  # words every expression contains at least one of (see windows)
    anaphoric: re.Pattern[str] | None  # "the following year": anchored on the story's last date
    deictic: re.Pattern[str] | None  # "later this year": anchored on the document's date after all
    links: Links  # "10:30 a.m. on Wednesday": the words that tie a time to its day
    class_patterns: dict[str, re.Pattern[str]]  # the classes rules require, to find them
    # the same classes by their words: first word of a form -> classes (see temporal._holds)
    class_words: dict[str, frozenset[str]]
    digit_classes: frozenset[str]  # classes a digit can start ("digit", "num", "year")


def _class_regex(lang: str, cls: str) -> str:
    if cls in BUILTIN:
        return BUILTIN[cls]
    alt = lexicon.alternation(list(lexicon.forms(lang, cls)))
    if cls == "num":
        tens = [f for f, v in lexicon.forms(lang, "num").items()
                if isinstance(v, int) and 20 <= v <= 90 and v % 10 == 0]
        units = [f for f, v in lexicon.forms(lang, "num").items()
                 if isinstance(v, int) and 1 <= v <= 9 and len(f) > 2]
        compound = (f"(?:{lexicon.alternation(tens)})[- ](?:{lexicon.alternation(units)})"
                    if tens else "")
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


_WORDS = re.compile(r"[^\W\d_]{3,}(?:\|[^\W\d_]{3,})*")


def _structure(pattern: str) -> tuple[dict[int, int], list[int]]:
    """Matching parentheses (open -> close) and the "|" outside every group, escaped
    characters and character classes aside."""
    pairs: dict[int, int] = {}
    stack: list[int] = []
    bars: list[int] = []
    i, in_class = 0, False
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            i += 2
            continue
        if in_class:
            in_class = c != "]"
        elif c == "[":
            in_class = True
        elif c == "(":
            stack.append(i)
        elif c == ")" and stack:
            pairs[stack.pop()] = i
        elif c == "|" and not stack:
            bars.append(i)
        i += 1
    return pairs, bars


def required(pattern: str) -> frozenset[str]:
    """Classes every match of a rule pattern must contain: placeholders (and digits) that
    sit in no optional group and no alternative. A text without one of them cannot match,
    so the rule need not scan it."""
    pairs, _bars = _structure(pattern)
    top_alt = _has_top_alternation(pattern, 0, len(pattern), pairs)
    out: set[str] = set()
    needs: list[tuple[int, str]] = [(m.start(), m.group(1)) for m in _PLACEHOLDER.finditer(pattern)]
    needs += [(m.start(), "digit") for m in re.finditer(r"\\d|\[[0-9]-9\]", pattern)]
    # a group of plain words ("(?P<bare>hours|days|weeks)"): one of them is in every match
    for open_, close in pairs.items():
        inner = re.sub(r"^\?(?:P<\w+>|:)", "", pattern[open_ + 1:close])
        # ...as whole words: not a stem with endings after it ("двадцат(?:ые|ых)")
        before, after = pattern[open_ - 1:open_], pattern[close + 1:close + 5]
        whole = before in ("", " ", "(", "|", ":") and (
            after[:1] in ("", " ", ")", "|") or after in ("(?= ", "(?! "))
        if _WORDS.fullmatch(inner) and whole:
            needs.append((open_, "words:" + inner))
    for pos, cls in needs:
        if top_alt:
            break
        optional = False
        for open_, close in pairs.items():
            if open_ < pos < close:
                after = pattern[close + 1:close + 2]
                lookaround = pattern[open_ + 1:open_ + 4] in ("?=.", "?!.", "?<=", "?<!") or \
                    pattern[open_ + 1:open_ + 3] in ("?=", "?!")
                if after in ("?", "*") or pattern[close + 1:close + 3] == "{0" or lookaround \
                        or _has_top_alternation(pattern, open_ + 1, close, pairs):
                    optional = True
                    break
        if not optional:
            out.add("digit" if cls in ("day", "year", "yy") else cls)
    return frozenset(out)


def required_any(pattern: str) -> tuple[frozenset[str], ...]:
    """`required` per top-level alternative: "{shift} {season}|in {season}" needs a season
    either way, which `required` alone, giving up at the "|", cannot see."""
    bounds = [-1, *_structure(pattern)[1], len(pattern)]
    return tuple(dict.fromkeys(required(pattern[a + 1:b]) for a, b in itertools.pairwise(bounds)))


def _has_top_alternation(pattern: str, start: int, end: int, pairs: dict[int, int]) -> bool:
    i = start
    while i < end:
        if pattern[i] == "\\":
            i += 2
            continue
        if pattern[i] == "[":
            j = pattern.find("]", i + 2)
            i = j + 1 if j > 0 else i + 1
            continue
        if pattern[i] == "(" and i in pairs:
            i = pairs[i] + 1
            continue
        if pattern[i] == "|":
            return True
        i += 1
    return False


@functools.cache
def class_regex(lang: str, cls: str) -> re.Pattern[str]:
    """Does a text contain any word of a class at all? (see Rule.requires)"""
    if cls == "digit":
        return re.compile(r"\d")
    if cls == "alpha":
        return re.compile(r"[^\W\d_]")
    if cls.startswith("words:"):  # a rule's own `requires_words`
        return re.compile(rf"(?<!\w)(?:{lexicon.alternation(cls[6:].split('|'))})(?!\w)")
    return re.compile(rf"(?<!\w){_class_regex(lang, cls)}(?!\w)", re.IGNORECASE)


_FIRST_WORD = re.compile(r"[^\W\d_]+|\d")


def _class_words(lang: str, classes: set[str]) -> dict[str, Any]:
    """Each class by the first word of its forms, so a window's classes come from one pass
    over its words. Over-inclusive on purpose ("the end of" counts wherever "the" is): it
    only decides which rules may skip a window, never what they match."""
    words: dict[str, set[str]] = {}
    digit = {"digit"}
    for cls in classes - {"alpha", "digit"}:
        if cls in BUILTIN:
            digit.add(cls)
            continue
        forms = cls[6:].split("|") if cls.startswith("words:") else list(lexicon.forms(lang, cls))
        if cls == "num":
            digit.add(cls)
        for form in forms:
            m = _FIRST_WORD.search(form)
            if m is None or (m.start() > 0 and not form[:m.start()].isspace()):
                digit.add(cls)  # cannot tell by a word: let every window with a digit have it
                words.setdefault("", set()).add(cls)
            elif m.group(0).isdigit():
                digit.add(cls)
            else:
                words.setdefault(m.group(0), set()).add(cls)
    return {"class_words": {w: frozenset(c) for w, c in words.items()},
            "digit_classes": frozenset(digit)}


def _check_lowercase(lang: str, spec: dict[str, Any]) -> None:
    bare = re.sub(r"\\.|\(\?P[<=]\w+>?|\{\w+\}", "", spec["pattern"])
    if bare != bare.lower():
        raise ValueError(f"{lang} rule {spec['id']}: patterns are matched against lower-cased "
                         f"text; write them in lower case")


# Where compiled grammars are kept between processes, if anywhere: the CLI installs one
# (timeline/cli/cache.py). It is called with the language and the compiler and returns what
# the compiler returns, or a faithful copy of it kept from an earlier process.
Keeper = Callable[[str, Callable[[str], "Grammar"]], "Grammar"]
_keeper: Keeper | None = None


def keep_compiled(keeper: Keeper | None) -> None:
    global _keeper
    _keeper = keeper


@functools.cache
def grammar(lang: str) -> Grammar:
    """The language's grammar, compiled once per process (or loaded, see `keep_compiled`)."""
    return _keeper(lang, compile_grammar) if _keeper is not None else compile_grammar(lang)


def compile_grammar(lang: str) -> Grammar:
    res = lexicon.temporal(lang)
    rules = []
    for spec in res.get("rule", []):
        body = expand(lang, spec["pattern"])
        _check_lowercase(lang, spec)
        # Compiled without IGNORECASE and matched against the lower-cased text: `re` then
        # skips ahead to the characters a match can start with, three times faster.
        # grouped: a top-level alternative must not escape the word-boundary checks
        regex = re.compile(rf"(?<![\w$€£#])(?:{body})(?!\w)")
        extra = frozenset(spec.get("requires", []))
        if spec.get("requires_words"):
            extra |= {"words:" + "|".join(spec["requires_words"])}
        if not re.search(r"\\d|\{(?:day|year|yy|num)\d?\}|\[0-9|\[1-9", spec["pattern"]):
            extra |= {"alpha"}  # a rule of words only cannot match in a run of digits
        any_of = tuple(alt | extra for alt in required_any(spec["pattern"]))
        needs = required(spec["pattern"]) | extra
        rules.append(Rule(spec["id"], spec["norm"], regex, spec, needs, any_of))
    tense = res.get("tense", {})
    past_words = tense.get("past_words", [])
    past_parts = [lexicon.alternation(past_words)] if past_words else []
    for suffix in tense.get("past_suffixes", []):
        past_parts.append(rf"\w{{2,}}{re.escape(suffix)}")
    # cue regexes run on the lower-cased text (see tag()), so no IGNORECASE: faster scans
    past = re.compile(rf"(?<!\w)(?:{'|'.join(past_parts)})(?!\w)") \
        if past_parts else None
    future_parts = [lexicon.alternation(tense.get("future_words", []))] \
        if tense.get("future_words") else []
    for suffix in tense.get("future_suffixes", []):
        future_parts.append(rf"\w{{2,}}{re.escape(suffix)}")
    future = re.compile(rf"(?<!\w)(?:{'|'.join(future_parts)})(?!\w)") \
        if future_parts else None
    present_words = tense.get("present_words", [])
    present_parts = [lexicon.alternation(present_words)] if present_words else []
    # every cue in one pass: at one position the future reading wins, then past, then present
    cue_parts = [f"(?P<{label}>{'|'.join(parts)})" for label, parts in
                 (("future", future_parts), ("past", past_parts), ("present", present_parts))
                 if parts]
    cue = re.compile(rf"(?<!\w)(?:{'|'.join(cue_parts)})(?!\w)") if cue_parts else None
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
        cue=cue,
        past=past,
        past_exclude=frozenset(w.lower() for w in tense.get("past_exclude", [])),
        participle_after=_ends_with(tense.get("participle_after", []),
                                    tense.get("participle_adverbs", [])),
        participle_agent=re.compile(tense["participle_agent"])
        if tense.get("participle_agent") else None,
        not_cue=lexicon.words_regex(tense.get("not_cues", [])),
        not_cue_first=frozenset(w.split()[0].lower() for w in tense.get("not_cues", [])),
        plan_passed=_ends_with(tense.get("plan_passed", [])),
        possessive=re.compile(lexicon.alternation(tense["possessive_marks"]) + r"(?=\s)")
        if tense.get("possessive_marks") else None,
        possessive_ahead=_ends_with(tense.get("possessive_ahead", [])),
        deadline=_deadline(tense.get("deadline_marks", []), tense.get("deadline_words", [])),
        headline_future=re.compile(tense["headline_future"])
        if tense.get("headline_future") else None,
        moves=frozenset(w.lower() for w in tense.get("headline_moves", [])),
        anchor=lexicon.words_regex(list(anchor_dir)),
        anchor_dir=anchor_dir,
        prepositions=frozenset(w.lower() for w in res.get("month_prepositions", [])),
        phrase_breaks=frozenset(w.lower() for w in anchors.get("phrase_breaks", [])),
        subjects=frozenset(w.lower() for w in anchors.get("subjects", [])),
        full_months=frozenset(f.lower() for e in res.get("month", []) for f in e["forms"]
                              if (not f.endswith(".") and len(f) > 3) or f == e["forms"][0]),
        proper_words=frozenset(f.lower().strip(".") for cls in ("month", "weekday", "holiday", "tz")
                               for e in res.get(cls, []) for f in e["forms"] if " " not in f),
        proper_phrases=tuple(f.lower() for cls in ("holiday", "tz") for e in res.get(cls, [])
                             for f in e["forms"] if " " in f),
        core=_core_regex(lang, rules),
        determiner=lexicon.words_regex(res.get("determiners", [])) or re.compile(r"(?!x)x"),
        anaphoric=lexicon.words_regex(anchors.get("anaphoric", [])),
        deictic=lexicon.words_regex(anchors.get("deictic", [])),
        class_patterns={c: class_regex(lang, c) for r in rules
                        for c in sorted(set().union(r.requires, *r.any_of))},
        **_class_words(lang, set().union(*(r.requires.union(*r.any_of) for r in rules))),
        links=Links.of(res.get("compose", {}).get("time_day", []),
                       res.get("compose", {}).get("day_time", []),
                       res.get("compose", {}).get("ranges", []),
                       res.get("compose", {}).get("range_moved", []),
                       res.get("compose", {}).get("month_year", [])),
    )


def _ends_with(words: Sequence[str], between: Sequence[str] = ()) -> re.Pattern[str] | None:
    """A text that ends with one of `words` (and maybe one of `between` after it): what
    stands just before a cue ("would be | paid", "had been | due to")."""
    if not words:
        return None
    gap = rf"(?:(?:{lexicon.alternation(between)})\s+)?" if between else ""
    return re.compile(rf"(?<!\w)(?:{lexicon.alternation(words)})\s+{gap}$")


def _deadline(marks: Sequence[str], words: Sequence[str]) -> re.Pattern[str] | None:
    """A text that ends with a deadline: a mark ("given", "extended", "plazo"), at most four
    words of the same clause, then a deadline word ("until", "hasta")."""
    if not marks or not words:
        return None
    return re.compile(rf"(?<!\w)(?:{lexicon.alternation(marks)})(?:\s+[^\s.,;:!?]+){{0,4}}?"
                      rf"\s+(?:{lexicon.alternation(words)})\s+$")


# Word classes at least one of which every temporal expression contains; number words,
# "last/next", "about", "early" only ever come with one of them.
CORE_CLASSES = ("month", "weekday", "unit", "relday", "season", "pod", "ref", "set", "holiday",
                "ordinal", "tz")


def _core_regex(lang: str, rules: list[Rule]) -> re.Pattern[str]:
    """Digits, the core classes, and the language's `core_words` (what rules made of
    literal words hang on: "tonight", "quarter", "weekend")."""
    words: set[str] = set(lexicon.temporal(lang).get("core_words", []))
    for cls in CORE_CLASSES:
        words.update(lexicon.forms(lang, cls))
    return re.compile(rf"\d|(?<!\w)(?:{lexicon.alternation(sorted(words))})")
