"""Finding a record by what a person types: an entity by any of its names, a story by its
name or the beginning of its id. Case and accents do not matter; when nothing matches, the
close matches are what an error message offers instead."""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Iterable, Sequence


def fold(text: str) -> str:
    """Lower case, accents off, one space: "Vladímir  Putin" is "vladimir putin"."""
    t = unicodedata.normalize("NFKD", text.casefold().replace("ё", "е"))
    t = "".join(c for c in t if not unicodedata.combining(c) or c == "\u0306")
    return " ".join(unicodedata.normalize("NFC", t).split())


def find(query: str, records: Iterable[tuple[str, Sequence[str]]]) -> list[str]:
    """Ids of the records one of whose names equals the query (folded); failing that, those
    whose id starts with it (at least three characters, so "a" names nothing)."""
    q = fold(query)
    recs = list(records)
    exact = [rid for rid, names in recs if any(fold(n) == q for n in names)]
    if exact:
        return exact
    if len(q) >= 3:
        return [rid for rid, _names in recs if fold(rid).startswith(q)]
    return []


def close(query: str, records: Iterable[tuple[str, Sequence[str]]], n: int = 5) -> list[str]:
    """Names close to the query, best first: what to suggest when `find` found nothing."""
    shown: dict[str, str] = {}
    for rid, names in records:
        for name in (*names, rid):
            shown.setdefault(fold(name), name)
    q = fold(query)
    got = difflib.get_close_matches(q, list(shown), n=n, cutoff=0.5)
    got += [k for k in shown if q and q in k and k not in got]
    words = [w for w in q.split() if len(w) >= 3]
    got += [k for k in shown if k not in got and any(w in k.split() for w in words)]
    return [shown[k] for k in got[:n]]
