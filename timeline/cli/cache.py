"""Compiled grammars kept between processes, in the user's cache directory.

Compiling a language's rules costs about 100 ms, more than tagging a hundred articles; a
kept copy loads in about a millisecond (timeline/temporal/frozen.py). The file is named by
a key over the interpreter and what the file system says of everything the grammar is built
from (its resource file, the temporal package's code: `frozen.signature`, a stat, not a
read), so a new rule, a new engine or another Python compiles afresh; nothing is written
into the package. Beside the grammars, one file keeps the patterns the temporal modules
compile themselves (timeline/patterns.py), loaded before those modules are imported.
A cache is no truth: any problem reading or writing it (no home, a read-only directory, a
damaged or foreign file) means compiling as if it were not there.

The directory: $TIMELINE_CACHE_DIR (empty: no cache), else $XDG_CACHE_HOME/timeline, else
~/.cache/timeline.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

    from timeline.temporal.grammar import Grammar


def _directory() -> str | None:
    given = os.environ.get("TIMELINE_CACHE_DIR")
    if given is not None:
        return given or None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return None if base.startswith("~") else os.path.join(base, "timeline")


def directory() -> Path | None:
    from pathlib import Path  # not for the patterns file: a start of `tag` may need no Path

    where = _directory()
    return None if where is None else Path(where)


def install() -> None:
    """Let the temporal engine load and keep its compiled grammars here, and its own
    patterns come from here: call it before the temporal package is imported."""
    where = directory()
    if where is None:
        return
    remember_patterns()
    from timeline.temporal.grammar import keep_compiled

    keep_compiled(lambda lang, build: kept(where, lang, build))


def _patterns_name() -> str:
    import zlib

    from timeline import patterns

    return f"patterns-{zlib.crc32(patterns.STAMP):08x}"


_remembered: set[tuple[str, int]] = set()  # what the patterns file held (or was written with)
_grammars: set[tuple[str, int]] = set()  # compiled for a grammar: kept in its own file


def remember_patterns() -> None:
    """Let `re.compile` find the patterns kept here compiled (timeline/patterns.py): call it
    before the modules that compile them are imported. Once a process."""
    where = _directory()
    if where is None or _remembered:
        return
    from timeline import patterns

    try:
        with open(os.path.join(where, _patterns_name()), "rb") as f:
            kept_ = patterns.loads(f.read())
    except (OSError, patterns.Stale):
        return
    if patterns.remember(kept_.items()):
        _remembered.update(kept_)


def keep_patterns() -> None:
    """Write the patterns this process compiled, when some were not in the file `install`
    read: the next start finds them compiled (no cache directory: nothing)."""
    if _directory() is None:
        return
    from timeline import patterns

    now = {k: p for k, p in patterns.cached().items() if k not in _grammars}
    if set(now) <= _remembered:
        return
    where = directory()
    assert where is not None
    try:  # freezing compiles each pattern again: not for a directory that cannot be written
        where.mkdir(parents=True, exist_ok=True)
        if not os.access(where, os.W_OK):
            return
        data = patterns.dumps(now)
    except (OSError, TypeError, ValueError, AttributeError, ImportError):  # not freezable here
        return
    _write(where, where / _patterns_name(), data, stale="patterns-")
    _remembered.update(now)


def kept(where: Path, lang: str, build: Callable[[str], Grammar]) -> Grammar:
    from timeline import lexicon
    from timeline.temporal import frozen

    try:
        stats = [frozen.signature(str(p), os.stat(p)) for p in frozen.inputs(lang)]
        name = f"grammar-{lang}-{frozen.key(lang, stats)}"
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
    from timeline import patterns

    before = set(patterns.cached())
    g = build(lang)
    _grammars.update(set(patterns.cached()) - before)
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
