"""How fast `timeline run` lets go after SIGTERM: a run over N generated documents is sent
SIGTERM once its first batch has landed (the reading phase), and another once every
document has landed (the corpus-wide phase); each prints the seconds from the signal to the
exit, the exit code and `verify`. Then the time of an uninterrupted run, for scale.

    python scripts/bench_signals.py [--docs 400] [--every] [--before /work/main]

`--every` runs `run --every 1h` (a scheduled loop) instead of a single run; `--before`
repeats the measures with another checkout on PYTHONPATH, in the same run.
"""

from __future__ import annotations

import argparse
import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpus

TIMELINE = [sys.executable, "-m", "timeline"]


def count(db: Path, where: str) -> int:
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
            return conn.execute(f"SELECT count(*) FROM log WHERE {where}").fetchone()[0]
    except sqlite3.Error:
        return 0


def stop_when(db: Path, docs: Path, where: str, expect: int, extra: list[str],
              env: dict[str, str]) -> str:
    proc = subprocess.Popen([*TIMELINE, "--db", str(db), "run", "--quiet", *extra, str(docs)],
                            stderr=subprocess.PIPE, text=True, env=env, cwd=db.parent)
    while count(db, where) < expect:
        if proc.poll() is not None:
            return "the run ended before the signal"
        time.sleep(0.01)
    t0 = time.perf_counter()
    proc.send_signal(signal.SIGTERM)
    proc.wait()
    waited = time.perf_counter() - t0
    check = subprocess.run([*TIMELINE, "--db", str(db), "verify"], capture_output=True,
                           text=True, env=env, cwd=db.parent)
    landed = count(db, "type = 'DocumentIngested'")
    return (f"exit {proc.returncode} {waited:.2f} s after SIGTERM, {landed} documents landed, "
            f"verify: {check.stdout.strip() or check.stderr.strip()}")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", type=int, default=400)
    ap.add_argument("--every", action="store_true")
    ap.add_argument("--before", type=Path)
    args = ap.parse_args()
    extra = ["--every", "1h"] if args.every else []
    root = Path(__file__).resolve().parents[1]
    with tempfile.TemporaryDirectory() as tmp:
        docs = Path(tmp) / "docs"
        corpus.write(docs, args.docs)
        print(f"{args.docs} documents, run {' '.join(extra)}")
        for name, checkout in [("after", root), *([("before", args.before)] * bool(args.before))]:
            env = {**os.environ, "PYTHONPATH": str(checkout)}
            for phase, expect in (("reading", 1), ("corpus", args.docs)):
                db = Path(tmp) / f"{name}-{phase}.db"
                print(f"{name:6} {phase} phase: ", stop_when(
                    db, docs, "type = 'DocumentIngested'", expect, extra, env))
        t0 = time.perf_counter()
        subprocess.run([*TIMELINE, "--db", str(Path(tmp) / "c.db"), "run", "--quiet",
                        str(docs)], check=True)
        print(f"uninterrupted run: {time.perf_counter() - t0:.2f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
