"""Append and replay throughput of the log, next to raw sqlite3 in the same run.

    python scripts/bench_store.py [--events 200000] [--batch 5000]
    python scripts/bench_store.py --db postgresql://user@host/dbname --events 20000 --batch 1000

Prints events/s for: raw `executemany` into an equivalent plain table (the ceiling), our
`Store.append` (hash chain, dedup check, triggers, projection fold in the same transaction),
and replay (`rebuild`: fold the whole log into fresh projections). Each figure twice: per wall
second and per CPU second of this process (time.process_time). On a shared machine the wall
figure follows the disk and the neighbours; the CPU figure is what the code costs.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from timeline import events as ev
from timeline.store import GENESIS, Store, row_hash

AT = "2024-01-01T00:00:00+00:00"
RUN = "bench"


def sample(i: int) -> ev.DocumentRejected:
    """A small event that touches one projection table, like most of the log."""
    return ev.DocumentRejected(path=f"inbox/{i:08d}.txt", reason="empty file", sha256=None)


def _clocks() -> tuple[float, float]:
    return time.perf_counter(), time.process_time()


def _rates(n: int, start: tuple[float, float]) -> tuple[float, float]:
    """events per wall second, per CPU second, since `start`."""
    wall, cpu = _clocks()
    return n / (wall - start[0]), n / max(cpu - start[1], 1e-9)


def raw_ceiling(path: Path, n: int, batch: int) -> tuple[float, float]:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("PRAGMA cache_size = -65536")  # the same settings Store uses
    conn.execute("CREATE TABLE log (seq INTEGER PRIMARY KEY, event_id TEXT UNIQUE NOT NULL, "
                 "type TEXT, version INTEGER, stream TEXT, data TEXT, recorded_at TEXT, "
                 "run_id TEXT, prev_hash TEXT, hash TEXT)")
    # The very rows Store.append writes (ids, hash chain, run id), built before the clock
    # starts: the ceiling is the cost of storing the same bytes and nothing else.
    rows = []
    prev = GENESIS
    for i in range(n):
        e = sample(i)
        data = ev.canonical_json(ev.to_data(e))
        eid = ev.event_id(e)
        h = row_hash(prev, i + 1, eid, e.type, e.version, e.stream, AT, RUN, data)
        rows.append((i + 1, eid, e.type, e.version, e.stream, data, AT, RUN, prev, h))
        prev = h
    t0 = _clocks()
    for j in range(0, n, batch):
        conn.execute("BEGIN")
        conn.executemany("INSERT INTO log VALUES (?,?,?,?,?,?,?,?,?,?)", rows[j:j + batch])
        conn.execute("COMMIT")
    rates = _rates(n, t0)
    conn.close()
    return rates


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--events", type=int, default=200_000)
    ap.add_argument("--batch", type=int, default=5_000)
    ap.add_argument("--db", help="a postgresql:// URL: the PostgreSQL store instead "
                                 "(scripts/bench_store_pg.py)")
    args = ap.parse_args()
    n, batch = args.events, args.batch
    if args.db:
        from bench_store_pg import main_pg

        return main_pg(args.db, n, batch)
    with tempfile.TemporaryDirectory() as tmp:
        ceiling = raw_ceiling(Path(tmp) / "raw.db", n, batch)
        events = [sample(i) for i in range(n)]
        with Store(Path(tmp) / "t.db") as store:
            t0 = _clocks()
            for j in range(0, n, batch):
                store.append(events[j:j + batch], recorded_at=AT, run_id=RUN)
            append = _rates(n, t0)
            t0 = _clocks()
            store.rebuild()
            replay = _rates(n, t0)
            assert store.head() == n
    print(f"events: {n:,} in batches of {batch:,}       per wall second   per CPU second")
    print(f"raw sqlite3 executemany (ceiling): {ceiling[0]:12,.0f}        {ceiling[1]:12,.0f}")
    print(f"Store.append:                      {append[0]:12,.0f} {append[0] / ceiling[0]:4.0%}"
          f"   {append[1]:12,.0f} {append[1] / ceiling[1]:4.0%} of ceiling")
    print(f"replay (rebuild projections):      {replay[0]:12,.0f}        {replay[1]:12,.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
