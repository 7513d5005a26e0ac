"""The engine version: which code and which data files produced a derived fact.

Recorded on every derived event, so a new rule, resource entry or model re-derives what it
changes and `--as-of` still shows what an earlier version said.

The hashed set is derived, not listed: every file of the package except the layers named in
`NOT_DERIVATION`. A module or a data file written tomorrow is covered the day it is written;
leaving something out takes a line here and a reason.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Iterator
from pathlib import Path

from timeline import __version__

_PACKAGE = Path(__file__).parent

# Paths (relative to the package) that decide no derived fact, each with why.
NOT_DERIVATION: dict[str, str] = {
    "cli": "the imperative shell: reads files, the clock and the terminal, calls the stages",
    "store": "writes and reads the log and its projections; a fact is the same wherever kept",
    "projections.py": "folds facts into tables; a change there needs `rebuild`, not new facts",
    "schema.py": "the tables' DDL and descriptions, versioned by the schema version",
    "render.py": "how facts are printed",
    "export.py": "how facts are written for other tools",
    "rowstream.py": "how query rows are written as they stream",
    "diff.py": "compares two snapshots of projections",
    "html.py": "writes the timeline page",
    "web": "the timeline page's script, style and template",
    "intervals.py": "places values on a time line for sorting, drawing and exporting",
    "storynames.py": "names stories for people",
    "timeline_task.py": "how an entity's timeline is written for SemEval-2015 TimeLine scorers",
    "lookup.py": "finds an entity or a story by what a user types",
    "entity_scope.py": "which names a run links again: the entities are the whole pass's "
                       "either way (tests/test_entity_index.py)",
    "story_names.py": "names and counts stories for people, from the projections, when asked",
    "py.typed": "an empty marker telling type checkers the package has hints",
    "__main__.py": "`python -m timeline`, a door to the CLI",
    "engine.py": "computes this version; it decides no fact itself",
    "patterns.py": "saves and loads compiled regular expressions; a pattern it loads is the one"
                   " its source and flags compile to, so it decides no fact",
}
_NOT_FILES = {"__pycache__"}
_NOT_SUFFIXES = (".pyc", ".pyo")


def hashed_files(root: Path = _PACKAGE) -> Iterator[Path]:
    """Every file under `root` that can decide a derived fact, in a stable order."""
    for path in sorted(root.rglob("*"), key=lambda p: p.relative_to(root).as_posix()):
        rel = path.relative_to(root)
        if not path.is_file() or path.name.endswith(_NOT_SUFFIXES):
            continue
        if rel.parts[0] in NOT_DERIVATION or _NOT_FILES & set(rel.parts):
            continue
        yield path


def compute_version(root: Path = _PACKAGE, version: str = __version__) -> str:
    """`version+hash` of every hashed file's path, length and bytes under `root`."""
    h = hashlib.sha256(version.encode())
    for path in hashed_files(root):
        data = path.read_bytes()
        h.update(path.relative_to(root).as_posix().encode() + b"\0")
        h.update(len(data).to_bytes(8, "big"))
        h.update(data)
    return f"{version}+{h.hexdigest()[:12]}"


@functools.cache
def engine_version() -> str:
    return compute_version()
