"""Story linking in the corpus phase: the whole pass, or only the stories new segments touch.

A full run (first run, new engine, an unfinished run), or a database whose name index or
story cache does not cover its documents, links every segment (`segment.stories`) and fills
the name index again. Otherwise the run links incrementally: the new segments' candidates
and the names' document frequencies come from the name index (`store/names.py`); the stories
those candidates belong to, and the stories of documents that left, are linked again from
scratch with the whole corpus's frequencies (`segment.stories(..., df=, n=)`), and nothing
else is read. Stories never interact, so this is the whole pass restricted to the stories it
can change.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs

from timeline import identity, linking, segment
from timeline.store import Store
from timeline.store.names import segment_rows

SegmentKey = tuple[str, int]


@attrs.frozen
class Linked:
    story_of: dict[SegmentKey, str]  # every current segment's story
    affected: set[str]  # the documents to reconstruct: closed over shared stories
    segments: dict[str, list[Any]]  # the segments of (at least) the affected documents


def link(store: Store, engine: str, ids: list[str], changed: set[str], full: bool,
         fresh: Mapping[str, list[Any]], old: dict[SegmentKey, str],
         renamed: Mapping[str, str]) -> Linked:
    """`fresh`: segments computed in this run (not in the index yet, but cached)."""
    current = set(ids)
    indexed = store.name_index_documents()
    missing = current - indexed
    covered = {d for d, _i in old}
    if full or not indexed or (current - covered) - set(changed) or \
            len(missing) > max(len(current) // 2, 100):
        return _whole(store, engine, ids, changed, full, fresh, old, renamed)
    gone = indexed - current
    adding = _load(store, engine, missing, fresh)
    store.put_name_index([r for d in sorted(adding) for r in segment_rows(
        d, segment.to_data(adding[d]))], clear_documents=sorted(gone))
    new_docs = (set(changed) & current) | missing
    mine = _load(store, engine, new_docs, {**fresh, **adding})
    new = [s for d in sorted(new_docs) for s in mine[d]]
    touched = _touched(store, new, new_docs, covered)
    if touched is None:  # a candidate without a story: the cache lags, link everything
        return _whole(store, engine, ids, changed, full, fresh, old, renamed)
    seeds = {old[k] for k in touched} | {s for (d, _i), s in old.items()
                                         if d in gone or d in new_docs}
    sub_docs = {d for (d, _i), s in old.items() if s in seeds and d in current} | new_docs
    segs = _load(store, engine, sub_docs, {**fresh, **mine})
    sub = [s for d in sorted(sub_docs) for s in segs[d]]
    df = store.name_frequencies({k for s in sub for k in s.names})
    story_sub = segment.stories(sub, dates=store.header_dates_of(sub_docs), df=df,
                                n=df.get("", len(sub)))
    before = {k: s for k, s in old.items() if k[0] in sub_docs or k[0] not in current}
    story_sub = identity.keep_story_ids(story_sub, before, renamed)
    story_of = {k: s for k, s in old.items() if k[0] in current and k[0] not in sub_docs}
    story_of.update(story_sub)
    return Linked(story_of, sub_docs, segs)


def _whole(store: Store, engine: str, ids: list[str], changed: set[str], full: bool,
           fresh: Mapping[str, list[Any]], old: dict[SegmentKey, str],
           renamed: Mapping[str, str]) -> Linked:
    """Every segment linked at once; the name index filled again."""
    segs = _load(store, engine, set(ids), fresh)
    story_of = identity.keep_story_ids(segment.stories(
        [s for i in ids for s in segs[i]], dates=store.header_dates()), old, renamed)
    store.put_name_index([r for d in ids for r in segment_rows(d, segment.to_data(segs[d]))],
                         clear_all=True)
    affected = set(ids) if full else _affected(ids, changed, story_of, old)
    return Linked(story_of, affected, segs)


def _load(store: Store, engine: str, documents: set[str],
          fresh: Mapping[str, list[Any]]) -> dict[str, list[Any]]:
    out = {d: list(fresh[d]) for d in documents if d in fresh}
    cached = store.cached_segments(engine, documents - set(out))
    out.update((d, segment.from_data(d, data)) for d, data in cached.items())
    return out


def _touched(store: Store, new: list[Any], new_docs: set[str],
             covered: set[str]) -> set[SegmentKey] | None:
    """The indexed segments a new segment links to (under the whole pass's rule: searched
    through the new segment's generating names, `linking.generating`), or None when one of
    them has no story yet."""
    keys = {(s.document, s.index): linking.keys_of(s.language, s.names) for s in new}
    df = store.name_frequencies({k for ks in keys.values() for k in linking.all_keys(ks)})
    wanted = {k for ks in keys.values()
              for k in linking.generating(ks.own, df) | linking.generating(ks.far, df)}
    found = {(d, i) for d, i, _lang, _k in store.name_postings(wanted) if d not in new_docs}
    if {d for d, _i in found} - covered:
        return None
    theirs = {k: linking.keys_of(lang, ks)
              for k, (lang, ks) in store.name_keys({d for d, _i in found}).items() if k in found}
    df.update(store.name_frequencies({x for ks in theirs.values()
                                      for x in linking.all_keys(ks)}))
    idf = linking.idf_of(df, df.get("", 1))
    days = {d: segment.day_of(v) for d, v in store.header_dates_of(
        {d for d, _i in theirs} | new_docs).items()}
    out: set[SegmentKey] = set()
    for (d, _i), mine in keys.items():
        for (e, j), other in theirs.items():
            if (e, j) not in out and linking.candidate(mine, other, df) and linking.score(
                    mine, other, idf, days.get(d), days.get(e), **segment.LINK) is not None:
                out.add((e, j))
    return out


def _affected(ids: list[str], changed: set[str], story_of: dict[tuple[str, int], str],
              old: dict[tuple[str, int], str]) -> set[str]:
    """Changed documents, documents whose segments changed story, and every document that
    shares a story (old or new) with them: a closed set."""
    docs_of_new: dict[str, set[str]] = {}
    docs_of_old: dict[str, set[str]] = {}
    new_of: dict[str, set[str]] = {}
    old_of: dict[str, set[str]] = {}
    for (d, _i), s in story_of.items():
        docs_of_new.setdefault(s, set()).add(d)
        new_of.setdefault(d, set()).add(s)
    for (d, _i), s in old.items():
        docs_of_old.setdefault(s, set()).add(d)
        old_of.setdefault(d, set()).add(s)
    current = set(ids)
    seeds = set(changed) | {d for (d, i), s in story_of.items() if old.get((d, i)) != s}
    seeds |= {d for (d, _i) in old if d not in current}
    affected: set[str] = set()
    todo = list(seeds)
    while todo:
        d = todo.pop()
        if d in affected:
            continue
        affected.add(d)
        for s in new_of.get(d, ()):
            todo += docs_of_new.get(s, ())
        for s in old_of.get(d, ()):
            todo += docs_of_old.get(s, ())
    return affected & current
