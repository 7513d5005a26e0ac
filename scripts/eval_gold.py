"""Our own gold sentences (tests/data/temporal_gold/<lang>.tsv), scored as TempEval-3 Task A.

Each line: the document date, a sentence, then one column per gold expression,
`span=TYPE:value` in text order (a line with no expression is a sentence where nothing
must be found). The sentences were written for this project, in the forms of the language
news uses; they are not a held-out corpus and the rules were written with them in view.
`<lang>.fresh.tsv` holds sentences written after the rules, not tuned on: the nearer
figure to a held-out one. Scoring is scripts/eval_tempeval.py's: strict and relaxed
extraction P/R/F1, value F1 on relaxed matches, type accuracy, then the most frequent
error kinds.

    python scripts/eval_gold.py [--lang es ru] [--errors 20]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from eval_tempeval import score

from timeline.temporal import tag

GOLD = Path(__file__).resolve().parents[1] / "tests" / "data" / "temporal_gold"
Gold = list[tuple[int, int, str, str]]


def load_gold(path: Path) -> list[tuple[str, str | None, Gold]]:
    """(text, dct, gold timexes as (start, end, type, value)) per line. A span is looked
    for after the one before it, so the same words may be two expressions."""
    docs = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        dct, text, *cols = line.split("\t")
        gold: Gold = []
        pos = 0
        for col in cols:
            span, _, tv = col.rpartition("=")
            typ, _, value = tv.partition(":")
            start = text.find(span, pos)
            if not span or start < 0 or typ not in ("DATE", "TIME", "DURATION", "SET"):
                raise ValueError(f"{path.name}:{n}: bad gold column {col!r}")
            gold.append((start, start + len(span), typ, value))
            pos = start + len(span)
        docs.append((text, dct or None, gold))
    return docs


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--lang", nargs="*", default=sorted(p.stem for p in GOLD.glob("*.tsv")),
                    help="gold files by name: es, ru, es.fresh (the language is the part "
                         "before the dot)")
    ap.add_argument("--errors", type=int, default=20)
    args = ap.parse_args()
    for lang in args.lang:
        path = GOLD / f"{lang}.tsv"
        if not path.is_file():
            print(f"{path}: no such gold file", file=sys.stderr)
            return 2
        docs = load_gold(path)

        def ours(text: str, dct: str | None, lang: str = lang.split(".")[0]) -> Gold:
            return [(t.start, t.end, t.type, t.value) for t in tag(text, dct, lang)]

        score(f"{lang} ({path.name}, {len(docs)} sentences)", docs, ours, args.errors)
    return 0


if __name__ == "__main__":
    sys.exit(main())
