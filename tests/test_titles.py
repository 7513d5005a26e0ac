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


def test_coordinated_titled_subjects_are_both_named() -> None:
    """Both leaders met: the title names both, without their titles, and agrees."""
    text = ("Farm Minister Ilse Maren and North Tarvish leader Oren Daly met on Monday at the "
            "Kell Hall in Dalsby.")
    doc = analyze(text, "en")
    title, who, _ = _told(_mention(text, "met", pos="VERB", lemma="meet", tense="PAST"), doc)
    assert title.startswith("Ilse Maren and Oren Daly meet at Kell Hall"), title
    assert set(who) == {"Ilse Maren", "Oren Daly"}


def test_an_alleged_deed_keeps_whom_it_is_said_of() -> None:
    """ "accused of killing": the title neither drops the man nor says he killed."""
    text = "A man accused of killing two guards appeared in court in Varno on Monday."
    doc = analyze(text, "en")
    m = _mention(text, "killing", pos="VERB", lemma="kill", tense="NONE")
    assert _told(m, doc)[0] == "Man accused of killing two guards"
    m = _mention(text, "appeared", pos="VERB", lemma="appear", tense="PAST")
    assert _told(m, doc)[0].startswith("Man appears in court")


def test_a_saying_after_what_it_reports_tells_it() -> None:
    """ "X says" tells nothing: the clause or the quotation before the saying is its title."""
    text = "The ferry capsized near Belmar, officials said on Monday."
    doc = analyze(text, "en")
    m = _mention(text, "said", pos="VERB", lemma="say", event_class="REPORTING", tense="PAST")
    assert _told(m, doc)[0] == "Officials say the ferry capsized"
    quote = '"We will not sign this deal," Prime Minister Dana Pell told reporters.'
    doc = analyze(quote, "en")
    m = _mention(quote, "told", pos="VERB", lemma="tell", event_class="REPORTING",
                 tense="PAST")
    assert _told(m, doc)[0] == 'Dana Pell tells reporters: "We will not sign this deal"'
    es = "La empresa cerró su planta de Corvath, informaron los sindicatos."
    doc = analyze(es, "es")
    m = _mention(es, "informaron", pos="VERB", lemma="informar", event_class="REPORTING",
                 tense="PAST")
    assert _told(m, doc)[0] == "Sindicatos informaron que la empresa cerró su planta de Corvath"


def test_a_russian_fronted_object_is_the_object() -> None:
    """Free word order: the accusative before the verb is what was rejected."""
    text = "Пенсионную реформу отклонил парламент Вельмора."
    doc = analyze(text, "ru")
    m = _mention(text, "отклонил", pos="VERB", lemma="отклонить", tense="PAST")
    title, _, _ = _told(m, doc)
    assert title == "Парламент Вельмора отклонил пенсионную реформу", title


def test_a_place_object_is_the_event_place() -> None:
    """ "visitó Kestrel": an unknown name after a verb of visiting is where it happened."""
    for text, lang, word, lemma in (("President Arvid Nolan visited Kestrel on Friday.", "en",
                                     "visited", "visit"),
                                    ("El presidente Arvid Nolan visitó Kestrel el viernes.",
                                     "es", "visitó", "visitar"),
                                    ("Президент Арвид Нолан посетил Кестрел в пятницу.", "ru",
                                     "посетил", "посетить")):
        doc = analyze(text, lang)
        _, _, place = _told(_mention(text, word, pos="VERB", lemma=lemma, tense="PAST"), doc)
        assert place in ("Kestrel", "Кестрел"), (lang, place)
