"""The timeline as one self-contained HTML page: a zoomable time axis with stories as lanes,
a panel with each event's sources and conflicts, filters, and a plain list for screen
readers and printing.

Pure: a snapshot (the `show --format json` object) and the documents' links in, the page
out. The page needs no network when it is viewed: its script and style (timeline/web/, our
own, under the package's licence) are inlined, and a Content-Security-Policy with their
hashes forbids loading anything else. The data travels as JSON in a
`<script type="application/json">` with every `<`, `>` and `&` escaped, so no text from a
document can close that element or open another; the script puts data on the page only
through `textContent` and attributes. The list is written here, escaped, so it is there
without the script too.
"""

from __future__ import annotations

import base64
import datetime as dt
import functools
import hashlib
import html
import json
import string
from collections.abc import Mapping
from importlib import resources
from typing import Any

from timeline import intervals, series
from timeline.storynames import story_name, title_of

STATUS_WORDS = {"occurred": "occurred", "reported": "reported (not confirmed)",
                "planned": "planned (had not happened when reported)"}


@functools.cache
def _asset(name: str) -> str:
    return resources.files("timeline").joinpath("web", name).read_text(encoding="utf-8")


def script_json(obj: Any) -> str:
    """JSON safe inside a `<script>` element: nothing in it can end the element, start a
    comment or a CDATA section, or break a line in an old parser."""
    text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"))
    for ch, esc in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                    ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(ch, esc)
    return text


def _value_label(value: str) -> str:
    return intervals.label(value) if intervals.span(value) else value


def page_data(snap: Mapping[str, Any], hrefs: Mapping[str, str]) -> dict[str, Any]:
    """What the page's script draws: documents by index, events with their stretch of
    time in minutes, stories with readable names, in timeline order."""
    names = snap.get("story_names")
    doc_index = {d["id"]: i for i, d in enumerate(snap["documents"])}
    documents = [{"id": d["id"], "title": d["title"], "path": d["path"], "date": d["date"],
                  "href": hrefs.get(d["id"])} for d in snap["documents"]]
    conflicts: dict[str, list[dict[str, Any]]] = {}
    for c in snap["conflicts"]:
        conflicts.setdefault(c["event"], []).append({
            "attribute": c["attribute"],
            "values": [{"value": v["value"], "label": _value_label(str(v["value"])),
                        "docs": [doc_index[d] for d in v["documents"] if d in doc_index]}
                       for v in c["values"]]})
    events = []
    for e in sorted(snap["events"], key=lambda e: (*intervals.sort_key(e["start"], e["end"]),
                                                    e["rank"] is None, e["rank"] or 0)):
        s = intervals.event_span(e["start"], e["end"])
        entities = sorted({*e["participants"], *([e["place"]] if e["place"] else [])})
        events.append({
            "id": e["id"], "title": e["title"], "kind": e["kind"], "status": e["status"],
            "status_words": STATUS_WORDS.get(e["status"], e["status"]),
            "story": e["story"], "story_name": story_name(e["story"], names), "rank": e["rank"],
            "place": e["place"], "participants": e["participants"], "entities": entities,
            "value": e["start"], "end_value": e["end"], "label": _when(e),
            "range": _range(s), "vague": bool(s and not s.is_day_or_finer and s.unit != "range"),
            "t0": intervals.minutes(s.start) if s else None,
            "t1": intervals.minutes(s.end) if s else None,
            "sources": [{"doc": doc_index[x["document"]], "quote": x["quote"]}
                        for x in e["sources"] if x["document"] in doc_index],
            "conflicts": conflicts.get(e["id"], []),
            # running counts revised day by day, in words (timeline.series)
            "series": [series.line(x) for x in e.get("series") or ()]})
    counts: dict[str, int] = {}
    for e in events:
        counts[e["story"]] = counts.get(e["story"], 0) + 1
    stories = [{"id": s, "name": story_name(s, names), "count": n}
               for s, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]
    return {"title": title_of((e["story"] for e in events), names=names), "stories": stories,
            "events": events, "documents": documents}


def _when(e: Mapping[str, Any]) -> str:
    if not e["start"]:
        return "undated"
    if e["end"] and e["end"] != e["start"]:
        return f"{intervals.label(e['start'])} – {intervals.label(e['end'])}"
    return intervals.label(e["start"])


def _range(s: intervals.Span | None) -> str | None:
    """The exact stretch, for a value vaguer than its label says ("18–24 March 2013")."""
    if s is None or s.unit in ("day", "minute", "second", "hour", "range"):
        return None
    last = s.end - (dt.timedelta(minutes=1) if s.unit == "part of day"
                    else dt.timedelta(days=1))
    fmt = "%Y-%m-%d %H:%M" if s.unit == "part of day" else "%Y-%m-%d"
    return f"{s.start.strftime(fmt)} to {last.strftime(fmt)}"


def _csp_hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def _list_html(data: Mapping[str, Any]) -> str:
    """The events as nested lists by story: what a screen reader reads and a printer
    prints, complete without the script."""
    out = []
    docs = data["documents"]
    for st in data["stories"]:
        out.append(f'<section data-story="{html.escape(st["id"])}">'
                   f'<h3>{html.escape(st["name"])} <small>({st["count"]} events)</small></h3><ol>')
        for e in (e for e in data["events"] if e["story"] == st["id"]):
            marks = ""
            if e["status"] == "planned":
                marks += ' <span class="status-planned">[planned]</span>'
            elif e["status"] == "reported":
                marks += " <span>[reported]</span>"
            if e["conflicts"]:
                what = "; ".join(
                    f"{c['attribute']}: " + " or ".join(v["label"] for v in c["values"])
                    for c in e["conflicts"])
                marks += f' <span class="status-conflict">[sources disagree: {html.escape(what)}]</span>'  # noqa: E501
            if e["series"]:
                marks += f' <span class="series">[{html.escape("; ".join(e["series"]))}]</span>'
            n = len({s["doc"] for s in e["sources"]})
            quotes = "".join(
                f"<li>“{html.escape(s['quote'])}” — "
                f"{html.escape(docs[s['doc']]['title'] or docs[s['doc']]['path'] or '')}</li>"
                for s in e["sources"])
            out.append(
                f'<li data-event="{html.escape(e["id"])}"><span class="when">'
                f'{html.escape(e["label"])}</span> · {html.escape(e["kind"])} · '
                f'<button type="button" class="open" data-event="{html.escape(e["id"])}">'
                f'{html.escape(e["title"])}</button>{marks} '
                f'<small>({n} source{"" if n == 1 else "s"})</small>'
                f'<ul class="quotes">{quotes}</ul></li>')
        out.append("</ol></section>")
    return "".join(out)


def _options(values: dict[str, int]) -> str:
    return "".join(f'<option value="{html.escape(v)}">{html.escape(v)} ({n})</option>'
                   for v, n in sorted(values.items(), key=lambda kv: (-kv[1], kv[0])))


def page(snap: Mapping[str, Any], hrefs: Mapping[str, str] | None = None,
         subtitle: str = "") -> str:
    """The whole page. `hrefs` maps a document id to the link its sources point at."""
    data = page_data(snap, hrefs or {})
    script, style = _asset("timeline.js"), _asset("timeline.css")
    csp = (f"default-src 'none'; script-src {_csp_hash(script)}; "
           f"style-src {_csp_hash(style)}; img-src data:; base-uri 'none'; form-action 'none'")
    entities: dict[str, int] = {}
    kinds: dict[str, int] = {}
    for e in data["events"]:
        kinds[e["kind"]] = kinds.get(e["kind"], 0) + 1
        for x in e["entities"]:
            entities[x] = entities.get(x, 0) + 1
    n_conf = sum(1 for e in data["events"] if e["conflicts"])
    n_plan = sum(1 for e in data["events"] if e["status"] == "planned")
    summary = (f"{len(data['events'])} events in {len(data['stories'])} stories from "
               f"{len(data['documents'])} documents; {n_plan} planned, {n_conf} with "
               f"conflicting sources. {subtitle}").strip()
    title = html.escape(data["title"])
    return string.Template(_asset("page.html")).substitute(
        csp=csp, title=title, style=style, summary=html.escape(summary),
        entities=_options(entities), kinds=_options(kinds), list=_list_html(data),
        data=script_json(data), script=script)
