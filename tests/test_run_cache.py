"""What a `run` keeps between processes (cli/run_cache.py): parsed resource files and the
patterns it compiles. A kept copy must never be used for a changed file, and a damaged
cache must only mean parsing again."""

from __future__ import annotations

import json
import marshal
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

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


def test_a_second_run_parses_no_resource_and_compiles_few_patterns(
        tmp_path: Path, child_db: Callable[[Path], str]) -> None:
    docs, db = tmp_path / "docs", child_db(tmp_path / "t.db")
    _article(docs, "a.txt", 12)
    code, first, _ = _run(tmp_path, "--db", db, "run", str(docs))
    assert code == 0
    _article(docs, "b.txt", 13)
    code, second, modules = _run(tmp_path, "--db", db, "run", str(docs))
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


def test_a_damaged_cache_only_means_parsing_again(tmp_path: Path,
                                                  child_db: Callable[[Path], str]) -> None:
    docs, db = tmp_path / "docs", child_db(tmp_path / "t.db")
    _article(docs, "a.txt", 12)
    assert _run(tmp_path, "--db", db, "run", str(docs))[0] == 0
    kept = sorted((tmp_path / "cache").glob("resources-*")) + \
        sorted((tmp_path / "cache").glob("run-patterns-*"))
    assert len(kept) == 2
    for f in kept:
        f.write_bytes(f.read_bytes()[:100] + b"\0damaged")
    _article(docs, "b.txt", 13)
    code, _compiled, modules = _run(tmp_path, "--db", db, "run", str(docs))
    assert code == 0 and "tomllib" in modules
    out = subprocess.run([sys.executable, "-m", "timeline", "--db", db, "documents",
                          "--format", "json"], capture_output=True, text=True, cwd=tmp_path,
                         timeout=120, check=True,
                         env={**os.environ, "TIMELINE_CACHE_DIR": str(tmp_path / "cache")})
    assert len(json.loads(out.stdout)) == 2


def test_what_a_pools_workers_compiled_serves_the_next_run_process(
        tmp_path: Path, child_db: Callable[[Path], str]) -> None:
    """A first run tags its documents in pool workers; the next run adds one document and
    tags it in its own process: the workers must have kept the grammar, the parsed resources
    and the patterns they made, or that run compiles them all (a second of an add-one)."""
    docs, cache, db = tmp_path / "docs", tmp_path / "cache", child_db(tmp_path / "t.db")
    _article(docs, "a.txt", 12)
    _article(docs, "b.txt", 13)
    code, _, _ = _run(tmp_path, "--db", db, "run", "--jobs", "2", str(docs))
    assert code == 0
    grammars = sorted(cache.glob("grammar-en-*"))
    assert len(grammars) == 1, sorted(p.name for p in cache.iterdir())  # written by a worker
    written = grammars[0].stat()
    # the files only a worker reads (analysis, extraction: the run process of a pooled run
    # does neither), kept by the workers
    resources = marshal.loads(next(cache.glob("resources-*")).read_bytes())["files"]
    for name in ("analyze.toml", "eventmentions.toml", "eventnouns.toml"):
        assert any(Path(k).parts[-2:] == ("en", name) for k in resources), name
    _article(docs, "c.txt", 14)
    code, after_pool, _ = _run(tmp_path, "--db", db, "run", "--jobs", "1", str(docs))
    assert code == 0
    now = grammars[0].stat()  # the kept grammar was loaded, not compiled and written again
    assert (now.st_ino, now.st_mtime_ns) == (written.st_ino, written.st_mtime_ns)
    # the same run on a cache nobody wrote: everything compiled in the run process
    alone = tmp_path / "alone"
    alone.mkdir()
    for name in ("a.txt", "b.txt", "c.txt"):
        _article(alone / "docs", name, 12)
    _, cold, _ = _run(alone, "--db", child_db(alone / "t.db"), "run", "--jobs", "1",
                      str(alone / "docs"))
    assert after_pool * 4 < cold, (after_pool, cold)
