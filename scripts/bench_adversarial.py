"""Parsing cost on adversarial input: seconds and seconds per MB through `ingest.parse`.

    python scripts/bench_adversarial.py [--sizes 60,120,1000] [--timeout 120] [--run]
    python scripts/bench_adversarial.py --overhead

Each case is a file a hostile user could drop beside good articles: a TimeML marker in the
first 2 KB followed by one construct repeated (`<TEXT>`, `<TITLE>`, `<TIMEX3 `, a bare `<`),
HTML with `<a ` or `<!--` repeated, and, for scale, a normal article repeated to the same
size (as text and as HTML). Each measurement runs in a fresh subprocess under a timeout, so a
quadratic parser shows up as "> timeout" instead of stalling the script. With `--run` the
same files also go through a whole `timeline run` (one file per run, a fresh database), which
includes tagging, the per-document time budget and the corpus phase.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ARTICLE = ROOT / "fixtures" / "crash"


def _article() -> str:
    files = sorted(ARTICLE.glob("*.txt"))
    return files[0].read_text(encoding="utf-8") if files else "The leaders met on Monday.\n"


def make(case: str, size: int) -> tuple[str, bytes]:
    """(file name, content of about `size` bytes) for one case."""
    tml = '<?xml version="1.0" ?>\n<TimeML>\n<DOCID>X</DOCID>\n'
    rep = {
        "timeml <TEXT>": ("a.tml", tml, "<TEXT>"),
        "timeml <TITLE>": ("a.tml", tml, "<TITLE>"),
        "timeml <TIMEX3 ": ("a.tml", tml, "<TIMEX3 "),
        "timeml <": ("a.tml", tml + "<TEXT>", "< "),
        "html <a ": ("a.html", "<html><body>", "<a "),
        "html <!--": ("a.html", "<html><body>", "<!--"),
        "html <p>x": ("a.html", "<html><body>", "<p>x"),
    }
    if case in rep:
        name, head, unit = rep[case]
        return name, (head + unit * (size // len(unit))).encode("utf-8")
    art = _article()
    if case == "article (txt)":
        return "a.txt", (art * (size // len(art) + 1)).encode("utf-8")[:size]
    para = "".join(f"<p>{line}</p>\n" for line in art.split("\n") if line.strip())
    html = "<html><head><title>T</title></head><body>" + para * (size // len(para) + 1)
    return "a.html", (html + "</body></html>").encode("utf-8")


CASES = ["timeml <TEXT>", "timeml <TITLE>", "timeml <TIMEX3 ", "timeml <", "html <a ",
         "html <!--", "html <p>x", "article (txt)", "article (html)"]

PARSE = """
import sys, time
from timeline import ingest
raw = open(sys.argv[1], 'rb').read()
t0 = time.perf_counter()
try:
    ingest.parse(sys.argv[2], raw)
except ingest.IngestError:
    pass
print(time.perf_counter() - t0)
"""


def _timed(cmd: list[str], timeout: float) -> float | None:
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False,
                             cwd=ROOT)
    except subprocess.TimeoutExpired:
        return None
    lines = out.stdout.strip().splitlines()
    return float(lines[-1]) if lines else float("nan")


def _run_once(path: Path, tmp: Path, timeout: float) -> str:
    """Seconds of a whole `timeline run` over the one file, and its exit code."""
    db = tmp / f"{path.stem}-{time.monotonic_ns()}.db"
    t0 = time.perf_counter()
    try:
        done = subprocess.run([sys.executable, "-m", "timeline", "--db", str(db), "run",
                               "--quiet", str(path)], capture_output=True, timeout=timeout,
                              check=False, cwd=ROOT)
    except subprocess.TimeoutExpired:
        return f"> {timeout:g}"
    return f"{time.perf_counter() - t0:.2f} (exit {done.returncode})"


def overhead(n: int = 300) -> None:
    """What a per-document budget costs on a short article: the interval timer the run uses
    (cli/guard.py) against a forked worker per document that sends its result back."""
    import os
    import pickle

    from timeline import ingest
    from timeline.cli.guard import Guard, Subject

    raw = _article().encode("utf-8")
    guard, subject = Guard("bench", 5.0, []), Subject("a.txt", len(raw))
    ingest.parse("a.txt", raw)  # warm: imports, resource files
    t0 = time.perf_counter()
    for _ in range(n):
        ingest.parse("a.txt", raw)
    plain = (time.perf_counter() - t0) / n
    t0 = time.perf_counter()
    for _ in range(n):
        guard.run("parse", subject, lambda: ingest.parse("a.txt", raw))
    timed = (time.perf_counter() - t0) / n
    t0 = time.perf_counter()
    for _ in range(n // 3):
        r, w = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.write(w, pickle.dumps(ingest.parse("a.txt", raw)))
            os._exit(0)
        os.close(w)
        with os.fdopen(r, "rb") as fh:
            pickle.loads(fh.read())
        os.waitpid(pid, 0)
    forked = (time.perf_counter() - t0) / (n // 3)
    print(f"per document (a {len(raw):,}-byte article): parse {plain * 1e3:.3f} ms, "
          f"under the timer {timed * 1e3:.3f} ms, in a forked worker {forked * 1e3:.3f} ms")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default="60,120,1000", help="sizes in KB, comma-separated")
    ap.add_argument("--timeout", type=float, default=120.0, help="seconds per measurement")
    ap.add_argument("--cases", default="", help="only cases containing this text")
    ap.add_argument("--run", action="store_true", help="also time a whole `timeline run`")
    ap.add_argument("--overhead", action="store_true",
                    help="only the cost of the budget: interval timer against forked worker")
    args = ap.parse_args()
    if args.overhead:
        sys.path.insert(0, str(ROOT))
        overhead()
        return 0
    sizes = [int(s) * 1000 for s in args.sizes.split(",")]
    print(f"{'case':18} {'KB':>6} {'parse s':>9} {'s/MB':>8}" + ("  run s" if args.run else ""))
    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = Path(tmpdir)
        for case in CASES:
            if args.cases and args.cases not in case:
                continue
            for size in sizes:
                name, raw = make(case, size)
                path = tmp / name
                path.write_bytes(raw)
                secs = _timed([sys.executable, "-c", PARSE, str(path), name], args.timeout)
                mb = len(raw) / 1e6
                cell = f"> {args.timeout:g}" if secs is None else f"{secs:.3f}"
                per = "-" if secs is None else f"{secs / mb:.3f}"
                line = f"{case:18} {len(raw) // 1000:>6} {cell:>9} {per:>8}"
                if args.run:
                    line += f"  {_run_once(path, tmp, args.timeout)}"
                print(line, flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
