"""What changed between two points of the log: events added, merged, split, re-dated,
re-ordered, re-statused; conflicts found or resolved; documents added, revised or re-dated.
Pure: two snapshots in, and the merges and splits the log recorded between them.

Event ids are kept across runs (timeline.identity), so an id present at both points is the
same event, and an event merged into another or split off one is reported as the log's
EventsMerged and EventSplit records say, not guessed from where its sources went.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any


def diff(a: Mapping[str, Any], b: Mapping[str, Any],
         lineage: Sequence[Mapping[str, Any]] = ()) -> dict[str, list[dict[str, Any]]]:
    """`lineage`: the event_lineage rows recorded after `a` up to `b`."""
    ea = {e["id"]: e for e in a["events"]}
    eb = {e["id"]: e for e in b["events"]}
    out: dict[str, list[dict[str, Any]]] = {k: [] for k in (
        "documents_added", "documents_revised", "documents_redated", "events_added",
        "events_removed", "events_merged", "events_split", "events_redated",
        "events_reordered", "events_restatused", "conflicts_found", "conflicts_resolved")}
    da = {d["id"]: d for d in a["documents"]}
    path_a = {d["path"]: d for d in a["documents"]}
    for d in b["documents"]:
        if d["id"] not in da and d["path"] in path_a:
            out["documents_revised"].append({"document": d["id"], "path": d["path"],
                                             "previous": path_a[d["path"]]["id"],
                                             "date": d["date"]})
        elif d["id"] not in da:
            out["documents_added"].append({"document": d["id"], "path": d["path"],
                                           "date": d["date"]})
        elif da[d["id"]]["date"] != d["date"]:
            out["documents_redated"].append({"document": d["id"], "path": d["path"],
                                             "from": da[d["id"]]["date"], "to": d["date"],
                                             "basis": d["date_basis"]})
    merged: dict[str, list[str]] = {}
    split: dict[str, list[str]] = {}
    for r in lineage:
        if r["change"] == "merged" and r["event"] in ea and r["event"] not in eb:
            merged.setdefault(r["event"], []).append(r["other"])
        elif r["change"] == "split" and r["other"] in eb and r["other"] not in ea:
            split.setdefault(r["event"], []).append(r["other"])
    parts = {p for ps in split.values() for p in ps}
    for eid, into in sorted(split.items()):
        e = ea.get(eid) or eb.get(eid)
        if e is not None:
            out["events_split"].append({**_brief(e), "into": sorted(set(into))})
    for eid, e in sorted(eb.items()):
        if eid not in ea and eid not in parts:
            out["events_added"].append(_brief(e))
    for eid, e in sorted(ea.items()):
        if eid in eb:
            n = eb[eid]
            if (e["start"], e["end"]) != (n["start"], n["end"]):
                out["events_redated"].append({**_brief(n), "from": e["start"], "to": n["start"]})
            if e["rank"] != n["rank"]:
                out["events_reordered"].append({**_brief(n), "from": e["rank"], "to": n["rank"]})
            if e["status"] != n["status"]:
                out["events_restatused"].append({**_brief(n), "from": e["status"],
                                                 "to": n["status"]})
            continue
        if eid in merged:
            out["events_merged"].append({**_brief(e), "into": sorted(set(merged[eid]))})
        else:
            out["events_removed"].append(_brief(e))
    ca = {(c["event"], c["attribute"]): c for c in a["conflicts"]}
    cb = {(c["event"], c["attribute"]): c for c in b["conflicts"]}
    for k in sorted(set(cb) - set(ca)):
        out["conflicts_found"].append({"event": k[0], "attribute": k[1],
                                       "values": [v["value"] for v in cb[k]["values"]]})
    for k in sorted(set(ca) - set(cb)):
        out["conflicts_resolved"].append({"event": k[0], "attribute": k[1]})
    return out


def _brief(e: Mapping[str, Any]) -> dict[str, Any]:
    return {"event": e["id"], "kind": e["kind"], "title": e["title"], "start": e["start"],
            "status": e["status"]}
