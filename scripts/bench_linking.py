"""Story linking alone at N documents: the whole pass (`segment.stories`) against an
incremental run's linking of one new document through the name index (`cli/story_phase`).

    python scripts/bench_linking.py [--sizes 1000 10000]

The corpus is bench_rerun's (scripts/corpus.py): each source text is segmented once and its
segments given to every copy of it (the copy's marker line adds no name), so the figures
measure linking, not segmentation. Header dates are left out (the name index is what is
measured; dates only refuse links).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

import attrs

sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpus
from bench_rerun import NEW_ARTICLE

from timeline import ingest, segment
from timeline.store import Store

try:
    from timeline.cli import story_phase
    from timeline.store.names import segment_rows
except ImportError:  # a checkout from before the name index (PYTHONPATH): the whole pass only
    story_phase = None  # type: ignore[assignment]

ENGINE = "bench"


def corpus_segments(n: int) -> dict[str, list[segment.Segment]]:
    base = corpus.sources()
    made: dict[int, list[segment.Segment]] = {}
    out = {}
    for i in range(n):
        k = i % len(base)
        if k not in made:
            p = ingest.parse(f"s{k}.txt", base[k].encode("utf-8"))
            made[k] = segment.segments("x", p.text, p.body_start, p.language)
        out[f"doc{i:05d}"] = [attrs.evolve(s, document=f"doc{i:05d}") for s in made[k]]
    return out


def bench(n: int) -> dict[str, float]:
    segs = corpus_segments(n)
    p = ingest.parse("new.txt", NEW_ARTICLE.encode("utf-8"))
    new = segment.segments("new", p.text, p.body_start, p.language)
    t0 = time.perf_counter()
    story_of = segment.stories([s for d in sorted(segs) for s in segs[d]])
    whole = time.perf_counter() - t0
    stories = len(set(story_of.values()))
    if story_phase is None:
        print(f"N={n}: whole pass {whole:.2f} s, {stories:,} stories", flush=True)
        return {"whole": whole, "stories": stories}
    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "t.db") as store:
        store.put_cache("segment_cache", [(d, ENGINE, json.dumps(segment.to_data(s)))
                                          for d, s in segs.items()])
        store.put_cache("story_cache", [(d, i, s) for (d, i), s in story_of.items()])
        store.put_name_index([r for d, s in segs.items()
                              for r in segment_rows(d, segment.to_data(s))])
        ids = [*sorted(segs), "new"]
        t0 = time.perf_counter()
        linked = story_phase.link(store, ENGINE, ids, {"new"}, False, {"new": new},
                                  story_of, {})
        one = time.perf_counter() - t0
    print(f"N={n}: {sum(map(len, segs.values())):,} segments, {stories:,} stories; whole "
          f"pass {whole:.2f} s; linking one new document through the index {one:.3f} s "
          f"({len(linked.affected)} documents to reconstruct)", flush=True)
    return {"whole": whole, "add_one": one, "stories": stories}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    args = ap.parse_args()
    print(json.dumps({n: bench(n) for n in args.sizes}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
