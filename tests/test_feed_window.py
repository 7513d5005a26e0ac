"""The feed's window of documents in flight (cli/feed.py): bounded, in input order, however
many unchanged files lie between the documents."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from timeline.cli import feed as feed_mod
from timeline.cli.derive import Settings, Task


class FakePool:
    """Records what is submitted and how many tasks are out at most."""

    def __init__(self, jobs: int) -> None:
        self.jobs = jobs
        self.out: list[str] = []
        self.most = 0
        self.taken: list[str] = []

    def submit(self, task: Task) -> None:
        self.out.append(task.name)
        self.most = max(self.most, len(self.out))

    def next(self, task: Task) -> Any:
        assert self.out[0] == task.name  # oldest first
        self.taken.append(self.out.pop(0))
        return task.name

    def close(self, *, kill: bool = False) -> None:
        assert not kill


def _files(tmp_path: Path, n: int) -> list[Path]:
    out = []
    for i in range(n):
        p = tmp_path / f"d{i:05}.txt"
        p.write_text(f"date 2024-01-0{1 + i % 9}\n\nText {i}.\n", encoding="utf-8")
        out.append(p)
    return out


def test_unchanged_files_between_documents_do_not_widen_the_window(tmp_path: Path) -> None:
    files = _files(tmp_path, 600)
    new = {f.name for f in files[::50]} | {f.name for f in files[-30:]}
    pool = FakePool(jobs=2)
    settings = Settings("e", float("inf"), None, 1 << 20)
    items = list(feed_mod.feed(
        files, settings, 2, set(), lambda name, _st: Path(name).name not in new,
        lambda _digest: None, pool_min=3, start=lambda *_a: pool))
    assert [i.path for i in items] == files  # every file, in input order
    got = [i.ticket.get() for i in items if i.ticket is not None]
    assert sorted(Path(g).name for g in got) == sorted(new)
    assert pool.taken == got  # derived in input order
    assert 0 < pool.most <= pool.jobs * feed_mod.AHEAD + 1
