"""`timeline tag` loads only what tagging needs: its start-up is most of what a user waits
for on a few files (scripts/bench_temporal.py measures it; this checks the imports)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PROBE = """
import json, sys
from timeline.cli import main
code = main(sys.argv[1:])
print(json.dumps([code, sorted(sys.modules)]))
"""
NOT_FOR_TAG = ("rich", "sqlite3", "dateparser", "filelock", "tomllib", "uuid", "tempfile",
               "timeline.store", "timeline.events", "timeline.pipeline", "timeline.analyze",
               # the other commands' parsers and what they import (cli.build_parser(only=))
               "timeline.cli.query", "timeline.cli.page", "timeline.cli.entities",
               "timeline.cli.check", "timeline.export", "difflib")


def _modules(tmp_path: Path, *args: str) -> tuple[int, list[str]]:
    env = {**os.environ, "TIMELINE_CACHE_DIR": str(tmp_path / "cache")}
    done = subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True,
                          text=True, env=env, cwd=tmp_path, timeout=120, check=True)
    code, modules = json.loads(done.stdout.splitlines()[-1])
    return code, modules


def test_tag_imports_no_store_no_rich_no_dateparser(tmp_path: Path) -> None:
    doc = tmp_path / "a.txt"
    doc.write_text("date 2023-09-14\nThe summit opens on Monday.\n", encoding="utf-8")
    _modules(tmp_path, "tag", "--lang", "en", str(doc))  # fills the grammar cache
    code, modules = _modules(tmp_path, "tag", "--lang", "en", str(doc))
    assert code == 0
    loaded = [m for m in modules if m.split(".")[0] in {n.split(".")[0] for n in NOT_FOR_TAG}
              and any(m == n or m.startswith(n + ".") for n in NOT_FOR_TAG)]
    assert loaded == []
    assert "timeline.temporal" in modules  # the probe did tag


def test_other_commands_still_load_what_they_need(tmp_path: Path) -> None:
    doc = tmp_path / "a.txt"
    doc.write_text("date 2023-09-14\nThe summit opens on Monday.\n", encoding="utf-8")
    db = str(tmp_path / "t.db")
    code, modules = _modules(tmp_path, "--db", db, "run", "--quiet", str(doc))
    assert code == 0 and "timeline.store" in modules and "timeline.pipeline" in modules
    code, modules = _modules(tmp_path, "--db", db, "documents")
    assert code == 0
    assert {"sqlite3", "timeline.store", "rich.console"} <= set(modules)


def _imported(tmp_path: Path, *args: str) -> tuple[int, set[str]]:
    """The modules `python -m timeline ARGS` imports, as the interpreter reports them
    (-X importtime): the real entry point, site and all, not a probe's."""
    env = {**os.environ, "TIMELINE_CACHE_DIR": str(tmp_path / "cache")}
    done = subprocess.run([sys.executable, "-X", "importtime", "-m", "timeline", *args],
                          capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120)
    names = {line.rsplit("|", 1)[1].strip() for line in done.stderr.splitlines()
             if line.startswith("import time:") and "|" in line}
    return done.returncode, names - {"imported package"}


def test_tag_of_an_empty_file_loads_no_tagger(tmp_path: Path) -> None:
    """A file with nothing to tag is rejected by `ingest` before the temporal engine (and
    the grammar cache, and attrs) is loaded; argparse's formatter never pulls in shutil;
    no hash is taken (OpenSSL), no entity table read (html), no cache file written."""
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    _imported(tmp_path, "tag", "--lang", "en", str(empty))  # keeps the patterns it compiled
    code, names = _imported(tmp_path, "tag", "--lang", "en", str(empty))
    assert code == 1  # rejected: an empty file
    unwanted = (*NOT_FOR_TAG, "timeline.temporal", "timeline.engine", "timeline.cli.output",
                "attrs", "attr", "shutil", "bz2", "lzma", "hashlib", "_hashlib", "html")
    assert sorted(n for n in names if any(n == u or n.startswith(u + ".")
                                          for u in unwanted)) == []
    assert "timeline.ingest" in names  # the probe did read the file


def test_tag_of_a_real_file_loads_no_attrs_nor_the_engine_hash(tmp_path: Path) -> None:
    """The temporal engine's classes are NamedTuples: attrs is a sixth of the start-up."""
    doc = tmp_path / "a.txt"
    doc.write_text("The talks began on Monday, 3 May 2021.\n", encoding="utf-8")
    _imported(tmp_path, "tag", "--lang", "en", str(doc))  # fills the grammar cache
    code, names = _imported(tmp_path, "tag", "--lang", "en", str(doc))
    assert code == 0 and "timeline.temporal" in names
    assert {"timeline.engine", "attrs", "attr", "shutil", "rich", "sqlite3"} & names == set()
    # the document's digests and the grammar cache's key take the builtin SHA-256 (sha.py)
    assert {"hashlib", "_hashlib"} & names == set()


COMPILES = """
import json, re, sys
from re import _compiler
made = []
real = _compiler.compile
def compile(pattern, flags=0):
    frame = sys._getframe(1)
    while frame.f_code.co_filename.startswith(re.__file__.rsplit("__init__", 1)[0]):
        frame = frame.f_back  # re.compile, re._compile: the caller is the one below them
    if "/timeline/" in frame.f_code.co_filename.replace("\\\\", "/"):
        made.append(str(pattern))
    return real(pattern, flags)
_compiler.compile = compile
from timeline.cli import main
code = main(sys.argv[1:])
print(json.dumps([code, made]))
"""


def _compiled(tmp_path: Path, *args: str) -> tuple[int, list[str]]:
    """The patterns our modules compiled (with `re`'s compiler, not rebuilt) in one
    `timeline ARGS` process."""
    env = {**os.environ, "TIMELINE_CACHE_DIR": str(tmp_path / "cache")}
    done = subprocess.run([sys.executable, "-c", COMPILES, *args], capture_output=True,
                          text=True, env=env, cwd=tmp_path, timeout=120, check=True)
    code, made = json.loads(done.stdout.splitlines()[-1])
    return code, made


def test_a_second_tag_compiles_none_of_our_patterns(tmp_path: Path) -> None:
    """The patterns the temporal modules, ingest and the rest compile for themselves come
    rebuilt from the cache (timeline/patterns.py) from the second start on; the first
    compiles them (a grammar's patterns are kept in the grammar's own file)."""
    doc = tmp_path / "a.txt"
    doc.write_text("date 2023-09-14\nThe talks began on Monday, 3 May 2021.\n", encoding="utf-8")
    code, first = _compiled(tmp_path, "tag", "--lang", "en", str(doc))
    assert code == 0 and len(first) > 150  # the grammar too: nothing was cached
    code, second = _compiled(tmp_path, "tag", "--lang", "en", str(doc))
    assert (code, second) == (0, [])
    kept = sorted((tmp_path / "cache").glob("patterns-*"))
    assert len(kept) == 1
    written = kept[0].stat().st_mtime_ns
    _compiled(tmp_path, "tag", "--lang", "en", str(doc))
    assert kept[0].stat().st_mtime_ns == written  # nothing new: not written again


def _plain_install(where: Path) -> str:
    """A venv whose path lists this checkout and our dependencies as plain entries, as a
    wheel's install has them: no editable finder (which imports pathlib itself)."""
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(where)], check=True,
                   timeout=300)
    python = where / "bin" / "python"
    site = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()"
                           "['purelib'])"], capture_output=True, text=True, check=True,
                          timeout=120).stdout.strip()
    ours = [p for p in sys.path if p.endswith("site-packages")]
    Path(site, "timeline-checkout.pth").write_text("\n".join([str(ROOT), *ours]) + "\n")
    return str(python)


def test_an_empty_file_from_a_plain_install_needs_no_pathlib(tmp_path: Path) -> None:
    """pathlib (and the urllib.parse and ipaddress it imports) is a tenth of the start of
    `timeline tag` on a file it rejects: the CLI, the file reading, the resource lists and
    the patterns file get by with os.path."""
    python = _plain_install(tmp_path / "venv")
    env = {**os.environ, "TIMELINE_CACHE_DIR": str(tmp_path / "cache")}
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")

    def imported(*cmd: str) -> set[str]:
        done = subprocess.run([python, "-X", "importtime", *cmd], capture_output=True,
                              text=True, env=env, cwd=tmp_path, timeout=120)
        return {line.rsplit("|", 1)[1].strip() for line in done.stderr.splitlines()
                if line.startswith("import time:") and "|" in line}

    assert "pathlib" not in imported("-c", "pass")
    imported("-m", "timeline", "tag", "--lang", "en", str(empty))  # keeps its patterns
    names = imported("-m", "timeline", "tag", "--lang", "en", str(empty))
    assert "timeline.cli.tag" in names
    assert {"pathlib", "urllib.parse", "ipaddress", "hashlib", "html", "json",
            "datetime"} & names == set()
