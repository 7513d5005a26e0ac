"""`search` on PostgreSQL: the same query syntax as `store.search`, read by full-text search.

Each FTS row carries the text search configuration of its language (`dialect.LANGUAGE_CONFIG`:
english, spanish, russian, else simple), so "talks" finds "talk" in English and "cumbres"
finds "cumbre" in Spanish: PostgreSQL stems where SQLite's FTS5 matches words as written.
The user's query becomes a `to_tsquery` text (words `&`, OR `|`, NOT `& !`, a phrase `<->`,
a prefix `:*`), normalised by each row's configuration; one condition per configuration
keeps the GIN index usable.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from timeline.store.dialect import LANGUAGE_CONFIG
from timeline.store.search import _OPERATORS, _TOKEN, _WORD, SYNTAX, SearchError, best_quotes

CONFIGS = [*LANGUAGE_CONFIG.values(), "simple"]
HEADLINE = "StartSel=[, StopSel=], MaxWords=12, MinWords=4, ShortWord=0, MaxFragments=1, " \
           "FragmentDelimiter=…"


def _lexeme(word: str) -> str:
    return "'" + word.replace("\\", "\\\\").replace("'", "''") + "'"


def ts_query(text: str) -> str:
    """The to_tsquery text for a user's query; "" when it holds nothing to search for."""
    out: list[str] = []
    pos, text = 0, text.strip()

    def operand(term: str) -> None:
        if out and out[-1] not in ("&", "|", "!", "("):
            out.append("&")  # words next to each other are ANDed
        out.append(term)

    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None or m.end() == pos:
            break
        pos = m.end()
        if m["paren"] == "(":
            operand("(")
        elif m["paren"]:
            out.append(")")
        elif m["phrase"]:
            body = m["phrase"][1:]
            if not body.endswith('"'):
                raise SearchError(f"cannot search for {text!r}: unclosed quote ({SYNTAX})")
            words = _WORD.findall(body[:-1])
            if words:
                operand("(" + " <-> ".join(_lexeme(w) for w in words) + ")")
        elif m["word"] in _OPERATORS:
            if m["word"] == "NOT":
                if not out or out[-1] in ("&", "|", "!", "("):
                    # FTS5's NOT is binary ("a NOT b"): a leading one is malformed there too
                    raise SearchError(f"cannot search for {text!r}: NOT needs a term before "
                                      f"it ({SYNTAX})")
                out += ["&", "!"]
            else:
                out.append("&" if m["word"] == "AND" else "|")
        else:
            word, star = (m["word"][:-1], ":*") if m["word"].endswith("*") else (m["word"], "")
            pieces = _WORD.findall(word)
            if pieces:
                lexemes = [_lexeme(p) for p in pieces]
                lexemes[-1] += star
                operand(lexemes[0] if len(lexemes) == 1 else "(" + " <-> ".join(lexemes) + ")")
    return " ".join(out)


def _where(alias: str) -> str:
    return "(" + " OR ".join(
        f"({alias}.cfg = '{c}'::regconfig AND {alias}.tsv @@ to_tsquery('{c}', %(q)s))"
        for c in CONFIGS) + ")"


def run(rows: Callable[..., list[dict[str, Any]]], conn: Any, words: str, limit: int
        ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(events, documents) as `store.search.run` returns them; rank is ts_rank, not bm25."""
    from timeline.store.pgconn import _psycopg

    query = ts_query(words)
    if not query:
        return [], []
    psycopg = _psycopg()
    try:
        cur = conn.execute_raw(
            "SELECT e.id, e.rank, e.start, e.kind, e.title, e.status, q.document, "
            f"ts_headline(q.cfg, q.quote, to_tsquery(q.cfg, %(q)s), '{HEADLINE}') AS snippet "
            f"FROM quotes_fts q JOIN events e ON e.id = q.event WHERE {_where('q')} "
            "ORDER BY ts_rank(q.tsv, to_tsquery(q.cfg, %(q)s)) DESC, e.id, q.document",
            {"q": query})
        events = best_quotes(cur, limit)
        cur = conn.execute_raw(
            "SELECT d.id, d.path, d.date, d.title, "
            f"ts_headline(f.cfg, f.text, to_tsquery(f.cfg, %(q)s), '{HEADLINE}') AS snippet "
            f"FROM documents_fts f JOIN documents d ON d.id = f.id WHERE {_where('f')} "
            "ORDER BY ts_rank(f.tsv, to_tsquery(f.cfg, %(q)s)) DESC, d.path LIMIT %(n)s",
            {"q": query, "n": limit})
        names = [d[0] for d in cur.description]
        docs = [dict(zip(names, r, strict=True)) for r in cur]
    except psycopg.errors.SyntaxError as exc:
        msg = str(exc).strip().splitlines()[0]
        raise SearchError(f"cannot search for {words!r}: {msg} ({SYNTAX})") from None
    return events, docs
