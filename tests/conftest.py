from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

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
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> Callable[..., tuple[int, str, str]]:
    """Run the CLI in a temporary working directory; returns (exit code, stdout, stderr)."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("NO_COLOR", "1")

    def run(*args: str) -> tuple[int, str, str]:
        code = main(list(args))
        out, err = capsys.readouterr()
        return code, out, err

    return run


# ------------------------------------------------------------------ the stores under test


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--store", choices=["both", "sqlite", "postgres"], default="both",
                     help="which stores the tests taking `store_db` run against (default "
                          "both; PostgreSQL skips, saying why, when no server can be started)")


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
def store_db(store_kind: str, tmp_path: Path, request: pytest.FixtureRequest) -> str:
    """What `--db` names for this test: a SQLite file, or a PostgreSQL database."""
    if store_kind == "postgres":
        return str(request.getfixturevalue("pg_url"))
    return str(tmp_path / "t.db")
