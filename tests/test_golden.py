"""Golden timelines: the full reconstruction of each fixture story, field by field.

The acceptance tests check what must hold; these catch every other change in what users
see. After a deliberate change, regenerate and review the diff:

    UPDATE_GOLDEN=1 python -m pytest tests/test_golden.py
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest
from conftest import FIXTURES

GOLDEN = Path(__file__).parent / "golden"
STORIES = {"summit": "*.txt", "bridge": "bridge/*.txt", "storm": "storm/*.txt",
           "bailout": "bailout/*.txt", "shooting": "shooting/*.txt",
           "wildfire": "wildfire/*.txt", "runoff": "runoff/*.txt",
           "crash": "crash/*.txt", "geneva": "geneva/*.txt"}


def _view(snap: dict[str, Any]) -> dict[str, Any]:
    """What a reader sees, without ids and paths that say nothing about the reconstruction."""
    names = {d["id"]: Path(d["path"]).name for d in snap["documents"]}
    titles = {e["id"]: f"{e['kind']} {e['start']} {e['title']}" for e in snap["events"]}
    return {
        "documents": sorted([names[d["id"]], d["language"], d["date"], d["date_basis"]]
                            for d in snap["documents"]),
        "events": sorted(
            ([titles[e["id"]], e["status"], e["rank"], e["end"], e["place"],
              sorted({names[s["document"]] for s in e["sources"]})] for e in snap["events"]),
            key=lambda row: (row[0], row[2])),
        "conflicts": sorted([titles[c["event"]], c["attribute"],
                             sorted(v["value"] for v in c["values"])]
                            for c in snap["conflicts"]),
        "constraints": sorted([titles[c["before"]], titles[c["after"]], c["cue"],
                               not c.get("rejected")] for c in snap["constraints"]),
    }


@pytest.mark.parametrize("story", sorted(STORIES))
def test_golden_timeline(cli: Any, tmp_path: Path, story: str) -> None:
    d = tmp_path / story
    d.mkdir()
    for f in sorted(FIXTURES.glob(STORIES[story])):
        shutil.copy(f, d / f.name)
    code, _, err = cli("run", str(d))
    assert code == 0, err
    view = _view(json.loads(cli("show", "--format", "json")[1]))
    path = GOLDEN / f"{story}.json"
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_text(json.dumps(view, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    golden = json.loads(path.read_text(encoding="utf-8"))
    for part in ("documents", "events", "conflicts", "constraints"):
        want, got = golden[part], json.loads(json.dumps(view[part]))
        missing = [x for x in want if x not in got]
        extra = [x for x in got if x not in want]
        assert not missing and not extra, (
            f"{story} {part} changed\n  no longer there: {missing}\n  new: {extra}")
