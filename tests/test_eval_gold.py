"""The gold sentences of scripts/eval_gold.py: well-formed, and enough of them per language."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

SCRIPTS = Path(__file__).resolve().parents[1] / "scripts"
sys.path.insert(0, str(SCRIPTS))

from eval_gold import GOLD, load_gold  # noqa: E402


@pytest.mark.parametrize("lang", ["es", "ru"])
def test_gold_file_parses_with_enough_sentences(lang: str) -> None:
    docs = load_gold(GOLD / f"{lang}.tsv")
    assert len(docs) >= 60
    assert sum(len(g) for _, _, g in docs) >= 60
    for text, dct, gold in docs:
        assert dct is not None and len(dct) == 10
        ends = [e for _, e, _, _ in gold]
        assert all(s >= 0 and e <= len(text) for s, e, _, _ in gold)
        assert ends == sorted(ends), f"gold out of order in {text!r}"


def test_a_span_missing_from_its_sentence_is_an_error(tmp_path: Path) -> None:
    bad = tmp_path / "xx.tsv"
    bad.write_text("2019-03-20\tLlegó ayer.\tmañana=DATE:2019-03-21\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"xx\.tsv:1"):
        load_gold(bad)


@pytest.mark.parametrize(("name", "least"), [
    ("en.narrative", 60), ("es.narrative", 30), ("ru.narrative", 30), ("en.tweets", 40),
    ("en.narrative.fresh", 20), ("es.narrative.fresh", 10), ("ru.narrative.fresh", 10)])
def test_narrative_and_informal_gold_parse(name: str, least: int) -> None:
    docs = load_gold(GOLD / f"{name}.tsv")
    assert sum(len(g) for _, _, g in docs) >= least
    for _text, dct, gold in docs:
        assert dct is None or len(dct) == 10  # a history may have no creation time
        ends = [e for _, e, _, _ in gold]
        assert ends == sorted(ends)
    if name.endswith("narrative"):  # with and without a creation time
        assert {dct is None for _, dct, _ in docs} == {True, False}
