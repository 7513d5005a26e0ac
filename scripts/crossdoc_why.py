"""Why gold merges are missed: for every pair of documents a gold event lists whose
mentions the run did not merge, each side's candidate mentions (kind, label, lemma, time,
participants) and the check of `timeline.reconcile.refusal` that kept them apart.

    python scripts/crossdoc_why.py fixtures/ratecut [fixtures/bridge ...]

A candidate is a mention whose kind, or label, is the gold event's kind. The set runs
in-process (the CLI's `run`), the last merge's mentions captured, so the checks see what
clustering saw. A diagnostic for people: it decides nothing.
"""

from __future__ import annotations

import itertools
import json
import shutil
import sys
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from timeline import cli, reconcile
from timeline import salience as sal
from timeline.vocabulary import identity_names

Seen: dict[str, Any] = {}


def _capture() -> None:
    real = reconcile.merge

    def merge(mentions: Any, doc_dates: Any, kinds: Any, memo: Any = None) -> Any:
        Seen.update(mentions=list(mentions), dates=dict(doc_dates))
        return real(mentions, doc_dates, kinds, memo)

    reconcile.merge = merge


def _show(m: Mapping[str, Any]) -> str:
    t = m.get("time") or {}
    return (f"{m['document'][:8]} '{m.get('trigger', '')}' "
            f"kind={m['kind'] or '-'} label={m.get('label')} lemma={m.get('lemma')} "
            f"status={m['status']} time={t.get('value')}({t.get('source')}) "
            f"people={m.get('participants')} place={m.get('place')}")


def why(a: Mapping[str, Any], b: Mapping[str, Any], dates: Mapping[str, Any]) -> str:
    """The check that keeps `b` out of a cluster founded by `a` (None printed as 'joins')."""
    if sal.group(a) != sal.group(b):
        return f"bucket {sal.group(a)} vs {sal.group(b)}"
    open_class = sal.group(a)[1].startswith("~")
    if open_class and (sal.alone(a) or sal.alone(b)):
        return "alone (an open-class mention naming nobody)"
    c = {"time": reconcile._time_of(a), "place": a.get("place"), "members": [a],
         "planned": a["status"] == "planned", "days": {}, "which": {},
         "docs": {a["document"]}}
    ids = identity_names()
    which = {n: v for n, v in (b.get("attributes") or {}).items() if n in ids}
    planned_after = dates.get(b["document"]) if b["status"] == "planned" else None
    got = reconcile.refusal(b, c, reconcile._time_of(b), reconcile._day_of(b), which,
                            planned_after, open_class)
    return got or "joins alone (another cluster took one side first)"


def report(folder: Path) -> None:
    gold = json.loads((folder / "gold.json").read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory() as tmp:
        docs = Path(tmp) / "docs"
        docs.mkdir()
        for f in folder.glob("*.txt"):
            shutil.copy(f, docs / f.name)
        cli.main(["--db", str(Path(tmp) / "t.db"), "run", str(docs)])
    ms = Seen["mentions"]
    by_doc: dict[str, list[Mapping[str, Any]]] = {}
    for m in ms:
        by_doc.setdefault(m["document"], []).append(m)
    names = _doc_names(ms, folder)
    clusters = reconcile.cluster(ms, Seen["dates"])
    where = {id(m): i for i, c in enumerate(clusters) for m in c}
    print(f"== {folder.name}")
    for ev in gold.get("events", []):
        for da, db in itertools.combinations(sorted(ev["documents"]), 2):
            ca = [m for m in by_doc.get(names.get(da, ""), []) if ev["kind"] in
                  (m["kind"], m.get("label"))]
            cb = [m for m in by_doc.get(names.get(db, ""), []) if ev["kind"] in
                  (m["kind"], m.get("label"))]
            if any(where[id(x)] == where[id(y)] for x in ca for y in cb):
                continue
            print(f"-- missed {ev['kind']} {ev.get('date')} {da} ~ {db}: {ev.get('what')}")
            for x in ca:
                print("   A", _show(x))
            for y in cb:
                print("   B", _show(y))
            if not ca or not cb:
                print("   no candidate on", "A" if not ca else "B",
                      "(its mentions:", [(m.get('trigger'), m['kind'], m.get('label'))
                                         for m in by_doc.get(names.get(da if not ca else db,
                                                                       ""), [])], ")")
            for x, y in itertools.product(ca, cb):
                print(f"   {x.get('trigger')!r} ~ {y.get('trigger')!r}: "
                      f"{why(x, y, Seen['dates'])}")


def _doc_names(ms: list[Mapping[str, Any]], folder: Path) -> dict[str, str]:
    """File name -> document id, by the quotes each file's text holds."""
    out: dict[str, str] = {}
    for f in folder.glob("*.txt"):
        text = f.read_text(encoding="utf-8")
        for m in ms:
            if m.get("quote") and m["quote"] in text:
                out[f.name] = m["document"]
                break
    return out


def main() -> None:
    _capture()
    for arg in sys.argv[1:]:
        report(Path(arg))


if __name__ == "__main__":
    main()
