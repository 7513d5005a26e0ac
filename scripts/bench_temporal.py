"""Tagging speed: our engine against dateparser's search_dates on the same documents.

    python scripts/bench_temporal.py [--docs 60] [--adversarial-mb 1]

Prints the start-up cost (imports and compiled patterns), milliseconds per document for
both taggers and their ratio, peak memory of our tagger, and the time our tagger takes on
a 1 MB adversarial line (digits and date-like tokens, no sentence breaks).
"""

from __future__ import annotations

import argparse
import random
import statistics
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpus

STARTUP = ("import time; t0 = time.perf_counter(); from timeline.temporal import tag; "
           "tag('warm up on Monday, 3 May 2021', '2021-05-04', 'en'); "
           "print(time.perf_counter() - t0)")


def _median_seconds(run: Callable[[], object], times: int) -> float:
    laps = []
    for _ in range(times):
        t0 = time.perf_counter()
        run()
        laps.append(time.perf_counter() - t0)
    return statistics.median(laps)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", type=int, default=60)
    ap.add_argument("--adversarial-mb", type=float, default=1.0)
    ap.add_argument("--repeat", type=int, default=5,
                    help="timed passes over the documents (the median is reported)")
    args = ap.parse_args()
    startup = float(subprocess.run([sys.executable, "-c", STARTUP], capture_output=True,
                                   text=True, check=True).stdout)
    print(f"start-up (import + compile patterns + first call): {startup:.3f} s")

    from dateparser.search import search_dates

    from timeline import ingest
    from timeline.temporal import tag

    texts = []
    for raw in corpus.sources()[10:10 + args.docs]:  # TempEval English news
        p = ingest.parse("x.txt", raw.encode())
        texts.append((p.text, (p.header.get("date") or "")[:10] or None))
    chars = sum(len(t) for t, _ in texts)
    # Start-up is measured above, in its own process: warm both taggers up so the per-document
    # figures are steady-state work (our compiled rules, dateparser's loaded language data).
    tag("warm up on Monday, 3 May 2021", "2021-05-04", "en")
    search_dates("warm up on Monday, 3 May 2021", languages=["en"])
    # The median of several passes: one pass of ours takes a fifth of a second, short
    # enough for a busy machine to move it by 10%.
    found = sum(len(tag(t, d, "en")) for t, d in texts)
    ours = _median_seconds(lambda: [tag(t, d, "en") for t, d in texts], args.repeat)
    tracemalloc.start()  # a separate pass: tracing slows everything it watches
    for t, d in texts:
        tag(t, d, "en")
    peak = tracemalloc.get_traced_memory()[1] / 1e6
    tracemalloc.stop()
    dp_found = sum(len(search_dates(t, languages=["en"]) or []) for t, _ in texts)
    dp = _median_seconds(lambda: [search_dates(t, languages=["en"]) for t, _ in texts],
                         max(1, args.repeat // 2))
    n = len(texts)
    print(f"documents: {n}, {chars / n:,.0f} characters on average")
    print(f"timeline:   {ours / n * 1000:8.2f} ms/document  ({found} expressions, "
          f"peak traced memory {peak:.1f} MB)")
    print(f"dateparser: {dp / n * 1000:8.2f} ms/document  ({dp_found} expressions)")
    print(f"ratio: timeline is {dp / ours:.1f}x faster (median of {args.repeat} passes for "
          f"timeline, {max(1, args.repeat // 2)} for dateparser)")

    size = int(args.adversarial_mb * 1_000_000)
    rnd = random.Random(1)
    dense = "1999 12/31 3:45 May 2 the 90s 4 hours ago 2023-09-13 45.6% $93 1/2 March "
    cases = {
        "one repeated letter": "a" * size,
        "random digits and separators": "".join(rnd.choice("0123456789 /-.:,")
                                                for _ in range(size)),
        "numbers 0-3000 (year-like)": " ".join(str(rnd.randint(0, 3000))
                                               for _ in range(size // 4))[:size],
        "dense real dates (a date every 6 characters)": (dense * (size // len(dense) + 1))[:size],
    }
    print(f"adversarial single lines of {size / 1e6:.1f} MB:")
    for name, line in cases.items():
        t0 = time.perf_counter()
        hits = len(tag(line, "2023-09-14", "en"))
        print(f"  {name:<46} {time.perf_counter() - t0:6.2f} s ({hits} expressions)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
