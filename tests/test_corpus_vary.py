"""The benchmark corpus generator's varied mode (scripts/corpus.py): a large corpus must be
many stories, not one story many times, and stay reproducible, or the scale figures measure
a corpus no newsroom has."""

from __future__ import annotations

import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))

import corpus

from timeline.temporal import tag

_TEXT = (" date 2024-03-04\nThe Velmont board approved the merger on Monday, "
         "Velmont said. Anna Korsby, who runs Velmont, will speak in March.\n")


def test_round_zero_is_the_source() -> None:
    assert corpus.vary(_TEXT, 0, 7) == _TEXT


def test_names_change_times_stay() -> None:
    out = corpus.vary(_TEXT, 2, 1)
    assert "Velmont" not in out and "Korsby" not in out
    # the same name gets the same pseudonym within a round, another in another round
    fake = corpus.pseudonym("Velmont", 2)
    assert out.count(fake) == 3 and corpus.pseudonym("Velmont", 3) != fake
    # the time expressions are those of the source, word for word
    body = out.split("\n", 1)[1] if out.startswith(" date") else out
    assert [t.text for t in tag(body, "2024-03-18")] == ["Monday", "March"]
    # a word opening a sentence that is no name elsewhere keeps its case and form
    assert re.search(r"^The \w+ board approved the merger", out, re.M)


def test_header_moves_by_whole_weeks_or_goes() -> None:
    seen = set()
    for copy in range(40):
        out = corpus.vary(_TEXT, 2, copy)
        m = re.search(r"^ date (\S+)$", out, re.M)
        seen.add("none" if not m else "head" if out.startswith(" date") else "line")
        if m:
            assert m[1] == "2024-03-18"  # two weeks on: still a Monday
    assert seen == {"none", "head", "line"}


def test_russian_names_stay_cyrillic() -> None:
    out = corpus.vary(" date 2024-03-04\nВ понедельник глава компании Велмонт Анна "
                      "Корсби заявила об уходе.\n", 1, 1)
    assert "Велмонт" not in out and re.search(r"компании [А-Я][а-я]+ ", out)
    assert "понедельник" in out.lower()


def test_write_is_reproducible_and_distinct(tmp_path: Path) -> None:
    n = len(corpus.sources()) + 5
    a = [p.read_text(encoding="utf-8") for p in corpus.write(tmp_path / "a", n, varied=True)]
    b = [p.read_text(encoding="utf-8") for p in corpus.write(tmp_path / "b", n, varied=True)]
    assert a == b and len(set(a)) == n
    plain = corpus.write(tmp_path / "c", n)
    assert plain[-1].read_text(encoding="utf-8") != a[-1]
