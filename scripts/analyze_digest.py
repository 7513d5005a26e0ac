"""What ``analyze()`` says on the UD dev and test texts, one digest per file: to prove a speed
change to the analysis layer changed no output.

    python scripts/analyze_digest.py > before.txt      # on the old code
    python scripts/analyze_digest.py --check before.txt
    python scripts/analyze_digest.py --corpus   # the fixtures and TempEval texts too

Each line is `file<TAB>documents<TAB>sha256` over the full repr of every token (index, text,
offsets, lemma, UPOS, features, sentence), sentence and name chunk of each document. The
documents are those bench_analyze.py times: 20 consecutive sentences of a file joined by a
space. With ``--corpus``, also every article of scripts/corpus.py (the fixtures and the
TempEval-3 train texts), each analysed as English, Spanish and Russian (a text in the wrong
language still has one output), one line per language. ``timeline`` is imported from
wherever Python finds it, so the same script digests another checkout with
``PYTHONPATH=<checkout>``.
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
            lines.append(f"{name}\t{len(docs)}\t{_digest(docs, lang)}")
    return lines


def _digest(texts: list[str], lang: str) -> str:
    """One sha256 over everything analyze() returns for each text, in order."""
    h = hashlib.sha256()
    for text in texts:
        a = analyze(text, lang)
        h.update(repr((a.tokens, a.sentences, a.names)).encode("utf-8"))
    return h.hexdigest()


def corpus_digests() -> list[str]:
    from corpus import sources

    texts = sources()
    lines = []
    for lang in TREEBANKS:
        lines.append(f"corpus-{lang}\t{len(texts)}\t{_digest(texts, lang)}")
    return lines


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--ud", type=Path, default=default_ud())
    ap.add_argument("--check", type=Path, help="compare with a digest written before")
    ap.add_argument("--corpus", action="store_true",
                    help="also digest the fixtures and TempEval texts in each language")
    args = ap.parse_args(argv)
    got = digests(args.ud) + (corpus_digests() if args.corpus else [])
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
