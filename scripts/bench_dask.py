"""A first `timeline run` of N synthetic documents through a local two-worker Dask cluster
against `--jobs 2`: what the cluster costs (serialisation, scheduling) over worker processes.

    python scripts/bench_dask.py --docs 1000 [--workers 2] [--projection-workers 100]
        [--projection-docs 1000000] [--store-rate EVENTS_PER_S]

Needs the extra [dask]. Each run is a fresh process on a fresh database over the same corpus
(scripts/corpus.py). Printed per run: wall seconds; CPU seconds of the run's own process (the
one writer: reading, planning, appending, the corpus-wide stages) and of its workers (the
forkserver's children for --jobs, their start-up included; for Dask, the growth of each
worker process's CPU time, asked of the workers, once warmed up as a long-lived worker is);
the scheduler's and the nannies' CPU (they run in this process); events appended; and
whether the two logs are the same. Then the projection to a large cluster from these
per-document figures: what the workers would take, what the one writer would take, and the
append rate the store must sustain (compare with scripts/bench_store.py's Store.append
figure, given as --store-rate).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpus

CHILD = """
import json, os, resource, sqlite3, sys, time
from timeline.cli import main
db, docs, *how = sys.argv[1:]
t0 = time.perf_counter()
code = main(["--db", db, "run", "--quiet", docs, *how])
wall = time.perf_counter() - t0
me = resource.getrusage(resource.RUSAGE_SELF)
try:  # --jobs: workers are the forkserver's children, reaped with it
    import multiprocessing.forkserver as fs
    fs._forkserver._stop()
except (ImportError, AttributeError):
    pass
kids = resource.getrusage(resource.RUSAGE_CHILDREN)
conn = sqlite3.connect(db)
events = conn.execute("SELECT count(*) FROM log").fetchone()[0]
conn.close()
print(json.dumps({"code": code, "wall": wall, "writer_cpu": me.ru_utime + me.ru_stime,
                  "worker_cpu": kids.ru_utime + kids.ru_stime, "events": events}))
"""

FACTS = ("SELECT event_id, type, stream, data FROM log WHERE type NOT IN "
         "('RunStarted', 'RunFinished') ORDER BY seq")


def _cpu() -> float:
    import resource

    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def _warm(texts: list[str]) -> None:
    """On a worker: what a long-lived worker has done once (imports, models, grammars)."""
    from timeline.cli.derive import Settings, Task, document
    from timeline.engine import engine_version

    for text in texts:
        raw = text.encode()
        document(Task("warm.txt", raw, ""), Settings(engine_version(), float("inf"), None,
                                                     len(raw) + 1, True), frozenset())


def run(tmp: Path, name: str, how: list[str]) -> dict[str, Any]:
    out = subprocess.run([sys.executable, "-c", CHILD, str(tmp / f"{name}.db"),
                          str(tmp / "docs"), *how], capture_output=True, text=True, cwd=tmp)
    if out.returncode:
        sys.stderr.write(out.stderr)
    out.check_returncode()
    return json.loads(out.stdout.strip().splitlines()[-1])


def same_log(tmp: Path) -> bool:
    import sqlite3

    logs = []
    for name in ("jobs", "dask"):
        with sqlite3.connect(tmp / f"{name}.db") as conn:
            logs.append(conn.execute(FACTS).fetchall())
    return logs[0] == logs[1]


def line(name: str, n: int, r: dict[str, Any]) -> str:
    cpu = r["writer_cpu"] + r["worker_cpu"]
    return (f"{name:<28} wall {r['wall']:7.1f} s  CPU {cpu:7.1f} s (writer "
            f"{r['writer_cpu']:6.1f}, workers {r['worker_cpu']:6.1f})  per doc: wall "
            f"{r['wall'] / n * 1000:6.1f} ms, writer {r['writer_cpu'] / n * 1000:5.1f} ms, "
            f"workers {r['worker_cpu'] / n * 1000:5.1f} ms  events {r['events']}  "
            f"exit {r['code']}")


def projection(args: argparse.Namespace, n: int, r: dict[str, Any]) -> None:
    """Per-document costs measured on the Dask run, scaled: the workers' share divides by
    the number of workers, the writer's does not."""
    docs, workers = args.projection_docs, args.projection_workers
    worker_s = r["worker_cpu"] / n * docs / workers
    writer_s = r["writer_cpu"] / n * docs
    events = r["events"] / n * docs
    print(f"\nprojection: {docs:,} articles, {workers} workers (one thread each), one writer")
    print(f"  workers:  {r['worker_cpu'] / n * 1000:.1f} ms CPU/doc -> {worker_s / 3600:.2f} h "
          f"({docs / worker_s if worker_s else float('inf'):,.0f} docs/s offered)")
    print(f"  writer:   {r['writer_cpu'] / n * 1000:.1f} ms CPU/doc -> {writer_s / 3600:.2f} h "
          f"({n / r['writer_cpu']:,.0f} docs/s at most)")
    print(f"  events:   {r['events'] / n:.1f}/doc -> {events:,.0f}; at the workers' pace the "
          f"store must take {events / worker_s if worker_s else 0:,.0f} events/s")
    bound = "the writer" if writer_s > worker_s else "the workers"
    print(f"  bound:    {bound}; the workers outpace one writer beyond "
          f"{r['worker_cpu'] / r['writer_cpu'] if r['writer_cpu'] else 0:.1f} workers")
    if args.store_rate:
        print(f"  store:    Store.append {args.store_rate:,.0f} events/s -> "
              f"{events / args.store_rate / 3600:.2f} h of appending alone")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", type=int, default=1000)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--projection-workers", type=int, default=100)
    ap.add_argument("--projection-docs", type=int, default=1_000_000)
    ap.add_argument("--store-rate", type=float, default=0.0,
                    help="Store.append events/s from scripts/bench_store.py")
    args = ap.parse_args()
    import distributed

    n = args.docs
    print(f"N={n} workers={args.workers} cores={os.cpu_count()} "
          f"distributed {distributed.__version__}")
    with tempfile.TemporaryDirectory() as t, \
            distributed.LocalCluster(n_workers=args.workers, threads_per_worker=1,
                                     processes=True, host="127.0.0.1",
                                     dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        tmp = Path(t)
        corpus.write(tmp / "docs", n)
        local = run(tmp, "jobs", ["--jobs", str(args.workers)])
        print(line(f"--jobs {args.workers}", n, local), flush=True)
        # a cluster's workers outlive runs: their start-up is not a run's
        client.run(_warm, corpus.sources()[:6])
        before, here = client.run(_cpu), _cpu()
        dask = run(tmp, "dask", ["--executor",
                                 cluster.scheduler_address.replace("tcp://", "dask://")])
        after = client.run(_cpu)
        scheduler = _cpu() - here  # the scheduler and the nannies run in this process
        dask["worker_cpu"] = sum(after[w] - before.get(w, 0.0) for w in after)
        print(line(f"--executor dask ({args.workers} w)", n, dask), flush=True)
        total = {k: r["writer_cpu"] + r["worker_cpu"] for k, r in (("l", local), ("d", dask))}
        print(f"scheduler and nannies: CPU {scheduler:.1f} s "
              f"({scheduler / n * 1000:.1f} ms/doc)")
        print(f"overhead of the cluster: wall x{dask['wall'] / local['wall']:.2f}, CPU "
              f"x{(total['d'] + scheduler) / total['l']:.2f} (workers "
              f"x{dask['worker_cpu'] / local['worker_cpu']:.2f}, writer "
              f"x{dask['writer_cpu'] / local['writer_cpu']:.2f}); logs the same: "
              f"{same_log(tmp)}")
        projection(args, n, dask)
    return 0


if __name__ == "__main__":
    sys.exit(main())
