"""Full-text search: the user's query in FTS5's own syntax, made safe, and each event once.

Syntax (FTS5's), matched against one quote or one document body at a time: words are
ANDed; `AND`, `OR`, `NOT` (upper case) combine them, with parentheses; `"a phrase"`
matches those words in that order; `word*` matches a prefix.
Every word and phrase is passed to SQLite as a quoted string, so punctuation in a word
(`U.S.`, `Kim's`, `title:x`, `NEAR`) is searched for, never read as syntax: only the
operators, parentheses and a trailing `*` are. A query FTS5 cannot parse (`Putin AND`, an
unclosed quote or parenthesis) is a SearchError with one line saying so.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable
from typing import Any

SYNTAX = ('words are ANDed; AND, OR, NOT (upper case) and parentheses combine them; '
          '"a phrase" matches in order; word* matches a prefix')

_TOKEN = re.compile(r'\s*(?:(?P<phrase>"[^"]*"?)|(?P<paren>[()])|(?P<word>[^\s()"]+))')
_OPERATORS = {"AND", "OR", "NOT"}
_WORD = re.compile(r"[\w'’-]+", re.UNICODE)


class SearchError(Exception):
    """A query FTS5 cannot parse; the message is one line for the user."""


def fts_query(text: str) -> str:
    """The FTS5 MATCH expression for a user's query (see the module docstring); "" when
    it holds nothing to search for."""
    out: list[str] = []
    pos = 0
    text = text.strip()
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None or m.end() == pos:
            break
        pos = m.end()
        if m["paren"]:
            out.append(m["paren"])
        elif m["phrase"]:
            body = m["phrase"][1:]
            if not body.endswith('"'):
                raise SearchError(f"cannot search for {text!r}: unclosed quote ({SYNTAX})")
            words = _WORD.findall(body[:-1])
            if words:
                out.append('"' + " ".join(words).replace('"', '""') + '"')
        elif m["word"] in _OPERATORS:
            out.append(m["word"])
        else:
            word, star = (m["word"][:-1], "*") if m["word"].endswith("*") else (m["word"], "")
            pieces = _WORD.findall(word)  # "U.S." is the phrase "U S", as FTS5 reads it
            if pieces:
                out.append('"' + " ".join(pieces) + '"' + star)
    return " ".join(out)


def run(rows: Callable[..., list[dict[str, Any]]], conn: sqlite3.Connection, words: str,
        limit: int) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(events, documents) matching `words`: each event once, with its best-ranked quote
    (bm25) and how many of its quotes match; documents with a snippet of their body."""
    match = fts_query(words)
    if not match:
        return [], []
    try:
        events = _best_quotes(conn, match, limit)
        docs = rows(
            "SELECT d.id, d.path, d.date, d.title, "
            "snippet(documents_fts, 2, '[', ']', '…', 12) AS snippet "
            "FROM documents_fts f JOIN documents d ON d.id = f.id "
            "WHERE documents_fts MATCH ? ORDER BY f.rank LIMIT ?", (match, limit))
    except sqlite3.OperationalError as exc:
        msg = str(exc).removeprefix("fts5: ")
        raise SearchError(f"cannot search for {words!r}: {msg} ({SYNTAX})") from None
    return events, docs


def _best_quotes(conn: sqlite3.Connection, match: str, limit: int) -> list[dict[str, Any]]:
    cur = conn.execute(
        "SELECT e.id, e.rank, e.start, e.kind, e.title, e.status, q.document, "
        "snippet(quotes_fts, 2, '[', ']', '…', 12) AS snippet "
        "FROM quotes_fts q JOIN events e ON e.id = q.event "
        "WHERE quotes_fts MATCH ? ORDER BY q.rank", (match,))
    return best_quotes(cur, limit)


def best_quotes(cur: Any, limit: int) -> list[dict[str, Any]]:
    """Quote rows, best first, folded to one row per event (its best quote, and how many
    quotes matched), at most `limit` events: both stores' searches end here."""
    names = [d[0] for d in cur.description]
    best: dict[str, dict[str, Any]] = {}
    for r in cur:
        row = dict(zip(names, r, strict=True))
        if row["id"] in best:
            best[row["id"]]["quotes"] += 1
        elif len(best) < limit:
            best[row["id"]] = {**row, "quotes": 1}
    return list(best.values())
