"""What a `run` keeps between processes (cli/run_cache.py): parsed resource files and the
patterns it compiles. A kept copy must never be used for a changed file, and a damaged
cache must only mean parsing again."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from timeline.cli import run_cache

PROBE = """
import json, sys
from re import _compiler
compiled = [0]
plain = _compiler.compile
def counting(*a, **k):
    compiled[0] += 1
    return plain(*a, **k)
_compiler.compile = counting
from timeline.cli import main
code = main(sys.argv[1:])
print(json.dumps([code, compiled[0], sorted(sys.modules)]))
"""


def _run(tmp_path: Path, *args: str) -> tuple[int, int, list[str]]:
    env = {**os.environ, "TIMELINE_CACHE_DIR": str(tmp_path / "cache")}
    done = subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True,
                          text=True, env=env, cwd=tmp_path, timeout=300, check=True)
    code, compiled, modules = json.loads(done.stdout.splitlines()[-1])
    return code, compiled, modules


def _article(docs: Path, name: str, day: int) -> None:
    docs.mkdir(exist_ok=True)
    (docs / name).write_text(
        f"date 2025-05-{day:02d}\ntitle: Ferry fares rise in Valdora\n\n"
        f"The port authority in Valdora raised ferry fares by {day} percent on Tuesday, "
        "union leader Marta Quilez said.\n", encoding="utf-8")


@pytest.mark.sqlite_only("runs the CLI in a child process on a database file")
def test_a_second_run_parses_no_resource_and_compiles_few_patterns(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    _article(docs, "a.txt", 12)
    code, first, _ = _run(tmp_path, "--db", "t.db", "run", str(docs))
    assert code == 0
    _article(docs, "b.txt", 13)
    code, second, modules = _run(tmp_path, "--db", "t.db", "run", str(docs))
    assert code == 0
    assert "tomllib" not in modules  # every resource file came parsed from the cache
    assert second * 4 < first, (first, second)  # the patterns came compiled
    # the run parser alone: no query command's modules
    assert "timeline.cli.query" not in modules and "timeline.export" not in modules


def test_a_changed_resource_file_is_parsed_again(tmp_path: Path) -> None:
    f = tmp_path / "r.toml"
    f.write_text('words = ["one"]\n', encoding="utf-8")
    assert run_cache.parse(str(f)) == {"words": ["one"]}
    assert run_cache.parse(str(f)) == {"words": ["one"]}  # the kept copy
    f.write_text('words = ["one", "two"]\n', encoding="utf-8")
    assert run_cache.parse(str(f)) == {"words": ["one", "two"]}


@pytest.mark.sqlite_only("runs the CLI in a child process on a database file")
def test_a_damaged_cache_only_means_parsing_again(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    _article(docs, "a.txt", 12)
    assert _run(tmp_path, "--db", "t.db", "run", str(docs))[0] == 0
    kept = sorted((tmp_path / "cache").glob("resources-*")) + \
        sorted((tmp_path / "cache").glob("run-patterns-*"))
    assert len(kept) == 2
    for f in kept:
        f.write_bytes(f.read_bytes()[:100] + b"\0damaged")
    _article(docs, "b.txt", 13)
    code, _compiled, modules = _run(tmp_path, "--db", "t.db", "run", str(docs))
    assert code == 0 and "tomllib" in modules
    out = subprocess.run([sys.executable, "-m", "timeline", "--db", "t.db", "documents",
                          "--format", "json"], capture_output=True, text=True, cwd=tmp_path,
                         timeout=120, check=True,
                         env={**os.environ, "TIMELINE_CACHE_DIR": str(tmp_path / "cache")})
    assert len(json.loads(out.stdout)) == 2
