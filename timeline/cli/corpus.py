"""The corpus phase of `timeline run`: segments, stories and the reconstruction of the
documents a run touched, appended as differences from the current facts.

Each document's stages run under the run's guard (cli/guard.py): a document a stage fails on
is left out of the reconstruction, and the reconstruction runs again without it, so that no
story is shaped by a document whose facts were not all derived.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from typing import Any

from timeline import identity, pipeline, segment
from timeline.cli import parts, progress, story_phase
from timeline.cli.entity_phase import entity_changes
from timeline.cli.guard import Guard, StageFailed, Subject
from timeline.cli.signals import checkpoint
from timeline.pipeline import Excluded
from timeline.store import Store

PER_DOCUMENT = ("DocumentDated", "TimexFound", "MentionFound")


def _doc(row: dict[str, Any]) -> pipeline.Doc:
    """A document row of `store.documents()` as the pipeline's Doc."""
    return pipeline.Doc(row["id"], row["path"], row["language"], row["header"], row["text"],
                        row["body_start"], row["title"])


def corpus_changes(store: Store, engine: str, changed: set[str], removed: set[str],
                   full: bool, guard: Guard, made: dict[str, Any] | None = None,
                   ahead: dict[str, Any] | None = None, pool: parts.Pool | None = None,
                   ) -> tuple[list[Any], list[tuple[str, int, str]], list[str]]:
    """Re-run the corpus-wide stages where they can have changed; append the differences.

    Stories are independent, so only the stories that changed documents touch (closed over
    shared documents) are reconstructed; the rest of the corpus is not re-read. `full`
    (first run, new engine, an interrupted run) reconstructs everything. Documents that
    failed under this engine (now or in an earlier run) are left out; the story cache forgets
    them, so they are not counted in stories until a new engine retries them. `made`: the
    segments worker processes made of new documents (or how that failed), by document;
    `ahead` what they analysed and extracted (timeline.ahead.Ahead); `pool` the workers that
    reconstruct story-closed parts (cli/parts.py).
    """
    all_ids = store.document_ids()
    excluded = guard.excluded_documents() & set(all_ids)
    progress.phase("segmenting documents")
    fresh = _segments(store, engine, [i for i in all_ids if i not in excluded], guard, excluded,
                      made or {})
    old = store.story_cache()
    current = set(all_ids)
    renamed = store.superseded([d for (d, _i) in old if d not in current])
    while True:  # once, and again without the documents a stage failed on
        checkpoint()
        ids = [i for i in all_ids if i not in excluded]
        progress.phase("linking stories")
        linked = story_phase.link(store, engine, ids, changed, full, fresh, old, renamed)
        story_of, affected, segs = linked.story_of, linked.affected, linked.segments
        rows = store.documents(sorted(affected))
        docs = [_doc(r) for r in rows]
        timexes = {d.id: list(store.facts_of("TimexFound", d.id + ":")[1].values())
                   for d in docs}
        # the events these documents had, and their sources: what the new ids are matched to
        if full:
            scope = set(store.current_heads("EventFormed"))
        else:
            scope = store.events_of_documents(sorted(affected | removed))
        prior = _prior(store, scope)
        checkpoint()  # reconstruction is pure and is not cut; a second signal stops at once
        progress.phase("reconstructing stories")
        rec = parts.reconstruct(pool, docs, timexes, {d.id: segs[d.id] for d in docs},
                                story_of, _stage_guard(guard, rows), prior, ahead,
                                guard.per_mb, {r["id"]: subject(r).size for r in rows})
        checkpoint()
        if not rec.excluded:
            break
        excluded |= rec.excluded
    progress.phase("comparing with the log")
    facts = pipeline.reconstruction_facts(rec, engine)
    out: list[Any] = []
    for fact_type in PER_DOCUMENT:
        by_doc: dict[str, list[Any]] = {}
        for f in facts[fact_type]:
            by_doc.setdefault(f.document, []).append(f)
        for d in docs:
            prefix = d.id if fact_type == "DocumentDated" else d.id + ":"
            heads, live = store.facts_of(fact_type, prefix)
            out += pipeline.keyed_changes(fact_type, by_doc.get(d.id, []), heads, live, engine)
    # the events (and their orders and conflicts) these documents had, and have now
    wanted = {f.key for f in facts["EventFormed"]}
    heads, live = store.facts_for("EventFormed", sorted(scope | wanted))
    out += pipeline.keyed_changes("EventFormed", facts["EventFormed"], heads, live, engine)
    events = scope | wanted
    for fact_type, keys in (("OrderAsserted", store.constraint_keys(events)),
                            ("ConflictFound", store.conflict_keys(events))):
        wanted = {f.key for f in facts[fact_type]}
        heads, live = store.facts_for(fact_type, sorted(set(keys) | wanted))
        out += pipeline.keyed_changes(fact_type, facts[fact_type], heads, live, engine)
    out += facts["lineage"]  # merges and splits, after the events they name
    checkpoint()
    progress.phase("finding people, organisations and places")
    out += entity_changes(store, engine, docs, {r["id"]: subject(r) for r in rows}, set(ids),
                          story_of, guard, rec.analysed, ahead)
    return out, [(d, i, s) for (d, i), s in story_of.items() if d in affected], \
        sorted(affected | removed | excluded)


def _prior(store: Store, scope: set[str]) -> list[identity.Prior]:
    rows = store.prior_events(sorted(scope))
    paths = store.version_paths(sorted({d for r in rows for d, _q in r["sources"]}))
    return [identity.prior_of(r, paths) for r in rows]


def subject(row: dict[str, Any]) -> Subject:
    return Subject(row["path"], row["size"] or len(row["text"]), row["sha256"], row["id"])


def _segments(store: Store, engine: str, ids: list[str], guard: Guard,
              excluded: set[str], made: dict[str, Any]) -> dict[str, list[Any]]:
    """Segments of the documents not in the cache yet, computed (under the guard: a document
    that fails is added to `excluded`) and cached; the cached ones are read when needed
    (cli/story_phase.py). What a worker made (`made`) is taken as if computed here: its
    failure is recorded here, in the same place in the log."""
    cached = store.cached_segment_documents(engine)
    segs: dict[str, list[Any]] = {}
    fresh = []
    for row in store.documents([i for i in ids if i not in cached]):
        checkpoint()
        try:
            segs[row["id"]] = guard.run("segment", subject(row), functools.partial(
                _made, made.get(row["id"]), row))
        except Excluded:
            excluded.add(row["id"])
            continue
        fresh.append((row["id"], engine, json.dumps(segment.to_data(segs[row["id"]]))))
    store.put_cache("segment_cache", fresh)
    return segs


def _made(made: Any, row: dict[str, Any]) -> list[Any]:
    """A worker's segments, or its failure raised again, or segments computed now."""
    if isinstance(made, StageFailed):
        raise made
    if made is not None:
        return made
    return segment.segments(row["id"], row["text"], row["body_start"], row["language"])


def _stage_guard(guard: Guard, rows: list[dict[str, Any]]) -> pipeline.StageGuard:
    """The run's guard as the pipeline calls it, per document and stage."""
    subjects = {r["id"]: subject(r) for r in rows}

    def run(doc: pipeline.Doc, stage: str, fn: Callable[[], Any]) -> Any:
        return guard.run(stage, subjects[doc.id], fn)

    return run
