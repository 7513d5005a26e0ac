"""Compact log records: what the log no longer repeats is still in every projection."""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import FIXTURES

from tests.storesql import rows, value
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


def _names(store: Store) -> list[tuple]:
    return [tuple(r.values()) for r in store.rows(
        'SELECT key, document, start, "end", text, label, language, local, entity, engine '
        "FROM entity_mentions ORDER BY key")]


def test_a_documents_names_are_one_record_and_one_row_each_as_before(tmp_path: Path) -> None:
    names = [[0, 5, "Putin", "PERSON", "putin", "putin-1"],
             [10, 16, "Geneva", "PLACE", "geneva", "geneva-1"]]
    per_name = [ev.EntityMentioned(document="d1", start=s, end=e, text=t, label=lb,
                                   language="en", local=lo, entity=en, engine="e")
                for s, e, t, lb, lo, en in names]
    with Store(tmp_path / "old.db") as old:
        old.append(per_name, recorded_at=AT)
        before = _names(old)
    with Store(tmp_path / "t.db") as store:
        store.append(per_name, recorded_at=AT)
        assert store.has_live_facts("EntityMentioned")
        # what the entity phase appends to a log of per-name records: their retractions,
        # then the document's one record
        store.append([*(ev.FactRetracted(fact_type="EntityMentioned", key=f.key, prev="x",
                                         engine="e") for f in per_name),
                      ev.EntitiesMentioned(document="d1", language="en", names=names,
                                           engine="e")], recorded_at=AT)
        assert _names(store) == before
        assert not store.has_live_facts("EntityMentioned")
        assert store.verify().ok
        store.rebuild()
        assert _names(store) == before
        heads, live = store.facts_of("EntitiesMentioned", "d1")
        store.append([ev.FactRetracted(fact_type="EntitiesMentioned", key="d1",
                                       prev=heads["d1"][0], engine="e")], recorded_at=AT)
        assert _names(store) == [] and live["d1"]["names"] == names


def test_a_run_writes_one_names_record_per_document(cli, tmp_path: Path) -> None:
    src = tmp_path / "geneva"
    shutil.copytree(FIXTURES / "geneva", src)
    assert cli("run", str(src))[0] == 0
    kinds = dict(rows(cli.db(), "SELECT type, count(*) FROM log GROUP BY type"))
    docs = rows(cli.db(), "SELECT count(DISTINCT document) FROM entity_mentions")[0]
    mentions = value(cli.db(), "SELECT count(*) FROM entity_mentions")
    assert "EntityMentioned" not in kinds
    assert kinds["EntitiesMentioned"] == docs[0] and mentions > docs[0]
    assert cli("run", str(src))[0] == 0
    again = dict(rows(cli.db(), "SELECT type, count(*) FROM log GROUP BY type"))
    assert again["EntitiesMentioned"] == kinds["EntitiesMentioned"]  # a re-run adds none
