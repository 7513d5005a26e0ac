"""Cross-document figures on every fixture set with a gold listing (`gold.json` beside its
files): story purity and completeness, pairwise story precision and recall over pairs of
documents, and pairwise cross-document merge precision and recall (two documents telling
one happening of one kind), and how many undated documents got a date a reader would give
(`dates` in the gold listing: a day, or the first and last day a reader allows, as a report
comes out on the day of its news or the day after), each set alone and all of them in one
corpus.

    python scripts/eval_crossdoc.py [--fixtures fixtures]

Each set runs through `timeline run` in a fresh process and database, as a user would.
"""

from __future__ import annotations

import argparse
import itertools
import json
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def gold_sets(fixtures: Path) -> dict[str, tuple[Path, dict]]:
    out = {}
    for g in sorted(fixtures.rglob("gold.json")):
        rel = g.parent.relative_to(fixtures).as_posix()
        name = "seeds" if rel in ("", ".") else rel
        out[name] = (g.parent, json.loads(g.read_text(encoding="utf-8")))
    return out


def run(files: dict[str, Path], work: Path) -> sqlite3.Connection:
    """Copy `files` (shown name -> source) into a folder, run timeline over it."""
    src = work / "docs"
    for shown, path in files.items():
        dest = src / shown
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(path, dest)
    db = work / "t.db"
    subprocess.run([sys.executable, "-m", "timeline", "--db", str(db), "run", str(src)],
                   check=True, capture_output=True, cwd=work)
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    return conn


def _shown(path: str) -> str:
    return path.split("docs/", 1)[1]


def predicted_stories(conn: sqlite3.Connection) -> dict[str, str]:
    """Each document's story: the story most of its mentions belong to; for a document
    with no event mention, the story its lead segment was linked to (the run's story
    cache), else its own."""
    votes: dict[str, Counter[str]] = {}
    for r in conn.execute(
            "SELECT d.path, coalesce(m.story, (SELECT story FROM story_cache c WHERE "
            "c.document = d.id AND c.segment = 0)) AS story FROM documents d "
            "LEFT JOIN mentions m ON m.document = d.id"):
        votes.setdefault(_shown(r["path"]), Counter())[r["story"] or r["path"]] += 1
    return {d: v.most_common(1)[0][0] for d, v in votes.items()}


def story_scores(pred: dict[str, str], gold: dict[str, str]) -> dict[str, float]:
    n = len(gold)
    by_pred: dict[str, set[str]] = {}
    by_gold: dict[str, set[str]] = {}
    for d in gold:
        by_pred.setdefault(pred.get(d, d), set()).add(d)
        by_gold.setdefault(gold[d], set()).add(d)
    purity = sum(max(len(p & g) for g in by_gold.values()) for p in by_pred.values()) / n
    complete = sum(max(len(p & g) for p in by_pred.values()) for g in by_gold.values()) / n
    pairs = list(itertools.combinations(sorted(gold), 2))
    same_p = {(a, b) for a, b in pairs if pred.get(a, a) == pred.get(b, b)}
    same_g = {(a, b) for a, b in pairs if gold[a] == gold[b]}
    hit = len(same_p & same_g)
    return {"stories": len(by_pred), "gold_stories": len(by_gold), "purity": purity,
            "completeness": complete,
            "pair_p": hit / len(same_p) if same_p else 1.0,
            "pair_r": hit / len(same_g) if same_g else 1.0}


def merge_pairs(conn: sqlite3.Connection, docs: set[str]) -> set[tuple[str, str, str]]:
    """(kind, document, document) for every two documents one event merges; an event no
    kind names goes by its label (its concept, else its lemma)."""
    srcs: dict[str, tuple[str, set[str]]] = {}
    for r in conn.execute("SELECT e.id, coalesce(nullif(e.kind, ''), e.label) AS kind, d.path "
                          "FROM events e JOIN event_sources s "
                          "ON s.event = e.id JOIN documents d ON d.id = s.document"):
        srcs.setdefault(r["id"], (r["kind"], set()))[1].add(_shown(r["path"]))
    out = set()
    for kind, ds in srcs.values():
        ds &= docs
        out |= {(kind, a, b) for a, b in itertools.combinations(sorted(ds), 2)}
    return out


def gold_pairs(events: list[dict], prefix: str) -> set[tuple[str, str, str]]:
    return {(e["kind"], f"{prefix}{a}", f"{prefix}{b}") for e in events
            for a, b in itertools.combinations(sorted(e["documents"]), 2)}


def dated_right(conn: sqlite3.Connection, days: dict[str, tuple[str, str]]) -> int:
    """How many documents of `days` (shown name -> first and last day allowed) the run
    dated within their days."""
    got = {_shown(r["path"]): (r["date"] or "")[:10]
           for r in conn.execute("SELECT path, date FROM documents")}
    return sum(lo <= got.get(f, "") <= hi for f, (lo, hi) in days.items())


def evaluate(name: str, sets: dict[str, tuple[Path, dict]], tmp: Path) -> dict[str, float]:
    files, gold, gpairs, scored_docs = {}, {}, set(), set()
    days: dict[str, tuple[str, str]] = {}
    for set_name, (folder, g) in sets.items():
        prefix = "" if len(sets) == 1 else f"{set_name}/"
        for i, story in enumerate(g["stories"]):
            for f in story:
                files[prefix + f] = folder / f
                gold[prefix + f] = f"{set_name}:{i}"
        for f, day in g.get("dates", {}).items():
            days[prefix + f] = (day, day) if isinstance(day, str) else (day[0], day[-1])
        if "events" in g:
            gpairs |= gold_pairs(g["events"], prefix)
            scored_docs |= {prefix + f for s in g["stories"] for f in s}
    work = tmp / name.replace("/", "_")
    work.mkdir()
    conn = run(files, work)
    out = story_scores(predicted_stories(conn), gold)
    ppairs = merge_pairs(conn, scored_docs)
    if gpairs:
        hit = len(ppairs & gpairs)
        out |= {"merge_p": hit / len(ppairs) if ppairs else 1.0, "merge_r": hit / len(gpairs),
                "merge_pairs": len(ppairs), "gold_pairs": len(gpairs)}
    if days:
        out |= {"dated": dated_right(conn, days), "gold_dates": len(days)}
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--fixtures", type=Path, default=ROOT / "fixtures")
    args = ap.parse_args()
    sets = gold_sets(args.fixtures)
    cols = ["set", "docs", "stories", "gold", "purity", "complete", "pair_p", "pair_r",
            "merge_p", "merge_r", "pairs", "gold_pairs", "dated"]
    print("\t".join(cols))
    with tempfile.TemporaryDirectory() as tmp:
        rows = [(n, {n: s}) for n, s in sets.items()] + [("all sets in one corpus", sets)]
        for name, chosen in rows:
            r = evaluate(name, chosen, Path(tmp))
            docs = sum(len(f) for _p, g in chosen.values() for f in g["stories"])
            print("\t".join([name, str(docs), str(r["stories"]), str(r["gold_stories"]),
                             *(f"{r[k]:.2f}" for k in ("purity", "completeness", "pair_p",
                                                      "pair_r")),
                             *((f"{r['merge_p']:.2f}", f"{r['merge_r']:.2f}",
                                str(r["merge_pairs"]), str(r["gold_pairs"]))
                               if "merge_p" in r else ("-", "-", "-", "-")),
                             f"{r['dated']}/{r['gold_dates']}" if "dated" in r else "-"]),
                  flush=True)


if __name__ == "__main__":
    main()
