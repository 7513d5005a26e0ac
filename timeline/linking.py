"""Which segments are compared when stories are linked, and how strongly two of them link.

`segment.stories` (the whole pass) and an incremental run (which compares only new segments
with the ones a persistent name index finds for them) share these rules, so that the two
reach the same stories.

Candidates come from an inverted index on a segment's names. A name in many segments
("Russia") is weak evidence: it generates candidates only when it is one of the segment's
two rarest name stems, or when it is in at most `common` segments; a pair that shares it is still
found through any rarer name they share, and scored on everything they share. So every
segment is always compared with the segments that share its rarest names, however large the
corpus (no name stops linking), and the work per segment stays bounded by `common` postings
per name plus the postings of its two rarest names.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterable, Mapping

import attrs

COMMON = 150  # a name in more segments generates candidates only as a segment's rarest
RAREST = 2  # ... two names (a link needs two shared names anyway)


SURNAME_RATIO = 0.8  # one surname spelled two ways: "solheim" ~ "solkheim" 0.93, "solberg" 0.57


@attrs.frozen
class Keys:
    """A segment's linking keys: `own` (stems and figures, compared within its language),
    `far` (consonant skeletons and figures, compared with the other languages), `bound`
    (first words of full names with their last word, "ingri>solheim": segment._name_keys),
    which only take a shared first word away (`_given_apart`), never add one."""

    language: str
    own: frozenset[str]
    far: frozenset[str]
    bound: frozenset[str] = frozenset()


def keys_of(language: str, names: Iterable[str]) -> Keys:
    bag = set(names)
    plain = {k for k in bag if ">" not in k}
    return Keys(language, frozenset(k for k in plain if k[0] != "~"),
                frozenset(k for k in plain if k[0] in "~#"), frozenset(bag - plain))


def _given_apart(a: Keys, b: Keys, shared: frozenset[str]) -> frozenset[str]:
    """The shared keys that are only given names of two different people: both segments
    write the word only as the first of full names, and no last word of one is a spelling
    of a last word of the other ("Ingrid Solheim", "Ingrid Solberg")."""
    if not shared or not a.bound or not b.bound:
        return frozenset()
    la, lb = _lasts(a.bound), _lasts(b.bound)
    return frozenset(s for s in shared if s in la and s in lb and not any(
        x == y or _spelling(x, y) for x in la[s] for y in lb[s]))


@functools.lru_cache(maxsize=65536)
def _lasts(bound: frozenset[str]) -> dict[str, frozenset[str]]:
    """First word -> its last words; a segment's keys meet every candidate segment's, so
    this is worked out once per segment, not once per pair (score runs per pair)."""
    out: dict[str, set[str]] = {}
    for x in bound:
        word, last = x.split(">", 1)
        out.setdefault(word, set()).add(last)
    return {w: frozenset(v) for w, v in out.items()}


@functools.lru_cache(maxsize=65536)
def _spelling(x: str, y: str) -> bool:
    from difflib import SequenceMatcher

    return SequenceMatcher(None, x, y).ratio() >= SURNAME_RATIO


def all_keys(k: Keys) -> frozenset[str]:
    return k.own | k.far


def idf_of(df: Mapping[str, int], n: int) -> dict[str, float]:
    n = max(n, 1)
    return {k: math.log(1 + n / v) for k, v in df.items() if v > 0}


def generating(keys: frozenset[str], df: Mapping[str, int], common: int = COMMON,
               rarest: int = RAREST) -> frozenset[str]:
    """The keys whose postings a segment searches: every key in at most `common` segments,
    and its `rarest` rarest name stems whatever their frequency. Figures and consonant
    skeletons are not names enough for that: alone they never make a story ("#2019",
    "~ms"), and a common one would compare every segment with every other."""
    ranked = sorted((k for k in keys if k[0] not in "#~"), key=lambda k: (df.get(k, 0), k))
    return frozenset(k for k in keys if df.get(k, 0) <= common) | frozenset(ranked[:rarest])


def weights(k: Keys, idf: Mapping[str, float]) -> tuple[float, float]:
    """(own, far) weight of a segment: what `score` measures an overlap against. Summed
    exactly (fsum): a set's order follows the string hash, which changes between processes,
    and a plain sum's last bits with it."""
    return math.fsum(idf[s] for s in k.own), math.fsum(idf[s] for s in k.far)


def score(a: Keys, b: Keys, idf: Mapping[str, float], day_a: int | None, day_b: int | None,
          threshold: float, tau_days: float, min_shared: int, floor: float,
          w: tuple[tuple[float, float], tuple[float, float]] | None = None) -> float | None:
    """The strength of the link between two segments (their geometric overlap), or None
    when they do not link. `w`: their `weights`, when known."""
    across = a.language != b.language
    shared = a.far & b.far if across else a.own & b.own
    if len(shared) < min_shared:  # most compared pairs: nothing to take away first
        return None
    shared -= _given_apart(a, b, shared)
    if len(shared) < min_shared or all(s[0] == "#" for s in shared):
        return None  # one shared name ("Kenya") is a coincidence, not a story
    overlap = math.fsum(idf[s] for s in shared)
    w = w or (weights(a, idf), weights(b, idf))
    wa, wb = (w[0][1], w[1][1]) if across else (w[0][0], w[1][0])
    geo = overlap / max(math.sqrt(wa * wb), 1e-9)
    if day_a is not None and day_b is not None and decay(geo, abs(day_a - day_b),
                                                         tau_days) < floor:
        return None  # dated far apart for what they share: another happening
    # overlap against the smaller segment links a short sidebar-free lead to a long
    # article; the geometric floor keeps a long article from being swallowed by a chain
    # of small coincidences
    if overlap / max(min(wa, wb), 1e-9) >= threshold and geo >= floor:
        return geo
    return None


def decay(score: float, days: float, tau_days: float) -> float:
    """A link's strength `days` apart: it fades with the distance in time, so reports close
    in time link on modest overlap and reports months apart only on a strong one; two
    happenings years apart never link, however alike their names."""
    return score * math.exp(-max(days, 0.0) / tau_days)


def candidate(a: Keys, b: Keys, df: Mapping[str, int]) -> bool:
    """Whether the whole pass compares two segments: one of them searches a key they share
    (within a language by stem, across languages by skeleton)."""
    across = a.language != b.language
    shared = a.far & b.far if across else a.own & b.own
    return bool(shared & (generating(a.far if across else a.own, df)
                          | generating(b.far if across else b.own, df)))
