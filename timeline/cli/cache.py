"""Compiled grammars kept between processes, in the user's cache directory.

Compiling a language's rules costs about 100 ms, more than tagging a hundred articles; a
kept copy loads in about a millisecond (timeline/temporal/frozen.py). The file is named by
a key over the bytes of everything the grammar is built from (its resource file, the
temporal package's code) and the interpreter, so a new rule, a new engine or another Python
compiles afresh; nothing is written into the package. A cache is no truth: any problem
reading or writing it (no home, a read-only directory, a damaged or foreign file) means
compiling as if it were not there.

The directory: $TIMELINE_CACHE_DIR (empty: no cache), else $XDG_CACHE_HOME/timeline, else
~/.cache/timeline.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from timeline.temporal.grammar import Grammar


def directory() -> Path | None:
    given = os.environ.get("TIMELINE_CACHE_DIR")
    if given is not None:
        return Path(given) if given else None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return None if base.startswith("~") else Path(base) / "timeline"


def install() -> None:
    """Let the temporal engine load and keep its compiled grammars here."""
    from timeline.temporal.grammar import keep_compiled

    where = directory()
    if where is not None:
        keep_compiled(lambda lang, build: kept(where, lang, build))


def kept(where: Path, lang: str, build: Callable[[str], Grammar]) -> Grammar:
    from timeline import lexicon
    from timeline.temporal import frozen

    try:
        name = f"grammar-{lang}-{frozen.key(lang, [p.read_bytes() for p in frozen.inputs(lang)])}"
    except OSError:
        return build(lang)
    path = where / name
    try:
        g, parsed = frozen.loads(path.read_bytes())
    except (OSError, frozen.Stale):
        pass
    else:
        if g.lang == lang:
            lexicon.known_temporal(lang, parsed)
            return g
    g = build(lang)
    try:
        data = frozen.dumps(g)
    except (TypeError, ValueError, AttributeError, ImportError):  # not freezable here
        return g
    _write(where, path, data, stale=f"grammar-{lang}-")
    return g


def _write(where: Path, path: Path, data: bytes, stale: str) -> None:
    """Atomically (`output.write_atomic`), and the same language's older files removed; a
    failure is not an error: the next process compiles again."""
    from timeline.cli import UsageError, output

    try:
        where.mkdir(parents=True, exist_ok=True)
        output.write_atomic(path, data)
        for old in where.glob(stale + "*"):
            if old != path:
                old.unlink(missing_ok=True)
    except (OSError, UsageError):
        pass
