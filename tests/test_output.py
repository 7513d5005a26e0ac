"""What the CLI writes for other programs: CSV a spreadsheet will not execute, and output
files that are whole or absent and never land on the database or on a non-regular file."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest

from timeline import export, render

FORMULA_TITLE = '=HYPERLINK("https://evil.example/","click")'
FILLER = " ".join(["The council met again and discussed the budget for the bridge."] * 10)


@pytest.fixture
def db(cli: Any, tmp_path: Path) -> Path:
    d = tmp_path / "in"
    d.mkdir()
    (d / "a.txt").write_text(f"{FORMULA_TITLE}\n\nThe mayor signed the deal on Monday, "
                             f"March 4, 2024, in Springfield.\n\n{FILLER}\n", encoding="utf-8")
    (d / "b.txt").write_text(f"@everyone +1 -2\n\nThe council voted on March 11, 2024.\n\n"
                             f"{FILLER}\n", encoding="utf-8")
    code, _, error = cli("run", str(d), "--quiet")
    assert code == 0, error
    return tmp_path / "timeline.db"


# ------------------------------------------------------------------ CSV formula neutralisation


def test_csv_cell_rule() -> None:
    for raw in ("=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"):
        assert render.csv_cell(raw) == "'" + raw
    for kept in (-3, -2.5, 0, 7, "x=1", "ok", "", "'=already", " =x"):
        assert render.csv_cell(kept) == kept
    assert render.csv_cell(None) == ""


def test_documents_csv_neutralises_formulas(cli: Any, db: Path) -> None:
    code, out, _ = cli("documents", "--format", "csv")
    assert code == 0
    titles = {r["title"] for r in csv.DictReader(io.StringIO(out))}
    assert titles == {"'" + FORMULA_TITLE, "'@everyone +1 -2"}


def test_query_csv_neutralises_text_and_keeps_numbers(cli: Any, db: Path) -> None:
    code, out, _ = cli("query", "SELECT '=1+1' AS f, -3 AS n, -2.5 AS x, '-3' AS t, "
                       "'+a' AS p, '@b' AS at, 'fine' AS ok, title AS \"=col\" "
                       "FROM documents ORDER BY title LIMIT 1", "--format", "csv")
    assert code == 0
    [header, row] = list(csv.reader(io.StringIO(out)))
    assert header == ["f", "n", "x", "t", "p", "at", "ok", "'=col"]
    assert row == ["'=1+1", "-3", "-2.5", "'-3", "'+a", "'@b", "fine", "'" + FORMULA_TITLE]


def test_json_keeps_the_formula_as_data(cli: Any, db: Path) -> None:
    import json

    code, out, _ = cli("query", "SELECT title FROM documents ORDER BY title", "--format",
                       "json")
    assert [r["title"] for r in json.loads(out)] == [FORMULA_TITLE, "@everyone +1 -2"]


def test_export_csv_neutralises_formulas() -> None:
    snap = {"documents": [], "conflicts": [], "constraints": [], "events": [
        {"id": "ev-1", "rank": 1, "start": "2024-03-04", "end": None, "kind": "talks",
         "title": "=cmd|' /C calc'!A0", "status": "occurred", "sources": []}]}
    [row] = list(csv.DictReader(io.StringIO(export.to_csv(snap))))
    assert row["title"] == "'=cmd|' /C calc'!A0" and row["rank"] == "1"
