"""Rules of merging across documents that hold on news never seen (issue 19): a forecast is
not the happening, an hour of a plan is on the plan's day, a press conference is an event
undated too, two sayings of other figures are two sayings, two sources' forecast of one
month is one forecast, a count before "residents" is no year, a dateline's next word opens
its sentence, a strike told on several of its days is one strike, what did not happen is
not merged, a takeover offer is one saying across languages. The texts are written for
these tests; no fixture is read."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests import test_merge_news as merge_news
from timeline import crossdoc
from timeline.names import opens
from timeline.temporal import filters


def _run(cli: Any, tmp_path: Path, docs: dict[str, str]) -> list[dict[str, Any]]:
    return merge_news._run(cli, tmp_path, docs)[0]


def _docs(e: dict[str, Any]) -> int:
    return len({s["document"] for s in e["sources"]})


SAYINGS = {
    "a.txt": "date: 2025-04-03\ntitle: Harbor strike hits Tarsel exports\n\n"
             "TARSEL (Reuters) - The dock strike in Tarsel entered its second day on "
             "Wednesday, union leader Mira Holt said.\n\n"
             "Exports fell 6% in March, the trade ministry said on Tuesday.\n",
    "b.txt": "date: 2025-04-04\ntitle: Tarsel port strike goes on\n\n"
             "TARSEL (AP) - The dock strike in Tarsel entered its third day on Thursday, "
             "union leader Mira Holt said.\n\n"
             "Fuel imports rose 2% in March, the energy ministry said on Tuesday.\n",
}


def test_two_ministries_sayings_of_one_day_with_other_figures_stay_apart(
        cli: Any, tmp_path: Path) -> None:
    events = _run(cli, tmp_path, SAYINGS)
    said = [e for e in events if e["kind"] == "statement" and e["start"] == "2025-04-01"]
    assert len(said) == 2 and all(_docs(e) == 1 for e in said), \
        [(e["title"], e["start"], _docs(e)) for e in events if e["kind"] == "statement"]


FORECAST = {
    "a.txt": "date: 2025-06-12\ntitle: Kelmar central bank cuts rates\n\n"
             "Kelmar's central bank cut its main interest rate to 4.25% on Thursday.\n\n"
             "Governor Tomas Brandt said the bank had not decided whether to cut again. "
             "Analysts expect another cut in September.\n",
    "b.txt": "date: 2025-07-24\ntitle: Kelmar central bank holds rates\n\n"
             "Kelmar's central bank kept its main interest rate unchanged on Thursday.\n\n"
             "Governor Tomas Brandt said a further cut in September was likely.\n",
}


def test_a_forecast_two_sources_give_for_one_month_is_one_planned_event(
        cli: Any, tmp_path: Path) -> None:
    """"was likely" in July of a cut in September: a forecast (planned), not a cut that
    happened; the analysts' "another cut in September" of June is the same forecast."""
    events = _run(cli, tmp_path, FORECAST)
    september = [e for e in events if e["start"] == "2025-09" and e["label"] == "cut"]
    assert len(september) == 1, [(e["label"], e["start"], e["status"]) for e in events]
    assert september[0]["status"] == "planned" and _docs(september[0]) == 2
    # the governor spoke in July, of September: no saying dated September
    assert not [e for e in events if e["kind"] == "statement" and e["start"] == "2025-09"]


def test_a_forecast_does_not_join_one_of_another_month_or_other_figures() -> None:
    def m(doc: str, value: str, quote: str = "", status: str = "planned") -> dict[str, Any]:
        return {"document": doc, "status": status, "quote": quote, "kind": "",
                "time": {"value": value, "source": "own"}}

    assert crossdoc.forecast_agrees(m("b", "2025-09"), [m("a", "2025-09")])
    assert not crossdoc.forecast_agrees(m("b", "2025-09"), [m("a", "2025-10")])
    assert not crossdoc.forecast_agrees(m("b", "2025"), [m("a", "2025")])  # a year: too vague
    assert not crossdoc.forecast_agrees(m("b", "2025-09", status="occurred"),
                                        [m("a", "2025-09")])
    assert not crossdoc.forecast_agrees(m("b", "2025-09", "to 3.5%"),
                                        [m("a", "2025-09", "to 3.25%")])
    assert not crossdoc.forecast_agrees(m("a", "2025-09"), [m("a", "2025-09")])  # one document


PLAN_HOUR = {
    "a.txt": "date: 2024-05-06\ntitle: New Varna library to open on Friday\n\n"
             "The new city library of Varna will open on Friday, officials said on Monday.\n\n"
             "Mayor Ines Caro is expected to speak at a ceremony at 11:00 a.m.\n",
}


def test_an_hour_of_a_plan_is_on_the_day_the_plan_was_told_for(cli: Any,
                                                               tmp_path: Path) -> None:
    events = _run(cli, tmp_path, PLAN_HOUR)
    ceremony = [e for e in events if e["label"] == "ceremony"]
    assert [e["start"] for e in ceremony] == ["2024-05-10T11:00"], \
        [(e["label"], e["start"]) for e in events]


PRESS = {
    "a_es.txt": "fecha: 2023-09-14\ntitle: Cumbre en Lisvar\n\n"
                "LISVAR (EFE).- Los presidentes Ana Brel y Otto Kamm se reunieron este "
                "miércoles en Lisvar.\n\n"
                "Tras la reunión, Brel y Kamm ofrecieron ruedas de prensa por separado.\n",
    "b_ru.txt": "date: 2023-09-14\ntitle: Саммит в Лисваре\n\n"
                "Президенты Ана Брел и Отто Камм встретились в среду в Лисваре.\n\n"
                "После встречи Брел и Камм провели раздельные пресс-конференции.\n",
}


def test_press_conferences_are_events_undated_too_and_merge(cli: Any, tmp_path: Path) -> None:
    events = _run(cli, tmp_path, PRESS)
    told = [e for e in events if e["kind"] == "statement"]
    assert len(told) == 1 and _docs(told[0]) == 2, [(e["kind"], e["start"], _docs(e))
                                                    for e in events]


def test_a_number_before_a_count_noun_is_no_year() -> None:
    assert filters._counted_next("ru", "эвакуированы 1200 жителей", len("эвакуированы 1200"))
    assert not filters._counted_next("ru", "в 2011 году", len("в 2011"))
    assert filters._counted_next("en", "1200 residents", 4)


def test_the_word_after_a_wire_dateline_opens_its_sentence() -> None:
    for text in ("LERIN (AP) - Talks", "NICOSIA, Cyprus (AP) — Talks", "GINEBRA (EFE).- Talks",
                 "PORT ELDEN — Talks"):
        assert opens(text, 0, text.rindex("Talks")), text
    for text in ("UN officials said - Talks", "The US - Talks", "Summit Talks"):
        assert not opens(text, 0, text.rindex("Talks")), text


STRIKE = {
    "a.txt": "date: 2030-05-06\ntitle: Orvik Transit bus drivers strike over pay\n\n"
             "ORVIK (Reuters) - Bus drivers of Orvik Transit went on strike on Monday in a "
             "dispute over pay, union leader Ana Lind said.\n",
    "b.txt": "date: 2030-05-08\ntitle: Orvik Transit bus drivers' strike drags on\n\n"
             "ORVIK (AP) - The strike by bus drivers of Orvik Transit entered its third day "
             "on Wednesday, union leader Ana Lind said.\n",
    "c.txt": "date: 2030-05-10\ntitle: Orvik Transit bus drivers end strike over pay\n\n"
             "ORVIK (AP) - Bus drivers of Orvik Transit went back to work on Thursday, "
             "ending their strike after a pay deal, union leader Ana Lind said.\n",
}


def test_a_strike_told_on_its_first_third_and_last_day_is_one_strike_of_its_first_day(
        cli: Any, tmp_path: Path) -> None:
    """A strike lasts days (`lasts_days`): three reports of it on Monday, Wednesday and
    Thursday are one strike, put at its first day as a reader would, and the days of its
    reports are no dispute about its date."""
    events = _run(cli, tmp_path, STRIKE)
    strikes = [e for e in events if e["kind"] == "strike"]
    assert len(strikes) == 1 and _docs(strikes[0]) == 3, \
        [(e["start"], e["story"], _docs(e)) for e in strikes]
    assert strikes[0]["start"] == "2030-05-06"
    snap = json.loads(cli("show", "--all", "--format", "json")[1])
    assert not [c for c in snap["conflicts"] if c.get("event") == strikes[0]["id"]]


def test_two_strikes_weeks_apart_stay_two(cli: Any, tmp_path: Path) -> None:
    """...but no further than a week: a strike of Monday and one three weeks later are two."""
    docs = {"a.txt": STRIKE["a.txt"],
            "d.txt": STRIKE["b.txt"].replace("2030-05-08", "2030-05-29")}
    strikes = [e for e in _run(cli, tmp_path, docs) if e["kind"] == "strike"]
    assert sorted(e["start"] for e in strikes) == ["2030-05-06", "2030-05-29"]


NO_DEAL = {
    "a.txt": "date: 2030-05-08\ntitle: Orvik Transit pay talks fail\n\n"
             "ORVIK (Reuters) - Pay talks between Orvik Transit and its bus drivers ended on "
             "Tuesday without an agreement, union leader Ana Lind said.\n",
    "b.txt": "date: 2030-05-09\ntitle: Orvik Transit pay talks fail, strike goes on\n\n"
             "ORVIK (AP) - Pay talks between Orvik Transit and its bus drivers on Tuesday "
             "ended without an agreement, union leader Ana Lind said.\n",
}


def test_what_two_sources_say_did_not_happen_is_not_merged(cli: Any, tmp_path: Path) -> None:
    """"Ended without an agreement": a negated agreement is no happening two reports
    share; the talks they both tell are."""
    events = _run(cli, tmp_path, NO_DEAL)
    deals = [e for e in events if e["kind"] == "agreement"]
    assert deals and all(_docs(e) == 1 for e in deals), [(e["status"], _docs(e)) for e in deals]
    assert any(e["kind"] == "talks" and _docs(e) == 2 for e in events)


BID = {
    "a.txt": "date: 2030-03-05\ntitle: Harrow bids for Pellin\n\n"
             "LONDON (Reuters) - Harrow Group offered on Monday to buy Pellin Foods for 12 "
             "euros a share in cash.\n",
    "b.txt": "El consejo de Pellin rechaza la oferta de Harrow\n\n"
             "LONDRES, (EFE).- El consejo de administración de Pellin Foods rechazó el jueves "
             "la oferta de compra de 12 euros por acción presentada el lunes por el grupo "
             "Harrow.\n",
}


def test_a_takeover_offer_is_one_saying_across_languages(cli: Any, tmp_path: Path) -> None:
    """"Offered on Monday to buy", "la oferta de compra ... presentada el lunes": the
    bidder's offer is a saying of its own day (statement) in both languages, one event;
    and the undated report is dated by it (its Thursday after that Monday)."""
    events, _lang = merge_news._run(cli, tmp_path, BID)
    offers = [e for e in events if e["kind"] == "statement" and _docs(e) == 2]
    assert [e["start"] for e in offers] == ["2030-03-04"], \
        [(e["start"], _docs(e)) for e in events if e["kind"] == "statement"]


QUAKE = {
    "a.txt": "date: 2030-07-14\ntitle: Earthquake kills 14 in Tavora\n\n"
             "TAVORA (AP) - A strong earthquake struck Tavora province on Sunday, killing "
             "14 people and injuring more than 200, Tavora governor Ilse Maren said.\n",
    "b.txt": "date: 2030-07-15\ntitle: Asciende a 37 la cifra de muertos por el terremoto de "
             "Tavora\n\nTAVORA, (EFE).- La cifra de muertos por el terremoto que sacudió el "
             "domingo la provincia de Tavora ascendió a 37, y los heridos a 260, informó la "
             "gobernadora de Tavora, Ilse Maren.\n",
}


def test_a_disasters_dead_and_injured_are_events_across_languages(
        cli: Any, tmp_path: Path) -> None:
    """"Killing 14 and injuring more than 200" (the quake's verbs, not an attack's) and
    "los heridos a 260": the dead and the injured of one quake, told in two languages."""
    events = _run(cli, tmp_path, QUAKE)
    assert any(e["kind"] == "injury" and _docs(e) == 2 for e in events), \
        [(e["kind"], e["start"], _docs(e)) for e in events]
    assert any(e["kind"] == "death" and _docs(e) == 2 for e in events), \
        [(e["kind"], e["start"], _docs(e)) for e in events]
