"""`timeline run --executor dask://HOST:PORT`: the per-document stages on a real Dask cluster
(a LocalCluster of two worker processes on 127.0.0.1, started here), the log the same as a
run in one process; a document that fails or kills its worker costs that document only."""

from __future__ import annotations

import json
import shutil
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import FIXTURES
from tests.storesql import rows
from timeline.cli.pool import Lost

CLI = Callable[..., tuple[int, str, str]]
MARK = "ZZDASKFAULT"

try:
    import distributed
except ImportError:  # the extra [dask] is not installed
    distributed = None

needs_dask = pytest.mark.skipif(distributed is None,
                                reason="distributed is not installed (extra [dask])")


@pytest.fixture(scope="module")
def local_cluster() -> Iterator[Any]:
    import dask

    # a task whose worker dies is given to one other worker, then counts as lost (and the
    # run tries it once more): four deaths, not eight, keep the test short
    with dask.config.set({"distributed.scheduler.allowed-failures": 1}), \
            distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                     host="127.0.0.1", dashboard_address=None) as c:
        yield c


@pytest.fixture
def cluster(local_cluster: Any) -> Any:
    """The module's cluster with both workers up (a test that kills workers leaves the
    nannies starting new ones)."""
    local_cluster.wait_for_workers(2, timeout=180)
    return local_cluster


def address(cluster: Any) -> str:
    return cluster.scheduler_address.replace("tcp://", "dask://")


def facts(db: str) -> list[tuple[Any, ...]]:
    """The log apart from what a clock or a run id makes different."""
    return rows(db, "SELECT event_id, type, stream, data FROM log WHERE type NOT IN "
                "('RunStarted', 'RunFinished') ORDER BY seq")


@needs_dask
def test_the_log_is_the_same_on_a_dask_cluster(cli: CLI, tmp_path: Path, cluster: Any) -> None:
    docs = tmp_path / "docs"
    shutil.copytree(FIXTURES, docs)
    (docs / "zz_broken.txt").write_bytes(b"")
    first = sorted(docs.rglob("*.txt"))[3]
    text = first.read_text(encoding="utf-8")
    runs: dict[str, tuple[list[Any], str]] = {}
    # no time budget: on a loaded machine the first document (which loads the models) could
    # run out of it in this process, where the timer works, and not on a worker, where it
    # cannot; the budget is not what this compares
    for how in (("--jobs", "1", "--doc-budget", "0"),
                ("--executor", address(cluster), "--doc-budget", "0")):
        db = tmp_path / f"{how[0][2:]}.db"
        code, _, err = cli("--db", str(db), "run", *how, str(docs))
        assert code == 1 and "zz_broken.txt" in err  # the broken file is rejected either way
        first.write_text(text + "\nTwo days later, on Friday, talks resumed.\n",
                         encoding="utf-8")
        (docs / "zz_new.txt").write_text("date 2023-09-20\n\nA storm hit the coast on Monday.\n",
                                         encoding="utf-8")
        assert cli("--db", str(db), "run", *how, str(docs))[0] == 1
        first.write_text(text, encoding="utf-8")
        (docs / "zz_new.txt").unlink()
        assert cli("--db", str(db), "verify")[0] == 0
        code, shown, _ = cli("--db", str(db), "show", "--format", "json")
        assert code == 0
        runs[how[0]] = (facts(cli.db(db)), shown)
    assert len(runs["--jobs"][0]) > 900
    assert json.loads(runs["--jobs"][1])  # a timeline to compare, not two empty ones
    assert runs["--executor"] == runs["--jobs"]


@needs_dask
def test_documents_go_to_the_cluster_whatever_this_host_has(
        cli: CLI, tmp_path: Path, cluster: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """Even one document, even on a one-core host: the stages are not run in the run's
    process (where they would read the files' bytes here, not on a worker)."""
    from timeline.cli import feed

    def here(*_args: Any) -> Any:
        raise AssertionError("derived in the run's process")

    monkeypatch.setattr(feed, "document", here)
    monkeypatch.setattr("os.cpu_count", lambda: 1)
    (tmp_path / "a.txt").write_text("date 2023-09-20\n\nA storm hit the coast on Monday.\n",
                                    encoding="utf-8")
    code, _, err = cli("--db", str(tmp_path / "t.db"), "run", "--executor", address(cluster),
                       str(tmp_path / "a.txt"))
    assert code == 0, err
    assert "1 new" in err


def _fail_on_mark(mark: str) -> None:
    """On a worker: the tagging stage raises on a document holding `mark` (as
    tests/test_isolation.py's Fault does in one process)."""
    from timeline import temporal

    real = getattr(temporal, "_real_tag", temporal.tag)

    def tag(text: str, *args: Any, **kw: Any) -> Any:
        if mark in text:
            raise ValueError("injected\nfault")
        return real(text, *args, **kw)

    temporal._real_tag = real  # type: ignore[attr-defined]
    temporal.tag = tag


def _heal() -> None:
    from timeline import temporal

    temporal.tag = getattr(temporal, "_real_tag", temporal.tag)


@needs_dask
def test_a_stage_failing_on_a_worker_costs_that_document_only(
        cli: CLI, tmp_path: Path, cluster: Any) -> None:
    docs = tmp_path / "docs"
    shutil.copytree(FIXTURES, docs)
    seed = sorted(docs.rglob("*.txt"))[0]
    (docs / "zz_marked.txt").write_text(seed.read_text(encoding="utf-8") + f"\n{MARK}\n",
                                        encoding="utf-8")
    db = tmp_path / "t.db"
    with distributed.Client(cluster) as client:
        client.run(_fail_on_mark, MARK)
        try:
            code, _, err = cli("--db", str(db), "run", "--executor", address(cluster),
                               str(docs))
        finally:
            client.run(_heal)
    assert code == 1
    assert [line for line in err.splitlines() if "zz_marked.txt" in line]
    failed = [json.loads(d) for (d,) in rows(
        cli.db(db), "SELECT data FROM log WHERE type = 'DocumentFailed'")]
    paths = {json.loads(d)["path"] for (d,) in rows(
        cli.db(db), "SELECT data FROM log WHERE type = 'DocumentIngested'")}
    assert len(failed) == 1 and failed[0]["stage"] == "tag"
    assert failed[0]["error"] == "ValueError"
    assert len(paths) == len(list(FIXTURES.rglob("*.txt")))  # every other document landed
    assert not any("zz_marked" in p for p in paths)


def _pool(cluster: Any, timeout: Callable[[str], float] = lambda _task: 300.0) -> Any:
    """A DaskPool whose tasks are expressions a worker evaluates."""
    from timeline.cli.dask_pool import Cluster
    from timeline.engine import engine_version

    client = Cluster(address(cluster), engine_version())
    from timeline.cli.dask_pool import DaskPool

    return DaskPool(client, eval, (), timeout)


def _results(pool: Any, tasks: list[str]) -> list[Any]:
    try:
        for t in tasks:
            pool.submit(t)
        return [pool.next(t) for t in tasks]
    finally:
        pool.close()
        pool.cluster.close()


@needs_dask
def test_results_come_in_the_order_submitted(cluster: Any) -> None:
    tasks = [f"__import__('time').sleep({0.3 if i % 3 == 0 else 0}) or {i}" for i in range(12)]
    assert _results(_pool(cluster), tasks) == list(range(12))


@needs_dask
def test_a_task_that_raises_on_a_worker_is_a_lost_document(cluster: Any) -> None:
    got = _results(_pool(cluster), ["1", "1 / 0", "3"])
    assert got[0] == 1 and got[2] == 3
    assert isinstance(got[1], Lost) and got[1].error == "ZeroDivisionError"


@needs_dask
def test_a_task_with_no_result_in_time_is_lost_as_too_slow(cluster: Any) -> None:
    # it ends by itself: a worker's running task is given up on, it cannot be interrupted
    slow = "__import__('time').sleep(15)"
    got = _results(_pool(cluster, lambda task: 1.0 if task == slow else 300.0),
                   ["1", slow, "3"])
    assert got[0] == 1 and got[2] == 3
    assert isinstance(got[1], Lost) and got[1].error == "TooSlow"


@needs_dask
def test_an_unreachable_scheduler_is_exit_2_naming_it(cli: CLI, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    from timeline.cli import dask_pool

    monkeypatch.setattr(dask_pool, "CONNECT_SECONDS", 1.0)
    (tmp_path / "a.txt").write_text("date 2023-09-20\n\nA storm hit on Monday.\n",
                                    encoding="utf-8")
    code, out, err = cli("--db", str(tmp_path / "t.db"), "run", "--executor",
                         "dask://127.0.0.1:9", str(tmp_path / "a.txt"))
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "dask://127.0.0.1:9" in lines[0]
    assert "cannot reach the Dask scheduler" in lines[0]
    assert "Traceback" not in err


def test_without_the_extra_it_is_exit_2_saying_what_to_install(
        cli: CLI, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed: ImportError
    (tmp_path / "a.txt").write_text("date 2023-09-20\n\nA storm hit on Monday.\n",
                                    encoding="utf-8")
    code, _, err = cli("--db", str(tmp_path / "t.db"), "run", "--executor",
                       "dask://127.0.0.1:8786", str(tmp_path / "a.txt"))
    assert code == 2
    assert err.strip().splitlines() == [
        "timeline: --executor dask://127.0.0.1:8786: Dask is not installed here "
        "(pip install 'timeline-reconstruction[dask]')"]


@pytest.mark.parametrize("value", ["dask", "dask://host", "tcp://h:1", "dask://h:port", ""])
def test_executor_must_be_local_or_a_dask_address(cli: CLI, tmp_path: Path,
                                                  value: str) -> None:
    with pytest.raises(SystemExit) as exc:
        cli("run", "--executor", value, str(tmp_path))
    assert exc.value.code == 2


def test_jobs_is_for_the_local_executor(cli: CLI, tmp_path: Path) -> None:
    code, _, err = cli("--db", str(tmp_path / "t.db"), "run", "--jobs", "2", "--executor",
                       "dask://127.0.0.1:8786", str(tmp_path))
    assert code == 2 and "--jobs is for --executor local" in err


@needs_dask
def test_a_worker_lost_mid_task_is_retried_on_another(cluster: Any, tmp_path: Path) -> None:
    once = tmp_path / "died-once"
    dies_once = (f"(__import__('os').path.exists({str(once)!r}) or "
                 f"(open({str(once)!r}, 'w').close(), __import__('os')._exit(3))) and 7")
    always = "__import__('os')._exit(3)"
    got = _results(_pool(cluster), ["1", dies_once, always, "4"])
    assert once.exists()  # a worker did die on it
    assert got[0] == 1 and got[1] == 7 and got[3] == 4
    assert isinstance(got[2], Lost) and got[2].error == "WorkerDied"
