"""Merging across documents on news written for these tests (en/es/ru): one happening told
with other words or in other languages is one event (the predicate through kinds and
concepts, "cut" / "recortó" / "снизил"; a figure the sources share as the argument of a
predicate that names nobody); different happenings of one kind stay apart (two
announcements three weeks apart, two semi-finals on consecutive days, two falls of one
month with different figures)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from timeline import concepts, figures
from timeline.compat import compatible

RATE = {
    "a_en.txt": "date: 2023-10-05\ntitle: Valdoria's central bank lowers its key rate\n\n"
                "MERIDA CITY (Reuters) - Valdoria's central bank cut its key interest rate by "
                "half a point to 5.5% on Thursday, Governor Marta Ilves said.\n\n"
                "Consumer prices fell to 1.8% in September, the statistics agency said.\n",
    "b_es.txt": "fecha: 2023-10-06\ntitle: El banco central de Valdoria recorta los tipos\n\n"
                "MERIDA CITY (EFE).- El banco central de Valdoria recortó su tipo de interés "
                "en medio punto el jueves, hasta el 5,5 %, anunció la gobernadora Marta "
                "Ilves.\n\n"
                "La inflación bajó al 1,8 % en septiembre.\n",
    "c_ru.txt": "date: 2023-10-06\ntitle: Центробанк Вальдории снизил ставку\n\n"
                "Центральный банк Вальдории в четверг снизил ключевую ставку на 0,5 "
                "процентного пункта, до 5,5%, сообщила глава банка Марта Ильвес.\n\n"
                "В сентябре инфляция в стране замедлилась до 1,8%.\n",
}

APART = {
    "a_en.txt": "date: 2022-03-01\ntitle: Borvik Motors announces a new plant\n\n"
                "Borvik Motors announced on Tuesday that it will build a battery plant in "
                "Lindholm.\n\nIn February the country's exports fell 3.2%.\n",
    "b_en.txt": "date: 2022-03-22\ntitle: Borvik Motors announces job cuts\n\n"
                "Borvik Motors announced on Tuesday that it will cut 900 jobs at its "
                "Lindholm works.\n\nIn February the country's imports fell 1.5%.\n",
    "c_es.txt": "fecha: 2022-06-10\ntitle: Semifinales del torneo de Lindholm\n\n"
                "El equipo de Borvik ganó el jueves la primera semifinal del torneo de "
                "Lindholm ante el Sandvik.\n",
    "d_ru.txt": "date: 2022-06-11\ntitle: Вторая полуфинальная игра в Линдхольме\n\n"
                "В пятницу команда Сандвика выиграла вторую полуфинальную игру турнира в "
                "Линдхольме у Борвика.\n",
}


def _run(cli: Any, tmp_path: Path, docs: dict[str, str]) -> tuple[list[dict[str, Any]],
                                                                  dict[str, str]]:
    src = tmp_path / "docs"
    src.mkdir()
    for name, text in docs.items():
        (src / name).write_text(text, encoding="utf-8")
    code, _, err = cli("run", str(src))
    assert code == 0, err
    snap = json.loads(cli("show", "--all", "--format", "json")[1])
    lang = {d["id"]: d["language"] for d in snap["documents"]}
    return snap["events"], lang


def _langs(e: dict[str, Any], lang: dict[str, str]) -> set[str]:
    return {lang[s["document"]] for s in e["sources"]}


def test_one_rate_cut_and_one_fall_of_prices_in_three_languages(cli: Any,
                                                                tmp_path: Path) -> None:
    """"cut" / "recortó" / "снизил" are one decision; "fell to 1.8%" / "bajó al 1,8 %" /
    "замедлилась до 1,8%" one fall, though no entity is named: the figure is shared."""
    events, lang = _run(cli, tmp_path, RATE)
    cuts = [e for e in events if e["kind"] == "decision" and e["start"] == "2023-10-05"]
    assert len(cuts) == 1 and _langs(cuts[0], lang) == {"en", "es", "ru"}, \
        [(e["kind"], e["start"], _langs(e, lang)) for e in events]
    falls = [e for e in events if e["label"] == "fall" and e["start"] == "2023-09"]
    assert len(falls) == 1 and _langs(falls[0], lang) == {"en", "es", "ru"}, \
        [(e["label"], e["start"], _langs(e, lang)) for e in events]


def test_announcements_weeks_apart_semifinals_and_falls_stay_apart(cli: Any,
                                                                   tmp_path: Path) -> None:
    """Two Tuesdays' announcements of one company three weeks apart, two semi-finals on
    consecutive days (es, ru) and two falls of one February with different figures: each
    its own event, with the sources of its own document only."""
    events, _lang = _run(cli, tmp_path, APART)
    multi = [(e["kind"] or e["label"], e["start"], len({s["document"] for s in e["sources"]}))
             for e in events if len({s["document"] for s in e["sources"]}) > 1]
    assert multi == [], multi
    said = sorted(e["start"] for e in events if e["kind"] == "statement"
                  and e["start"] and e["start"] >= "2022-03")
    assert "2022-03-01" in said and "2022-03-22" in said, said


def test_a_week_covers_its_days_not_its_year() -> None:
    assert not compatible("2025-W23", "2025-09")  # "last week" is no September
    assert compatible("2025-W23", "2025-06-05")
    assert not compatible("2025-W23-WE", "2025-06-05")  # the weekend, not its Thursday
    assert compatible("2025-W23-WE", "2025-06-06T23:00")  # but Friday night, as news has it
    assert compatible("2025-Q2", "2025-05") and not compatible("2025-Q2", "2025-07-01")
    assert compatible("2025-06-12", "2025-06") and not compatible("2025-06-12", "2025-07")


def test_figures_read_alike_in_every_language() -> None:
    assert figures.figures("fell to 2.4% from 3.1%") == {(2.4, True), (3.1, True)}
    assert figures.figures("bajó al 2,4 %") == {(2.4, True)}
    assert figures.figures("до 2,4%") == {(2.4, True)}
    # thousands, dates and clock times are no figures
    assert figures.figures("2,400 jobs on 13.06.2025 at 10:00 (2024-03-08)") == frozenset()
    assert figures.shared("fell to 2.4%", "bajó al 2,4 %")
    assert not figures.shared("fell 2%", "cayó 2 %")  # one plain percentage: too common
    assert not figures.shared("fell 3.2%", "fell 1.5%")


def test_a_kind_mention_keeps_its_predicate() -> None:
    """The predicate a decision is told with, through the concepts of every language."""
    assert concepts.predicate("cut") == concepts.predicate("recortar") == \
        concepts.predicate("снизить") == "cut"
    assert concepts.predicate("keep") == "keep"
    assert concepts.concept("ru", "замедлиться") == concepts.concept("en", "fall") == "fall"


CLOSURE = {
    "a_es.txt": "fecha: 2024-11-05\ntitle: Tormex cerrará su planta de Aldeira\n\n"
                "ALDEIRA (EFE).- El fabricante de neumáticos Tormex anunció este lunes el "
                "cierre de su planta de Aldeira, que da trabajo a 2.000 empleados, según el "
                "sindicato.\n\nLa dirección de Tormex confirmó la noticia en un comunicado.\n",
    "b_ru.txt": "date: 2024-11-05\ntitle: Tormex закроет завод в Алдейре\n\n"
                "Производитель шин Tormex в понедельник объявил о закрытии завода в "
                "Алдейре, где работают 1 500 сотрудников, сообщила компания.\n\n"
                "Профсоюз назвал решение Tormex несправедливым.\n",
}


def test_a_count_two_languages_give_differently_is_a_conflict(cli: Any,
                                                               tmp_path: Path) -> None:
    """"2.000 empleados" (Spanish thousands point) and "1 500 сотрудников" (Russian
    thousands space) of one closure: one event, and a conflict over its count of jobs."""
    src = tmp_path / "docs"
    src.mkdir()
    for name, text in CLOSURE.items():
        (src / name).write_text(text, encoding="utf-8")
    assert cli("run", str(src))[0] == 0
    snap = json.loads(cli("show", "--all", "--format", "json")[1])
    closures = [e for e in snap["events"] if e["kind"] == "closure"]
    assert len(closures) == 1 and len({s["document"] for s in closures[0]["sources"]}) == 2
    got = [c for c in snap["conflicts"] if c["event"] == closures[0]["id"]]
    assert [(c["attribute"], sorted(v["value"] for v in c["values"])) for c in got] == \
        [("count:jobs", ["1500", "2000"])]
