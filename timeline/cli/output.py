"""Writing an output file (`export -o`, `datasette-metadata -o`) so that it is either whole or
absent, and never lands on something that is not ours to replace.

The data goes to a fresh temporary file in the target's directory (`mkstemp`: a random name
opened with O_EXCL, so a planted `X.tmp` link is never followed), is fsynced, and is renamed
over the target: a reader sees the old file or the new one, never half of one, and a full
disk leaves the old file as it was. Refused, with one line and exit 2: the database itself
(or its -wal, -shm, -journal, its run lock), an existing target that is not a regular file
(a directory, a FIFO, a device, a link to one), a missing parent directory. A link to a
regular file is replaced by the new file; what it pointed to is left alone (a rename never
writes through).
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path

from timeline.cli import UsageError

# SQLite's own files, and the run lock: replacing the lock file would let a second run
# lock a fresh inode while the first still holds the old one.
DB_COMPANIONS = ("", "-wal", "-shm", "-journal", ".lock", ".lock.info", ".crash.log")


def database_files(db: str | os.PathLike[str]) -> list[Path]:
    """The database and the files kept beside it: never an output's target."""
    return [Path(f"{os.fspath(db)}{suffix}") for suffix in DB_COMPANIONS]


def _same_file(target: Path, target_st: os.stat_result | None, other: Path) -> bool:
    if os.path.realpath(target) == os.path.realpath(other):
        return True  # by name, which also covers a -wal that does not exist yet
    if target_st is None:
        return False
    try:
        st = os.stat(other)
    except OSError:
        return False
    return (st.st_dev, st.st_ino) == (target_st.st_dev, target_st.st_ino)


def check_target(path: Path, protect: Iterable[Path] = ()) -> os.stat_result | None:
    """The target's stat (None if it does not exist yet), or UsageError saying why it is
    not a file we may replace."""
    try:
        st: os.stat_result | None = os.stat(path)  # follows a link: what would we clobber?
    except FileNotFoundError:
        st = None
    except OSError as exc:
        raise UsageError(f"{path}: cannot write: {exc.strerror}") from None
    for p in protect:
        if _same_file(path, st, p):
            raise UsageError(f"{path}: refusing to overwrite the database ({p})")
    if st is not None and not stat.S_ISREG(st.st_mode):
        kind = "a directory" if stat.S_ISDIR(st.st_mode) else "not a regular file"
        raise UsageError(f"{path}: refusing to write: {kind} (use -o - for standard output)")
    parent = path.parent
    if not parent.is_dir():
        raise UsageError(f"{path}: cannot write: no such directory {parent}")
    return st


def _new_mode(st: os.stat_result | None) -> int:
    """The replaced file's permissions, or what `open()` would give a new file."""
    if st is not None:
        return stat.S_IMODE(st.st_mode)
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def write_atomic(path: str | os.PathLike[str], data: str | bytes, *,
                 protect: Sequence[Path] = ()) -> None:
    """Replace `path` with `data` all at once, or raise UsageError (one line) leaving no
    temporary file behind and the old file, if any, untouched."""
    target = Path(path)
    st = check_target(target, protect)
    blob = data.encode("utf-8") if isinstance(data, str) else data
    tmp: str | None = None
    try:
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
        try:
            _write_all(fd, blob)
            os.fchmod(fd, _new_mode(st))
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, target)
        tmp = None
        _sync_dir(target.parent)
    except OSError as exc:
        raise UsageError(f"{target}: cannot write: {exc.strerror or exc}") from None
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def _sync_dir(directory: Path) -> None:
    """Make the rename durable; a filesystem that cannot fsync a directory still renamed."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def make_output_dir(path: str | os.PathLike[str]) -> Path:
    """A directory for many outputs (`export --format timeml -o DIR`), created if missing."""
    d = Path(path)
    try:
        d.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise UsageError(f"{d}: refusing to write: exists and is not a directory") from None
    except OSError as exc:
        raise UsageError(f"{d}: cannot create directory: {exc.strerror}") from None
    return d
