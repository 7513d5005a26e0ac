from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from timeline.cli import main

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "fixtures"
SEEDS = sorted(FIXTURES.glob("*.txt"))


@pytest.fixture(scope="session", autouse=True)
def grammar_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The CLI keeps compiled grammars in the user's cache directory (cli/cache.py): the
    tests, and the processes they start, keep theirs in a temporary one."""
    before = os.environ.get("TIMELINE_CACHE_DIR")
    where = tmp_path_factory.mktemp("grammar-cache")
    os.environ["TIMELINE_CACHE_DIR"] = str(where)
    yield where
    if before is None:
        os.environ.pop("TIMELINE_CACHE_DIR", None)
    else:
        os.environ["TIMELINE_CACHE_DIR"] = before


@pytest.fixture
def seeds(tmp_path: Path) -> Path:
    """A private copy of the five seed articles."""
    d = tmp_path / "seeds"
    d.mkdir()
    for f in SEEDS:
        shutil.copy(f, d / f.name)
    return d


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
        request: pytest.FixtureRequest) -> Callable[..., tuple[int, str, str]]:
    """Run the CLI in a temporary working directory; returns (exit code, stdout, stderr).
    Under `--store postgres` each database file it names is a PostgreSQL database of its own
    (`pg_databases`, tests/pgmap.py)."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("NO_COLOR", "1")
    dbs = (request.getfixturevalue("pg_databases")
           if request.config.getoption("--store") == "postgres" else None)

    def run(*args: str) -> tuple[int, str, str]:
        if dbs is None:
            code = main(list(args))
        else:
            with dbs.environ():
                code = main(dbs.argv(args))
        out, err = capsys.readouterr()
        return code, out, err

    def db(name: str | Path = "timeline.db") -> str:
        """What the CLI calls store `name` in this test: the file, or its database's URL
        (open it with `timeline.store.connect`)."""
        return str(name) if dbs is None else dbs.url(name)

    run.db = db  # type: ignore[attr-defined]
    return run


# ------------------------------------------------------------------ the stores under test


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--store", choices=["both", "sqlite", "postgres"], default="both",
                     help="which stores the tests taking `store_db` run against (default "
                          "both; PostgreSQL skips, saying why, when no server can be started)")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "sqlite_only(reason): about the SQLite file itself "
                            "(sqlite3 on the file, permissions, WAL, file locks); skipped "
                            "under --store postgres")
    config.addinivalue_line("markers", "store: runs the CLI on a store without the `cli` "
                            "fixture (a child process through `pg_databases`); kept under "
                            "--store postgres")


# what makes a test depend on the store: without one of these it runs the same under both
STORE_FIXTURES = {"cli", "child_db", "store_db", "pg_url", "pg_server", "pg_databases"}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Under --store postgres: the tests about SQLite skip (saying why), and the tests that
    never open a store are deselected (the SQLite pass runs them; they would run the same)."""
    if config.getoption("--store") != "postgres":
        return
    keep, drop = [], []
    for item in items:
        mark = item.get_closest_marker("sqlite_only")
        if mark is not None:
            why = mark.args[0] if mark.args else mark.kwargs.get("reason", "about SQLite")
            item.add_marker(pytest.mark.skip(reason=f"sqlite_only: {why}"))
        uses = set(getattr(item, "fixturenames", ())) & STORE_FIXTURES
        (keep if uses or item.get_closest_marker("store") else drop).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "store_kind" in metafunc.fixturenames:
        choice = metafunc.config.getoption("--store")
        metafunc.parametrize("store_kind", ["sqlite", "postgres"] if choice == "both"
                             else [choice])


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    from tests import pgcluster

    yield from pgcluster.server()


@pytest.fixture
def pg_url(pg_server: str) -> Iterator[str]:
    """A fresh, empty PostgreSQL database, dropped afterwards."""
    from tests import pgcluster

    url, name = pgcluster.with_database(pg_server)
    yield url
    pgcluster.drop_database(pg_server, name)


@pytest.fixture
def pg_databases(pg_server: str) -> Iterator[Any]:
    """Under --store postgres: the database each file a test names maps to (tests/pgmap.py);
    all dropped afterwards."""
    from tests.pgmap import Databases

    dbs = Databases(pg_server)
    yield dbs
    dbs.drop()


@pytest.fixture
def child_db(request: pytest.FixtureRequest) -> Callable[[str | Path], str]:
    """For a test that starts `timeline` as a child process (signals, `--every`, what a run
    keeps between processes): what the child's `--db` (or TIMELINE_DB) is for a database
    file, so that the test runs under both passes. The file itself, or under --store
    postgres the file's PostgreSQL database (`pg_databases`, tests/pgmap.py); read it back
    with tests/storesql.py or `timeline.store.connect`."""
    if request.config.getoption("--store") != "postgres":
        return lambda db: str(db)
    return request.getfixturevalue("pg_databases").url


@pytest.fixture
def store_db(store_kind: str, tmp_path: Path, request: pytest.FixtureRequest) -> str:
    """What `--db` names for this test: a SQLite file, or a PostgreSQL database."""
    if store_kind == "postgres":
        return str(request.getfixturevalue("pg_url"))
    return str(tmp_path / "t.db")
