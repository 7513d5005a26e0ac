"""The PostgreSQL store's throughput, next to the raw ceiling on the same server, same run.

    python scripts/bench_store.py --db postgresql://user@host/dbname [--events N] [--batch B]

Each part works in a schema of its own (created and dropped here): the raw ceiling is the
same rows as Store.append writes (ids and hash chain computed before the clock starts) by
`executemany` and by `COPY` into a plain table; then `Store.append` (dedup check, advisory
lock, triggers, projection fold, one transaction a batch); replay (`rebuild`); and two
writer processes appending to one store at once: throughput, and that the chain did not
fork and no batch was lost (`verify`, the count, every batch contiguous).
"""

from __future__ import annotations

import argparse
import multiprocessing
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import psycopg

from timeline import events as ev
from timeline.store import GENESIS, connect, row_hash

AT = "2024-01-01T00:00:00+00:00"
RUN = "bench"


def sample(i: int, who: str = "") -> ev.DocumentRejected:
    return ev.DocumentRejected(path=f"inbox/{who}{i:08d}.txt", reason="empty file", sha256=None)


def in_schema(url: str, schema: str) -> str:
    return f"{url}{'&' if '?' in url else '?'}options=-csearch_path%3D{schema}"


def fresh_schema(url: str, schema: str) -> str:
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
        conn.execute(f"CREATE SCHEMA {schema}")
    return in_schema(url, schema)


def drop_schema(url: str, schema: str) -> None:
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")


def chained_rows(n: int) -> list[tuple[Any, ...]]:
    rows, prev = [], GENESIS
    for i in range(n):
        e = sample(i)
        data = ev.canonical_json(ev.to_data(e))
        eid = ev.event_id(e)
        h = row_hash(prev, i + 1, eid, e.type, e.version, e.stream, AT, RUN, data)
        rows.append((i + 1, eid, e.type, e.version, e.stream, data, AT, RUN, prev, h))
        prev = h
    return rows


def raw_ceilings(url: str, n: int, batch: int) -> tuple[float, float]:
    rows = chained_rows(n)
    rates = []
    for how in ("executemany", "copy"):
        target = fresh_schema(url, "tl_bench_raw")
        with psycopg.connect(target, autocommit=True) as conn:
            conn.execute("CREATE TABLE log (seq BIGINT PRIMARY KEY, event_id TEXT UNIQUE NOT "
                         "NULL, type TEXT, version BIGINT, stream TEXT, data TEXT, recorded_at "
                         "TEXT, run_id TEXT, prev_hash TEXT, hash TEXT)")
            t0 = time.perf_counter()
            for j in range(0, n, batch):
                with conn.transaction(), conn.cursor() as cur:
                    if how == "copy":
                        with cur.copy("COPY log FROM STDIN") as copy:
                            for row in rows[j:j + batch]:
                                copy.write_row(row)
                    else:
                        cur.executemany("INSERT INTO log VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s,%s)",
                                        rows[j:j + batch])
            rates.append(n / (time.perf_counter() - t0))
        drop_schema(url, "tl_bench_raw")
    return rates[0], rates[1]


def writer(target: str, who: str, batches: int, batch: int) -> None:
    with connect(target) as store:
        for b in range(batches):
            store.append([sample(b * batch + i, who) for i in range(batch)],
                         recorded_at=AT, run_id=who)


def two_writers(url: str, n: int, batch: int) -> tuple[float, str]:
    target = fresh_schema(url, "tl_bench_two")
    with connect(target):
        pass  # the schema, created once
    batches = max(1, n // batch // 2)
    procs = [multiprocessing.Process(target=writer, args=(target, who, batches, batch))
             for who in ("a", "b")]
    t0 = time.perf_counter()
    for p in procs:
        p.start()
    for p in procs:
        p.join()
    dt = time.perf_counter() - t0
    with connect(target, readonly=True) as store:
        result = store.verify()
        runs = [r.run_id for r in store.records()]
        total = store.head()
    drop_schema(url, "tl_bench_two")
    switches = [i for i in range(1, len(runs)) if runs[i] != runs[i - 1]]
    whole = all(i % batch == 0 for i in switches)
    verdict = (f"verify {'ok' if result.ok else 'FAILED: ' + result.message}; "
               f"{total:,} of {2 * batches * batch:,} events; batches "
               f"{'whole' if whole else 'INTERLEAVED'}; {len(switches)} writer switches")
    return total / dt, verdict


def main_pg(url: str, n: int, batch: int) -> int:
    execmany, copy = raw_ceilings(url, n, batch)
    target = fresh_schema(url, "tl_bench_store")
    events = [sample(i) for i in range(n)]
    with connect(target) as store:
        t0 = time.perf_counter()
        for j in range(0, n, batch):
            store.append(events[j:j + batch], recorded_at=AT, run_id=RUN)
        append_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        store.rebuild()
        replay_s = time.perf_counter() - t0
        assert store.head() == n
    drop_schema(url, "tl_bench_store")
    two_rate, verdict = two_writers(url, n, batch)
    append_rate = n / append_s
    print(f"events: {n:,} in batches of {batch:,}; server: PostgreSQL")
    print(f"raw executemany (ceiling):    {execmany:12,.0f} events/s")
    print(f"raw COPY (ceiling):           {copy:12,.0f} events/s")
    print(f"Store.append:                 {append_rate:12,.0f} events/s "
          f"({append_rate / execmany:.0%} of executemany, {append_rate / copy:.0%} of COPY)")
    print(f"replay (rebuild projections): {n / replay_s:12,.0f} events/s")
    print(f"two writer processes:         {two_rate:12,.0f} events/s together ({verdict})")
    return 0


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", required=True)
    ap.add_argument("--events", type=int, default=20_000)
    ap.add_argument("--batch", type=int, default=1_000)
    a = ap.parse_args()
    sys.exit(main_pg(a.db, a.events, a.batch))
