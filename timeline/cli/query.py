"""Commands for reading the database: query, search, export, diff, runs, stats, and the
Datasette metadata. Every one of them opens the database read-only."""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
import time
from collections.abc import Iterator
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any

from timeline import diff, export, render, rowstream
from timeline.cli import (
    EXIT_OK,
    EXIT_USAGE,
    UsageError,
    add_view_arguments,
    emit,
    err,
    open_store,
    out_console,
    reader_view,
)
from timeline.cli.signals import Interrupted, StopFlag, exit_code
from timeline.schema import CANNED_QUERIES, DESCRIPTIONS, HIDDEN

if TYPE_CHECKING:  # the store (sqlite3) loads when a command opens it, not to parse arguments
    from timeline.store import Store

FORMAT_HELP = "table for people (default); json, csv, jsonl or markdown for programs"
TABLE_ROWS = 10_000  # the table format collects its rows; past this, use --limit or jsonl


def cmd_query(args: argparse.Namespace) -> int:
    """User SQL under limits: --timeout (wall clock from the start of the query, writing its
    rows included; 0 = none), --limit, Ctrl-C or SIGTERM (exit 130/143, one line). Rows are
    written as SQLite yields them."""
    from timeline.store.queries import QueryInterrupted

    params = {name: value for name, value in (args.param or [])}
    with StopFlag(message=None) as stop, open_store(args, readonly=True) as store:
        deadline = time.monotonic() + args.timeout if args.timeout else math.inf

        def should_stop() -> bool:
            return bool(stop) or time.monotonic() > deadline

        try:
            with store.query_stream(args.sql, params, should_stop=should_stop) as (cols, rows):
                _write_rows(args, cols, islice(rows, args.limit))
        except Interrupted as exc:  # a second signal, while rows were being written
            err("query interrupted")
            return exit_code(exc.signum)
        except QueryInterrupted:
            if stop.signum is not None:
                err("query interrupted")
                return exit_code(stop.signum)
            err(f"query timed out after {args.timeout:g} s (see --timeout)")
            return EXIT_USAGE
    return EXIT_OK


def _write_rows(args: argparse.Namespace, cols: list[str], rows: Iterator[Any]) -> None:
    if args.format in rowstream.STREAMED:
        for piece in rowstream.encode(args.format, cols, rows):
            sys.stdout.write(piece)
        sys.stdout.flush()
        return
    shown = [[rowstream.text_cell(v) for v in r] for r in islice(rows, TABLE_ROWS)]
    more = len(shown) == TABLE_ROWS and next(rows, None) is not None
    emit(args, cols, shown)
    if more:
        err(f"query: the table shows the first {TABLE_ROWS:,} rows; use --limit, or "
            f"--format jsonl or csv for all of them")


def cmd_search(args: argparse.Namespace) -> int:
    with open_store(args, readonly=True) as store:
        events, docs = store.search(args.words, args.limit)
    if args.format == "json":
        sys.stdout.write(render.to_json({"events": events, "documents": docs}))
        return EXIT_OK
    # A snippet is a window on the body: its line breaks are just spaces in a table row.
    # `emit` shows every cell (and the title, the user's own words) through `render.safe`.
    emit(args, ["rank", "start", "kind", "title", "best quote", "quotes", "id"],
         [[e["rank"], e["start"], e["kind"], e["title"], _one_line(e["snippet"]), e["quotes"],
           e["id"]] for e in events], title=f"events matching {args.words!r}")
    emit(args, ["date", "path", "snippet", "id"],
         [[d["date"], d["path"], _one_line(d["snippet"]), d["id"][:12]] for d in docs],
         title=f"documents matching {args.words!r}")
    return EXIT_OK


def _one_line(text: str | None) -> str:
    return re.sub(r"[\r\n]+", " ", text or "")


def _stamp(store: Store) -> str:
    return store.last_recorded_at() or "1970-01-01T00:00:00+00:00"


def cmd_export(args: argparse.Namespace) -> int:
    if (args.format == "timeline-task") != bool(args.entity):
        err("export: --format timeline-task and --entity NAME go together")
        return EXIT_USAGE
    with open_store(args, readonly=True) as store:
        snap = export.filter_story(reader_view(store, args, story_names=True), args.story)
        fmt = args.format
        if fmt == "timeline-task":
            from timeline.cli.entities import export_timeline_task

            text = export_timeline_task(store, snap, args.entity)
            _write(args, text)
            return EXIT_OK
        skipped: list[str] = []
        data: str | bytes
        if fmt == "json":
            data = render.to_json(snap)
        elif fmt == "csv":
            data = export.to_csv(snap)
        elif fmt == "timesketch":
            data, skipped = export.to_timesketch(snap)
        elif fmt == "timelinejs":
            data, skipped = export.to_timelinejs(snap)
        elif fmt == "ics":
            data, skipped = export.to_ics(snap, _stamp(store))
        elif fmt == "html":
            data = _export_html(args)
        else:
            return _export_timeml(args, store, snap)
    for eid in skipped:
        err(f"export {fmt}: skipped undated event {eid}")
    _write(args, data)
    return EXIT_OK


def _export_html(args: argparse.Namespace) -> str:
    """The page of `timeline html`, as one file: its links are relative to the file's
    directory (file: URLs on standard output)."""
    from timeline.cli.page import render_page

    to_stdout = args.output in (None, "-")
    return render_page(args, None if to_stdout else Path(args.output).parent)[0]


TIMEML_FILE = (".tml", ".xml")


def _export_timeml(args: argparse.Namespace, store: Store, snap: dict[str, Any]) -> int:
    """One TimeML file per document: `-o DIR` is a directory (created if missing) of
    `<document id>.tml` files; `-o FILE.tml` is one file, only when there is one document.
    Standard output would run several XML documents together, so it is refused."""
    if args.output in (None, "-"):
        raise UsageError("export timeml: writes one file per document; give -o DIR "
                         "(a directory, created if missing), or -o FILE.tml for one document")
    n = len(snap["documents"])
    one_file = Path(args.output).suffix.lower() in TIMEML_FILE
    if one_file and n != 1:
        raise UsageError(f"export timeml: -o {args.output} names one file but there are {n} "
                         f"documents; give a directory (-o DIR) or one --story")
    docs = {d["id"]: d for d in store.documents()}
    from timeline.cli import output  # tempfile and shutil: only to write files

    out_dir = None if one_file else output.make_output_dir(args.output)
    for d in snap["documents"]:
        tx, ms = store.document_facts(d["id"])
        text = export.to_timeml(docs[d["id"]] | {"date": d["date"]}, tx, ms)
        target = Path(args.output) if out_dir is None else out_dir / f"{d['id'][:16]}.tml"
        output.write_atomic(target, text, protect=output.database_files(args.db))
    err(f"export timeml: wrote {args.output}" if one_file else
        f"export timeml: wrote {n} file{'s' if n != 1 else ''} into the directory "
        f"{args.output}")
    return EXIT_OK


def _write(args: argparse.Namespace, data: str | bytes) -> None:
    """To stdout, or whole into `-o FILE` (never over the database: see cli/output.py)."""
    if args.output in (None, "-"):
        if isinstance(data, bytes):
            sys.stdout.buffer.write(data)
            sys.stdout.flush()
        else:
            sys.stdout.write(data)
        return
    from timeline.cli import output

    output.write_atomic(args.output, data, protect=output.database_files(args.db))


def cmd_diff(args: argparse.Namespace) -> int:
    from timeline.store import connect, past

    with connect(args.db, readonly=True) as src:
        a_seq, b_seq = src.point(args.from_), src.point(args.to or str(src.head()))
    with past(args.db, a_seq) as a, past(args.db, b_seq) as b:
        changes = diff.diff(a.snapshot(), b.snapshot(), b.lineage(since=a_seq))
    if args.format == "json":
        sys.stdout.write(render.to_json({"from": a_seq, "to": b_seq, **changes}))
        return EXIT_OK
    console = out_console()
    console.print(f"changes from seq {a_seq} to seq {b_seq}")
    for section, items in changes.items():
        if not items:
            continue
        console.print(f"\n{section.replace('_', ' ')} ({len(items)})",
                      style=None if not console.is_terminal else "bold")
        for it in items:
            what = it.get("title") or it.get("path") or it.get("attribute") or ""
            extra = ""
            if "from" in it:
                extra = f": {it['from']} → {it['to']}"
            elif "into" in it:
                extra = f" → {', '.join(it['into'])}"
            elif "values" in it:
                extra = f": {' | '.join(map(str, it['values']))}"
            line = f"  {it.get('event') or it.get('document', '')[:12]}  {what}{extra}"
            console.print(render.safe(line), markup=False, highlight=False)
    console.file.flush()
    return EXIT_OK


def cmd_runs(args: argparse.Namespace) -> int:
    with open_store(args, readonly=True) as store:
        runs = store.runs()
    cols = ["run_id", "started_at", "finished_at", "seqs", "new", "revised", "rejected",
            "unchanged", "appended", "engine"]
    rows = [[r["run_id"], r["started_at"], r["finished_at"] or "(unfinished)",
             f"{r['first_seq']}-{r['last_seq']}", r["counts"].get("new"),
             r["counts"].get("revised"), r["counts"].get("rejected"),
             r["counts"].get("unchanged"), r["counts"].get("appended"), r["engine"]]
            for r in runs]
    emit(args, cols, rows, title="runs")
    return EXIT_OK


def cmd_stats(args: argparse.Namespace) -> int:
    with open_store(args, readonly=True) as store:
        stats = store.stats()
    if args.format == "json":
        sys.stdout.write(render.to_json(stats))
        return EXIT_OK
    log = stats["log"]
    print(f"log: {log['events']} events, head seq {log['head_seq']}, "
          f"{log['file_bytes']:,} bytes; runs: {stats['runs']}; "
          f"rejected inputs: {stats['rejections']}")
    for title, key, cols in (("documents", "documents", ["language", "basis", "n"]),
                             ("events", "events", ["kind", "status", "n"]),
                             ("conflicts", "conflicts", ["attribute", "n"]),
                             ("log by type", None, ["type", "n"])):
        rows = stats[key] if key else log["types"]
        emit(args, cols, [[r[c] for c in cols] for r in rows], title=title)
    return EXIT_OK


# Datasette's table options: full-text search (the FTS row shares its row's rowid), the
# column that labels a row where a foreign key points at it, facets offered at once.
DATASETTE_TABLES: dict[str, dict[str, Any]] = {
    "documents": {"fts_table": "documents_fts", "fts_pk": "rowid", "label_column": "title",
                  "facets": ["language", "date_basis"], "sort": "path"},
    "event_sources": {"fts_table": "quotes_fts", "fts_pk": "rowid"},
    "events": {"label_column": "title", "facets": ["kind", "status", "story"], "sort": "rank"},
    "conflicts": {"facets": ["attribute"]},
    "mentions": {"facets": ["kind", "status"]},
}


def datasette_metadata(name: str) -> dict[str, Any]:
    tables: dict[str, dict[str, Any]] = {
        t: {"description": d, **({"columns": cols} if cols else {})}
        for t, (d, cols) in DESCRIPTIONS.items()}
    for t, options in DATASETTE_TABLES.items():
        tables[t].update(options)
    for t in HIDDEN:
        tables.setdefault(t, {})["hidden"] = True
    queries = {k: {"title": title, "sql": sql} for k, (title, sql) in CANNED_QUERIES.items()}
    return {"title": "timeline",
            "description": "Events reconstructed from news articles, with their sources, "
                           "order and conflicts. The log (hidden; the log_records query "
                           "reads it) is the source of truth.",
            "databases": {name: {"tables": tables, "queries": queries}}}


def cmd_datasette_metadata(args: argparse.Namespace) -> int:
    meta = datasette_metadata(Path(args.db).stem)
    _write(args, json.dumps(meta, indent=2, ensure_ascii=False) + "\n")
    if args.output not in (None, "-"):
        err(f"wrote {args.output}; try: datasette {args.db} -m {args.output}")
    return EXIT_OK


def _non_negative(kind: type[int] | type[float]) -> Any:
    def parse(text: str) -> int | float:
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
        if value < 0 or value != value:
            raise argparse.ArgumentTypeError(f"{text!r} must be 0 or more")
        return value
    return parse


def add_commands(add: Any) -> None:
    q = add("query", "run read-only SQL against the projections (and the log)")
    q.add_argument("sql", help="one SELECT (or WITH) statement; the tables and views are in "
                               "`timeline datasette-metadata` and docs/architecture.md")
    q.add_argument("-p", "--param", nargs=2, action="append", metavar=("NAME", "VALUE"),
                   help="a named parameter :NAME (repeatable)")
    q.add_argument("--format", choices=["table", "json", "csv", "jsonl", "markdown"],
                   default="table", help=FORMAT_HELP)
    q.add_argument("--as-of", help="query the state at a log seq, ISO-8601 instant or run id")
    q.add_argument("--timeout", type=_non_negative(float), default=30.0, metavar="SECONDS",
                   help="stop a query that runs longer (exit 2; default 30, 0 = no limit)")
    q.add_argument("--limit", type=_non_negative(int), metavar="N",
                   help="at most N rows (default: all; the table format shows at most "
                        f"{TABLE_ROWS:,})")
    q.set_defaults(func=cmd_query)

    s = add("search", "full-text search over document bodies and event quotes")
    s.add_argument("words", metavar="QUERY",
                   help='words are ANDed; AND, OR, NOT (upper case) and parentheses combine '
                        'them; "a phrase" matches in order; word* matches a prefix; each '
                        "event is listed once, with its best-matching quote")
    s.add_argument("--limit", type=_non_negative(int), default=20,
                   help="at most N events and N documents (default 20)")
    s.add_argument("--format", choices=["table", "json"], default="table",
                   help="table (default) or JSON {events, documents}")
    s.set_defaults(func=cmd_search)

    e = add("export", "export the timeline for other tools")
    e.add_argument("--format", choices=[*export.FORMATS, "timeline-task"], required=True,
                   help="timeline-task: SemEval-2015 TimeLine lines for one --entity")
    e.add_argument("--entity", metavar="NAME", help="the target entity of timeline-task")
    e.add_argument("-o", "--output",
                   help="output file (default: standard output); for timeml a directory, "
                        "created if missing, or FILE.tml when there is one document")
    e.add_argument("--story", help="only this story (an id or its beginning)")
    add_view_arguments(e)
    e.add_argument("--as-of", help="export the state at a log seq, ISO-8601 instant or run id")
    e.set_defaults(func=cmd_export)

    d = add("diff", "what changed between two points of the log")
    d.add_argument("--from", dest="from_", required=True, metavar="A",
                   help="a seq, ISO-8601 instant or run id")
    d.add_argument("--to", metavar="B", help="a seq, instant or run id (default: the head)")
    d.add_argument("--format", choices=["table", "json"], default="table",
                   help="table for people (default); json for programs")
    d.set_defaults(func=cmd_diff)

    ru = add("runs", "list runs and what each appended")
    ru.add_argument("--format", choices=["table", "json", "csv", "jsonl", "markdown"],
                    default="table", help=FORMAT_HELP)
    ru.set_defaults(func=cmd_runs)
    st = add("stats", "counts: documents, events, conflicts, log size")
    st.add_argument("--format", choices=["table", "json"], default="table",
                    help="table for people (default); json for programs")
    st.set_defaults(func=cmd_stats)
    m = add("datasette-metadata", "write metadata.json for Datasette (tables, canned queries)")
    m.add_argument("-o", "--output", default="metadata.json", help="default: metadata.json")
    m.set_defaults(func=cmd_datasette_metadata)
