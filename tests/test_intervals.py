"""Every TIMEX3 value a timeline places names its real stretch of time."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from timeline import intervals

D = dt.datetime


@pytest.mark.parametrize(("value", "start", "end", "unit"), [
    ("2013-W12", D(2013, 3, 18), D(2013, 3, 25), "week"),
    ("2013-W12-WE", D(2013, 3, 23), D(2013, 3, 25), "weekend"),
    ("2013-W12-3", D(2013, 3, 20), D(2013, 3, 21), "day"),
    ("2020-W53", D(2020, 12, 28), D(2021, 1, 4), "week"),
    ("2023-SP", D(2023, 3, 1), D(2023, 6, 1), "season"),
    ("2023-SU", D(2023, 6, 1), D(2023, 9, 1), "season"),
    ("2023-FA", D(2023, 9, 1), D(2023, 12, 1), "season"),
    ("2023-WI", D(2023, 12, 1), D(2024, 3, 1), "season"),
    ("2013-Q1", D(2013, 1, 1), D(2013, 4, 1), "quarter"),
    ("2013-Q4", D(2013, 10, 1), D(2014, 1, 1), "quarter"),
    ("2013-H2", D(2013, 7, 1), D(2014, 1, 1), "half"),
    ("201", D(2010, 1, 1), D(2020, 1, 1), "decade"),
    ("19", D(1900, 1, 1), D(2000, 1, 1), "century"),
    ("2013", D(2013, 1, 1), D(2014, 1, 1), "year"),
    ("2024-02", D(2024, 2, 1), D(2024, 3, 1), "month"),
    ("2013-03-18", D(2013, 3, 18), D(2013, 3, 19), "day"),
    ("2013-03-18TMO", D(2013, 3, 18, 6), D(2013, 3, 18, 12), "part of day"),
    ("2013-03-18TAF", D(2013, 3, 18, 12), D(2013, 3, 18, 18), "part of day"),
    ("2013-03-18TEV", D(2013, 3, 18, 18), D(2013, 3, 18, 22), "part of day"),
    ("2013-03-18TNI", D(2013, 3, 18, 21), D(2013, 3, 19, 6), "part of day"),
    ("2023-01-15T10:33", D(2023, 1, 15, 10, 33), D(2023, 1, 15, 10, 34), "minute"),
    ("2023-01-15T24:00", D(2023, 1, 16), D(2023, 1, 16), "minute"),
    ("2013-XX-XX", D(2013, 1, 1), D(2014, 1, 1), "year"),
    ("2024-02-30", D(2024, 2, 1), D(2024, 3, 1), "month"),  # the valid part of it
    ("2019-13", D(2019, 1, 1), D(2020, 1, 1), "year"),
])
def test_span(value: str, start: D, end: D, unit: str) -> None:
    s = intervals.span(value)
    assert s is not None
    assert (s.start, s.end, s.unit, s.zone) == (start, end, unit, None)


@pytest.mark.parametrize("value", [None, "", "PT2H", "PXH", "PRESENT_REF", "PAST_REF",
                                   "XXXX-04-30", "XXXX-WXX-3", "0000", "garbage"])
def test_what_has_no_place(value: str | None) -> None:
    assert intervals.span(value) is None
    assert intervals.sort_key(value)[0] == 1  # the undated sort last


def test_a_zone_is_kept_only_when_the_value_gives_one() -> None:
    assert intervals.span("2023-01-15T10:33").zone is None  # type: ignore[union-attr]
    z = intervals.span("2023-01-15T10:33Z")
    assert z is not None and z.zone == "Z" and z.tzinfo() == dt.UTC
    k = intervals.span("2023-01-15T10:33+05:45")
    assert k is not None and k.tzinfo().utcoffset(None) == dt.timedelta(hours=5, minutes=45)


def test_sorting_places_a_week_where_it_is() -> None:
    values = ["2013-04-02", "2013-W12", "2013-03-19", "2013", "2013-03-18TNI", None, "2013-SP"]
    assert sorted(values, key=intervals.sort_key) == [
        "2013", "2013-SP", "2013-W12", "2013-03-18TNI", "2013-03-19", "2013-04-02", None]


def test_event_span_runs_from_start_to_end() -> None:
    s = intervals.event_span("2013-03-18", "2013-W13")
    assert s is not None and (s.start, s.end) == (D(2013, 3, 18), D(2013, 4, 1))
    assert intervals.event_span("2013-03-18", "2012") == intervals.span("2013-03-18")


@pytest.mark.parametrize(("value", "words"), [
    ("2013-W12", "week 12 of 2013"), ("2023-SP", "spring 2023"), ("201", "the 2010s"),
    ("2013-03-18TNI", "18 March 2013, night"), ("2013-Q1", "Q1 2013"),
    ("2013-H1", "first half of 2013"), ("2023-01-15T10:33", "15 January 2023 10:33"),
    ("2013-04", "April 2013"), (None, "undated")])
def test_label(value: str | None, words: str) -> None:
    assert intervals.label(value) == words


@given(st.text(alphabet="0123456789-WQHSPUFAIXTEMONZ:+", max_size=20))
def test_any_string_is_placed_or_refused_never_raised(value: str) -> None:
    s = intervals.span(value)
    if s is not None:
        assert s.start <= s.end
    intervals.label(value)
    intervals.sort_key(value, value)
