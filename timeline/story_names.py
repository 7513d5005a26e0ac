"""Stories as a reader sees them: a readable name (the entities most of its events name, and
its main kind of event with its place), the span of its dates, its documents, events and
languages. Computed from the projections when asked, so a name follows the story's facts.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

from timeline import entity_keys

# kinds that tell what a story is about less than the happenings they report
_REPORTING = ("statement",)


def story_name(events: Sequence[Mapping[str, Any]],
               entities: Mapping[str, Counter[str]], names: Mapping[str, tuple[str, str]],
               story: str, places: Mapping[str, str]) -> str:
    """ "Vladimir Putin – Kim Jong Un: meeting at Vostochny Cosmodrome" ("in" a town). `entities`
    counts, per story, the events each entity takes part in; `names` is entity id -> (name, type);
    `places` a place's spelling (case-folded) -> its entity's name ("Аргентине": Argentina)."""
    counts = entities.get(story, Counter())
    actors = [e for e, _n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
              if names.get(e, ("", ""))[1] in ("PERSON", "ORG")]
    if not actors:
        actors = [e for e, _n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]
    head = " – ".join(names[e][0] for e in actors[:2] if e in names)
    if not events:
        return head or story
    # the story's main happening: the event most sources tell, reports after happenings
    # (a kind's event before an open-class one, which has only its lemma to say)
    top = min(events, key=lambda e: (not e["kind"], e["kind"] in _REPORTING,
                                     -(e.get("source_count") or 0),
                                     e.get("start") or "", e["kind"]))
    place = top.get("place")
    place = places.get(place.casefold(), place) if place else None
    at = "at" if place and entity_keys.is_site(place) else "in"
    what = (top["kind"] or top.get("label") or "events") + (f" {at} {place}" if place else "")
    return f"{head}: {what}" if head else what


def summarize(events: Sequence[Mapping[str, Any]], docs: Mapping[str, set[str]],
              languages: Mapping[str, str], entities: Mapping[str, Counter[str]],
              names: Mapping[str, tuple[str, str]], places: Mapping[str, str]
              ) -> list[dict[str, Any]]:
    """One row per story: id, name, first, last, documents, events, languages; the
    stories with most documents first."""
    by_story: dict[str, list[Mapping[str, Any]]] = {}
    for e in events:
        by_story.setdefault(e["story"], []).append(e)
    rows = []
    for story in sorted(set(by_story) | set(docs)):
        evs = by_story.get(story, [])
        # the span of the days it reports; coarser dates only when it names no day
        days = sorted(e["start"][:10] for e in evs if len(e.get("start") or "") >= 10
                      and e["start"][4] == "-" and e["start"][7] == "-")
        days = days or sorted(e["start"][:7] for e in evs if e.get("start"))
        ds = docs.get(story, set())
        rows.append({"id": story, "name": story_name(evs, entities, names, story, places),
                     "first": days[0] if days else None, "last": days[-1] if days else None,
                     "documents": len(ds), "events": len(evs),
                     "languages": sorted({languages.get(d, "und") for d in ds})})
    return sorted(rows, key=lambda r: (-r["documents"], -r["events"], r["id"]))
