"""What the tagger says on a fixed body of text, one line per document: to prove a speed
change changed no output.

    python scripts/tag_digest.py > before.txt      # on the old code
    python scripts/tag_digest.py > after.txt       # on the new code
    python scripts/tag_digest.py --check before.txt

Each line is `name<TAB>sha256` of the full JSON of every expression (offsets, text, type,
value, mod, period, anchor and the relation `reresolve` reads), so the comparison is byte
for byte. The body: every fixture file (read as `timeline tag` reads it), every TempEval-3
train document (../shared, with its creation time), every line of our gold sentences, every
resource example, and the adversarial lines of scripts/bench_temporal.py (`--adversarial-mb`,
0.2 MB by default: the same text shapes, cut shorter).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import digests
from bench_temporal import adversarial_lines
from eval_tempeval import DEFAULT as TEMPEVAL
from eval_tempeval import parse_tml

from timeline import ingest, lexicon
from timeline.temporal import tag
from timeline.temporal.values import parse_day

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "tests" / "data" / "temporal_gold"


def cases(adversarial_mb: float) -> Iterator[tuple[str, str, str | None, str]]:
    """(name, text, reference date, language) of every text in the body."""
    for path in sorted((ROOT / "fixtures").rglob("*")):
        if not path.is_file():
            continue
        try:
            p = ingest.parse(path.name, path.read_bytes())
        except ingest.IngestError:
            continue
        header = p.header.get("date")
        day = parse_day(header[:10]) if header else None
        yield (f"fixture:{path.relative_to(ROOT)}", p.text, day.isoformat() if day else None,
               p.language)
    for path in sorted(TEMPEVAL.rglob("*.tml")):
        text, dct, _gold = parse_tml(path.read_text(encoding="utf-8"))
        yield f"tempeval:{path.relative_to(TEMPEVAL)}", text, dct, "en"
    for path in sorted(GOLD.glob("*.tsv")):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if line.strip() and not line.startswith("#"):
                dct, text, *_ = line.split("\t")
                yield f"gold:{path.name}:{n}", text, dct or None, path.name.split(".")[0]
    for lang in lexicon.languages():
        for table, entries in lexicon.temporal(lang).items():
            if not isinstance(entries, list):
                continue
            for i, entry in enumerate(entries):
                for j, ex in enumerate(entry.get("examples", []) if isinstance(entry, dict)
                                       else []):
                    yield f"example:{lang}:{table}:{i}:{j}", ex["text"], ex.get("ref"), lang
    for name, line in adversarial_lines(int(adversarial_mb * 1_000_000)).items():
        yield f"adversarial:{name}", line, "2023-09-14", "en"


def digest(text: str, dct: str | None, lang: str) -> str:
    found = [{**t.to_json(), "relation": t.relation} for t in tag(text, dct, lang)]
    blob = json.dumps(found, ensure_ascii=False, sort_keys=True, default=str)
    return f"{len(found)}:{hashlib.sha256(blob.encode()).hexdigest()[:16]}"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--check", type=Path, metavar="BEFORE",
                    help="compare with a digest written earlier; exit 1 on any difference")
    ap.add_argument("--adversarial-mb", type=float, default=0.2)
    args = ap.parse_args()
    lines = [f"{name}\t{digest(text, dct, lang)}"
             for name, text, dct, lang in cases(args.adversarial_mb)]
    if args.check is None:
        sys.stdout.write("\n".join(lines) + "\n")
        return 0
    return digests.check(args.check, lines, "texts")


if __name__ == "__main__":
    sys.exit(main())
