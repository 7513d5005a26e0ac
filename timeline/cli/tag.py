"""`timeline tag`: the time expressions (and with --events the event mentions) of files,
printed, no database involved.

Its start-up is most of what a user waits for on a few files, so it loads only what the
files need, when they need it: the temporal engine (and the compiled-grammar cache) at the
first document that has text to tag, the analysis layer only with --events. A file that is
rejected (empty, binary, too large) costs argument parsing, reading and `ingest` alone.
tests/test_startup.py checks what each path imports.
"""

from __future__ import annotations

import argparse
import functools
import sys
from collections.abc import Sequence
from types import ModuleType
from typing import TYPE_CHECKING, Any

from timeline import ingest
from timeline.cli import EXIT_OK, EXIT_REJECTED, EXIT_USAGE, err, read_file
from timeline.paths import escape_path

if TYPE_CHECKING:
    from datetime import date


@functools.cache
def _tagger() -> ModuleType:
    """The temporal engine, with compiled grammars and patterns loaded from the user's
    cache (cli/cache.py), imported on first use: the cache first, as the temporal modules
    compile their own patterns when imported."""
    from timeline.cli import cache

    cache.install()
    from timeline import temporal

    return temporal


def _parse_day(text: str) -> date | None:
    _tagger()  # the temporal package: never imported before the cache is installed
    from timeline.temporal.values import parse_day

    return parse_day(text)


def tag_command(args: argparse.Namespace) -> int:
    given = _parse_day(args.dct) if args.dct is not None else None
    if args.dct is not None and given is None:
        # only a real YYYY-MM-DD: nothing after the date may reach the TimeML output
        err(f"tag: --dct {args.dct[:40]!a} is not a real date (YYYY-MM-DD)")
        return EXIT_USAGE
    status = EXIT_OK
    for arg in args.files:
        name = escape_path(arg)  # as given, escaped as `run` stores and prints paths
        try:
            parsed = ingest.parse(name, read_file(arg, args.max_bytes),
                                  lang=None if args.lang == "auto" else args.lang)
        except (OSError, ingest.IngestError) as exc:
            err(f"{name}: {getattr(exc, 'strerror', None) or exc}")
            status = EXIT_REJECTED
            continue
        header = parsed.header.get("date")
        dct = given or (_parse_day(header[:10]) if header else None)
        if dct is None and header:
            err(f"{name}: date header {header[:40]!a} is not a real date")
            status = EXIT_REJECTED
            continue
        found = _tagger().tag(parsed.text, dct, parsed.language, args.mode)
        events = None
        if args.events:  # the analysis layer loads only here
            from timeline.cli.tagevents import mentions

            events = mentions(parsed.text, parsed.body_start, parsed.language)
        if args.format == "timeml":
            sys.stdout.write(temporal_timeml(parsed.text, found, dct.isoformat() if dct else None,
                                             events))
            continue
        import json  # a start that rejects its only file never writes JSON

        rows = [{"tag": "TIMEX3", **t.to_json()} for t in found]
        if events is not None:
            from timeline.cli.tagevents import lines

            rows = lines(rows, events)
        for r in rows:
            sys.stdout.write(json.dumps({"file": name, **r}, ensure_ascii=False) + "\n")
    from timeline.cli import cache

    cache.keep_patterns()
    return status


def temporal_timeml(text: str, found: Sequence[Any], dct: str | None,
                    events: Sequence[Any] | None = None) -> str:
    from xml.sax.saxutils import escape, quoteattr

    from timeline.temporal.values import parse_day

    parts = ['<?xml version="1.0" ?>\n<TimeML>\n']
    day = parse_day(dct)  # a DCT that is not a real date is left out, never pasted in
    if day is not None:
        parts.append(f'<DCT><TIMEX3 tid="t0" type="DATE" value="{day}" temporalFunction="false" '
                     f'functionInDocument="CREATION_TIME">{day}</TIMEX3></DCT>\n')
    parts.append("<TEXT>")
    if events is not None:
        from timeline.cli.tagevents import timeml

        return timeml(text, found, events, "".join(parts))
    pos = 0
    for i, t in enumerate(found, 1):
        parts.append(escape(text[pos:t.start]))
        attrs_ = f"tid=\"t{i}\" type={quoteattr(t.type)} value={quoteattr(t.value)}"
        if t.mod:
            attrs_ += f" mod={quoteattr(t.mod)}"
        parts.append(f"<TIMEX3 {attrs_}>{escape(t.text)}</TIMEX3>")
        pos = t.end
    parts.append(escape(text[pos:]) + "</TEXT>\n</TimeML>\n")
    return "".join(parts)


