"""`timeline entities`, `timeline stories`, and finding one of them by name for `show` and
`export`: the cross-document view of a corpus (who and what, across stories)."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from timeline import lookup
from timeline.cli import EXIT_OK, UsageError, emit, open_store

if TYPE_CHECKING:  # the store (sqlite3) loads when a command opens it, not to parse arguments
    from timeline.store import Store


# timeline.entities.LABELS, without loading the analysis (0.4 s) to check a flag
ENTITY_TYPES = ("PERSON", "ORG", "PLACE", "OTHER")


def cmd_entities(args: argparse.Namespace) -> int:
    with open_store(args, readonly=True) as store:
        rows = store.entities()
    if args.type:
        from timeline.cli.filters import choose

        wanted = choose("--type", args.type.upper(), ENTITY_TYPES, "entity type")
        rows = [r for r in rows if r["type"] == wanted]
    if args.min_mentions:
        rows = [r for r in rows if r["mentions"] >= args.min_mentions]
    rows = rows[: args.limit] if args.limit else rows
    cols = ["id", "name", "type", "mentions", "documents", "languages", "aliases"]
    if args.format == "table":
        data = [[r["id"], r["name"], r["type"], r["mentions"], r["documents"],
                 ", ".join(r["languages"]), ", ".join(r["aliases"][:8])
                 + (f" (+{len(r['aliases']) - 8})" if len(r["aliases"]) > 8 else "")]
                for r in rows]
    else:  # lists stay lists in JSON; in CSV and Markdown they are "a; b" cells
        data = [[_cell(r[c], args.format) for c in cols] for r in rows]
    emit(args, cols, data, title="entities")
    return EXIT_OK


def _cell(value: Any, fmt: str) -> Any:
    if isinstance(value, list) and fmt != "json":
        return ", ".join(value) if fmt == "table" else "; ".join(value)
    return value


def resolve_entity(store: Store, name: str) -> dict[str, Any]:
    """The entity a user means by `name` (any alias, or an id prefix); a usage error listing
    close names when none matches, or the candidates when several do."""
    rows = store.entities()
    recs = [(r["id"], [r["name"], *r["aliases"]]) for r in rows]
    got = lookup.find(name, recs)
    if not got:
        near = lookup.close(name, recs)
        raise UsageError(f"no entity is named {name!r}" + (
            f"; close: {', '.join(near)}" if near else "; `timeline entities` lists them"))
    by_id = {r["id"]: r for r in rows}
    if len(got) > 1:  # several share the spelling: the most mentioned, unless it is a tie
        ranked = sorted(got, key=lambda i: -by_id[i]["mentions"])
        if by_id[ranked[0]]["mentions"] == by_id[ranked[1]]["mentions"]:
            raise UsageError(f"{name!r} names several entities: {', '.join(ranked[:5])}; "
                             "give an id")
        got = ranked
    return by_id[got[0]]


def entity_view(store: Store, snap: dict[str, Any], name: str) -> tuple[dict[str, Any], str]:
    """The snapshot narrowed to one entity's events, in time order across every story, and
    a heading that says whose they are."""
    ent = resolve_entity(store, name)
    ids = {r["id"] for r in store.entity_events(ent["id"])}
    events = sorted((e for e in snap["events"] if e["id"] in ids),
                    key=lambda e: (e["start"] is None, e["start"] or "", e["rank"] or 0,
                                   e["id"]))
    docs = {s["document"] for e in events for s in e["sources"]}
    stories = {e["story"] for e in events}
    heading = (f"{ent['name']} ({ent['type']}): {len(events)} events, {len(docs)} documents, "
               f"{len(stories)} stor{'y' if len(stories) == 1 else 'ies'}")
    narrowed = {**snap, "events": events,
                "documents": [d for d in snap["documents"] if d["id"] in docs],
                "conflicts": [c for c in snap["conflicts"] if c["event"] in ids],
                "constraints": [c for c in snap["constraints"]
                                if c["before"] in ids and c["after"] in ids]}
    return narrowed, heading


def export_timeline_task(store: Store, snap: dict[str, Any], name: str) -> str:
    """`export --format timeline-task --entity NAME`: the SemEval-2015 TimeLine lines."""
    from timeline.analyze import LANGUAGES, analyze
    from timeline.timeline_task import doc_name, to_timeline_task

    ent = resolve_entity(store, name)
    narrowed, _heading = entity_view(store, snap, ent["id"])
    triggers = store.event_triggers([e["id"] for e in narrowed["events"]], ent["id"])
    wanted = sorted({d for ts in triggers.values() for d, _o in ts})
    analysed = {}
    for d in store.documents(wanted):
        lang = d["language"] if d["language"] in LANGUAGES else "en"
        analysed[d["id"]] = (doc_name(d["path"]), analyze(d["text"], lang))
    return to_timeline_task(ent["name"], narrowed["events"], triggers, analysed)


def cmd_stories(args: argparse.Namespace) -> int:
    with open_store(args, readonly=True) as store:
        rows = store.story_summaries()
    cols = ["id", "name", "first", "last", "documents", "events", "languages"]
    data = [[_cell(r[c], args.format) for c in cols] for r in rows]
    emit(args, cols, data, title="stories")
    return EXIT_OK


def resolve_story(store: Store, query: str) -> set[str]:
    """The stories a user means: by name (any case or accents), by the beginning of an id,
    or by words of the name; a usage error listing close names when none matches."""
    rows = store.story_summaries()
    q = lookup.fold(query)
    got = {r["id"] for r in rows if lookup.fold(r["name"]) == q}
    got = got or {r["id"] for r in rows if r["id"].startswith(query)}
    got = got or {r["id"] for r in rows if q and q in lookup.fold(r["name"])}
    if not got:
        near = lookup.close(query, [(r["id"], [r["name"]]) for r in rows])
        raise UsageError(f"no story matches {query!r}" + (
            f"; close: {'; '.join(near)}" if near else "; `timeline stories` lists them"))
    return got


def add_commands(add: Any) -> None:
    e = add("entities", "list the people, organisations and places, with counts and aliases")
    e.add_argument("--format", choices=["table", "json", "csv", "markdown"], default="table",
                   help="table for people (default); json, csv or markdown for programs")
    e.add_argument("--type", help="only PERSON, ORG, PLACE or OTHER")
    e.add_argument("--min-mentions", type=int, default=0, metavar="N",
                   help="only entities named at least N times")
    e.add_argument("--limit", type=int, metavar="N", help="at most N rows (most named first)")
    e.add_argument("--as-of", help="the state at a log seq, ISO-8601 instant or run id")
    e.set_defaults(func=cmd_entities)

    s = add("stories", "list the stories: a readable name, dates, documents, events, languages")
    s.add_argument("--format", choices=["table", "json", "csv", "markdown"], default="table",
                   help="table for people (default); json, csv or markdown for programs")
    s.add_argument("--as-of", help="the state at a log seq, ISO-8601 instant or run id")
    s.set_defaults(func=cmd_stories)
