"""Every example in every resource file is a test case (Duckling style).

Adding a language or a rule means adding examples; this file needs no change.
"""

from __future__ import annotations

from typing import Any

import pytest

from timeline import lexicon
from timeline.temporal import tag


def _examples() -> list[Any]:
    cases = []
    for lang in lexicon.languages():
        res = lexicon.temporal(lang)
        for table, entries in res.items():
            if not isinstance(entries, list):
                continue
            for i, entry in enumerate(entries):
                if not isinstance(entry, dict):
                    continue
                label = entry.get("id") or "/".join(entry.get("forms", [])[:1]) or str(i)
                for j, ex in enumerate(entry.get("examples", [])):
                    cases.append(pytest.param(lang, ex, id=f"{lang}-{table}-{label}-{j}"))
    return cases


EXAMPLES = _examples()


def test_there_are_many_examples() -> None:
    assert len(EXAMPLES) >= 100
    assert {p.values[0] for p in EXAMPLES} >= {"en", "es", "ru"}


@pytest.mark.parametrize(("lang", "ex"), EXAMPLES)
def test_resource_example(lang: str, ex: dict[str, Any]) -> None:
    found = tag(ex["text"], ex.get("ref"), lang)
    got = [(t.text, t.type, t.value, t.mod) for t in found]
    if ex.get("absent"):
        assert found == [], f"expected no expression, got {got}"
        return
    matches = [t for t in found if t.value == ex["want"]
               and ("span" not in ex or t.text == ex["span"])
               and ("mod" not in ex or t.mod == ex["mod"])
               and ("type" not in ex or t.type == ex["type"])]
    assert matches, f"want {ex['want']!r} (span {ex.get('span')!r}), got {got}"
    if "begin" in ex:  # the period two dates bound; "" says they bound none
        assert (matches[0].begin or "", matches[0].end_value or "") == \
            (ex["begin"], ex.get("end_value", "")), \
            f"want period {ex['begin']}..{ex.get('end_value')}, got {matches[0]}"
    for t in found:
        assert ex["text"][t.start:t.end] == t.text


def test_every_resource_file_is_packaged() -> None:
    """The tests import timeline from the checkout; an installed timeline only has the files
    pyproject's package-data names. A resource it leaves out breaks every installed run."""
    import fnmatch
    import tomllib
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    globs = tomllib.loads((root / "pyproject.toml").read_text())["tool"]["setuptools"][
        "package-data"]["timeline"]
    package = root / "timeline"
    for path in (package / "resources").rglob("*"):
        if path.is_file():
            rel = path.relative_to(package).as_posix()
            assert any(fnmatch.fnmatch(rel, g) and rel.count("/") == g.count("/")
                       for g in globs), f"{rel} is not in package-data"
