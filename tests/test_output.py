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


def test_runs_has_program_formats(cli: Any, db: Path) -> None:
    code, out, _ = cli("runs", "--format", "csv")
    [row] = list(csv.DictReader(io.StringIO(out)))
    assert row["new"] == "2" and row["seqs"].startswith("1-")


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


# ------------------------------------------------------------------ safe writes


def _leftovers(d: Path) -> list[str]:
    return sorted(p.name for p in d.iterdir() if p.name.endswith(".tmp"))


def _db_state(db: Path) -> tuple[int, bytes]:
    return db.stat().st_ino, db.read_bytes()


def test_export_writes_whole_file_and_no_temporary(cli: Any, db: Path, tmp_path: Path) -> None:
    code, _, error = cli("export", "--format", "ics", "-o", "out.ics")
    assert code == 0, error
    assert (tmp_path / "out.ics").read_bytes().startswith(b"BEGIN:VCALENDAR")
    assert (tmp_path / "out.ics").stat().st_mode & 0o777 == 0o666 & ~_umask()
    assert _leftovers(tmp_path) == []


def _umask() -> int:
    import os

    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_replacing_keeps_the_old_file_mode(cli: Any, db: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.json"
    out.write_text("old")
    out.chmod(0o600)
    code, _, _ = cli("export", "--format", "json", "-o", str(out))
    assert code == 0 and out.read_text().startswith("{")
    assert out.stat().st_mode & 0o777 == 0o600


def test_a_planted_tmp_link_is_never_followed(cli: Any, db: Path, tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    (tmp_path / "out.csv.tmp").symlink_to(victim)
    code, _, _ = cli("export", "--format", "csv", "-o", "out.csv")
    assert code == 0
    assert victim.read_text() == "precious"
    assert (tmp_path / "out.csv").read_text().startswith("id,rank")
    assert (tmp_path / "out.csv.tmp").is_symlink()  # not ours: left as it was


def test_a_link_to_a_regular_file_is_replaced_not_written_through(
        cli: Any, db: Path, tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    (tmp_path / "out.json").symlink_to(victim)
    code, _, _ = cli("export", "--format", "json", "-o", "out.json")
    assert code == 0
    assert victim.read_text() == "precious"
    assert not (tmp_path / "out.json").is_symlink()


@pytest.mark.parametrize("target", ["timeline.db", "./timeline.db", "timeline.db-wal",
                                    "timeline.db-shm", "timeline.db.lock", "timeline.db.crash.log",
                                    "link-to-db",
                                    "hardlink-to-db"])
@pytest.mark.sqlite_only(
    "refuses to write an output over the SQLite database file or its side files")
def test_refuses_to_overwrite_the_database(cli: Any, db: Path, tmp_path: Path,
                                           target: str) -> None:
    import os

    (tmp_path / "link-to-db").symlink_to(db)
    os.link(db, tmp_path / "hardlink-to-db")
    before = _db_state(db)
    for args in (["export", "--format", "json", "-o", target],
                 ["datasette-metadata", "-o", target]):
        code, out, error = cli(*args)
        assert code == 2, (args, error)
        assert len(error.splitlines()) == 1 and "refusing to overwrite the database" in error
        assert "Traceback" not in error
    assert _db_state(db) == before
    for companion in ("timeline.db-wal", "timeline.db-shm"):
        f = tmp_path / companion
        assert not f.exists() or not f.read_bytes().startswith(b"{")  # not our JSON
    assert cli("verify")[0] == 0
    assert _leftovers(tmp_path) == []


@pytest.mark.sqlite_only(
    "refuses to write an output over the SQLite database file or its side files")
def test_refuses_the_database_given_by_another_name(cli: Any, db: Path, tmp_path: Path) -> None:
    sub = tmp_path / "sub"
    sub.mkdir()
    code, _, error = cli("--db", str(db), "export", "--format", "json", "-o",
                         str(sub / ".." / "timeline.db"))
    assert code == 2 and "database" in error


@pytest.mark.parametrize("kind", ["fifo", "directory", "device", "link-to-fifo"])
def test_refuses_a_non_regular_target(cli: Any, db: Path, tmp_path: Path, kind: str) -> None:
    import os

    target = tmp_path / "target"
    if kind == "fifo":
        os.mkfifo(target)
    elif kind == "directory":
        target.mkdir()
    elif kind == "device":  # a private /dev/full: a broken build must not clobber the real one
        import stat

        try:
            os.mknod(target, stat.S_IFCHR | 0o666, os.makedev(1, 7))
        except (PermissionError, OSError):
            pytest.skip("cannot create a device node here")
    else:
        os.mkfifo(tmp_path / "fifo")
        target.symlink_to(tmp_path / "fifo")
    code, _, error = cli("export", "--format", "csv", "-o", str(target))  # must not block
    assert code == 2, error
    assert len(error.splitlines()) == 1 and "refusing to write" in error
    assert _leftovers(tmp_path) == []
    if kind == "directory":
        assert list(target.iterdir()) == []


def test_missing_parent_is_one_line(cli: Any, db: Path, tmp_path: Path) -> None:
    code, _, error = cli("export", "--format", "json", "-o", "no/such/dir/out.json")
    assert code == 2
    assert error.splitlines() == [
        "timeline: no/such/dir/out.json: cannot write: no such directory no/such/dir"]


@pytest.mark.parametrize("failing", ["write", "fsync"])
def test_full_disk_is_one_line_and_leaves_the_old_file(
        cli: Any, db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        failing: str) -> None:
    import errno
    import os

    from timeline.cli import output

    out = tmp_path / "out.json"
    out.write_text("the previous export")

    def full(*_a: Any) -> Any:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(output.os, failing, full)
    code, _, error = cli("export", "--format", "json", "-o", str(out))
    monkeypatch.undo()
    assert code == 2
    assert error.splitlines() == [f"timeline: {out}: cannot write: No space left on device"]
    assert out.read_text() == "the previous export"
    assert _leftovers(tmp_path) == []


def test_permission_error_is_one_line(cli: Any, db: Path, tmp_path: Path,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    import errno
    import os

    from timeline.cli import output

    def denied(*_a: Any, **_k: Any) -> Any:
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES))

    monkeypatch.setattr(output.tempfile, "mkstemp", denied)
    code, _, error = cli("datasette-metadata", "-o", "meta.json")
    monkeypatch.undo()
    assert code == 2
    assert error.splitlines() == ["timeline: meta.json: cannot write: Permission denied"]


def test_read_only_directory_for_real(cli: Any, db: Path, tmp_path: Path) -> None:
    import os

    if os.geteuid() == 0:
        pytest.skip("root writes anywhere")
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o500)
    try:
        code, _, error = cli("export", "--format", "json", "-o", str(ro / "x.json"))
    finally:
        ro.chmod(0o700)
    assert code == 2 and len(error.splitlines()) == 1 and "Permission denied" in error


def test_timeml_directory_export(cli: Any, db: Path, tmp_path: Path) -> None:
    code, _, error = cli("export", "--format", "timeml", "-o", "tml/nested")
    assert code == 0, error
    files = sorted((tmp_path / "tml" / "nested").iterdir())
    assert len(files) == 2 and all(f.suffix == ".tml" for f in files)
    assert all(f.read_text().startswith("<?xml") for f in files)
    (tmp_path / "plain-file").write_text("x")
    code, _, error = cli("export", "--format", "timeml", "-o", "plain-file")
    assert code == 2 and len(error.splitlines()) == 1 and "not a directory" in error


@pytest.mark.sqlite_only(
    "refuses to write an output over the SQLite database file or its side files")
def test_timeml_export_refuses_the_database_file(cli: Any, db: Path) -> None:
    code, _, error = cli("export", "--format", "timeml", "-o", "timeline.db")
    assert code == 2
    assert cli("verify")[0] == 0


def test_datasette_metadata_default(cli: Any, db: Path, tmp_path: Path) -> None:
    code, _, error = cli("datasette-metadata")
    assert code == 0
    assert (tmp_path / "metadata.json").read_text().startswith("{")
    assert "wrote metadata.json" in error
