"""What `verify` costs on a database of N documents: the whole command (a fresh process, wall
and CPU time: the machine may be shared), and its phases (hash chain, fresh fold, comparison).

    python scripts/bench_verify.py [--docs 1000] [--db existing.db] [--before /work/main]

`--before CHECKOUT` times the same database with another checkout's `verify` (run with that
checkout first on PYTHONPATH), for before/after figures from one run.
"""

from __future__ import annotations

import argparse
import os
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpus


def timed(db: Path, *args: str, pythonpath: str | None = None) -> tuple[float, float]:
    """(wall, CPU) seconds of one `timeline` process."""
    env = {**os.environ, **({"PYTHONPATH": pythonpath} if pythonpath else {})}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    p = subprocess.run([sys.executable, "-m", "timeline", "--db", str(db), *args],
                       capture_output=True, text=True, env=env)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if p.returncode != 0:
        raise SystemExit(f"{args}: exit {p.returncode}: {p.stderr.strip()}")
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def phases(db: Path) -> dict[str, float]:
    from timeline.schema import FTS, PROJECTIONS
    from timeline.store import Store, _connect, chain
    from timeline.store.apply import create_projections, replay

    out: dict[str, float] = {}
    with Store(db, readonly=True) as store:
        conn = _connect("file::memory:", uri=True)
        conn.execute("ATTACH DATABASE ? AS src", (store.uri,))
        conn.execute("BEGIN")
        t0 = time.perf_counter()
        chain._check_guards(conn, "src")
        chain._check_chain(conn, "src", None)
        out["hash chain and event ids"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        create_projections(conn, indexes=False)
        replay(conn, table="src.log")
        out["fresh fold into memory"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        for table in [*PROJECTIONS, *FTS]:
            chain.compare_table(conn, table, "main", "src")
        out["comparison of every table"] = time.perf_counter() - t0
        conn.execute("ROLLBACK")
        conn.close()
    return out


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", type=int, default=1000)
    ap.add_argument("--db", type=Path, help="an existing database instead of a new corpus")
    ap.add_argument("--before", help="another checkout to time `verify` with")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db
        if db is None:
            docs, db = Path(tmp) / "docs", Path(tmp) / "t.db"
            corpus.write(docs, args.docs)
            timed(db, "run", "--quiet", str(docs))
        head = sqlite3.connect(db).execute("SELECT max(seq) FROM log").fetchone()[0]
        size = db.stat().st_size
        print(f"{head:,} log events, {size / 1e6:.1f} MB")
        rows = []
        if args.before:
            rows.append((f"verify ({args.before})", timed(db, "verify",
                                                          pythonpath=args.before)))
        rows.append(("verify (this checkout)", timed(db, "verify")))
        rows.append(("head", timed(db, "head")))
        rows.append(("timeline --version (start-up)", timed(db, "--version")))
        for name, (wall, cpu) in rows:
            print(f"  {name:<40} {wall:6.2f} s wall {cpu:6.2f} s CPU")
        for name, secs in phases(db).items():
            print(f"    {name:<38} {secs:6.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
