"""Segmentation: documents into blocks and sentences, blocks into segments, segments into stories.

News pages carry more than their story: a second unrelated story under its own heading,
link lists, weather widgets, currency tickers. A block that is only boilerplate yields no
events; a segment (the blocks under one heading) joins a story only through the names it
shares with it, so a sidebar about something else ends up in a story of its own.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from typing import Any

import attrs

from timeline import lexicon, linking, spanmemo
from timeline.linking import decay
from timeline.names import OPENERS, _fold, is_modifier, latin, names, not_names, skeleton, stem

_SENT_SPLIT = re.compile(r"(?<=[.!?…])[\"”»']?\s+(?=[«\"“(¿¡]?[A-ZА-ЯЁ0-9])|\n+")
_ABBREV = lexicon.ABBREVIATION_END
_WORD = re.compile(r"[^\W\d_][\w'’-]*")
# connectors ("Komsomolsk on Amur", "Corea del Norte") only between capitalized words
_LETTER_RUNS = re.compile(r"[^\W\d_]+")


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


@spanmemo.last_text
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
    # the letters counted by their runs: one match a word, not one a letter
    letters = sum(map(len, _LETTER_RUNS.findall(line)))
    if len(words) < 4 or letters < 0.5 * len(line.strip()):
        return "boilerplate" if not first or letters < 3 else "heading"
    bp = _boilerplate(lang)
    # a paragraph of 40 words is text whatever it names: not searched for the markers
    if len(words) < 40 and bp and bp.search(line):
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


def _segment_names(text: str, seg_blocks: Sequence[Block], mid_caps: frozenset[str],
                   lang: str = "") -> tuple[tuple[str, ...], tuple[str, ...]]:
    stems: list[str] = []
    surfaces: list[str] = []
    alone: set[str] = set()  # keys of words written here alone or not first in a name
    for b in seg_blocks:
        if b.kind == "boilerplate":
            continue
        for s, e in sentences(text, b.start, b.end):
            for ns, ne, name in names(text, s, e):
                opener = not text[s:ns].strip(OPENERS)
                if opener and len(name.split()) == 1 and name.lower() not in not_names() \
                        and name not in mid_caps:
                    continue  # a sentence opener, unless the word is a name elsewhere too
                if lang and is_modifier(text, ne, name, lang):
                    continue  # "Russian president", "North Korean leader": adjectives
                for st, surface, first in _name_keys(name):
                    stems.append(st)
                    surfaces.append(surface)
                    if not first:
                        alone.add(st)
            # Figures are spelled alike in every language ("34", "72 hours", "72 horas"):
            # evidence that two reports share a story when they share few names.
            for n in _FIGURE.findall(text, s, e):
                stems.append("#" + n)
                surfaces.append(n)
    kept = [i for i, st in enumerate(stems)
            if ">" not in st or st.split(">", 1)[0] not in alone]
    return tuple(stems[i] for i in kept), tuple(surfaces[i] for i in kept)


@functools.lru_cache(maxsize=100_000)
def _name_keys(name: str) -> tuple[tuple[str, str, bool], ...]:
    """The (stem, surface, written here as a first word) keys of a name's words, a function
    of the name alone, memoised (a story's names recur in every sentence and every report).

    The first word of a name of several words also gets a bound key: its stem (and its
    skeleton) with the last word's letters ("ingri>solheim"; `linking.KEYS`). A given
    name two reports share links them only if their full names agree ("Ingrid Solheim"
    and "Ingrid Solberg" are two people); a first word the segment also writes alone
    ("Kim said", "Кима") is no given name, and `_segment_names` drops its bound key."""
    out: list[tuple[str, str, bool]] = []
    words = [w for w in _NAME_PARTS.split(name)  # not "Inc.", "Corp.": in every company's
             if w.lower().strip(".,") not in not_names() and len(stem(w)) >= 3]
    last = _NOT_KEY.sub("", _fold(latin(words[-1]))) if len(words) > 1 else ""
    for i, w in enumerate(words):
        st, first = stem(w), i == 0 and bool(last)
        surface = _NOT_KEY.sub("", latin(w))
        out.append((st, surface, first))
        # the same name inflected or spelled by another language: Russia ~ России,
        # Korea ~ Кореи share a consonant skeleton, not a stem
        sk = skeleton(w)
        if len(sk) >= 2:
            out.append(("~" + sk, surface, first))
        if first:
            out.append((st + ">" + last, surface, True))
            if len(sk) >= 2:
                out.append(("~" + sk + ">" + last, surface, True))
    return tuple(out)


_NAME_PARTS = re.compile(r"[ -]")
_NOT_KEY = re.compile(r"[^a-z0-9]")
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


LINK = {"threshold": 0.3, "tau_days": 90.0, "min_shared": 2, "floor": 0.1}


def stories(segs: Sequence[Segment], threshold: float = LINK["threshold"],
            dates: Mapping[str, str | None] | None = None,
            tau_days: float = LINK["tau_days"], min_shared: int = int(LINK["min_shared"]),
            floor: float = LINK["floor"],
            df: Mapping[str, int] | None = None, n: int | None = None,
            ) -> dict[tuple[str, int], str]:
    """Story id per (document, segment index): segments linked by the names they share.

    A document's first segment (its lead) anchors it; later segments of the same document
    join only on their own evidence, like segments of other documents. Two dated segments
    link when their overlap, decayed by their distance in time (`decay`), stays above
    `floor`; two stories join only when the link, decayed by the gap between their spans of
    dates, does too: a topic covered steadily for years stays one story, one step at a time,
    while two happenings years apart with nothing between stay two. Which pairs are compared
    and how they score: `timeline.linking`. `df` and `n` (document frequencies of names over
    segments, and the number of segments) default to those of `segs`; an incremental run
    passes the whole corpus's, from the name index, to re-link a part of it.
    """
    keys = [linking.keys_of(s.language, s.names) for s in segs]
    if df is None:
        counted: Counter[str] = Counter()
        for k in keys:
            counted.update(linking.all_keys(k))
        df, n = counted, len(segs)
    idf = linking.idf_of(df, n or len(segs))
    days = [_day(dates.get(s.document)) if dates else None for s in segs]
    w = [linking.weights(k, idf) for k in keys]
    links = [(geo, i, j) for i, j in _pairs(keys, df)
             if (geo := linking.score(keys[i], keys[j], idf, days[i], days[j], threshold,
                                      tau_days, min_shared, floor, (w[i], w[j]))) is not None]
    return _name_stories(segs, days, _join(len(segs), days, links, tau_days, floor))


def _pairs(keys: Sequence[linking.Keys], df: Mapping[str, int]) -> list[tuple[int, int]]:
    """The pairs (i < j) the whole pass compares (`linking.generating`). Within a language
    names are compared by stem, across languages by skeleton ("~msk": Moscow ~ Москву; a
    stem match is a skeleton match too), so each name counts once either way, and the index
    is kept per language: a skeleton only finds segments of the others."""
    near_index: dict[tuple[str, str], list[int]] = defaultdict(list)
    far_index: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    for i, k in enumerate(keys):
        for st in k.own:
            near_index[k.language, st].append(i)
        for st in k.far:
            far_index[st][k.language].append(i)
    found: list[set[int]] = []
    for k in keys:
        mine: set[int] = set()
        for st in linking.generating(k.own, df):
            mine.update(near_index[k.language, st])
        for st in linking.generating(k.far, df):
            for lang, js in far_index[st].items():
                if lang != k.language:
                    mine.update(js)
        found.append(mine)
    # a pair is compared when either of the two searches finds the other
    pairs = [(i, j) for i, mine in enumerate(found) for j in mine if j > i]
    pairs += [(j, i) for i, mine in enumerate(found) for j in mine if j < i and i not in found[j]]
    return pairs


def _join(size: int, days: Sequence[int | None], links: Sequence[tuple[float, int, int]],
          tau_days: float, floor: float) -> dict[int, list[int]]:
    """Links made strongest first into stories (members by root). A story's span of header
    dates: a link between two stories whose spans lie far apart (for the link's strength) is
    refused, so two summits of the same leaders years apart stay two stories even when an
    undated report shares names with both (a story may still run for years, one step at a
    time); so the undated report joins the one it shares most with."""
    parent = list(range(size))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    span: list[tuple[int, int] | None] = [(d, d) if d is not None else None for d in days]
    for score, i, j in sorted(links, key=lambda x: (-x[0], x[1], x[2])):
        a, b = find(i), find(j)
        if a == b:
            continue
        sa, sb = span[a], span[b]
        if sa is not None and sb is not None \
                and decay(score, max(sa[0], sb[0]) - min(sa[1], sb[1]), tau_days) < floor:
            continue
        both = [s for s in (sa, sb) if s is not None]
        joined = (min(s[0] for s in both), max(s[1] for s in both)) if both else None
        parent[a] = b
        span[b] = joined
    members: dict[int, list[int]] = defaultdict(list)
    for i in range(size):
        members[find(i)].append(i)
    return members


def _name_stories(segs: Sequence[Segment], days: Sequence[int | None],
                  members: Mapping[int, list[int]]) -> dict[tuple[str, int], str]:
    out: dict[tuple[str, int], str] = {}
    taken: set[str] = set()
    for idx in sorted(members.values(), key=lambda g: _earliest(segs, days, g)):
        first = _earliest(segs, days, idx)[-1]
        sid = story_id([segs[i] for i in idx], segs[first], days[first])
        if sid in taken:  # two stories founded alike: the later one says which document
            sid = story_id([segs[i] for i in idx])
        taken.add(sid)
        for i in idx:
            out[(segs[i].document, segs[i].index)] = sid
    return out


def _earliest(segs: Sequence[Segment], days: Sequence[int | None],
              idx: Sequence[int]) -> tuple[bool, int, str, int, int]:
    """The story's founding segment: the earliest dated one (a lead before an aside), or
    for an undated story the smallest document id."""
    return min((days[i] is None, days[i] or 0, segs[i].document, segs[i].index, i)
               for i in idx)


def day_of(value: str | None) -> int | None:
    """A header date as a day number (None when it is not a calendar date)."""
    return _day(value)


def _day(value: str | None) -> int | None:
    if not value or not re.match(r"\d{4}-\d\d-\d\d", value):
        return None
    import datetime as dt

    try:
        return dt.date.fromisoformat(value[:10]).toordinal()
    except ValueError:
        return None


def story_id(group: Sequence[Segment], founder: Segment | None = None,
             day: int | None = None) -> str:
    """A readable, stable id from the story's earliest evidence: the first names of its
    founding (earliest dated) segment and a short hash of them with its date, so the id
    does not change when an article joins the story later, a later one is revised, or the
    founding one gains a line. An undated story, or one whose founding evidence another
    story shares, takes its two most frequent names and hashes its smallest segment."""
    bag: Counter[str] = Counter()
    shown: dict[str, Counter[str]] = defaultdict(Counter)
    for s in group:
        bag.update(n for n in s.names if n[0] not in "#~" and ">" not in n)
        for st, surface in zip(s.names, s.surfaces, strict=True):
            shown[st][surface] += 1
    top = [min(shown[k], key=lambda w: (-shown[k][w], len(w), w)) if shown[k] else k
           for k, _ in sorted(bag.items(), key=lambda kv: (-kv[1], kv[0]))[:2]]
    anchor = min(f"{s.document}:{s.index}" for s in group)
    if founder is not None and day is not None:
        first = list(dict.fromkeys(n for n in founder.names
                                   if n[0] not in "#~" and ">" not in n))[:3]
        if first:  # the names its headline and lead open with: a revision rarely moves them
            anchor = f"{day}:{' '.join(first)}"
            top = [min(shown[k], key=lambda w: (-shown[k][w], len(w), w)) for k in first[:2]]
    digest = hashlib.sha256(anchor.encode()).hexdigest()[:6]
    return "-".join([*top, digest]) if top else f"story-{digest}"
