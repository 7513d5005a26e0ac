"""The corpus phase's reconstruction in story-closed parts, made by the run's worker processes.

With `--jobs N` the per-document stages run in workers, but the corpus phase ran in the one
writer, with the workers idle: at 1,000 documents on 2 cores that was most of the writer's
CPU, and the writer is what the run waits for. Up to the events' titles a reconstruction
reads nothing beyond the stories of its documents (pipeline.reconstruct_part: dating
rounds, extraction, merging and titles all stay inside a story); only settling the events'
ids (two events founded alike anywhere are numbered), their order and ranks come after. So
the documents are cut into parts closed under stories (`cut`), one per worker, each part
made in a worker from what the run holds (the documents, their timexes, segments, stories
and what the workers made of them ahead), and the parts joined (`join`) into the part one
process would have made, which the writer finishes (pipeline.finish). Every part's dating
rounds run over its own documents only, on the dates and timexes the writer would use.

The log is the one a single process writes: mentions go back in the documents' order,
events in the order of their unsettled ids, the kinds are the whole corpus's. What could
make it differ is not joined but made again in the writer, as without workers: a stage that
failed in a part (the writer records it where it always does), a part lost (its worker
died or hung), two parts' events under one unsettled id (their order is the clustering's).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Protocol

import attrs

from timeline import pipeline
from timeline.ahead import Analyses, slim
from timeline.cli.guard import StageFailed, attempt, seconds

MIN_DOCS = 16  # fewer documents are reconstructed in the writer: parts cost more
GRACE = 30.0  # seconds a part may take beyond its documents' stage budgets


class Pool(Protocol):
    jobs: int

    def submit(self, task: Any) -> None: ...

    def next(self, task: Any) -> Any: ...


def cut(docs: Sequence[pipeline.Doc], story_of: Mapping[tuple[str, int], str],
        n: int) -> list[list[pipeline.Doc]]:
    """At most `n` parts, each closed under stories (documents that share a story, directly
    or through others, are in one part), about equal in text; each in the documents'
    order."""
    parent = {d.id: d.id for d in docs}

    def root(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    first: dict[str, str] = {}
    for (doc, _i), story in story_of.items():
        if doc in parent:
            a, b = root(doc), root(first.setdefault(story, doc))
            if a != b:
                parent[a] = b
    groups: dict[str, list[pipeline.Doc]] = {}
    for d in docs:
        groups.setdefault(root(d.id), []).append(d)
    loads, bins = [0] * n, [[] for _ in range(n)]  # type: list[int], list[list[pipeline.Doc]]
    for g in sorted(groups.values(), key=lambda g: -sum(len(d.text) for d in g)):
        k = loads.index(min(loads))  # the largest group first, to the lightest part
        bins[k] += g
        loads[k] += sum(len(d.text) for d in g)
    pos = {d.id: i for i, d in enumerate(docs)}
    return [sorted(b, key=lambda d: pos[d.id]) for b in bins if b]


def languages(docs: Sequence[pipeline.Doc]) -> list[str]:
    """A short sequence of languages whose kinds (pipeline.kinds_of) are the documents':
    each language where it first occurs (the kinds' order), then where it last occurs
    (which language's kind of a name stands)."""
    langs = [d.language for d in docs]
    return list(dict.fromkeys(langs)) + list(reversed(dict.fromkeys(reversed(langs))))


class _Failed(Exception):
    """A stage failed in a part: the writer makes the reconstruction itself."""


@attrs.frozen
class Made:
    """A part as a worker made it (pipeline.Part without its analyses), and the packed
    analyses of the documents whose names the entity stage still has to find."""

    dates: dict[str, Any]
    anchored: dict[str, list[dict[str, Any]]]
    mentions: list[dict[str, Any]]
    events: list[Any]
    analyses: dict[str, bytes | None]


@attrs.frozen
class Task:
    """One part, sent to a worker (cli/derive.in_worker calls it)."""

    docs: list[pipeline.Doc]
    timexes: dict[str, list[dict[str, Any]]]
    segs: dict[str, list[Any]]
    story_of: dict[tuple[str, int], str]
    ahead: dict[str, Any]  # timeline.ahead.Ahead, without the names (the entity stage's)
    languages: list[str]
    per_mb: float
    sizes: dict[str, int]  # the guard's size of each document
    analyses: frozenset[str]  # the documents whose analysis goes back

    def limit(self) -> float | None:
        if self.per_mb == float("inf"):
            return None
        # date, anchor, analyse, extract (a few rounds) per document, and grace
        return sum(8 * seconds(self.per_mb, s) for s in self.sizes.values()) + GRACE

    def __call__(self) -> Made | None:
        """The part, or None when a stage failed on one of its documents."""
        def guard(doc: pipeline.Doc, stage: str, fn: Callable[[], Any]) -> Any:
            try:
                return attempt(stage, seconds(self.per_mb, self.sizes[doc.id]), self.per_mb,
                               fn)
            except StageFailed:
                raise _Failed from None

        try:
            part = pipeline.reconstruct_part(self.docs, self.timexes, self.segs,
                                             self.story_of, guard, self.ahead,
                                             pipeline.kinds_of(self.languages))
        except _Failed:
            return None
        return Made(part.dates, part.anchored, part.mentions, part.events,
                    {d: slim(part.analysed[d]) for d in self.analyses if d in part.analysed})


def tasks(docs: Sequence[pipeline.Doc], timexes: Mapping[str, list[dict[str, Any]]],
          segs: Mapping[str, list[Any]], story_of: Mapping[tuple[str, int], str],
          ahead: Mapping[str, Any], per_mb: float, sizes: Mapping[str, int],
          n: int) -> list[Task]:
    langs = languages(docs)
    out = []
    for part in cut(docs, story_of, n):
        ids = {d.id for d in part}
        made = {d: attrs.evolve(a, names=None) for d in ids if (a := ahead.get(d)) is not None}
        out.append(Task(part, {d: list(timexes.get(d, [])) for d in ids},
                        {d: segs[d] for d in ids},
                        {k: s for k, s in story_of.items() if k[0] in ids}, made, langs,
                        per_mb, {d: sizes[d] for d in ids},
                        frozenset(d for d in ids if getattr(ahead.get(d), "names", None)
                                  is None)))
    return out


def join(made: Sequence[Made], docs: Sequence[pipeline.Doc]) -> pipeline.Part | None:
    """The parts as one part, as one process makes it; None when two parts' events share an
    unsettled id (which of them comes first is the clustering's)."""
    events = sorted(itertools.chain.from_iterable(m.events for m in made), key=lambda e: e.id)
    if any(a.id == b.id for a, b in itertools.pairwise(events)):
        return None
    pos = {d.id: i for i, d in enumerate(docs)}
    mentions = sorted(itertools.chain.from_iterable(m.mentions for m in made),
                      key=lambda m: pos[m["document"]])
    dates = {k: v for m in made for k, v in m.dates.items()}
    anchored = {k: v for m in made for k, v in m.anchored.items()}
    analysed = Analyses()
    text = {d.id: d.text for d in docs}
    for m in made:
        for d, data in m.analyses.items():
            analysed.put_pickled(d, data, text[d])
    order = [d.id for d in docs if d.id in dates]
    return pipeline.Part({d: dates[d] for d in order}, {d: anchored[d] for d in order},
                         mentions, events, frozenset(), analysed)


def reconstruct(pool: Pool | None, docs: list[pipeline.Doc],
                timexes: dict[str, list[dict[str, Any]]], segs: dict[str, list[Any]],
                story_of: dict[tuple[str, int], str], guard: pipeline.StageGuard,
                prior: Sequence[Any], ahead: Mapping[str, Any] | None, per_mb: float,
                sizes: Mapping[str, int]) -> pipeline.Reconstruction:
    """pipeline.reconstruct, its parts made by `pool`'s workers when there is one and
    enough documents; in this process otherwise, or when a part cannot be joined."""
    todo = tasks(docs, timexes, segs, story_of, ahead or {}, per_mb, sizes, pool.jobs) \
        if pool is not None and len(docs) >= MIN_DOCS else []
    if len(todo) > 1:
        assert pool is not None
        for t in todo:
            pool.submit(t)
        got = [pool.next(t) for t in todo]
        if all(isinstance(g, Made) for g in got):
            part = join(got, docs)
            if part is not None:
                return pipeline.finish(part, docs, prior)
    return pipeline.reconstruct(docs, timexes, segs, story_of, guard=guard, prior=prior,
                                ahead=ahead)
