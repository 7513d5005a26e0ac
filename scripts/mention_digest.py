"""What extraction says on a fixed corpus, one line per call: to prove a speed change
changed no output, and to time the per-document extraction stages alone.

    python scripts/mention_digest.py > before.txt          # on the old code
    python scripts/mention_digest.py --check before.txt    # on the new code
    python scripts/mention_digest.py --time 3              # seconds of each stage, best of 3

The corpus is scripts/corpus.py's sources (every fixture, every TempEval-3 train document),
reconstructed as one run does (`pipeline.reconstruct`: dating rounds included). Every call
of `extract.mentions` the reconstruction makes is recorded with its arguments; each line is
`extract:<document>:<call><TAB>count:sha256` of the full JSON of the mentions that call
returned, then `entities:<document>` lines for `entities.mentions` on the same analyses, then
`titles:<call>` lines for each `titles.titled` call (every event's title, sources, participants
and place). `--time N` replays the recorded calls N times and prints the best CPU seconds of
each stage.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import attrs

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpus
import digests

from timeline import entities, extract, ingest, pipeline, titles


def _digest(value: Any) -> str:
    blob = json.dumps(value, ensure_ascii=False, sort_keys=True, default=repr)
    return f"{len(value)}:{hashlib.sha256(blob.encode()).hexdigest()[:16]}"


def _docs() -> tuple[list[pipeline.Doc], dict[str, list[dict[str, Any]]]]:
    docs, timexes = [], {}
    for i, raw in enumerate(corpus.sources()):
        name = f"doc{i:05d}.txt"
        p = ingest.parse(name, raw.encode())
        d = pipeline.doc_from_parsed(p, name)
        if d.id in timexes:
            continue
        docs.append(d)
        timexes[d.id] = [_payload(f) for f in pipeline.timex_facts(d, pipeline.header_date(d),
                                                                   "digest")]
    return docs, timexes


def _payload(fact: Any) -> dict[str, Any]:
    from timeline import events as ev

    data = ev.to_data(fact)
    return {k: data[k] for k in ("start", "end", "text", "timex_type", "value", "mod", "begin",
                                 "end_value", "anchor", "relation", "dct") if k in data}


Call = tuple[str, tuple[Any, ...], str]


def _titles_digest(events: list[Any]) -> str:
    return _digest([(e.id, e.title, e.sources, e.participants, e.place) for e in events])


def record() -> tuple[list[Call], list[pipeline.Doc], Any, list[Call]]:
    """Reconstruct the corpus, keeping every extraction and titling call and the digest of
    its output."""
    docs, timexes = _docs()
    calls: list[Call] = []
    titled: list[Call] = []
    real: Callable[..., list[dict[str, Any]]] = extract.mentions
    real_titled: Callable[..., list[Any]] = titles.titled

    def spy(*args: Any) -> list[dict[str, Any]]:
        out = real(*args)
        calls.append((args[0], args, _digest(out)))
        return out

    def spy_titled(*args: Any) -> list[Any]:
        out = real_titled(*args)
        titled.append(("", args, _titles_digest(out)))
        return out

    extract.mentions = spy  # type: ignore[assignment]
    titles.titled = spy_titled  # type: ignore[assignment]
    try:
        r = pipeline.reconstruct(docs, timexes)
    finally:
        extract.mentions = real  # type: ignore[assignment]
        titles.titled = real_titled  # type: ignore[assignment]
    return calls, docs, r.analysed, titled


def _entity_lines(docs: list[pipeline.Doc], analysed: dict[str, Any]) -> list[str]:
    out = []
    for d in docs:
        ms = entities.mentions(d.id, d.text, d.language, analysed.get(d.id))
        out.append(f"entities:{d.id}\t{_digest([attrs.astuple(m) for m in ms])}")
    return out


def lines() -> tuple[list[str], Any]:
    calls, docs, analysed, titled = record()
    seen: Counter[str] = Counter()
    out = []
    for doc, _args, dig in calls:
        seen[doc] += 1
        out.append(f"extract:{doc}:{seen[doc]}\t{dig}")
    out += [f"titles:{k + 1}\t{dig}" for k, (_d, _a, dig) in enumerate(titled)]
    return out + _entity_lines(docs, analysed), (calls, docs, analysed, titled)


# the caches a run fills as it goes (present in newer code only)
_MEMOS = [f for f in (getattr(entities, "_named", None),) if f is not None]


def timing(state: Any, repeat: int) -> None:
    calls, docs, analysed, titled = state
    best_x = best_e = best_t = float("inf")
    for _ in range(repeat):
        for a in analysed.values():
            a.derived.clear()  # a run builds its indexes once per document: count that
        for memo in _MEMOS:  # and fills its caches of names once per run
            memo.cache_clear()
        t0 = time.process_time()
        for _doc, args, _dig in calls:
            extract.mentions(*args)
        t1 = time.process_time()
        for d in docs:
            entities.mentions(d.id, d.text, d.language, analysed.get(d.id))
        t2 = time.process_time()
        for a in analysed.values():
            a.derived.pop("phrases", None)  # titles build their phrase index once per doc
        t3 = time.process_time()
        for _d, args, _dig in titled:
            titles.titled(*args)
        t4 = time.process_time()
        best_x, best_e = min(best_x, t1 - t0), min(best_e, t2 - t1)
        best_t = min(best_t, t4 - t3)
    print(f"extract.mentions: {len(calls)} calls, {best_x:.3f} s CPU (best of {repeat})")
    print(f"entities.mentions: {len(docs)} docs, {best_e:.3f} s CPU (best of {repeat})")
    print(f"titles.titled: {len(titled)} calls, {best_t:.3f} s CPU (best of {repeat})")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--check", type=Path, metavar="BEFORE",
                    help="compare with a digest written earlier; exit 1 on any difference")
    ap.add_argument("--time", type=int, metavar="N", default=0,
                    help="also replay the calls N times and print CPU seconds per stage")
    args = ap.parse_args()
    got, state = lines()
    if args.time:
        timing(state, args.time)
    if args.check is None:
        if not args.time:
            sys.stdout.write("\n".join(got) + "\n")
        return 0
    return digests.check(args.check, got, "lines")


if __name__ == "__main__":
    sys.exit(main())
