"""`pytest --store postgres`: the CLI's database files become PostgreSQL databases.

Every distinct database file a test names (`--db FILE`, `TIMELINE_DB=FILE`, the default
`timeline.db` in the working directory, `copy --from/--to FILE`) maps to a database of its
own on the test server, made the first time it is named and dropped when the test ends. A
test that opens the file itself (sqlite3, permissions, WAL, locks) is about SQLite and is
marked `sqlite_only` instead.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path

from tests import pgcluster
from timeline.store import is_url

# options whose value names a store, per command (`diff --from` is a seq, not a store)
STORE_OPTIONS = {"copy": ("--from", "--to")}


class Databases:
    """The databases one test's files map to (see the module docstring)."""

    def __init__(self, server: str) -> None:
        self.server = server
        self.made: dict[str, tuple[str, str]] = {}

    def url(self, db: str | os.PathLike[str]) -> str:
        """The PostgreSQL database for a file name (relative to the working directory)."""
        if is_url(str(db)):
            return str(db)
        key = os.path.abspath(os.fspath(db))
        if key not in self.made:
            self.made[key] = pgcluster.with_database(self.server)
        return self.made[key][0]

    def argv(self, args: Sequence[str]) -> list[str]:
        """The command line with each store it names replaced by its database's URL."""
        out = list(args)
        command = _command(out)
        names = ("--db", *STORE_OPTIONS.get(command or "", ()))
        i = 0
        while i < len(out):
            a = out[i]
            if a in names and i + 1 < len(out):
                out[i + 1] = self.url(out[i + 1])
                i += 1
            elif "=" in a and a.split("=", 1)[0] in names:
                name, value = a.split("=", 1)
                out[i] = f"{name}={self.url(value)}"
            elif a == "--":
                break
            i += 1
        return out

    def env(self, environ: Mapping[str, str]) -> dict[str, str]:
        """TIMELINE_DB for a child process or a call of `main`: the file it names (or
        `timeline.db` in the working directory) as its database's URL."""
        return {**environ, "TIMELINE_DB": self.url(environ.get("TIMELINE_DB")
                                                   or "timeline.db")}

    @contextmanager
    def environ(self) -> Iterator[None]:
        """os.environ's TIMELINE_DB mapped for the duration of one in-process `main`."""
        before = os.environ.get("TIMELINE_DB")
        os.environ["TIMELINE_DB"] = self.env(os.environ)["TIMELINE_DB"]
        try:
            yield
        finally:
            if before is None:
                os.environ.pop("TIMELINE_DB", None)
            else:
                os.environ["TIMELINE_DB"] = before

    def path_of(self, url: str) -> Path | None:
        """The file a database stands for (for messages in failing tests)."""
        return next((Path(k) for k, (u, _) in self.made.items() if u == url), None)

    def drop(self) -> None:
        for _, name in self.made.values():
            pgcluster.drop_database(self.server, name)
        self.made.clear()


def _command(args: Sequence[str]) -> str | None:
    """The subcommand: the first word that is neither an option nor the top-level --db's value."""
    i = 0
    while i < len(args):
        a = args[i]
        if a == "--db":
            i += 2
            continue
        if not a.startswith("-"):
            return a
        i += 1
    return None
