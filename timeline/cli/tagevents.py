"""`timeline tag --events`: EVENT spans beside the TIMEX3 spans, as JSON lines or TimeML.

Imported only on the ``--events`` path, so ``timeline tag`` without it never loads the
analysis layer. Offsets index the document text as `tag` reads it (header lines included),
exactly as the TIMEX3 offsets do: the body after the header is analysed and its offsets are
shifted by where the body starts, so a header line is never read as a sentence.

TimeML output follows TempEval-3: inline ``<EVENT eid="e1" class="...">`` tags in the text
beside the TIMEX3 tags, and one ``<MAKEINSTANCE eventID="e1" eiid="ei1" tense=".."
aspect=".." polarity=".." pos=".." [modality=".."]/>`` element per event after ``</TEXT>``.
An event overlapping a time expression is left out of the TimeML (TimeML does not nest
EVENT in TIMEX3) and kept in the JSON lines.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from timeline.analyze import LANGUAGES, analyze
from timeline.analyze.events import EventMention, event_mentions


def mentions(text: str, body_start: int, lang: str) -> list[EventMention]:
    """The event mentions of the body, offsets into the whole text; none for a language the
    analysis layer does not know."""
    if lang not in LANGUAGES:
        return []
    found = event_mentions(analyze(text[body_start:], lang))
    if not body_start:
        return found
    return [_shift(m, body_start) for m in found]


def _shift(m: EventMention, by: int) -> EventMention:
    import attrs

    return attrs.evolve(m, start=m.start + by, end=m.end + by)


def event_json(m: EventMention) -> dict[str, Any]:
    """One EVENT line's fields (after "file"); modality null when no modal governs it."""
    return {"tag": "EVENT", "start": m.start, "end": m.end, "text": m.text,
            "class": m.class_, "tense": m.tense, "aspect": m.aspect,
            "polarity": m.polarity, "modality": m.modality or None,
            "lemma": m.lemma, "pos": m.pos}


def lines(timexes: Sequence[dict[str, Any]], events: Sequence[EventMention]) -> list[dict]:
    """TIMEX3 and EVENT records in text order (a TIMEX3 first at the same start)."""
    rows = [(t["start"], 0, i, t) for i, t in enumerate(timexes)]
    rows += [(m.start, 1, i, event_json(m)) for i, m in enumerate(events)]
    return [r for *_k, r in sorted(rows, key=lambda r: r[:3])]


def timeml(text: str, timexes: Sequence[Any], events: Sequence[EventMention],
           header: str) -> str:
    """The TimeML document: ``header`` is everything up to and including ``<TEXT>`` as the
    TIMEX3-only writer makes it; TIMEX3 ``tid`` numbers are the same as without events."""
    spans: list[tuple[int, int, str]] = []
    for i, t in enumerate(timexes, 1):
        a = f"tid=\"t{i}\" type={quoteattr(t.type)} value={quoteattr(t.value)}"
        if t.mod:
            a += f" mod={quoteattr(t.mod)}"
        spans.append((t.start, t.end, f"<TIMEX3 {a}>{escape(t.text)}</TIMEX3>"))
    instances: list[str] = []
    for m in events:
        if any(s < m.end and m.start < e for s, e, _ in spans):
            continue
        n = len(instances) + 1
        spans.append((m.start, m.end, f'<EVENT eid="e{n}" class={quoteattr(m.class_)}>'
                                      f"{escape(m.text)}</EVENT>"))
        extra = f" modality={quoteattr(m.modality)}" if m.modality else ""
        instances.append(f'<MAKEINSTANCE eventID="e{n}" eiid="ei{n}" '
                         f"tense={quoteattr(m.tense)} aspect={quoteattr(m.aspect)} "
                         f"polarity={quoteattr(m.polarity)} pos={quoteattr(m.pos)}{extra}/>")
    parts = [header]
    pos = 0
    for s, e, tagged in sorted(spans):
        parts.append(escape(text[pos:s]))
        parts.append(tagged)
        pos = e
    parts.append(escape(text[pos:]) + "</TEXT>\n")
    parts.extend(f"{x}\n" for x in instances)
    parts.append("</TimeML>\n")
    return "".join(parts)
