"""Quotes cut in Python (store.quotes) are the values SQLite's substr subquery writes."""

from __future__ import annotations

import sqlite3

import pytest

from timeline.events import QUOTE_CHARS
from timeline.schema import PROJECTIONS
from timeline.store import quotes

TEXTS = {
    "plain": "The talks ended on Monday. Workers walked off the job.",
    "wide": "Пе­ре­го­во­ры 😀 закончились — 合意 in Zürich. " * 30,  # > QUOTE_CHARS
    "nul": "before\x00after the nul",
    "none": None,
}


def _db() -> sqlite3.Connection:
    conn = sqlite3.connect(":memory:")
    for name in ("documents", "event_sources"):
        conn.execute(PROJECTIONS[name][0])
    conn.executemany("INSERT INTO documents (id, text) VALUES (?, ?)", TEXTS.items())
    return conn


def _rows(spans: list[tuple[str, int, int]]) -> list[tuple[object, ...]]:
    return [(f"e{i}", doc, start, end, start, doc, start, end, "en", f"t{i}")
            for i, (doc, start, end) in enumerate(spans)]


def _written(rows: list[tuple[object, ...]], sql: str | None = None) -> list[tuple[object, ...]]:
    conn = _db()
    if sql is None:
        conn.executemany(quotes.BY_OFFSETS, rows)
    else:
        conn.executemany(*quotes.by_value(conn, rows))
    return conn.execute("SELECT * FROM event_sources ORDER BY event").fetchall()


SPANS = [("plain", 0, 10), ("plain", 27, 54), ("plain", 50, 400), ("plain", 5, 5),
         ("wide", 3, 40), ("wide", 10, 10 + QUOTE_CHARS + 50), ("wide", 2000, 2100),
         ("none", 0, 4), ("missing", 0, 4)]


def test_python_quotes_equal_sqlite_substr() -> None:
    rows = _rows(SPANS)
    sql, converted = quotes.by_value(_db(), rows)
    assert sql == quotes.BY_VALUE  # the fast path was taken
    assert _written(rows, "python") == _written(rows)
    by_event = {r[0]: r for r in _written(rows, "python")}
    assert len(by_event["e5"][2]) == QUOTE_CHARS
    assert by_event["e7"][2] is None and by_event["e8"][2] is None


@pytest.mark.parametrize("spans", [
    [("plain", 0, 10), ("nul", 0, 12)],  # SQLite's substr stops at a NUL
    [("plain", 10, 4)],  # a negative length counts backwards in SQLite
])
def test_rows_python_would_cut_differently_keep_the_statement(
        spans: list[tuple[str, int, int]]) -> None:
    rows = _rows(spans)
    sql, converted = quotes.by_value(_db(), rows)
    assert sql == quotes.BY_OFFSETS and converted == rows
    assert _written(rows, "python") == _written(rows)
