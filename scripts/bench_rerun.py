"""Scheduled re-runs: a no-op re-run at 1k and 10k documents, and adding one new document
to a 1k-document database (which must not re-process the other 999).

    python scripts/bench_rerun.py [--sizes 1000 10000]

Every `timeline run` here is a fresh process, as cron would start it.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpus

NEW_ARTICLE = """ date 2025-05-20
title: Ferry strike ends after two days in Valdora

The ferry workers' union in Valdora ended its strike on Tuesday, two days after it began.
Union leader Marta Quilez said talks with the port authority resumed on Monday night.
Ferries will run normally from Wednesday, the port authority said.
"""


def timed_run(db: Path, docs: Path) -> tuple[float, str]:
    t0 = time.perf_counter()
    out = subprocess.run([sys.executable, "-m", "timeline", "--db", str(db), "run", str(docs)],
                         capture_output=True, text=True)
    return time.perf_counter() - t0, out.stderr.strip().splitlines()[-1]


def log_size(db: Path) -> int:
    return sqlite3.connect(db).execute("SELECT max(seq) FROM log").fetchone()[0]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    args = ap.parse_args()
    results = {}
    for n in args.sizes:
        with tempfile.TemporaryDirectory() as tmp:
            docs, db = Path(tmp) / "docs", Path(tmp) / "t.db"
            corpus.write(docs, n)
            first, _ = timed_run(db, docs)
            head = log_size(db)
            noop, line = timed_run(db, docs)
            assert log_size(db) == head, "a no-op re-run appended events"
            print(f"N={n}: first run {first:.1f} s ({head:,} events); no-op re-run "
                  f"{noop:.2f} s, appended {log_size(db) - head} events")
            results[n] = {"first": first, "noop": noop}
            if n == args.sizes[0]:
                (docs / "new-article.txt").write_text(NEW_ARTICLE, encoding="utf-8")
                add, line = timed_run(db, docs)
                print(f"N={n}: adding 1 new document took {add:.2f} s "
                      f"(appended {log_size(db) - head} events) — {line.split(': ', 1)[1]}")
                results[n]["add_one"] = add
    print(json.dumps(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
