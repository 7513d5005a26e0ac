"""Where a timeline database's bytes go: per table and index, and per log record type.

    python scripts/db_size.py timeline.db [--top 30]
    python scripts/db_size.py before.db after.db      # side by side, per document

Reads SQLite's `dbstat` virtual table (pages and payload of every b-tree), so FTS shadow
tables and automatic indexes appear under their own names. Figures are per document (the
`documents` rows) and as multiples of the text the database holds (`documents.chars`,
characters as UTF-8 bytes): the target of issue 21 is the database at most 10 times its text.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
from pathlib import Path


def breakdown(path: Path) -> dict[str, object]:
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        docs = conn.execute("SELECT count(*) FROM documents").fetchone()[0] or 1
        text = conn.execute("SELECT coalesce(sum(length(CAST(text AS BLOB))), 0) "
                            "FROM documents").fetchone()[0] or 1
        btrees = dict(conn.execute("SELECT name, sum(pgsize) FROM dbstat GROUP BY name"))
        types = {t: (n, b) for t, n, b in conn.execute(
            "SELECT type, count(*), sum(length(CAST(data AS BLOB))) FROM log GROUP BY type")}
    finally:
        conn.close()
    return {"docs": docs, "text": text, "total": sum(btrees.values()), "btrees": btrees,
            "types": types}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("db", nargs="+", type=Path, help="one database, or two to compare")
    ap.add_argument("--top", type=int, default=30)
    args = ap.parse_args()
    got = [breakdown(p) for p in args.db]
    for p, g in zip(args.db, got, strict=True):
        print(f"{p}: {g['total'] / 1e6:.1f} MB, {g['docs']} documents, "
              f"{g['total'] / g['docs'] / 1024:.1f} KB/doc, "
              f"{g['total'] / g['text']:.1f} x its text ({g['text'] / 1e6:.2f} MB)")
    names = sorted({n for g in got for n in g["btrees"]},  # type: ignore[attr-defined]
                   key=lambda n: -max(g["btrees"].get(n, 0) for g in got))  # type: ignore
    head = "".join(f"{'KB/doc':>10}" for _ in got)
    print(f"\n{'table or index':40s}{head}")
    for n in names[:args.top]:
        cells = "".join(f"{g['btrees'].get(n, 0) / g['docs'] / 1024:10.2f}"  # type: ignore
                        for g in got)
        print(f"{n:40s}{cells}")
    print(f"\n{'log payload by record type':40s}{head}")
    kinds = sorted({t for g in got for t in g["types"]},  # type: ignore[attr-defined]
                   key=lambda t: -max(g["types"].get(t, (0, 0))[1] for g in got))  # type: ignore
    for t in kinds:
        cells = "".join(f"{g['types'].get(t, (0, 0))[1] / g['docs'] / 1024:10.2f}"  # type: ignore
                        for g in got)
        print(f"{t:40s}{cells}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
