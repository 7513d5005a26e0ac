"""Compact log records: what the log no longer repeats is still in every projection."""

from __future__ import annotations

from pathlib import Path

from timeline import events as ev
from timeline.store import Store

AT = "2023-09-13T00:00:00+00:00"
TEXT = "Title\n\nThe leaders met in Geneva on Monday. " + "Long " * 100 + "sentence."


def _doc() -> ev.DocumentIngested:
    return ev.DocumentIngested(document="d1", path="a.txt", sha256="x", size=len(TEXT),
                               encoding="utf-8", language="en", language_basis="detected",
                               header={}, title="Title", body_start=7, text=TEXT)


def _event(sources: list[dict]) -> ev.EventFormed:
    return ev.EventFormed(event="ev-1", story="s", kind="meeting", title="Meeting",
                          start=None, end=None, granularity=None, status="occurred", rank=1,
                          place=None, participants=[], sources=sources, salience=5, engine="e")


def test_a_quote_the_text_gives_is_left_out_of_the_log_and_projected_from_it(
        tmp_path: Path) -> None:
    first = TEXT.index("The leaders")
    second = TEXT.index("Long")
    full = [{"document": "d1", "quote": TEXT[first:second - 1], "start": first,
             "end": second - 1},
            {"document": "d1", "quote": TEXT[second:][:ev.QUOTE_CHARS], "start": second,
             "end": len(TEXT)},
            {"document": "d1", "quote": "a quote of its own", "start": 0, "end": 5}]
    compact = ev.sources_by_offsets(full, {"d1": TEXT})
    assert ["quote" in s for s in compact] == [False, False, True]
    assert ev.sources_by_offsets(full, {}) == full  # no text at hand: the quotes stay
    with Store(tmp_path / "t.db") as store:
        store.append([_doc(), _event(compact)], recorded_at=AT)
        logged = store.rows("SELECT data FROM log WHERE type = 'EventFormed'")[0]["data"]
        rows = store.rows('SELECT quote, start, "end" FROM event_sources ORDER BY start')
        found = store.search("leaders")[0]
        assert store.verify().ok
        store.rebuild()
        again = store.rows('SELECT quote, start, "end" FROM event_sources ORDER BY start')
    assert "The leaders" not in logged and "a quote of its own" in logged
    by_start = {r["start"]: r["quote"] for r in rows}
    assert by_start == {s["start"]: s["quote"] for s in full}
    assert len(by_start[second]) == ev.QUOTE_CHARS  # cut where extraction cuts
    assert again == rows
    assert [r["id"] for r in found] == ["ev-1"]  # the quote is searched


def test_a_version_2_event_keeps_the_quotes_it_carries(tmp_path: Path) -> None:
    with Store(tmp_path / "t.db") as store:
        store.append([_doc(), _event([{"document": "d1", "quote": "written out", "start": 7,
                                        "end": 18}])], recorded_at=AT)
        store.conn.execute("DROP TRIGGER IF EXISTS log_no_update")
        store.conn.execute("UPDATE log SET version = 2 WHERE type = 'EventFormed'")
        store.rebuild()
        rows = store.rows("SELECT quote FROM event_sources")
        version = store.rows("SELECT version FROM log WHERE type = 'EventFormed'")[0]
    assert version["version"] == 2 and rows == [{"quote": "written out"}]
