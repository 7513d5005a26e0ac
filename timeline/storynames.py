"""Readable names for stories, for headings, lanes, groups and page titles.

A snapshot may carry `story_names` (story id -> the readable name `timeline stories` prints,
from `story_names.summarize`: "Kim Jong Un – Vladimir Putin: meeting at Vostochny
Cosmodrome"); without one, a story id's names (its founding names and a short hash,
`putin-russia-5ebd6e`) are written as people write them ("Putin · Russia").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

_HASH = re.compile(r"-[0-9a-f]{6}$")


def story_name(story: str | None, names: Mapping[str, str] | None = None) -> str:
    if not story:
        return "no story"
    if names and names.get(story):
        return names[story]
    stem = _HASH.sub("", story)
    if stem.startswith("story") and stem in ("story", "story-"):
        return f"story {story[-6:]}"
    parts = [p for p in stem.split("-") if p]
    if not parts:
        return story
    return " · ".join(p[:1].upper() + p[1:] for p in parts)


def title_of(stories: Iterable[str | None], most: int = 3,
             names: Mapping[str, str] | None = None) -> str:
    """A page or export title from its stories, the largest first ("Putin · Russia,
    Massa · Milei and 8 more stories"); `stories` repeats a story once per event."""
    counts: dict[str, int] = {}
    for s in stories:
        name = story_name(s, names)
        counts[name] = counts.get(name, 0) + 1
    if not counts:
        return "Timeline"
    ranked = sorted(counts, key=lambda n: (-counts[n], n))
    head = ", ".join(ranked[:most])
    rest = len(ranked) - most
    if rest > 0:
        head += f" and {rest} more stor{'ies' if rest > 1 else 'y'}"
    return f"Timeline: {head}"
