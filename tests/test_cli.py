"""The CLI end to end, in a temporary directory, with the clock frozen."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import SEEDS
from freezegun import freeze_time

from tests.storesql import value


@freeze_time("2026-01-02 03:04:05")
def test_run_is_idempotent_and_shows_documents(cli, seeds: Path) -> None:
    code, _, err = cli("run", str(seeds))
    assert code == 0, err
    assert "5 new" in err
    n = value(cli.db(), "SELECT count(*) FROM log")
    assert value(cli.db(), "SELECT min(recorded_at) FROM log").startswith("2026-01-02T03:04:05")
    code, _, err = cli("run", str(seeds))
    assert code == 0
    assert value(cli.db(), "SELECT count(*) FROM log") == n  # nothing appended
    code, out, _ = cli("show", "--format", "json")
    snap = json.loads(out)
    assert set(snap) == {"documents", "events", "conflicts", "constraints"}
    assert len(snap["documents"]) == 5
    assert {"id", "path", "title", "language", "date", "date_basis", "date_evidence"} <= set(
        snap["documents"][0])
    headers = {d["path"].split("/")[-1]: d for d in snap["documents"]}
    assert headers["002_99bf8ed5f41f55a2.txt"]["date"] == "2023-09-14"
    assert headers["002_99bf8ed5f41f55a2.txt"]["date_basis"] == "header"
    code, out, _ = cli("show")
    assert code == 0 and "2023-09-14" in out
    code, out, _ = cli("verify")
    assert code == 0 and out.startswith(f"ok {n} events")


def test_same_content_under_another_name_appends_nothing(cli, seeds: Path, tmp_path: Path) -> None:
    cli("run", str(seeds))
    other = tmp_path / "renamed"
    other.mkdir()
    for f in SEEDS:
        (other / ("x_" + f.name)).write_bytes(f.read_bytes())
    code, _, err = cli("run", str(other))
    assert code == 0 and "0 new" in err and "0 log records appended" in err


def test_revision_of_a_changed_file(cli, seeds: Path) -> None:
    cli("run", str(seeds))
    target = seeds / SEEDS[1].name
    target.write_text(target.read_text() + "\nUpdate: the talks ended on Thursday.\n")
    code, _, err = cli("run", str(seeds))
    assert code == 0 and "1 revised" in err
    code, out, _ = cli("log", "--type", "DocumentRevised", "--format", "jsonl")
    (rev,) = [json.loads(line) for line in out.splitlines()]
    assert rev["data"]["path"].endswith(SEEDS[1].name)
    code, out, _ = cli("documents", "--format", "json")
    docs = json.loads(out)
    assert len(docs) == 5
    assert rev["data"]["document"][:12] in {d["id"] for d in docs}
    assert rev["data"]["previous"][:12] not in {d["id"] for d in docs}
    versions = value(cli.db(), "SELECT count(*) FROM document_versions")
    assert versions == 6  # the old version is kept


def test_bad_inputs_are_reported_and_the_batch_goes_on(cli, tmp_path: Path) -> None:
    d = tmp_path / "in"
    d.mkdir()
    (d / "good.txt").write_text("The leaders met on Wednesday.")
    (d / "empty.txt").write_bytes(b"")
    (d / "binary.txt").write_bytes(b"\x00\xff\x00\xfe" * 50)
    (d / "baddate.txt").write_text(" date 2023-13-45 Something happened.")
    (d / "big.txt").write_text("word " * 300)
    code, _, err = cli("run", str(d), "--max-bytes", "1000")
    assert code == 1
    lines = [ln for ln in err.splitlines() if not ln.startswith("timeline: run ")]
    assert len(lines) == 4
    for name in ("empty.txt", "binary.txt", "baddate.txt", "big.txt"):
        assert sum(name in ln for ln in lines) == 1
    assert "Traceback" not in err
    code, out, _ = cli("documents", "--format", "json")
    assert [x["path"].split("/")[-1] for x in json.loads(out)] == ["good.txt"]
    assert value(cli.db(), "SELECT count(*) FROM rejections") == 4


def test_usage_errors_exit_2(cli, tmp_path: Path) -> None:
    assert cli("run", str(tmp_path / "missing"))[0] == 2
    with pytest.raises(SystemExit) as exc:
        cli("show", "--format", "nope")
    assert exc.value.code == 2


@pytest.mark.sqlite_only("a file that is not a SQLite database")
def test_a_file_that_is_not_a_database_exits_2(cli, tmp_path: Path) -> None:
    (tmp_path / "notadb.db").write_text("hello")
    code, _, err = cli("--db", "notadb.db", "show")
    assert code == 2 and "not a SQLite database" in err


def test_log_rebuild_and_tag(cli, seeds: Path) -> None:
    cli("run", str(seeds))
    code, out, _ = cli("log", "--since", "0", "--format", "jsonl")
    rows = [json.loads(x) for x in out.splitlines()]
    assert [r["seq"] for r in rows] == list(range(1, len(rows) + 1))
    assert rows[0]["type"] == "RunStarted"
    code, out, _ = cli("rebuild")
    assert code == 0 and f"from {len(rows)} events" in out
    code, out, _ = cli("verify")
    assert code == 0
    code, out, _ = cli("tag", str(seeds / "002_99bf8ed5f41f55a2.txt"))
    spans = [json.loads(x) for x in out.splitlines()]
    text = (seeds / "002_99bf8ed5f41f55a2.txt").read_text()
    assert spans and all(text[s["start"]:s["end"]] == s["text"] for s in spans)
    assert any(s["text"] == "this Wednesday" and s["value"] == "2023-09-13" for s in spans)
    assert any(s["text"] == "this Thursday" and s["value"] == "2023-09-14" for s in spans)
    code, out, _ = cli("tag", "--format", "timeml", "--dct", "2023-09-14",
                       str(seeds / "001_6f5bc28211d38e7f.txt"))
    assert '<TIMEX3 tid="t1" type="DATE" value="2023-09-13">yesterday</TIMEX3>' in out


def test_tag_mode_says_whose_time_a_year_less_date_is_in(cli, tmp_path: Path) -> None:
    doc = tmp_path / "history.txt"
    doc.write_text("The firm was founded in 1998, and on 12 February it said it would cut "
                   "jobs.\n", encoding="utf-8")

    def value_of_12_february(*mode: str) -> str:
        code, out, _ = cli("tag", "--lang", "en", "--dct", "2024-02-20", *mode, str(doc))
        assert code == 0
        return next(json.loads(x)["value"] for x in out.splitlines()
                    if json.loads(x)["text"] == "12 February")

    assert value_of_12_february() == "2024-02-12"  # auto: a year mentioned in passing
    assert value_of_12_february("--mode", "news") == "2024-02-12"
    assert value_of_12_february("--mode", "narrative") == "1998-02-12"
    with pytest.raises(SystemExit) as exc:
        cli("tag", "--mode", "story", str(doc))
    assert exc.value.code == 2
