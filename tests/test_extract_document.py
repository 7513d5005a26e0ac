"""Extraction of one document without the corpus (extract.document_mentions): what a
worker process can run, the story ids stamped afterwards by the corpus (with_stories)."""

from __future__ import annotations

import copy
import pickle
from pathlib import Path

from timeline import analyze, extract, ingest, segment
from timeline.temporal import tag

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "crash"


def _inputs(path: Path) -> tuple[ingest.Parsed, list, list, str | None]:
    p = ingest.parse(path.name, path.read_bytes())
    ref = (p.header.get("date") or "")[:10] or None
    segs = segment.segments(p.document, p.text, p.body_start, p.language)
    txs = [{**t.to_json(), "timex_type": t.type, "relation": t.relation}
           for t in tag(p.text, ref, p.language)]
    return p, segs, txs, ref


def test_one_document_extracts_as_the_corpus_does_then_takes_its_stories() -> None:
    docs = [_inputs(path) for path in sorted(FIXTURES.glob("*.txt"))]
    story_of = segment.stories([s for _p, segs, _t, _r in docs for s in segs])
    for p, segs, txs, ref in docs:
        whole = extract.mentions(p.document, p.text, p.language, segs, story_of, txs, ref,
                                 analyze.analyze(p.text, p.language))
        alone = extract.document_mentions(p.document, p.text, p.language, segs, txs, ref,
                                          analyze.analyze(p.text, p.language))
        assert whole and len(alone) == len(whole)
        # before the corpus stamps them, mentions name their segment, not a story
        assert {m["story"] for m in alone} <= {(s.document, s.index) for s in segs}
        # what a worker returns crosses a process boundary
        shipped = pickle.loads(pickle.dumps(alone))
        assert extract.with_stories(copy.deepcopy(shipped), story_of) == whole
        assert {m["story"] for m in whole} <= set(story_of.values())
