"""Quotes of event sources cut in Python from each document's text, read once per batch.

Part of the store. A v3 source carries offsets, not its quote: its fold
(projections._SOURCE_BY_OFFSETS) takes the quote with a scalar subquery, `substr` of the
document's text, one lookup and one walk of the whole text per source (a 1,000-document run
has 36,000 of them: a sixth of its append's SQL). Here a step of such rows reads each
document's text once and cuts the quotes itself, then inserts the same values.

The values are SQLite's: `substr(text, start + 1, min(end - start, QUOTE_CHARS))` counts
characters, as Python slices do, for a start >= 0 and a length >= 0; a missing document or
text gives NULL. A text with a NUL character (SQLite's substr stops at it), or any row whose
offsets are not plain such integers, leaves the whole step to the original statement.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from timeline.events import QUOTE_CHARS
from timeline.projections import _SOURCE_BY_OFFSETS as BY_OFFSETS

BY_VALUE = ('INSERT OR REPLACE INTO event_sources (event, document, quote, start, "end", lang, '
            "title) VALUES (?, ?, ?, ?, ?, ?, ?)")
_CHUNK = 500  # ids per IN (...): SQLite bounds a statement's parameters


def _plain(value: Any) -> bool:
    return type(value) is int and value >= 0


def _texts(conn: Any, ids: list[str]) -> dict[str, str | None]:
    texts: dict[str, str | None] = {}
    for i in range(0, len(ids), _CHUNK):
        chunk = ids[i:i + _CHUNK]
        marks = ",".join("?" * len(chunk))
        texts.update(conn.execute(f"SELECT id, text FROM documents WHERE id IN ({marks})",
                                  chunk).fetchall())
    return texts


def by_value(conn: Any, rows: Sequence[tuple[Any, ...]]
             ) -> tuple[str, Sequence[tuple[Any, ...]]]:
    """The statement and rows to execute for `rows` of BY_OFFSETS: the same writes."""
    for r in rows:  # (event, doc, start, end, start, doc, start, end, lang, title)
        if not (type(r[1]) is str and _plain(r[2]) and _plain(r[3]) and r[3] >= r[2]):
            return BY_OFFSETS, rows
    texts = _texts(conn, sorted({r[1] for r in rows}))
    if any(t is not None and (type(t) is not str or "\x00" in t) for t in texts.values()):
        return BY_OFFSETS, rows
    out = []
    get = texts.get
    for event, doc, start, end, _, _, _, _, lang, title in rows:
        text = get(doc)
        quote = None if text is None else text[start:start + min(end - start, QUOTE_CHARS)]
        out.append((event, doc, quote, start, end, lang, title))
    return BY_VALUE, out
