"""The entity stage of the corpus phase: names of the documents a run touched, linked with
the names every other document already has, appended as differences from the current facts.

Names are found per document (`entities.mentions`) only for the documents the run
reconstructs (every document whose stories changed is one of them). The others' mentions
are read back from `entity_mentions`. Linking is incremental where it can be: the keys of
the touched documents' names (new and old) and of the documents that left are closed over
the keys they can interact with (`timeline.entity_scope`, answered by the entity index,
store/entity_index.py), and only the mentions of those keys are linked again; the
entities of every other key cannot change, and are not read. That is the whole pass
restricted to the components it can change, so it reaches the same entities and ids.
The whole pass runs when the index is not filled (a first run, an older or copied
database) or when the run touched most of the corpus anyway; it fills the index.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from timeline import entities, entity_scope, pipeline
from timeline import events as ev
from timeline.cli.guard import Guard, Subject
from timeline.pipeline import Excluded
from timeline.store import Store

MentionKey = tuple[str, int, int]


def entity_changes(store: Store, engine: str, docs: Sequence[pipeline.Doc],
                   subjects: dict[str, Subject], current: set[str],
                   story_of: dict[tuple[str, int], str], guard: Guard,
                   analysed: Mapping[str, Any] | None = None,
                   ahead: Mapping[str, Any] | None = None) -> list[Any]:
    """`analysed`: the documents' analyses the reconstruction made (each is analysed once);
    `ahead`: the names a worker found (timeline.ahead.Ahead), by document."""
    fresh = _fresh(docs, subjects, guard, analysed or {}, ahead or {})
    per_name = store.has_live_facts("EntityMentioned")  # a log from before EntitiesMentioned
    if per_name or 2 * len(fresh) > len(current) or not store.entity_index_filled():
        return _whole(store, engine, fresh, current, story_of, per_name)
    return _incremental(store, engine, fresh, current, story_of)


def _fresh(docs: Sequence[pipeline.Doc], subjects: dict[str, Subject], guard: Guard,
           known: Mapping[str, Any], made: Mapping[str, Any]
           ) -> dict[str, list[entities.Mention]]:
    fresh: dict[str, list[entities.Mention]] = {}

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
    return fresh


def _stories_of(story_of: Mapping[tuple[str, int], str], documents: set[str]
                ) -> dict[str, set[str]]:
    out: dict[str, set[str]] = defaultdict(set)
    for (doc, _i), st in story_of.items():
        if doc in documents:
            out[doc].add(st)
    return out


def _whole(store: Store, engine: str, fresh: dict[str, list[entities.Mention]],
           current: set[str], story_of: Mapping[tuple[str, int], str],
           per_name: bool) -> list[Any]:
    """Every mention of the corpus linked at once; the entity index filled again."""
    stored: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in store.entity_mention_rows():
        stored[r["document"]].append(r)
    kept = {doc: [entities.from_data(r) for r in rows] for doc, rows in stored.items()
            if doc in current and doc not in fresh}
    found = [m for ms in (*fresh.values(), *kept.values()) for m in ms]
    ents, of = entities.link(found, _stories_of(story_of, current))
    relinked = {doc for doc, rows in stored.items() if doc in kept and any(
        of.get((r["document"], r["start"], r["end"])) != r["entity"] for r in rows)}
    # the keys still stored stay indexed until the log says otherwise (an append that fails
    # leaves them in entity_mentions)
    store.put_entity_index({m.local for m in found} |
                           {r["local"] for rows in stored.values() for r in rows},
                           clear_all=True)
    mentions = {doc: fresh[doc] if doc in fresh else kept.get(doc, [])
                for doc in fresh.keys() | relinked | (stored.keys() - current)}
    old_ids = set(store.current_heads("EntityFound"))
    return _records(store, engine, mentions, of, ents, old_ids, per_name)


def _incremental(store: Store, engine: str, fresh: dict[str, list[entities.Mention]],
                 current: set[str], story_of: Mapping[tuple[str, int], str]) -> list[Any]:
    """Only the names the touched documents' keys can interact with, linked again."""
    gone = store.entity_mention_documents() - current
    before = store.entity_mentions_of(fresh.keys() | gone)  # what they named until now
    new_keys = {m.local for ms in fresh.values() for m in ms}
    store.put_entity_index(new_keys)  # before the append: an index may hold more, not less
    scope = entity_scope.closure(new_keys | {r["local"] for r in before},
                                 store.entity_keys_with)
    rows = store.entity_mentions_with(scope)
    kept = [r for r in rows if r["document"] in current and r["document"] not in fresh]
    found = [m for ms in fresh.values() for m in ms] + [entities.from_data(r) for r in kept]
    ents, of = entities.link(found, _stories_of(story_of, {m.document for m in found}))
    relinked = {r["document"] for r in kept
                if of[(r["document"], r["start"], r["end"])] != r["entity"]}
    mentions: dict[str, list[entities.Mention]] = {d: fresh.get(d, []) for d in fresh.keys()
                                                   | gone}
    whole = defaultdict(list)  # a relinked document's names outside the scope keep theirs
    for r in store.entity_mentions_of(relinked):
        whole[r["document"]].append(r)
    for doc, rs in whole.items():
        mentions[doc] = [entities.from_data(r) for r in rs]
        of.update({(r["document"], r["start"], r["end"]): r["entity"] for r in rs
                   if r["local"] not in scope})
    old_ids = {r["entity"] for r in (*rows, *before)}
    return _records(store, engine, mentions, of, ents, old_ids, False)


def _records(store: Store, engine: str, mentions: Mapping[str, list[entities.Mention]],
             of: Mapping[MentionKey, str], ents: Iterable[entities.Entity],
             old_ids: set[str], per_name: bool) -> list[Any]:
    """The differences of these documents' mentions and of these entities (every entity
    whose records may change: `old_ids` and the linked ones) from the log's facts."""
    out: list[Any] = []
    for doc in sorted(mentions):
        ms = mentions[doc]
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
    heads, live = store.facts_for("EntityFound", sorted(old_ids | {e.key for e in
                                                                   desired_ents}))
    out += pipeline.keyed_changes("EntityFound", desired_ents, heads, live, engine)
    return out
