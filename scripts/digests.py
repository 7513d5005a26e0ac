"""The comparison the digest scripts share (tag_digest, mention_digest): print what differs
from a digest written before, one line per difference, and say whether anything did."""

from __future__ import annotations

from pathlib import Path


def check(before_file: Path, got: list[str], noun: str) -> int:
    """0 when `got` equals the digest in `before_file` line for line, else 1 (the first 20
    differences printed, each line `key<TAB>digest`)."""
    before = before_file.read_text(encoding="utf-8").splitlines()
    differ = [(a, b) for a, b in zip(before, got, strict=False) if a != b]
    for a, b in differ[:20]:
        print(f"differs: {a}  now  {b.split(chr(9))[1]}")
    if len(before) != len(got):
        print(f"{len(before)} {noun} before, {len(got)} now")
    print(f"{len(got)} {noun}, {len(differ)} differ")
    return 1 if differ or len(before) != len(got) else 0
