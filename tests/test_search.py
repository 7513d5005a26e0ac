"""`timeline search`: FTS5's AND/OR/NOT, phrases and prefixes, made safe; each event once."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from conftest import FIXTURES

from timeline.store.search import SearchError, fts_query


@pytest.mark.parametrize(("query", "match"), [
    ('Putin AND "dinner"', '"Putin" AND "dinner"'),
    ("Putin dinner", '"Putin" "dinner"'),
    ("(lunch OR dinner) NOT Kim", '( "lunch" OR "dinner" ) NOT "Kim"'),
    ('"state visit"', '"state visit"'),
    ("dump*", '"dump"*'),
    ("U.S.", '"U S"'),
    ("and or not", '"and" "or" "not"'),  # lower case: words, as in FTS5
    ("title:x NEAR(a b)", '"title x" "NEAR" ( "a" "b" )'),  # no column filters, no NEAR
    ("   ", ""),
])
def test_query_translation(query: str, match: str) -> None:
    assert fts_query(query) == match


def test_an_unclosed_quote_is_one_clear_error() -> None:
    with pytest.raises(SearchError, match="unclosed quote"):
        fts_query('"open phrase')


@pytest.fixture
def db(cli: Any, tmp_path: Path) -> Path:
    corpus = tmp_path / "corpus"
    shutil.copytree(FIXTURES, corpus)
    assert cli("run", str(corpus))[0] == 0
    return tmp_path / "timeline.db"


def _search(cli: Any, query: str) -> dict[str, Any]:
    code, out, err = cli("search", query, "--format", "json", "--limit", "100")
    assert code == 0, err
    return json.loads(out)


def test_operators_really_combine(cli: Any, db: Path) -> None:
    """Operators combine within one quote (or one document body), as FTS5 matches rows (and
    PostgreSQL's full-text search the same rows)."""
    putin = {e["id"] for e in _search(cli, "Putin")["events"]}
    kim = {e["id"] for e in _search(cli, "Kim")["events"]}
    assert putin and kim
    both = {e["id"] for e in _search(cli, "Putin AND Kim")["events"]}
    either = {e["id"] for e in _search(cli, "Putin OR Kim")["events"]}
    only = _search(cli, "Putin NOT Kim")["events"]
    assert both and both <= putin & kim
    assert either == putin | kim
    assert only and all("Kim" not in e["snippet"] for e in only)
    docs_both = _search(cli, "Putin AND Kim")["documents"]
    docs_putin = _search(cli, "Putin")["documents"]
    assert 0 < len(docs_both) <= len(docs_putin)
    phrase = {e["id"] for e in _search(cli, '"Kim Jong Un"')["events"]}
    assert phrase and phrase <= kim


@pytest.mark.sqlite_only(
    "known difference: PostgreSQL's ts_headline marks each word of a phrase ([Kim] [Jong] "
    "[Un]) where FTS5's snippet marks the phrase ([Kim Jong Un])")
def test_a_phrase_is_marked_whole_in_the_snippet(cli: Any, db: Path) -> None:
    phrase = _search(cli, '"Kim Jong Un"')["events"]
    assert phrase and all(re.search(r"\[Kim Jong.Un\]", e["snippet"], re.I) for e in phrase)


def test_each_event_once_with_its_best_quote(cli: Any, db: Path) -> None:
    events = _search(cli, "Putin")["events"]
    ids = [e["id"] for e in events]
    assert len(ids) == len(set(ids))
    assert any(e["quotes"] > 1 for e in events)  # several quotes matched, one shown
    code, out, _ = cli("search", "Putin")
    assert code == 0
    for eid in ids:
        assert out.count(eid) == 1


def test_malformed_queries_exit_2_with_one_line(cli: Any, db: Path) -> None:
    for query in ("Putin AND", "NOT Putin", "(Putin", '"Putin'):
        code, out, err = cli("search", query)
        assert code == 2 and out == "", query
        assert len(err.splitlines()) == 1 and "AND, OR, NOT" in err, err
