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
from typing import Any

from timeline import diff, export, render, rowstream, salience
from timeline.cli import EXIT_OK, EXIT_USAGE, emit, err, open_store, out_console, output
from timeline.cli.signals import Interrupted, StopFlag, exit_code
from timeline.schema import CANNED_QUERIES, DESCRIPTIONS
from timeline.store import Store
from timeline.store.queries import QueryInterrupted

TABLE_ROWS = 10_000  # the table format collects its rows; past this, use --limit or jsonl


def cmd_query(args: argparse.Namespace) -> int:
    """User SQL under limits: --timeout (wall clock from the start of the query, writing its
    rows included; 0 = none), --limit, Ctrl-C or SIGTERM (exit 130/143, one line). Rows are
    written as SQLite yields them."""
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
    emit(args, ["rank", "start", "kind", "title", "snippet", "id"],
         [[e["rank"], e["start"], e["kind"], e["title"], _one_line(e["snippet"]), e["id"]]
          for e in events], title=f"events matching {args.words!r}")
    emit(args, ["date", "path", "snippet", "id"],
         [[d["date"], d["path"], _one_line(d["snippet"]), d["id"][:12]] for d in docs],
         title=f"documents matching {args.words!r}")
    return EXIT_OK


def _one_line(text: str | None) -> str:
    return re.sub(r"[\r\n]+", " ", text or "")


def _stamp(store: Store) -> str:
    return store.last_recorded_at() or "1970-01-01T00:00:00+00:00"


def cmd_export(args: argparse.Namespace) -> int:
    with open_store(args, readonly=True) as store:
        snap = export.filter_story(salience.view(store.snapshot(), args.all, args.lang),
                                   args.story)
        fmt = args.format
        skipped: list[str] = []
        data: str | bytes
        if fmt == "json":
            data = render.to_json(snap)
        elif fmt == "csv":
            data = export.to_csv(snap)
        elif fmt == "timesketch":
            data, skipped = export.to_timesketch(snap)
        elif fmt == "timelinejs":
            data, skipped = export.to_timelinejs(snap, title=Path(args.db).stem)
        elif fmt == "ics":
            data, skipped = export.to_ics(snap, _stamp(store))
        else:
            return _export_timeml(args, store, snap)
    for eid in skipped:
        err(f"export {fmt}: skipped undated event {eid}")
    _write(args, data)
    return EXIT_OK


def _export_timeml(args: argparse.Namespace, store: Store, snap: dict[str, Any]) -> int:
    docs = {d["id"]: d for d in store.documents()}
    out_dir = output.make_output_dir(args.output) if args.output else None
    chunks = []
    for d in snap["documents"]:
        tx, ms = store.document_facts(d["id"])
        text = export.to_timeml(docs[d["id"]] | {"date": d["date"]}, tx, ms)
        if out_dir:
            output.write_atomic(out_dir / f"{d['id'][:16]}.tml", text,
                                protect=output.database_files(args.db))
        else:
            chunks.append(text)
    if not out_dir:
        sys.stdout.write("".join(chunks))
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
    output.write_atomic(args.output, data, protect=output.database_files(args.db))


def cmd_diff(args: argparse.Namespace) -> int:
    with Store(args.db, readonly=True) as src:
        a_seq, b_seq = src.point(args.from_), src.point(args.to or str(src.head()))
    with Store.as_of(args.db, a_seq) as a, Store.as_of(args.db, b_seq) as b:
        changes = diff.diff(a.snapshot(), b.snapshot())
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


def cmd_datasette_metadata(args: argparse.Namespace) -> int:
    name = Path(args.db).stem
    tables = {t: {"description": d, **({"columns": cols} if cols else {})}
              for t, (d, cols) in DESCRIPTIONS.items()}
    queries = {k: {"title": title, "sql": sql} for k, (title, sql) in CANNED_QUERIES.items()}
    meta = {"title": "timeline",
            "description": "Events reconstructed from news articles, with their sources, "
                           "order and conflicts. The log table is the source of truth.",
            "databases": {name: {"tables": tables, "queries": queries}}}
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
    q.add_argument("sql")
    q.add_argument("-p", "--param", nargs=2, action="append", metavar=("NAME", "VALUE"),
                   help="a named parameter :NAME (repeatable)")
    q.add_argument("--format", choices=["table", "json", "csv", "jsonl", "markdown"],
                   default="table")
    q.add_argument("--as-of", help="query the state at a log seq, ISO-8601 instant or run id")
    q.add_argument("--timeout", type=_non_negative(float), default=30.0, metavar="SECONDS",
                   help="stop a query that runs longer (exit 2; default 30, 0 = no limit)")
    q.add_argument("--limit", type=_non_negative(int), metavar="N",
                   help="at most N rows (default: all; the table format shows at most "
                        f"{TABLE_ROWS:,})")
    q.set_defaults(func=cmd_query)

    s = add("search", "full-text search over document bodies and event quotes")
    s.add_argument("words")
    s.add_argument("--limit", type=int, default=20)
    s.add_argument("--format", choices=["table", "json"], default="table")
    s.set_defaults(func=cmd_search)

    e = add("export", "export the timeline for other tools")
    e.add_argument("--format", choices=export.FORMATS, required=True)
    e.add_argument("-o", "--output", help="output file (a directory for timeml); default stdout")
    e.add_argument("--story", help="only this story (an id or its beginning)")
    e.add_argument("--all", action="store_true", help="every event, low-salience ones too")
    e.add_argument("--lang", default="en", metavar="LANG",
                   help="title events in this language when a source in it tells them")
    e.add_argument("--as-of", help="export the state at a log seq, ISO-8601 instant or run id")
    e.set_defaults(func=cmd_export)

    d = add("diff", "what changed between two points of the log")
    d.add_argument("--from", dest="from_", required=True, metavar="A",
                   help="a seq, ISO-8601 instant or run id")
    d.add_argument("--to", metavar="B", help="a seq, instant or run id (default: the head)")
    d.add_argument("--format", choices=["table", "json"], default="table")
    d.set_defaults(func=cmd_diff)

    ru = add("runs", "list runs and what each appended")
    ru.add_argument("--format", choices=["table", "json", "csv", "jsonl", "markdown"],
                    default="table")
    ru.set_defaults(func=cmd_runs)
    st = add("stats", "counts: documents, events, conflicts, log size")
    st.add_argument("--format", choices=["table", "json"], default="table")
    st.set_defaults(func=cmd_stats)
    m = add("datasette-metadata", "write metadata.json for Datasette (tables, canned queries)")
    m.add_argument("-o", "--output", default="metadata.json", help="default: metadata.json")
    m.set_defaults(func=cmd_datasette_metadata)
