"""Terminal safety: nothing from a document reaches a terminal as a control character, an
escape sequence or rich markup. Checked on `render.safe` itself and end to end through a
pseudo-terminal, where rich believes a person is watching and styles its output."""

from __future__ import annotations

import os
import re
import select
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from timeline import render
from timeline.cli import err, main

ROOT = Path(__file__).resolve().parents[1]

OSC8_ST = "\x1b]8;;https://evil.example/\x1b\\click me\x1b]8;;\x1b\\"
OSC8_BEL = "\x1b]8;;https://evil.example/\x07tap\x1b]8;;\x07"
HOSTILE = (f"Mayor \x1b[31mRed\x1b[0m signs \u202eevil\u202c [bold]deal[/bold] "
           f"[link=https://x]here[/link] {OSC8_ST}")
FILLER = " ".join(["The council met again and discussed the budget for the bridge."] * 25)
ARTICLE = (f"{HOSTILE}\n\n"
           f"Mayor \x1b[31mRed\x1b[0m signed the \u202eevil\u202c [bold]deal[/bold] on Monday, "
           f"March 4, 2024, in Springfield. [link=x]here[/link] {OSC8_BEL} "
           f"She said the [/bold] council would vote on March 11, 2024.\n\n{FILLER}\n")

DANGEROUS = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029"
                       "\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


# ------------------------------------------------------------------ render.safe


@pytest.mark.parametrize(("raw", "shown"), [
    ("Mayor \x1b[31mRed\x1b[0m", "Mayor \\x1bRed\\x1b"),                 # CSI (SGR)
    ("\x1b[2J\x1b[1;1Hwiped", "\\x1b\\x1bwiped"),                        # CSI clear + move
    (f"a {OSC8_ST} b", "a \\x1bclick me\\x1b b"),                       # OSC 8, ST-terminated
    (f"a {OSC8_BEL} b", "a \\x1btap\\x1b b"),                           # OSC 8, BEL-terminated
    ("\x1b]0;pwned title\x07after", "\\x1bafter"),                      # OSC window title
    ("\x1b]52;c;bWFsaWNl\x07x", "\\x1bx"),                              # OSC 52 clipboard
    ("\x1bP+q544e\x1b\\x", "\\x1bx"),                                   # DCS
    ("\x1b_apc payload\x1b\\x", "\\x1bx"),                              # APC
    ("\x1b^pm payload\x1b\\x", "\\x1bx"),                               # PM
    ("\x1b]8;;https://never-ends", "\\x1b"),                            # unterminated OSC
    ("reset\x1bc", "reset\\x1b"),                                       # two-byte ESC c
    ("lone \x1b", "lone \\x1b"),
    ("\x9b31mred\x9d8;;u\x9c", "\\x9b31mred\\x9d8;;u\\x9c"),              # 8-bit C1
    ("bell\x07 bs\x08 del\x7f nul\x00", "bell\\x07 bs\\x08 del\\x7f nul\\x00"),
    ("a\nb\tc\rd", "a\\nb\\tc\\rd"),
    ("\u202eevil\u202c \u2066x\u2069 \u200e\u200f\u061c", "\\u202eevil\\u202c \\u2066x\\u2069 "
     "\\u200e\\u200f\\u061c"),
    ("line\u2028sep", "line\\u2028sep"),
    ("caf\udce9.txt", "caf\\udce9.txt"),                                # surrogate-escaped
    ("[bold]x[/bold] [link=https://x]y[/link] \\x1b é 日本 😀", None),    # untouched
])
def test_safe_neutralises_each_kind(raw: str, shown: str | None) -> None:
    assert render.safe(raw) == (raw if shown is None else shown)


def test_safe_multiline_keeps_newline_and_tab_only() -> None:
    assert render.safe("a\nb\tc\rd\x1b[1m", multiline=True) == "a\nb\tc\\rd\\x1b"


@given(st.text(alphabet=st.characters(codec=None, exclude_categories=())))
def test_safe_output_is_inert_and_idempotent(text: str) -> None:
    shown = render.safe(text)
    assert not DANGEROUS.search(shown)
    assert render.safe(shown) == shown
    if not DANGEROUS.search(text):
        assert shown == text
    shown.encode("utf-8")  # printable: no lone surrogate left to raise


def test_safe_is_linear_on_a_long_unterminated_sequence() -> None:
    # a bound to catch a hang, not a speed measurement
    text = "\x1b[" + "1;" * 200_000 + "\x1b]" + "x" * 200_000
    t0 = time.monotonic()
    assert render.safe(text) == "\\x1b\\x1b"
    assert time.monotonic() - t0 < 5


def test_table_never_reads_markup_or_raises() -> None:
    from rich.console import Console

    console = Console(record=True, width=200, force_terminal=True)
    console.print(render.table("matching '[/bold]'", ["[/x]", "b"],
                               [["[bold]x[/bold]", "[link=https://x]y"], [None, 3]]))
    text = console.export_text()
    assert "matching '[/bold]'" in text and "[/x]" in text
    assert "[bold]x[/bold]" in text and "[link=https://x]y" in text


def test_out_console_prints_strings_as_written(capsys: pytest.CaptureFixture[str]) -> None:
    from timeline.cli import out_console

    console = out_console()
    console.print("[bold]x[/bold] :smile: [/link]")
    console.file.flush()
    assert capsys.readouterr().out == "[bold]x[/bold] :smile: [/link]\n"


def test_err_is_always_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    err("bad/evil\nforged: run ok\x1b[31m.txt: rejected")
    lines = capsys.readouterr().err.splitlines()
    assert lines == ["timeline: bad/evil\\nforged: run ok\\x1b.txt: rejected"]


def test_rejected_file_with_newline_in_name_is_one_line(cli: Any, tmp_path: Path) -> None:
    d = tmp_path / "in"
    d.mkdir()
    (d / "evil\nforged\x1b]0;x\x07.txt").write_bytes(b"\x00\x01binary")
    code, _, error = cli("run", str(d))
    assert code == 1
    rejected = [line for line in error.splitlines() if "binary" in line]
    # the name is kept losslessly (timeline.paths): every byte shown, none acted on
    assert len(rejected) == 1 and "evil\\nforged\\x1b]0;x\\x07.txt" in rejected[0]
    assert "\x1b" not in error


# ------------------------------------------------------------------ through a pseudo-terminal


def _pty_run(args: list[str], cwd: Path) -> tuple[int, bytes]:
    """Run `python -m timeline ARGS` with stdin, stdout and stderr on a pseudo-terminal."""
    master, slave = os.openpty()
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    env.update(TERM="xterm", COLUMNS="220", LINES="60", PYTHONPATH=str(ROOT))
    proc = subprocess.Popen([sys.executable, "-m", "timeline", *args], cwd=cwd, stdin=slave,
                            stdout=slave, stderr=slave, env=env, close_fds=True)
    os.close(slave)
    out, deadline = b"", time.monotonic() + 60
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([master], [], [], 1.0)
            if not ready:
                if proc.poll() is not None:
                    break
                continue
            try:
                chunk = os.read(master, 65536)
            except OSError:  # EIO: the child side closed
                break
            if not chunk:
                break
            out += chunk
        code = proc.wait(timeout=10)
    finally:
        os.close(master)
        if proc.poll() is None:
            proc.kill()
    return code, out


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory: pytest.TempPathFactory,
               request: pytest.FixtureRequest) -> Iterator[tuple[Path, str]]:
    """(a working directory, the `--db` of a store holding the hostile article), made once
    for the module: a SQLite file in the directory, or under --store postgres a database of
    the test server (tests/pgcluster.py), dropped after the module."""
    root = tmp_path_factory.mktemp("hostile")
    d = root / "in"
    d.mkdir()
    (d / "evil[bold]\u202e.txt").write_text(ARTICLE, encoding="utf-8")
    db, made, server = str(root / "timeline.db"), None, ""
    if request.config.getoption("--store") == "postgres":
        from tests import pgcluster

        server = request.getfixturevalue("pg_server")
        db, made = pgcluster.with_database(server)
    assert main(["--db", db, "run", str(d), "--quiet"]) == 0
    yield root, db
    if made is not None:
        from tests import pgcluster

        pgcluster.drop_database(server, made)


SGR = re.compile(rb"\x1b\[[0-9;]*m")


@pytest.mark.parametrize("args", [
    ["show", "--documents"], ["show", "--sources"], ["documents"], ["search", "deal"],
    ["search", "[/bold]"],
    ["query", "SELECT title, path, date_evidence FROM documents"], ["log", "--type",
                                                                   "DocumentIngested"],
    ["diff", "--from", "0"], ["runs"],
], ids=lambda a: " ".join(a))
@pytest.mark.store
def test_nothing_from_a_document_reaches_the_terminal(hostile_db: tuple[Path, str],
                                                      args: list[str]) -> None:
    root, db = hostile_db
    code, out = _pty_run(["--db", db, *args], root)
    assert code == 0, out
    assert b"Traceback" not in out
    # the data's own sequences are gone; the only escapes left are rich's colours (SGR)
    assert b"]8;;" not in out and b"evil.example" not in out
    assert b"\x1b[31m" not in out and b"\x07" not in out
    assert "\u202e".encode() not in out
    assert b"\x1b" not in SGR.sub(b"", out)
    assert SGR.search(out), "rich did not think it was on a terminal: the test proves nothing"
    if args[0] in ("show", "documents", "query", "search"):
        plain = SGR.sub(b"", out).decode()
        assert "[bold]" in plain  # markup is printed as the text it is
        assert "\\x1b" in plain and "\\u202e" in plain  # and the controls are visibly marked


def test_search_for_markup_closing_tag_does_not_raise(cli: Any,
                                                      hostile_db: tuple[Path, str]) -> None:
    code, out, error = cli("--db", hostile_db[1], "search", "[/bold]")
    assert code == 0 and "Traceback" not in error
    assert "events matching '[/bold]'" in out


def test_program_formats_keep_the_data_as_it_is(cli: Any, hostile_db: tuple[Path, str]) -> None:
    import json

    code, out, _ = cli("--db", hostile_db[1], "documents", "--format", "json")
    [doc] = json.loads(out)
    assert doc["title"] == HOSTILE


@pytest.mark.parametrize("args", [["show", "--sources"], ["documents"], ["search", "deal"],
                                  ["documents", "--format", "markdown"]])
def test_piped_human_formats_are_neutralised_too(cli: Any, hostile_db: tuple[Path, str],
                                                 args: list[str]) -> None:
    # `timeline show | less -R` still reaches a terminal
    code, out, _ = cli("--db", hostile_db[1], *args)
    assert code == 0
    assert not DANGEROUS.search(out.replace("\n", ""))
    assert "[bold]" in out and "[/bold]" in out  # printed, not read as markup
