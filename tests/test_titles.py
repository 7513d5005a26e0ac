"""Event titles from source mentions (timeline.titles): a denied mention stays denied."""

from __future__ import annotations

from typing import Any

from timeline.analyze import analyze
from timeline.titles import _told


def _mention(text: str, word: str, **extra: Any) -> dict[str, Any]:
    start = text.index(word)
    return {"document": "d", "trigger": word, "start": start, "sentence_start": 0,
            "lemma": word.lower(), "pos": "NOUN", "event_class": "OCCURRENCE",
            "polarity": "POS", **extra}


def test_a_denied_mention_keeps_its_denial_in_the_title() -> None:
    text = "The talks in Varno ended without an agreement."
    doc = analyze(text, "en")
    denied, _, _ = _told(_mention(text, "agreement", status="negated"), doc)
    told, _, _ = _told(_mention(text, "agreement", status="occurred"), doc)
    assert denied.split()[0] == "No"
    assert not told.startswith("No")


def test_a_denied_verb_is_titled_with_its_negation() -> None:
    text = "Officials in Varno signed the accord on Monday."
    doc = analyze(text, "en")
    m = _mention(text, "signed", pos="VERB", lemma="sign", tense="PAST")
    assert "not" in _told({**m, "status": "negated"}, doc)[0].split()
    assert "not" not in _told(m, doc)[0].split()


def test_a_trigger_of_several_words_is_titled_from_its_noun() -> None:
    text = "Lena Ortiz ganó la primera vuelta en Corvina."
    doc = analyze(text, "es")
    m = _mention(text, "primera vuelta", pos="VERB", lemma="primero")
    title, _, _ = _told(m, doc)
    assert title == "Primera vuelta en Corvina", title  # its noun's phrase, not "primero"


def test_a_lone_event_noun_takes_the_clause_it_is_an_argument_of() -> None:
    """ "Fire" says less than the clause whose subject it is; a saying's clause is not
    taken (it tells the saying, not the event)."""
    text = "A fire destroyed the market in Port Alder on Friday."
    doc = analyze(text, "en")
    title, _, place = _told(_mention(text, "fire", pos="NOUN", lemma="fire"), doc)
    assert title == "Fire destroys the market in Port Alder"
    assert place == "Port Alder"
    said = "Officials said the fire was over."
    doc = analyze(said, "en")
    title, _, _ = _told(_mention(said, "fire", pos="NOUN", lemma="fire"), doc)
    assert not title.startswith("Officials")
