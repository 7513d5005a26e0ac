"""Stable ids: events and stories keep their ids across runs.

A document's id is a hash of its content, so every mention key of a revised article changes,
and an id hashed from a cluster's smallest mention key changed whenever its article gained a
line or a new article joined the cluster with a smaller key. Here an id is settled in two
steps, both pure (the shell reads the previous state and passes it in):

* **Matching.** The new clustering is matched to the previous one: a new event that shares
  sources (the same sentence of the same file, by path, of the same kind or label) with a
  previous event takes that event's id, the largest overlap first, one to one. A previous
  event whose sources now lie in an event that kept another id was merged into it
  (`Merged`); a new event that took sources of a previous event which kept its id in
  another part was split off it (`Split`). Both become log records.
* **Founding.** An event that matches nothing takes an id derived from its earliest
  evidence: the founding mention (the one of the earliest dated document), by its sentence,
  its place in the sentence and its kind, so that no other document, nor another line of its
  own, nor the file's name changes it (two events founded alike, a wire's sentence copied
  into two unmerged reports, are numbered).

Stories are matched the same way over segments (`keep_story_ids`): a new story whose own id
is new takes the id of the previous story most of its segments belonged to.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from typing import Any

import attrs

from timeline.evidence import agreement
from timeline.reconcile import Event, mention_key

Fingerprint = tuple[str, str]  # (path, the sentence, folded)
Group = tuple[str, str]  # (kind, or "~" + label; "" or the untold status)
_SPACE = re.compile(r"\s+")
_UNTOLD = frozenset({"negated", "hypothetical"})


@attrs.frozen
class Prior:
    """A previous event as the shell reads it from the projections."""

    id: str
    group: Group
    story: str
    sources: frozenset[Fingerprint]
    start: str | None = None
    place: str | None = None
    participants: tuple[str, ...] = ()


@attrs.frozen
class Merged:
    """Previous events `merged` now lie in event `event` (which kept its id)."""

    event: str
    merged: tuple[str, ...]
    story: str
    evidence: dict[str, Any]


@attrs.frozen
class Split:
    """Previous event `event` kept its id in one part; `into` are the parts split off."""

    event: str
    into: tuple[str, ...]
    story: str


def fold(quote: str | None) -> str:
    return _fold(quote or "")


@functools.lru_cache(maxsize=65536)
def _fold(quote: str) -> str:
    """Cached: an event's sources and its mentions quote the same sentences."""
    return _SPACE.sub(" ", quote).strip().casefold()


def group_of(kind: str, label: str, status: str) -> Group:
    return (kind or "~" + (label or ""), status if status in _UNTOLD else "")


def prior_of(row: Mapping[str, Any], paths: Mapping[str, str]) -> Prior:
    """A previous event from its projection row and its sources' (document, quote)."""
    return Prior(row["id"], group_of(row["kind"] or "", row.get("label") or "", row["status"]),
                 row["story"] or "",
                 frozenset((paths.get(d, d), fold(q)) for d, q in row["sources"]),
                 row.get("start"), row.get("place"), tuple(row.get("participants") or ()))


def fingerprints(e: Event, paths: Mapping[str, str]) -> frozenset[Fingerprint]:
    return frozenset((paths.get(s["document"], s["document"]), fold(s["quote"]))
                     for s in e.sources)


def founded_id(e: Event, by_key: Mapping[str, Mapping[str, Any]],
               dates: Mapping[str, str | None]) -> str:
    """The id an event's earliest evidence gives it: the founding mention's sentence, place
    in it and kind (a second mention of one trigger, `part`, apart). Content only, not the
    file's name or the document's hash: the same articles under other names give the same
    ids, and a line added elsewhere in the article changes nothing."""
    members = [by_key[k] for k in e.mentions if k in by_key]
    if not members:
        return e.id

    def evidence(m: Mapping[str, Any]) -> tuple[str, str, str]:
        return fold(m.get("quote")), str(m["start"] - m.get("sentence_start", 0)), \
            str(m.get("part", 0))

    m = min(members, key=lambda m: (dates.get(m["document"]) is None,
                                    dates.get(m["document"]) or "", evidence(m)))
    g = group_of(e.kind, e.label, e.status)
    blob = "\x1f".join([*g, *evidence(m)])
    return "ev-" + hashlib.sha256(blob.encode()).hexdigest()[:12]


def settle(events: Sequence[Event], mentions: Sequence[Mapping[str, Any]],
           prior: Sequence[Prior], paths: Mapping[str, str],
           dates: Mapping[str, str | None]) -> tuple[list[Event], list[Merged | Split]]:
    """Events with their settled ids, and the merges and splits against `prior`."""
    by_key = {mention_key(m): m for m in mentions}
    groups = [group_of(e.kind, e.label, e.status) for e in events]
    founded = [founded_id(e, by_key, dates) for e in events]
    by_fp: dict[tuple[Group, Fingerprint], list[int]] = defaultdict(list)
    for j, p in enumerate(prior):
        for f in p.sources:
            by_fp[p.group, f].append(j)
    # nothing to match without previous events (a first run): no fingerprints to take
    fps = [fingerprints(e, paths) for e in events] if by_fp else []
    overlap: dict[tuple[int, int], int] = Counter()
    for i, e_fps in enumerate(fps):
        for f in e_fps:
            for j in by_fp.get((groups[i], f), ()):
                overlap[i, j] += 1
    # one to one, the largest overlap first; among equals the previous event that keeps its
    # date (the one another joined), then the one whose founding evidence it still is, then
    # the ids in order (two of one kind in one sentence pair in order)
    pairs = sorted(overlap, key=lambda ij: (
        -overlap[ij], prior[ij[1]].start != events[ij[0]].start,
        founded[ij[0]] != prior[ij[1]].id, prior[ij[1]].id, founded[ij[0]]))
    kept: dict[int, int] = {}
    claimed: set[int] = set()
    for i, j in pairs:
        if i not in kept and j not in claimed:
            kept[i] = j
            claimed.add(j)
    ids: list[str] = []
    used = {prior[j].id for j in claimed}
    for i in range(len(events)):
        if i in kept:
            ids.append(prior[kept[i]].id)
            continue
        eid, n = founded[i], 1
        while eid in used:  # founded alike (a wire copy's sentence): the next is numbered
            n += 1
            eid = f"{founded[i]}-{n}"
        used.add(eid)
        ids.append(eid)
    changes = _lineage(events, ids, kept, overlap, prior, by_key)
    out = [e if e.id == ids[i] else attrs.evolve(e, id=ids[i]) for i, e in enumerate(events)]
    return out, changes


def _lineage(events: Sequence[Event], ids: Sequence[str], kept: Mapping[int, int],
             overlap: Mapping[tuple[int, int], int], prior: Sequence[Prior],
             by_key: Mapping[str, Mapping[str, Any]]) -> list[Merged | Split]:
    """Merges: a previous event that kept no id, whose sources lie mostly in an event that
    kept another. Splits: a new event that kept no id, with sources of a previous event that
    kept its id elsewhere."""
    claimed = set(kept.values())
    into: dict[int, list[int]] = defaultdict(list)  # new event -> previous events merged in
    split: dict[int, list[int]] = defaultdict(list)  # previous event -> new parts
    best: dict[int, tuple[int, int]] = {}
    for (i, j), n in overlap.items():
        if j not in claimed and (j not in best or (n, -i) > (best[j][1], -best[j][0])):
            best[j] = (i, n)
        if i not in kept and j in claimed:
            split[j].append(i)
    for j, (i, _n) in best.items():
        if i in kept:
            into[i].append(j)
    out: list[Merged | Split] = []
    for i, js in sorted(into.items(), key=lambda kv: ids[kv[0]]):
        e = events[i]
        members = [by_key[k] for k in e.mentions if k in by_key]
        out.append(Merged(ids[i], tuple(sorted(prior[j].id for j in js)), e.story,
                          agreement(members, e.start)))
    for j, parts in sorted(split.items(), key=lambda kv: prior[kv[0]].id):
        out.append(Split(prior[j].id, tuple(sorted(ids[i] for i in parts)),
                         prior[j].story))
    return out


def keep_story_ids(story_of: Mapping[tuple[str, int], str],
                   old: Mapping[tuple[str, int], str],
                   renamed: Mapping[str, str]) -> dict[tuple[str, int], str]:
    """The new stories, each under the id it had: a story keeps the id its founding segment
    gives it when that id is known already (or nothing of it was seen before); otherwise it
    takes the id most of its segments had (a revised document's segments counted under its
    previous version, `renamed`: previous id -> current id), when no other story keeps it."""
    previous: dict[tuple[str, int], str] = {}
    for (d, i), s in old.items():
        previous[(renamed.get(d, d), i)] = s
    members: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for seg, s in story_of.items():
        members[s].append(seg)
    known = set(previous.values())
    rename: dict[str, str] = {}
    claimed = {s for s in members if s in known}
    for s in sorted(members, key=lambda s: (-len(members[s]), s)):
        if s in known:
            continue
        votes = Counter(previous[seg] for seg in members[s] if seg in previous)
        for t, _n in sorted(votes.items(), key=lambda kv: (-kv[1], kv[0])):
            if t not in claimed and t not in members:
                rename[s] = t
                claimed.add(t)
                break
    if not rename:
        return dict(story_of)
    return {seg: rename.get(s, s) for seg, s in story_of.items()}
