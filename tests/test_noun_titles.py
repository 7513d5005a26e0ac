"""Event-noun titles (timeline.nountitles): a noun phrase of the noun's own arguments, and
the kind's label alone, never a place or names the sentence does not tie to it."""

from __future__ import annotations

import tomllib
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from timeline.analyze import analyze
from timeline.nountitles import label_title, noun_title
from timeline.reconcile import build_event
from timeline.story_names import story_name
from timeline.titles import _predicate, _told

CASES = tomllib.loads((Path(__file__).parent / "data" / "noun_titles.toml")
                      .read_text(encoding="utf-8"))["case"]


def _mention(text: str, word: str) -> dict[str, Any]:
    return {"document": "d", "trigger": word, "start": text.index(word), "sentence_start": 0,
            "lemma": word.lower(), "pos": "NOUN", "event_class": "OCCURRENCE",
            "polarity": "POS"}


@pytest.mark.parametrize("case", CASES, ids=[f"{c['lang']}-{c['word']}" for c in CASES])
def test_an_event_noun_is_titled_by_its_own_phrase(case: dict[str, str]) -> None:
    doc = analyze(case["text"], case["lang"])
    title, _, _ = _told(_mention(case["text"], case["word"]), doc)
    assert title == case["title"]


def test_a_noun_qualifying_another_gets_no_phrase() -> None:
    """ "inspection drones": no inspection happened; nor does an adjective alone make one."""
    for text, word in (("The firm builds underwater inspection drones.", "inspection"),
                       ("A heavy snowstorm hit the town.", "snowstorm")):
        em = _predicate(_mention(text, word))
        assert em is not None
        assert noun_title(analyze(text, "en"), em) == ""


def _member(**extra: Any) -> dict[str, Any]:
    return {"document": "a.txt", "story": "s", "kind": "election", "label": "election",
            "trigger": "vote", "end": 14, "sentence_start": 0, "sentence_end": 40, "start": 10,
            "quote": "a day after the vote", "status": "occurred", "time": None,
            "place": "Tarsk", "participants": ["Ada Lind", "Borg Finance"], **extra}


def test_the_fallback_title_is_the_label_alone() -> None:
    """Reconcile cannot tell whether a place or a name near the word belongs to it: the
    title is the kind's label ("Election"), not "Election at Tarsk (Ada Lind, ...)"."""
    one = build_event([_member()], {})
    two = build_event([_member(), _member(document="b.txt")], {})
    assert one.title == two.title == "Election" == label_title("election")
    assert one.place == "Tarsk" and "Ada Lind" in one.participants  # still told apart


def test_a_story_is_named_with_in_before_its_place() -> None:
    events = [{"kind": "meeting", "place": "Варно", "source_count": 2, "start": "2020-01-01"}]
    name = story_name(events, {"s": Counter()}, {}, "s", {"варно": "Varno"})
    assert name == "meeting in Varno"


CLAUSES = tomllib.loads((Path(__file__).parent / "data" / "clause_titles.toml")
                        .read_text(encoding="utf-8"))["case"]


@pytest.mark.parametrize("case", CLAUSES, ids=[f"{c['lang']}-{c['word']}" for c in CLAUSES])
def test_a_clause_title_agrees_as_a_headline(case: dict[str, str]) -> None:
    doc = analyze(case["text"], case["lang"])
    m = {**_mention(case["text"], case["word"]), "pos": "VERB", "lemma": case["lemma"],
         "tense": "PAST"}
    title, _, _ = _told(m, doc)
    assert title == case["title"]


def test_a_long_reported_clause_is_cut_at_its_complementiser() -> None:
    from timeline.analyze.phrases import index
    from timeline.cluetitles import LONG, _short

    for lang, title, want in (
            ("es", "Arvik informó de que sus ventas en el norte del país se redujeron",
             "Arvik informó"),
            ("ru", "Компания Арвик сообщила, что её продажи на севере страны сократились вдвое",
             "Компания Арвик сообщила"),
            ("en", "Arvik says that its sales in the north of the country fell by half",
             "Arvik says")):
        assert len(title.split()) > LONG
        assert _short(index(analyze("Arvik.", lang)), title) == want
    short = "Arvik informó de que sus ventas se redujeron"
    assert _short(index(analyze("Arvik.", "es")), short) == short
