"""The entity stage of the corpus phase: names of the documents a run touched, linked with
the names every other document already has, appended as differences from the current facts.

Names are found per document (`entities.mentions`) only for the documents the run
reconstructs; the others' mentions are read back from `entity_mentions`, so linking covers
the whole corpus without re-reading its text.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Any

from timeline import entities, pipeline
from timeline import events as ev
from timeline.cli.guard import Guard, Subject
from timeline.pipeline import Excluded
from timeline.store import Store


def entity_changes(store: Store, engine: str, docs: Sequence[pipeline.Doc],
                   subjects: dict[str, Subject], current: set[str],
                   story_of: dict[tuple[str, int], str], guard: Guard,
                   analysed: Mapping[str, Any] | None = None,
                   ahead: Mapping[str, Any] | None = None) -> list[Any]:
    """`analysed`: the documents' analyses the reconstruction made (each is analysed once);
    `ahead`: the names a worker found (timeline.ahead.Ahead), by document."""
    fresh: dict[str, list[entities.Mention]] = {}
    known = analysed or {}
    made = ahead or {}

    def names(d: pipeline.Doc) -> list[entities.Mention]:
        got = made.get(d.id)
        if got is not None and got.failed and got.failed[0] == "entities":
            raise got.failed[1]
        if got is not None and got.names is not None:
            return list(got.names)
        return entities.mentions(d.id, d.text, d.language, known.get(d.id))

    for d in docs:
        try:
            fresh[d.id] = guard.run("entities", subjects[d.id], lambda d=d: names(d))
        except Excluded:
            fresh[d.id] = []
    stored: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in store.entity_mention_rows():
        stored[r["document"]].append(r)
    kept = {doc: [entities.from_data(r) for r in rows] for doc, rows in stored.items()
            if doc in current and doc not in fresh}
    stories_of: dict[str, set[str]] = defaultdict(set)
    for (doc, _i), st in story_of.items():
        stories_of[doc].add(st)
    found = [m for ms in (*fresh.values(), *kept.values()) for m in ms]
    ents, of = entities.link(found, stories_of)
    relinked = {doc for doc, rows in stored.items() if doc in kept and any(
        of.get((r["document"], r["start"], r["end"])) != r["entity"] for r in rows)}
    out: list[Any] = []
    per_name = store.has_live_facts("EntityMentioned")  # a log from before EntitiesMentioned
    for doc in sorted(set(fresh) | relinked | (set(stored) - current)):
        ms = fresh.get(doc) if doc in fresh else kept.get(doc, [])
        if per_name:  # retracted first: the record below then writes the rows they held
            heads, live = store.facts_of("EntityMentioned", doc + ":")
            out += pipeline.keyed_changes("EntityMentioned", [], heads, live, engine)
        desired = [ev.EntitiesMentioned(
            document=doc, language=ms[0].language, engine=engine,
            names=[[m.start, m.end, m.text, m.label, m.local, of[(m.document, m.start, m.end)]]
                   for m in ms])] if ms else []
        heads, live = store.facts_of("EntitiesMentioned", doc)
        out += pipeline.keyed_changes("EntitiesMentioned", desired, heads, live, engine)
    desired_ents = [ev.EntityFound(entity=e.id, name=e.name, entity_type=e.type,
                                   aliases=list(e.aliases), mentions=e.mentions,
                                   documents=e.documents, languages=list(e.languages),
                                   engine=engine) for e in ents]
    scope = store.current_heads("EntityFound")
    heads, live = store.facts_for("EntityFound", sorted(set(scope) | {e.key for e in
                                                                      desired_ents}))
    out += pipeline.keyed_changes("EntityFound", desired_ents, heads, live, engine)
    return out
