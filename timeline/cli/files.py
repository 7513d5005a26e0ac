"""Finding and reading input files: only regular files, and a walk that cannot run away.

A FIFO opened for reading blocks until a writer comes (forever, in a scheduled job that holds
the database's lock); a device can be endless or have side effects on open; a socket cannot be
read at all. So the walk looks at each entry's `stat` before listing it, and `read_regular`
opens without blocking and checks the open descriptor, which also catches a file swapped for a
FIFO between the listing and the reading. The walk is a loop over an explicit stack (the
standard library's `os.walk` recurses on Python 3.11) and stops `MAX_DEPTH` directories down.
"""

from __future__ import annotations

import os
import stat
from typing import TYPE_CHECKING

from timeline.ingest import IngestError
from timeline.paths import file_kind

if TYPE_CHECKING:
    from pathlib import Path

MAX_DEPTH = 64  # directory levels below a directory named on the command line
_OPEN_FLAGS = (os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
               | getattr(os, "O_BINARY", 0))


def not_regular(mode: int) -> str:
    return f"not a regular file ({file_kind(mode)}), skipped"


def walk(top: Path, suffixes: tuple[str, ...], seen_dirs: set[tuple[int, int]],
         files: list[Path], problems: list[tuple[Path, str]]) -> None:
    """Append the files under `top` with a known suffix (not hidden) to `files`, in the order
    of a sorted top-down walk following links, and what was skipped, and why, to `problems`.
    A broken link is listed as a file: reading it gives the user the reason."""
    stack: list[tuple[Path, int]] = [(top, 0)]
    while stack:
        d, depth = stack.pop()
        try:
            st = os.stat(d)
            if (st.st_dev, st.st_ino) in seen_dirs:
                problems.append((d, "directory loop (symbolic link to an ancestor), skipped"))
                continue
            seen_dirs.add((st.st_dev, st.st_ino))
            if depth > MAX_DEPTH:
                problems.append((d, f"directories nested more than {MAX_DEPTH} levels deep, "
                                    "skipped"))
                continue
            with os.scandir(d) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError as exc:
            problems.append((d, f"cannot list directory: {exc.strerror or exc}"))
            continue
        subdirs: list[Path] = []
        for entry in entries:
            path = d / entry.name
            try:
                is_dir = entry.is_dir()
            except OSError:
                is_dir = False
            if is_dir:
                subdirs.append(path)
                continue
            if entry.name.startswith(".") or not entry.name.lower().endswith(suffixes):
                continue
            try:
                mode = entry.stat().st_mode
            except OSError:
                files.append(path)
                continue
            if stat.S_ISREG(mode):
                files.append(path)
            else:
                problems.append((path, not_regular(mode)))
        stack.extend((s, depth + 1) for s in reversed(subdirs))


def read_regular(path: Path | str, max_bytes: int) -> bytes:
    """The bytes of a regular file of at most `max_bytes`; IngestError for anything else.
    Never blocks on a FIFO, never becomes a terminal's controlling process."""
    fd = os.open(path, _OPEN_FLAGS)
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise IngestError(not_regular(st.st_mode))
        if st.st_size > max_bytes:
            raise IngestError(f"file too large ({st.st_size:,} bytes > limit {max_bytes:,})")
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        chunks: list[bytes] = []
        left = max_bytes + 1
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


def refuse_special(path: Path) -> str | None:
    """Why `path` (a database's lock file, say) must not be opened: it exists and is not a
    regular file. None when it is one, or does not exist yet."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return None
    if stat.S_ISREG(mode):
        return None
    return f"is a {file_kind(mode)}, not a regular file; refusing to use it"
