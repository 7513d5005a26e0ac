"""Readable names for stories, for headings, lanes, groups and page titles.

A story id is its two most frequent names and a short hash (`segment.story_id`:
`putin-russia-5ebd6e`); until a story carries a better name, the readable one is those
names as people write them ("Putin · Russia").
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_HASH = re.compile(r"-[0-9a-f]{6}$")


def story_name(story: str | None) -> str:
    if not story:
        return "no story"
    stem = _HASH.sub("", story)
    if stem.startswith("story") and stem in ("story", "story-"):
        return f"story {story[-6:]}"
    parts = [p for p in stem.split("-") if p]
    if not parts:
        return story
    return " · ".join(p[:1].upper() + p[1:] for p in parts)


def title_of(stories: Iterable[str | None], most: int = 3) -> str:
    """A page or export title from its stories, the largest first ("Putin · Russia,
    Massa · Milei and 8 more stories"); `stories` repeats a story once per event."""
    counts: dict[str, int] = {}
    for s in stories:
        name = story_name(s)
        counts[name] = counts.get(name, 0) + 1
    if not counts:
        return "Timeline"
    ranked = sorted(counts, key=lambda n: (-counts[n], n))
    head = ", ".join(ranked[:most])
    rest = len(ranked) - most
    if rest > 0:
        head += f" and {rest} more stor{'ies' if rest > 1 else 'y'}"
    return f"Timeline: {head}"
