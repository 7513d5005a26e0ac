"""Hostile and broken input, case by case: what `timeline run` says and which exit code.

    python scripts/hostile_inputs.py

Each case is run on its own (one line of outcome, the exit code), then all of them
together with one good article, to show that the rest of the batch lands.
"""

from __future__ import annotations

import codecs
import os
import random
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

GOOD = "Leaders met on Wednesday in Geneva and agreed to meet again next month.\n"


def cases(d: Path) -> dict[str, Path]:
    rnd = random.Random(3)
    out: dict[str, Path] = {}

    def write(name: str, data: bytes) -> Path:
        p = d / name
        p.write_bytes(data)
        return p

    out["empty file"] = write("empty.txt", b"")
    out["binary file"] = write("binary.txt", bytes(rnd.randrange(256) for _ in range(4096)))
    out["invalid UTF-8"] = write("invalid.txt",
                                 b"caf\xe9 \xff\xfe\xfd " * 50 + bytes(range(128, 256)))
    out["UTF-16 with BOM"] = write("utf16.txt", codecs.BOM_UTF16_LE + GOOD.encode("utf-16-le"))
    out["Windows-1251 Russian"] = write(
        "cp1251.txt", "Путин и Ким провели переговоры в среду.\n".encode("cp1251"))
    big = d / "fifty-mb.txt"
    with big.open("wb") as fh:
        fh.truncate(50 * 1024 * 1024)  # sparse: rejected by size before it is read
    out["50 MB file"] = big
    out["1 MB single line"] = write("one-line.txt", (("word " * 199) + "on Monday. ").encode()
                                    * (1_000_000 // 1006))
    out["impossible header date"] = write("bad-date.txt", b" date 2023-13-45 Something happened.")
    out["header date in year 9999"] = write("year-9999.txt", b" date 9999-01-01 Far future.")
    numbers = " ".join(f"{rnd.randint(1, 12)}/{rnd.randint(1, 31)}/{rnd.randint(1900, 2100)} "
                       f"{rnd.randint(0, 99999)}" for _ in range(20000))
    out["thousands of numbers and date-like tokens"] = write("numbers.txt", numbers.encode())
    out["deeply nested HTML"] = write(
        "nested.html", b"<html><body>" + b"<div>" * 100_000 + b"<p>They met on Friday.</p>"
        + b"</div>" * 100_000 + b"</body></html>")
    loop = d / "loop"
    loop.mkdir()
    (loop / "article.txt").write_text(GOOD)
    os.symlink("..", loop / "back-up")
    out["symlink loop in a directory"] = loop
    os.symlink(d / "does-not-exist.txt", d / "dangling.txt")
    out["file deleted between listing and reading (dangling link)"] = d / "dangling.txt"
    locked = write("no-permission.txt", GOOD.encode())
    locked.chmod(0)
    out["unreadable permissions" + (" (root reads anyway)" if os.geteuid() == 0 else "")] = locked
    return out


def run(db: Path, *paths: Path) -> tuple[int, list[str], float]:
    t0 = time.perf_counter()
    p = subprocess.run([sys.executable, "-m", "timeline", "--db", str(db), "run",
                        *map(str, paths)], capture_output=True, text=True, timeout=600)
    lines = [x for x in p.stderr.splitlines() if not x.startswith("timeline: run ")]
    return p.returncode, lines, time.perf_counter() - t0


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp) / "in"
        d.mkdir()
        all_cases = cases(d)
        print(f"{'case':<58} exit  seconds  outcome")
        for name, path in all_cases.items():
            db = Path(tmp) / f"{abs(hash(name))}.db"
            code, lines, secs = run(db, path)
            tracebacks = any("Traceback" in x for x in lines)
            outcome = "; ".join(x.removeprefix("timeline: ") for x in lines) or "ingested"
            print(f"{name:<58} {code:>4}  {secs:7.2f}  {outcome[:110]}"
                  f"{'  TRACEBACK!' if tracebacks else ''}")
        good = d / "good.txt"
        good.write_text(GOOD)
        db = Path(tmp) / "all.db"
        code, lines, secs = run(db, d)
        n = sqlite3.connect(db).execute("SELECT count(*) FROM documents").fetchone()[0]
        print(f"\nall cases plus one good article in one run: exit {code}, {secs:.1f} s, "
              f"{len(lines)} lines on stderr, {n} documents ingested")
        for kind in ("not ours", "corrupted", "newer schema"):
            target = Path(tmp) / f"{kind.replace(' ', '-')}.db"
            if kind == "corrupted":
                target.write_bytes(b"SQLite format 3\x00" + b"\x07" * 5000)
            else:
                if kind == "newer schema":
                    run(target, good)
                conn = sqlite3.connect(target)
                conn.execute("CREATE TABLE customers (id)" if kind == "not ours"
                             else "PRAGMA user_version = 99")
                conn.commit()
                conn.close()
            before = target.read_bytes()
            code, lines, _ = run(target, good)
            same = target.read_bytes() == before
            print(f"database {kind:<13} exit {code}: {lines[0] if lines else ''}"
                  f" (file unchanged: {same})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
