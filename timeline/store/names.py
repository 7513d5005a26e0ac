"""The name index: every segment's linking keys (`timeline.linking`), one row per key, so that
a run links only its new segments: it finds their candidates and the names' document
frequencies here instead of reading every segment of the corpus.

It is a cache (`schema.CACHES["name_index"]`): a function of the segments of the current
documents under the current engine, kept by the run beside `segment_cache`; a row with the
empty key stands for the segment itself, so the number of segments is the empty key's
frequency. `rebuild` fills it again from `segment_cache`, so that a rebuild does not cost
the next run a pass over the corpus.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

from timeline.store.queries import in_chunks

INDEXES = ("CREATE INDEX IF NOT EXISTS name_index_key ON name_index (key)",)
_INDEX_NAMES = tuple(sql.split()[5] for sql in INDEXES)
Row = tuple[str, int, str, str]  # document, segment, language, key


def segment_rows(document: str, data: Iterable[dict[str, Any]]) -> list[Row]:
    """Index rows of one document's segments (as `segment.to_data` writes them)."""
    out: list[Row] = []
    for s in data:
        lang = s.get("language", "")
        out += [(document, s["index"], lang, k) for k in sorted({"", *s["names"]})]
    return out


# Functions of what rebuild does not change (document texts under an engine; the stories
# the log's facts were reconstructed with): kept, so that the next run is not a full one.
KEPT_BY_REBUILD = frozenset({"segment_cache", "story_cache"})


def refill(conn: Any, engine: str | None) -> None:
    """The index of every cached segment of `engine` of a current document (inside the
    caller's transaction)."""
    # the key index made after the rows, not kept up row by row: a rebuild at 10,000
    # documents deletes and inserts 500,000 rows in the order of their documents
    for name in _INDEX_NAMES:
        conn.execute(f"DROP INDEX IF EXISTS {name}")
    conn.execute("DELETE FROM name_index")
    if engine is not None:
        rows = conn.execute("SELECT c.document, c.data FROM segment_cache c JOIN documents d "
                            "ON d.id = c.document WHERE c.engine = ?", (engine,))
        while batch := rows.fetchmany(500):
            conn.executemany("INSERT OR REPLACE INTO name_index VALUES (?, ?, ?, ?)",
                             [r for d, data in batch for r in segment_rows(d, json.loads(data))])
    for sql in INDEXES:
        conn.execute(sql)


class NameIndex:
    """The store's reads and writes of the name index (mixed into `Store`)."""

    conn: Any
    readonly: bool

    def _ensure_name_index(self) -> None:
        """A database made before the index has none: made here, empty (the run fills it)."""
        if self.readonly:
            return
        from timeline.schema import CACHES

        self.conn.execute(CACHES["name_index"])
        for sql in INDEXES:
            self.conn.execute(sql)

    def name_index_documents(self) -> set[str]:
        """Every indexed document. The set drops the repeats (a row per segment), not SQL:
        DISTINCT sorts them in a temporary B-tree, about half of this query's time."""
        self._ensure_name_index()
        return {d for (d,) in self.conn.execute(
            "SELECT document FROM name_index WHERE key = ''")}

    def put_name_index(self, rows: Sequence[Row], clear_documents: Sequence[str] = (),
                       clear_all: bool = False) -> None:
        """Rows of new segments, after dropping the documents that left (or changed)."""
        if self.readonly or not (rows or clear_documents or clear_all):
            return
        self._ensure_name_index()
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            if clear_all:
                self.conn.execute("DELETE FROM name_index")
            for chunk, marks in in_chunks(sorted(set(clear_documents))):
                self.conn.execute(f"DELETE FROM name_index WHERE document IN ({marks})", chunk)
            self.conn.executemany("INSERT OR REPLACE INTO name_index VALUES (?, ?, ?, ?)", rows)
            self.conn.execute("COMMIT")
        except BaseException:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise

    def name_frequencies(self, keys: Iterable[str]) -> dict[str, int]:
        """Segments per key; the empty key counts every segment."""
        out: dict[str, int] = {}
        for chunk, marks in in_chunks(sorted(set(keys) | {""})):
            out.update(self.conn.execute(
                f"SELECT key, count(*) FROM name_index WHERE key IN ({marks}) GROUP BY key",
                chunk))
        return out

    def name_postings(self, keys: Iterable[str]) -> list[Row]:
        out: list[Row] = []
        for chunk, marks in in_chunks(sorted(set(keys) - {""})):
            out += self.conn.execute(
                f"SELECT document, segment, language, key FROM name_index WHERE key IN "
                f"({marks})", chunk).fetchall()
        return out

    def name_keys(self, documents: Iterable[str]) -> dict[tuple[str, int], tuple[str, set[str]]]:
        """(language, keys) of every indexed segment of these documents."""
        out: dict[tuple[str, int], tuple[str, set[str]]] = {}
        for chunk, marks in in_chunks(sorted(set(documents))):
            for d, i, lang, k in self.conn.execute(
                    f"SELECT document, segment, language, key FROM name_index WHERE document "
                    f"IN ({marks})", chunk):
                got = out.setdefault((d, i), (lang, set()))
                if k:
                    got[1].add(k)
        return out


    def cached_segment_documents(self, engine: str) -> set[str]:
        return {d for (d,) in self.conn.execute(
            "SELECT document FROM segment_cache WHERE engine = ?", (engine,))}

    def cached_segments(self, engine: str, documents: Iterable[str]) -> dict[str, Any]:
        """`segment_cache` rows of these documents only."""
        out: dict[str, Any] = {}
        for chunk, marks in in_chunks(sorted(set(documents))):
            out.update((d, json.loads(data)) for d, data in self.conn.execute(
                f"SELECT document, data FROM segment_cache WHERE engine = ? AND document IN "
                f"({marks})", [engine, *chunk]))
        return out

    def header_dates_of(self, documents: Iterable[str]) -> dict[str, str | None]:
        """The date header of these current documents (`header_dates`, for a few)."""
        out: dict[str, str | None] = {}
        for chunk, marks in in_chunks(sorted(set(documents))):
            out.update((i, json.loads(h or "{}").get("date")) for i, h in self.conn.execute(
                f"SELECT id, header FROM documents WHERE id IN ({marks})", chunk))
        return out
