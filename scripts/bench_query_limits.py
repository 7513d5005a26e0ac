"""`timeline query` on many rows: time and peak memory of a process writing N generated rows
(jsonl, csv, json, table), and how long a query that never ends takes to stop.

    python scripts/bench_query_limits.py [--rows 300000] [--before /work/main]

`--before` runs the same commands with another checkout on PYTHONPATH, in the same run, for
a before/after figure. Each figure is one fresh process, as a user would run it.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ROWS = ("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c LIMIT {n}) "
        "SELECT x, x*2 AS twice, 'row ' || x AS label FROM c")
ENDLESS = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c) SELECT x FROM c"
MEASURE = ("import resource, runpy, sys; sys.argv = ['timeline', *sys.argv[1:]]\n"
           "try:\n    runpy.run_module('timeline', run_name='__main__')\n"
           "except SystemExit as e:\n    code = e.code\n"
           "u = resource.getrusage(resource.RUSAGE_SELF)\n"
           "print(f'{u.ru_utime + u.ru_stime} {u.ru_maxrss}', file=sys.stderr)\n"
           "sys.exit(code)\n")


def timed(checkout: Path, db: Path, *args: str, timeout: float = 120
          ) -> tuple[float, float, int, int]:
    """(seconds, CPU seconds, peak KB, exit code) of one `timeline` process: CPU time too,
    because the wall clock of a shared machine says more about the neighbours."""
    env = {**os.environ, "PYTHONPATH": str(checkout)}
    t0 = time.perf_counter()
    try:
        p = subprocess.run([sys.executable, "-c", MEASURE, "--db", str(db), *args], env=env,
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                           timeout=timeout, cwd=db.parent)
    except subprocess.TimeoutExpired:
        return timeout, 0.0, 0, -1
    last = (p.stderr.strip().splitlines() or [""])[-1].split()
    cpu, peak = (float(last[0]), int(last[1])) if len(last) == 2 else (0.0, 0)
    return time.perf_counter() - t0, cpu, peak, p.returncode


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=300_000)
    ap.add_argument("--before", type=Path, help="another checkout to compare with")
    args = ap.parse_args()
    checkouts = [("after", ROOT)] + ([("before", args.before)] if args.before else [])
    with tempfile.TemporaryDirectory() as tmp:
        db, docs = Path(tmp) / "t.db", Path(tmp) / "docs"
        docs.mkdir()
        for f in sorted((ROOT / "fixtures").glob("*.txt"))[:3]:
            (docs / f.name).write_bytes(f.read_bytes())
        subprocess.run([sys.executable, "-m", "timeline", "--db", str(db), "run", "--quiet",
                        str(docs)], check=True, cwd=ROOT)
        sql = ROWS.format(n=args.rows)
        for fmt in ("jsonl", "csv", "json", *(("table",) if args.rows <= 20_000 else ())):
            for name, checkout in checkouts:
                extra = ["--timeout", "0"] if name == "after" else []
                s, cpu, kb, code = timed(checkout, db, "query", sql, "--format", fmt, *extra)
                print(f"{name:6} {fmt:5} {args.rows:,} rows: {s:6.2f} s ({cpu:5.2f} s CPU), "
                      f"peak {kb / 1024:6.1f} MB"
                      f"{'' if code == 0 else f', exit {code}'}")
        s, _, kb, code = timed(ROOT, db, "query", ENDLESS, "--timeout", "1", "--format", "jsonl")
        print(f"after  endless CTE --timeout 1: stopped in {s:.2f} s (exit {code}), "
              f"peak {kb / 1024:.1f} MB")
        s, _, kb, code = timed(ROOT, db, "query", ENDLESS, "--limit", "5")
        print(f"after  endless CTE --limit 5: {s:.2f} s (exit {code})")
        if args.before:
            s, _, kb, code = timed(args.before, db, "query", ENDLESS, timeout=20)
            print(f"before endless CTE: {'still running, killed at' if code == -1 else 'ended'}"
                  f" {s:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
