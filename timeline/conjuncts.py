"""Coordinated verbs share their time: "burst its banks on Monday and flooded the centre".

Attachment never dates a verb across "and" from the time of the verb before it ("arrested
in March 2023 and sentenced in July": March is the arrest's), which is right when the
second verb has a time of its own. When it has none, a finite verb coordinated with the
finite verb just before it, in the same tense and with no other verb between them, tells
the same day ("El río se desbordó el lunes e inundó el centro"): without that day the
second verb stays undated (its document's date) and cannot merge with another document's
telling of it (issue 19). Pure: reads one sentence's mentions and the document analysis.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Sequence
from typing import Any

from timeline.analyze.document import Token
from timeline.openclass import Index

_SKIP = frozenset({"ADV", "PART"})  # "and then flooded", "и затем затопила"


def _verb(idx: Index, start: int, end: int) -> int:
    """The first verb token of a mention's span ("se desbordó", "burst its banks"), or -1."""
    toks = idx.doc.tokens
    i = bisect.bisect_left(idx.starts, start)
    while i < len(toks) and toks[i].start < end:
        if toks[i].upos == "VERB":
            return i
        i += 1
    return -1


def _finite(tok: Token) -> bool:
    """A verb that can head a clause of its own. The English tagger's forms are loose
    ("burst" Inf, "flooded" Part in "burst ... and flooded"), so only what is surely not a
    main verb is refused: a gerund, a present participle ("forcing the evacuation")."""
    form = tok.feat("VerbForm")
    return tok.upos == "VERB" and form not in ("Ger", "Conv") \
        and not (form == "Part" and tok.feat("Tense") == "Pres")


def coordinated_with(idx: Index, first: int, second: int) -> bool:
    """Whether the finite verb at token `second` is coordinated with the finite verb at
    token `first` of the same sentence: a coordinator right before `second` (adverbs
    aside), no verb, subordinator or clause mark between them, no tense apart."""
    toks = idx.doc.tokens
    a, b = toks[first], toks[second]
    if not (_finite(a) and _finite(b)) or a.sent != b.sent or first >= second \
            or None is not a.feat("Tense") != b.feat("Tense") is not None:
        return False
    k = second - 1
    while k > first and toks[k].upos in _SKIP:
        k -= 1
    if k <= first or toks[k].upos != "CCONJ":
        return False
    return not any(t.upos in ("VERB", "AUX", "SCONJ") or t.text in (",", ";", ":", "—")
                   for t in toks[first + 1:k])


def inherit_time(mentions: Sequence[dict[str, Any]], idx: Index | None) -> None:
    """Gives an undated mention the time (or the unresolved day) of the verb it is
    coordinated with, in place; its time keeps "own" as its source, as the text says it,
    and records that it came from the conjunct."""
    if idx is None:
        return
    ordered = sorted(mentions, key=lambda m: m["start"])
    for prev, m in itertools.pairwise(ordered):
        if m["time"] is not None or m.get("relation") or m["status"] != prev["status"]:
            continue
        t = prev["time"]
        own = t is not None and t.get("source") == "own" and not t.get("clock")
        if not own and not prev.get("relation"):
            continue
        i, j = _verb(idx, prev["start"], prev["end"]), _verb(idx, m["start"], m["end"])
        if i < 0 or j < 0 or not coordinated_with(idx, i, j):
            continue
        if own:
            m["time"] = {**t, "conjunct": True}
        else:
            m["relation"] = prev["relation"]
