"""SQLite's SQL, as PostgreSQL reads it: the one place where the two stores' SQL differs.

The store, the fold (`projections`) and the queries are written once, in SQLite's SQL. A
PostgreSQL connection (`store.pgconn`) passes every statement through `translate`, which is
pure and memoized (the statements are a small, fixed set of texts; values travel as
parameters). What changes:

* placeholders: `?` becomes `%s` (and a literal `%` is doubled);
* `INSERT OR REPLACE` becomes `INSERT ... ON CONFLICT (primary key) DO UPDATE` (every column
  set, as REPLACE does); an append to `log` gets `ON CONFLICT (event_id) DO NOTHING`;
* NULL ordering: SQLite sorts NULL first ascending and last descending, PostgreSQL the
  reverse; each ORDER BY term says so explicitly, so rows come out in the same order;
* the full-text tables: PostgreSQL has no rowid; its FTS tables are keyed by what the FTS
  rows index (a document's id, an event's id), with a `tsvector` per row built with the
  text search configuration of the row's language (`LANGUAGE_CONFIG`);
* DDL: INTEGER is BIGINT (file sizes, nanosecond mtimes), REAL is DOUBLE PRECISION, TEXT
  compares bytewise (`COLLATE "C"`, SQLite's BINARY), foreign keys are declared for readers
  only in SQLite and are left out here (the fold may reference a row a later fact creates).
"""

from __future__ import annotations

import functools
import json
import re
from typing import Any

from timeline.schema import CACHES, FTS, PROJECTIONS

# ISO 639-1 -> the PostgreSQL text search configuration that stems that language.
LANGUAGE_CONFIG = {"en": "english", "es": "spanish", "ru": "russian"}

_ORDER = re.compile(r"\bORDER BY\b", re.IGNORECASE)
_INSERT_OR_REPLACE = re.compile(
    r"^INSERT OR REPLACE INTO (\w+)(?: \(([^)]*)\))?", re.IGNORECASE)
_STOP = re.compile(r"\b(LIMIT|OFFSET)\b", re.IGNORECASE)


def _ddl_columns(ddl: str) -> tuple[list[str], list[str]]:
    """(columns, primary key columns) of a CREATE TABLE statement as schema.py writes it."""
    body = ddl[ddl.index("(") + 1: ddl.rindex(")")]
    pk: list[str] = []
    m = re.search(r"PRIMARY KEY \(([^)]*)\)", body)
    if m:
        pk = [c.strip().strip('"') for c in m.group(1).split(",")]
    body = re.sub(r"PRIMARY KEY \([^)]*\)", "", body)
    body = re.sub(r"FOREIGN KEY \([^)]*\) REFERENCES \w+\([^)]*\)", "", body)
    cols = []
    for part in body.split(","):
        words = part.split()
        if not words:
            continue
        cols.append(words[0].strip('"'))
        if "PRIMARY" in (w.upper() for w in words[1:]):
            pk = [words[0].strip('"')]
    return cols, pk


@functools.cache
def table_columns(table: str) -> tuple[list[str], list[str]]:
    ddl = PROJECTIONS[table][0] if table in PROJECTIONS else CACHES[table]
    return _ddl_columns(ddl)


def _upsert(m: re.Match[str], rest: str) -> str:
    table, listed = m.group(1), m.group(2)
    cols, pk = table_columns(table)
    if listed is not None:
        cols = [c.strip().strip('"') for c in listed.split(",")]
    head = f"INSERT INTO {table} ({', '.join(_q(c) for c in cols)})"
    if not pk:
        return head + rest
    sets = ", ".join(f"{_q(c)} = EXCLUDED.{_q(c)}" for c in cols if c not in pk)
    action = f"DO UPDATE SET {sets}" if sets else "DO NOTHING"
    return f"{head}{rest} ON CONFLICT ({', '.join(_q(c) for c in pk)}) {action}"


def _q(col: str) -> str:
    return f'"{col}"'


def _split_top(text: str) -> list[str]:
    """Split on commas outside parentheses."""
    parts, depth, cur = [], 0, []
    for ch in text:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        if ch == "," and depth == 0:
            parts.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
    parts.append("".join(cur))
    return parts


def _nulls_like_sqlite(sql: str) -> str:
    """Every ORDER BY term with SQLite's NULL placement made explicit."""
    out, pos = [], 0
    for m in _ORDER.finditer(sql):
        if m.start() < pos:
            continue
        out.append(sql[pos: m.end()])
        # the clause ends at a closing parenthesis of the enclosing level, LIMIT, or the end
        depth, end = 0, len(sql)
        for i in range(m.end(), len(sql)):
            if sql[i] == "(":
                depth += 1
            elif sql[i] == ")":
                if depth == 0:
                    end = i
                    break
                depth -= 1
        clause = sql[m.end(): end]
        stop = _STOP.search(clause)
        tail = ""
        if stop:
            clause, tail = clause[: stop.start()], clause[stop.start():]
        terms = []
        for term in _split_top(clause):
            t = term.strip()
            if "NULLS" in t.upper():
                terms.append(t)
            elif t.upper().endswith(" DESC"):
                terms.append(f"{t} NULLS LAST")
            else:
                terms.append(f"{t} NULLS FIRST")
        out.append(" " + ", ".join(terms) + (" " + tail.strip() if tail else ""))
        pos = end
    out.append(sql[pos:])
    return "".join(out)


# The FTS statements of projections.py address rows by the rowid of the row they index;
# here the FTS tables hold that row's key itself.
_FTS_REWRITES = [
    (re.compile(r"DELETE FROM documents_fts WHERE rowid IN "
                r"\(SELECT rowid FROM documents WHERE id = \?\)"),
     "DELETE FROM documents_fts WHERE id = ?"),
    (re.compile(r"DELETE FROM quotes_fts WHERE rowid IN "
                r"\(SELECT rowid FROM event_sources WHERE event = \?\)"),
     "DELETE FROM quotes_fts WHERE event = ?"),
    (re.compile(r"INSERT INTO documents_fts \(rowid, id, title, text\) "
                r"SELECT rowid, id, title, text FROM documents"),
     "INSERT INTO documents_fts (id, title, text, tsv, cfg) SELECT id, title, text, "
     "to_tsvector(tl_config(language), coalesce(title, '') || ' ' || coalesce(text, '')), "
     "tl_config(language) FROM documents"),
    (re.compile(r"INSERT INTO quotes_fts \(rowid, event, document, quote\) "
                r"SELECT rowid, event, document, quote FROM event_sources"),
     "INSERT INTO quotes_fts (event, document, quote, tsv, cfg) SELECT event, document, "
     "quote, to_tsvector(tl_config(lang), coalesce(quote, '')), tl_config(lang) "
     "FROM event_sources"),
]


_MINMAX = re.compile(r"\b(min|max)\(", re.IGNORECASE)


def _scalar_min_max(sql: str) -> str:
    """SQLite's min(a, b) / max(a, b) with two or more arguments are PostgreSQL's LEAST /
    GREATEST (one argument: the aggregate, the same in both)."""
    out, pos = [], 0
    for m in _MINMAX.finditer(sql):
        depth, commas = 0, 0
        for i in range(m.end(), len(sql)):
            if sql[i] == "(":
                depth += 1
            elif sql[i] == ")":
                if depth == 0:
                    break
                depth -= 1
            elif sql[i] == "," and depth == 0:
                commas += 1
        if commas:
            out.append(sql[pos: m.start()])
            out.append("LEAST(" if m.group(1).lower() == "min" else "GREATEST(")
            pos = m.end()
    out.append(sql[pos:])
    return "".join(out)


@functools.cache
def translate(sql: str) -> str:
    """A statement of the store in PostgreSQL's SQL (see the module docstring)."""
    s = sql.strip()
    for pattern, repl in _FTS_REWRITES:
        s = pattern.sub(repl, s)
    m = _INSERT_OR_REPLACE.match(s)
    if m:
        s = _upsert(m, s[m.end():])
    elif re.match(r"INSERT INTO log\b", s):
        s += " ON CONFLICT (event_id) DO NOTHING"
    if _ORDER.search(s):
        s = _nulls_like_sqlite(s)
    if _MINMAX.search(s):
        s = _scalar_min_max(s)
    return s.replace("%", "%%").replace("?", "%s")


def ddl(sql: str, *, temp: bool = False) -> str:
    """A CREATE TABLE / INDEX / VIEW of schema.py for PostgreSQL."""
    s = re.sub(r"\s+", " ", sql).strip()
    s = re.sub(r",\s*FOREIGN KEY \([^)]*\) REFERENCES \w+\([^)]*\)", "", s)
    s = re.sub(r"\) WITHOUT ROWID$", ")", s)  # SQLite's storage choice, not a column
    s = re.sub(r"\bINTEGER\b", "BIGINT", s)
    s = re.sub(r"\bREAL\b", "DOUBLE PRECISION", s)
    s = re.sub(r"\bTEXT\b", 'TEXT COLLATE "C"', s)
    if temp:
        s = re.sub(r"^CREATE (TABLE|VIEW) ", r"CREATE TEMP \1 ", s)
    if s.upper().startswith("CREATE VIEW") or s.upper().startswith("CREATE TEMP VIEW"):
        s = _nulls_like_sqlite(s)
    return s


def fts_ddl(name: str, *, temp: bool = False) -> str:
    """The PostgreSQL form of an FTS5 table of schema.FTS: the same columns, a tsvector."""
    spec = FTS[name]
    cols = [c.replace("UNINDEXED", "").strip()
            for c in spec[spec.index("fts5(") + 5: spec.rindex(")")].split(",")
            if "=" not in c]  # an option (content=...), not a column
    body = ", ".join(f'"{c}" TEXT COLLATE "C"' for c in cols)
    return f"CREATE {'TEMP ' if temp else ''}TABLE {name} ({body}, tsv tsvector, cfg regconfig)"


def fts_index(name: str) -> list[str]:
    key = "id" if name == "documents_fts" else "event"
    return [f"CREATE INDEX {name}_tsv ON {name} USING gin (tsv)",
            f"CREATE INDEX {name}_key ON {name} ({key})"]


# ------------------------------------------------------------------ the compiled fold


def _field(spec: Any, name: str, column_type: str) -> str:
    """A payload field as PostgreSQL reads it from the log's JSON text: verbatim JSON for
    lists and objects (the log's canonical JSON is what projections._json writes), the
    value for the rest, cast to the column's type (booleans as 0/1, as SQLite stores them)."""
    expr = f"(data::json ->> '{name}')"
    if name in spec.defaults:  # a missing field or a JSON null, as json_extract reads both
        value = spec.defaults[name]
        text = value if isinstance(value, str) else json.dumps(value)
        expr = f"coalesce({expr}, '{text.replace(chr(39), chr(39) * 2)}')"
    if column_type == "INTEGER":
        expr = (f"(CASE json_typeof(data::json -> '{name}') WHEN 'boolean' THEN "
                f"CASE WHEN data::json ->> '{name}' = 'true' THEN 1 ELSE 0 END "
                f"ELSE {expr}::numeric::bigint END)")
    elif column_type == "REAL":
        expr = f"{expr}::double precision"
    return expr


@functools.cache
def _column_types(table: str) -> dict[str, str]:
    ddl_text = PROJECTIONS[table][0]
    body = ddl_text[ddl_text.index("(") + 1: ddl_text.rindex(")")]
    out = {}
    for part in body.split(","):
        words = part.split()
        if len(words) >= 2 and words[0] not in ("PRIMARY", "FOREIGN"):
            out[words[0].strip('"')] = words[1].upper()
    return out


def bulk(type_: str, log: str) -> list[str]:
    """`projections.Row.bulk` for PostgreSQL: the same rows for every record of one type in
    a seq range (parameters: type, after seq, up to seq). Where a key is asserted twice in
    the range, DISTINCT ON keeps the newest, as a fold one record at a time does (an ON
    CONFLICT statement may not touch a row twice)."""
    import string

    from timeline.projections import ROWS, _literal

    spec = ROWS[type_]
    types = _column_types(spec.table)
    key = " || ".join(
        part for lit, name, _spec, _conv in string.Formatter().parse(spec.key or "")
        for part in ([_literal(lit)] if lit else []) + (
            [f"coalesce({_field(spec, name, 'TEXT')}, 'None')"] if name else []))
    cols, pk = table_columns(spec.table)
    exprs = []
    for c in cols:
        where, name = spec.source(c)
        expr = _field(spec, name, types.get(c, "TEXT"))
        if c in spec.fallbacks:
            expr = f"coalesce({expr}, {_field(spec, spec.fallbacks[c], types.get(c, 'TEXT'))})"
        exprs.append(key if where == "key" else name if where == "record" else expr)
    rng = f"FROM {log} WHERE type = ? AND seq > ? AND seq <= ?"
    out = []
    if spec.head and spec.key is not None:
        out.append(_newest("fact_heads", ["fact_type", "key", "event_id", "retracted"],
                           ["fact_type", "key"],
                           [_literal(spec.head), key, "event_id", "0"], rng))
    out.append(_newest(spec.table, cols, pk, exprs, rng))
    return out


def _newest(table: str, cols: list[str], pk: list[str], exprs: list[str], rng: str) -> str:
    names = ", ".join(_q(c) for c in cols)
    select = ", ".join(f"{e} AS {_q(c)}" for e, c in zip(exprs, cols, strict=True))
    if not pk:
        return f"INSERT INTO {table} ({names}) SELECT {select} {rng} ORDER BY seq"
    keys = ", ".join(_q(c) for c in pk)
    sets = ", ".join(f"{_q(c)} = EXCLUDED.{_q(c)}" for c in cols if c not in pk)
    return (f"INSERT INTO {table} ({names}) SELECT {names} FROM (SELECT DISTINCT ON ({keys}) "
            f"{select}, seq AS tl_seq {rng} ORDER BY {keys}, tl_seq DESC) AS newest "
            f"ON CONFLICT ({keys}) DO UPDATE SET {sets}")
