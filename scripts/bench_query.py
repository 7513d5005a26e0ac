"""Query-side speed on a database built from N documents: show, a query on the timeline
view, full-text search, --as-of at the middle of the log, and a full rebuild for scale.

    python scripts/bench_query.py [--docs 1000]

Each command is a fresh `timeline` process, as a user would run it.
"""

from __future__ import annotations

import argparse
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpus


def timed(db: Path, *args: str) -> float:
    t0 = time.perf_counter()
    p = subprocess.run([sys.executable, "-m", "timeline", "--db", str(db), *args],
                       capture_output=True, text=True)
    if p.returncode != 0:
        raise SystemExit(f"{args}: exit {p.returncode}: {p.stderr.strip()}")
    return time.perf_counter() - t0


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", type=int, default=1000)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        docs, db = Path(tmp) / "docs", Path(tmp) / "t.db"
        corpus.write(docs, args.docs)
        timed(db, "run", "--quiet", str(docs))
        head = sqlite3.connect(db).execute("SELECT max(seq) FROM log").fetchone()[0]
        n_events = sqlite3.connect(db).execute("SELECT count(*) FROM events").fetchone()[0]
        startup = timed(db, "--version")
        figures = {
            "python start-up (timeline --version)": startup,
            "show (rich timeline)": timed(db, "show"),
            "show --format json": timed(db, "show", "--format", "json"),
            "query on the timeline view": timed(db, "query",
                                                "SELECT * FROM timeline WHERE kind = 'talks'"),
            "search (FTS5)": timed(db, "search", "president talks"),
            f"show --as-of {head // 2} (middle of the log)": timed(
                db, "show", "--format", "json", "--as-of", str(head // 2)),
            "rebuild (all projections)": timed(db, "rebuild"),
        }
        print(f"{args.docs} documents, {head:,} log events, {n_events:,} events")
        for name, secs in figures.items():
            print(f"  {name:<42} {secs:6.2f} s")
        asof = next(v for k, v in figures.items() if "as-of" in k)
        print(f"  --as-of / rebuild = {asof / figures['rebuild (all projections)']:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
