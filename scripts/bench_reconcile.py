"""CPU of the corpus phase after extraction, stage by stage, on a scripts/corpus.py corpus.

    python scripts/bench_reconcile.py --docs 1000 [--repeat 3] [--code DIR]

What a first run reconstructs (`pipeline.reconstruct` over every document, then
`reconstruction_facts` and `keyed_changes` against an empty log), with the stages before
merging taken from a cache (analysis, extraction, timexes, segments and stories: they are
the same for the same corpus and cost most of a run), so that what is timed is merging,
dating rounds, identities, titles, order and the facts. Printed: the best CPU seconds of
each timed function over `--repeat` runs (nested: `merge` holds `cluster` and
`build_event`), and a digest of the facts, which must not change when only speed does.
The cache is a pickle in the temporary directory, one per corpus size (`--fresh` remakes
it); `--code DIR` times another checkout's package on the same cache.
"""

from __future__ import annotations

import argparse
import functools
import hashlib
import os
import pickle
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
TIMED = ["pipeline.reconstruct", "reconcile.merge", "reconcile.cluster", "reconcile.build_event",
         "dating.from_siblings", "dating.EventIndex.of", "dating.days_from_anchors",
         "identity.settle", "titles.titled", "order.constraints", "order.resolve",
         "salience.place", "pipeline.reconstruction_facts", "pipeline.keyed_changes"]


def _prepare(n: int, path: Path) -> None:
    """The per-document stages' results for n corpus documents, pickled to `path`."""
    sys.path.insert(0, str(HERE))
    import corpus

    from timeline import ahead, analyze, extract, ingest, pipeline, segment

    docs = []
    for i, raw in enumerate(corpus.sources() * (n // len(corpus.sources()) + 1)):
        if len(docs) == n:
            break
        name = f"doc{i:05d}.txt"
        text = raw + f"\n[{i}]\n"
        docs.append(pipeline.doc_from_parsed(ingest.parse(name, text.encode()), name))
    timexes = {d.id: ahead.payloads(pipeline.timex_facts(d, pipeline.header_date(d), "x"))
               for d in docs}
    segs = {d.id: segment.segments(d.id, d.text, d.body_start, d.language) for d in docs}
    story_of = segment.stories([s for d in docs for s in segs[d.id]],
                               dates={d.id: d.header.get("date") for d in docs})
    analyses = {d.id: ahead.slim(analyze.analyze(d.text, d.language))
                if d.language in analyze.LANGUAGES else None for d in docs}
    made: dict[Any, bytes] = {}
    real = extract.mentions

    def record(doc_id: str, *args: Any) -> list[dict[str, Any]]:
        got = real(doc_id, *args)
        made[_call_key(doc_id, args)] = pickle.dumps(got)
        return got

    extract.mentions = record  # type: ignore[assignment]
    pipeline.reconstruct(docs, timexes, segs, story_of)
    extract.mentions = real  # type: ignore[assignment]
    path.write_bytes(pickle.dumps((docs, timexes, segs, story_of, analyses, made)))


def _call_key(doc_id: str, args: tuple[Any, ...]) -> tuple[Any, ...]:
    # (text, language, segments, story_of, anchored, date, analysed)
    return doc_id, repr(args[4]), args[5]


def _timed(stats: dict[str, float], name: str, fn: Any) -> Any:
    @functools.wraps(fn)
    def run(*a: Any, **k: Any) -> Any:
        t0 = time.process_time()
        try:
            return fn(*a, **k)
        finally:
            stats[name] += time.process_time() - t0
    return run


def _measure(path: Path, repeat: int) -> None:
    from timeline import dating, extract, identity, order, pipeline, reconcile, salience, titles
    from timeline.ahead import unpack
    from timeline.analyze.document import Analysed
    from timeline.events import canonical_json, to_data

    docs, timexes, segs, story_of, analyses, made = pickle.loads(path.read_bytes())
    text = {d.id: d.text for d in docs}
    modules = {"pipeline": pipeline, "reconcile": reconcile, "dating": dating,
               "identity": identity, "titles": titles, "order": order, "salience": salience}
    best: dict[str, float] = {}
    digest = ""
    for _ in range(repeat):
        stats: dict[str, float] = defaultdict(float)
        fresh = {}
        for k, a in analyses.items():
            s = unpack(a) if a is not None else None
            fresh[k] = Analysed(text[k], s.lang, s.tokens, s.sentences, s.names) \
                if s is not None else None
        saved = []
        for name in TIMED:
            mod, *attr = name.split(".")
            owner = modules[mod]
            for a in attr[:-1]:
                owner = getattr(owner, a)
            real = owner.__dict__[attr[-1]]
            saved.append((owner, attr[-1], real))
            fn = real.__func__ if isinstance(real, classmethod) else real
            wrapped = _timed(stats, name, fn)
            setattr(owner, attr[-1], classmethod(wrapped) if isinstance(real, classmethod)
                    else wrapped)
        real_analysis, real_mentions = pipeline.analysis, extract.mentions
        pipeline.analysis = lambda d, fresh=fresh: fresh[d.id]  # type: ignore[assignment]
        extract.mentions = lambda doc_id, *args: pickle.loads(  # type: ignore[assignment]
            made[_call_key(doc_id, args)])
        try:
            rec = pipeline.reconstruct(docs, timexes, segs, story_of)
            facts = pipeline.reconstruction_facts(rec, "x")
            out = []
            for fact_type, fs in facts.items():
                if fact_type != "lineage":
                    out += pipeline.keyed_changes(fact_type, fs, {}, {}, "x")
        finally:
            for owner, attr, real in saved:
                setattr(owner, attr, real)
            pipeline.analysis, extract.mentions = real_analysis, real_mentions
        h = hashlib.sha256()
        for f in out:
            h.update(f"{f.type}\x1f{canonical_json(to_data(f))}\n".encode())
        digest = f"{len(out)} facts sha256 {h.hexdigest()[:16]}"
        for k, v in stats.items():
            best[k] = min(best.get(k, v), v)
    for name in TIMED:
        print(f"{name:32} {best.get(name, 0.0):7.2f} s")
    print(digest)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", type=int, default=1000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--code", help="a checkout whose `timeline` package to time")
    ap.add_argument("--fresh", action="store_true", help="remake the cache")
    ap.add_argument("--measure", type=Path, help=argparse.SUPPRESS)  # the child's part
    args = ap.parse_args()
    if args.measure:
        _measure(args.measure, args.repeat)
        return 0
    cache = Path(tempfile.gettempdir()) / f"bench_reconcile_{args.docs}.pickle"
    env = dict(os.environ)
    here = str(HERE.parent)
    env["PYTHONPATH"] = (args.code or here) + os.pathsep + env.get("PYTHONPATH", "")
    if args.fresh or not cache.exists():
        subprocess.run([sys.executable, "-c", "import sys; sys.path.insert(0, sys.argv[1]); "
                        "import bench_reconcile as b; from pathlib import Path; "
                        "b._prepare(int(sys.argv[2]), Path(sys.argv[3]))",
                        str(HERE), str(args.docs), str(cache)], env=env, check=True,
                       cwd=tempfile.gettempdir())
    print(f"code={args.code or 'this checkout'} docs={args.docs}", flush=True)
    return subprocess.run([sys.executable, str(Path(__file__)), "--measure", str(cache),
                           "--repeat", str(args.repeat)], env=env,
                          cwd=tempfile.gettempdir()).returncode


if __name__ == "__main__":
    sys.exit(main())
