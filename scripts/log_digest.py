"""What a first `timeline run` appends, one line per log record: to prove a speed change
changed no output anywhere in the log.

    python scripts/log_digest.py --docs DIR --code OLD > before.txt   # another checkout
    python scripts/log_digest.py --docs DIR --check before.txt        # this checkout

`--docs` is a directory of articles (fixtures/, or one scripts/corpus.py wrote: give both
runs the same directory, as paths are part of the log). The run is `timeline run --jobs 1
--quiet` on a fresh database in a temporary directory; each line is `seq:type<TAB>sha256` of
the record's stream and payload without what names the code or the clock (the engine, the
run's id and times) and with every `prev` (an event id, which hashes the engine) replaced by
the seq of the record it names. `--code DIR` runs another checkout's package; `--jobs N`
runs with N workers (the log must not depend on it).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import digests

_CLOCK = frozenset({"engine", "run_id", "started_at", "finished_at", "elapsed", "seconds"})


def _plain(value: Any, seq_of: dict[str, int]) -> Any:
    if isinstance(value, dict):
        return {k: (seq_of.get(v, v) if k == "prev" else _plain(v, seq_of))
                for k, v in value.items() if k not in _CLOCK}
    if isinstance(value, list):
        return [_plain(v, seq_of) for v in value]
    return value


def lines(db: Path) -> list[str]:
    conn = sqlite3.connect(db)
    rows = conn.execute("SELECT seq, event_id, type, stream, data FROM log ORDER BY seq").fetchall()
    conn.close()
    seq_of = {eid: seq for seq, eid, _t, _s, _d in rows}
    out = []
    for seq, _eid, type_, stream, data in rows:
        if type_.startswith("Run"):
            continue  # the run's own clock and counts
        blob = json.dumps([stream, _plain(json.loads(data), seq_of)], sort_keys=True,
                          ensure_ascii=False)
        out.append(f"{seq}:{type_}\t{hashlib.sha256(blob.encode()).hexdigest()[:16]}")
    return out


def run(docs: Path, code: str | None, jobs: int = 1) -> list[str]:
    env = dict(os.environ)
    if code:
        env["PYTHONPATH"] = code + os.pathsep + env.get("PYTHONPATH", "")
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "t.db"
        subprocess.run([sys.executable, "-m", "timeline", "--db", str(db), "run", "--quiet",
                        "--jobs", str(jobs), str(docs.resolve())], env=env, cwd=tmp, check=False)
        return lines(db)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", type=Path, required=True)
    ap.add_argument("--code", help="a checkout whose `timeline` package to run")
    ap.add_argument("--check", type=Path, help="a digest written before: print what differs")
    ap.add_argument("--jobs", type=int, default=1, help="`timeline run --jobs` (default 1)")
    args = ap.parse_args()
    got = run(args.docs, args.code, args.jobs)
    if args.check:
        return digests.check(args.check, got, "records")
    print("\n".join(got))
    return 0


if __name__ == "__main__":
    sys.exit(main())
