"""Compiled grammars kept between processes (temporal/frozen.py, cli/cache.py): a kept
grammar is the compiled one, pattern code and all, and a damaged or foreign file is never
trusted."""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from timeline import lexicon
from timeline.temporal import frozen, tag
from timeline.temporal.grammar import compile_grammar, grammar

ROOT = Path(__file__).resolve().parents[1]
LANGS = lexicon.languages()


def _patterns(obj: object) -> list[re.Pattern[str]]:
    if isinstance(obj, re.Pattern):
        return [obj]
    if isinstance(obj, dict):
        return [p for v in obj.values() for p in _patterns(v)]
    if isinstance(obj, tuple | list):  # the grammar's classes are NamedTuples: tuples too
        return [p for v in obj for p in _patterns(v)]
    return []


@pytest.mark.parametrize("lang", LANGS)
def test_a_kept_grammar_is_the_compiled_one(lang: str) -> None:
    g = grammar(lang)
    kept, parsed = frozen.loads(frozen.dumps(g))
    assert kept == g  # every field; patterns compare by source, flags and compiled code
    assert parsed == lexicon.temporal(lang)
    pairs = list(zip(_patterns(kept), _patterns(g), strict=True))
    assert len(pairs) > 50
    for thawed, compiled in pairs:
        assert thawed == compiled and thawed is not compiled
        assert thawed == re.compile(compiled.pattern, compiled.flags)
        assert thawed.groupindex == compiled.groupindex and thawed.groups == compiled.groups


def test_a_kept_grammar_tags_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tagging through a grammar loaded from bytes gives what the compiled one gives."""
    cases = [(ex["text"], ex.get("ref"), lang) for lang in LANGS
             for entries in lexicon.temporal(lang).values() if isinstance(entries, list)
             for e in entries if isinstance(e, dict) for ex in e.get("examples", [])]
    assert len(cases) > 300
    want = [tag(*c) for c in cases]
    thawed = {lang: frozen.loads(frozen.dumps(grammar(lang)))[0] for lang in LANGS}
    import timeline.temporal as temporal_module

    monkeypatch.setattr(temporal_module, "grammar", thawed.__getitem__)
    assert [tag(*c) for c in cases] == want


def test_damaged_or_foreign_bytes_are_refused() -> None:
    data = frozen.dumps(grammar("en"))
    stamp, _, rest = data.partition(b"\n")
    for bad in (b"", data[:len(data) // 2], stamp.replace(b"sre", b"SRE") + b"\n" + rest,
                data[:-10] + bytes(10 - 1) + b"x", b"junk\n" + rest):
        with pytest.raises(frozen.Stale):
            frozen.loads(bad)


def test_the_key_covers_what_the_grammar_is_built_from() -> None:
    """The key hashes the language's resource file and every module the grammar code
    imports from the package: a new rule or a changed compiler never loads an old grammar."""
    inputs = {p.resolve() for p in frozen.inputs("en")}
    assert (lexicon.RESOURCES / "en" / "temporal.toml").resolve() in inputs
    package = ROOT / "timeline"
    for module in ("temporal/grammar.py", "temporal/frozen.py"):
        assert (package / module).resolve() in inputs
        tree = ast.parse((package / module).read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("timeline"):
                for alias in node.names:
                    dotted = f"{node.module}.{alias.name}".split(".")[1:]
                    target = package.joinpath(*dotted).with_suffix(".py")
                    if not target.is_file():
                        target = package.joinpath(*dotted[:-1]).with_suffix(".py")
                    if not target.is_file():
                        target = package.joinpath(*dotted[:-1], "__init__.py")
                    assert target.resolve() in inputs, f"{module} imports {target}"
    stats = [frozen.signature(str(p), os.stat(p)) for p in frozen.inputs("en")]
    assert frozen.key("en", stats) == frozen.key("en", list(stats))
    assert frozen.key("en", stats) != frozen.key("es", stats)


def test_the_key_is_the_same_in_every_process() -> None:
    """Started as `python -m timeline` or from a script, a process finds the grammar the
    last one kept (a key that differs by process would compile at every start)."""
    probe = ("import os; from timeline.temporal import frozen; print(frozen.key('en', "
             "[frozen.signature(str(p), os.stat(p)) for p in frozen.inputs('en')]))")
    here = frozen.key("en", [frozen.signature(str(p), os.stat(p)) for p in frozen.inputs("en")])
    for cmd in ([sys.executable, "-c", probe], [sys.executable, "-X", "importtime", "-c",
                                                 "import timeline.cli; " + probe]):
        done = subprocess.run(cmd, capture_output=True, text=True, check=True, timeout=120)
        assert done.stdout.strip() == here


def test_a_written_input_changes_the_key(tmp_path: Path) -> None:
    """The key is a stat of each input, not its bytes: a write that keeps the size and the
    inode still changes it (the change time), as does a file replaced by another."""
    src = tmp_path / "temporal.toml"
    src.write_bytes(b"a = 1\n")
    before = frozen.key("en", [frozen.signature(str(src), os.stat(src))])
    time.sleep(0.05)  # past the file system's timestamp tick (a few ms on Linux)
    with open(src, "r+b") as f:
        f.write(b"a = 2\n")
    rewritten = frozen.key("en", [frozen.signature(str(src), os.stat(src))])
    assert rewritten != before
    other = tmp_path / "other.toml"
    other.write_bytes(b"a = 2\n")
    os.replace(other, src)
    assert frozen.key("en", [frozen.signature(str(src), os.stat(src))]) not in {before, rewritten}


def test_a_changed_resource_compiles_afresh(tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """cli/cache.py: a kept grammar loads while its inputs are untouched, and a changed
    input (a rule edited in place, same size) builds it again."""
    from timeline.cli import cache

    src = tmp_path / "temporal.toml"
    src.write_bytes(b"a = 1\n")
    monkeypatch.setattr(frozen, "inputs", lambda lang: [src])
    built: list[str] = []

    def build(lang: str) -> object:
        built.append(lang)
        return grammar(lang)

    where = tmp_path / "cache"
    assert cache.kept(where, "en", build) == grammar("en")  # type: ignore[arg-type]
    assert cache.kept(where, "en", build) == grammar("en")  # type: ignore[arg-type]
    assert built == ["en"]  # the second came from the file
    time.sleep(0.05)
    src.write_bytes(b"a = 2\n")
    assert cache.kept(where, "en", build) == grammar("en")  # type: ignore[arg-type]
    assert built == ["en", "en"]
    assert len(list(where.glob("grammar-en-*"))) == 1  # the stale one removed


def test_compile_grammar_is_what_grammar_gives() -> None:
    assert compile_grammar("en") == grammar("en")


def _tag(cache: Path | str, *files: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "TIMELINE_CACHE_DIR": str(cache)}
    cmd = [sys.executable, "-m", "timeline", "tag", "--lang", "en", *map(str, files)]
    return subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=ROOT, timeout=120)


def test_the_cli_keeps_and_reuses_compiled_grammars(tmp_path: Path) -> None:
    doc = tmp_path / "a.txt"
    doc.write_text("date 2023-09-14\nThe talks began on Monday and end on 20 September.\n")
    cache = tmp_path / "cache"
    uncached = _tag("", doc)
    assert uncached.returncode == 0 and uncached.stdout.count("\n") == 3
    first = _tag(cache, doc)
    kept = sorted(cache.glob("grammar-en-*"))
    assert len(kept) == 1 and first.stdout == uncached.stdout
    written = kept[0].stat().st_mtime_ns
    assert _tag(cache, doc).stdout == uncached.stdout  # loaded, not compiled and written
    assert kept[0].stat().st_mtime_ns == written
    kept[0].write_bytes(kept[0].read_bytes()[:1000])  # damaged: compiled again, rewritten
    again = _tag(cache, doc)
    assert (again.returncode, again.stdout, again.stderr) == (0, uncached.stdout, "")
    assert frozen.loads(kept[0].read_bytes())[0] == grammar("en")
    blocked = tmp_path / "not-a-directory"
    blocked.write_text("")
    odd = _tag(blocked / "cache", doc)  # cannot be written: no cache, no complaint
    assert (odd.returncode, odd.stdout, odd.stderr) == (0, uncached.stdout, "")
