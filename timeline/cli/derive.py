"""The per-document stages of `timeline run`, behind one function: a document in, its facts
out (`document`). It runs in the run's own process (`--jobs 1`) or in a worker process
(cli/pool.py); either way it only computes, and the run records what it returns in input
order, so the log does not depend on where it ran.

A new per-document stage belongs here: add it to `document` and a field to `Derived`.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Callable, Container
from typing import Any, TypeVar

import attrs

from timeline import events as ev
from timeline import ingest, lexicon, pipeline, segment
from timeline.ahead import Ahead, payloads
from timeline.ahead import derive as derive_ahead
from timeline.cli.guard import StageFailed, attempt, seconds
from timeline.temporal import fallback

T = TypeVar("T")


@attrs.frozen
class Settings:
    """What every document of a run is derived with (sent once to each worker)."""

    engine: str
    per_mb: float  # the guard's budget, seconds per MB (inf: none)
    lang: str | None
    max_bytes: int
    segments: bool = False  # also segment (a worker saves the corpus phase that stage)
    # and, with `ahead`, date, analyse and extract (timeline.ahead): what every pool does,
    # since the one writer is what the run waits for (analysis and extraction are about 40%
    # of its CPU in one process); with 2 workers on 2 cores too: at 1,000 docs the writer
    # took 34.0 s CPU with it, 50.5 s without, 53.2 s with --jobs 1 (workers 68.5 s in all)
    ahead: bool = False


@attrs.frozen
class Task:
    """One file's bytes, read by the run."""

    name: str
    raw: bytes
    digest: str


@attrs.frozen
class Derived:
    """What the stages made of one document. `failed` is the stage that failed (the
    document is left out); `rejected` a rejection of the input, phrased for the user."""

    parsed: ingest.Parsed | None = None
    rejected: str | None = None
    failed: StageFailed | None = None
    timexes: list[ev.TimexFound] | None = None  # None: not tagged (already current)
    segments: list[segment.Segment] | StageFailed | None = None
    ahead: Ahead | None = None  # the corpus phase's per-document stages, done ahead


def budget(settings: Settings, size: int) -> float:
    """The guard's budget for a stage of this document (Guard.seconds)."""
    return seconds(settings.per_mb, size)


def document(task: Task, settings: Settings, current: Container[str]) -> Derived:
    """Parse, tag (unless the content is `current` already) and, if asked (a worker),
    segment, analyse and extract (timeline.ahead)."""
    limit = budget(settings, len(task.raw))
    try:
        parsed = attempt("parse", limit, settings.per_mb, lambda: ingest.parse(
            task.name, task.raw, lang=settings.lang, max_bytes=settings.max_bytes),
            ingest.IngestError)
    except ingest.IngestError as exc:
        return Derived(rejected=str(exc))
    except StageFailed as failed:
        return Derived(failed=failed)
    if parsed.document in current:
        return Derived(parsed)
    doc = pipeline.doc_from_parsed(parsed, task.name)
    prepare(doc)
    try:
        timexes = attempt("tag", limit, settings.per_mb, lambda: tag(doc, settings.engine))
    except StageFailed as failed:
        return Derived(parsed, failed=failed)
    if not settings.segments:
        return Derived(parsed, timexes=timexes)
    limit = budget(settings, parsed.size or len(parsed.text))  # the corpus phase's budget

    def run(stage: str, fn: Callable[[], T]) -> T:
        return attempt(stage, limit, settings.per_mb, fn)

    try:
        segs = run("segment", lambda: segment.segments(
            parsed.document, parsed.text, parsed.body_start, parsed.language))
    except StageFailed as failed:
        return Derived(parsed, timexes=timexes, segments=failed)
    tx = [v for t in payloads(timexes) if (v := pipeline.valid_timex(t)) is not None]
    return Derived(parsed, timexes=timexes, segments=segs,
                   ahead=derive_ahead(doc, tx, segs, run, StageFailed) if settings.ahead
                   else None)


def tag(doc: pipeline.Doc, engine: str, date: str | None = None) -> list[ev.TimexFound]:
    """Time expressions of one document, anchored on `date` or its header date."""
    return pipeline.timex_facts(doc, date or pipeline.header_date(doc), engine)


def prepare(doc: pipeline.Doc) -> None:
    """One-off loading a stage needs, outside the document's budget."""
    if doc.language not in lexicon.languages():
        fallback.prepare()  # dateparser's loading is not this document's time


# ------------------------------------------------------------------ in a worker process

_worker: dict[str, Any] = {}


def start_worker(settings: Settings, current: frozenset[str], run_pid: int) -> None:
    """A worker's initializer. Signals are the run's to handle: a Ctrl-C reaches the whole
    process group, and the run stops its workers itself. A run killed outright (SIGKILL,
    the OOM killer) cannot: a worker waits for work forever (its pipe stays open, the
    forkserver with it), so a watchdog ends the worker once the run is gone. The worker
    loads and keeps compiled grammars, parsed resources and patterns as the run does
    (cli/run_cache.py): the run process that next tags a document itself (one added, no
    pool) then compiles none of them."""
    from timeline.cli import run_cache

    run_cache.install_worker()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    _worker["settings"], _worker["current"] = settings, current
    threading.Thread(target=_watch, args=(run_pid,), daemon=True).start()


def _watch(run_pid: int) -> None:
    while True:
        time.sleep(1.0)
        try:
            os.kill(run_pid, 0)
        except ProcessLookupError:
            os._exit(0)
        except OSError:
            pass  # it exists (another user's, in theory): keep waiting


def in_worker(task: Any) -> Any:
    """A document's stages, or a part of the corpus phase (cli/parts.py: it runs itself)."""
    if not isinstance(task, Task):
        return task()
    return document(task, _worker["settings"], _worker["current"])
