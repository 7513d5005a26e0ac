"""Language resources: TOML files under timeline/resources/<lang>/, loaded once and cached.

A language is data. Adding one means adding `resources/<xx>/temporal.toml` (and
`events.toml`); nothing in the engine names a language except through these files.
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pathlib import Path

_DIR = os.path.join(os.path.dirname(__file__), "resources")
RESOURCES: Path  # the same directory as a Path, made when first asked (`__getattr__`)
UNDETERMINED = "und"


def __getattr__(name: str) -> Any:
    """`RESOURCES`, made at its first use: pathlib (and the urllib.parse it imports) is
    a tenth of a `timeline tag` start that opens no resource file."""
    if name == "RESOURCES":
        from pathlib import Path

        value = globals()["RESOURCES"] = Path(_DIR)
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

# word classes of temporal.toml and the placeholder names rules use for them
CLASSES = {
    "month": "month", "weekday": "weekday", "num": "number", "unit": "unit",
    "season": "season", "pod": "part_of_day", "relday": "relative_day", "shift": "shift",
    "mod": "mod", "qmod": "qmod", "ordinal": "ordinal", "ref": "ref", "set": "set",
    "holiday": "holiday", "tz": "tz",
}


@functools.cache
def languages() -> tuple[str, ...]:
    return tuple(sorted(name for name in os.listdir(_DIR) if not name.startswith(".")
                        and os.path.isfile(os.path.join(_DIR, name, "temporal.toml"))))


_PARSED: dict[str, dict[str, Any]] = {}
_PARSE: list[Callable[[str], dict[str, Any]]] = []  # a kept-parse loader (`parse_with`)


def parse_with(loader: Callable[[str], dict[str, Any]]) -> None:
    """Let `parse_toml` ask `loader` (the CLI's cache of parsed resource files,
    cli/resource_cache.py): parsing the resource files is a large part of a run that adds
    one document. Call it before any resource is read."""
    _PARSE[:] = [loader]


def parse_toml(path: str) -> dict[str, Any]:
    """The parsed TOML file at `path`: every resource file is read through here."""
    if _PARSE:
        return _PARSE[0](path)
    import tomllib  # 5 ms to import: not needed when a cache gave the parsed file

    with open(path, "rb") as fh:
        return tomllib.load(fh)


def temporal(lang: str) -> dict[str, Any]:
    got = _PARSED.get(lang)
    if got is None:
        got = _PARSED[lang] = parse_toml(os.path.join(_DIR, lang, "temporal.toml"))
    return got


def known_temporal(lang: str, parsed: dict[str, Any]) -> None:
    """`temporal(lang)` as parsed by an earlier process, from a cache keyed by the file's
    bytes (timeline/temporal/frozen.py): a start-up need not parse the TOML again."""
    _PARSED.setdefault(lang, parsed)


@functools.cache
def resource(lang: str, name: str) -> dict[str, Any]:
    """The parsed `resources/<lang>/<name>`, or {} for a language without that file (read
    once; callers share it and must not change it)."""
    path = os.path.join(_DIR, lang, name)
    if not os.path.exists(path):
        return {}
    return parse_toml(path)


def events(lang: str) -> dict[str, Any]:
    return resource(lang, "events.toml")


@functools.cache
def forms(lang: str, cls: str) -> dict[str, Any]:
    """Lower-cased surface form -> value for one word class of a language."""
    out: dict[str, Any] = {}
    for entry in temporal(lang).get(CLASSES.get(cls, cls), []):
        for form in entry["forms"]:
            out.setdefault(" ".join(form.lower().split()), entry["value"])
    return out


_WORD = re.compile(r"[^\W\d_]+")
# A text ending in one of these has not ended a sentence: "Mr.", "Sept.", "U.", "a.m.", "vs."
ABBREVIATION_END = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Dr|St|Jr|Sr|Gen|Gov|Sen|Rep|Lt|Col|Mt|No|vs|etc|"
    r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|г|гг|им|т\.е|[ap]\.m)\.|"
    r"\b[A-ZА-Я]\.)$")


@functools.cache
def _detect_only() -> dict[str, Any]:
    """Languages known only well enough to be told apart (resources/detect.toml)."""
    return {lang: spec for lang, spec in parse_toml(os.path.join(_DIR, "detect.toml")).items()
            if lang not in languages()}


@functools.cache
def _stopwords() -> dict[str, frozenset[str]]:
    ours = {lang: frozenset(temporal(lang).get("stopwords", [])) for lang in languages()}
    return {**ours, **{lang: frozenset(spec["stopwords"])
                       for lang, spec in _detect_only().items()}}


@functools.cache
def _scripts() -> dict[str, str]:
    ours = {lang: temporal(lang).get("script", "latin") for lang in languages()}
    return {**ours, **{lang: spec.get("script", "latin") for lang, spec in _detect_only().items()}}


def detect_language(text: str, sample: int = 4000) -> str:
    """Script first, then stopword counts; `und` when nothing speaks up clearly."""
    words = [w.lower() for w in _WORD.findall(text[:sample])]
    if not words:
        return UNDETERMINED
    cyr = sum(1 for w in words if "\u0400" <= w[0] <= "\u04ff")
    script = "cyrillic" if cyr > len(words) / 2 else "latin"
    best, best_score = UNDETERMINED, 0.0
    for lang, stops in _stopwords().items():
        if _scripts()[lang] != script:
            continue
        score = sum(map(stops.__contains__, words)) / len(words)  # counted in C
        if score > best_score:
            best, best_score = lang, score
    return best if best_score >= 0.04 or (best_score > 0 and len(words) < 30) else UNDETERMINED


# ------------------------------------------------------------------ word lists as regexes


def alternation(words: Iterable[str]) -> str:
    """A regex matching any of the words, longest first, factored as a trie.

    Python's `re` tries the branches of an alternation one by one at every position; a
    trie ("mar(?:ch|\\.)") shares the work of common prefixes, which is most of a tagger's
    time on a word-class-heavy grammar.
    """
    trie: dict[str, Any] = {}
    for w in {" ".join(w.lower().split()) for w in words}:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}
    return _trie_regex(trie)


def _trie_regex(node: dict[str, Any]) -> str:
    ends = "" in node
    branches = []
    for ch in sorted(k for k in node if k):
        piece = r"\s+" if ch == " " else re.escape(ch)
        branches.append(piece + _trie_regex(node[ch]))
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    # longest first: the optional tail is greedy, so "sept." wins over "sept"
    return f"(?:{body})?" if ends else body


def words_regex(words: Sequence[str]) -> re.Pattern[str] | None:
    """Any of the words, as whole words, case-insensitively; None for no words."""
    if not words:
        return None
    return re.compile(rf"(?<!\w)(?:{alternation(words)})(?!\w)", re.IGNORECASE)
