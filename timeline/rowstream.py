"""Rows of user SQL as text, one piece per row, so `query` can write results as SQLite
produces them instead of holding them all.

SQL can return any SQLite value, BLOBs included, and a BLOB is not JSON or text: in JSON
and JSONL it is `{"$base64": "..."}` (standard alphabet, padded), in CSV, Markdown and the
table the SQL literal `X'0a1b'` (hex), which pastes back into a query. CSV cells that a
spreadsheet would run as a formula get a leading apostrophe (`render.csv_cell`); Markdown
cells go through `render.safe`. Every non-table output of rows (`query`, and `emit` for
`documents`, `runs`, `show`) is written here, streamed or not.
"""

from __future__ import annotations

import base64
import csv
import io
import json
from collections.abc import Iterable, Iterator, Sequence
from itertools import islice
from typing import Any

from timeline import render

STREAMED = ("json", "jsonl", "csv", "markdown")


def json_cell(v: Any) -> Any:
    if isinstance(v, bytes | bytearray | memoryview):
        return {"$base64": base64.b64encode(bytes(v)).decode("ascii")}
    return v


def text_cell(v: Any) -> Any:
    """A value for a text cell (CSV, Markdown, table); None stays None for the caller."""
    if isinstance(v, bytes | bytearray | memoryview):
        return f"X'{bytes(v).hex()}'"
    return v


def csv_cell(v: Any) -> Any:
    """`render.csv_cell` (formula-safe), BLOBs as hex, numbers on a fast path."""
    kind = type(v)
    if kind is int or kind is float:  # most cells: nothing to do, and fast
        return v
    return render.csv_cell(text_cell(v))


_ENCODE = json.JSONEncoder(ensure_ascii=False).encode  # built once: the C encoder, per value


def _jsonl(columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> Iterator[str]:
    for row in rows:
        yield _ENCODE(dict(zip(columns, map(json_cell, row), strict=True))) + "\n"


def _json(columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> Iterator[str]:
    """The text of `json.dumps(list_of_rows, indent=2)` (a BLOB's object on one line),
    written a row at a time."""
    keys = [_ENCODE(c) + ": " for c in dict.fromkeys(columns)]
    last = {c: i for i, c in enumerate(columns)}  # a repeated name keeps its last value, as dict
    where = [last[c] for c in dict.fromkeys(columns)]
    sep = "[\n  "
    for row in rows:
        body = ",\n    ".join(k + _ENCODE(json_cell(row[i])) for k, i in zip(keys, where,
                                                                          strict=True))
        yield sep + ("{\n    " + body + "\n  }" if keys else "{}")
        sep = ",\n  "
    yield "[]\n" if sep.startswith("[") else "\n]\n"


def _csv(columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> Iterator[str]:
    """A piece per few hundred rows: one `writerows` per piece, not a write per row."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow([csv_cell(c) for c in columns])
    it = iter(rows)
    while True:
        w.writerows([csv_cell(v) for v in r] for r in islice(it, 256))
        piece = buf.getvalue()
        if not piece:
            return
        yield piece
        buf.seek(0)
        buf.truncate()


def _markdown(columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> Iterator[str]:
    def cell(v: Any) -> str:
        v = text_cell(v)  # terminal escapes neutralised, even when piped
        return "" if v is None else render.safe(str(v).replace("\n", " ")).replace("|", "\\|")

    yield "| " + " | ".join(map(cell, columns)) + " |\n" + "|" + "---|" * len(columns) + "\n"
    for r in rows:
        yield "| " + " | ".join(cell(v) for v in r) + " |\n"


def encode(fmt: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> Iterator[str]:
    """Pieces of text that, joined, are the whole output in format `fmt`."""
    if fmt == "json":
        return _json(columns, rows)
    if fmt == "jsonl":
        return _jsonl(columns, rows)
    if fmt == "csv":
        return _csv(columns, rows)
    if fmt == "markdown":
        return _markdown(columns, rows)
    raise ValueError(f"unknown format {fmt}")
