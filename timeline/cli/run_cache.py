"""What a `run` parses and compiles afresh each start, kept between processes beside the
compiled grammars (cli/cache.py): the parsed resource files, and the patterns it compiles.

A run that adds one document to a large corpus parsed a dozen TOML resource files (the
temporal word lists of every language, for language detection alone; the event nouns, the
analysis lists): about half a second of its CPU. Here the parsed files are kept in one
marshal file, each under its path with a stat of the file (size, mtime, ctime, inode: a
stat, not a read), and `lexicon.parse_toml` takes them from it: an edited or replaced file
is parsed again. One file holds the files of every checkout and install, keyed by path, so
several installs sharing the cache directory do not evict one another. A cache is no truth:
a missing, damaged, foreign or unwritable file means parsing as if it were not there.

The patterns a run compiles at work (the kind vocabularies' word alternations, the
analysis lists: about a third of its CPU when it adds one document) are kept the way
`timeline tag` keeps its own (timeline/patterns.py: by exact source and flags, so the set can
be incomplete, never stale), in a file of their own: `tag` starts on the few it needs.
"""

from __future__ import annotations

import marshal
import os
import sys
from collections.abc import Callable
from typing import Any

FORMAT = 1
STAMP = f"timeline-resources {FORMAT} {sys.implementation.cache_tag} {sys.version}"
KEEP = 400  # entries kept: a few checkouts' files; the least recently parsed go first

_kept: dict[str, tuple[tuple[int, ...], Any]] = {}
_changed: list[bool] = [False]


def _signature(path: str) -> tuple[int, ...]:
    st = os.stat(path)
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)


_patterns: set[tuple[str, int]] = set()  # what the run's patterns file held


def install() -> None:
    """Let resource files parse through the kept copies and patterns compile from kept ones
    (no cache directory: nothing), and keep what this process parsed or compiled anew when
    it exits. Call it before any resource is read."""
    import atexit

    from timeline.cli.cache import _directory

    where = _directory()
    if where in _installed:  # a process that runs several commands (tests, a notebook)
        return  # saves once per directory when it exits, not once per command
    _installed.add(where)
    for save in _load():
        atexit.register(save)


# the cache directories this process loaded from and will save to when it exits
_installed: set[str | None] = set()


def install_worker() -> None:
    """`install` and the compiled grammars' cache (cli/cache.py) in a pool's worker process,
    which tags, analyses and extracts the run's documents: what it compiles and parses is
    kept for the next run, whose run process may do the same work itself (one document
    added: no pool). A worker does not run `atexit` (multiprocessing ends it with
    `os._exit`), so it keeps what it made when it leaves a pool that is shut down, through
    multiprocessing's own exit hook; a worker killed keeps nothing, and the next process
    compiles again. Several workers write the same files: each write is a whole file put in
    place by a rename (`output.write_atomic`) merged with what the file held then, so a
    reader never sees half a file; two writers at once may lose each other's additions,
    which are then compiled again."""
    from multiprocessing import util

    from timeline.cli import cache

    cache.install()  # the grammar a worker compiles is written when it is compiled
    for save in _load():
        util.Finalize(None, save, exitpriority=0)


def _load() -> list[Callable[[], None]]:
    """Read the kept files and install the parser; the savers to call when leaving."""
    import zlib

    from timeline import lexicon, patterns
    from timeline.cli.cache import _directory

    where = _directory()
    if where is None:
        return []
    kept = os.path.join(where, f"run-patterns-{zlib.crc32(patterns.STAMP):08x}")
    _patterns.update(_read_patterns(kept, remember=True))
    path = os.path.join(where, f"resources-{zlib.crc32(STAMP.encode()):08x}")
    _kept.update(_read_files(path))
    lexicon.parse_with(parse)
    return [lambda: _save_patterns(where, kept), lambda: _save(where, path)]


def _read_patterns(path: str, *, remember: bool = False) -> dict[tuple[str, int], Any]:
    from timeline import patterns

    try:
        with open(path, "rb") as fh:
            got = patterns.loads(fh.read())
    except (OSError, patterns.Stale):
        return {}
    if remember and not patterns.remember(got.items()):
        return {}
    return got


def _read_files(path: str) -> dict[str, tuple[tuple[int, ...], Any]]:
    try:
        with open(path, "rb") as fh:
            got = marshal.loads(fh.read())
    except (OSError, EOFError, ValueError, TypeError):
        return {}
    if isinstance(got, dict) and got.get("stamp") == STAMP and isinstance(got.get("files"), dict):
        return got["files"]
    return {}


def parse(path: str) -> dict[str, Any]:
    """The parsed file: the kept copy when the file's stat still matches."""
    try:
        sig = _signature(path)
    except OSError:
        sig = ()
    got = _kept.get(path)
    if sig and got is not None and tuple(got[0]) == sig and isinstance(got[1], dict):
        return got[1]
    import tomllib  # not imported when every file was kept

    with open(path, "rb") as fh:
        parsed = tomllib.load(fh)
    if sig:
        _kept.pop(path, None)
        _kept[path] = (sig, parsed)  # last: the most recently parsed
        _changed[0] = True
    return parsed


def _save(where: str, path: str) -> None:
    """Write the kept copies when this process parsed a file anew; a failure (read-only
    directory, full disk, a value marshal cannot write) only means parsing next time."""
    if not _changed[0]:
        return
    from pathlib import Path

    from timeline.cli import UsageError, output

    # merged with what the file holds now: a run's workers (install_worker) wrote theirs
    # after this process read it
    merged = {k: v for k, v in _read_files(path).items() if k not in _kept}
    merged.update(_kept)
    files = dict(list(merged.items())[-KEEP:])
    try:
        data = marshal.dumps({"stamp": STAMP, "files": files})
        os.makedirs(where, exist_ok=True)
        output.write_atomic(Path(path), data)
    except (OSError, ValueError, TypeError, UsageError):
        pass


def _save_patterns(where: str, path: str) -> None:
    """Write the patterns this run compiled when some were not kept (not the grammars':
    those are in their own files)."""
    from pathlib import Path

    from timeline import patterns
    from timeline.cli import UsageError, cache, output

    now = {k: p for k, p in patterns.cached().items() if k not in cache._grammars}
    if set(now) <= _patterns:
        return
    # merged with what the file holds now (other workers', or this run's workers', written
    # after this process read it); this process's own last, so they are the ones kept
    on_disk = _read_patterns(path)
    now = {**{k: p for k, p in on_disk.items() if k not in now}, **now}
    if set(now) <= set(on_disk):
        return
    try:  # freezing compiles each pattern again: not for a directory that cannot be written
        os.makedirs(where, exist_ok=True)
        if not os.access(where, os.W_OK):
            return
        output.write_atomic(Path(path), patterns.dumps(now))
    except (OSError, TypeError, ValueError, AttributeError, ImportError, UsageError):
        pass
