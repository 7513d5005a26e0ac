"""Turning projection rows into things people read: rich tables, plain text, JSON, CSV, Markdown.

Pure with respect to the outside world: functions return renderables or strings; the CLI
decides where they go and whether colour is allowed.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from typing import Any

from rich import box
from rich.table import Table
from rich.text import Text


def table(title: str | None, columns: Sequence[str], rows: Sequence[Sequence[Any]],
          *, plain: bool = False) -> Table:
    t = Table(title=title, box=None if plain else box.SIMPLE_HEAD, show_edge=False,
              header_style="" if plain else "bold", title_justify="left", pad_edge=False)
    for c in columns:
        t.add_column(str(c), overflow="fold")
    for r in rows:
        t.add_row(*[Text("" if v is None else str(v)) for v in r])
    return t


def to_csv(columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(columns)
    for r in rows:
        w.writerow(["" if v is None else v for v in r])
    return buf.getvalue()


def to_markdown(columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    def cell(v: Any) -> str:
        return "" if v is None else str(v).replace("|", "\\|").replace("\n", " ")

    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    lines += ["| " + " | ".join(cell(v) for v in r) + " |" for r in rows]
    return "\n".join(lines) + "\n"


def to_json(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, indent=2, sort_keys=False) + "\n"


def rows_as(fmt: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    if fmt == "csv":
        return to_csv(columns, rows)
    if fmt == "markdown":
        return to_markdown(columns, rows)
    if fmt == "json":
        return to_json([dict(zip(columns, r, strict=True)) for r in rows])
    if fmt == "jsonl":
        return "".join(json.dumps(dict(zip(columns, r, strict=True)), ensure_ascii=False) + "\n"
                       for r in rows)
    raise ValueError(f"unknown format {fmt}")


STATUS_MARK = {"planned": "◇ planned", "occurred": "●", "reported": "○ reported"}
STATUS_PLAIN = {"planned": "[planned]", "occurred": "", "reported": "[reported]"}


def timeline_text(doc: dict[str, Any], *, plain: bool, sources: bool = False) -> list[Any]:
    """The timeline, grouped by day: one line per event, conflicts beneath their event."""
    out: list[Any] = []
    conflicts: dict[str, list[dict[str, Any]]] = {}
    for c in doc["conflicts"]:
        conflicts.setdefault(c["event"], []).append(c)
    by_day: dict[str, list[dict[str, Any]]] = {}
    for e in doc["events"]:
        day = (e["start"] or "undated")[:10]
        by_day.setdefault(day, []).append(e)

    def day_key(d: str) -> tuple[int, str]:
        return (1, d) if d == "undated" else (0, d)

    for day in sorted(by_day, key=day_key):
        out.append(Text(day, style="" if plain else "bold cyan"))
        for e in sorted(by_day[day], key=lambda e: (e["rank"] is None, e["rank"] or 0)):
            marks = STATUS_PLAIN if plain else STATUS_MARK
            status = marks.get(e["status"], e["status"])
            n = len({s["document"] for s in e["sources"]})
            when = e["start"] if e["start"] and len(e["start"]) > 10 else ""
            line = Text(f"  {e['rank'] if e['rank'] is not None else '-':>3}  ")
            line.append(f"{e['kind']:<10} ", style="" if plain else "magenta")
            line.append(f"{e['title']}")
            if when:
                line.append(f"  {when[11:]}")
            if status:
                line.append(f"  {status}", style="" if plain else "yellow")
            line.append(f"  ({n} source{'s' if n != 1 else ''})",
                        style="" if plain else "dim")
            out.append(line)
            for c in conflicts.get(e["id"], []):
                vals = "; ".join(f"{v['value']} ({len(v['documents'])} doc)"
                                 for v in c["values"])
                out.append(Text(f"        ! {c['attribute']} disputed: {vals}",
                                style="" if plain else "red"))
            if sources:
                for s in e["sources"]:
                    out.append(Text(f"        “{s['quote']}” [{s['document'][:8]}]",
                                    style="" if plain else "dim"))
    return out
