"""timeline/temporal/scan.py: a rule's scan through its twin finds what re.finditer finds,
match for match (spans and groups), on every rule of every language."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from timeline import lexicon
from timeline.temporal import lowercase, scan
from timeline.temporal.grammar import grammar

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))
from bench_temporal import adversarial_lines

GOLD = Path(__file__).resolve().parent / "data" / "temporal_gold"
TEXTS = [
    "'90s (1990s) 2021-05-04, mon. 5pm ½ 3rd-4th 12may 2moro; the mid-1990s",
    "On Monday, 3 May 2021, the talks began; two weeks later, at 10:30 a.m. EST, they ended.",
    "el 12 de octubre de 2020, hace dos años; a las 14:58 UTC del lunes pasado",
    "в понедельник, 20 марта 2017 года, утром 4 марта; через две недели, в 13.00",
    "a1 2b 33 x-44 -5 ١٢ 1st$5 #3 €4 £2 2020-2021",
]


def _texts(lang: str) -> list[str]:
    """Our texts, every gold sentence of the language, the adversarial lines cut short."""
    lines = [line.split("\t")[1] for path in sorted(GOLD.glob(f"{lang}.*tsv"))
             for line in path.read_text(encoding="utf-8").splitlines()
             if line.strip() and not line.startswith("#")]
    assert lines, f"no gold sentences for {lang}"
    return [*TEXTS, *lines, *adversarial_lines(3000).values()]


@pytest.mark.parametrize("lang", lexicon.languages())
def test_twin_scans_find_what_finditer_finds(lang: str) -> None:
    g = grammar(lang)
    assert all(scan.twin(r.regex) is not None for r in g.rules)  # every rule has its twin
    for text in _texts(lang):
        low = lowercase(text)
        for r in g.rules:
            for pos, end in ((0, len(low)), (1, len(low)), (5, len(low) - 3), (2, 6)):
                want = [(m.span(), m.groups()) for m in r.regex.finditer(low, pos, end)]
                got = [(m.span(), m.groups()) for m in scan.finditer(r.regex, low, pos, end)]
                assert got == want, (lang, r.id, pos, end, text[:40])


def test_patterns_it_cannot_read_keep_finditer() -> None:
    start = scan.RULE_START
    for pattern, flags in ((start + r"(?:x?)(?!\w)", 0),  # may match empty
                           (start + r"(?:.ab)(?!\w)", 0),  # any character first
                           (start + r"(?:[^a]b)(?!\w)", 0),  # a negated class first
                           (start + r"(?:ab)(?!\w)", re.IGNORECASE),
                           (r"(?<!\w)ab", 0)):  # not a rule's start
        regex = re.compile(pattern, flags)
        assert scan.twin(regex) is None
        text = "ab xab b ab-ab AB"
        assert [m.span() for m in scan.finditer(regex, text, 0, len(text))] == \
            [m.span() for m in regex.finditer(text)]


def test_first_chars_of_optional_and_alternative_beginnings() -> None:
    from re import _parser  # type: ignore[attr-defined]

    got = scan.first_chars(_parser.parse(r"(?:the )?(?:early|late)?\s?\d+"))
    assert got is not None and not got[1]
    assert set("".join(got[0])) >= {"t", "e", "l"} and r"\s" in got[0] and r"\d" in got[0]
    got = scan.first_chars(_parser.parse(r"(?=x)a*"))
    assert got == (["a"], True)  # a lookahead consumes nothing; a* may be empty
