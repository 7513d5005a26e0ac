"""Hostile and broken input, case by case, each beside a good article: does the run survive?

    python scripts/hostile_inputs.py            # every case, small sizes: a quick check
    python scripts/hostile_inputs.py --full     # the sizes of the issue, for the figures
    python scripts/hostile_inputs.py --only fifo --timeout 60

A case is data: a builder that writes the hostile input into a fresh folder beside `in/good.txt`
(or names a hostile database), the expected outcome of `timeline run` (exit codes, how many
stderr lines name the bad input), and commands to run afterwards. Each command runs in a
subprocess with a timeout, so a stall is a failure, not a hang. The outcome is checked the
same way for every case: no traceback, every stderr line is one of ours (`timeline: ...`, so
no name forged a line), the exit code is one of those expected, the bad input is named as
often as expected, the good article landed. `tests/test_hostile.py` runs every case through
`check`.
"""

from __future__ import annotations

import argparse
import codecs
import os
import random
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from timeline.cli.files import MAX_DEPTH  # noqa: E402
from timeline.paths import escape_path  # noqa: E402

GOOD = "Leaders met on Wednesday in Geneva and agreed to meet again next month.\n"
GOOD_PATH = "in/good.txt"
TIMEOUT = 120.0
CODE = [ROOT]  # the checkout whose timeline is run (--code: figures for another version)
AS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0
# what must never reach a terminal from a document: C0/C1 controls but newline, bidi controls
RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e"
                         "\u2066-\u2069]")


@dataclass(frozen=True)
class Setup:
    """What a builder made: the arguments of `run`, and the bad input as it is printed."""

    args: list[str]
    bad: str | None
    db: str = "timeline.db"
    mb: float = 0.0  # size of the hostile input, for the per-MB figure


@dataclass(frozen=True)
class Step:
    """A command after the run, e.g. an export of what the run stored."""

    argv: tuple[str, ...]
    exits: tuple[int, ...] = (0,)
    clean: bool = False  # stdout must hold no raw terminal control from a document


@dataclass(frozen=True)
class Case:
    name: str
    build: Callable[[Path, bool], Setup]  # (case folder, full size) -> what to run
    exits: tuple[int, ...] = (1,)  # acceptable exit codes of `run`
    named: tuple[int, ...] = (1,)  # acceptable numbers of stderr lines naming the bad input
    good_lands: bool = True
    then: tuple[Step, ...] = ()
    extra: Callable[[Path, Setup], list[str]] | None = None  # more checks; returns failures
    large: bool = False  # print seconds per MB


@dataclass
class Outcome:
    case: str
    passed: bool
    exit: int | None
    seconds: float
    mb: float
    failures: list[str] = field(default_factory=list)
    stderr: list[str] = field(default_factory=list)

    def per_mb(self) -> str:
        """Seconds per MB; a stall (killed at the timeout) shows as a lower bound."""
        if not self.mb:
            return ""
        return f"{'>' if self.exit is None else ''}{self.seconds / self.mb:.2f}"


# ------------------------------------------------------------------ builders


def in_folder(filename: str | bytes, data: Callable[[bool], bytes] | bytes) -> Callable[
        [Path, bool], Setup]:
    """A builder writing one file into `in/` beside the good article; `run in`."""
    def build(tmp: Path, full: bool) -> Setup:
        raw = data(full) if callable(data) else data
        name = os.fsencode(filename)
        (tmp / "in" / os.fsdecode(name)).write_bytes(raw)
        return Setup(["in"], escape_path(b"in/" + name), mb=len(raw) / 1e6)
    return build


def dated(body: str) -> bytes:
    return f"date: 2024-03-10\n\n{body}\n".encode()


def _random_binary(_full: bool) -> bytes:
    rnd = random.Random(3)
    return bytes(rnd.randrange(256) for _ in range(4096))


def _one_line(full: bool) -> bytes:
    return (("word " * 199) + "on Monday. ").encode() * ((1_000_000 if full else 100_000) // 1006)


def _numbers(full: bool) -> bytes:
    rnd = random.Random(3)
    return " ".join(f"{rnd.randint(1, 12)}/{rnd.randint(1, 31)}/{rnd.randint(1900, 2100)} "
                    f"{rnd.randint(0, 99999)}" for _ in range(20000 if full else 2000)).encode()


def _nested_html(full: bool) -> bytes:
    n = 100_000 if full else 10_000
    return (b"<html><body>" + b"<div>" * n + b"<p>They met on Friday.</p>" + b"</div>" * n
            + b"</body></html>")


def _repeated(prefix: bytes, unit: bytes, full_count: int, small_count: int) -> Callable[
        [bool], bytes]:
    return lambda full: prefix + unit * (full_count if full else small_count)


def _sparse_50mb(tmp: Path, _full: bool) -> Setup:
    with (tmp / "in" / "fifty-mb.txt").open("wb") as fh:
        fh.truncate(50 * 1024 * 1024)  # sparse: rejected by size before it is read
    return Setup(["in"], "in/fifty-mb.txt")


def _symlink_loop(tmp: Path, _full: bool) -> Setup:
    loop = tmp / "in" / "loop"
    loop.mkdir()
    (loop / "article.txt").write_text("They met on Monday in Oslo.\n")
    os.symlink("..", loop / "back-up")
    return Setup(["in"], "in/loop/back-up", mb=0)


def _dangling(tmp: Path, _full: bool) -> Setup:
    os.symlink(tmp / "in" / "does-not-exist.txt", tmp / "in" / "dangling.txt")
    return Setup(["in"], "in/dangling.txt")


def _unreadable(tmp: Path, _full: bool) -> Setup:
    p = tmp / "in" / "no-permission.txt"
    p.write_text("They met on Monday in Oslo.\n")
    p.chmod(0)
    return Setup(["in"], "in/no-permission.txt")


def _fifo_in_folder(tmp: Path, _full: bool) -> Setup:
    os.mkfifo(tmp / "in" / "pipe.txt")
    return Setup(["in"], "in/pipe.txt")


def _fifo_named(tmp: Path, _full: bool) -> Setup:
    os.mkfifo(tmp / "pipe")
    return Setup(["pipe", "in"], "pipe")


def _socket_in_folder(tmp: Path, _full: bool) -> Setup:
    here = os.getcwd()
    os.chdir(tmp / "in")  # a socket's path must be short
    try:
        with socket.socket(socket.AF_UNIX) as s:
            s.bind("sock.txt")
    finally:
        os.chdir(here)
    return Setup(["in"], "in/sock.txt")


def _device_named(_tmp: Path, _full: bool) -> Setup:
    return Setup(["/dev/null", "in"], "/dev/null")


def _db_fifo(tmp: Path, _full: bool) -> Setup:
    os.mkfifo(tmp / "fifo.db")
    return Setup(["in"], "fifo.db", db="fifo.db")


def _lock_fifo(tmp: Path, _full: bool) -> Setup:
    os.mkfifo(tmp / "timeline.db.lock")
    return Setup(["in"], "timeline.db.lock")


def _deep(tmp: Path, _full: bool) -> Setup:
    d = tmp / "in" / "deep"
    d.mkdir()
    (d / "shallow.txt").write_text("They met on Monday in Oslo.\n")
    too_deep = None
    for level in range(1, 1001):  # os.makedirs recurses: make them one by one
        d = d / "d"
        d.mkdir()
        if level == MAX_DEPTH:  # `in` is the top (depth 0), `in/deep` depth 1
            too_deep = d
    (d / "bottom.txt").write_text("They met on Sunday in Rome.\n")
    assert too_deep is not None
    return Setup(["in"], escape_path(os.fsencode(too_deep.relative_to(tmp))))


def _odd_name(name: bytes, data: bytes) -> Callable[[Path, bool], Setup]:
    return in_folder(name, data)


def _database(kind: str) -> Callable[[Path, bool], Setup]:
    def build(tmp: Path, _full: bool) -> Setup:
        target = tmp / f"{kind}.db"
        if kind == "corrupted":
            target.write_bytes(b"SQLite format 3\x00" + b"\x07" * 5000)
        else:
            if kind == "newer-schema":
                subprocess.run(timeline_argv(target.name, "run", "in/good.txt"), cwd=tmp,
                               capture_output=True, timeout=TIMEOUT, check=True)
                (tmp / "in" / "good.txt").write_text(GOOD.replace("Geneva", "Bern"))
            conn = sqlite3.connect(target)
            conn.execute("CREATE TABLE customers (id)" if kind == "not-ours"
                         else "PRAGMA user_version = 99")
            conn.commit()
            conn.close()
        shutil.copy(target, tmp / "before.db")
        return Setup(["in"], target.name, db=target.name)
    return build


# ------------------------------------------------------------------ extra checks


def _unchanged_db(tmp: Path, setup: Setup) -> list[str]:
    same = (tmp / setup.db).read_bytes() == (tmp / "before.db").read_bytes()
    return [] if same else ["the database file was changed"]


def _rerun_unchanged(tmp: Path, setup: Setup) -> list[str]:
    """The file cache works for the odd name: a second run reads nothing again."""
    code, _, err, _ = run_timeline(tmp, setup.db, ("run", *setup.args))
    summary = [x for x in err.splitlines() if x.startswith("timeline: run ")]
    if code != 0 or not summary or "(0 new, 0 revised, 2 unchanged" not in summary[0]:
        return [f"re-run: exit {code}, {summary[0] if summary else err.strip()[:120]}"]
    return _lands(setup.bad)(tmp, setup)


def _lands(shown: str | None) -> Callable[[Path, Setup], list[str]]:
    def check(tmp: Path, setup: Setup) -> list[str]:
        return [] if shown in stored_paths(tmp / setup.db) else [f"{shown} did not land"]
    return check


def _deep_shallow_lands(tmp: Path, setup: Setup) -> list[str]:
    return _lands("in/deep/shallow.txt")(tmp, setup)


_DATE = re.compile(r"\b(\d{4}|XXXX)-(\d\d)-(\d\d)")


def _no_impossible_values(tmp: Path, setup: Setup) -> list[str]:
    """Every stored TIMEX3 value with a calendar day is a day that exists."""
    import datetime as dt

    bad = []
    for (value,) in sqlite3.connect(tmp / setup.db).execute("SELECT value FROM timexes"):
        for year, month, day in _DATE.findall(value or ""):
            try:
                dt.date(2000 if year == "XXXX" else int(year), int(month), int(day))
            except ValueError:
                bad.append(value)
    return [f"impossible stored values: {', '.join(bad[:3])}"] if bad else []


# ------------------------------------------------------------------ the cases


def cases() -> list[Case]:
    maybe = {"exits": (0, 1), "named": (0, 1)}  # either lands or is rejected, named once
    lands = {"exits": (0,), "named": (0,)}
    warned = {"exits": (0,), "named": (1,)}  # lands with one warning line
    impossible = [
        ("en April 31", "They met on April 31 in Geneva and talked for hours."),
        ("es 31 de abril", "Los ministros se reunieron el 31 de abril en Madrid."),
        ("ru 31 апреля", "Министры встретились 31 апреля в Москве."),
        ("en June 31", "The summit opened on June 31 in Vienna."),
        ("en September 31", "Talks resumed on September 31 in Oslo."),
        ("en November 31", "The vote was held on November 31 in Lima."),
    ]
    terminal_title = (
        "<html><head><title>&#x1b;[31mRed&#x1b;[0m &#x1b;]8;;http://evil.example/&#x7;click"
        "&#x1b;]8;;&#x7; \u202eevil</title></head><body><p>The [bold]ministers[/bold] met on "
        "Monday in [link=http://evil.example/]Rome[/link]. Talks in Geneva on Tuesday.</p>"
        "</body></html>").encode()
    return [
        Case("empty file", in_folder("empty.txt", b"")),
        Case("binary file", in_folder("binary.txt", _random_binary)),
        Case("invalid UTF-8", in_folder("invalid.txt", b"caf\xe9 \xff\xfe\xfd " * 50
                                        + bytes(range(128, 256)))),
        Case("UTF-16 with BOM", in_folder("utf16.txt", codecs.BOM_UTF16_LE
                                          + GOOD.replace("Geneva", "Bern").encode("utf-16-le")),
             **warned),
        Case("Windows-1251 Russian", in_folder(
            "cp1251.txt", "Путин и Ким провели переговоры в среду.\n".encode("cp1251")), **warned),
        Case("50 MB file (sparse)", _sparse_50mb),
        Case("1 MB single line", in_folder("one-line.txt", _one_line), **lands, large=True),
        Case("impossible header date", in_folder("bad-date.txt",
                                                 b" date 2023-13-45 Something happened.")),
        Case("header date in year 9999", in_folder("year-9999.txt",
                                                   b" date 9999-01-01 Far future.")),
        Case("thousands of date-like numbers", in_folder("numbers.txt", _numbers), **lands,
             large=True),
        Case("deeply nested HTML", in_folder("nested.html", _nested_html), **lands, large=True),
        Case("symlink loop in a directory", _symlink_loop),
        Case("dangling symbolic link", _dangling),
        Case("unreadable permissions" + (" (root reads anyway)" if AS_ROOT else ""), _unreadable,
             **(lands if AS_ROOT else {})),
        Case("database not ours", _database("not-ours"), exits=(2,), good_lands=False,
             extra=_unchanged_db),
        Case("database corrupted", _database("corrupted"), exits=(2,), good_lands=False,
             extra=_unchanged_db),
        Case("database of a newer schema", _database("newer-schema"), exits=(2,),
             good_lands=False, extra=_unchanged_db),
        *[Case(f"year-less impossible date: {name}", in_folder("impossible.txt", dated(text)),
               **maybe, extra=_no_impossible_values)
          for name, text in impossible],
        Case("file name not UTF-8", _odd_name(b"caf\xe9.txt", b"They met on Monday in Paris.\n"),
             **lands, extra=_rerun_unchanged),
        Case("newline in a file name", _odd_name(b"new\nline.txt", b"They met in Rome on Friday."),
             **lands, extra=_rerun_unchanged),
        Case("newline in a rejected file's name",
             _odd_name(b"x\ntimeline: all fine\n.txt", b"")),
        Case("FIFO in the folder", _fifo_in_folder),
        Case("FIFO named on the command line", _fifo_named),
        Case("socket in the folder", _socket_in_folder),
        Case("device named on the command line", _device_named),
        Case("--db at a FIFO", _db_fifo, exits=(2,), good_lands=False),
        Case("lock file is a FIFO", _lock_fifo, exits=(2,), good_lands=False),
        Case("1,000 nested directories", _deep, extra=_deep_shallow_lands),
        *[Case(f"TimeML with {tag.decode()!r} repeated", in_folder(
            f"repeated-{i}.tml", _repeated(b"<TimeML>\n", tag, 40_000, 500)), **maybe,
            large=True)
          for i, tag in enumerate((b"<TEXT>", b"<TITLE>", b"<TIMEX3 "))],
        Case("HTML with '<a ' repeated", in_folder("anchors.html", _repeated(
            b"<html><body>", b"<a ", 40_000, 500)), **maybe, large=True),
        Case("HTML with '<!--' repeated", in_folder("comments.html", _repeated(
            b"<html><body>", b"<!--", 30_000, 400)), **maybe, large=True),
        *[Case(f"stored impossible date {date!r}, then exports",
               in_folder("stored.txt", dated(f"The treaty was signed on {date} in Rome.")),
               **maybe, then=(Step(("export", "--format", "ics")),
                              Step(("export", "--format", "timesketch"))))
          for date in ("February 30, 2024", "2019-04-31")],
        Case("terminal escapes and rich markup in a document", in_folder("term.html",
                                                                        terminal_title),
             **lands, then=(Step(("documents",), clean=True),
                            Step(("show", "--sources"), clean=True),
                            Step(("search", "ministers"), clean=True),
                            Step(("search", "[/bold]"), exits=(0, 1)))),
    ]


# ------------------------------------------------------------------ running and checking


RUN_OPTIONS: list[str] = []  # added to every `timeline run` (--jobs N)


def timeline_argv(db: str, *args: str) -> list[str]:
    if args and args[0] == "run":
        args = ("run", *RUN_OPTIONS, *args[1:])
    return [sys.executable, "-m", "timeline", "--db", db, *args]


def run_timeline(cwd: Path, db: str, args: Sequence[str],
                 timeout: float = TIMEOUT) -> tuple[int | None, str, str, float]:
    """(exit code or None when it stalled, stdout, stderr, seconds), in its own process group
    so that a stall is killed whole."""
    env = {**os.environ, "NO_COLOR": "1", "PYTHONPATH": str(CODE[0])}
    t0 = time.perf_counter()
    proc = subprocess.Popen(timeline_argv(db, *args), cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            start_new_session=True)
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        out, err = proc.communicate()
        return None, out.decode(errors="replace"), err.decode(errors="replace"), timeout
    return (proc.returncode, out.decode(errors="replace"), err.decode(errors="replace"),
            time.perf_counter() - t0)


def stored_paths(db: Path) -> set[str]:
    if not db.is_file() or db.is_symlink():
        return set()
    try:
        conn = sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True)
        try:
            return {r[0] for r in conn.execute("SELECT path FROM documents")}
        finally:
            conn.close()
    except sqlite3.Error:
        return set()


def _common(what: str, code: int | None, out: str, err: str, exits: tuple[int, ...],
            timeout: float) -> list[str]:
    failures = []
    if code is None:
        failures.append(f"{what}: stalled, killed after {timeout:g} s")
    elif code not in exits:
        failures.append(f"{what}: exit {code}, expected {' or '.join(map(str, exits))}")
    if "Traceback" in err or "Traceback" in out:
        failures.append(f"{what}: traceback: {err.strip().splitlines()[-1][:160]}")
    stray = [x for x in err.splitlines() if not x.startswith("timeline: ")]
    if stray and "Traceback" not in err:
        failures.append(f"{what}: stderr line not ours (forged?): {stray[0][:80]!r}")
    return failures


def check(case: Case, *, full: bool = False, timeout: float = TIMEOUT) -> Outcome:
    tmp = Path(tempfile.mkdtemp(prefix="hostile-"))
    try:
        (tmp / "in").mkdir()
        (tmp / "in" / "good.txt").write_text(GOOD)
        setup = case.build(tmp, full)
        code, out, err, secs = run_timeline(tmp, setup.db, ("run", *setup.args), timeout)
        lines = [x for x in err.splitlines() if not x.startswith("timeline: run ")]
        failures = _common("run", code, out, err, case.exits, timeout)
        if setup.bad is not None:
            named = sum(1 for x in lines if x.startswith(f"timeline: {setup.bad}: "))
            if named not in case.named:
                failures.append(f"{setup.bad} named on {named} stderr lines, expected "
                                f"{' or '.join(map(str, case.named))}")
        if code == 1 and not lines:
            failures.append("exit 1 (inputs rejected) but no input named")
        if case.good_lands and GOOD_PATH not in stored_paths(tmp / setup.db):
            failures.append("the good article did not land")
        for step in case.then:
            s_code, s_out, s_err, _ = run_timeline(tmp, setup.db, step.argv, timeout)
            what = " ".join(step.argv)
            failures += _common(what, s_code, s_out, s_err, step.exits, timeout)
            if step.clean and RAW_CONTROL.search(s_out):
                failures.append(f"{what}: raw terminal control in stdout: "
                                f"{RAW_CONTROL.search(s_out).group()!r}")  # type: ignore[union-attr]
        if case.extra and code is not None:
            failures += case.extra(tmp, setup)
        return Outcome(case.name, not failures, code, secs, setup.mb if case.large else 0.0,
                       failures, lines)
    finally:
        remove_tree(tmp)


def remove_tree(top: Path) -> None:
    """shutil.rmtree recurses on Python 3.11 (1,000 nested directories): a loop instead."""
    todo = [top]
    while todo:
        d = todo[-1]
        os.chmod(d, 0o700)
        subdirs = [Path(e.path) for e in os.scandir(d) if e.is_dir(follow_symlinks=False)]
        if subdirs:
            todo += subdirs
            continue
        for e in os.scandir(d):
            os.unlink(e.path)
        os.rmdir(d)
        todo.pop()


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--full", action="store_true", help="the sizes of the issue (slow today)")
    ap.add_argument("--only", help="only cases whose name contains this")
    ap.add_argument("--timeout", type=float, default=TIMEOUT, help="seconds per command")
    ap.add_argument("--code", type=Path, default=ROOT,
                    help="run the timeline of this checkout (e.g. main, for before/after)")
    ap.add_argument("--jobs", help="passed to every `timeline run` (worker processes)")
    args = ap.parse_args(argv)
    CODE[0] = args.code.resolve()
    RUN_OPTIONS[:] = ["--jobs", args.jobs] if args.jobs else []
    chosen = [c for c in cases() if not args.only or args.only.lower() in c.name.lower()]
    print(f"{'case':<52} {'exit':>4} {'seconds':>8} {'s/MB':>8}  result  outcome")
    failed = 0
    for case in chosen:
        o = check(case, full=args.full, timeout=args.timeout)
        failed += not o.passed
        said = "; ".join(x.removeprefix("timeline: ") for x in o.stderr) or "landed"
        verdict = "pass" if o.passed else "FAIL"
        exit_ = "-" if o.exit is None else str(o.exit)
        print(f"{case.name[:52]:<52} {exit_:>4} {o.seconds:8.2f} {o.per_mb():>8}  {verdict:<6}  "
              f"{said[:90]}", flush=True)
        for f in o.failures:
            print(f"{'':<52}   - {f}")
    print(f"\n{len(chosen)} cases, {len(chosen) - failed} passed, {failed} failed"
          f" ({'issue sizes' if args.full else 'small sizes; --full for the issue sizes'})")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
