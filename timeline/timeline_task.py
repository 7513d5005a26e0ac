"""An entity's timeline in the SemEval-2015 TimeLine format, so its scorers can read it.

The target entity's name on the first line, then one line per event: the position (events
that share a day and an order share one; undated events are position 0, last), the anchor
date as `YYYY-MM-DD` with `XX` for what is unknown, and the event's mentions as
`DOCID-SENTENCE-TOKEN`, tab-separated: the document's file name without its suffix, the
sentence and the token within it (both from 0) of the analysis layer at the mention's
trigger. Pure: the caller gives the events, their triggers and the documents.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Mapping, Sequence
from pathlib import PurePosixPath
from typing import Any

_VALUE = re.compile(r"^(\d{4})(?:-(\d\d)(?:-(\d\d))?)?(?![\d-]|-W|-Q)")


def anchor(value: str | None) -> str:
    """A TIMEX3 value as the task's anchor: "2023-09" is 2023-09-XX, "2023-W37" 2023-XX-XX."""
    m = _VALUE.match(value or "")
    if not m:
        y = re.match(r"^\d{4}", value or "")
        return f"{y.group(0)}-XX-XX" if y else "XXXX-XX-XX"
    return f"{m.group(1)}-{m.group(2) or 'XX'}-{m.group(3) or 'XX'}"


def doc_name(path: str) -> str:
    return PurePosixPath(path).stem or path


def position(sentences: Sequence[Any], tokens: Sequence[Any], offset: int) -> tuple[int, int]:
    """(sentence, token within it) of the token at a character offset (or before it)."""
    starts = [s.start for s in sentences]
    si = max(0, bisect.bisect_right(starts, offset) - 1)
    if not sentences:
        return 0, 0
    sent = sentences[si]
    ti = sent.first
    for t in tokens[sent.first:sent.end]:
        if t.start <= offset:
            ti = t.i
    return si, ti - sent.first


def to_timeline_task(name: str, events: Sequence[Mapping[str, Any]],
                     triggers: Mapping[str, Sequence[tuple[str, int]]],
                     analysed: Mapping[str, tuple[str, Any]]) -> str:
    """`events` in time order (start, rank); `triggers` event id -> (document, offset);
    `analysed` document id -> (its name, the analysed document)."""
    dated = [e for e in events if anchor(e.get("start")) != "XXXX-XX-XX"]
    undated = [e for e in events if anchor(e.get("start")) == "XXXX-XX-XX"]
    lines = [name]
    counter, last = 0, None
    for e in [*dated, *undated]:
        day = anchor(e.get("start"))
        key = (day, e.get("rank"))
        if day == "XXXX-XX-XX":
            pos = 0
        else:
            if key != last:
                counter, last = counter + 1, key
            pos = counter
        ids = set()
        for doc, offset in triggers.get(e["id"], ()):
            if doc in analysed:
                dname, a = analysed[doc]
                ids.add((dname, *position(a.sentences, a.tokens, offset)))
        lines.append("\t".join([str(pos), day, *(f"{d}-{s}-{t}" for d, s, t in sorted(ids))]))
    return "\n".join(lines) + "\n"
