"""What ``analyze()`` says on the UD dev and test texts, one digest per file: to prove a speed
change to the analysis layer changed no output.

    python scripts/analyze_digest.py > before.txt      # on the old code
    python scripts/analyze_digest.py --check before.txt

Each line is `file<TAB>documents<TAB>sha256` over the full repr of every token (index, text,
offsets, lemma, UPOS, features, sentence), sentence and name chunk of each document. The
documents are those bench_analyze.py times: 20 consecutive sentences of a file joined by a
space. ``timeline`` is imported from wherever Python finds it, so the same script digests
another checkout with ``PYTHONPATH=<checkout>``.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from train_analyze import TREEBANKS, default_ud

from timeline.analyze import analyze
from timeline.analyze.conllu import read_conllu


def digests(ud: Path) -> list[str]:
    lines = []
    for lang, bank in TREEBANKS.items():
        for part in ("dev", "test"):
            name = f"{bank}-ud-{part}.conllu"
            sents = list(read_conllu((ud / name).read_text(encoding="utf-8")))
            docs = [" ".join(s.text for s in sents[i : i + 20]) for i in range(0, len(sents), 20)]
            h = hashlib.sha256()
            for doc in docs:
                a = analyze(doc, lang)
                h.update(repr((a.tokens, a.sentences, a.names)).encode("utf-8"))
            lines.append(f"{name}\t{len(docs)}\t{h.hexdigest()}")
    return lines


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--ud", type=Path, default=default_ud())
    ap.add_argument("--check", type=Path, help="compare with a digest written before")
    args = ap.parse_args(argv)
    got = digests(args.ud)
    if args.check is None:
        print("\n".join(got))
        return 0
    want = args.check.read_text(encoding="utf-8").split("\n")
    bad = [g for g, w in zip(got, want, strict=False) if g != w]
    for line in bad:
        print(f"differs: {line.split(chr(9))[0]}", file=sys.stderr)
    print("identical" if not bad and len(got) == len([w for w in want if w]) else "DIFFERENT")
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
