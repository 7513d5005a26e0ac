"""`timeline show`: the timeline as rich text, JSON, CSV or Markdown."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from rich.text import Text

from timeline import render
from timeline.cli import EXIT_OK, UsageError, emit, open_store, out_console, reader_view
from timeline.cli.entities import entity_view, resolve_story


def _filter(snap: dict[str, Any], args: argparse.Namespace,
            stories: set[str] | None = None) -> dict[str, Any]:
    def keep(e: dict[str, Any]) -> bool:
        start = e.get("start") or ""
        return ((stories is None or e["story"] in stories)
                and (not args.kind or e["kind"] == args.kind)
                and (not args.since or (start and start[:len(args.since)] >= args.since))
                and (not args.until or (start and start[:len(args.until)] <= args.until)))

    events = [e for e in snap["events"] if keep(e)]
    ids = {e["id"] for e in events}
    return {**snap, "events": events,
            "conflicts": [c for c in snap["conflicts"] if c["event"] in ids],
            "constraints": [c for c in snap["constraints"]
                            if c["before"] in ids or c["after"] in ids]}


def show(args: argparse.Namespace) -> int:
    heading = None
    with open_store(args, readonly=True) as store:
        if args.timexes:
            return _timexes(args, store)
        snap = reader_view(store, args)
        if args.entity:
            snap, heading = entity_view(store, snap, args.entity)
        stories = resolve_story(store, args.story) if args.story else None
        snap = _filter(snap, args, stories)
        names = ({r["id"]: r["name"] for r in store.story_summaries()}
                 if args.format == "table" and not args.entity
                 and len({e["story"] for e in snap["events"]}) > 1 else {})
        chars = store.document_chars() if args.format == "table" else {}
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
    console = out_console(args.width)
    plain = not console.is_terminal
    items: list[Any] = []
    docs = snap["documents"]
    if not docs:
        console.print("no documents yet: `timeline run PATH` reads articles into this database",
                      markup=False)
        console.file.flush()
        return EXIT_OK
    if len(docs) > 30:  # a corpus, not a handful: counts instead of a wall of rows
        bases: dict[str, int] = {}
        for d in docs:
            bases[d["date_basis"]] = bases.get(d["date_basis"], 0) + 1
        items += [Text(render.safe(f"{len(docs)} documents (" + ", ".join(
            f"{n} {b}" for b, n in sorted(bases.items())) + "); `timeline documents` lists them")),
            ""]
    elif not (args.story or args.kind or args.since or args.until or args.entity):
        items += [render.table(
            "documents", ["date", "basis", "lang", "chars", "title", "path"],
            [[d["date"] or "?", d["date_basis"], d["language"], chars.get(d["id"]),
              d["title"][:70], d["path"]] for d in docs], plain=plain), ""]
    if heading:
        items += [Text(render.safe(heading)), ""]
    if names:
        items += _by_story(snap, names, plain, args.sources)
    else:
        items += render.timeline_text(snap, plain=plain, sources=args.sources)
    if args.pager and console.is_terminal:
        with console.pager(styles=True):
            for it in items:
                console.print(it)
    else:
        for it in items:
            console.print(it)
        console.file.flush()
    return EXIT_OK


def _by_story(snap: dict[str, Any], names: dict[str, str], plain: bool,
              sources: bool) -> list[Any]:
    """One timeline per story, under its name, the story that starts first first: stories
    do not interleave under one date with ranks that belong to different orders."""
    events: dict[str, list[dict[str, Any]]] = {}
    for e in snap["events"]:
        events.setdefault(e["story"], []).append(e)

    def first(story: str) -> tuple[bool, str, str]:
        days = [e["start"] for e in events[story] if e["start"]]
        return (not days, min(days) if days else "", story)

    out: list[Any] = []
    for story in sorted(events, key=first):
        ids = {e["id"] for e in events[story]}
        part = {**snap, "events": events[story],
                "conflicts": [c for c in snap["conflicts"] if c["event"] in ids]}
        out.append(Text(render.safe(f"== {names.get(story, story)}  [{story}]"),
                        style="" if plain else "bold"))
        out += [*render.timeline_text(part, plain=plain, sources=sources), ""]
    return out


def _timexes(args: argparse.Namespace, store: Any) -> int:
    rows = store.timexes_of(args.timexes)
    if not rows:
        raise UsageError(f"no document matches {args.timexes!r} (or it has no expressions)")
    cols = ["start", "end", "text", "type", "value", "mod", "anchor"]
    emit(args, cols, [[r[c] for c in cols] for r in rows],
         title=f"time expressions of {rows[0]['document'][:12]}")
    return EXIT_OK
