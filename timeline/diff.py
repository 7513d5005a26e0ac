"""What changed between two points of the log: events added, merged, re-dated, re-ordered,
re-statused; conflicts found or resolved; documents added or re-dated. Pure: two snapshots in.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def diff(a: Mapping[str, Any], b: Mapping[str, Any]) -> dict[str, list[dict[str, Any]]]:
    ea = {e["id"]: e for e in a["events"]}
    eb = {e["id"]: e for e in b["events"]}
    src_b: dict[tuple[str, int], str] = {}
    for e in b["events"]:
        for s in e["sources"]:
            src_b[(s["document"], s["start"])] = e["id"]
    out: dict[str, list[dict[str, Any]]] = {k: [] for k in (
        "documents_added", "documents_redated", "events_added", "events_removed",
        "events_merged", "events_redated", "events_reordered", "events_restatused",
        "conflicts_found", "conflicts_resolved")}
    da = {d["id"]: d for d in a["documents"]}
    for d in b["documents"]:
        if d["id"] not in da:
            out["documents_added"].append({"document": d["id"], "path": d["path"],
                                           "date": d["date"]})
        elif da[d["id"]]["date"] != d["date"]:
            out["documents_redated"].append({"document": d["id"], "path": d["path"],
                                             "from": da[d["id"]]["date"], "to": d["date"],
                                             "basis": d["date_basis"]})
    for eid, e in sorted(eb.items()):
        if eid not in ea:
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
        into = sorted({src_b[(s["document"], s["start"])] for s in e["sources"]
                       if (s["document"], s["start"]) in src_b})
        if into:
            out["events_merged"].append({**_brief(e), "into": into})
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
