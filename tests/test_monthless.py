"""A day of the month without its month ("el día 12"): the tense picks the side, the
calendar the month, and no impossible date ever comes out."""

from __future__ import annotations

import datetime as dt

import pytest

from timeline.temporal.monthless import day_of_month

DCT = dt.date(2019, 3, 20)


@pytest.mark.parametrize(("d", "tense", "want"), [
    (12, "past", "2019-03-12"),
    (25, "past", "2019-02-25"),
    (5, "future", "2019-04-05"),
    (25, "future", "2019-03-25"),
    (18, None, "2019-03-18"),
    (5, None, "2019-03-05"),  # 15 days back, 16 ahead: the nearest
    (30, "past", "2019-01-30"),  # February has no 30th
    (31, "future", "2019-03-31"),
])
def test_day_of_month(d: int, tense: str | None, want: str) -> None:
    assert day_of_month(d, DCT, tense) == want


def test_without_a_reference_date_the_month_stays_unknown() -> None:
    assert day_of_month(7, None, "past") == "XXXX-XX-07"
