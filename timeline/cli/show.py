"""`timeline show`: the timeline as text for people (`timeline.printout`), JSON, CSV or
Markdown; the documents only when asked (`--documents`, or `timeline documents`)."""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

from timeline import printout, render
from timeline.cli import EXIT_OK, UsageError, emit, open_store, out_console, reader_view
from timeline.cli.entities import entity_view, resolve_story
from timeline.cli.filters import choose, date_span, in_range, nothing_between


def _filter(snap: dict[str, Any], args: argparse.Namespace,
            stories: set[str] | None = None) -> dict[str, Any]:
    def keep(e: dict[str, Any]) -> bool:
        return ((stories is None or e["story"] in stories)
                and (not args.kind or e["kind"] == args.kind)
                and in_range(e, args.since, args.until))

    events = [e for e in snap["events"] if keep(e)]
    ids = {e["id"] for e in events}
    return {**snap, "events": events,
            "conflicts": [c for c in snap["conflicts"] if c["event"] in ids],
            "constraints": [c for c in snap["constraints"]
                            if c["before"] in ids or c["after"] in ids]}


def _check(args: argparse.Namespace, snap: dict[str, Any]) -> None:
    """Filters that can only match nothing are usage errors, said before anything prints."""
    args.since = args.since and date_span("--since", args.since)
    args.until = args.until and date_span("--until", args.until)
    if args.kind:
        args.kind = choose("--kind", args.kind, (e["kind"] for e in snap["events"]), "kind")
    if args.since and args.until and nothing_between(args.since.start, args.until.end):
        raise UsageError("--since is after --until: no event can be in between")


def show(args: argparse.Namespace) -> int:
    heading = None
    with open_store(args, readonly=True) as store:
        if args.timexes:
            return _timexes(args, store)
        snap = reader_view(store, args)
        _check(args, snap)
        if args.entity:
            snap, heading = entity_view(store, snap, args.entity)
        stories = resolve_story(store, args.story) if args.story else None
        snap = _filter(snap, args, stories)
        human = args.format == "table"
        names = ({r["id"]: r["name"] for r in store.story_summaries()}
                 if human and not args.entity else {})
        chars = store.document_chars() if human and args.documents else {}
    if args.format == "json":
        sys.stdout.write(render.to_json(snap))
        return EXIT_OK
    if args.format in ("csv", "markdown"):
        cols = ["rank", "start", "end", "status", "kind", "title", "story", "sources", "id"]
        rows = [[e["rank"], e["start"], e["end"], e["status"], e["kind"], e["title"],
                 e["story"], len({s["document"] for s in e["sources"]}), e["id"]]
                for e in snap["events"]]
        emit(args, cols, rows)
        return EXIT_OK
    return _print(args, snap, names, chars, heading)


def _print(args: argparse.Namespace, snap: dict[str, Any], names: dict[str, str],
           chars: dict[str, Any], heading: str | None) -> int:
    console = out_console(args.width)
    plain = not console.is_terminal
    width = console.width if console.is_terminal or args.width else None
    items: list[Any] = []
    if not snap["documents"]:
        console.print("no documents yet: `timeline run PATH` reads articles into this database",
                      markup=False)
        console.file.flush()
        return EXIT_OK
    if args.documents:
        items += [_documents(snap["documents"], chars, plain), ""]
    if heading:
        items.append(printout.fit_text(heading, width))
    if not snap["events"]:
        items.append("no events match" if (args.story or args.kind or args.since or args.until
                                            or args.entity) else "no events yet")
    elif names:
        items += printout.story_lines(snap, names, width=width, plain=plain,
                                      sources=args.sources)
    else:
        items += printout.timeline_lines(snap, width=width, plain=plain, sources=args.sources)
    if args.pager and console.is_terminal:
        # less shows colours only when told to (git sets the same): unless the user said
        # otherwise, -F quits when it fits one screen, -R passes colours, -X keeps the screen
        os.environ.setdefault("LESS", "FRX")
        with console.pager(styles=True):
            for it in items:
                console.print(it)
    else:
        for it in items:
            console.print(it)
        console.file.flush()
    return EXIT_OK


def _documents(docs: list[dict[str, Any]], chars: dict[str, Any], plain: bool) -> Any:
    """The documents, one row each: a long title is cut with an ellipsis, not wrapped."""
    t = render.table("documents", ["date", "basis", "lang", "chars", "title", "path"],
                     [[d["date"] or "?", d["date_basis"], d["language"], chars.get(d["id"]),
                       d["title"], d["path"]] for d in docs], plain=plain)
    for col in (t.columns[4], t.columns[5]):
        col.overflow, col.no_wrap = "ellipsis", True
    return t


def _timexes(args: argparse.Namespace, store: Any) -> int:
    rows = store.timexes_of(args.timexes)
    if not rows:
        raise UsageError(f"no document matches {args.timexes!r} (or it has no expressions)")
    cols = ["start", "end", "text", "type", "value", "mod", "anchor"]
    emit(args, cols, [[r[c] for c in cols] for r in rows],
         title=f"time expressions of {rows[0]['document'][:12]}")
    return EXIT_OK
