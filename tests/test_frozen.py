"""Compiled grammars kept between processes (temporal/frozen.py, cli/cache.py): a kept
grammar is the compiled one, pattern code and all, and a damaged or foreign file is never
trusted."""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
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
    contents = [p.read_bytes() for p in frozen.inputs("en")]
    assert frozen.key("en", contents) != frozen.key("en", [*contents[:-1], contents[-1] + b" "])
    assert frozen.key("en", contents) != frozen.key("es", contents)


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
