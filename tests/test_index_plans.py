"""The statements of the name and entity indexes (store/names.py, store/entity_index.py) that a
run issues per document or per key find their rows through an index: none reads a whole
table, so a run's reads there grow with what its documents touch, not with the corpus."""

from __future__ import annotations

from pathlib import Path

import pytest

from timeline.store import connect

# statements that read a whole table on purpose (once per run or per rebuild, not per document)
WHOLE = ("SELECT DISTINCT local FROM entity_mentions",
         "SELECT document FROM segment_cache WHERE engine",
         "SELECT c.document, c.data FROM segment_cache c JOIN documents d")


@pytest.mark.sqlite_only("asks SQLite for its query plans")
def test_index_statements_search_an_index(tmp_path: Path) -> None:
    store = connect(tmp_path / "t.db")
    store.put_name_index([("d1", 0, "en", ""), ("d1", 0, "en", "valdo")])
    store.put_entity_index(["marta quilez"], clear_all=True)
    said: list[str] = []
    store.conn.set_trace_callback(said.append)
    store.name_index_documents()
    store.name_frequencies({"valdo", "quile"})
    store.name_postings({"valdo", "quile"})
    store.name_keys({"d1", "d2"})
    store.cached_segments("e", {"d1", "d2"})
    store.header_dates_of({"d1", "d2"})
    store.entity_index_filled()
    store.entity_keys_with({"wl:marta", "ws:quilez"})
    store.entity_mentions_with({"marta quilez"})
    store.entity_mentions_of({"d1"})
    store.entity_mention_documents()
    store.put_name_index([("d2", 0, "en", "")], clear_documents=["d1"])
    store.conn.set_trace_callback(None)
    reads = [s for s in said if s.lstrip().upper().startswith(("SELECT", "DELETE"))
             and not s.startswith(WHOLE)]
    assert len(reads) >= 12
    for sql in reads:
        plan = [row[3] for row in store.conn.execute(f"EXPLAIN QUERY PLAN {sql}")]
        assert plan and not any(p.startswith("SCAN") for p in plan), (sql, plan)
