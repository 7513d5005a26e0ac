"""What an exception that escapes a command means to a scheduler: one line and an exit code.

A full disk or a busy database is the machine's trouble, not ours, and has its own code;
anything else is a bug of ours: exit 70 (EX_SOFTWARE), never 1, which means "some inputs
rejected", with the traceback appended to a crash log beside the database (for a
PostgreSQL store, in a per-user file of the temp directory).
"""

from __future__ import annotations

import datetime as dt
import errno
import os
import shlex
import sqlite3
import sys
import tempfile
import traceback
from collections.abc import Sequence
from pathlib import Path

from timeline import __version__

EXIT_USAGE, EXIT_SOFTWARE, EXIT_IOERR, EXIT_TEMPFAIL = 2, 70, 74, 75

# SQLite primary result codes
_SQLITE = {5: "busy", 6: "locked", 8: "readonly", 10: "ioerr", 11: "corrupt", 13: "full",
           14: "cantopen", 26: "notadb"}
_FULL_ERRNOS = {errno.ENOSPC, errno.EDQUOT}


def one_line(text: str, limit: int = 300) -> str:
    """An exception's message as one printable line: newlines and control or bidi characters
    (which may come from a document) escaped, the length bounded."""
    out = "".join(ch if ch.isprintable() else f"\\x{ord(ch):02x}" if ord(ch) < 256
                  else f"\\u{ord(ch):04x}" for ch in text)
    return out if len(out) <= limit else out[:limit] + "…"


def classify(exc: BaseException) -> tuple[int, str] | None:
    """(exit code, reason) for failures of the environment; None for a bug of ours."""
    if isinstance(exc, sqlite3.Error):
        code = (getattr(exc, "sqlite_errorcode", None) or 0) & 0xFF
        kind = _SQLITE.get(code) or ("full" if "database or disk is full" in str(exc) else
                                     "busy" if "database is locked" in str(exc) else "")
        if kind == "full":
            return EXIT_IOERR, "disk full; the log keeps every batch committed before it " \
                "(nothing half-written); free space and run again"
        if kind == "ioerr":
            return EXIT_IOERR, "I/O error"
        if kind in ("busy", "locked"):
            return EXIT_TEMPFAIL, "database busy (another process holds a write transaction)"
        if kind in ("readonly", "cantopen"):
            return EXIT_USAGE, "cannot write the database (read-only file or filesystem)"
        if kind in ("corrupt", "notadb"):
            return EXIT_USAGE, "unusable database"
        return None
    if isinstance(exc, OSError):
        if exc.errno in _FULL_ERRNOS:
            return EXIT_IOERR, "disk full; free space and run again"
        if exc.errno == errno.EIO:
            return EXIT_IOERR, "I/O error"
        if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
            return EXIT_USAGE, "permission denied or read-only filesystem"
    return None


def crash_log_paths(db: str) -> list[Path]:
    """Beside the database first; a per-user file in the temp directory when the database's
    directory cannot be written, or when the database is a PostgreSQL URL (no directory of
    ours: a path made of the URL would be relative, and could carry its password)."""
    from timeline.store import is_url

    uid = os.getuid() if hasattr(os, "getuid") else 0
    mine = Path(tempfile.gettempdir()) / f"timeline-{uid}.crash.log"
    return [mine] if is_url(db) else [Path(f"{db}.crash.log"), mine]


def write_crash_log(db: str, argv: Sequence[str], exc: BaseException,
                    now: dt.datetime) -> Path | str:
    """Append the time, command line, version and traceback; the path written, or why none
    could be."""
    entry = (f"=== {now.isoformat(timespec='seconds')} timeline {__version__} "
             f"(Python {sys.version.split()[0]}) pid {os.getpid()}\n"
             f"command: {shlex.join(['timeline', *argv])}\n"
             + "".join(traceback.format_exception(exc)) + "\n")
    reason = ""
    flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0)
    for path in crash_log_paths(db):
        try:
            fd = os.open(path, flags, 0o600)
        except OSError as e:
            reason = e.strerror or str(e)
            continue
        try:
            with os.fdopen(fd, "w", encoding="utf-8", errors="backslashreplace") as fh:
                fh.write(entry)
        except OSError as e:
            reason = e.strerror or str(e)
            continue
        return path
    return reason


def report(db: str, argv: Sequence[str], exc: BaseException, now: dt.datetime) -> tuple[int, str]:
    """(exit code, the one line for stderr) for an exception that escaped a command."""
    known = classify(exc)
    what = one_line(str(exc) or type(exc).__name__)
    if known:
        code, reason = known
        name = getattr(exc, "filename", None) or db
        return code, f"{one_line(str(name))}: {reason} ({what})"
    where = write_crash_log(db, argv, exc, now)
    saved = f"traceback in {where}" if isinstance(where, Path) else \
        f"traceback not saved ({where})"
    return EXIT_SOFTWARE, f"internal error: {type(exc).__name__}: {what}; {saved}"
