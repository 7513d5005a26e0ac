"""The engine version covers every line of code and data that decides a derived fact."""

from __future__ import annotations

import ast
import shutil
from pathlib import Path

import pytest

from timeline import engine

PACKAGE = engine._PACKAGE
# The imperative shell's door into the derivation stages: `timeline run` (and `tag`).
ENTRY_POINTS = ("cli/run.py", "cli/__init__.py")


def _module_file(dotted: str) -> Path | None:
    parts = dotted.split(".")
    if parts[0] != "timeline":
        return None
    base = PACKAGE.joinpath(*parts[1:])
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def _imports(path: Path) -> set[Path]:
    """The package's own modules a file imports, at any depth of its code."""
    package = ".".join(("timeline", *path.relative_to(PACKAGE).parent.parts))
    found: set[Path] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1]
                                + ([base] if base else []))
            names = [base] + [f"{base}.{a.name}" for a in node.names]
        else:
            continue
        found |= {f for f in map(_module_file, names) if f}
    return found


def _derivation_closure() -> set[Path]:
    """Every module the derivation stages reach from the CLI's entry points: the CLI's own
    imports that are not the shell or the store, and everything those import in turn."""
    shell = set(PACKAGE.rglob("*.py")) - set(engine.hashed_files(PACKAGE))
    todo = [m for entry in ENTRY_POINTS for m in _imports(PACKAGE / entry) if m not in shell]
    seen: set[Path] = set()
    while todo:
        m = todo.pop()
        if m in seen:
            continue
        seen.add(m)
        todo += _imports(m) - seen
    return seen


def test_every_module_derivation_code_imports_is_hashed() -> None:
    closure = _derivation_closure()
    hashed = set(engine.hashed_files(PACKAGE))
    assert {"pipeline.py", "order.py", "lexicon.py", "temporal/normalize.py"} <= {
        p.relative_to(PACKAGE).as_posix() for p in closure}
    outside = sorted(p.relative_to(PACKAGE).as_posix() for p in closure - hashed)
    assert outside == [], f"derivation imports modules outside the engine hash: {outside}"


def test_every_resource_file_is_hashed() -> None:
    hashed = set(engine.hashed_files(PACKAGE))
    resources = {p for p in (PACKAGE / "resources").rglob("*") if p.is_file()}
    assert resources and resources <= hashed


def test_exclusions_name_real_paths() -> None:
    for rel in engine.NOT_DERIVATION:
        assert (PACKAGE / rel).exists(), f"{rel}: excluded from the hash but not in the package"


@pytest.fixture
def package_copy(tmp_path: Path) -> Path:
    dest = tmp_path / "timeline"
    shutil.copytree(PACKAGE, dest, ignore=shutil.ignore_patterns("__pycache__"))
    return dest


def test_a_one_byte_change_to_any_hashed_file_changes_the_version(package_copy: Path) -> None:
    base = engine.compute_version(package_copy)
    files = list(engine.hashed_files(package_copy))
    assert len(files) >= 20
    for f in files:
        original = f.read_bytes()
        f.write_bytes(original[:-1] + bytes([original[-1] ^ 1]))
        try:
            assert engine.compute_version(package_copy) != base, f.name
        finally:
            f.write_bytes(original)
    assert engine.compute_version(package_copy) == base


def test_a_new_module_or_model_file_is_covered_the_day_it_is_written(
        package_copy: Path) -> None:
    base = engine.compute_version(package_copy)
    (package_copy / "newstage.py").write_text("def stage() -> None: ...\n")
    with_module = engine.compute_version(package_copy)
    assert with_module != base
    (package_copy / "resources" / "en" / "tagger.model").write_bytes(b"\x00\x01weights")
    assert engine.compute_version(package_copy) != with_module


@pytest.mark.parametrize("rel", ["render.py", "export.py", "rowstream.py", "cli/show.py",
                                 "store/queries.py", "schema.py"])
def test_a_change_to_a_rendering_or_storage_file_keeps_the_version(package_copy: Path,
                                                                    rel: str) -> None:
    base = engine.compute_version(package_copy)
    target = package_copy / rel
    target.write_text(target.read_text(encoding="utf-8") + "\n# a comment\n", encoding="utf-8")
    assert engine.compute_version(package_copy) == base


def test_the_version_is_the_package_version_plus_a_hash() -> None:
    from timeline import __version__

    v = engine.engine_version()
    assert v.startswith(__version__ + "+") and len(v.split("+")[1]) == 12
