"""Tagging speed: our engine against dateparser's search_dates on the same documents.

    python scripts/bench_temporal.py [--docs 120] [--repeat 5] [--adversarial-mb 1]

Prints, in one run on one machine:
* start-up: the bare interpreter, `timeline tag` on an empty file (as `python -m timeline`
  and as the `timeline` console script) and on a one-line file (which loads the English
  grammar; also without the grammar cache), as whole processes (the least CPU time and the
  least and median wall clock of --repeat runs, all cases interleaved), for this checkout
  as installed here and from an install without an editable hook, as a wheel gives it
  (`--wheel-python`: a venv the wheel is installed in, see scripts/check_wheel.sh; else a
  scratch venv whose path holds this checkout's package directory and this venv's
  dependencies as plain entries); with `--before CHECKOUT` the old code too, measured in
  the same rounds (a before/after in one run). A checkout installed with `pip install -e`
  pays the editable finder's import hook on every start (site imports it, and it imports
  pathlib, importlib.util, fnmatch): the start-up target is judged on the wheel's figure,
  what a user gets;
* whole processes over the same --docs English news files (TempEval-3 train): `python -m
  timeline tag --lang en FILES` for each install against a python process that reads the
  files and runs dateparser's search_dates on each, interleaved, and their ratios: what a
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
from typing import NamedTuple

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


def _cpu_wall(cmd: list[str], env: dict[str, str], cwd: Path) -> tuple[float, float]:
    """(CPU time (user + system), wall-clock seconds) of one whole process, output read
    through a pipe."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, cwd=cwd,
                   check=False, timeout=600, env=env)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime, wall


def _interleaved(cases: dict[str, tuple[list[str], dict[str, str]]], times: int,
                 cwd: Path) -> dict[str, tuple[float, float, float]]:
    """(min wall, median wall, min CPU) of each case, run in turn `times` rounds: on a
    shared machine a burst of load then falls on every case alike, and the least CPU time
    is the steadier figure."""
    laps: dict[str, list[tuple[float, float]]] = {name: [] for name in cases}
    for _ in range(times):
        for name, (cmd, env) in cases.items():
            laps[name].append(_cpu_wall(cmd, env, cwd))
    return {name: (min(w for _, w in runs), statistics.median(w for _, w in runs),
                   min(c for c, _ in runs)) for name, runs in laps.items()}


def _ms(figures: tuple[float, ...]) -> str:
    wall_min, wall_median, cpu = figures
    return (f"{wall_min * 1000:6.0f} ms min, {wall_median * 1000:6.0f} ms median "
            f"(cpu {cpu * 1000:5.0f} ms)")


class Install(NamedTuple):
    """One way of having the package: a label, its interpreter, its own grammar cache."""

    label: str
    python: str
    env: dict[str, str]


def installs(tmp: Path, wheel_python: str | None, before: Path | None,
             before_python: str | None) -> list[Install]:
    """This checkout as installed here (editable, if so) and as a wheel gives it, and with
    --before the old code the same two ways (its editable figure only from
    --before-python). Bytecode is cached as an installed package has it (this machine's
    PYTHONDONTWRITEBYTECODE would make every process of ours compile its modules, while
    dateparser's come compiled from pip); each install keeps its grammar cache apart (two
    versions of the cache would each remove the other's files)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(tmp / "pyc")
    pythons = [("after", sys.executable),
               ("after", wheel_python or scratch_install(tmp / "wheel-like", ROOT))]
    if before is not None:
        if before_python:
            pythons.append(("before", before_python))
        pythons.append(("before", scratch_install(tmp / "before-wheel-like", before)))
    out = []
    for i, (when, python) in enumerate(pythons):
        out.append(Install(f"{when}, {_install(python)}", python,
                           {**env, "TIMELINE_CACHE_DIR": str(tmp / f"cache{i}")}))
    return out


def whole_processes(docs: list[str], repeat: int, found: list[Install]) -> None:
    """Start-up and the whole-process race, as a user runs them, the grammar cache of
    cli/cache.py filled by a first run, as any second run finds it."""
    tmp = Path(found[0].env["PYTHONPYCACHEPREFIX"]).parent / "docs"
    tmp.mkdir()
    files = []
    for i, raw in enumerate(docs):
        path = tmp / f"doc{i:04d}.txt"
        path.write_text(raw, encoding="utf-8")
        files.append(str(path))
    empty, one = tmp / "empty.txt", tmp / "one.txt"
    empty.write_text("")
    one.write_text("The talks began on Monday, 3 May 2021.\n")
    for inst in found:  # bytecode of each install, the grammar cache
        for f in (str(one), str(empty), *files[:1]):
            _cpu_wall([inst.python, "-m", "timeline", "tag", "--lang", "en", f], inst.env, tmp)
    print(f"start-up, whole processes (each the least of {repeat} runs, interleaved):")
    startup(found, str(empty), str(one), repeat, tmp)
    dateparser = [found[0].python, "-c", DATEPARSER, *files]
    _cpu_wall(dateparser, found[0].env, tmp)
    race = {"python + dateparser search_dates": (dateparser, found[0].env)}
    race.update({inst.label: ([inst.python, "-m", "timeline", "tag", "--lang", "en", *files],
                              inst.env) for inst in found})
    got = _interleaved(race, repeat, tmp)
    dp = got.pop("python + dateparser search_dates")
    print(f"whole processes over {len(files)} documents ({repeat} runs each, interleaved):")
    print(f"  {'python + dateparser search_dates':<40}{_ms(dp)}")
    for label, ours in got.items():
        print(f"  timeline tag --lang en FILES, {label}:")
        print(f"  {'':<40}{_ms(ours)}")
        print(f"  {'':<4}ratio: timeline is {dp[0] / ours[0]:.1f}x faster (min wall), "
              f"{dp[1] / ours[1]:.1f}x (median), {dp[2] / ours[2]:.1f}x (cpu)")


def startup(found: list[Install], empty: str, one: str, repeat: int, cwd: Path) -> None:
    """`timeline tag` on an empty and on a one-line file, beside the bare interpreter, for
    each install, run outside the checkout (from it, `python -m` would import the
    checkout's package)."""
    cases: dict[str, tuple[list[str], dict[str, str]]] = {}
    for n, inst in enumerate(found):
        tag = [inst.python, "-m", "timeline", "tag", "--lang", "en"]
        script = Path(inst.python).parent / "timeline"
        nocache = {**inst.env, "TIMELINE_CACHE_DIR": ""}
        cases.update({
            f"{n} python -c pass": ([inst.python, "-c", "pass"], inst.env),
            f"{n} timeline tag --lang en EMPTY": ([*tag, empty], inst.env),
            **({f"{n}   the same, `timeline` console script": ([str(script), *tag[3:], empty],
                                                               inst.env)}
               if script.exists() else {}),
            f"{n} timeline tag --lang en ONE-LINE": ([*tag, one], inst.env),
            f"{n}   the same, no grammar cache": ([*tag, one], nocache)})
    got = _interleaved(cases, repeat, cwd)
    for n, inst in enumerate(found):
        print(f"  {inst.label}:")
        for name, figures in got.items():
            if name.startswith(f"{n} "):
                print(f"    {name.split(' ', 1)[1]:<38}{_ms(figures)}")


def _install(python: str) -> str:
    """How `python` finds the package: through an editable finder (pip install -e) or not."""
    # setuptools puts its finder class itself on sys.meta_path, not an instance
    probe = ("import sys, timeline; print(any('__editable__' in getattr(f, '__module__', '') "
             "for f in sys.meta_path), timeline.__file__)")
    out = subprocess.run([python, "-c", probe], capture_output=True, text=True, check=True,
                         cwd=tempfile.gettempdir(), timeout=120).stdout.split(maxsplit=1)
    how = "editable install (finder hook)" if out[0] == "True" else "no editable hook"
    return f"{how}, {Path(out[1].strip()).parent.parent}"


def scratch_install(where: Path, checkout: Path) -> str:
    """A venv (no pip) whose site-packages lists `checkout` and this venv's dependencies
    in a .pth file: plain sys.path entries, as a wheel's install has them, without building
    one. Its `python` has the package and the dependencies, and no editable finder."""
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(where)], check=True,
                   timeout=300)
    python = where / "bin" / "python"
    site = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()"
                           "['purelib'])"], capture_output=True, text=True, check=True,
                          timeout=120).stdout.strip()
    ours = [p for p in sys.path if p.endswith("site-packages")]
    Path(site, "timeline-checkout.pth").write_text("\n".join([str(checkout), *ours]) + "\n")
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
    ap.add_argument("--before", type=Path, metavar="CHECKOUT",
                    help="also the old code, a checkout of it (git worktree add --detach), "
                         "as a wheel-like install, interleaved with this one's runs")
    ap.add_argument("--before-python", metavar="PYTHON",
                    help="with --before: an interpreter that has the old code installed "
                         "(e.g. its editable venv), measured beside it")
    ap.add_argument("--only", choices=["process", "inprocess", "adversarial"], nargs="*",
                    default=["process", "inprocess", "adversarial"])
    args = ap.parse_args()
    sources = corpus.tempeval_sources()[:args.docs]  # TempEval English news
    # on a shared machine every wall-clock figure scales with the load: say what it was
    print(f"load average (1, 5, 15 min): {' '.join(f'{x:.1f}' for x in os.getloadavg())} "
          f"on {os.cpu_count()} cores")
    if "process" in args.only:
        with tempfile.TemporaryDirectory() as tmp:
            found = installs(Path(tmp), args.wheel_python, args.before, args.before_python)
            whole_processes(sources, args.repeat, found)
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
