"""Which files a run reads: only regular files, a bounded iterative walk, any file name kept
losslessly and printed on one line."""

from __future__ import annotations

import os
import signal
import socket
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.storesql import rows, value
from timeline import ingest
from timeline.cli import collect, display_path, read_file
from timeline.cli.files import MAX_DEPTH
from timeline.paths import ESCAPED, escape_path, unescape_path

GOOD = "Leaders met on Wednesday in Geneva and agreed to meet again next month.\n"


@pytest.fixture(autouse=True)
def no_hang() -> Iterator[None]:
    """A FIFO opened for reading blocks forever: turn a regression into a failure."""
    def hung(_signum: int, _frame: Any) -> None:
        raise TimeoutError("blocked (a FIFO opened for reading?)")

    old = signal.signal(signal.SIGALRM, hung)
    signal.alarm(60)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, old)


def paths_in(db: str) -> list[str]:
    return [r[0] for r in rows(db, "SELECT path FROM documents ORDER BY path")]


def lines(err: str) -> list[str]:
    return [x for x in err.splitlines() if not x.startswith("timeline: run ")]


# ------------------------------------------------------------------ escaping


@settings(max_examples=500, deadline=None)
@given(st.binary(max_size=300))
def test_escape_is_reversible_and_printable(raw: bytes) -> None:
    text = escape_path(raw)
    assert unescape_path(text) == raw
    assert not any(unicodedata.category(c) in ("Cc", "Zl", "Zp", "Cs") for c in text)
    assert not any(ord(c) in ESCAPED for c in text)
    assert len(text.splitlines()) <= 1
    # a name as Python's os functions give it (surrogate escapes) escapes the same way
    assert escape_path(os.fsdecode(raw)) == text


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=100))
def test_printable_text_is_left_alone(name: str) -> None:
    text = escape_path(name)
    assert unescape_path(text) == name.encode("utf-8")
    if not any(ord(c) in ESCAPED or c == "\\" for c in name):
        assert text == name


@pytest.mark.parametrize(("raw", "shown"), [
    (b"caf\xe9.txt", "caf\\xe9.txt"),
    ("café.txt", "café.txt"),
    ("new\nline.txt", "new\\nline.txt"),
    ("tab\there", "tab\\there"),
    ("back\\slash", "back\\\\slash"),
    ("\x1b[31mred", "\\x1b[31mred"),
    ("\u202egnp.exe", "\\xe2\\x80\\xaegnp.exe"),
    ("\x85next", "\\xc2\\x85next"),
    ("привет.txt", "привет.txt"),
])
def test_documented_examples(raw: str | bytes, shown: str) -> None:
    assert escape_path(raw) == shown
    assert unescape_path(shown) == (raw if isinstance(raw, bytes) else raw.encode())


@pytest.mark.parametrize("bad", ["a\\", "a\\q", "\\x4", "\\xZZ", "\\X41"])
def test_unescape_refuses_what_escape_never_makes(bad: str) -> None:
    with pytest.raises(ValueError):
        unescape_path(bad)


def test_odd_names_land_escaped_and_rerun_unchanged(cli: Any, tmp_path: Path) -> None:
    d = tmp_path / "in"
    d.mkdir()
    (d / "good.txt").write_text(GOOD)
    Path(os.fsdecode(bytes(d) + b"/caf\xe9.txt")).write_text("They met on Monday in Paris.\n")
    (d / "new\nline.txt").write_text("They met on Tuesday in Rome.\n")
    code, _, err = cli("run", "in")
    assert code == 0, err
    assert paths_in(cli.db()) == ["in/caf\\xe9.txt", "in/good.txt",
                                                   "in/new\\nline.txt"]
    code, _, err = cli("run", "in")
    assert code == 0, err
    assert "3 files (0 new, 0 revised, 3 unchanged" in err
    code, out, _ = cli("documents", "--format", "csv")
    assert "in/caf\\xe9.txt" in out and "in/new\\nline.txt" in out


def test_a_rejected_file_with_a_newline_is_named_on_one_line(cli: Any, tmp_path: Path) -> None:
    d = tmp_path / "in"
    d.mkdir()
    (d / "good.txt").write_text(GOOD)
    (d / "x\ntimeline: all fine\n.txt").write_bytes(b"")
    code, _, err = cli("run", "in")
    assert code == 1
    assert lines(err) == ["timeline: in/x\\ntimeline: all fine\\n.txt: empty file"]
    assert paths_in(cli.db()) == ["in/good.txt"]


def test_an_undecodable_directory_named_on_the_command_line(cli: Any, tmp_path: Path) -> None:
    d = Path(os.fsdecode(bytes(tmp_path) + b"/d\xff"))
    d.mkdir()
    (d / "good.txt").write_text(GOOD)
    code, _, err = cli("run", str(d))
    assert code == 0, err
    assert paths_in(cli.db()) == ["d\\xff/good.txt"]
    started = value(cli.db(), "SELECT data FROM log WHERE type = 'RunStarted'")
    assert "d\\\\xff" in started  # the escaped form, JSON-quoted


def test_display_path_is_relative_inside_the_working_directory(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert display_path(tmp_path / "a" / "b.txt") == "a/b.txt"
    assert display_path(Path("/elsewhere/x\n.txt")) == "/elsewhere/x\\n.txt"


# ------------------------------------------------------------------ only regular files


def test_a_fifo_in_the_folder_is_skipped_and_the_rest_lands(cli: Any, tmp_path: Path) -> None:
    d = tmp_path / "in"
    d.mkdir()
    (d / "good.txt").write_text(GOOD)
    os.mkfifo(d / "pipe.txt")
    code, _, err = cli("run", "in")
    assert code == 1
    assert lines(err) == ["timeline: in/pipe.txt: not a regular file (FIFO), skipped"]
    assert paths_in(cli.db()) == ["in/good.txt"]


def test_special_files_named_on_the_command_line(cli: Any, tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text(GOOD)
    os.mkfifo(tmp_path / "pipe")
    code, _, err = cli("run", "pipe", "/dev/null", "good.txt")
    assert code == 1
    assert lines(err) == ["timeline: pipe: not a regular file (FIFO), skipped",
                          "timeline: /dev/null: not a regular file (character device), skipped"]
    assert paths_in(cli.db()) == ["good.txt"]


def test_a_socket_in_the_folder_is_skipped(cli: Any, tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    d = tmp_path / "in"
    d.mkdir()
    (d / "good.txt").write_text(GOOD)
    monkeypatch.chdir(d)  # a socket's path must be short
    with socket.socket(socket.AF_UNIX) as s:
        s.bind("sock.txt")
        monkeypatch.chdir(tmp_path)
        code, _, err = cli("run", "in")
    assert code == 1
    assert lines(err) == ["timeline: in/sock.txt: not a regular file (socket), skipped"]


def test_reading_refuses_a_fifo_swapped_in_after_the_listing(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "a.txt")
    with pytest.raises(ingest.IngestError, match=r"not a regular file \(FIFO\)"):
        read_file(tmp_path / "a.txt", 1000)
    with pytest.raises(ingest.IngestError, match=r"not a regular file \(directory\)"):
        read_file(tmp_path, 1000)


def test_read_file_reads_at_most_one_byte_over_the_limit(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_bytes(b"x" * 5000)
    assert read_file(tmp_path / "a.txt", 5000) == b"x" * 5000
    with pytest.raises(ingest.IngestError, match="file too large"):
        read_file(tmp_path / "a.txt", 4999)


@pytest.mark.parametrize("command", [["run", "good.txt"], ["show"], ["verify"]])
@pytest.mark.sqlite_only("the database file is a FIFO")
def test_a_database_that_is_a_fifo_is_refused(cli: Any, tmp_path: Path,
                                              command: list[str]) -> None:
    (tmp_path / "good.txt").write_text(GOOD)
    os.mkfifo(tmp_path / "t.db")
    code, _, err = cli("--db", "t.db", *command)
    assert code == 2
    assert err.splitlines() == ["timeline: t.db: is a FIFO, not a database file; "
                                "refusing to open it"]


@pytest.mark.sqlite_only("the database file is a device")
def test_a_database_that_is_a_device_is_refused(cli: Any) -> None:
    code, _, err = cli("--db", "/dev/null", "show")
    assert code == 2
    assert err.splitlines() == ["timeline: /dev/null: is a character device, not a database "
                                "file; refusing to open it"]


@pytest.mark.parametrize("side", ["t.db.lock", "t.db.lock.info"])
@pytest.mark.sqlite_only("the SQLite store's lock file is a FIFO")
def test_a_lock_file_that_is_a_fifo_is_refused(cli: Any, tmp_path: Path, side: str) -> None:
    (tmp_path / "good.txt").write_text(GOOD)
    os.mkfifo(tmp_path / side)
    code, _, err = cli("--db", "t.db", "run", "good.txt")
    assert code == 2
    assert err.splitlines() == [f"timeline: {side}: is a FIFO, not a regular file; "
                                "refusing to use it"]
    assert not (tmp_path / "t.db").exists()


# ------------------------------------------------------------------ the walk


def nest(top: Path, depth: int) -> list[Path]:
    """`depth` nested directories under `top` (without the recursion of os.makedirs)."""
    dirs, d = [], top
    for _ in range(depth):
        d = d / "d"
        os.mkdir(d)
        dirs.append(d)
    return dirs


def rmtree(top: Path) -> None:
    """shutil.rmtree recurses on Python 3.11: remove a deep tree with a loop."""
    todo = [top]
    while todo:
        d = todo[-1]
        subdirs = [e.path for e in os.scandir(d) if e.is_dir(follow_symlinks=False)]
        if subdirs:
            todo += map(Path, subdirs)
            continue
        for e in os.scandir(d):
            os.unlink(e.path)
        os.rmdir(d)
        todo.pop()


def test_a_thousand_nested_directories(cli: Any, tmp_path: Path) -> None:
    top = tmp_path / "deep"
    top.mkdir()
    (top / "good.txt").write_text(GOOD)
    dirs = nest(top, 1000)
    (dirs[MAX_DEPTH - 1] / "at-the-limit.txt").write_text("They met on Monday in Oslo.\n")
    (dirs[MAX_DEPTH] / "too-deep.txt").write_text("They met on Friday in Bern.\n")
    (dirs[-1] / "bottom.txt").write_text("They met on Sunday in Rome.\n")
    try:
        code, _, err = cli("run", "deep")
        assert code == 1, err
        too_deep = display_path(dirs[MAX_DEPTH])
        assert lines(err) == [f"timeline: {too_deep}: directories nested more than "
                              f"{MAX_DEPTH} levels deep, skipped"]
        assert paths_in(cli.db()) == [
            display_path(dirs[MAX_DEPTH - 1] / "at-the-limit.txt"), "deep/good.txt"]
    finally:
        rmtree(top)


def reference_walk(top: Path) -> list[Path]:
    """Today's order (before the rewrite): os.walk, sorted, top-down."""
    out = []
    for root, dirs, names in os.walk(top, followlinks=True):
        dirs.sort()
        out += [Path(root) / n for n in sorted(names)
                if n.lower().endswith((".txt", ".md", ".html", ".htm", ".tml"))
                and not n.startswith(".")]
    return out


def test_the_walk_keeps_the_order_suffixes_and_hidden_files_of_before(tmp_path: Path) -> None:
    top = tmp_path / "top"
    for rel in ["b/z.txt", "b/a.md", "a/c/x.html", "a/y.TXT", "a/.hidden.txt", "a/notes.doc",
                ".dot/seen.txt", "top.htm", "c.tml", "B/q.txt", "../outside/o.txt"]:
        (top / rel).parent.mkdir(parents=True, exist_ok=True)
        (top / rel).write_text(GOOD)
    os.symlink(tmp_path / "outside", top / "a" / "link-out")
    files, problems = collect([str(top)])
    assert problems == []
    assert files == reference_walk(top)
    assert top / "a" / "link-out" / "o.txt" in files
    assert top / "a" / ".hidden.txt" not in files
    assert top / ".dot" / "seen.txt" in files


def test_loops_broken_links_and_unlistable_directories(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    d = tmp_path / "in"
    (d / "sub").mkdir(parents=True)
    (d / "good.txt").write_text(GOOD)
    os.symlink("..", d / "sub" / "up")
    os.symlink(d / "gone.txt", d / "dangling.txt")
    os.symlink(d / "gone", d / "dangling-dir")
    files, problems = collect(["in"])
    assert files == [Path("in/dangling.txt"), Path("in/good.txt")]
    assert problems == [("in/sub/up", "directory loop (symbolic link to an ancestor), skipped")]
    os.symlink(d / "nothing", tmp_path / "arg.txt")
    assert collect(["arg.txt"]) == ([], [("arg.txt", "broken symbolic link")])
    if os.geteuid() != 0:  # root lists any directory
        (d / "sub").chmod(0)
        try:
            _, problems = collect(["in"])
        finally:
            (d / "sub").chmod(0o755)
        assert problems == [("in/sub", "cannot list directory: Permission denied")]


def test_tag_names_an_odd_file_escaped(cli: Any, tmp_path: Path) -> None:
    Path(os.fsdecode(bytes(tmp_path) + b"/caf\xe9\n.txt")).write_text("They met on Monday.\n")
    os.mkfifo(tmp_path / "pipe.txt")
    code, out, err = cli("tag", os.fsdecode(b"caf\xe9\n.txt"), "pipe.txt")
    assert code == 1
    assert out.splitlines()[0].startswith('{"file": "caf\\\\xe9\\\\n.txt", ')
    assert err.splitlines() == ["timeline: pipe.txt: not a regular file (FIFO), skipped"]


@pytest.mark.parametrize("where", ["tmp", "root"])
def test_display_path_is_pathlibs_relative_to_the_working_directory(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, where: str) -> None:
    """display_path takes the working directory off by strings (a run shows every file of
    its corpus); it must say what Path.absolute().relative_to(Path.cwd()) says."""
    cwd = tmp_path if where == "tmp" else Path("/")
    monkeypatch.chdir(cwd)
    here = str(cwd)

    def pathlib_form(p: str | Path) -> str:
        absolute = Path(p).absolute()
        try:
            shown = absolute.relative_to(Path.cwd())
        except ValueError:
            shown = absolute
        return escape_path(os.fsencode(shown))

    names = ["a.txt", "./a.txt", "a/./b/", "../x.txt", ".", here, here + "/", here + "/d/e",
             here + "x/y", here + "//d", "/", "/elsewhere", "//x", "///y", "x\n.txt",
             here + "/../" + cwd.name + "/q"]
    for p in names + [Path(p) for p in names]:
        assert display_path(p) == pathlib_form(p), p
