"""The database as Datasette serves it, with `timeline datasette-metadata`: a real Datasette
on 127.0.0.1 (the optional `datasette` extra; skipped when it is not installed, unless
TIMELINE_REQUIRE_DATASETTE is set, as .ci/run does)."""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import FIXTURES

from timeline.schema import CANNED_QUERIES, PROJECTIONS, VIEWS
from timeline.store import Store


@pytest.fixture
def db(cli: Any, tmp_path: Path) -> Path:
    corpus = tmp_path / "corpus"
    shutil.copytree(FIXTURES, corpus)
    assert cli("run", str(corpus))[0] == 0
    return tmp_path / "timeline.db"


def test_metadata_names_and_options(cli: Any, db: Path, tmp_path: Path) -> None:
    code, _, _ = cli("datasette-metadata", "-o", "m.json")
    assert code == 0
    meta = json.loads((tmp_path / "m.json").read_text())
    (dbmeta,) = meta["databases"].values()
    tables = {r[0] for r in sqlite3.connect(db).execute("SELECT name FROM sqlite_master")}
    assert not set(dbmeta["queries"]) & tables  # no canned query shadows a table or view
    assert dbmeta["tables"]["documents"]["fts_table"] == "documents_fts"
    assert dbmeta["tables"]["event_sources"]["fts_table"] == "quotes_fts"
    for hidden in ("log", "file_cache", "segment_cache", "story_cache", "fact_heads"):
        assert dbmeta["tables"][hidden]["hidden"] is True
    assert "log_records" in dbmeta["queries"]


@pytest.mark.sqlite_only("Datasette over the SQLite file")
def test_foreign_keys_link_sources_events_and_documents(db: Path) -> None:
    conn = sqlite3.connect(db)
    links = {(t, r[3], r[2]) for t in PROJECTIONS
             for r in conn.execute(f"PRAGMA foreign_key_list({t})")}
    assert {("event_sources", "event", "events"), ("event_sources", "document", "documents"),
            ("conflicts", "event", "events"), ("mentions", "document", "documents"),
            ("constraints", "before", "events")} <= links
    # and they hold on the fixtures: every source's event and document exists
    assert conn.execute("PRAGMA foreign_key_check(event_sources)").fetchall() == []
    assert conn.execute("PRAGMA foreign_key_check(conflicts)").fetchall() == []


@pytest.mark.sqlite_only("Datasette over the SQLite file")
def test_fts_rows_share_their_rows_rowid_even_after_migration(cli: Any, db: Path) -> None:
    def aligned() -> bool:
        c = sqlite3.connect(db)
        return (c.execute("SELECT count(*) FROM documents d JOIN documents_fts f "
                          "ON f.rowid = d.rowid AND f.id = d.id").fetchone()[0]
                == c.execute("SELECT count(*) FROM documents").fetchone()[0]
                and c.execute("SELECT count(*) FROM event_sources s JOIN quotes_fts q "
                              "ON q.rowid = s.rowid AND q.event = s.event").fetchone()[0]
                == c.execute("SELECT count(*) FROM event_sources s JOIN events e "
                             "ON e.id = s.event WHERE e.salience >= 4").fetchone()[0])

    assert aligned()
    c = sqlite3.connect(db)  # a version-1 database: FTS rowids of their own
    c.execute("DELETE FROM quotes_fts")
    c.execute("INSERT INTO quotes_fts (rowid, event, document, quote) SELECT rowid + 1000, "
              "event, document, quote FROM event_sources")
    c.execute("PRAGMA user_version = 1")
    c.commit()
    c.close()
    assert not aligned()
    Store(db).close()  # a writer opens it: migrated
    assert aligned()
    assert cli("verify")[0] == 0


# ------------------------------------------------------------------ a real Datasette


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def datasette(cli: Any, db: Path, tmp_path: Path) -> Iterator[Callable[[str], Any]]:
    if importlib.util.find_spec("datasette") is None:
        reason = "Datasette is not installed (pip install '.[datasette]')"
        if os.environ.get("TIMELINE_REQUIRE_DATASETTE"):
            pytest.fail(f"TIMELINE_REQUIRE_DATASETTE is set but {reason}")
        pytest.skip(reason)
    assert cli("datasette-metadata", "-o", "metadata.json")[0] == 0
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "datasette", "serve", str(db), "-m",
         str(tmp_path / "metadata.json"), "-h", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"

    def get(path: str) -> Any:
        with urllib.request.urlopen(base + path, timeout=20) as r:
            body = r.read().decode("utf-8")
        return json.loads(body) if ".json" in path.split("?")[0] else body

    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                get("/-/versions.json")
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"datasette did not start: {proc.stderr.read()!r}"[:500])
                time.sleep(0.3)
        yield get
    finally:
        proc.terminate()
        proc.wait(timeout=20)


@pytest.mark.sqlite_only("Datasette over the SQLite file")
def test_datasette_serves_the_timeline(datasette: Callable[[str], Any], cli: Any,
                                       db: Path) -> None:
    snap = json.loads(cli("show", "--format", "json")[1])
    q = "?_shape=objects&_size=max"
    # the timeline view, as a page and as rows
    assert "timeline" in datasette("/timeline/timeline")
    rows = datasette("/timeline/timeline.json" + q)["rows"]
    assert len(rows) == len(snap["events"]) and "timeline" in VIEWS
    # a facet
    # (on the timeline view: the events table also holds the hidden, low-salience events)
    facet = datasette("/timeline/timeline.json?_facet=kind&_size=0")["facet_results"]
    kinds = facet["kind"]["results"] if "kind" in facet else facet["results"]["kind"]["results"]
    assert {k["value"]: k["count"] for k in kinds} == _count(e["kind"] for e in snap["events"])
    # a search: only the matching documents, not every row
    word = "Kamchatka"
    found = datasette("/timeline/documents.json" + q + "&_search=" + word)["rows"]
    texts = [r["id"] for r in found]
    c = sqlite3.connect(db)
    expect = [r[0] for r in c.execute("SELECT id FROM documents WHERE text LIKE ?",
                                      (f"%{word}%",))]
    assert texts and sorted(texts) == sorted(expect)
    assert len(found) < len(snap["documents"])
    quotes = datasette("/timeline/event_sources.json" + q + "&_search=dumplings")["rows"]
    assert quotes and all("dumplings" in r["quote"] for r in quotes)
    # foreign keys: a source's event is a link labelled with the event's title
    labelled = datasette("/timeline/event_sources.json?_shape=objects&_labels=on&_size=5")
    first = labelled["rows"][0]["event"]
    every = json.loads(cli("show", "--all", "--format", "json")[1])  # hidden events too
    assert isinstance(first, dict) and first["label"] in {e["title"] for e in every["events"]}
    # canned queries, the log's included; the hidden tables are hidden
    conflicts = datasette("/timeline/disagreements.json" + q)["rows"]
    assert len(conflicts) == len(snap["conflicts"])
    logged = datasette("/timeline/log_records.json?_shape=objects&type=RunFinished")["rows"]
    assert logged and {r["type"] for r in logged} == {"RunFinished"}
    listing = datasette("/timeline.json")
    hidden = {t["name"] for t in listing["tables"] if t["hidden"]}
    assert {"log", "file_cache", "segment_cache", "story_cache"} <= hidden
    assert set(CANNED_QUERIES) <= {x["name"] for x in listing["queries"]}


def _count(values: Iterator[str] | Any) -> dict[str, int]:
    out: dict[str, int] = {}
    for v in values:
        out[v] = out.get(v, 0) + 1
    return out


def _quote(text: str) -> str:
    return urllib.parse.quote(text)
