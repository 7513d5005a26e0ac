"""The store's share of a real run, alone: the very batches a `timeline run` appended,
appended again to a fresh database, then replayed (`rebuild`).

    python scripts/bench_append.py capture DOCS BATCHES.pickle   # run once, keep the batches
    python scripts/bench_append.py replay BATCHES.pickle [--repeat 3]

`capture` runs `timeline run` over DOCS (e.g. a scripts/corpus.py corpus) with `Store.append`
wrapped to keep every batch (events, recorded_at, run id). `replay` appends them to a fresh
database in the same order and prints the append and rebuild times (best of --repeat), CPU
seconds beside wall, the database size and its records: a deterministic benchmark of the
append path (hash chain, duplicate check, fold) with the real mix of record types, free of
the analysis stages around it. Run `replay` with `--code DIR` to measure another checkout on
the same batches.
"""

from __future__ import annotations

import argparse
import os
import pickle
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any


def capture(docs: str, out: str) -> int:
    from timeline.cli import main
    from timeline.store import Store

    batches: list[tuple[list[Any], str, str | None]] = []
    original = Store.append

    def keep(self: Store, batch: Any, *, recorded_at: str, run_id: str | None = None) -> Any:
        batches.append((list(batch), recorded_at, run_id))
        return original(self, batch, recorded_at=recorded_at, run_id=run_id)

    Store.append = keep  # type: ignore[method-assign]
    with tempfile.TemporaryDirectory() as tmp:
        code = main(["--db", str(Path(tmp) / "t.db"), "run", "--quiet", "--jobs", "1", docs])
    with open(out, "wb") as fh:
        pickle.dump(batches, fh)
    print(f"exit {code}: {len(batches)} batches, "
          f"{sum(len(b) for b, _, _ in batches):,} events -> {out}")
    return code


def replay_once(batches: list[tuple[list[Any], str, str | None]], tmp: str) -> dict[str, float]:
    from timeline.store import Store

    path = Path(tmp) / "r.db"
    for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        p.unlink(missing_ok=True)
    with Store(path) as store:
        c0, t0 = time.process_time(), time.perf_counter()
        for batch, at, run_id in batches:
            store.append(batch, recorded_at=at, run_id=run_id)
        append = (time.perf_counter() - t0, time.process_time() - c0)
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        size = store.size_bytes()
        c0, t0 = time.perf_counter(), time.process_time()
        store.rebuild()
        rebuild = (time.perf_counter() - c0, time.process_time() - t0)
        head = store.head()
    return {"append_wall": append[0], "append_cpu": append[1], "rebuild_wall": rebuild[0],
            "rebuild_cpu": rebuild[1], "bytes": size, "records": head}


def replay(path: str, repeat: int) -> int:
    with open(path, "rb") as fh:
        batches = pickle.load(fh)
    texts = sum(len(e.text.encode()) for b, _, _ in batches for e in b
                if e.type in ("DocumentIngested", "DocumentRevised"))
    best: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(repeat):
            r = replay_once(batches, tmp)
            best = {k: min(v, best.get(k, v)) for k, v in r.items()}
    n = best["records"]
    print(f"{len(batches)} batches, {int(n):,} records, text {texts / 1e6:.1f} MB")
    print(f"append : {best['append_wall']:6.2f} s wall {best['append_cpu']:6.2f} s CPU "
          f"({n / best['append_wall']:9,.0f} records/s)")
    print(f"rebuild: {best['rebuild_wall']:6.2f} s wall {best['rebuild_cpu']:6.2f} s CPU "
          f"({n / best['rebuild_wall']:9,.0f} records/s)")
    print(f"db     : {best['bytes'] / 1e6:6.1f} MB ({best['bytes'] / max(texts, 1):.1f} x the "
          "text it holds)")
    return 0


def main() -> int:
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    c = sub.add_parser("capture")
    c.add_argument("docs")
    c.add_argument("out")
    r = sub.add_parser("replay")
    r.add_argument("batches")
    r.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--code", help="a checkout whose `timeline` package to run")
    args = ap.parse_args()
    if args.code:
        env = {**os.environ, "PYTHONPATH": args.code}
        argv = [a for a in sys.argv[1:] if a not in ("--code", args.code)]
        return subprocess.run([sys.executable, __file__, *argv], env=env).returncode
    if args.cmd == "capture":
        return capture(args.docs, args.out)
    return replay(args.batches, args.repeat)


if __name__ == "__main__":
    sys.exit(main())
