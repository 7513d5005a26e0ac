"""The arguments of `show` and `log`: every flag with its help (tests/test_help.py walks the
tree). Kept apart from the commands so that parsing arguments loads neither rich nor the
printout; `log --after` is a seq where `show --since` is a date."""

from __future__ import annotations

import argparse
from typing import Any


def add_show(add: Any) -> None:
    from timeline.cli import add_view_arguments, cmd_show

    s = add("show", "print the timeline by story and day (or a document's time expressions)")
    s.add_argument("--format", choices=["table", "json", "csv", "markdown"], default="table",
                   help="table: for people (default); json, csv, markdown: for programs")
    s.add_argument("--documents", action="store_true",
                   help="list the documents before the timeline (`timeline documents` "
                        "lists only them)")
    s.add_argument("--timexes", metavar="DOC", help="list a document's time expressions")
    s.add_argument("--as-of", help="show the state at a log seq, ISO-8601 instant or run id")
    s.add_argument("--story", help="only this story: its name (`timeline stories`), words "
                                   "of it, or an id or its beginning (e.g. 'bridge')")
    s.add_argument("--entity", metavar="NAME",
                   help="one entity's events in time order across all stories (any of its "
                        "names, any case or accents; `timeline entities` lists them)")
    s.add_argument("--kind", help="only events of this kind (e.g. meeting, talks; the kinds "
                                  "shown are listed when it matches none)")
    s.add_argument("--since", metavar="DATE",
                   help="only events that begin on or after this date (YYYY, YYYY-MM or "
                        "YYYY-MM-DD)")
    s.add_argument("--until", metavar="DATE",
                   help="only events over by the end of this date (YYYY, YYYY-MM or "
                        "YYYY-MM-DD)")
    s.add_argument("--sources", action="store_true", help="print each event's quotes")
    add_view_arguments(s)
    s.add_argument("--width", type=int, metavar="COLUMNS",
                   help="lay lines out for this many columns (default: the terminal's; "
                        "piped output is never cut)")
    s.add_argument("--pager", action="store_true",
                   help="page long output on a terminal, in colour (LESS=FRX unless LESS "
                        "is set)")
    s.set_defaults(func=cmd_show)


def add_log(add: Any) -> None:
    from timeline.cli import cmd_log

    lg = add("log", "print the raw log")
    lg.add_argument("--type", action="append",
                    help="only records of this type, e.g. DocumentIngested (repeatable)")
    lg.add_argument("--stream", help="only records of this stream (a document, an event...)")
    lg.add_argument("--after", dest="after", type=int, default=0, metavar="SEQ",
                    help="only records after this log seq (`show --since` takes a date)")
    # the old spelling, kept working for scripts; hidden, as it reads like show's --since
    lg.add_argument("--since", dest="after", type=int, help=argparse.SUPPRESS)
    lg.add_argument("--run", metavar="RUN", help="only records of this run (`timeline runs`)")
    lg.add_argument("--format", choices=["table", "json", "csv", "jsonl", "markdown"],
                    default="table", help="table for people (default); jsonl: one JSON "
                                          "record a line, data decoded")
    lg.set_defaults(func=cmd_log)
