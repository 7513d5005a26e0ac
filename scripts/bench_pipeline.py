"""End-to-end `timeline run` on N synthetic documents: documents/s and peak RSS.

    python scripts/bench_pipeline.py [--sizes 100 1000]

Each size runs in a fresh process (so peak RSS is that run's), on a fresh database. The
ratio of per-document cost between the sizes shows how the cost grows (1.0 = linear).
"""

from __future__ import annotations

import argparse
import json
import math
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpus

CHILD = """
import resource, sys, time
from timeline.cli import main
t0 = time.perf_counter()
code = main(["--db", sys.argv[1], "run", "--quiet", sys.argv[2]])
elapsed = time.perf_counter() - t0
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(f'{{"code": {code}, "seconds": {elapsed}, "rss_mb": {rss}}}')
"""


def run(n: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        docs = Path(tmp) / "docs"
        corpus.write(docs, n)
        out = subprocess.run([sys.executable, "-c", CHILD, str(Path(tmp) / "t.db"), str(docs)],
                             capture_output=True, text=True, check=True)
        return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=int, nargs="+", default=[100, 1000])
    args = ap.parse_args()
    results = {}
    for n in args.sizes:
        t0 = time.perf_counter()
        r = run(n)
        results[n] = r
        wall = time.perf_counter() - t0
        print(f"N={n:>6}: {r['seconds']:7.2f} s  {n / r['seconds']:7.1f} docs/s  "
              f"peak RSS {r['rss_mb']:6.0f} MB  (exit {r['code']}, wall {wall:.1f} s)")
    if len(args.sizes) >= 2:
        a, b = args.sizes[0], args.sizes[-1]
        per_a, per_b = results[a]["seconds"] / a, results[b]["seconds"] / b
        nlogn = math.log(b) / math.log(a)
        print(f"cost per document grows x{per_b / per_a:.2f} from N={a} to N={b} "
              f"(linear = 1.00, N log N = {nlogn:.2f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
