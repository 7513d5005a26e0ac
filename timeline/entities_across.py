"""Full names of one person that transliterate apart across languages ("Ким Чен Ын",
"Kim Jong Un"), split from entities.py: `across` is one of the relations `entities.link`
unites local names by (timeline.entity_scope lists them), with the counts it weighs.

A shared first word is weak evidence: in most languages it is a given name, and "Ingrid
Solheim" and "Ingrid Solberg" are two people however alike their strings are. Such a pair
is one person only when its last words are one surname spelled two ways (nearly the same
letters: "Solheim" ~ "Сольхейм", "Márquez" ~ "Маркес"), or when a document writes the
first word alone as that person's name, which marks it as a family name that comes first
("Kim" for "Kim Jong Un", "Кима"). Data decides, per pair; no language's name order is
assumed. The same test guards names whose word skeletons agree (`entities.link`).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from difflib import SequenceMatcher
from typing import TYPE_CHECKING, Any

from timeline import entity_keys as ek

if TYPE_CHECKING:
    from timeline.entities import Mention

SURNAME_RATIO = 0.8  # two spellings of one surname: "solheim" ~ "solkheim" 0.93, ~ "solberg" 0.57


def _label(ms: Iterable[Mention]) -> str:
    votes = Counter(m.label for m in ms if m.label != "OTHER")
    return min(votes, key=lambda lab: (-votes[lab], lab)) if votes else "OTHER"


def _compatible(groups: Mapping[str, list[Mention]], a: Sequence[str], b: Sequence[str]) -> bool:
    la = _label(m for g in a for m in groups[g])
    lb = _label(m for g in b for m in groups[g])
    return la == lb or "OTHER" in (la, lb)


def _where(groups: Mapping[str, list[Mention]], gs: Sequence[str],
           stories_of: Mapping[str, set[str]]) -> tuple[set[str], set[str], set[str]]:
    """(documents, stories, languages) of the local names `gs`."""
    docs = {groups[g][0].document for g in gs}
    stories = set().union(*(stories_of.get(d, set()) for d in docs))
    return docs, stories, {groups[g][0].language for g in gs}


def across(groups: Mapping[str, list[Mention]], by_key: Mapping[str, list[str]],
            long_keys: Sequence[str], stories_of: Mapping[str, set[str]], union: Any) -> None:
    """Full names that transliterate apart ("Ким Чен Ын", "Kim Jong Un"): the same number
    of words, the same first or last word, in other languages, in a story both belong to,
    never in one document together (one document writing both names means two people);
    the closest by aligned words, if it stands out. Names that share only their first
    word must also be of one family (`one_family`)."""
    where = {k: _where(groups, by_key[k], stories_of) for k in long_keys}
    by_end: dict[tuple[int, str], list[str]] = defaultdict(list)
    for k in long_keys:
        w = k.split()
        by_end[len(w), "<" + w[0]].append(k)
        by_end[len(w), ">" + w[-1]].append(k)
    best: dict[str, str] = {}
    for k in long_keys:
        w = k.split()
        docs, stories, langs = where[k]
        cands = set()
        for end in ("<" + w[0], ">" + w[-1]):
            for o in by_end[len(w), end]:
                od, ost, ol = where[o]
                if o != k and stories & ost and not docs & od and not langs & ol \
                        and _compatible(groups, by_key[k], by_key[o]) \
                        and one_family(groups, by_key, k, o):
                    cands.add(o)
        scored = sorted(((_aligned(w, o.split()), o) for o in cands), reverse=True)
        if scored and scored[0][0] >= 0.5 and (len(scored) == 1 or
                                                scored[0][0] - scored[1][0] >= 0.1):
            best[k] = scored[0][1]
    for k, o in sorted(best.items()):
        if best.get(o) == k:  # each the other's closest
            union(by_key[k][0], by_key[o][0])


def _aligned(a: Sequence[str], b: Sequence[str]) -> float:
    from difflib import SequenceMatcher

    return sum(SequenceMatcher(None, x, y).ratio() for x, y in zip(a, b, strict=True)) / len(a)




def one_family(groups: Mapping[str, list[Mention]], by_key: Mapping[str, list[str]],
               k: str, o: str) -> bool:
    """Whether two full names linked by their words can be one person: the same last word,
    or last words that are one surname spelled two ways (nearly the same letters: a shared
    consonant skeleton alone is not enough, "Tollefsen" and "Tollefdal" share one), or a
    document writes the first word alone for one of them (a family name that comes first,
    whose given names may transliterate apart)."""
    a, b = k.split(), o.split()
    if a[-1] == b[-1] or SequenceMatcher(None, a[-1], b[-1]).ratio() >= SURNAME_RATIO:
        return True
    return any(ek.word_keys(m.text, m.language) == (first,)
               for key, first in ((k, a[0]), (o, b[0])) for g in by_key[key] for m in groups[g])
