"""The timeline page without a browser: what it carries, how hostile text is kept inert, and
how `timeline html` / `export --format html` write it. tests/test_browser.py opens it."""

from __future__ import annotations

import base64
import hashlib
import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from conftest import FIXTURES

from timeline import html

HOSTILE = '</script><script>alert(1)</script><!-- <img src=x onerror=alert(2)> & \u2028'


@pytest.fixture
def db(cli: Any, tmp_path: Path) -> Path:
    corpus = tmp_path / "corpus"
    shutil.copytree(FIXTURES, corpus)
    code, _, err = cli("run", str(corpus))
    assert code == 0, err
    return tmp_path / "timeline.db"


def _snapshot(cli: Any) -> dict[str, Any]:
    return json.loads(cli("show", "--format", "json")[1])


def _embedded(page: str) -> dict[str, Any]:
    m = re.search(r'<script type="application/json" id="timeline-data">(.*?)</script>', page,
                  re.S)
    assert m is not None
    return json.loads(m.group(1))


def _hostile_snapshot() -> dict[str, Any]:
    doc = {"id": "d" * 64, "path": f"x/{HOSTILE}.txt", "title": HOSTILE, "language": "en",
           "date": "2013-03-18", "date_basis": "header", "date_evidence": None}
    event = {"id": "ev-1", "story": "a-b-123456", "kind": "meeting", "title": HOSTILE,
             "start": "2013-W12", "end": None, "granularity": "week", "status": "planned",
             "rank": 1, "place": HOSTILE, "participants": [HOSTILE],
             "sources": [{"document": doc["id"], "quote": HOSTILE, "start": 0, "end": 5}]}
    conflict = {"event": "ev-1", "attribute": "meal",
                "values": [{"value": HOSTILE, "documents": [doc["id"]]}]}
    return {"documents": [doc], "events": [event], "conflicts": [conflict], "constraints": []}


def test_hostile_text_cannot_leave_its_element() -> None:
    page = html.page(_hostile_snapshot(), {"d" * 64: "javascript:alert(3)"})
    assert page.count("<script") == 2  # the data and our script, nothing a document added
    assert page.count("</script>") == 2
    assert "<img" not in page and "<!-- <img" not in page
    data = _embedded(page)
    assert data["events"][0]["title"] == HOSTILE  # carried exactly, just escaped
    assert data["events"][0]["sources"][0]["quote"] == HOSTILE
    assert data["events"][0]["conflicts"][0]["values"][0]["value"] == HOSTILE
    assert "&lt;/script&gt;" in page  # the list and the title are escaped HTML


def test_script_and_style_are_inline_and_pinned_by_the_policy() -> None:
    page = html.page(_hostile_snapshot())
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page)
    assert csp is not None and "default-src 'none'" in csp.group(1)
    script = re.search(r"<script>(.*?)</script>", page, re.S)
    style = re.search(r"<style>(.*?)</style>", page, re.S)
    assert script is not None and style is not None
    for text in (script.group(1), style.group(1)):
        digest = base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in csp.group(1)
    assert not re.search(r"""(src|href)=["']?https?:""", page)  # nothing from the network


def test_vague_dates_are_ranges_with_words() -> None:
    e = _embedded(html.page(_hostile_snapshot()))["events"][0]
    assert e["label"] == "week 12 of 2013" and e["vague"]
    assert e["range"] == "2013-03-18 to 2013-03-24"
    assert e["t1"] - e["t0"] == 7 * 24 * 60
    assert e["status"] == "planned"


def test_html_command_writes_every_event_and_links_documents(cli: Any, db: Path,
                                                             tmp_path: Path) -> None:
    code, out, err = cli("html", "-o", "page")
    assert code == 0 and out == ""
    assert "page/index.html" in err and "events" in err
    page = (tmp_path / "page" / "index.html").read_text(encoding="utf-8")
    data = _embedded(page)
    snap = _snapshot(cli)
    assert {e["id"] for e in data["events"]} == {e["id"] for e in snap["events"]}
    assert {s["id"] for s in data["stories"]} == {e["story"] for e in snap["events"]}
    for d in data["documents"]:  # relative links that reach the documents
        assert (tmp_path / "page" / d["href"]).resolve().is_file()
    assert len(re.findall(r'<li data-event="', page)) == len(snap["events"])
    assert data["title"].startswith("Timeline: ")


def test_export_html_is_the_same_page_on_stdout(cli: Any, db: Path) -> None:
    code, out, _ = cli("export", "--format", "html")
    assert code == 0
    data = _embedded(out)
    assert len(data["events"]) == len(_snapshot(cli)["events"])
    assert all(d["href"].startswith("file:///") for d in data["documents"])


@pytest.mark.sqlite_only(
    "refuses to write an output over the SQLite database file or its side files")
def test_html_refuses_to_write_over_the_database(cli: Any, db: Path, tmp_path: Path) -> None:
    code, _, err = cli("export", "--format", "html", "-o", str(db))
    assert code == 2 and "refusing" in err
    (tmp_path / "afile").write_text("x")
    code, _, err = cli("html", "-o", str(tmp_path / "afile"))
    assert code == 2 and "not a directory" in err
