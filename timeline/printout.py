"""The timeline as a person reads it in a terminal: stories under their names, days under
them, one line an event that fits the width.

Every line is built to the width it is given: an event's title is the only part that gives
way, cut with an ellipsis only when the line would not fit otherwise. Values are spelled out
(`words`): "night", "week 12 of 2013", "about two hours", never TIMEX3 codes. Planned,
reported and disputed events are said in words, and coloured as well unless `plain`.
Everything from data goes through `render.safe` (one line each). Pure: returns `Text`s.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from timeline import intervals, series, words
from timeline.render import safe

if TYPE_CHECKING:
    from rich.text import Text

UNLIMITED = 10_000  # piped output: no width to fit, titles are never cut
KIND_WIDTH = 12
MIN_TITLE = 12
WIDE = 100  # narrower than this, the kind column gives its room to the title
STATUS_STYLE = {"planned": "bold yellow", "reported": "cyan", "occurred": "green"}
# What happened is the ordinary case: its mark is the dot. The others are said in words.
STATUS_WORD = {"planned": "planned", "reported": "reported"}
GLYPH = {"occurred": "●", "planned": "◇", "reported": "○"}


def _sources(e: Mapping[str, Any]) -> int:
    return len({s["document"] for s in e["sources"]})


def _day(e: Mapping[str, Any]) -> str:
    """The heading an event goes under: its day, or its vaguer stretch as written."""
    start = e.get("start")
    if not start:
        return ""
    s = intervals.span(start)
    return start[:10] if s is not None and s.is_day_or_finer else start


def _clock(e: Mapping[str, Any]) -> str:
    """The time of day, and where the event ends when it says so ("until 2013-03-20")."""
    shown = words.time_of_day(e.get("start"))
    if e.get("end") and e["end"] != e.get("start"):
        end = e["end"]
        same_day = e.get("start") and end[:10] == e["start"][:10] and len(end) > 10
        until = words.time_of_day(end) if same_day else words.when(end)
        shown = f"{shown}–{until}" if shown and same_day else (
            f"{shown} until {until}".strip())
    return shown


def _text(s: str, style: str, plain: bool) -> Text:
    from rich.text import Text

    return Text(safe(s), style="" if plain else style)


def _fit(line: Text, width: int) -> Text:
    if line.cell_len > width:
        line.truncate(width, overflow="ellipsis")
    return line


def event_line(e: Mapping[str, Any], *, width: int, plain: bool, clock_width: int,
               kind_width: int, disputed: Sequence[str] = ()) -> Text:
    """One event on one line: time of day, kind, title, then what is said of it in words
    (status, number of sources, what is disputed). Only the title is cut to fit."""
    from rich.text import Text

    n = _sources(e)
    said = [STATUS_WORD[e["status"]]] if e["status"] in STATUS_WORD else []
    tail = Text("  ")
    if said:
        tail.append_text(_text(said[0] + " · ", STATUS_STYLE.get(e["status"], ""), plain))
    tail.append_text(_text(f"{n} source{'s' if n != 1 else ''}", "dim", plain))
    if disputed:
        tail.append_text(_text(" · disputed", "bold red", plain))
    head = _text(f"  {GLYPH.get(e['status'], '·')} ", STATUS_STYLE.get(e["status"], ""), plain)
    if clock_width:
        head.append_text(_text(f"{_clock(e):<{clock_width}}  ", "", plain))
    kind = str(e["kind"])
    if len(kind) > kind_width:
        kind = kind[:kind_width - 1] + "…"
    if kind_width and width >= WIDE:
        head.append_text(_text(f"{kind:<{kind_width}}  ", "magenta", plain))
    title = _text(str(e["title"]), "bold" if e["status"] == "planned" else "", plain)
    room = width - head.cell_len - tail.cell_len
    if room < MIN_TITLE:  # a very narrow terminal: the line is cut where it must be
        return _fit(Text.assemble(head, title, tail), width)
    return Text.assemble(head, _fit(title, room), tail)


def columns(events: Sequence[Mapping[str, Any]]) -> tuple[int, int]:
    """The widths of the time-of-day and kind columns, the same for every story printed."""
    return (max((len(_clock(e)) for e in events), default=0),
            min(KIND_WIDTH, max((len(str(e["kind"])) for e in events), default=0)))


def timeline_lines(doc: Mapping[str, Any], *, width: int | None = None, plain: bool,
                   sources: bool = False, widths: tuple[int, int] | None = None) -> list[Text]:
    """The events of `doc` by day, each day under its heading in words, the days in time
    order (a week where its Monday is, the undated last), conflicts beneath their event."""
    width = width or UNLIMITED
    conflicts: dict[str, list[Mapping[str, Any]]] = {}
    for c in doc["conflicts"]:
        conflicts.setdefault(c["event"], []).append(c)
    by_day: dict[str, list[Mapping[str, Any]]] = {}
    for e in doc["events"]:
        by_day.setdefault(_day(e), []).append(e)
    clock_width, kind_width = widths or columns(doc["events"])
    out: list[Text] = []
    for day in sorted(by_day, key=lambda d: (*intervals.sort_key(d or None), d)):
        out.append(_fit(_text(words.period(day or None), "bold cyan", plain), width))
        for e in sorted(by_day[day], key=lambda e: (e["rank"] is None, e["rank"] or 0,
                                                    intervals.sort_key(e["start"]))):
            mine = conflicts.get(e["id"], [])
            out.append(event_line(e, width=width, plain=plain, clock_width=clock_width,
                                  kind_width=kind_width,
                                  disputed=[str(c["attribute"]) for c in mine]))
            out += [line for c in mine for line in conflict_lines(c, plain, width)]
            out += [line for s in e.get("series") or () for line in series_lines(s, plain, width)]
            if sources:
                out += [_text(f"      “{s['quote']}” [{s['document'][:8]}]", "dim", plain)
                        for s in e["sources"]]
    return out


def conflict_lines(c: Mapping[str, Any], plain: bool, width: int) -> list[Text]:
    """Who says what, each value in words with how many documents say it; wrapped under
    its event rather than cut, since the values are the point. A count is said as a count
    ("at least 40"), not read as a time value."""
    spell = series.count_words if str(c["attribute"]).startswith("count:") else words.value
    said = "; ".join(
        f"{spell(str(v['value']))} ({len(v['documents'])} "
        f"document{'s' if len(v['documents']) != 1 else ''})" for v in c["values"])
    return _wrapped(f"! {c['attribute']} disputed: {said}", "red", plain, width)


def series_lines(s: Mapping[str, Any], plain: bool, width: int) -> list[Text]:
    """A running count's steps under its event ("count:dead: at least 40 (Mon 12 May) →
    63 (Wed 14 May)"): a revision over time, not a dispute, so not in red."""
    return _wrapped(f"↗ {series.line(s)}", "yellow", plain, width)


def _wrapped(text: str, style: str, plain: bool, width: int) -> list[Text]:
    import textwrap

    text = safe(text)
    lines = textwrap.wrap(text, max(20, width - 6), initial_indent="      ",
                          subsequent_indent="        ") if width < UNLIMITED else [
        "      " + text]
    return [_text(line, style, plain) for line in lines]


def _first(events: Sequence[Mapping[str, Any]]) -> tuple[int, float, float]:
    return min((intervals.sort_key(e["start"], e.get("end")) for e in events),
               default=(1, 0.0, 0.0))


def story_lines(doc: Mapping[str, Any], names: Mapping[str, str], *, width: int | None = None,
                plain: bool, sources: bool = False) -> list[Text]:
    """One timeline per story, under its readable name, the story that starts first first:
    stories never interleave under one date. The story's id follows its name when it fits
    (it is what `--story` takes)."""
    width = width or UNLIMITED
    events: dict[str, list[Mapping[str, Any]]] = {}
    for e in doc["events"]:
        events.setdefault(e["story"], []).append(e)
    out: list[Text] = []
    for story in sorted(events, key=lambda s: (*_first(events[s]), s)):
        ids = {e["id"] for e in events[story]}
        part = {**doc, "events": events[story],
                "conflicts": [c for c in doc["conflicts"] if c["event"] in ids]}
        n = len(events[story])
        heading = _text(names.get(story) or story, "bold", plain)
        extra = _text(f"  {n} event{'s' if n != 1 else ''} · story {story}", "dim", plain)
        if heading.cell_len + extra.cell_len <= width:
            heading.append_text(extra)
        if out:
            out.append(_text("", "", plain))
        out.append(_fit(heading, width))
        out += timeline_lines(part, width=width, plain=plain, sources=sources,
                              widths=columns(doc["events"]))
    return out


def fit_text(text: str, width: int | None) -> Text:
    """A line of text from data, cut with an ellipsis to `width`."""
    return _fit(_text(text, "", True), width or UNLIMITED)
