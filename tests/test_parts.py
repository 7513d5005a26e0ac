"""The corpus phase's reconstruction in story-closed parts (timeline/cli/parts.py): the parts,
made apart and joined, are the reconstruction one process makes; what cannot be joined as
it would be is made again in the run's process."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.conftest import FIXTURES
from tests.test_ahead import _docs, _timexes
from timeline import dating, pipeline, segment
from timeline.cli import parts
from timeline.cli.guard import Guard, Subject


class InProcess:
    """A pool that runs each part when its result is asked for (cli/pool.py's interface)."""

    jobs = 2

    def __init__(self) -> None:
        self.ran: list[Any] = []

    def submit(self, task: Any) -> None:
        pass

    def next(self, task: Any) -> Any:
        self.ran.append(task)
        return task()


@pytest.fixture(scope="module")
def corpus() -> tuple[list[pipeline.Doc], dict[str, Any], dict[str, list[Any]],
                      dict[tuple[str, int], str]]:
    docs, made = _docs(sorted(FIXTURES.rglob("*.txt")))
    segs = {d.id: list(made[d.id].segments) for d in docs}
    story_of = segment.stories([s for d in docs for s in segs[d.id]],
                               dates={d.id: d.header.get("date") for d in docs})
    return docs, made, segs, story_of


def test_parts_are_closed_under_stories_and_keep_the_documents_order(corpus: Any) -> None:
    docs, _made, _segs, story_of = corpus
    cut = parts.cut(docs, story_of, 3)
    assert len(cut) == 3
    assert sorted(d.id for p in cut for d in p) == sorted(d.id for d in docs)
    part_of = {d.id: i for i, p in enumerate(cut) for d in p}
    by_story: dict[str, set[int]] = {}
    for (doc, _i), story in story_of.items():
        by_story.setdefault(story, set()).add(part_of[doc])
    assert all(len(v) == 1 for v in by_story.values())
    order = [d.id for d in docs]
    assert all([d.id for d in p] == [i for i in order if part_of[i] == n]
               for n, p in enumerate(cut))


def test_a_part_reads_the_kinds_of_the_whole_corpus(corpus: Any) -> None:
    docs = corpus[0]
    langs = {d.language for d in docs}
    assert len(langs) > 1  # the fixtures mix languages, so the order matters
    mixed = [*docs, docs[0]]  # the first one's language last as well
    whole = pipeline.kinds_of(d.language for d in mixed)
    short = pipeline.kinds_of(parts.languages(mixed))
    assert list(short.items()) == list(whole.items())


def test_parts_joined_are_the_reconstruction_of_one_process(corpus: Any) -> None:
    docs, made, segs, story_of = corpus
    timexes = _timexes(made)
    one = pipeline.reconstruct(docs, timexes, segs, story_of, ahead=made)
    pool = InProcess()
    joined = parts.reconstruct(pool, docs, timexes, segs, story_of, lambda d, s, fn: fn(), (),
                               made, float("inf"), {d.id: len(d.text) for d in docs})
    assert len(pool.ran) == 2 and all(len(t.docs) < len(docs) for t in pool.ran)
    assert joined.mentions == one.mentions and joined.events == one.events
    assert joined.constraints == one.constraints and joined.ranks == one.ranks
    assert list(joined.dates.items()) == list(one.dates.items())
    assert pipeline.reconstruction_facts(joined, "e") == pipeline.reconstruction_facts(one, "e")


def test_a_stage_failing_in_a_part_is_recorded_by_the_run_as_in_one_process(
        corpus: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    docs, made, segs, story_of = corpus
    bad = docs[5].id
    real = dating.from_content

    def from_content(doc: pipeline.Doc, *args: Any) -> Any:
        if doc.id == bad:
            raise ValueError("boom")
        return real(doc, *args)

    monkeypatch.setattr(dating, "from_content", from_content)
    guard = Guard("e", float("inf"), [])
    subjects = {d.id: Subject(d.path, len(d.text), "x", d.id) for d in docs}

    def run(doc: pipeline.Doc, stage: str, fn: Callable[[], Any]) -> Any:
        return guard.run(stage, subjects[doc.id], fn)

    pool = InProcess()
    rec = parts.reconstruct(pool, docs, _timexes(made), segs, story_of, run, (), made,
                            float("inf"), {d.id: len(d.text) for d in docs})
    assert pool.ran and rec.excluded == {bad}  # made again here, where the guard records
    (failed,) = guard.failed
    assert (failed.stage, failed.document, failed.error) == ("date", bad, "ValueError")


def test_few_documents_are_not_cut(corpus: Any) -> None:
    docs, made, segs, story_of = corpus
    few = docs[:parts.MIN_DOCS - 1]
    pool = InProcess()
    parts.reconstruct(pool, few, _timexes(made), segs, story_of, lambda d, s, fn: fn(), (),
                      made, float("inf"), {d.id: len(d.text) for d in few})
    assert pool.ran == []
