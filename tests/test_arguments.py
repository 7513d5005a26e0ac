"""Predicate arguments and titles (timeline.analyze.arguments) on news-style sentences in
en/es/ru: the examples kept in timeline/resources/<lang>/arguments.toml are the tests, and a
few properties (full names, offsets, length cap, purity) are checked beside them."""

from __future__ import annotations

import pytest

from timeline.analyze import analyze
from timeline.analyze.arguments import Arguments, arguments, full_names, title
from timeline.analyze.argwords import raw
from timeline.analyze.events import EventMention, event_mentions

EXAMPLES = [(lang, ex) for lang in ("en", "es", "ru") for ex in raw(lang).get("examples", [])]


def _mention(text: str, lang: str, word: str) -> tuple[object, EventMention]:
    doc = analyze(text, lang)
    found = [m for m in event_mentions(doc) if m.text == word]
    assert found, f"{word!r} is no mention in {text!r}"
    return doc, found[0]


@pytest.mark.parametrize("lang", ["en", "es", "ru"])
def test_each_language_has_enough_examples(lang: str) -> None:
    assert len(raw(lang)["examples"]) >= 15


@pytest.mark.parametrize(("lang", "ex"), EXAMPLES,
                         ids=[f"{lang}-{e['predicate']}-{e['text'][:30]}" for lang, e in EXAMPLES])
def test_data_file_examples(lang: str, ex: dict) -> None:
    doc, m = _mention(ex["text"], lang, ex["predicate"])
    args = arguments(doc, m)
    got = {"subject": args.subject or "", "object": args.object or "",
           "place": args.place or ""}
    for key in ("subject", "object", "place"):
        if key in ex:
            assert got[key] == ex[key], key
    if "participants" in ex:
        assert list(args.participants) == ex["participants"]
    if "title" in ex:
        assert title(doc, m, args) == ex["title"]


def test_full_names_within_a_document() -> None:
    en = analyze("Ri Song Chol arrived in Tarsk. Later, Song-chol met the mayor. "
                 "Ri said the talks went well.", "en")
    names = full_names(en)
    assert names["Song-chol"] == "Ri Song Chol"
    assert names["Ri"] == "Ri Song Chol"
    doc, m = _mention("Ri Song Chol arrived in Tarsk. Later, Song-chol met the mayor.", "en",
                      "met")
    assert arguments(doc, m).subject == "Ri Song Chol"
    ru = analyze("Владимир Сорокин прибыл в Торск. Губернатор встретился с Сорокиным.", "ru")
    assert full_names(ru)["Сорокиным"] == "Владимир Сорокин"


def test_a_short_form_subject_takes_the_full_form() -> None:
    doc = analyze("Nadia Osei arrived in Corvin on Monday. Osei met the mayor.", "en")
    m = next(m for m in event_mentions(doc) if m.text == "met")
    args = arguments(doc, m)
    assert args.subject == "Nadia Osei"
    assert args.participants == ("Nadia Osei",)
    s, e = args.subject_span
    assert doc.text[s:e] == "Osei"


def test_russian_names_are_given_in_the_nominative() -> None:
    doc, m = _mention("Губернатор встретился с Сергеем Мартыновым во Владимирске.", "ru",
                      "встретился")
    args = arguments(doc, m)
    assert args.object == "Сергей Мартынов"
    assert args.place == "Владимирск"
    assert args.participants == ("Сергей Мартынов",)


def test_negation_is_in_the_title() -> None:
    for text, lang, word, expected in [
        ("The senate did not approve the budget.", "en", "approve", "does not approve"),
        ("El Senado no aprobó el presupuesto.", "es", "aprobó", "no aprobó"),
        ("Сенат не одобрил бюджет.", "ru", "одобрил", "не одобрил"),
    ]:
        doc, m = _mention(text, lang, word)
        assert expected in title(doc, m, arguments(doc, m))


def test_titles_are_capped_at_a_word_boundary() -> None:
    text = ("The regional transport authority of the northern mountain province announced "
            "a comprehensive programme for the modernisation of every railway station.")
    doc, m = _mention(text, "en", "announced")
    t = title(doc, m, arguments(doc, m))
    assert len(t) <= 80
    assert text.replace("The regional", "Regional").startswith(t.rsplit(" ", 1)[0].replace(
        "announces", "announced"))


def test_title_is_never_kind_at_place() -> None:
    doc, m = _mention("Troops arrived in Ostrava on Friday.", "en", "arrived")
    t = title(doc, m, arguments(doc, m))
    assert t == "Troops arrive in Ostrava"
    assert "(" not in t


def test_offsets_that_are_no_token_give_empty_arguments() -> None:
    doc = analyze("The board approved the plan.", "en")
    fake = EventMention(1, 3, "he", "he", "VERB", "OCCURRENCE", "PAST", "NONE", "POS", "")
    assert arguments(doc, fake) == Arguments(None, None, None, ())


def test_results_do_not_depend_on_call_order() -> None:
    text = "Ines Marlow visited Tarsk. Then she signed the accord in Carrow."
    first = analyze(text, "en")
    second = analyze(text, "en")
    a = [arguments(first, m) for m in event_mentions(first)]
    b = [arguments(second, m) for m in reversed(event_mentions(second))][::-1]
    assert a == b
