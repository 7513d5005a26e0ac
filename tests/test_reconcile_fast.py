"""The shortcuts of merging and of the facts give what the long way gives, on the fixtures:
an event of one mention (`_build_one`), clustering again from its memo, a fact's key."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from timeline import ahead, ingest, pipeline, reconcile, vocabulary
from timeline import events as ev

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def rec() -> pipeline.Reconstruction:
    docs = []
    for path in sorted((ROOT / "fixtures").rglob("*.txt")):
        name = str(path.relative_to(ROOT))
        docs.append(pipeline.doc_from_parsed(ingest.parse(name, path.read_bytes()), name))
    timexes = {d.id: ahead.payloads(pipeline.timex_facts(d, pipeline.header_date(d), "e"))
               for d in docs}
    return pipeline.reconstruct(docs, timexes)


def _dates(rec: pipeline.Reconstruction) -> dict[str, str | None]:
    return {k: v.date for k, v in rec.dates.items()}


def test_an_event_of_one_mention_is_the_event_the_long_way_builds(
        rec: pipeline.Reconstruction) -> None:
    kinds = {n: k for lang in ("en", "es", "ru") for n, k in vocabulary.kinds(lang).items()}
    assert len(rec.mentions) > 500
    timed = ranged = 0
    for m in rec.mentions:
        assert reconcile._build_one(m, kinds) == reconcile._build([m], kinds)
        timed += bool(m.get("time"))
        ranged += bool(m.get("time") and m["time"].get("end_value"))
    assert timed and ranged  # the fixtures have dated mentions and ranges to compare


def test_clustering_from_its_memo_is_clustering_afresh(rec: pipeline.Reconstruction) -> None:
    mentions, dates = rec.mentions, _dates(rec)
    memo: reconcile.Buckets = {}
    fresh = reconcile.cluster(mentions, dates)
    assert reconcile.cluster(mentions, dates, memo) == fresh
    assert reconcile.cluster(mentions, dates, memo) == fresh
    # a few mentions change (new objects, as dating rounds make), one plan's document a date
    changed: list[dict[str, Any]] = []
    dated = [m for m in mentions if m.get("time")]
    for i, m in enumerate(mentions):
        if i % 7 == 0 and m.get("time"):
            changed.append({**m, "time": None})
        elif i % 11 == 0 and not m.get("time"):
            changed.append({**m, "time": dated[i % len(dated)]["time"]})
        else:
            changed.append(m)
    plan = next(m for m in mentions if m["status"] == "planned")
    moved = {**dates, plan["document"]: "2001-01-01"}
    again = reconcile.cluster(changed, moved, memo)
    assert again == reconcile.cluster(changed, moved)
    assert again != fresh


def test_a_facts_key_is_its_format_over_its_fields(rec: pipeline.Reconstruction) -> None:
    facts = pipeline.reconstruction_facts(rec, "e")
    seen = set()
    for fs in facts.values():
        for f in fs:
            if hasattr(f, "key_format"):
                assert f.key == f.key_format.format_map(ev.to_data(f))
                seen.add(type(f))
    assert {ev.MentionFound, ev.EventFormed, ev.TimexFound, ev.DocumentDated} <= seen
