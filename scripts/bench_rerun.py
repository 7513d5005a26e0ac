"""Scheduled re-runs at N documents: a no-op re-run, adding one new document (which must not
re-process the other N), and `rebuild` (every projection folded again from the log).

    python scripts/bench_rerun.py [--sizes 1000 10000] [--root CHECKOUT] [--profile FILE]
                                  [--keep DIR] [--bytecode] [--cache DIR] [--no-rebuild]
                                  [--varied]

Every `timeline run` here is a fresh process, as cron would start it. `--root` runs the
`timeline` package of another checkout (a worktree of main: before/after in one session);
`--profile` writes a cProfile of the add-one run at the first size, and prints its top lines.
`--keep DIR` keeps each size's corpus and database in DIR/N and reuses them next time (the
first run of 10,000 documents takes long): a reused database gets one settling run (shown,
not counted), then the no-op, and an add-one of a new article each time. Children inherit
PYTHONDONTWRITEBYTECODE (set on this machine: every process compiles our sources);
`--bytecode` clears it, so they read compiled files as an installed package does.
`--cache DIR` gives the children a cache directory of their own (TIMELINE_CACHE_DIR: the
compiled grammars, parsed resources and patterns a run keeps, cli/cache.py and
cli/run_cache.py), as one user's install has: several checkouts sharing ~/.cache/timeline
replace one another's grammars, and a run then compiles them again. `--varied` writes the
corpus with `corpus.write(varied=True)` (scripts/corpus.py): many stories, not many copies.
"""

from __future__ import annotations

import argparse
import json
import os
import pstats
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


BYTECODE = False  # --bytecode
CACHE: Path | None = None  # --cache
VARIED = False  # --varied


def timed(db: Path, args: list[str], root: Path | None, tmp: Path,
          profile: Path | None = None) -> tuple[float, str]:
    env = dict(os.environ)
    if BYTECODE:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
    if CACHE is not None:
        env["TIMELINE_CACHE_DIR"] = str(CACHE)
    if root is not None:  # run from a directory without a `timeline` package of its own
        env["PYTHONPATH"] = str(root)
    pre = ["-m", "cProfile", "-o", str(profile)] if profile else []
    t0 = time.perf_counter()
    out = subprocess.run([sys.executable, *pre, "-m", "timeline", "--db", str(db), *args],
                         capture_output=True, text=True, cwd=tmp, env=env)
    elapsed = time.perf_counter() - t0
    if out.returncode not in (0, 1):
        sys.exit(f"timeline {' '.join(args)} failed ({out.returncode}): {out.stderr[-2000:]}")
    lines = (out.stderr.strip() or out.stdout.strip() or "-").splitlines()
    return elapsed, lines[-1]


def log_size(db: Path) -> int:
    with sqlite3.connect(db) as con:
        return con.execute("SELECT max(seq) FROM log").fetchone()[0]


def cpu() -> float:
    """CPU seconds of finished children: the share of the wall time that was ours."""
    t = os.times()
    return t.children_user + t.children_system


def bench(n: int, root: Path | None, profile: Path | None, keep: Path | None,
          rebuild: bool) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = keep / str(n) if keep else Path(tmpdir)
        tmp.mkdir(parents=True, exist_ok=True)
        docs, db = tmp / "docs", tmp / "t.db"
        reused = db.exists()
        out: dict[str, float] = {}

        def step(name: str, args: list[str], prof: Path | None = None) -> str:
            c0 = cpu()
            out[name], line = timed(db, args, root, tmp, prof)
            out[name + "_cpu"] = cpu() - c0
            return line

        if reused:  # an earlier session's corpus: settle it under this code first
            line = step("settle", ["run", str(docs)])
            print(f"N={n}: reused {db}; settling run {out['settle']:.1f} s "
                  f"(cpu {out['settle_cpu']:.1f} s) — {line.split(': ', 1)[-1]}", flush=True)
        else:
            corpus.write(docs, n, varied=VARIED)
            step("first", ["run", str(docs)])
        head = log_size(db)
        step("noop", ["run", str(docs)])
        assert log_size(db) == head, "a no-op re-run appended events"
        first = f"{out['first']:.1f} s" if "first" in out else "(reused)"
        print(f"N={n}: first run {first} ({head:,} events); "
              f"no-op re-run {out['noop']:.2f} s (cpu {out['noop_cpu']:.2f} s)", flush=True)
        k = len(list(docs.glob("new-article*.txt")))  # each add-one a new article
        (docs / f"new-article{k or ''}.txt").write_text(
            NEW_ARTICLE + (f"\nUpdate {k}: ferries ran on time.\n" if k else ""),
            encoding="utf-8")
        line = step("add_one", ["run", str(docs)], profile)
        print(f"N={n}: adding 1 new document took {out['add_one']:.2f} s "
              f"(cpu {out['add_one_cpu']:.2f} s, appended {log_size(db) - head} events) — "
              f"{line.split(': ', 1)[-1]}", flush=True)
        if rebuild:
            step("rebuild", ["rebuild"])
            print(f"N={n}: rebuild {out['rebuild']:.2f} s (cpu {out['rebuild_cpu']:.2f} s)",
                  flush=True)
        return out


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    ap.add_argument("--root", type=Path, help="checkout whose timeline package to run")
    ap.add_argument("--profile", type=Path, help="cProfile output of the first add-one run")
    ap.add_argument("--keep", type=Path, help="keep (and reuse) corpora and databases here")
    ap.add_argument("--bytecode", action="store_true",
                    help="children may read and write compiled files (PYTHONDONTWRITEBYTECODE "
                         "cleared)")
    ap.add_argument("--cache", type=Path, help="the children's own cache directory")
    ap.add_argument("--no-rebuild", action="store_true", help="skip the rebuild")
    ap.add_argument("--varied", action="store_true", help="each round of copies renamed, "
                    "moved in time, some undated (scripts/corpus.py)")
    args = ap.parse_args()
    global BYTECODE, CACHE, VARIED
    VARIED = args.varied
    BYTECODE = args.bytecode
    CACHE = args.cache.resolve() if args.cache else None
    print(f"PYTHONDONTWRITEBYTECODE in children: "
          f"{'unset' if BYTECODE else os.environ.get('PYTHONDONTWRITEBYTECODE', 'unset')}",
          flush=True)
    print(f"cache directory of children: {CACHE or 'inherited'}", flush=True)
    root = args.root.resolve() if args.root else None
    results = {}
    for k, n in enumerate(args.sizes):
        results[n] = bench(n, root, args.profile if k == 0 else None,
                           args.keep.resolve() if args.keep else None, not args.no_rebuild)
    if args.profile:
        pstats.Stats(str(args.profile)).sort_stats("cumulative").print_stats(40)
    print(json.dumps(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
