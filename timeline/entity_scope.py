"""Which local names can influence one another when `entities.link` settles entities: what
lets an incremental run link a few documents' names against a persistent index of the
corpus's names and get what the whole pass gets.

`entities.link` decides every union from pairs of local keys that are related in one of
four ways: the same key; long keys with the same word skeletons; long keys of the same
length with the same first or last word (`_across`); a one-word key and a long key that
begins or ends with it, or whose last word has its skeleton (`_attach_short`). Every count
it weighs (documents of a candidate entity, the other candidates, the stories they share)
is taken over keys related in these ways. So the connected components of this relation
partition the linking problem: linking one component alone gives exactly the entities the
whole pass gives it, and a run that re-links the components its documents' keys belong to
(closed over the keys of the documents that left, and over keys no longer written, whose
only effect is a larger component) reaches the whole pass's entities.

Each key has terms (`terms`), and it is related to the keys that have one of its `probes`;
the relation is symmetric (a key's probes are exactly the terms of the keys it relates to).
Table keys ("@...") relate only to themselves.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from timeline import entity_keys as ek

# The version of the rule below: an index filled under another one is filled again.
VERSION = "1"
SKELETON = 3  # a surname's skeleton links across languages from this length (_attach_short)


def _sides(key: str, mine: str, theirs: str) -> list[str]:
    """A key's terms (`mine` and `theirs` the prefixes of its own side of the two
    asymmetric relations and of the other side)."""
    if key[:1] == "@" or not key:
        return []
    w = key.split()
    if len(w) == 1:
        sk = ek.skeletons((key,))[0]
        return [mine[0] + key] + ([mine[1] + sk] if len(sk) >= SKELETON else [])
    n, last = len(w), ek.skeletons((w[-1],))[0]
    return ["s:" + "|".join(ek.skeletons(tuple(w))), f"<{n}:{w[0]}", f">{n}:{w[-1]}",
            theirs[0] + w[0], theirs[0] + w[-1]] + \
        ([theirs[1] + last] if len(last) >= SKELETON else [])


def terms(key: str) -> list[str]:
    """The terms under which `key` is found by the keys it relates to."""
    return _sides(key, ("ws:", "~s:"), ("wl:", "~l:"))


def probes(key: str) -> list[str]:
    """The terms of the keys `key` relates to."""
    return _sides(key, ("wl:", "~l:"), ("ws:", "~s:"))


def closure(seeds: Iterable[str], lookup: Callable[[set[str]], set[str]]) -> set[str]:
    """Every key related to `seeds`, transitively. `lookup(probe terms)`: the keys that have
    one of those terms (one call per round, so the store answers it with one query)."""
    found = set(seeds)
    frontier = set(found)
    asked: set[str] = set()
    while frontier:
        want = {p for k in frontier for p in probes(k)} - asked
        asked |= want
        frontier = (lookup(want) if want else set()) - found
        found |= frontier
    return found
