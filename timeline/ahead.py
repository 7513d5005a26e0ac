"""The corpus phase's per-document stages, done ahead in a worker process.

Analysis, the first round of extraction and entity mentions read one document only, so a
worker (cli/derive.py) runs them next to parsing and tagging, and the corpus phase takes
what it made instead of computing it again (pipeline.reconstruct, cli/entity_phase.py).
Extraction reads the document's date and its timexes anchored on it, which the corpus phase
decides (dating rounds re-anchor timexes): the worker extracts on the date the first round
gives (dating.from_content) and records what it read; the corpus phase uses the mentions
only when its own inputs are the same, and extracts again otherwise. Mentions carry their
story, which is corpus-wide: the worker leaves a segment's position in its place, the corpus
phase puts the story there (`with_stories`).

The run holds what workers made of every new document until the corpus phase, so the bulky
parts stay packed (`pack`: a pickle, compressed; 10 KB per document where the objects take
100): the mentions until the corpus phase takes them, the analysis (without its text or
derived indexes) until a stage still reads it (titles, a later round of extraction).

What a load costs decides whether the worker's analysis saves the writer anything: a load
is about a third of analysing (unpickling, then the indexes titles read, `phrases.index`,
built again). Titles read a few mentions of each event in event order, which visits a
document again and again: with a small window of unpacked documents, 1,000 documents were
unpacked 2,900 times and indexed as often, which cost the writer more than analysing them
once. So a stage that reads in such an order holds what it opened until it ends
(`Analyses.held`): each document is unpacked and indexed once.
"""

from __future__ import annotations

import contextlib
import json
import pickle
import zlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any, TypeVar

import attrs

from timeline import events as ev

T = TypeVar("T")
Attempt = Callable[[str, Callable[[], Any]], Any]  # (stage, fn) -> fn(), or raises


@attrs.frozen
class Ahead:
    """What a worker made of one document for the corpus phase. `failed`: the stage that
    failed and its failure (the corpus phase records it in that stage's place)."""

    date: Any  # dating.Dating the mentions were extracted on
    anchored: list[dict[str, Any]]  # the timexes they were extracted on
    segments: Sequence[Any]  # and the segments
    analysis: bytes | None = None  # `slim` analysis, packed; None: a language it lacks
    mentions: bytes | None = None  # packed; story: the segment's position, as text
    names: list[Any] | None = None  # entities.Mention
    failed: tuple[str, Exception] | None = None


def payloads(timexes: Sequence[ev.TimexFound]) -> list[dict[str, Any]]:
    """The timexes as the corpus phase reads them back from the log (JSON, in key order)."""
    return [json.loads(ev.canonical_json(ev.to_data(t)))
            for t in sorted(timexes, key=lambda t: t.key)]


def derive(doc: Any, timexes: list[dict[str, Any]], segs: Sequence[Any], run: Attempt,
           failure: type[Exception]) -> Ahead | None:
    """The first round of the corpus phase's per-document stages, under `run`; a `failure`
    stops them there. None: dating or anchoring failed (the corpus phase does them again)."""
    from timeline import dating, entities, extract, pipeline

    try:
        date = run("date", lambda: dating.from_content(doc, timexes))
        anchored = run("anchor", lambda: pipeline._anchor(timexes, date.date))
    except failure:
        return None
    got = Ahead(date, anchored, segs)
    try:
        analysed = run("analyze", lambda: pipeline.analysis(doc))
    except failure as exc:
        return attrs.evolve(got, failed=("analyze", exc))
    got = attrs.evolve(got, analysis=slim(analysed))
    places = {(s.document, s.index): str(i) for i, s in enumerate(segs)}
    try:
        found = run("extract", lambda: extract.mentions(
            doc.id, doc.text, doc.language, segs, places, anchored, date.date, analysed))
    except failure as exc:
        return attrs.evolve(got, failed=("extract", exc))
    got = attrs.evolve(got, mentions=pack(found))
    try:
        names = run("entities", lambda: entities.mentions(doc.id, doc.text, doc.language,
                                                          analysed))
    except failure as exc:
        return attrs.evolve(got, failed=("entities", exc))
    return attrs.evolve(got, names=names)


def fits(got: Ahead, date: Any, anchored: list[dict[str, Any]], segs: Sequence[Any]) -> bool:
    """Did the worker extract on these very inputs (its mentions, or its failure, stand)?"""
    return (got.mentions is not None or (got.failed or ("",))[0] == "extract") \
        and got.date == date and got.anchored == anchored and list(got.segments) == list(segs)


def with_stories(got: Ahead, story_of: Mapping[tuple[str, int], str]) -> list[dict[str, Any]]:
    """The worker's mentions, each with its segment's story (new dicts: `got` stays as is,
    for a reconstruction that runs again)."""
    segs = got.segments
    stories = [story_of.get((s.document, s.index), "") for s in segs]
    assert got.mentions is not None
    return [{**m, "story": stories[int(m["story"])]} for m in unpack(got.mentions)]


def pack(value: Any) -> bytes:
    return zlib.compress(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL), 1)


def unpack(data: bytes) -> Any:
    return pickle.loads(zlib.decompress(data))


def slim(analysed: Any) -> bytes | None:
    """The analysis without its text (the corpus phase has it) and derived indexes."""
    if analysed is None:
        return None
    from timeline.analyze.document import Analysed

    return pack(Analysed("", analysed.lang, analysed.tokens, analysed.sentences,
                         analysed.names))


class Analyses(Mapping[str, Any]):
    """Documents' analyses, kept pickled where a worker made them: one is unpickled when a
    stage reads it and kept while `keep` others are read after it (titles read a few
    mentions of each event, in event order)."""

    def __init__(self, keep: int = 256) -> None:
        self._made: dict[str, Any] = {}  # doc id -> Analysed | None, or (bytes, text)
        self._open: dict[str, Any] = {}  # unpickled, oldest first
        self._keep = keep
        self._held = 0  # > 0: inside `held`, nothing opened is let go
        self.loads = 0  # unpickled so far (a figure for benchmarks)

    def put(self, doc: str, analysed: Any) -> None:
        self._made[doc] = analysed

    def put_pickled(self, doc: str, data: bytes | None, text: str) -> None:
        self._made[doc] = None if data is None else _Pickled(data, text)

    def __getitem__(self, doc: str) -> Any:
        got = self._made[doc]
        if not isinstance(got, _Pickled):
            return got
        hit = self._open.pop(doc, None)
        if hit is None:
            hit = got.load()
            self.loads += 1
            if not self._held:
                self._trim(self._keep - 1)
        self._open[doc] = hit
        return hit

    def _trim(self, keep: int) -> None:
        while len(self._open) > max(0, keep):
            # its indexes (openclass, phrases) point back at it: without them it is freed
            # now, not at the next full collection, which a large heap makes rare
            self._open.pop(next(iter(self._open))).derived.clear()

    @contextlib.contextmanager
    def held(self) -> Iterator[Analyses]:
        """Every analysis opened inside stays open (with its indexes) until the end, then
        the window shrinks back to `keep`: for a stage that visits documents in an order of
        its own (titles: event order). It holds no more than a run in one process does,
        which keeps every analysis it made."""
        self._held += 1
        try:
            yield self
        finally:
            self._held -= 1
            if not self._held:
                self._trim(self._keep)

    def __iter__(self) -> Iterator[str]:
        return iter(self._made)

    def __len__(self) -> int:
        return len(self._made)

    def __contains__(self, doc: object) -> bool:
        return doc in self._made

    def present(self) -> Analyses:
        """Only the documents that have an analysis (a language it covers)."""
        out = Analyses(self._keep)
        out._made = {k: v for k, v in self._made.items() if v is not None}
        out._open = self._open
        return out


@attrs.frozen
class _Pickled:
    data: bytes
    text: str

    def load(self) -> Any:
        from timeline.analyze.document import Analysed

        a = unpack(self.data)
        return Analysed(self.text, a.lang, a.tokens, a.sentences, a.names)
