"""Synthetic corpora for the benchmarks: the fixture stories and TempEval-3 texts (read from
../shared/eval, never copied into the repo), written out as N distinct article files."""

from __future__ import annotations

import html
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
_DATA = Path("shared") / "eval" / "tempeval3" / "train"
# next to the main checkout (../shared), also from a worktree one level deeper
EVAL = next((p / _DATA for p in ROOT.parents if (p / _DATA).is_dir()), ROOT.parent / _DATA)


def sources() -> list[str]:
    """Article texts: every fixture, then every TempEval document with its DCT as header."""
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "fixtures").rglob("*.txt"))]
    return texts + tempeval_sources()


def tempeval_sources() -> list[str]:
    """The TempEval-3 train documents (English news) as article files: DCT header, text."""
    texts = []
    for tml in sorted(EVAL.rglob("*.tml")):
        raw = tml.read_text(encoding="utf-8")
        dct = re.search(r'<TIMEX3[^>]*functionInDocument="CREATION_TIME"[^>]*>', raw)
        value = re.search(r'value="([^"]+)"', dct.group(0)) if dct else None
        body = re.search(r"<TEXT>(.*)</TEXT>", raw, re.S)
        if not body:
            continue
        text = html.unescape(re.sub(r"<[^>]+>", "", body.group(1))).strip()
        header = f" date {value.group(1)[:10]}\n" if value and value.group(1)[:4].isdigit() \
            else ""
        texts.append(header + text + "\n")
    return texts


def write(directory: Path, n: int, offset: int = 0) -> list[Path]:
    """n distinct files: the sources in turn, each copy marked so its content is unique."""
    directory.mkdir(parents=True, exist_ok=True)
    base = sources()
    out = []
    for i in range(offset, offset + n):
        text = base[i % len(base)]
        if i >= len(base):
            text += f"\n(Copy {i // len(base)} of item {i % len(base)}.)\n"
        path = directory / f"doc{i:05d}.txt"
        path.write_text(text, encoding="utf-8")
        out.append(path)
    return out
