"""Fault isolation per document: a stage that fails on one document costs that document only.

A fault is injected by wrapping one stage so that it raises (or stalls) on the text of one
document, a copy of a seed article with a marker line: the rest of the batch must land, the
file be named on one line of stderr, the run exit 1, the failure be remembered (no retry, no
new rows under the same engine) and retried by a new engine version.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import SEEDS
from tests.storesql import rows, value
from timeline import dating, extract, ingest, pipeline, segment, temporal
from timeline.cli import guard as guard_module
from timeline.cli import run as run_module

MARK = "ZZMARKER"
BRIDGE = ("date 2023-09-14\n\nRussian President Vladimir Putin and North Korean leader Kim Jong "
          "Un met on Wednesday at the Vostochny Cosmodrome in Russia, while NATO said that "
          "Armenia and Yerevan had not applied to join the alliance; Fellinger and Vahan "
          "Kostanyan disagreed.")


def _has_mark(value: Any) -> bool:
    if isinstance(value, bytes):
        return MARK.encode() in value
    if isinstance(value, str):
        return MARK in value
    return MARK in getattr(value, "text", "")


# stage name -> (module, function, which positional argument holds the text)
STAGES: dict[str, tuple[Any, str, int]] = {
    "parse": (ingest, "parse", 1),
    "tag": (temporal, "tag", 0),
    "segment": (segment, "segments", 1),
    "date": (dating, "from_content", 0),
    "extract": (extract, "mentions", 1),
}


class Fault:
    """Wraps a stage: calls on the marked document raise (or run `effect`), and are counted."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, stage: str,
                 effect: Callable[[], Any] | None = None) -> None:
        module, name, arg = STAGES[stage]
        self.real = getattr(module, name)
        self.calls = 0
        self.active = True

        def wrapper(*args: Any, **kw: Any) -> Any:
            if _has_mark(args[arg]):
                self.calls += 1
                if self.active:
                    if effect is None:
                        raise ValueError("injected\nfault")
                    effect()
            return self.real(*args, **kw)

        monkeypatch.setattr(module, name, wrapper)


@pytest.fixture
def corpus(tmp_path: Path) -> tuple[Path, Path]:
    """Seeds, and the same seeds beside a marked article whose one paragraph names people of
    two of their stories: counted, it would join them into one."""
    good, mixed = tmp_path / "good", tmp_path / "mixed"
    for d in (good, mixed):
        d.mkdir()
        for f in SEEDS:
            shutil.copy(f, d / f.name)
    (mixed / "zz_bad.txt").write_text(BRIDGE + f" {MARK}\n", encoding="utf-8")
    return good, mixed


def _events(db: str) -> list[tuple[Any, ...]]:
    return rows(db, 'SELECT id, story, kind, start, "end", title, status, rank, '
                        "source_count FROM events ORDER BY id")


def _head(db: str) -> int:
    return value(db, "SELECT max(seq) FROM log")


def _bad_lines(err: str) -> list[str]:
    return [line for line in err.splitlines() if "zz_bad.txt" in line]


@pytest.mark.parametrize("stage", list(STAGES))
def test_a_stage_failing_on_one_document_costs_that_document_only(
        stage: str, cli: Any, corpus: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    good, mixed = corpus
    assert cli("--db", "good.db", "run", str(good))[0] == 0
    Fault(monkeypatch, stage)
    code, _, err = cli("run", str(mixed))
    assert code == 1
    assert "Traceback" not in err
    (line,) = _bad_lines(err)
    assert f"internal error in {stage}: ValueError: injected fault" in line
    assert "1 failed" in err
    paths = {p for (p,) in rows(cli.db(), "SELECT path FROM documents")}
    assert {f.name for f in SEEDS} <= {Path(p).name for p in paths}
    ingested = any(p.endswith("zz_bad.txt") for p in paths)
    assert ingested == (stage not in ("parse", "tag"))  # a per-document fault: nothing lands
    # left out of the reconstruction: the timeline is the one without it
    assert _events(cli.db()) == _events(cli.db("good.db"))
    assert not value(cli.db(), "SELECT count(*) FROM mentions m JOIN documents d ON "
                     "d.id = m.document WHERE d.path LIKE '%zz_bad.txt'")
    reason = value(cli.db(), "SELECT reason FROM rejections WHERE path LIKE '%zz_bad.txt'")
    assert reason.startswith(f"internal error in {stage}: ValueError")
    (failed,) = [r for (r,) in rows(cli.db(), "SELECT data FROM log WHERE type = "
                                          "'DocumentFailed'")]
    assert '"error":"ValueError"' in failed and f'"stage":"{stage}"' in failed
    assert cli("verify")[0] == 0


@pytest.mark.parametrize("stage", ["tag", "extract"])
def test_a_failed_document_is_not_retried_under_the_same_engine_and_is_under_a_new_one(
        stage: str, cli: Any, corpus: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    _good, mixed = corpus
    fault = Fault(monkeypatch, stage)
    assert cli("run", str(mixed))[0] == 1
    head, tried = _head(cli.db()), fault.calls
    assert tried >= 1
    (mixed / "new.txt").write_text("date 2023-09-20\n\nA storm hit the coast on Monday.\n",
                                   encoding="utf-8")
    for _ in range(2):  # same engine: no new attempt, no new failure row, still reported
        code, _, err = cli("run", str(mixed))
        assert code == 1
        (line,) = _bad_lines(err)
        assert "not processed" in line and "failed before" in line
        assert fault.calls == tried
    assert value(cli.db(), "SELECT count(*) FROM log WHERE type = 'DocumentFailed' AND seq > ?",
                 (head,)) == 0
    assert value(cli.db(), "SELECT count(*) FROM documents WHERE path LIKE '%new.txt'"
                 ) == 1  # the batch beside it still lands
    # a new engine version retries it; the bug fixed, it lands whole
    fault.active = False
    monkeypatch.setattr(run_module, "engine_version", lambda: "9.9.9+test")
    code, _, err = cli("run", str(mixed))
    assert code == 0, err
    assert fault.calls > tried
    assert not _bad_lines(err)
    assert value(cli.db(), "SELECT count(*) FROM mentions m JOIN documents d "
                 "ON d.id = m.document WHERE d.path LIKE '%zz_bad.txt'") > 0
    head = _head(cli.db())
    assert cli("run", str(mixed))[0] == 0
    assert _head(cli.db()) == head


def test_a_document_over_its_time_budget_is_skipped_as_too_slow(
        cli: Any, corpus: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    _good, mixed = corpus
    monkeypatch.setattr(guard_module, "FLOOR", 0.2)
    fault = Fault(monkeypatch, "tag", effect=lambda: time.sleep(60))
    code, _, err = cli("run", "--doc-budget", "0.01", str(mixed))
    assert code == 1
    (line,) = _bad_lines(err)
    assert "too slow: more than 0.2 s in tag" in line
    assert value(cli.db(), "SELECT count(*) FROM documents") == len(SEEDS)
    assert value(cli.db(), "SELECT reason FROM rejections").startswith("too slow")
    # the same budget: not tried again; a larger one (here none): tried again
    cli("run", "--doc-budget", "0.01", str(mixed))
    assert fault.calls == 1
    fault.active = False
    code, _, err = cli("run", "--doc-budget", "0", str(mixed))
    assert (code, fault.calls) == (0, 2), err


def test_the_timer_is_disarmed_after_each_stage(monkeypatch: pytest.MonkeyPatch) -> None:
    import signal

    monkeypatch.setattr(guard_module, "FLOOR", 0.05)
    g = guard_module.Guard("e", 1.0, [])
    subject = guard_module.Subject("a.txt", 10)
    assert g.run("tag", subject, lambda: 42) == 42
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    time.sleep(0.1)  # an armed timer would raise TooSlow here
    with pytest.raises(pipeline.Excluded):
        g.run("tag", subject, lambda: time.sleep(5))
    assert [f.error for f in g.failed] == ["TooSlow"]


def test_reconstruct_leaves_out_what_its_guard_excludes() -> None:
    docs = [pipeline.Doc(f"d{i}", f"{i}.txt", "en", {"date": "2023-09-14"},
                         f"Leaders met in Geneva on Monday. Talks {i} began on Tuesday.", 0)
            for i in range(3)]
    timexes = {d.id: [ev_data(t, d) for t in pipeline.timex_facts(d, "2023-09-14", "e")]
               for d in docs}

    def guard(doc: pipeline.Doc, stage: str, fn: Callable[[], Any]) -> Any:
        if doc.id == "d1" and stage == "extract":
            raise pipeline.Excluded(doc.id)
        return fn()

    rec = pipeline.reconstruct(docs, timexes, guard=guard)
    assert rec.excluded == {"d1"}
    assert set(rec.dates) == {"d0", "d2"}
    assert {m["document"] for m in rec.mentions} == {"d0", "d2"}


def ev_data(t: Any, _doc: pipeline.Doc) -> dict[str, Any]:
    from timeline import events as ev

    return ev.to_data(t)
