"""A real PostgreSQL server for the tests: a throwaway cluster (scripts/pg_cluster.sh) or the
one TIMELINE_TEST_PG names, and a fresh database per test. No mock."""

from __future__ import annotations

import glob
import os
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts" / "pg_cluster.sh"


def _unavailable(why: str) -> None:
    if os.environ.get("TIMELINE_REQUIRE_POSTGRES") == "1":
        pytest.fail(f"TIMELINE_REQUIRE_POSTGRES=1 but {why}")
    pytest.skip(why)


def server() -> Iterator[str]:
    """The URL of a maintenance database on a running server (postgres superuser)."""
    try:
        import psycopg  # noqa: F401
    except ImportError:
        _unavailable("psycopg is not installed (pip install '.[postgres]')")
    given = os.environ.get("TIMELINE_TEST_PG")
    if given:
        yield given
        return
    if not glob.glob("/usr/lib/postgresql/*/bin/initdb"):
        _unavailable("no PostgreSQL binaries in /usr/lib/postgresql/*/bin "
                     "(apt-get install postgresql)")
    where = tempfile.mkdtemp(prefix="timeline-pg-")  # not under pytest's 0700 directories:
    os.chmod(where, 0o755)  # the cluster may belong to another user (root runs it as nobody)
    env = {**os.environ, "TIMELINE_PG_OPTIONS": "-c fsync=off -c max_connections=60"}
    out = subprocess.run(["bash", str(SCRIPT), "start", where], env=env, capture_output=True,
                         text=True, timeout=120)
    if out.returncode != 0:
        _unavailable(f"pg_cluster.sh start failed: {out.stderr.strip()[-300:]}")
    url = out.stdout.strip().split("=", 1)[1]
    try:
        yield url
    finally:
        subprocess.run(["bash", str(SCRIPT), "stop", where], capture_output=True, timeout=120)


def with_database(server_url: str, name: str | None = None) -> tuple[str, str]:
    """(URL of a new empty database, its name)."""
    import psycopg

    name = name or f"tl_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return server_url.rsplit("/", 1)[0] + f"/{name}", name


def drop_database(server_url: str, name: str) -> None:
    import psycopg

    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
