"""End-to-end first `timeline run` on N synthetic documents: how the cost grows with N.

    python scripts/bench_pipeline.py --sizes 1000,10000 [--jobs N] [--profile] [--code DIR]
                                     [--varied]

Each size runs in a fresh process (so peak RSS is that run's), on a fresh database and a
fresh corpus from scripts/corpus.py. Printed per size: wall seconds, CPU seconds (the run's
process and its worker processes), peak RSS (the writer, and the largest worker), database
bytes per document, events appended, CPU cost per document and its ratio to the first
size's (1.00 = linear), and the writer's own CPU: on a loaded machine the wall time says
little, but the one writer is serial, so max(writer CPU, CPU / jobs) bounds the wall time the
run would take on idle cores. `--profile` runs the writer under cProfile and prints its top
cumulative functions (workers are not profiled: run with `--jobs 1` to see everything;
`--profile-lines N`, `--profile-sort tottime`, `--profile-dump FILE` to see more).
`--code DIR` runs another checkout's package (e.g. `git archive main | tar -x -C DIR`), to
measure before and after on the same machine in the same session. `--varied` writes the
corpus with `corpus.write(varied=True)`: as many stories as rounds of copies, over years,
some reports undated, instead of the same stories many times.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpus

CHILD = """
import cProfile, io, json, os, pstats, resource, sqlite3, sys, time
from timeline.cli import main
db, docs, jobs, profile = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4] != "0"
argv = ["--db", db, "run", "--quiet", docs] + (["--jobs", jobs] if jobs else [])
prof = cProfile.Profile() if profile else None
t0 = time.perf_counter()
if prof:
    prof.enable()
code = main(argv)
if prof:
    prof.disable()
wall = time.perf_counter() - t0
try:  # workers are the forkserver's children: reaped with it, their CPU counts below
    import multiprocessing.forkserver as fs
    fs._forkserver._stop()
except (ImportError, AttributeError):
    pass
me = resource.getrusage(resource.RUSAGE_SELF)
kids = resource.getrusage(resource.RUSAGE_CHILDREN)
size = sum(os.path.getsize(p) for p in (db, db + "-wal") if os.path.exists(p))
conn = sqlite3.connect(db)
events = conn.execute("SELECT count(*) FROM log").fetchone()[0]
conn.close()
if prof:
    out = io.StringIO()
    lines, sort, dump = json.loads(sys.argv[4])
    if dump:
        prof.dump_stats(dump)
    pstats.Stats(prof, stream=out).sort_stats(sort).print_stats(lines)
    sys.stderr.write(out.getvalue())
print(json.dumps({"code": code, "wall": wall,
                  "cpu": me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime,
                  "writer_cpu": me.ru_utime + me.ru_stime,
                  "rss_mb": me.ru_maxrss / 1024, "worker_rss_mb": kids.ru_maxrss / 1024,
                  "db_bytes": size, "events": events}))
"""


def run(n: int, jobs: str, profile: str, code: str | None,
        varied: bool = False) -> dict[str, float]:
    env = dict(os.environ)
    if code:
        env["PYTHONPATH"] = code + os.pathsep + env.get("PYTHONPATH", "")
    with tempfile.TemporaryDirectory() as tmp:
        docs = Path(tmp) / "docs"
        corpus.write(docs, n, varied=varied)
        out = subprocess.run([sys.executable, "-c", CHILD, str(Path(tmp) / "t.db"), str(docs),
                              jobs, profile or "0"],
                             capture_output=True, text=True, env=env, cwd=tmp)
        # cwd: `python -c` puts the working directory first on sys.path, so run from a
        # checkout it would import that checkout's package instead of `--code`'s
        if profile or out.returncode:
            sys.stderr.write(out.stderr)
        out.check_returncode()
        return json.loads(out.stdout.strip().splitlines()[-1])


def sizes(values: list[str]) -> list[int]:
    return [int(v) for value in values for v in value.split(",") if v]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", nargs="+", default=["100,1000"])
    ap.add_argument("--jobs", default="", help="passed to `timeline run --jobs` (default: "
                    "leave it to the run)")
    ap.add_argument("--profile", action="store_true", help="top cumulative functions")
    ap.add_argument("--profile-lines", type=int, default=30, help="how many to print")
    ap.add_argument("--profile-sort", default="cumulative", help="pstats key, e.g. tottime")
    ap.add_argument("--profile-dump", default="", help="also write the raw stats to this "
                    "file (for pstats)")
    ap.add_argument("--code", help="a checkout whose `timeline` package to run")
    ap.add_argument("--varied", action="store_true", help="each round of copies renamed, "
                    "moved in time, some undated (scripts/corpus.py)")
    args = ap.parse_args()
    first: float | None = None
    print(f"jobs={args.jobs or 'default'} code={args.code or 'this checkout'} "
          f"cores={os.cpu_count()} corpus={'varied' if args.varied else 'copies'}")
    for n in sizes(args.sizes):
        profile = json.dumps([args.profile_lines, args.profile_sort,
                              str(Path(args.profile_dump).resolve()) if args.profile_dump
                              else ""]) if args.profile else ""
        r = run(n, args.jobs, profile, args.code, args.varied)
        per = r["cpu"] / n
        first = per if first is None else first
        writer = r["writer_cpu"]
        # the writer is serial: with enough cores the run takes at least its CPU, and never
        # less than all the CPU spread over the cores
        bound = max(writer, r["cpu"] / max(1, int(args.jobs or os.cpu_count() or 1)))
        print(f"N={n:>6}: wall {r['wall']:7.1f} s  CPU {r['cpu']:7.1f} s (writer "
              f"{writer:5.1f} s, wall on idle cores >= {bound:5.1f} s)  "
              f"peak RSS {r['rss_mb']:5.0f} MB (workers {r['worker_rss_mb']:4.0f} MB)  "
              f"db {r['db_bytes'] / n / 1024:5.1f} KB/doc  events {r['events']:>8}  "
              f"CPU/doc {per * 1000:6.1f} ms (x{per / first:.2f})  "
              f"wall/doc {r['wall'] / n * 1000:6.1f} ms  exit {r['code']}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
