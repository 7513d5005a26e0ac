"""Tagging speed: our engine against dateparser's search_dates on the same documents.

    python scripts/bench_temporal.py [--docs 120] [--repeat 5] [--adversarial-mb 1]

Prints, in one run on one machine:
* start-up: the bare interpreter, `timeline tag` on an empty file (as `python -m timeline`
  and as the `timeline` console script) and on a one-line file (which loads the English
  grammar; also without the grammar cache), as whole processes (min and median wall clock
  of --repeat, and the least CPU time); then the same from an install without an editable
  hook, as a wheel gives it (`--wheel-python`: a venv the wheel is installed in, see
  scripts/check_wheel.sh; else a scratch venv whose path holds this checkout's package
  directory and this venv's dependencies as plain entries). A checkout installed with
  `pip install -e` pays the editable finder's import hook on every start (site imports it,
  and it imports pathlib, importlib.util, fnmatch): the start-up target is judged on the
  wheel's figure, what a user gets;
* whole processes over the same --docs English news files (TempEval-3 train): `python -m
  timeline tag --lang en FILES` against a python process that reads the files and runs
  dateparser's search_dates on each (min and median of --repeat), and their ratio: what a
  user waits for;
* in-process: milliseconds per document for both taggers, warmed up, and their ratio;
  peak memory of our tagger;
* the time our tagger takes on 1 MB adversarial lines (digits and date-like tokens, no
  sentence breaks).
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpus

ROOT = Path(__file__).resolve().parents[1]
# dateparser's side of the whole-process race: read each file, drop our header line, search.
DATEPARSER = """
import json, sys
from dateparser.search import search_dates
for path in sys.argv[1:]:
    text = open(path, encoding="utf-8").read()
    if text.lstrip().startswith("date "):
        text = text.lstrip().split("\\n", 1)[1]
    for surface, when in search_dates(text, languages=["en"]) or []:
        sys.stdout.write(json.dumps({"file": path, "text": surface,
                                     "value": when.isoformat()}) + "\\n")
"""


def adversarial_lines(size: int) -> dict[str, str]:
    """Single lines of `size` characters, no sentence breaks: the tagger's worst inputs."""
    rnd = random.Random(1)
    dense = "1999 12/31 3:45 May 2 the 90s 4 hours ago 2023-09-13 45.6% $93 1/2 March "
    return {
        "one repeated letter": "a" * size,
        "random digits and separators": "".join(rnd.choice("0123456789 /-.:,")
                                                for _ in range(size)),
        "numbers 0-3000 (year-like)": " ".join(str(rnd.randint(0, 3000))
                                               for _ in range(size // 4))[:size],
        "dense real dates (a date every 6 characters)": (dense * (size // len(dense) + 1))[:size],
    }


def _median_seconds(run: Callable[[], object], times: int) -> float:
    laps = []
    for _ in range(times):
        t0 = time.perf_counter()
        run()
        laps.append(time.perf_counter() - t0)
    return statistics.median(laps)


def _process_seconds(cmd: list[str], times: int, env: dict[str, str],
                     cwd: Path = ROOT) -> tuple[float, ...]:
    """(min, median) wall-clock seconds of a whole process, output read through a pipe, and
    the least CPU time (user + system) it took: on a shared machine the steadier figure."""
    laps, cpus = [], []
    for _ in range(times):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, cwd=cwd,
                       check=False, timeout=600, env=env)
        laps.append(time.perf_counter() - t0)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    return min(laps), statistics.median(laps), min(cpus)


def _ms(figures: tuple[float, ...]) -> str:
    wall_min, wall_median, cpu = figures
    return (f"{wall_min * 1000:6.0f} ms min, {wall_median * 1000:6.0f} ms median "
            f"(cpu {cpu * 1000:5.0f} ms)")


def whole_processes(docs: list[str], repeat: int, wheel_python: str | None) -> None:
    """Start-up and the whole-process race, as a user runs them: bytecode cached as an
    installed package has it (this machine's PYTHONDONTWRITEBYTECODE would make every
    process of ours compile its modules, while dateparser's come compiled from pip), and
    the grammar cache of cli/cache.py filled by a first run, as any second run finds it."""
    with tempfile.TemporaryDirectory() as tmp:
        files = []
        for i, raw in enumerate(docs):
            path = Path(tmp) / f"doc{i:04d}.txt"
            path.write_text(raw, encoding="utf-8")
            files.append(str(path))
        empty = Path(tmp) / "empty.txt"
        empty.write_text("")
        one = Path(tmp) / "one.txt"
        one.write_text("The talks began on Monday, 3 May 2021.\n")
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env.update(PYTHONPYCACHEPREFIX=str(Path(tmp) / "pyc"),
                   TIMELINE_CACHE_DIR=str(Path(tmp) / "cache"))
        tag = [sys.executable, "-m", "timeline", "tag", "--lang", "en"]
        dateparser = [sys.executable, "-c", DATEPARSER, *files]
        for warm in ([*tag, *files], dateparser):
            _process_seconds(warm, 1, env)  # compiles bytecode, fills the grammar cache
        print(f"start-up, whole processes ({repeat} runs each), {_install(sys.executable)}:")
        startup(sys.executable, str(empty), str(one), repeat, env)
        wheel = wheel_python or scratch_install(Path(tmp) / "wheel-like")
        print(f"start-up, {_install(wheel)}:")
        startup(wheel, str(empty), str(one), repeat, env)
        ours = _process_seconds([*tag, *files], repeat, env)
        dp = _process_seconds(dateparser, repeat, env)
        print(f"whole processes over {len(files)} documents ({repeat} runs each):")
        print(f"  {'timeline tag --lang en FILES':<38}{_ms(ours)}")
        print(f"  {'python + dateparser search_dates':<38}{_ms(dp)}")
        print(f"  ratio: timeline is {dp[0] / ours[0]:.1f}x faster (min), "
              f"{dp[1] / ours[1]:.1f}x (median), {dp[2] / ours[2]:.1f}x (cpu)")


def startup(python: str, empty: str, one: str, repeat: int, env: dict[str, str]) -> None:
    """`timeline tag` on an empty and on a one-line file, beside the bare interpreter, run
    outside the checkout (from it, `python -m` would import the checkout's package)."""
    cwd = Path(empty).parent
    tag = [python, "-m", "timeline", "tag", "--lang", "en"]
    script = Path(python).parent / "timeline"
    scripted = [[str(script), *tag[3:], empty]] if script.exists() else []
    _process_seconds([*tag, one], 1, env, cwd)  # bytecode of this install, the grammar cache
    for name, cmd, extra in (
            ("python -c pass", [python, "-c", "pass"], {}),
            ("timeline tag --lang en EMPTY", [*tag, empty], {}),
            *(("  the same, `timeline` console script", c, {}) for c in scripted),
            ("timeline tag --lang en ONE-LINE", [*tag, one], {}),
            ("  the same, no grammar cache", [*tag, one], {"TIMELINE_CACHE_DIR": ""})):
        print(f"  {name:<38}{_ms(_process_seconds(cmd, repeat, {**env, **extra}, cwd))}")


def _install(python: str) -> str:
    """How `python` finds the package: through an editable finder (pip install -e) or not."""
    # setuptools puts its finder class itself on sys.meta_path, not an instance
    probe = ("import sys, timeline; print(any('__editable__' in getattr(f, '__module__', '') "
             "for f in sys.meta_path), timeline.__file__)")
    out = subprocess.run([python, "-c", probe], capture_output=True, text=True, check=True,
                         cwd=tempfile.gettempdir(), timeout=120).stdout.split(maxsplit=1)
    how = "editable install (finder hook)" if out[0] == "True" else "no editable hook"
    return f"{how}, {Path(out[1].strip()).parent.parent}"


def scratch_install(where: Path) -> str:
    """A venv (no pip) whose site-packages lists this checkout and this venv's dependencies
    in a .pth file: plain sys.path entries, as a wheel's install has them, without building
    one. Its `python` has the package and the dependencies, and no editable finder."""
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(where)], check=True,
                   timeout=300)
    python = where / "bin" / "python"
    site = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()"
                           "['purelib'])"], capture_output=True, text=True, check=True,
                          timeout=120).stdout.strip()
    ours = [p for p in sys.path if p.endswith("site-packages")]
    Path(site, "timeline-checkout.pth").write_text("\n".join([str(ROOT), *ours]) + "\n")
    return str(python)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", type=int, default=120)
    ap.add_argument("--adversarial-mb", type=float, default=1.0)
    ap.add_argument("--repeat", type=int, default=5,
                    help="timed runs of each process and passes over the documents (min "
                         "and median reported)")
    ap.add_argument("--wheel-python", metavar="PYTHON",
                    help="the interpreter of a venv with the wheel installed (default: a "
                         "scratch venv without an editable hook, see scratch_install)")
    ap.add_argument("--only", choices=["process", "inprocess", "adversarial"], nargs="*",
                    default=["process", "inprocess", "adversarial"])
    args = ap.parse_args()
    sources = corpus.tempeval_sources()[:args.docs]  # TempEval English news
    # on a shared machine every wall-clock figure scales with the load: say what it was
    print(f"load average (1, 5, 15 min): {' '.join(f'{x:.1f}' for x in os.getloadavg())} "
          f"on {os.cpu_count()} cores")
    if "process" in args.only:
        whole_processes(sources, args.repeat, args.wheel_python)
    if "inprocess" in args.only:
        in_process(sources, args.repeat)
    if "adversarial" in args.only:
        adversarial(int(args.adversarial_mb * 1_000_000))
    return 0


def in_process(sources: list[str], repeat: int) -> None:
    """Steady-state work per document, both taggers warmed up."""

    from dateparser.search import search_dates

    from timeline import ingest
    from timeline.temporal import tag

    texts = []
    for raw in sources:
        p = ingest.parse("x.txt", raw.encode())
        texts.append((p.text, (p.header.get("date") or "")[:10] or None))
    chars = sum(len(t) for t, _ in texts)
    # Start-up is measured above, in its own process: warm both taggers up so the per-document
    # figures are steady-state work (our compiled rules, dateparser's loaded language data).
    tag("warm up on Monday, 3 May 2021", "2021-05-04", "en")
    search_dates("warm up on Monday, 3 May 2021", languages=["en"])
    # The median of several passes: one pass of ours takes a fifth of a second, short
    # enough for a busy machine to move it by 10%.
    found = sum(len(tag(t, d, "en")) for t, d in texts)
    ours = _median_seconds(lambda: [tag(t, d, "en") for t, d in texts], repeat)
    tracemalloc.start()  # a separate pass: tracing slows everything it watches
    for t, d in texts:
        tag(t, d, "en")
    peak = tracemalloc.get_traced_memory()[1] / 1e6
    tracemalloc.stop()
    dp_found = sum(len(search_dates(t, languages=["en"]) or []) for t, _ in texts)
    dp = _median_seconds(lambda: [search_dates(t, languages=["en"]) for t, _ in texts],
                         max(1, repeat // 2))
    n = len(texts)
    print(f"documents: {n}, {chars / n:,.0f} characters on average")
    print(f"timeline:   {ours / n * 1000:8.2f} ms/document  ({found} expressions, "
          f"peak traced memory {peak:.1f} MB)")
    print(f"dateparser: {dp / n * 1000:8.2f} ms/document  ({dp_found} expressions)")
    print(f"in-process ratio: timeline is {dp / ours:.1f}x faster (median of {repeat} "
          f"passes for timeline, {max(1, repeat // 2)} for dateparser)")



def adversarial(size: int) -> None:
    from timeline.temporal import tag

    cases = adversarial_lines(size)
    tag("warm up on Monday, 3 May 2021", "2021-05-04", "en")  # compiled rules, not the first line
    print(f"adversarial single lines of {size / 1e6:.1f} MB:")
    for name, line in cases.items():
        t0, c0 = time.perf_counter(), time.process_time()
        hits = len(tag(line, "2023-09-14", "en"))
        took, cpu = time.perf_counter() - t0, time.process_time() - c0
        # the cost per expression found: the pipeline after the scan is per expression
        each = f", {cpu / hits * 1e6:.0f} us cpu each" if hits else ""
        # CPU time beside the wall clock: on a loaded machine the steadier figure
        print(f"  {name:<46} {took:6.2f} s (cpu {cpu:6.2f} s; {hits} expressions{each})")


if __name__ == "__main__":
    sys.exit(main())
