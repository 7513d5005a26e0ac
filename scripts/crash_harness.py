"""Crash safety, tested: kill `timeline run` with SIGKILL at random moments, then finish it.

    python scripts/crash_harness.py [--docs 300] [--rounds 8] [--seed 7] [--jobs N]

A clean, uninterrupted run gives the reference picture. Then, on a fresh database, the same
run is started and killed at a random moment, again and again (each killed run leaves what
it had committed), and finally run to completion. The harness checks that `timeline verify`
passes, that no event_id appears twice, and that `show --format json` is identical to the
clean run's. Exit code 0 when all holds, 1 otherwise.
"""

from __future__ import annotations

import argparse
import json
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpus


def timeline(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "timeline", "--db", str(db), *args],
                          capture_output=True, text=True)


def head(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        return sqlite3.connect(db).execute("SELECT coalesce(max(seq), 0) FROM log").fetchone()[0]
    except sqlite3.Error:
        return 0


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", type=int, default=300)
    ap.add_argument("--rounds", type=int, default=8)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--jobs", help="passed to every `timeline run` (worker processes)")
    args = ap.parse_args()
    jobs = ["--jobs", args.jobs] if args.jobs else []
    rnd = random.Random(args.seed)
    with tempfile.TemporaryDirectory() as tmp:
        docs = Path(tmp) / "docs"
        corpus.write(docs, args.docs)
        clean = Path(tmp) / "clean.db"
        t0 = time.perf_counter()
        assert timeline(clean, "run", "--quiet", *jobs, str(docs)).returncode == 0
        duration = time.perf_counter() - t0
        reference = json.loads(timeline(clean, "show", "--format", "json").stdout)
        print(f"clean run: {args.docs} documents, {duration:.1f} s, {head(clean):,} events")

        crashed = Path(tmp) / "crashed.db"
        mid = 0
        for r in range(1, args.rounds + 1):
            before = head(crashed)
            proc = subprocess.Popen([sys.executable, "-m", "timeline", "--db", str(crashed),
                                     "run", "--quiet", *jobs, str(docs)],
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            delay = rnd.uniform(0.3, max(0.5, duration * 0.9))
            time.sleep(delay)
            running = proc.poll() is None
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            mid += running
            print(f"round {r}: SIGKILL after {delay:.2f} s "
                  f"({'mid-run' if running else 'after it had finished'}); "
                  f"log {before:,} -> {head(crashed):,} events")
        final = timeline(crashed, "run", "--quiet", *jobs, str(docs))
        verify = timeline(crashed, "verify")
        conn = sqlite3.connect(crashed)
        dupes = conn.execute("SELECT count(*) - count(DISTINCT event_id) FROM log").fetchone()[0]
        picture = json.loads(timeline(crashed, "show", "--format", "json").stdout)
        mismatches = [k for k in reference if reference[k] != picture[k]]
        said = verify.stdout.strip() or verify.stderr.strip()
        print(f"completion run exit {final.returncode}; verify: {said}")
        print(f"rounds {args.rounds}, kills mid-run {mid}, duplicate event_ids {dupes}, "
              f"projection mismatches {len(mismatches)} {mismatches or ''}")
        ok = final.returncode == 0 and verify.returncode == 0 and dupes == 0 and not mismatches
        print("OK" if ok else "FAILED")
        return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
