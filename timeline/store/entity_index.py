"""The entity index: every local name key the entity mentions use, under its linking terms
(`timeline.entity_scope`), so that a run links only the names its documents touch: it finds
the keys related to theirs here, and reads only those keys' mentions (`entity_mentions` by
`local`), instead of every mention of the corpus.

It is a cache (`schema.CACHES["entity_index"]`), a function of the keys `entity_mentions`
holds: one row per (term, key), a row with the empty term for each key itself, and the row
('#filled', `entity_scope.VERSION`) once a whole pass filled it. A key no longer written may
stay (its only effect is a larger linking scope); a key written must be there, so a run adds
its keys before it appends the mentions that use them, and `rebuild` fills the index again
from `entity_mentions`. A database without the marker (made before the index, copied, or
filled under another rule) gets the whole pass once, which fills it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from timeline import entity_scope
from timeline.store.queries import in_chunks

FILLED = ("#filled", entity_scope.VERSION)
Row = tuple[str, str]  # term, key


def key_rows(keys: Iterable[str]) -> list[Row]:
    return [(t, k) for k in sorted(set(keys)) for t in ("", *entity_scope.terms(k))]


def refill_entities(conn: Any) -> None:
    """The index of every key of `entity_mentions` (inside the caller's transaction)."""
    conn.execute("DELETE FROM entity_index")
    keys = [k for (k,) in conn.execute("SELECT DISTINCT local FROM entity_mentions")]
    conn.executemany("INSERT OR REPLACE INTO entity_index VALUES (?, ?)",
                     [*key_rows(keys), FILLED])


MENTION_COLUMNS = 'document, start, "end", text, label, language, local, entity'


class EntityIndex:
    """The store's reads and writes of the entity index (mixed into `Store`)."""

    conn: Any
    readonly: bool
    rows: Any  # Queries.rows

    def entity_index_filled(self) -> bool:
        return self.conn.execute("SELECT 1 FROM entity_index WHERE term = ? AND key = ?",
                                 FILLED).fetchone() is not None

    def put_entity_index(self, keys: Iterable[str], clear_all: bool = False) -> None:
        """The terms of these keys (all of them, marked filled, after `clear_all`)."""
        rows = key_rows(keys)
        if self.readonly or not (rows or clear_all):
            return
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            if clear_all:
                self.conn.execute("DELETE FROM entity_index")
                rows.append(FILLED)
            self.conn.executemany("INSERT OR REPLACE INTO entity_index VALUES (?, ?)", rows)
            self.conn.execute("COMMIT")
        except BaseException:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise

    def entity_keys_with(self, terms: Iterable[str]) -> set[str]:
        """The keys that have one of these terms."""
        out: set[str] = set()
        for chunk, marks in in_chunks(sorted(set(terms))):
            out.update(k for (k,) in self.conn.execute(
                f"SELECT key FROM entity_index WHERE term IN ({marks})", chunk))
        return out

    def entity_mentions_with(self, keys: Iterable[str]) -> list[dict[str, Any]]:
        """The current entity mentions whose local key is one of these."""
        out: list[dict[str, Any]] = []
        for chunk, marks in in_chunks(sorted(set(keys))):
            out += self.rows(f"SELECT {MENTION_COLUMNS} FROM entity_mentions "
                             f"WHERE local IN ({marks})", chunk)
        return out

    def entity_mentions_of(self, documents: Iterable[str]) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        for chunk, marks in in_chunks(sorted(set(documents))):
            out += self.rows(f"SELECT {MENTION_COLUMNS} FROM entity_mentions "
                             f"WHERE document IN ({marks})", chunk)
        return out

    def entity_mention_documents(self) -> set[str]:
        """Every document with entity mentions: the live EntitiesMentioned records, one per
        document (a range of the heads' key, not a scan of every mention)."""
        return {d for (d,) in self.conn.execute(
            "SELECT key FROM fact_heads WHERE fact_type = 'EntitiesMentioned' AND "
            "retracted = 0")}
