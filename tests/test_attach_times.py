"""Which event of a sentence a time dates, in the shapes news gives it: a time set off in the
subject ("The commission on Thursday, May 21, announced ..."), a time in the possessive
("won Sunday's election"), and an offset anchored on a clause ("on Friday, a day after the
commission announced that ..."), which dates the announcing even though a saying needs a
time of its own to be an event. The texts are written for these tests; no fixture is read.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.test_openclass import _mentions

REF = "2026-05-23"  # a Saturday


def _dated(text: str, lang: str, word: str) -> list[tuple[str | None, str | None]]:
    at = text.index(word)
    return [((m["time"] or {}).get("value"), m["kind"] or m["label"])
            for m in _mentions(text, lang, REF) if m["start"] == at]


SUBJECT = [
    ("en", "The national commission on Thursday, May 21, announced the final results.",
     "announced"),
    ("ru", "Центральная избирательная комиссия Остравии в четверг, 21 мая, объявила "
           "окончательные итоги выборов.", "объявила"),
]


@pytest.mark.parametrize(("lang", "text", "word"), SUBJECT)
def test_a_time_set_off_in_the_subject_dates_the_verb_after_it(lang: str, text: str,
                                                               word: str) -> None:
    """No event stands before the time, and its clause has no verb: the time is the next
    clause's, as a fronted time is (before, the statement was lost for want of a time)."""
    assert _dated(text, lang, word) == [("2026-05-21", "statement")]


def test_a_time_in_a_clause_of_its_own_is_not_the_saying_after_it() -> None:
    """"Exports fell in September, the ministry said": September is the fall's; the saying
    has no time, so it is no event."""
    text = "Las exportaciones cayeron un 4 % en septiembre, informó el ministerio."
    assert _dated(text, "es", "informó") == []
    assert _dated(text, "es", "cayeron") == [("2025-09", "fall")]


def test_a_time_in_an_aside_is_not_the_main_verbs() -> None:
    """"Davis, who took over the department in 2006, said ...": 2006 is the aside's."""
    text = "Davis, who took over the department in 2006, said the town was calm."
    assert _dated(text, "en", "said") == []


def test_a_possessive_time_dates_the_noun_it_qualifies() -> None:
    """"won Sunday's election": Sunday is the election's, not the Friday of the sentence."""
    text = "Supporters rallied on Friday after the party won Sunday's election."
    assert _dated(text, "en", "election") == [("2026-05-17", "election")]


def test_an_offset_dates_the_saying_of_its_anchor_clause() -> None:
    """"rallied on Friday, a day after the commission announced that the party had won":
    the announcing is Thursday, the rally Friday; what was announced keeps its own day."""
    text = ("Thousands rallied in the capital on Friday, a day after the electoral commission "
            "announced that the party had won Sunday's election.")
    assert _dated(text, "en", "rallied") == [("2026-05-22", "protest")]
    assert _dated(text, "en", "announced") == [("2026-05-21", "statement")]
    assert _dated(text, "en", "election.") == [("2026-05-17", "election")]


OFFSET = [
    ("en", "Workers at the plant walked out on Monday, two days after talks with management "
           "collapsed.", "walked out", "talks"),
    ("es", "Los trabajadores de la planta iniciaron el lunes una huelga indefinida, dos días "
           "después de que fracasaran las negociaciones.", "huelga", "negociaciones"),
    ("ru", "Рабочие завода в понедельник начали забастовку, через два дня после срыва "
           "переговоров с руководством.", "забастовку", "переговоров"),
]


@pytest.mark.parametrize(("lang", "text", "main", "anchor"), OFFSET)
def test_two_days_after_dates_the_anchor_two_days_back(lang: str, text: str, main: str,
                                                       anchor: str) -> None:
    """The walkout is Monday's; the talks the offset anchors on are the Saturday before, in
    every language ("talks collapsed" is no disaster that silences the walkout; Spanish
    "después de que" is no saying's "that"; Russian "через два дня после" counts from the
    talks, not from the date last named)."""
    ref = "2026-03-12"  # a Thursday: Monday the 9th, Saturday the 7th
    found = {m["start"]: m for m in _mentions(text, lang, ref)}
    walkout = found[text.index(main)]
    assert (walkout["kind"], walkout["time"]["value"]) == ("strike", "2026-03-09")
    talks = found[text.index(anchor)]
    assert (talks["kind"], talks["time"]["value"], talks["time"]["source"]) == \
        ("talks", "2026-03-07", "offset")


def test_a_saying_outside_an_anchor_clause_still_needs_its_time() -> None:
    """The exception is the anchor clause's only: a saying elsewhere stays no event."""
    text = ("Thousands rallied in the capital on Friday, a day after the vote, and the police "
            "said the crowd was calm.")
    found: list[Any] = _dated(text, "en", "said")
    assert found == []
