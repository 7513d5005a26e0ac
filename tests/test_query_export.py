"""Reading the database: read-only SQL, search, time travel, diff, and exports parsed back
by each consumer's rules."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import shutil
import sqlite3
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from conftest import FIXTURES, SEEDS

from tests.storesql import rows, value
from timeline import events as ev
from timeline import salience
from timeline.store import Store, connect, past


@pytest.fixture
def db(cli: Any, tmp_path: Path) -> Path:
    mixed = tmp_path / "corpus"
    shutil.copytree(FIXTURES, mixed)
    code, _, err = cli("run", str(mixed))
    assert code == 0, err
    return tmp_path / "timeline.db"


def test_query_is_read_only(cli: Any, db: Path) -> None:
    before = rows(cli.db(), "SELECT count(*), max(hash) FROM log")
    for sql in ("DELETE FROM log", "DROP TABLE events", "UPDATE events SET title = 'x'",
                "INSERT INTO runs (run_id) VALUES ('x')",
                "PRAGMA query_only = OFF; DELETE FROM log"):
        code, _, err = cli("query", sql)
        assert code == 2 and "query failed" in err, (sql, err)
    assert rows(cli.db(), "SELECT count(*), max(hash) FROM log") == before
    code, _, _ = cli("verify")
    assert code == 0


def test_query_formats_and_parameters(cli: Any, db: Path) -> None:
    code, out, _ = cli("query", "SELECT kind, title FROM timeline WHERE kind = :k",
                       "-p", "k", "talks", "--format", "json")
    rows = json.loads(out)
    assert rows and {r["kind"] for r in rows} == {"talks"}
    _code, out, _ = cli("query", "SELECT rank, kind FROM timeline", "--format", "csv")
    assert out.splitlines()[0] == "rank,kind"


def test_search_finds_events_and_documents(cli: Any, db: Path) -> None:
    code, out, _ = cli("search", "lunch dumplings", "--format", "json")
    found = json.loads(out)
    assert any(e["kind"] == "meal" for e in found["events"])
    assert len(found["documents"]) == 1
    code, out, err = cli("search", 'NEAR(" OR *', "--format", "json")  # malformed: one line
    assert code == 2 and out == "" and len(err.splitlines()) == 1 and "unclosed quote" in err


def _copy_prefix(src: str, dst: str, seq: int) -> None:
    with connect(src, readonly=True) as a, connect(dst) as b:
        groups: list[tuple[tuple[str, str | None], list[Any]]] = []
        for rec in a.records(until=seq):
            key = (rec.recorded_at, rec.run_id)
            if not groups or groups[-1][0] != key:
                groups.append((key, []))
            groups[-1][1].append(rec.event())
        for (at, run), batch in groups:
            b.append(batch, recorded_at=at, run_id=run)


def test_as_of_equals_a_fresh_database_built_from_the_prefix(cli: Any, db: Path,
                                                             tmp_path: Path) -> None:
    head = value(cli.db(), "SELECT max(seq) FROM log")
    for seq in (head // 3, head // 2, head):
        fresh = cli.db(tmp_path / f"prefix{seq}.db")
        _copy_prefix(cli.db(), fresh, seq)
        with past(cli.db(), seq) as then, connect(fresh, readonly=True) as rebuilt:
            assert then.snapshot() == rebuilt.snapshot()
            assert then.rows("SELECT count(*) AS n FROM log")[0]["n"] == seq
        _code, out, _ = cli("show", "--format", "json", "--as-of", str(seq))
        with connect(fresh, readonly=True) as rebuilt:
                assert json.loads(out) == salience.view(rebuilt.snapshot())


def test_as_of_first_run_and_diff_after_one_more_document(cli: Any, tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    first.mkdir()
    second.mkdir()
    for f in SEEDS:
        shutil.copy(f, (second if f.name.startswith("001") else first) / f.name)
    cli("run", str(first))
    code, out, _ = cli("runs")
    code, out, _ = cli("query", "SELECT run_id, last_seq FROM runs", "--format", "json")
    (run1,) = json.loads(out)
    cli("run", str(second))
    code, out, _ = cli("show", "--format", "json", "--as-of", run1["run_id"])
    past = json.loads(out)
    assert len(past["documents"]) == 4
    code, out, _ = cli("diff", "--from", run1["run_id"], "--format", "json")
    changes = json.loads(out)
    assert [d["path"].split("/")[-1] for d in changes["documents_added"]] == [SEEDS[1].name]
    assert any(c["attribute"] == "meal" for c in changes["conflicts_found"])
    assert changes["from"] == run1["last_seq"]
    code, out, _ = cli("diff", "--from", str(run1["last_seq"]))
    assert code == 0 and "documents added (1)" in out
    code, out, _ = cli("log", "--run", run1["run_id"], "--format", "jsonl")
    assert {json.loads(x)["run_id"] for x in out.splitlines()} == {run1["run_id"]}


def _snapshot(cli: Any) -> dict[str, Any]:
    return json.loads(cli("show", "--format", "json")[1])


def test_export_csv_round_trip(cli: Any, db: Path) -> None:
    _code, out, _ = cli("export", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    snap = _snapshot(cli)
    assert [r["id"] for r in rows] == [e["id"] for e in snap["events"]]
    assert [r["rank"] for r in rows] == [str(e["rank"]) for e in snap["events"]]
    assert list(rows[0]) == ["id", "rank", "start", "end", "from", "until", "when", "kind",
                             "title", "status", "story", "story_name", "place",
                             "participants", "sources", "conflicts"]
    by_id = {e["id"]: e for e in snap["events"]}
    for r in rows:
        e = by_id[r["id"]]
        assert r["story"] == e["story"] and r["place"] == (e["place"] or "")
        assert r["participants"] == "; ".join(e["participants"])
        assert (r["from"] < r["until"]) if e["start"] else r["when"] == "undated"


def test_export_timesketch(cli: Any, db: Path) -> None:
    _code, out, _err = cli("export", "--format", "timesketch")
    lines = [json.loads(x) for x in out.splitlines()]
    assert lines
    for line in lines:
        assert {"message", "datetime", "timestamp_desc"} <= set(line)
        # floating: the fixtures' clock times are local times with no zone in the text
        assert dt.datetime.fromisoformat(line["datetime"]).tzinfo is None
        assert line["time_zone"] == "local time of the text (no zone given)"
    snap = _snapshot(cli)
    dated = [e for e in snap["events"] if e["start"]]
    assert sum(1 for x in lines if x["timestamp_desc"].startswith("Event time (")) == len(dated)


def test_export_timelinejs(cli: Any, db: Path) -> None:
    _code, out, _ = cli("export", "--format", "timelinejs", "--story",
                       _snapshot(cli)["events"][0]["story"])
    doc = json.loads(out)
    assert "headline" in doc["title"]["text"]
    for e in doc["events"]:
        assert {"start_date", "text", "group", "unique_id"} <= set(e)
        assert e["start_date"]["year"].isdigit()
        assert "headline" in e["text"]
    snap = _snapshot(cli)
    by_id = {e["id"]: e for e in snap["events"]}
    for e in doc["events"]:
        gran = by_id[e["unique_id"]]["granularity"]
        if gran == "month":
            assert "day" not in e["start_date"] and "month" in e["start_date"]
        if gran == "year":
            assert set(e["start_date"]) == {"year"}


def test_export_ics_parses_back_with_stable_uids(cli: Any, db: Path, tmp_path: Path) -> None:
    from icalendar import Calendar

    out_file = tmp_path / "t.ics"
    code, _, _err = cli("export", "--format", "ics", "-o", str(out_file))
    assert code == 0
    cal = Calendar.from_ical(out_file.read_bytes())
    vevents = list(cal.walk("VEVENT"))
    snap = _snapshot(cli)
    by_id = {e["id"]: e for e in snap["events"]}
    assert len(vevents) == sum(1 for e in snap["events"] if e["start"])
    for ve in vevents:
        e = by_id[str(ve["UID"]).split("@")[0]]
        if e["granularity"] == "day":
            assert ve["DTSTART"].params.get("VALUE") == "DATE" or (isinstance(
                ve["DTSTART"].dt, dt.date) and not isinstance(ve["DTSTART"].dt, dt.datetime))
        assert str(ve["STATUS"]) == ("TENTATIVE" if e["status"] == "planned" else "CONFIRMED")
        assert e["sources"][0]["quote"][:20] in str(ve["DESCRIPTION"])
    # same events, same UIDs: again, and after a no-op re-run
    cli("run", str(db.parent / "corpus"))
    again = tmp_path / "again.ics"
    cli("export", "--format", "ics", "-o", str(again))
    assert again.read_bytes() == out_file.read_bytes()


def test_export_timeml(cli: Any, db: Path, tmp_path: Path) -> None:
    out_dir = tmp_path / "tml"
    _code, _, _ = cli("export", "--format", "timeml", "-o", str(out_dir))
    files = sorted(out_dir.glob("*.tml"))
    assert len(files) == len(_snapshot(cli)["documents"])
    for f in files:
        root = ET.fromstring(f.read_text(encoding="utf-8"))
        text = root.find("TEXT")
        assert text is not None
        assert text.findall("TIMEX3") or text.findall("EVENT")
        for tx in text.findall("TIMEX3"):
            assert tx.get("type") in ("DATE", "TIME", "DURATION", "SET") and tx.get("value")


def test_stats_and_runs(cli: Any, db: Path) -> None:
    code, out, _ = cli("stats", "--format", "json")
    stats = json.loads(out)
    assert stats["log"]["head_seq"] == value(cli.db(), "SELECT max(seq) FROM log")
    assert {r["language"] for r in stats["documents"]} == {"en", "es", "ru"}
    code, out, _ = cli("runs")
    assert code == 0 and "run_id" in out


@pytest.mark.sqlite_only("Datasette metadata of the SQLite file")
def test_datasette_metadata_queries_run_on_the_file(cli: Any, db: Path, tmp_path: Path) -> None:
    meta = tmp_path / "metadata.json"
    code, _, _err = cli("datasette-metadata", "-o", str(meta))
    m = json.loads(meta.read_text())
    (dbmeta,) = m["databases"].values()
    assert {"disagreements", "planned_events", "events_by_day"} <= set(dbmeta["queries"])
    conn = sqlite3.connect(db)
    for q in dbmeta["queries"].values():
        params = {p: "" for p in re.findall(r":(\w+)", q["sql"])}  # a blank form field
        conn.execute(q["sql"], params).fetchall()  # every canned query runs
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    assert set(dbmeta["tables"]) <= tables


def test_show_formats_and_filters(cli: Any, db: Path) -> None:
    for fmt in ("table", "csv", "markdown"):
        code, out, _ = cli("show", "--format", fmt, "--kind", "talks", "--sources")
        assert code == 0 and "talks" in out.lower()
        assert "\x1b[" not in out  # piped: no colour codes
    code, out, _ = cli("show", "--format", "json", "--since", "2024-01", "--until", "2024-02")
    snap = json.loads(out)
    assert snap["events"] and all("2024-01" <= e["start"] < "2024-02" for e in snap["events"])


@pytest.mark.sqlite_only(
    "hand edits of the SQLite file with the sqlite3 shell (PostgreSQL's tamper checks: "
    "tests/test_postgres.py)")
def test_unknown_event_types_are_refused_with_the_seq(db: Path) -> None:
    conn = sqlite3.connect(db)
    head = conn.execute("SELECT max(seq), hash FROM log").fetchone()
    conn.execute("INSERT INTO log (seq, event_id, type, version, stream, data, recorded_at, "
                 "prev_hash, hash) VALUES (?, 'z', 'TimexFound', 99, 's', '{}', 'x', ?, 'h')",
                 (head[0] + 1, head[1]))
    conn.commit()
    with Store(db, readonly=True) as store:
        result = store.verify()
        assert not result.ok and f"seq {head[0] + 1}" in result.message
        (rec,) = store.records(since=head[0])
        with pytest.raises(ev.EventError, match=f"seq {head[0] + 1}"):
            rec.event()
