"""Dating that checks itself: the reading of a document's date that leaves the fewest
contradictions wins, a weekday is evidence for a year, and a date line of the document's
own beats a date its siblings lend."""

from __future__ import annotations

import pytest

from tests.test_dating import _content_date, _event, _txs
from timeline import datecheck, dating
from timeline.pipeline import Doc


@pytest.mark.parametrize(("text", "lang", "want"), [
    # June 2022 reported as past: the first March 4 after it is 2023's, a Saturday; the
    # dateline says Monday, and March 4 is a Monday in 2024
    ("MADRID, lunes 4 de marzo (EFE) — El Gobierno, que aprobó el plan en junio de 2022, "
     "lo retiró.", "es", "2024-03-04"),
    ("WASHINGTON, Monday, March 4 (AP) — The plan, approved in June 2022, was withdrawn.",
     "en", "2024-03-04"),
    # 6 March is a Wednesday in 2024, not in 2023
    ("МОСКВА, 6 марта, среда. Правительство, утвердившее план в июне 2022 года, отозвало его.",
     "ru", "2024-03-06"),
    # without a weekday the first year after the report stays
    ("MADRID, 4 de marzo (EFE) — El Gobierno, que aprobó el plan en junio de 2022, lo retiró.",
     "es", "2023-03-04"),
])
def test_a_weekday_beside_a_yearless_date_is_evidence_for_the_year(text: str, lang: str,
                                                                   want: str) -> None:
    got = _content_date(text, lang)
    assert (got.date, got.basis) == (want, "inferred"), got


def test_the_documents_own_date_line_beats_a_date_siblings_lend() -> None:
    text = ("Fed widens swap lines to calm markets\nSeptember 18, 2008\n\nThe central bank "
            "said swap lines will be available until January 30, 2009.")
    got = _content_date(text)
    assert (got.date, got.basis) == ("2008-09-18", "inferred")
    # a date inside the running text is no date line
    assert _content_date("Markets\n\nThe bank said on September 18, 2008 it acted.").date \
        is None


def test_the_reading_with_fewer_contradictions_wins_and_both_are_kept() -> None:
    """"met on Monday" (others: Monday the 12th) allows the 12th to the 18th, and the
    earliest would do; but the report also tells as done a rescue others date Thursday the
    15th: only the 15th and later leave nothing contradicted."""
    doc = Doc(id="b", path="b.txt", language="en", header={}, text="", body_start=0)
    met = {"document": "b", "start": 0, "end": 1, "part": 0, "quote": "met on Monday",
           "status": "occurred", "kind": "meeting",
           "relation": {"k": "weekday", "wd": 1, "shift": None, "pod": None, "tense": "past"}}
    rescue = {"document": "b", "start": 5, "end": 6, "part": 0, "quote": "were rescued",
              "status": "occurred", "kind": "rescue", "relation": None, "tense": "PAST"}
    events = [_event("e1", "meeting", "2025-05-12", met),
              _event("e2", "rescue", "2025-05-15", rescue)]
    alone = dating.from_siblings(doc, [met], events, None)
    assert alone.date == "2025-05-12"
    got = dating.from_siblings(doc, [met, rescue], events, None)
    assert (got.date, got.basis) == ("2025-05-15", "inferred")
    won, overruled, *_ = got.readings
    assert won["date"] == "2025-05-15" and won["contradictions"] == []
    # the reading the votes alone chose is kept, with what contradicts it
    assert overruled["date"] == "2025-05-12"
    assert any("rescue" in c for c in overruled["contradictions"])


def test_a_yearless_dateline_takes_the_year_its_weekday_allows() -> None:
    """ "АФИНЫ, 15 августа, четверг": siblings date the story to early 2025, and the
    nearest 15 August would be 2024's (a Thursday): kept; were it a Friday, 2025's."""
    doc = Doc(id="b", path="b.txt", language="ru", header={}, text="", body_start=0)
    fire = {"document": "b", "start": 0, "end": 1, "part": 0, "quote": "пожар",
            "status": "occurred", "kind": "disaster",
            "relation": {"k": "weekday", "wd": 3, "shift": None, "pod": None, "tense": "past"}}
    events = [_event("e1", "disaster", "2025-01-08", fire)]
    for weekday, year in (("четверг", "2024"), ("пятница", "2025")):
        text = f"АФИНЫ, 15 августа, {weekday}."
        txs = _txs(text, "ru")
        got = dating.from_siblings(doc, [fire], events, None, (8, 15, text), txs)
        assert got.date == f"{year}-08-15", (weekday, got)
        assert got.readings[0]["date"] == got.date


def test_own_contradictions_read_weekdays_and_past_dates() -> None:
    txs = _txs("El ministro llegó el lunes 4 de marzo; el plan se aprobó el 10 de mayo de 2024.",
               "es")
    assert datecheck.own_contradictions("2024-06-01", txs, "es") == []
    # in 2025 the 4th of March is a Tuesday, and "May 10, 2024" is long past: no contradiction
    assert len(datecheck.own_contradictions("2025-06-01", txs, "es")) == 1
    # before May 10 the plan approved on May 10 cannot be reported as past
    assert any("2024" in c or "mayo" in c
               for c in datecheck.own_contradictions("2024-03-05", txs, "es"))


def test_the_lead_days_are_read_on_each_date() -> None:
    text = ("Rally\n\nThousands rallied on Friday, police said on Saturday. "
            "On Monday the count began.")
    body = text.index("Thousands")

    def weekday(phrase: str, wd: int) -> dict:
        start = text.index(phrase)
        return {"start": start, "end": start + len(phrase),
                "relation": {"k": "weekday", "wd": wd, "shift": None, "pod": None,
                             "tense": "past"}}

    friday, saturday, monday = weekday("Friday", 5), weekday("Saturday", 6), weekday("Monday", 1)
    lead = datecheck.lead_days(text, body, [monday, saturday, friday])
    # the body's second sentence is no lead
    assert lead == (friday["relation"], saturday["relation"])
    assert datecheck.lead_days(text, body, [monday]) == ()
    # a report of Saturday 23 May tells Friday's rally a day after and the police the same
    # day; one of Monday 18 May, the Friday (3 days) and the Saturday (2 days) before
    assert datecheck.lead_gap(lead[:1], "2026-05-23") == 1
    assert datecheck.lead_gap(lead[:1], "2026-05-18") == 3
    assert datecheck.lead_gap(lead, "2026-05-18") == 5
    assert datecheck.lead_gap(lead, "2026-05-23") < datecheck.lead_gap(lead, "2026-05-22")
    assert datecheck.lead_gap((), "2026-05-18") == 0


def test_the_days_siblings_date_are_no_lead_day_when_another_is_there() -> None:
    text = ("Naufragio\n\nAl menos 52 personas murieron en el naufragio, que se hundió el "
            "domingo, informaron este martes los equipos. El lunes hubo tormenta.")
    body = text.index("Al menos")

    def weekday(phrase: str, wd: int) -> dict:
        start = text.index(phrase)
        return {"start": start, "end": start + len(phrase),
                "relation": {"k": "weekday", "wd": wd, "shift": None, "pod": None,
                             "tense": "past"}}

    sunday, tuesday = weekday("domingo", 7), weekday("este martes", 2)
    sinking = sunday["relation"]
    assert datecheck.lead_days(text, body, [sunday, tuesday], [sinking]) \
        == (tuesday["relation"],)
    # read on the Sunday of the sinking, the Tuesday report lies five days back
    assert datecheck.lead_gap((tuesday["relation"],), "2025-05-11") == 5
    assert datecheck.lead_gap((tuesday["relation"],), "2025-05-13") == 0
    # with only the known day in the lead, it stays the lead day
    assert datecheck.lead_days(text, body, [sunday], [sinking]) == (sinking,)


def test_the_lead_ends_at_its_paragraph_and_tells_no_day_ahead() -> None:
    text = ("NICOSIA — The parliament on Tuesday rejected the deal.\n\nBanks stay closed until "
            "Thursday, officials said. On Monday it began.")
    body = text.index("The parliament")

    def weekday(phrase: str, wd: int, tense: str) -> dict:
        start = text.index(phrase)
        return {"start": start, "end": start + len(phrase),
                "relation": {"k": "weekday", "wd": wd, "shift": None, "pod": None,
                             "tense": tense}}

    tuesday, thursday = weekday("Tuesday", 2, "past"), weekday("Thursday", 4, "future")
    # the first paragraph is the lead although no space follows its full stop
    assert datecheck.lead_days(text, body, [tuesday, thursday]) == (tuesday["relation"],)
    # a day ahead in the lead is a plan, not the day of the news
    moved = {**thursday, "start": text.index("The parliament")}
    assert datecheck.lead_days(text, body, [moved, tuesday]) == (tuesday["relation"],)
