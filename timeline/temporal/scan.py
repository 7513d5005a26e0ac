"""Rule scans that let `re` skip through words: the same matches, found faster.

Every rule pattern starts with a look-behind, `(?<![\\w$€£#])`. A pattern that starts
with an assertion gives `re` no first character to look for, so its search runs the
pattern's entry at every position of the text: about half
the cost of a rule scan is that, whatever the rule (a rule that can never match costs about
as much). Here each pattern gets a twin that consumes the character before the match
instead (`[^\\w$€£#]`) and then checks the first characters the pattern can start with
(`first_chars`): a twin that starts with a character class, which `re` skips to in its C
loop. A hit of the twin at q says the pattern matches at q + 1; the match itself is then
taken from the pattern (`regex.match(text, q + 1, end)`): the same match object, groups
and all, as the pattern's own search would have given, since `re` tries each position in
turn with the same code. The loop in `finditer` keeps `re.finditer`'s order and its
non-overlapping rule (a next match may start where the last ended: the twin searches from
one character before). The look-behind reads the text before `pos` as `finditer` does.

A pattern this cannot read (a class it does not know, a case-insensitive flag, a match that
may be empty) keeps `re.finditer`. tests/test_scan.py compares both on every rule of every
language; scripts/tag_digest.py the tagger's whole output.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from typing import Any

RULE_START = "(?<![\\w$€£#])"
_CATEGORIES = {"CATEGORY_DIGIT": r"\d", "CATEGORY_NOT_DIGIT": r"\D", "CATEGORY_SPACE": r"\s",
               "CATEGORY_NOT_SPACE": r"\S", "CATEGORY_WORD": r"\w",
               "CATEGORY_NOT_WORD": r"\W"}


def _class_items(items: list[tuple[Any, Any]]) -> list[str] | None:
    """A parsed character class (no negation) as the members of a `[...]`."""
    out = []
    for op, av in items:
        name = str(op)
        if name == "LITERAL":
            out.append(re.escape(chr(av)) if chr(av) not in "-]\\^" else "\\" + chr(av))
        elif name == "RANGE":
            out.append(f"{re.escape(chr(av[0]))}-{re.escape(chr(av[1]))}")
        elif name == "CATEGORY" and str(av) in _CATEGORIES:
            out.append(_CATEGORIES[str(av)])
        else:
            return None
    return out


def first_chars(seq: Any) -> tuple[list[str], bool] | None:
    """(members of a class every match's first character is in, whether the sequence may
    match empty), for a parsed pattern (`re._parser`); None when it cannot be told."""
    acc: list[str] = []
    for op, av in seq:
        name = str(op)
        got: tuple[list[str], bool] | None
        if name in ("LITERAL", "IN"):
            items = _class_items([(op, av)] if name == "LITERAL" else av)
            got = None if items is None else (items, False)
        elif name == "BRANCH":
            parts: list[str] = []
            empty = False
            for alt in av[1]:
                sub = first_chars(alt)
                if sub is None:
                    return None
                parts += sub[0]
                empty = empty or sub[1]
            got = (parts, empty)
        elif name == "SUBPATTERN":
            got = None if av[1] or av[2] else first_chars(av[3])  # no inline flags
        elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            sub = first_chars(av[2])
            got = None if sub is None else (sub[0], sub[1] or av[0] == 0)
        elif name == "ATOMIC_GROUP":
            got = first_chars(av)
        elif name in ("ASSERT", "ASSERT_NOT", "AT"):
            got = ([], True)  # zero width: the first character comes after it
        else:
            return None
        if got is None:
            return None
        acc += got[0]
        if not got[1]:
            return acc, False
    return acc, True


def _first_class(body: str, flags: int) -> str | None:
    from re import _parser  # type: ignore[attr-defined]

    try:
        tree = _parser.parse(body, flags)
    except re.error:
        return None
    if tree.getwidth()[0] == 0:
        return None  # a match may be empty: finditer's rules for those are kept by finditer
    got = first_chars(tree)
    if got is None or got[1] or not got[0]:
        return None
    return "[" + "".join(sorted(set(got[0]))) + "]"


@functools.cache
def twin(regex: re.Pattern[str]) -> re.Pattern[str] | None:
    """The pattern that matches at q where `regex` (a rule's) matches at q + 1, starting
    with a character class; None for a pattern `finditer` scans as it is."""
    if not regex.pattern.startswith(RULE_START) or regex.flags & re.IGNORECASE:
        return None
    body = regex.pattern[len(RULE_START):]
    first = _first_class(body, regex.flags)
    if first is None:
        return None
    return re.compile(f"[^\\w$€£#](?={first}){body}", regex.flags)


def finditer(regex: re.Pattern[str], text: str, pos: int, end: int) -> Iterator[re.Match[str]]:
    """`regex.finditer(text, pos, end)` for a rule's pattern, through its `twin`."""
    got = _TWINS.get(id(regex))
    if got is None or got[0] is not regex:
        got = _TWINS[id(regex)] = (regex, twin(regex))
    fast = got[1]
    if fast is None:
        yield from regex.finditer(text, pos, end)
        return
    match = regex.match
    if pos <= 0:  # nothing before the text: the twin cannot start there
        pos = 0
        m = match(text, 0, end)
        if m is not None:
            yield m
            pos = m.end()  # never empty: twin() refuses patterns that may match empty
    search = fast.search
    while True:
        hit = search(text, pos - 1 if pos > 0 else 0, end)
        if hit is None:
            return
        m = match(text, hit.start() + 1, end)
        assert m is not None  # the twin matched: the pattern matches one character on
        yield m
        pos = m.end()


# each rule's pattern and its twin, by the pattern's id: `twin`'s cache hashes the pattern,
# which hashes its whole compiled code, on every call (one per rule and window). The pattern
# is kept with its twin, so that its id stays its own. A memo, invisible in results.
_TWINS: dict[int, tuple[re.Pattern[str], re.Pattern[str] | None]] = {}
