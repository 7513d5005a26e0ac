"""Segmentation: documents into blocks and sentences, blocks into segments, segments into stories.

News pages carry more than their story: a second unrelated story under its own heading,
link lists, weather widgets, currency tickers. A block that is only boilerplate yields no
events; a segment (the blocks under one heading) joins a story only through the names it
shares with it, so a sidebar about something else ends up in a story of its own.
"""

from __future__ import annotations

import functools
import hashlib
import math
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from typing import Any

import attrs

from timeline import lexicon

_SENT_SPLIT = re.compile(r"(?<=[.!?…])[\"”»']?\s+(?=[«\"“(¿¡]?[A-ZА-ЯЁ0-9])|\n+")
_ABBREV = lexicon.ABBREVIATION_END
_WORD = re.compile(r"[^\W\d_][\w'’-]*")
# connectors ("Komsomolsk on Amur", "Corea del Norte") only between capitalized words
_NAME = re.compile(r"[A-ZА-ЯЁ][\w’'-]*"
                   r"(?:[ -](?:[A-ZА-ЯЁ][\w’'-]*|(?:del|de|la|on|na|von|van|al|bin)"
                   r"(?=[ -][A-ZА-ЯЁ])))*")
_LETTERS = re.compile(r"[^\W\d_]")


@attrs.frozen
class Block:
    start: int
    end: int
    kind: str  # text | heading | boilerplate


@attrs.frozen
class Segment:
    document: str
    index: int
    start: int
    end: int
    blocks: tuple[Block, ...]
    names: tuple[str, ...]  # name stems, transliterated, with repetition
    surfaces: tuple[str, ...] = ()  # a readable (Latin) form for each stem, same order
    language: str = ""


# ------------------------------------------------------------------ sentences and blocks


def sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Sentence spans in text[start:end]; abbreviations ("Sept.", "Mr.", "U.") do not split."""
    out: list[tuple[int, int]] = []
    s = start
    for m in _SENT_SPLIT.finditer(text, start, end):
        if m.group(0).strip() == "" and "\n" not in m.group(0) and _ABBREV.search(
                text[max(s, m.start() - 6):m.start()]):
            continue
        if text[s:m.start()].strip():
            out.append(_trim(text, s, m.start()))
        s = m.end()
    if text[s:end].strip():
        out.append(_trim(text, s, end))
    return out


def _trim(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return s, e


@functools.cache
def _boilerplate(lang: str) -> re.Pattern[str] | None:
    pats = list(lexicon.events(lang).get("boilerplate", {}).get("patterns", []))
    if not pats:
        return None
    return re.compile("|".join(f"(?:{p})" for p in pats), re.IGNORECASE | re.MULTILINE)


def classify(line: str, lang: str, first: bool) -> str:
    words = _WORD.findall(line)
    letters = len(_LETTERS.findall(line))
    if len(words) < 4 or letters < 0.5 * len(line.strip()):
        return "boilerplate" if not first or letters < 3 else "heading"
    bp = _boilerplate(lang)
    if bp and bp.search(line) and len(words) < 40:
        return "boilerplate"
    stripped = line.strip()
    if not first and len(words) <= 16 and not re.search(r"[.!?…:;\"”»)]$", stripped):
        return "heading"
    return "text"


def blocks(text: str, start: int, lang: str) -> list[Block]:
    out: list[Block] = []
    pos = start
    for line in text[start:].split("\n"):
        s, e = pos, pos + len(line)
        pos = e + 1
        if not line.strip():
            continue
        s, e = _trim(text, s, e)
        out.append(Block(s, e, classify(text[s:e], lang, not out)))
    # A run of short lines between boilerplate lines is a link list: boilerplate too.
    for i, b in enumerate(out):
        if b.kind == "heading" and 0 < i < len(out) - 1 and out[i - 1].kind == "boilerplate" \
                and out[i + 1].kind == "boilerplate":
            out[i] = attrs.evolve(b, kind="boilerplate")
    return out


# ------------------------------------------------------------------ names


@functools.cache
def _vocabulary_words(key: str) -> frozenset[str]:
    """One word list of every language's events.toml, lower-cased: names are compared
    across languages, so a title or a non-name in any of them counts."""
    words: set[str] = set()
    for lang in lexicon.languages():
        words.update(w.lower() for w in lexicon.events(lang).get(key, []))
    return frozenset(words)


def _not_names() -> frozenset[str]:
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


def names(text: str, start: int, end: int) -> list[tuple[int, int, str]]:
    """Capitalized name spans that are not sentence openers or known non-names."""
    out = []
    for m in _NAME.finditer(text, start, end):
        words = m.group(0).split()
        s = m.start()
        # drop leading words that are not names ("The", "After", "President")
        while words and words[0].lower().strip("’'-") in _not_names():
            s += len(words[0]) + 1
            words = words[1:]
        # "Russian President Vladimir Putin", "Police Chief Ed Davis": the person after the title
        cut = max((i for i, w in enumerate(words[:-1]) if w.lower() in _titles()), default=-1)
        if cut >= 0:
            s += len(" ".join(words[:cut + 1])) + 1
            words = words[cut + 1:]
        if words and re.search(r"[’']s$", words[-1]):
            words[-1] = words[-1][:-2]  # "Pyongyang’s plans": the possessor
        elif words and re.search(r"s[’']$", words[-1]):
            words[-1] = words[-1][:-1]  # "Cyprus' parliament"
        if not words or (len(words) == 1 and words[0].lower().strip(".") in _calendar_words()):
            continue  # "Feb. 13", "Monday's earthquakes": a date, not a name
        for i in range(1, len(words)):
            if words[i][:1].isupper() and words[i].lower() in _calendar_words():
                words = words[:i - 1] if words[i - 1].islower() else words[:i]
                break
        name = " ".join(words)
        if len(name) < 2 or (name.isupper() and len(name) > 6):
            continue
        out.append((s, s + len(name), name))
    return out


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
    function_words, endings, words = pre
    nxt = _NEXT_WORD.match(text, end, end + 30)
    if not nxt or len(nxt.group(1)) <= 2 or nxt.group(1) in function_words:
        return False
    last = name.split()[-1].lower()
    return last in words or last.endswith(endings)


def _segment_names(text: str, seg_blocks: Sequence[Block], mid_caps: frozenset[str],
                   lang: str = "") -> tuple[tuple[str, ...], tuple[str, ...]]:
    stems: list[str] = []
    surfaces: list[str] = []
    for b in seg_blocks:
        if b.kind == "boilerplate":
            continue
        for s, e in sentences(text, b.start, b.end):
            for ns, ne, name in names(text, s, e):
                opener = not text[s:ns].strip(OPENERS)
                if opener and len(name.split()) == 1 and name.lower() not in _not_names() \
                        and name not in mid_caps:
                    continue  # a sentence opener, unless the word is a name elsewhere too
                if lang and is_modifier(text, ne, name, lang):
                    continue  # "Russian president", "North Korean leader": adjectives
                for w in re.split(r"[ -]", name):
                    if w.lower().strip(".,") in _not_names():
                        continue  # "Inc.", "Corp.": in every company's name
                    st = stem(w)
                    if len(st) >= 3:
                        stems.append(st)
                        surfaces.append(re.sub(r"[^a-z0-9]", "", latin(w)))
                        # the same name inflected or spelled by another language: Russia ~
                        # России, Korea ~ Кореи share a consonant skeleton, not a stem
                        sk = skeleton(w)
                        if len(sk) >= 2:
                            stems.append("~" + sk)
                            surfaces.append(surfaces[-1])
            # Figures are spelled alike in every language ("34", "72 hours", "72 horas"):
            # evidence that two reports share a story when they share few names.
            for n in _FIGURE.findall(text, s, e):
                stems.append("#" + n)
                surfaces.append(n)
    return tuple(stems), tuple(surfaces)


_FIGURE = re.compile(r"(?<![\w.,])(\d{2,4})(?![\w]|[.,]\d)")


_MID_CAP = re.compile(r"[\w,] ([A-ZА-ЯЁ][\w’'-]*)")


def _mid_sentence_capitals(text: str) -> frozenset[str]:
    """Words that appear capitalized inside a sentence somewhere in the text: names. One
    pass over the text, so a long document costs linear time."""
    return frozenset(_MID_CAP.findall(text))


def segments(doc_id: str, text: str, body_start: int, lang: str) -> list[Segment]:
    """The document's blocks grouped under their headings."""
    bl = blocks(text, body_start, lang)
    groups: list[list[Block]] = [[]]
    for b in bl:
        if b.kind == "heading" and groups[-1] and any(x.kind == "text" for x in groups[-1]):
            groups.append([])
        groups[-1].append(b)
    out = []
    mid_caps = _mid_sentence_capitals(text)
    for i, g in enumerate(x for x in groups if x):
        stems, surfaces = _segment_names(text, g, mid_caps, lang)
        out.append(Segment(doc_id, i, g[0].start, g[-1].end, tuple(g), stems, surfaces, lang))
    return out


def to_data(segs: Sequence[Segment]) -> list[dict[str, Any]]:
    return [{"index": s.index, "start": s.start, "end": s.end,
             "blocks": [[b.start, b.end, b.kind] for b in s.blocks],
             "names": list(s.names), "surfaces": list(s.surfaces), "language": s.language}
            for s in segs]


def from_data(doc_id: str, data: Sequence[dict[str, Any]]) -> list[Segment]:
    return [Segment(doc_id, d["index"], d["start"], d["end"],
                    tuple(Block(*b) for b in d["blocks"]), tuple(d["names"]),
                    tuple(d["surfaces"]), d.get("language", "")) for d in data]


# ------------------------------------------------------------------ stories


def stories(segs: Sequence[Segment], threshold: float = 0.3,
            max_postings: int = 150, dates: Mapping[str, str | None] | None = None,
            window_days: int = 45, min_shared: int = 2, floor: float = 0.1
            ) -> dict[tuple[str, int], str]:
    """Story id per (document, segment index): segments linked by the names they share.

    A document's first segment (its lead) anchors it; later segments of the same document
    join only on their own evidence, like segments of other documents.
    """
    bags = [Counter(s.names) for s in segs]
    df: Counter[str] = Counter()
    for bag in bags:
        df.update(set(bag))
    n = max(len(segs), 1)
    idf = {k: math.log(1 + n / v) for k, v in df.items()}
    parent = list(range(len(segs)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    # Candidates through an inverted index on names. A name in hundreds of segments ("Russia")
    # generates no candidates by itself: segments it alone would link are not one story.
    # Pairs already in one story are not compared again.
    index: dict[str, list[int]] = defaultdict(list)
    for i, bag in enumerate(bags):
        for st in bag:
            index[st].append(i)
    # skeletons ("~msk") bridge languages; within one language the stems already match, and
    # skeletons would only add coincidences ("Corp" ~ "Crp..."): counted across languages only
    # within a language names are compared by stem, across languages by skeleton (a stem
    # match is a skeleton match too): each name counts once either way
    own_weight = [sum(idf[s] for s in bag if s[0] != "~") for bag in bags]
    far_weight = [sum(idf[s] for s in bag if s[0] in "~#") for bag in bags]
    days = [_day(dates.get(s.document)) if dates else None for s in segs]
    for i, bag in enumerate(bags):
        if not bag:
            continue
        cands = sorted({j for st in bag if df[st] <= max_postings for j in index[st] if j > i})
        for j in cands:
            if find(i) == find(j):
                continue
            shared = bag.keys() & bags[j].keys()
            across = segs[i].language != segs[j].language
            shared = {s for s in shared if (s[0] in "~#") == across or s[0] == "#"}
            if len(shared) < min_shared or all(s[0] == "#" for s in shared):
                continue  # one shared name ("Kenya") is a coincidence, not a story
            if days[i] is not None and days[j] is not None and \
                    abs(days[i] - days[j]) > window_days:  # type: ignore[operator]
                continue  # dated weeks apart: another happening, even with the same names
            overlap = sum(idf[s] for s in shared)
            wi, wj = (far_weight[i], far_weight[j]) if across else (own_weight[i], own_weight[j])
            # overlap against the smaller segment links a short sidebar-free lead to a long
            # article; the geometric floor keeps a long article from being swallowed by a
            # chain of small coincidences
            if overlap / max(min(wi, wj), 1e-9) >= threshold and \
                    overlap / max(math.sqrt(wi * wj), 1e-9) >= floor:
                parent[find(i)] = find(j)
    members: dict[int, list[int]] = defaultdict(list)
    for i in range(len(segs)):
        members[find(i)].append(i)
    out: dict[tuple[str, int], str] = {}
    for idx in members.values():
        sid = story_id([segs[i] for i in idx])
        for i in idx:
            out[(segs[i].document, segs[i].index)] = sid
    return out


def _day(value: str | None) -> int | None:
    if not value or not re.match(r"\d{4}-\d\d-\d\d", value):
        return None
    import datetime as dt

    try:
        return dt.date.fromisoformat(value[:10]).toordinal()
    except ValueError:
        return None


def story_id(group: Sequence[Segment]) -> str:
    """A readable, stable id: the group's two most frequent names and a short hash."""
    bag: Counter[str] = Counter()
    shown: dict[str, Counter[str]] = defaultdict(Counter)
    for s in group:
        bag.update(n for n in s.names if n[0] not in "#~")
        for st, surface in zip(s.names, s.surfaces, strict=True):
            shown[st][surface] += 1
    top = [min(shown[k], key=lambda w: (-shown[k][w], len(w), w)) if shown[k] else k
           for k, _ in sorted(bag.items(), key=lambda kv: (-kv[1], kv[0]))[:2]]
    anchor = min(f"{s.document}:{s.index}" for s in group)
    digest = hashlib.sha256(anchor.encode()).hexdigest()[:6]
    return "-".join([*top, digest]) if top else f"story-{digest}"
