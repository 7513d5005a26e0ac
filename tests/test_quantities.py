"""Counts as each language writes them, and when sources giving different counts disagree.

The examples live in `resources/<lang>/quantities.toml` beside the words; this file needs no
change when a language or a word is added.
"""

from __future__ import annotations

from typing import Any

import pytest

from timeline import conflicts, lexicon, quantities
from timeline.reconcile import Event


def _examples() -> list[Any]:
    out = []
    for lang in lexicon.languages():
        for i, ex in enumerate(quantities.data(lang).get("examples", [])):
            out.append(pytest.param(lang, ex, id=f"{lang}-{i}"))
    return out


EXAMPLES = _examples()


def test_every_language_has_count_examples() -> None:
    assert {p.values[0] for p in EXAMPLES} >= {"en", "es", "ru"}
    assert len(EXAMPLES) >= 25


@pytest.mark.parametrize(("lang", "ex"), EXAMPLES)
def test_resource_example(lang: str, ex: dict[str, Any]) -> None:
    got = quantities.counts(ex["text"], lang)
    if ex.get("none"):
        assert got == [], got
        return
    assert got, ex["text"]
    c = got[0]
    assert c.measure == ex["measure"]
    lo, hi = quantities.interval(c.value)
    if "value" in ex:
        assert c.value.split()[0] == str(ex["value"])
        assert [*c.value.split(), None][1] == ex.get("mod")
    else:
        assert (lo, hi) == (ex["low"], ex["high"])
    assert ex["text"][c.start:c.end].strip()


@pytest.mark.parametrize(("text", "lang", "want"), [
    ("1,500 jobs", "en", 1500),
    ("2.000 empleos", "es", 2000),
    ("1,500 empleos", "es", 1500),  # as the Americas write it
    ("12 300 зрителей", "ru", 12300),
    ("12\u00a0300 зрителей", "ru", 12300),
    ("12\u202f300 зрителей", "ru", 12300),
    ("1,5 millones de empleos", "es", 1_500_000),
    ("1,5 млн рабочих мест", "ru", 1_500_000),
    ("1.5 million jobs", "en", 1_500_000),
    ("two thousand jobs", "en", 2000),
    ("dos mil empleos", "es", 2000),
    ("две тысячи рабочих мест", "ru", 2000),
])
def test_number_formats_of_each_language(text: str, lang: str, want: int) -> None:
    (c,) = quantities.counts(text, lang)
    assert quantities.interval(c.value) == (want, want)


@pytest.mark.parametrize(("text", "lang"), [
    ("dozens of jobs", "en"), ("decenas de empleos", "es"), ("десятки рабочих мест", "ru")])
def test_vague_words_are_ranges(text: str, lang: str) -> None:
    (c,) = quantities.counts(text, lang)
    assert c.value.endswith("VAGUE")
    assert quantities.agree(c.value, "63") and not quantities.agree(c.value, "1500")


def test_bounds_of_mods() -> None:
    assert quantities.agree("40 EQUAL_OR_MORE", "63")
    assert not quantities.agree("63", "40")
    assert not quantities.agree("1500 APPROX", "2000")
    assert quantities.agree("1500 APPROX", "1600")


def _event(values: dict[str, str], name: str = "count:dead") -> tuple[Event, list[Any]]:
    mentions = [{"document": d, "start": 0, "end": 5, "attributes": {name: v}}
                for d, v in values.items()]
    keys = [f"{d}:0:5:0" for d in values]
    attrs = {name: [{"value": v, "documents": [d]} for d, v in values.items()]}
    ev = Event("ev-1", "s", "disaster", "t", "2025-05-11", None, "day", "occurred", None, [],
               keys, [], attrs)
    return ev, mentions


def test_a_rising_toll_over_days_is_a_series_not_a_conflict() -> None:
    ev, ms = _event({"a": "40 EQUAL_OR_MORE", "b": "63"})
    assert conflicts.of_events([ev], ms, {"a": "2025-05-12", "b": "2025-05-14"}) == []


def test_a_toll_that_falls_later_or_differs_the_same_day_is_a_conflict() -> None:
    ev, ms = _event({"a": "63", "b": "40"})
    got = conflicts.of_events([ev], ms, {"a": "2025-05-12", "b": "2025-05-14"})
    assert [(e, a) for e, a, _ in got] == [("ev-1", "count:dead")]
    ev, ms = _event({"a": "40", "b": "63"})
    assert conflicts.of_events([ev], ms, {"a": "2025-05-12", "b": "2025-05-12"})
    # an undated report cannot be placed in the series
    assert conflicts.of_events([ev], ms, {"a": "2025-05-12", "b": None})


def test_a_count_that_does_not_run_conflicts_whenever_it_differs() -> None:
    ev, ms = _event({"a": "1500", "b": "2000"}, "count:aboard")
    got = conflicts.of_events([ev], ms, {"a": "2025-05-12", "b": "2025-05-14"})
    assert got and {v["value"] for v in got[0][2]} == {"1500", "2000"}
    ev, ms = _event({"a": "1500", "b": "1500"}, "count:aboard")
    assert conflicts.of_events([ev], ms, {"a": "2025-05-12", "b": "2025-05-14"}) == []


def test_durations_are_compared_by_length() -> None:
    ev, ms = _event({"a": "PT72H", "b": "P3D"}, "duration")
    assert conflicts.of_events([ev], ms, {}) == []
    ev, ms = _event({"a": "PT20M APPROX", "b": "PT10M"}, "duration")
    assert conflicts.of_events([ev], ms, {})


def _placed(places: dict[str, str], langs: dict[str, str],
            elsewhere: dict[str, str] | None = None) -> list[Any]:
    mentions = [{"document": d, "start": 0, "end": 5, "place": p, "attributes": {}}
                for d, p in places.items()]
    others = [{"document": d, "start": 50, "end": 55, "place": p, "attributes": {}}
              for d, p in (elsewhere or {}).items()]
    ev = Event("ev-1", "s", "disaster", "t", "2025-05-11", None, "day", "occurred", None, [],
               [f"{d}:0:5:0" for d in places], [{"document": d, "lang": langs[d]}
                                                for d in places], {})
    return conflicts.of_events([ev], mentions + others, {})


def test_two_places_no_other_source_names_are_a_conflict() -> None:
    got = _placed({"a": "Belmar", "b": "Porto Ruiz"}, {"a": "en", "b": "en"})
    assert [(a, {v["value"] for v in vs}) for _, a, vs in got] == \
        [("place", {"Belmar", "Porto Ruiz"})]


def test_places_that_may_both_hold_are_no_conflict() -> None:
    en = {"a": "en", "b": "en"}
    # the other source names that place too, in another of its sentences
    assert _placed({"a": "Belmar", "b": "Porto Ruiz"}, en, {"b": "Belmar"}) == []
    # a country holds the town
    assert _placed({"a": "Belmar", "b": "Greece"}, en) == []
    # across languages a spelling is no evidence of another place (Geneva, Ginebra)
    assert _placed({"a": "Geneva", "b": "Ginebra"}, {"a": "en", "b": "es"}) == []
