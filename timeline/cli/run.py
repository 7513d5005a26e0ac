"""`timeline run`: read files, plan events with the pure stages, append them in batches.

Each batch is one transaction holding documents together with the facts derived from them,
so a run killed at any moment leaves whole documents or none. Corpus-wide stages (dating,
reconciliation) are recomputed after the batches and appended as differences.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import os
import time
from collections.abc import Iterator
from typing import Any

import attrs

from timeline import events as ev
from timeline import pipeline
from timeline.cli import (
    BATCH_DOCS,
    EXIT_LOCKED,
    EXIT_OK,
    EXIT_REJECTED,
    UsageError,
    collect,
    derive,
    err,
    iter_interval,
    new_run_id,
    now_iso,
    progress,
    summary,
)
from timeline.cli.feed import POOL_MIN, feed, read
from timeline.cli.guard import Guard, StageFailed, Subject
from timeline.cli.lock import LockHeld, hold_lock
from timeline.cli.pool import Lost
from timeline.cli.signals import (
    Interrupted,
    StopFlag,
    StopRequested,
    checkpoint,
    exit_code,
    stop_signal,
    stopping,
)
from timeline.engine import engine_version
from timeline.paths import escape_path
from timeline.pipeline import Excluded
from timeline.store import Store, connect
from timeline.store.shown import document_count, timeline_count, timeline_rows

PER_DOC_FACTS = ("TimexFound", "MentionFound")


def run_command(args: argparse.Namespace) -> int:
    """A run, or runs `--every` INTERVAL until a signal. The first SIGTERM/SIGINT stops after
    the current batch (exit 128+signum: the run is left unfinished and the next run completes
    it); a second stops at once, rolling back the open transaction. A signal while `--every`
    waits between runs ends the loop with the last run's status: nothing was cut short."""
    with StopFlag() as stop:
        try:
            if not args.every:
                return run_locked(args)
            interval = iter_interval(args.every)
            status = EXIT_OK
            while not stop:
                started = time.monotonic()
                status = run_locked(args)
                stop.sleep_until(started + interval)
            return status
        except Interrupted as exc:
            err(f"signal {exc.signum}: stopped at once; the log holds whole batches only, "
                f"the next run completes the rest")
            return exit_code(exc.signum)


def run_locked(args: argparse.Namespace) -> int:
    """One run under the writer's lock; a busy lock is exit 75 (the --every loop goes on)."""
    run_id = new_run_id()
    try:
        with hold_lock(args.db, args.wait, f"run {run_id}"):
            return run_once(args, run_id)
    except LockHeld as exc:
        err(str(exc))
        return EXIT_LOCKED


class Appender:
    """Collects events and appends them; the run's RunStarted goes with the first batch.
    `shown_before` is what `show` listed before the first append (the summary's
    comparison), read then, not at the start: a re-run that appends nothing (most scheduled
    runs) never reads the timeline, which holds a row per event of the corpus."""

    def __init__(self, store: Store, run_id: str, started: Any, quiet: bool = True) -> None:
        self.store, self.run_id, self.started = store, run_id, started
        self.appended = 0
        self.opened = False
        self.quiet = quiet
        self.shown_before: dict[str, tuple[Any, ...]] | None = None

    def open(self) -> None:
        """Record the run even if it appends nothing else (a new engine version)."""
        if not self.opened:
            self._write([])

    def append(self, batch: list[Any]) -> None:
        if batch:
            self._write(batch)

    def _write(self, batch: list[Any]) -> None:
        if not self.opened:
            batch = [self.started, *batch]
        if self.shown_before is None and not self.quiet:
            self.shown_before = timeline_rows(self.store)
        seqs = self.store.append(batch, recorded_at=now_iso(), run_id=self.run_id)
        self.opened = self.opened or bool(seqs)
        self.appended += len(seqs)


@contextlib.contextmanager
def _fewer_collections() -> Iterator[None]:
    """A run holds hundreds of megabytes of long-lived objects that form no cycles (texts,
    analyses, mentions, payloads); with the default thresholds the collector walks all of
    them again as they grow, about a tenth of a 1,000-document run's CPU. Young cycles are
    still collected; the thresholds come back when the run ends."""
    old = gc.get_threshold()
    gc.set_threshold(100_000, 50, 100)
    try:
        yield
    finally:
        gc.set_threshold(*old)


def run_once(args: argparse.Namespace, run_id: str) -> int:
    with connect(args.db) as store, _fewer_collections():
        store.catch_up()
        try:
            return _run(args, store, run_id)
        except StopRequested:  # a signal during the corpus-wide stages: nothing of them landed
            if not args.quiet:
                err(f"run {run_id}: stopped by a signal before the corpus-wide stages ended; "
                    f"the documents read have landed, the next run completes it")
            return exit_code(stop_signal() or 15)
        finally:
            progress.stop()


def _run(args: argparse.Namespace, store: Store, run_id: str) -> int:
    engine = engine_version()
    files, problems = collect(args.paths)
    started = ev.RunStarted(run_id=run_id, started_at=now_iso(), engine=engine,
                            paths=[escape_path(p) for p in args.paths])
    out = Appender(store, run_id, started, quiet=args.quiet)
    counts = {"seen": len(files), "new": 0, "revised": 0, "rejected": 0, "unchanged": 0,
              "failed": 0}
    guard = Guard(engine, args.doc_budget, store.failures())
    by_path, current = store.document_index()
    seen_files = store.file_cache()
    cache_rows: list[tuple[str, int, int, str]] = []
    changed: set[str] = set()
    removed: set[str] = set()
    pending: list[Any] = []
    rejections: list[Any] = []

    def reject(path: str, reason: str, digest: str | None) -> None:
        err(f"{path}: {reason}")
        counts["rejected"] += 1
        rejections.append(ev.DocumentRejected(path=path, reason=reason, sha256=digest))

    for path, problem in problems:
        reject(path, problem, None)
    progress.start(len(files), quiet=args.quiet)
    settings = derive.Settings(engine, guard.per_mb, args.lang, args.max_bytes)
    segments: dict[str, Any] = {}  # what workers segmented, for the corpus phase
    ahead: dict[str, Any] = {}  # and analysed and extracted (timeline.ahead)

    def unchanged(name: str, st: Any) -> bool:
        """Same size and mtime as when we read it: not read again."""
        hit = seen_files.get(name)
        return bool(hit and hit[:2] == (st.st_size, st.st_mtime_ns) and hit[2] in current
                    and by_path.get(name) == hit[2])

    def known(digest: str) -> dict[str, Any] | None:
        return guard.known(sha256=digest)

    # --jobs N: workers; by default workers for as many cores once there are enough
    # documents to gain from them; --executor dask://: the cluster's, for any number
    cluster = _cluster(args, engine)
    items = feed(files, settings, args.jobs or os.cpu_count() or 1, current, unchanged, known,
                 1 if args.jobs or cluster else POOL_MIN, cluster and cluster.pool)
    with cluster or contextlib.nullcontext(), contextlib.closing(items):
        for item in items:
            if stopping():
                break  # a document boundary: what is read lands whole, the rest waits
            name = item.name
            progress.advance()
            if item.st is None:
                reject(name, item.problem or "cannot read", None)
                continue
            if unchanged(name, item.st):
                counts["unchanged"] += 1
                continue
            if item.task is None and item.problem is None:  # it was unchanged when scanned
                read(item, args.max_bytes, known)
            if item.problem is not None or item.task is None:
                reject(name, item.problem or "cannot read", None)
                continue
            task = item.task
            if item.known and item.known.get("document") not in current:  # failed before
                guard.report_known(name, item.known)
                counts["failed"] += 1
                continue
            got = item.ticket.get() if item.ticket else derive.document(task, settings, current)
            about = Subject(name, len(task.raw), task.digest)
            if isinstance(got, Lost):
                guard.record(StageFailed("worker", got.error, got.message), about)
                counts["failed"] += 1
                continue
            if got.rejected is not None:
                reject(name, got.rejected, task.digest)
                continue
            parsed = got.parsed
            if parsed is None:  # parsing failed
                assert got.failed is not None
                guard.record(got.failed, about)
                counts["failed"] += 1
                continue
            if parsed.warning:
                err(f"{name}: warning: {parsed.warning}")
            planned = pipeline.plan_ingest(parsed, name, by_path, current)
            try:
                batch = planned and _document_batch(
                    store, planned, pipeline.doc_from_parsed(parsed, name), engine, guard,
                    attrs.evolve(about, document=parsed.document), got)
            except Excluded:  # nothing of it lands; the same content is not tried again
                counts["failed"] += 1
                continue
            if by_path.get(name, parsed.document) == parsed.document:
                cache_rows.append((name, item.st.st_size, item.st.st_mtime_ns, parsed.document))
            if planned is None:
                counts["unchanged"] += 1
                continue
            if got.segments is not None:
                segments[parsed.document] = got.segments
            if got.ahead is not None:
                ahead[parsed.document] = got.ahead
            counts["revised" if planned.type == "DocumentRevised" else "new"] += 1
            current.add(parsed.document)
            changed.add(parsed.document)
            if planned.type == "DocumentRevised":
                removed.add(planned.previous)
                current.discard(planned.previous)
                cache_rows.append((name, item.st.st_size, item.st.st_mtime_ns, parsed.document))
            by_path[name] = parsed.document
            pending.append(batch)
            if len(pending) >= BATCH_DOCS:
                out.append([e for batch in pending for e in batch])
                pending = []
    counts["failed"] += _report_known(guard, by_path)
    out.append([e for batch in pending for e in batch] + rejections + guard.failed)
    reported = len(guard.failed)
    if stopping():
        return _stopped(args, store, run_id, counts, out, cache_rows)

    last_engine = store.last_engine()
    stale_engine = last_engine not in (None, engine)
    full = stale_engine or _unfinished(store, run_id) or last_engine is None
    if stale_engine or out.opened or (full and store.head() > 0):
        # here, not at the top: a re-run that appends nothing (most scheduled runs) never
        # links, dates or merges, and these modules are a tenth of its CPU time
        from timeline.cli.corpus import corpus_changes

        if stale_engine:
            out.open()  # a new engine is recorded even when it changes nothing
            _rederive_all(store, out, engine, guard)
        facts, stories, touched = corpus_changes(store, engine, changed, removed, full, guard,
                                                  segments, ahead)
        out.append(facts + guard.failed[reported:])
        store.put_cache("story_cache", stories, clear_documents=touched)
    store.put_cache("file_cache", cache_rows)
    progress.stop()
    counts["failed"] += len(guard.failed) - reported
    if out.opened:
        counts["appended"] = out.appended + 1
        store.append([ev.RunFinished(run_id=run_id, finished_at=now_iso(), counts=counts)],
                     recorded_at=now_iso(), run_id=run_id)
    if not args.quiet:
        if out.shown_before is None:  # nothing was appended: the timeline is as it was
            events, moved = timeline_count(store), {}
        else:
            shown = timeline_rows(store)
            events, moved = len(shown), summary.changes(out.shown_before, shown)
        err(summary.line(run_id, counts, document_count(store), events, moved,
                         out.appended + int(out.opened)))
    return EXIT_REJECTED if counts["rejected"] or counts["failed"] else EXIT_OK


def _cluster(args: argparse.Namespace, engine: str) -> Any:
    """--executor dask://HOST:PORT: connected now (a UsageError, exit 2, if it cannot be)."""
    if args.executor == "local":
        return None
    if args.jobs:
        raise UsageError(f"--jobs is for --executor local; {args.executor} has its own workers")
    from timeline.cli.dask_pool import Cluster

    return Cluster(args.executor, engine)


def _report_known(guard: Guard, by_path: dict[str, str]) -> int:
    """Current documents left out of reconstruction because they failed under this engine
    in an earlier run: one line each, every run, as a rejected file is."""
    n = 0
    for path, doc in sorted(by_path.items()):
        known = guard.known(document=doc)
        if known:
            guard.report_known(path, known)
            n += 1
    return n


def _stopped(args: argparse.Namespace, store: Store, run_id: str, counts: dict[str, int],
             out: Appender, cache_rows: list[tuple[str, int, int, str]]) -> int:
    """A signal asked us to stop: no corpus phase and no RunFinished, so the next run sees
    an unfinished run and reconstructs everything. The documents read so far have landed."""
    store.put_cache("file_cache", cache_rows)
    if not args.quiet:
        err(f"run {run_id}: stopped by a signal after {counts['new']} new, "
            f"{counts['revised']} revised, {counts['unchanged']} unchanged, "
            f"{counts['rejected']} rejected of {counts['seen']} files; {out.appended} events "
            f"appended; the next run completes it")
    return exit_code(stop_signal() or 15)


def _unfinished(store: Store, current_run: str) -> bool:
    """Did an earlier run stop before its end (killed, crashed)? Then trust nothing
    incremental: the next run reconstructs everything."""
    return store.unfinished_runs(besides=current_run) > 0


def _document_batch(store: Store, planned: Any, doc: pipeline.Doc, engine: str, guard: Guard,
                    about: Subject, got: derive.Derived) -> list[Any]:
    """A document event together with its per-document facts (and the retraction of the
    facts of the version it replaces), so they land in one transaction. Raises Excluded
    when tagging it failed."""
    if got.failed is not None:
        guard.record(got.failed, about)
        raise Excluded(doc.id)
    timexes = derive_document(store, doc, engine, guard=guard, about=about,
                              found=got.timexes)
    batch: list[Any] = [planned]
    previous = getattr(planned, "previous", None)
    if previous:
        for fact in (*PER_DOC_FACTS, "DocumentDated"):
            heads, live = store.facts_of(fact, previous)
            batch += pipeline.keyed_changes(fact, [], heads, live, engine)
    return batch + timexes


def derive_document(store: Store, doc: pipeline.Doc, engine: str, date: str | None = None,
                    *, guard: Guard, about: Subject,
                    found: list[ev.TimexFound] | None = None) -> list[Any]:
    """Time expressions of one document, anchored on its current date if it has one (or
    `found` already), as changes to the ones it has."""
    if found is None:
        derive.prepare(doc)
        found = guard.run("tag", about, lambda: derive.tag(doc, engine, date))
    heads, live = store.facts_of("TimexFound", doc.id + ":")
    return pipeline.keyed_changes("TimexFound", found, heads, live, engine)


def _rederive_all(store: Store, out: Appender, engine: str, guard: Guard) -> None:
    """A new engine or resource version: re-derive every document, append what changed. A
    document that fails keeps its facts and is left out of the corpus phase."""
    batch: list[Any] = []
    from timeline.cli.corpus import _doc, subject

    progress.phase("deriving time expressions again (a new engine)")
    for row in store.documents():
        checkpoint()
        if guard.known(document=row["id"]):
            continue
        try:
            batch += derive_document(store, _doc(row), engine, row["date"], guard=guard,
                                     about=subject(row))
        except Excluded:
            continue
        if len(batch) >= 2000:
            out.append(batch)
            batch = []
    out.append(batch)
