"""Dating documents without a header, and the cross-language keys that let siblings help."""

from __future__ import annotations

from typing import Any

import pytest

from timeline import compat, dating, reconcile
from timeline.names import skeleton
from timeline.pipeline import Doc
from timeline.temporal import tag


def _txs(text: str, lang: str) -> list[dict[str, Any]]:
    return [{**t.to_json(), "timex_type": t.type, "relation": t.relation}
            for t in tag(text, None, lang)]


def _content_date(text: str, lang: str = "en") -> dating.Dating:
    doc = Doc(id="d", path="d.txt", language=lang, header={}, text=text, body_start=0)
    return dating.from_content(doc, _txs(text, lang))


@pytest.mark.parametrize(("text", "lang", "want"), [
    # the newest month the article reports as past puts a year-less dateline after it
    ("NICOSIA, March 20 (AP) — Cyprus sought a bailout in June 2012.", "en", "2013-03-20"),
    ("NICOSIA, July 20 (AP) — Cyprus sought a bailout in June 2012.", "en", "2012-07-20"),
    ("НИКОСИЯ, 20 марта. Кипр обратился за помощью в июне 2012 года.", "ru", "2013-03-20"),
    # a dateline with its year needs no help
    ("MADRID, 3 de mayo de 2021 (EFE).- El Gobierno aprobó el plan.", "es", "2021-05-03"),
])
def test_dateline_dates_the_document(text: str, lang: str, want: str) -> None:
    got = _content_date(text, lang)
    assert (got.date, got.basis) == (want, "inferred")
    assert got.evidence


def test_a_bare_year_of_history_does_not_date_a_dateline() -> None:
    # "divided in 1974" is history: 1975-03-20 would be a confident wrong answer
    got = _content_date("NICOSIA, March 20 (AP) — The island was divided in 1974.")
    assert got.date is None and got.basis == "unknown"


def _event(eid: str, kind: str, day: str, mention: dict[str, Any]) -> reconcile.Event:
    return reconcile.Event(
        id=eid, story="s", kind=kind, title="", start=day, end=None, granularity="day",
        status=mention["status"], place=None, participants=[],
        mentions=[reconcile.mention_key(mention)],
        sources=[{"document": "a"}, {"document": mention["document"]}], attributes={})


def test_siblings_narrow_the_date_down_together() -> None:
    """"appeared in court on Monday" (other sources: the 18th) allows the 18th to the 24th;
    "will hold a vigil on Tuesday" (the 19th) allows up to the 19th: the report is of the
    18th, the earliest date both allow."""
    doc = Doc(id="b", path="b.txt", language="es", header={}, text="", body_start=0)
    court = {"document": "b", "start": 0, "end": 1, "part": 0, "quote": "compareció el lunes",
             "status": "occurred",
             "relation": {"k": "weekday", "wd": 1, "shift": None, "pod": None, "tense": "past"}}
    vigil = {"document": "b", "start": 5, "end": 6, "part": 0, "quote": "vigilia el martes",
             "status": "planned",
             "relation": {"k": "weekday", "wd": 2, "shift": None, "pod": None,
                          "tense": "future"}}
    events = [_event("e1", "ruling", "2013-03-18", court),
              _event("e2", "ceremony", "2013-03-19", vigil)]
    got = dating.from_siblings(doc, [court, vigil], events, None)
    assert (got.date, got.basis) == ("2013-03-18", "inferred")
    # the plan alone still leaves the report before the vigil, never after it
    alone = dating.from_siblings(doc, [vigil], events, None)
    assert alone.date is not None and alone.date <= "2013-03-19"


def test_among_equal_votes_the_document_keeps_its_days_together() -> None:
    """"recuperaron este lunes las cajas negras del avión que se estrelló el domingo" (the
    crash: Sunday the 15th per other sources). Every date from the 15th to the 21st allows
    that Sunday; on the 15th "este lunes" would be the 9th, before the crash: the report
    is of the 16th, where Monday follows Sunday."""
    doc = Doc(id="b", path="b.txt", language="es", header={}, text="", body_start=0)
    crash = {"document": "b", "start": 90, "end": 100, "part": 0, "quote": "se estrelló",
             "status": "occurred",
             "relation": {"k": "weekday", "wd": 7, "shift": None, "pod": None, "tense": "past"}}
    monday = {"start": 30, "end": 41, "relation": {"k": "weekday", "wd": 1, "shift": 0,
                                                   "pod": None, "tense": "past"}}
    events = [_event("e1", "disaster", "2023-01-15", crash)]
    assert dating.from_siblings(doc, [crash], events, None).date == "2023-01-15"
    got = dating.from_siblings(doc, [crash], events, None, None,
                               [monday, {**crash, "relation": crash["relation"]}])
    assert (got.date, got.basis) == ("2023-01-16", "inferred")


def test_a_conflict_needs_sources_that_disagree() -> None:
    lunch = {"value": "lunch", "documents": ["a"]}
    dinner = {"value": "dinner", "documents": ["b"]}
    assert reconcile.disputed([lunch, dinner])
    # every source tells both: nine months of talks, ten hours of final negotiations
    months = {"value": "P9M", "documents": ["a", "b"]}
    hours = {"value": "PT10H", "documents": ["a", "b"]}
    assert not reconcile.disputed([months, hours])
    assert reconcile.disputed([months, hours, {"value": "PT4H", "documents": ["c"]}])


@pytest.mark.parametrize("names", [
    ("Moscow", "Moscú", "Москву", "Москве"),
    ("Brussels", "Bruselas", "Брюсселе"),
    ("Nicosia", "Никосия"),
    ("Vostochny", "Восточный"),
])
def test_one_place_in_three_languages(names: tuple[str, ...]) -> None:
    assert len({skeleton(n) for n in names}) == 1
    assert all(compat.places_compatible(names[0], n) for n in names[1:])


def test_different_places_stay_apart() -> None:
    assert not compat.places_compatible("Moscow", "Brussels")
    assert not compat.places_compatible("Komsomolsk-on-Amur", "Vladivostok")


def test_a_year_less_dateline_keeps_its_day_and_takes_the_siblings_year() -> None:
    doc = Doc(id="c", path="c.txt", language="ru", header={}, text="", body_start=0)
    fire = {"document": "c", "start": 0, "end": 1, "part": 0, "quote": "в понедельник",
            "status": "occurred",
            "relation": {"k": "weekday", "wd": 1, "shift": None, "pod": None, "tense": "past"}}
    events = [_event("e1", "disaster", "2024-08-12", fire)]
    got = dating.from_siblings(doc, [fire], events, None, (8, 15, "АФИНЫ, 15 августа."))
    assert (got.date, got.basis) == ("2024-08-15", "inferred")
    assert got.evidence.startswith("АФИНЫ, 15 августа.")


def test_skeletons_link_languages_not_one_language() -> None:
    """Consonant skeletons bridge spellings across languages; within one language they would
    only add coincidences, so two English segments need shared stems of their own."""
    from timeline.segment import Segment, stories

    def seg(doc: str, lang: str, *names: str) -> Segment:
        return Segment(doc, 0, 0, 1, (), names, names, lang)

    a = seg("a", "en", "putin", "~ptn", "moskw", "~msk", "brsls", "~brs")
    b = seg("b", "en", "putin", "~ptn", "moskv", "~msk", "brusl", "~brs")
    c = seg("c", "ru", "putin", "~ptn", "moskv", "~msk", "brusl", "~brs")
    same = stories([a, b])
    assert same[("a", 0)] != same[("b", 0)]
    across = stories([a, c])
    assert across[("a", 0)] == across[("c", 0)]


def test_an_event_names_each_participant_once_and_not_its_place() -> None:
    base: dict[str, Any] = {"story": "s", "kind": "visit", "status": "occurred", "time": None,
                            "start": 0, "end": 1, "sentence_start": 0, "sentence_end": 9,
                            "quote": "q", "attributes": {}}
    members = [
        {**base, "document": "a", "place": "Patras",
         "participants": ["Kyriakos Mitsotakis", "Patras"]},
        {**base, "document": "b", "place": None,
         "participants": ["Кириакос Мицотакис", "Патр"]},
    ]
    event = reconcile.build_event(members, {})
    assert event.participants == ["Kyriakos Mitsotakis"]


def test_a_day_counted_from_an_event_others_date() -> None:
    """"recibieron este domingo ..., un día después de la victoria": the victory is dated by
    another report (Saturday the 1st), so this Sunday is the 2nd, and so is the report."""
    doc = Doc(id="b", path="b.txt", language="es", header={}, text="", body_start=0)
    welcome = {"document": "b", "start": 0, "end": 1, "part": 0, "story": "s",
               "quote": "recibieron este domingo", "status": "occurred",
               "relation": {"k": "weekday", "wd": 7, "shift": None, "pod": None,
                            "tense": "past"},
               "cues": [{"rel": "after", "anchor": "la victoria", "anchor_kind": "victory",
                         "offset": "P1D"}]}
    won = {"document": "a", "start": 0, "end": 1, "part": 0, "status": "occurred"}
    got = dating.from_siblings(doc, [welcome], [_event("e1", "victory", "2024-06-01", won)],
                               None)
    assert (got.date, got.basis) == ("2024-06-02", "inferred")
    assert "2024-06-01" in got.evidence


@pytest.mark.parametrize(("values", "disputed"), [
    (["2023-08", "2023-SU"], False),  # August is in the summer: two ways to say it
    (["2023-03-15", "2023-W11"], False),  # a day of that week
    (["2013-03-15", "2013-W11-WE"], True),  # Friday is not in the weekend
    (["2023-09-13", "2023-09-14"], True),
])
def test_a_date_is_disputed_only_when_the_periods_do_not_meet(values: list[str],
                                                               disputed: bool) -> None:
    base: dict[str, Any] = {"story": "s", "kind": "meeting", "status": "occurred",
                            "start": 0, "end": 1, "sentence_start": 0, "sentence_end": 9,
                            "quote": "q", "attributes": {}, "participants": [], "place": None}
    members = [{**base, "document": f"d{i}", "time": {"value": v, "source": "own"}}
               for i, v in enumerate(values)]
    event = reconcile.build_event(members, {})
    assert ("date" in event.attributes) == disputed
    if disputed:
        assert {v["value"] for v in event.attributes["date"]} == set(values)
