"""A run says what it is doing while a person watches (every phase, on stderr, on a
terminal) and nothing when nobody does (stderr not a terminal, or --quiet); its summary
counts documents, timeline events and log records apart."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

from conftest import FIXTURES, ROOT

PHASES = ("reading files", "segmenting documents", "linking stories",
          "reconstructing stories", "comparing with the log",
          "finding people, organisations and places")
SUMMARY = re.compile(r"run \S+: 6 files \(6 new, 0 revised, 0 unchanged, 0 rejected\); "
                     r"6 documents, (\d+) timeline events \((\d+) new\), [\d,]+ log records "
                     r"appended")


def _run_on_pty(args: list[str], cwd: Path) -> str:
    from tests.ptyrun import run_on_pty

    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    env.update(TERM="xterm", COLUMNS="160", LINES="40", PYTHONPATH=str(ROOT))
    code, out = run_on_pty(args, env, cwd, seconds=240)
    assert code == 0, out
    return re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", out.decode(errors="replace"))


def _corpus(tmp_path: Path) -> Path:
    for name in ("bailout", "geneva"):
        shutil.copytree(FIXTURES / name, tmp_path / "in" / name)
    return tmp_path / "in"


def test_every_phase_is_shown_on_a_terminal(tmp_path: Path) -> None:
    text = _run_on_pty(["run", "--jobs", "1", str(_corpus(tmp_path))], tmp_path)
    missing = [p for p in PHASES if p not in text]
    assert not missing, missing
    found = SUMMARY.search(text)
    assert found and found.group(1) == found.group(2)  # a first run: every event is new


def test_quiet_and_pipes_get_no_progress(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    corpus = _corpus(tmp_path)
    quiet = _run_on_pty(["--db", "q.db", "run", "--quiet", str(corpus)], tmp_path)
    assert not any(p in quiet for p in PHASES) and "run " not in quiet
    code, _, err = cli("run", str(corpus))  # stderr captured: not a terminal
    assert code == 0 and not any(p in err for p in PHASES)
    first = SUMMARY.search(err)
    assert first, err
    code, _, err = cli("run", str(corpus))
    assert "6 documents" in err and "(" not in err.split(";")[1] and "0 log records" in err
    # a re-run that appends nothing counts the timeline without reading it: the same count
    assert f"6 documents, {first.group(1)} timeline events, 0 log records" in err, err
