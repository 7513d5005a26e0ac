"""The imperative shell: the only package that reads files, the clock, the environment and the
terminal. Everything it calls is pure or goes through `store`. Split by command family:
this module parses arguments and holds the small commands; `run` and `show` the big ones.

Exit codes: 0 all processed, 1 some inputs rejected (or `verify` found a problem),
2 usage error or unusable database (or a write to a read-only one), 70 internal error (a bug:
traceback in <db>.crash.log), 74 disk full or I/O error, 75 another process holds the
database's lock (or the database stayed busy).
"""

from __future__ import annotations

import argparse
import os
import signal
import stat
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from timeline.cli import cache

# before the modules below compile their patterns: kept ones load compiled (cli/cache.py)
cache.remember_patterns()

from timeline import __version__, ingest, lexicon  # noqa: E402
from timeline.cli.files import not_regular, read_regular, walk  # noqa: E402
from timeline.paths import escape_path  # noqa: E402

if TYPE_CHECKING:
    from pathlib import Path

    # Loaded by the commands that use them: `timeline tag` needs neither rich (60 ms), nor
    # the store (sqlite3) nor the event classes (40 ms of attrs classes).
    from rich.console import Console

    from timeline.store import Store

EXIT_OK, EXIT_REJECTED, EXIT_USAGE, EXIT_LOCKED = 0, 1, 2, 75
EXIT_SOFTWARE, EXIT_IOERR = 70, 74
SUFFIXES = (".txt", ".md", ".html", ".htm", ".tml")
BATCH_DOCS = 100


class UsageError(Exception):
    pass


# ------------------------------------------------------------------ the edge: clock, files, tty


def now_iso() -> str:
    import datetime as dt  # `tag` reads no clock

    return dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")


def new_run_id() -> str:
    import datetime as dt

    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    import uuid  # 10 ms (it loads `platform`): only runs need an id

    return f"{stamp}-{uuid.uuid4().hex[:6]}"


class _Rstrip:
    """A stdout wrapper that drops the padding rich puts at the end of table lines."""

    def __init__(self, stream: Any) -> None:
        self.stream, self.pending = stream, ""

    def write(self, text: str) -> int:
        lines = (self.pending + text).split("\n")
        self.pending = lines.pop()
        for line in lines:
            self.stream.write(line.rstrip() + "\n")
        return len(text)

    def flush(self) -> None:
        if self.pending:
            self.stream.write(self.pending.rstrip())
            self.pending = ""
        self.stream.flush()

    def isatty(self) -> bool:
        return False


def out_console(width: int | None = None) -> Console:
    """Colour and box drawing on a terminal; plain, unwrapped text when piped. Never markup
    or :emoji: codes in a printed string: text from data is shown as written (and through
    `render.safe`, which callers apply)."""
    from rich.console import Console

    console = Console(no_color="NO_COLOR" in os.environ, width=width, soft_wrap=False,
                      markup=False, emoji=False)
    if not console.is_terminal:
        console = Console(file=_Rstrip(sys.stdout), no_color=True, width=width or 1000,
                          soft_wrap=False, force_terminal=False, markup=False, emoji=False)
    return console


def err(msg: str) -> None:
    """One line on stderr, always: a newline or an escape sequence in a file name or a
    document's text (`render.safe`) can neither forge a second line nor reach the terminal."""
    from timeline.render import safe  # loaded by the first line printed here

    print(f"timeline: {safe(msg)}", file=sys.stderr, flush=True)


def display_path(p: Path | str) -> str:
    """Relative to the working directory when inside it (stable for cron jobs that cd),
    absolute otherwise; escaped (`timeline.paths`) so that any file name is one line of
    printable text, which is also the form stored in the log."""
    from pathlib import Path  # `tag` prints the names as given

    # pathlib's spelling: no "." parts, doubled or trailing slashes
    given = str(p if isinstance(p, Path) else Path(p))
    if not given.startswith("/"):  # relative: the working directory joined and taken off
        return _escaped(given)
    if not given.startswith("//"):  # as Path.relative_to would, by strings: a run shows
        cwd = os.getcwd()  # every file of a corpus (pathlib was 48 ms a 1,000 of them)
        if given == cwd:
            return "."
        inside = cwd.rstrip("/") + "/"
        return _escaped(given[len(inside):] if given.startswith(inside) else given)
    absolute = Path(given)
    try:
        shown = absolute.relative_to(Path.cwd())
    except ValueError:
        shown = absolute
    return escape_path(os.fsencode(shown))


def _escaped(name: str) -> str:
    """`escape_path` of a name from the OS; a printable ASCII name without a backslash (the
    usual one: a run shows every file of its corpus) is its own escaped form."""
    if name.isascii() and name.isprintable() and "\\" not in name:
        return name
    return escape_path(os.fsencode(name))


def collect(paths: Sequence[str]) -> tuple[list[Path], list[tuple[str, str]]]:
    """Regular files to read (those named, and those with known suffixes found in the
    directories named), and (path as displayed, problem) for what is skipped."""
    from pathlib import Path

    files: list[Path] = []
    problems: list[tuple[Path, str]] = []
    seen_dirs: set[tuple[int, int]] = set()
    for raw in paths:
        p = Path(raw)
        try:
            mode = os.stat(p).st_mode
        except OSError as exc:
            if not os.path.lexists(p):
                raise UsageError(f"{display_path(p)}: no such file or directory") from None
            problems.append((p, "broken symbolic link" if p.is_symlink()
                             else f"cannot read: {exc.strerror or exc}"))
            continue
        if stat.S_ISDIR(mode):
            walk(p, SUFFIXES, seen_dirs, files, problems)
        elif stat.S_ISREG(mode):
            files.append(p)
        else:
            problems.append((p, not_regular(mode)))
    return files, [(display_path(p), why) for p, why in problems]


def read_file(p: Path | str, max_bytes: int) -> bytes:
    """Only a regular file, opened without blocking (see `timeline.cli.files`)."""
    return read_regular(p, max_bytes)


# ------------------------------------------------------------------ commands


def open_store(args: argparse.Namespace, *, readonly: bool = True) -> Store:
    """A store for reading: never writes (no catch-up; writers take the lock and open `Store`
    themselves). A database whose directory cannot be written is read immutable, said once."""
    from timeline.store import connect, past

    as_of = getattr(args, "as_of", None)
    if as_of:
        with connect(args.db, readonly=True) as src:
            seq = src.point(as_of)
            _note_immutable(src)
        return past(args.db, seq)
    store = connect(args.db, readonly=readonly)
    _note_immutable(store)
    return store


def _note_immutable(store: Store) -> None:
    if store.immutable:
        unseen = store.wal_ignored()
        err(f"{display_path(store.path)}: read immutable (its directory cannot be written)"
            + (f"; {unseen:,} bytes of uncheckpointed changes in its -wal file are not seen"
               if unseen else ""))


def cmd_run(args: argparse.Namespace) -> int:
    from timeline.cli import run

    return run.run_command(args)


def cmd_show(args: argparse.Namespace) -> int:
    from timeline.cli import show

    return show.show(args)


def cmd_documents(args: argparse.Namespace) -> int:
    with open_store(args, readonly=True) as store:
        cols = ["id", "path", "language", "date", "date_basis", "chars", "title"]
        rows = [[d["id"][:12], d["path"], d["language"], d["date"], d["date_basis"],
                 d["chars"], d["title"]] for d in store.documents()]
    emit(args, cols, rows, title="documents")
    return EXIT_OK


def cmd_log(args: argparse.Namespace) -> int:
    from timeline import events as ev
    from timeline.cli.filters import choose

    types = [choose("--type", t, ev.REGISTRY, "record type") for t in args.type or ()]
    import json  # `log` alone writes JSON here
    with open_store(args, readonly=True) as store:
        if args.run:
            args.run = choose("--run", args.run, (r["run_id"] for r in store.runs()), "run")
        if args.stream:
            args.stream = choose("--stream", args.stream, store.streams(args.stream), "stream")
        recs = store.records(since=args.after, types=types, stream=args.stream,
                             run_id=args.run)
        if args.format == "jsonl":  # streamed: a line per record, never the log in memory
            for r in recs:
                sys.stdout.write(json.dumps({
                    "seq": r.seq, "event_id": r.event_id, "type": r.type,
                    "version": r.version, "stream": r.stream, "recorded_at": r.recorded_at,
                    "run_id": r.run_id, "hash": r.hash, "data": json.loads(r.data)},
                    ensure_ascii=False) + "\n")
            return EXIT_OK
        recs = list(recs)
    short = args.format == "table"  # a table is for reading; the other formats keep it all
    rows = [[r.seq, r.type, r.stream[:40] if short else r.stream,
             r.recorded_at[:19] if short else r.recorded_at, r.run_id or "",
             r.data[:60] if short else r.data] for r in recs]
    emit(args, ["seq", "type", "stream", "recorded_at", "run", "data"], rows, title="log")
    return EXIT_OK


def cmd_tag(args: argparse.Namespace) -> int:
    from timeline.cli import tag

    return tag.tag_command(args)


def add_view_arguments(p: argparse.ArgumentParser) -> None:
    """`--all` and `--lang`: which events a reader sees and in which language they are titled
    (show, export and html read the timeline the same way: `reader_view`)."""
    p.add_argument("--all", action="store_true",
                   help="every event, low-salience ones too (single-source reports, states, "
                        "undated predicates, denied or hypothetical events)")
    p.add_argument("--lang", default="en", choices=lexicon.languages(),
                   help="title events in this language when a source in it tells them "
                        "(default en)")


def reader_view(store: Store, args: argparse.Namespace, *, story_names: bool = False
                ) -> dict[str, Any]:
    """The snapshot as a reader sees it (`add_view_arguments`), with the names `timeline
    stories` prints when `story_names` (the page and the exports title stories by them)."""
    from timeline import salience

    snap = salience.view(store.snapshot(), args.all, args.lang)
    if story_names:
        snap["story_names"] = {r["id"]: r["name"] for r in store.story_summaries()}
    return snap


def emit(args: argparse.Namespace, cols: Sequence[str], rows: Sequence[Sequence[Any]],
         *, title: str | None = None) -> None:
    from timeline import render, rowstream

    fmt = getattr(args, "format", "table")
    if fmt in ("table", None):
        console = out_console(getattr(args, "width", None))
        console.print(render.table(title, cols, rows, plain=not console.is_terminal))
        console.file.flush()
    else:
        sys.stdout.writelines(rowstream.encode(fmt, cols, rows))


# ------------------------------------------------------------------ argument parsing

DESCRIPTION = """\
Reconstruct what happened when from news articles (English, Spanish, Russian; with or
without date headers). Every observation goes to an append-only log in a SQLite file;
the timeline, events, sources and conflicts are projections of it.

  timeline run articles/        read, normalize, reconcile (again: only what is new)
  timeline show                 the timeline; --format json for programs
  timeline stories              the stories, each with a readable name
  timeline entities             people, organisations, places; show --entity NAME
  timeline COMMAND --help       each command, with an example

exit codes: 0 done, 1 some inputs rejected (or verify failed), 2 usage error or unusable
database, 70 internal error (traceback in DB.crash.log), 74 disk full or I/O error,
75 another process holds the lock"""

EXAMPLES = {
    "run": "timeline run fixtures/ --db timeline.db",
    "show": "timeline show --format json",
    "log": "timeline log --type DocumentIngested --format jsonl",
    "verify": "timeline verify --expect-head \"$(cat timeline.head)\"",
    "head": "timeline head > timeline.head",
    "rebuild": "timeline rebuild --wait 60",
    "copy": "timeline copy --from timeline.db --to postgresql://timeline@db/newsroom",
    "documents": "timeline documents --format csv",
    "tag": "timeline tag --dct 2023-09-14 --lang en article.txt",
    "query": "timeline query \"SELECT * FROM timeline WHERE kind = :k\" -p k talks",
    "search": "timeline search 'Putin AND (dinner OR lunch) NOT \"state visit\"'",
    "export": "timeline export --format ics -o summit.ics",
    "diff": "timeline diff --from 40 --to 120 --format json",
    "runs": "timeline runs",
    "stats": "timeline stats",
    "datasette-metadata": "timeline datasette-metadata -o metadata.json",
    "html": "timeline html -o page/   (then open page/index.html)",
    "entities": "timeline entities --type PERSON --limit 20",
    "stories": "timeline stories --format csv",
}


def _jobs(value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        n = 0
    if n < 1:
        raise argparse.ArgumentTypeError(f"{value!r} is not a number of processes (1 or more)")
    return n


def _executor(value: str) -> str:
    host, _, port = value.removeprefix("dask://").rpartition(":")
    if value != "local" and not (value.startswith("dask://") and host and port.isdigit()):
        raise argparse.ArgumentTypeError(f"{value!r}: use local or dask://HOST:PORT")
    return value


def add_tag_command(add: Callable[[str, str], argparse.ArgumentParser]) -> None:
    t = add("tag", "print the time expressions (and with --events the events) of files "
                   "(no database involved)")
    t.add_argument("files", nargs="+", metavar="FILE", help="the files to tag")
    t.add_argument("--dct", help="reference date YYYY-MM-DD (default: the file's date header)")
    t.add_argument("--lang", default="auto", choices=[*lexicon.languages(), "auto"],
                   help="the files' language (default: detected)")
    t.add_argument("--format", choices=["jsonl", "timeml"], default="jsonl",
                   help="jsonl: one JSON object a span, \"tag\" TIMEX3 or EVENT; timeml: "
                        "TempEval-3 TimeML, inline TIMEX3 and EVENT tags, and with --events "
                        "one MAKEINSTANCE element per event after </TEXT>")
    t.add_argument("--events", action="store_true",
                   help="also the event mentions (EVENT: class, tense, aspect, polarity, "
                        "modality; offsets as for time expressions)")
    t.add_argument("--mode", choices=["auto", "news", "narrative"], default="auto",
                   help="whose time a year-less date is in: the creation time's (news), the "
                        "story's last named date (narrative), or read from the text (auto)")
    t.add_argument("--max-bytes", type=int, default=ingest.DEFAULT_MAX_BYTES,
                   help="refuse files larger than this (default 10 MB)")
    t.set_defaults(func=cmd_tag)


def _columns() -> int:
    """`shutil.get_terminal_size().columns`, without importing shutil (and with it bz2,
    lzma and zlib): $COLUMNS, else the terminal's width, else 80."""
    try:
        columns = int(os.environ.get("COLUMNS", ""))
    except ValueError:
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            columns = 0
    return columns or 80


class _Formatter(argparse.RawDescriptionHelpFormatter):
    """argparse makes a formatter for every `add_argument` (to check its metavar), and the
    default one asks shutil for the terminal's width each time: a few ms of every start."""

    def __init__(self, prog: str, indent_increment: int = 2, max_help_position: int = 24,
                 width: int | None = None) -> None:
        super().__init__(prog, indent_increment, max_help_position,
                         _columns() - 2 if width is None else width)


def add_run_command(add: Callable[[str, str], argparse.ArgumentParser]) -> None:
    r = add("run", "ingest files and directories, derive and reconcile, append to the log")
    r.add_argument("paths", nargs="+", metavar="PATH",
                   help="files and directories to read (directories: their .txt, .md, "
                        ".html, .htm and .tml files)")
    r.add_argument("--lang", choices=[*lexicon.languages(), "und"], help="force the language")
    r.add_argument("--max-bytes", type=int, default=ingest.DEFAULT_MAX_BYTES,
                   help="reject files larger than this (default 10 MB)")
    r.add_argument("--every", help="repeat every INTERVAL (e.g. 15m, 1h, 30s) until stopped")
    r.add_argument("--wait", type=float, default=0.0,
                   help="seconds to wait for another run's lock before giving up (exit 75)")
    r.add_argument("--quiet", action="store_true", help="no summary line")
    r.add_argument("--doc-budget", type=float, default=10.0, metavar="SECONDS_PER_MB",
                   help="time one stage of one document may take, per MB of input (at least "
                        "10 s; default 10; 0: no limit); a slower document is skipped as too "
                        "slow until a new engine version or a larger budget")
    r.add_argument("--jobs", type=_jobs, default=None, metavar="N",
                   help="worker processes for the per-document stages (decode, parse, tag, "
                        "segment; default: the number of cores; 1: in this process); the "
                        "log is the same whatever N")
    r.add_argument("--executor", type=_executor, default="local", metavar="WHERE",
                   help="local (default: --jobs worker processes) or dask://HOST:PORT (the "
                        "per-document stages on that Dask scheduler's workers; extra "
                        "[dask]; the log is the same)")
    r.set_defaults(func=cmd_run)


def _command_of(given: Sequence[str]) -> str | None:
    """The command a command line names, past the top-level `--db` (None when another
    top-level option comes first: the whole parser handles it)."""
    skip = False
    for tok in given:
        if skip:
            skip = False
        elif tok == "--db":
            skip = True
        elif not tok.startswith("--db="):
            return None if tok.startswith("-") else tok
    return None


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The whole command line, or with `only="tag"` the top level and `tag` alone: tagging
    files needs none of the other commands' modules (the store's queries, the page, the
    entities: about a third of `timeline tag`'s start-up), and their parsers cannot see a
    `tag` command line. `only="run"`: the top level and `run` alone, likewise."""
    common = argparse.ArgumentParser(add_help=False, formatter_class=_Formatter)
    common.add_argument("--db", default=argparse.SUPPRESS,
                        help="database file or postgresql:// URL (default: $TIMELINE_DB, "
                             "else timeline.db)")
    p = argparse.ArgumentParser(prog="timeline", description=DESCRIPTION,
                                formatter_class=_Formatter)
    p.add_argument("--db", default=os.environ.get("TIMELINE_DB") or "timeline.db",
                   help="database file or postgresql://user@host/dbname URL (default: "
                        "$TIMELINE_DB, else timeline.db)")
    p.add_argument("--version", action="version", version=f"timeline {__version__}")
    # prog given: argparse would otherwise build a help formatter to work it out, which
    # imports shutil (and with it bz2, lzma, zlib) on every start
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND", prog="timeline")

    def add(name: str, help_: str) -> argparse.ArgumentParser:
        sp = sub.add_parser(name, parents=[common], help=help_, description=help_,
                            epilog=f"example:\n  {EXAMPLES[name]}",
                            formatter_class=_Formatter)
        return sp

    if only == "tag":
        add_tag_command(add)
        return p
    if only == "run":  # a scheduled run: none of the query commands' modules either
        add_run_command(add)
        return p
    add_run_command(add)

    from timeline.cli.show_args import add_log, add_show

    add_show(add)
    add_log(add)

    from timeline.cli.check import add_commands as add_check_commands

    add_check_commands(add)

    d = add("documents", "list current documents")
    d.add_argument("--format", choices=["table", "json", "csv", "markdown"], default="table",
                   help="table for people (default); json, csv, markdown for programs")
    d.set_defaults(func=cmd_documents)

    add_tag_command(add)

    from timeline.cli.query import add_commands

    add_commands(add)
    from timeline.cli.page import add_commands as add_page_commands

    add_page_commands(add)
    from timeline.cli.entities import add_commands as add_entity_commands

    add_entity_commands(add)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    given = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser("tag" if given[:1] == ["tag"] else
                          "run" if _command_of(given) == "run" else None)
    args = parser.parse_args(given)
    if args.command == "run":
        from timeline.cli import cache, run_cache

        cache.install()  # compiled grammars load from the user's cache (see cli/cache.py)
        run_cache.install()  # and parsed resource files, compiled patterns (cli/run_cache.py)
    signal.signal(signal.SIGPIPE, signal.SIG_DFL) if hasattr(signal, "SIGPIPE") else None
    try:
        return int(args.func(args))
    except UsageError as exc:
        err(str(exc))
        return EXIT_USAGE
    except KeyboardInterrupt:
        err("interrupted")
        return 130
    except Exception as exc:  # a scheduler must tell a bug of ours (70) from bad input (1)
        import datetime as dt

        from timeline.cli import crash

        # the store, the event classes and the lock are imported by the commands that use
        # them; an error of a module never loaded cannot have been raised
        if _raised(exc, "timeline.store", "StoreError"):
            err(str(exc))
            return EXIT_USAGE
        if _raised(exc, "timeline.events", "EventError"):
            from timeline.store import display_db

            err(f"{display_db(args.db)}: {exc}")
            return EXIT_USAGE
        if _raised(exc, "psycopg.errors", "InsufficientPrivilege") or \
                _raised(exc, "psycopg", "OperationalError"):
            # the server refused this role the write, or the connection was lost: not ours
            from timeline.store import display_db

            first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
            err(f"{display_db(args.db)}: the database refused: {first}")
            return EXIT_USAGE
        if _raised(exc, "timeline.cli.lock", "LockHeld"):
            err(str(exc))
            return EXIT_LOCKED
        code, line = crash.report(args.db, list(sys.argv[1:] if argv is None else argv), exc,
                                  dt.datetime.now(dt.UTC))
        err(line)
        return code


def _raised(exc: BaseException, module: str, name: str) -> bool:
    loaded = sys.modules.get(module)
    return loaded is not None and isinstance(exc, getattr(loaded, name))


def iter_interval(spec: str) -> float:
    units = {"s": 1, "m": 60, "h": 3600, "d": 86400}
    try:
        n, u = (float(spec[:-1]), spec[-1]) if spec[-1] in units else (float(spec), "s")
    except (ValueError, IndexError):
        raise UsageError(f"--every {spec!r}: use a number with s, m, h or d (e.g. 15m)") from None
    if n <= 0:
        raise UsageError(f"--every {spec!r}: must be positive")
    return n * units[u]
