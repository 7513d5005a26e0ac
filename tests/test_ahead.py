"""The corpus phase's per-document stages done ahead in a worker (timeline.ahead): the same
facts as the corpus phase computing them, what no longer fits is computed again, and a stage
failing in a worker is recorded where it would have been in one process."""

from __future__ import annotations

import pickle
from collections.abc import Callable
from pathlib import Path
from typing import Any

import attrs
import pytest

from tests.conftest import FIXTURES, SEEDS
from tests.storesql import rows
from tests.test_isolation import MARK, STAGES, Fault, corpus  # noqa: F401 (a fixture)
from timeline import ahead, analyze, dating, entities, extract, ingest, pipeline, segment
from timeline.cli import derive, feed
from timeline.cli.guard import Guard, StageFailed, Subject, attempt

CLI = Callable[..., tuple[int, str, str]]
FAULTS = {**STAGES, "analyze": (analyze, "analyze", 0), "entities": (entities, "mentions", 1)}


def _docs(paths: list[Path]) -> tuple[list[pipeline.Doc], dict[str, Any]]:
    """The documents as the corpus phase sees them, and what a worker made of each."""
    docs, made = [], {}
    for p in paths:
        parsed = ingest.parse(p.name, p.read_bytes())
        got = derive.document(derive.Task(p.name, p.read_bytes(), "x"),
                              derive.Settings("e", float("inf"), None, 10**7, segments=True,
                                              ahead=True),
                              set())
        assert got.ahead is not None and got.timexes is not None
        docs.append(pipeline.doc_from_parsed(parsed, p.name))
        made[parsed.document] = got.ahead
    return docs, made


def _timexes(made: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    return {i: a.anchored for i, a in made.items()}


def test_what_a_worker_made_reconstructs_as_the_corpus_phase_does() -> None:
    docs, made = _docs(sorted(FIXTURES.rglob("*.txt"))[:24])
    segs = {d.id: list(made[d.id].segments) for d in docs}
    alone = pipeline.reconstruct(docs, _timexes(made), segs)
    ahead_ = pipeline.reconstruct(docs, _timexes(made), segs, ahead=made)
    assert ahead_.mentions == alone.mentions
    assert ahead_.events == alone.events and ahead_.ranks == alone.ranks
    assert {m["story"] for m in ahead_.mentions} - {""}  # stories were put in
    assert all(a.mentions is not None and all(m["story"].isdigit()
                                              for m in ahead.unpack(a.mentions))
               for a in made.values())  # and the worker's own mentions left as they were


def test_mentions_that_fit_are_taken_and_the_others_extracted_again(
        monkeypatch: pytest.MonkeyPatch) -> None:
    docs, made = _docs(SEEDS)
    # dated by their own content: not extracted again in a later round
    first, second = [d.id for d in docs if made[d.id].date.date][:2]
    marked = {i: attrs.evolve(a, mentions=ahead.pack([{**m, "trigger": "TAKEN"}
                                                     for m in ahead.unpack(a.mentions)]))
              for i, a in made.items()}
    # the second worker read another date: its mentions do not fit
    marked[second] = attrs.evolve(marked[second], date=dating.UNKNOWN)
    calls: list[str] = []
    real = extract.mentions

    def counted(doc_id: str, *args: Any, **kw: Any) -> Any:
        calls.append(doc_id)
        return real(doc_id, *args, **kw)

    monkeypatch.setattr(extract, "mentions", counted)
    rec = pipeline.reconstruct(docs, _timexes(made), ahead=marked)
    taken = {m["document"] for m in rec.mentions if m["trigger"] == "TAKEN"}
    assert first in taken and second not in taken
    assert second in calls and first not in calls


def test_a_failure_in_a_worker_is_recorded_in_its_stage() -> None:
    docs, made = _docs(SEEDS[:3])
    bad = docs[1].id
    made[bad] = attrs.evolve(made[bad], mentions=None,
                             failed=("extract", StageFailed("extract", "ValueError", "boom")))
    guard = Guard("e", float("inf"), [])
    subjects = {d.id: Subject(d.path, len(d.text), "x", d.id) for d in docs}

    def run(doc: pipeline.Doc, stage: str, fn: Callable[[], Any]) -> Any:
        return guard.run(stage, subjects[doc.id], fn)

    rec = pipeline.reconstruct(docs, _timexes(made), guard=run, ahead=made)
    assert rec.excluded == {bad}
    (failed,) = guard.failed
    assert (failed.stage, failed.error, failed.message) == ("extract", "ValueError", "boom")


def test_a_stage_failure_raised_again_keeps_its_stage_and_error() -> None:
    again = StageFailed("segment", "KeyError", "'x'")

    def fail() -> None:
        raise again

    with pytest.raises(StageFailed) as got:
        attempt("other", 10.0, float("inf"), fail)
    assert got.value is again


def test_an_analysis_travels_without_its_text_and_comes_back_whole() -> None:
    text = SEEDS[0].read_text(encoding="utf-8")
    real = analyze.analyze(text, "en")
    data = ahead.slim(real)
    assert data is not None and ahead.unpack(data).text == ""  # the corpus phase has it
    kept = ahead.Analyses(keep=1)
    kept.put_pickled("a", data, text)
    kept.put_pickled("b", data, text)
    kept.put("c", None)
    back = kept["a"]
    assert (back.text, back.tokens, back.sentences, back.names) == \
        (real.text, real.tokens, real.sentences, real.names)
    assert kept["a"] is back  # kept while it is read
    assert kept["b"] is not back and kept["a"] is not back  # one at a time (keep=1)
    assert set(kept) == {"a", "b", "c"} and set(kept.present()) == {"a", "b"}
    assert pickle.loads(pickle.dumps(ahead.Ahead(None, [], []))) == ahead.Ahead(None, [], [])


def test_a_stage_that_holds_the_analyses_unpacks_each_document_once() -> None:
    """Titles visit documents in event order (a, b, a, b, ...): held, each is unpacked and
    indexed once; after the stage the window is back to its size."""
    text = SEEDS[0].read_text(encoding="utf-8")
    data = ahead.slim(analyze.analyze(text, "en"))
    kept = ahead.Analyses(keep=1)
    for doc in "abc":
        kept.put_pickled(doc, data, text)
    with kept.held():
        first = {doc: kept[doc] for doc in "abc"}
        first["a"].derived["phrases"] = "an index"
        again = [kept[doc] for doc in "abcabc"]
    assert kept.loads == 3 and all(a is first[d] for a, d in zip(again, "abcabc", strict=True))
    assert first["a"].derived == {}  # let go after the stage, its indexes with it
    assert kept["c"] is first["c"] and kept.loads == 3  # the window keeps the latest one
    kept["a"]
    assert kept.loads == 4  # unheld: one at a time again


class InlinePool:
    """The worker's derivation in this process, so that a fault injected here reaches it."""

    jobs = 2

    def __init__(self, settings: derive.Settings, current: Any) -> None:
        self.settings, self.current = settings, frozenset(current)

    def submit(self, task: derive.Task) -> None:
        pass

    def next(self, task: derive.Task) -> derive.Derived:
        return derive.document(task, self.settings, self.current)

    def close(self, kill: bool = False) -> None:
        pass


def _log(db: str) -> list[tuple[Any, ...]]:
    return rows(db, "SELECT event_id, type, stream, data FROM log WHERE type NOT IN "
                "('RunStarted', 'RunFinished') ORDER BY seq")


@pytest.mark.parametrize("stage", ["segment", "date", "analyze", "extract", "entities"])
def test_a_stage_failing_in_a_worker_makes_the_same_log_as_in_one_process(
        stage: str, cli: CLI, corpus: tuple[Path, Path],  # noqa: F811
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Both runs without a time budget (`--doc-budget 0`): the budget is wall-clock time, the
    one input of these logs that depends on the machine's load, and a document over it at
    load 12 (once, in the entities case on PostgreSQL: the logs differed in the ingest
    records, which on a fresh store read nothing from it) is not what this test is about
    (tests/test_isolation.py is)."""
    _good, mixed = corpus
    Fault(monkeypatch, stage) if stage in STAGES else _fault(monkeypatch, stage)
    code, _, err = cli("--db", "one.db", "run", "--doc-budget", "0", "--jobs", "1", str(mixed))
    assert code == 1 and f"internal error in {stage}: ValueError: injected fault" in err
    monkeypatch.setattr(feed, "_pool", lambda _jobs, settings, current, _start=None: InlinePool(
        attrs.evolve(settings, segments=True, ahead=True), current))
    code, _, err2 = cli("--db", "two.db", "run", "--doc-budget", "0", "--jobs", "2", str(mixed))
    assert code == 1 and f"internal error in {stage}: ValueError: injected fault" in err2
    assert _log(cli.db("two.db")) == _log(cli.db("one.db"))


def _fault(monkeypatch: pytest.MonkeyPatch, stage: str) -> None:
    module, name, arg = FAULTS[stage]
    real = getattr(module, name)

    def wrapper(*args: Any, **kw: Any) -> Any:
        if MARK in args[arg]:
            raise ValueError("injected\nfault")
        return real(*args, **kw)

    monkeypatch.setattr(module, name, wrapper)


def test_segments_are_the_workers() -> None:
    docs, made = _docs(SEEDS[:1])
    d = docs[0]
    assert list(made[d.id].segments) == segment.segments(d.id, d.text, d.body_start, d.language)
