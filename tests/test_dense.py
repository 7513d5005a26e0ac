"""Degraded mode (timeline/temporal/dense.py): what a stretch that cannot be prose yields."""

from __future__ import annotations

import pytest

from timeline.temporal import reresolve, tag
from timeline.temporal.dense import MAX_WINDOW

DCT = "2023-09-14"
# a table-like run of date-ish tokens, no sentence anywhere
DENSE_UNIT = ("1999 12/31 3:45 May 2 the 90s 4 hours ago 2023-09-13 45.6% $93 "
              "7 March 2021 2020-02-30 June 5, 2019 ")


def _dense(unit: str) -> str:
    return unit * (3 * MAX_WINDOW // len(unit) + 1)


def test_a_dense_line_yields_only_its_fully_specified_dates() -> None:
    line = _dense(DENSE_UNIT)
    found = tag(line, DCT, "en")
    units = len(line) // len(DENSE_UNIT)
    # per unit: the ISO date, "7 March 2021", "June 5, 2019"; never the impossible
    # 2020-02-30, nor "May 2", "3:45", "4 hours ago", "1999", "the 90s"
    assert [(t.text, t.value) for t in found[:3]] == [
        ("2023-09-13", "2023-09-13"), ("7 March 2021", "2021-03-07"),
        ("June 5, 2019", "2019-06-05")]
    assert len(found) == 3 * units
    assert all(t.type == "DATE" and t.relation and t.relation["dense"] for t in found)
    assert all(line[t.start:t.end] == t.text for t in found)
    at = DENSE_UNIT.index("2023-09-13")
    assert found[0].to_json() == {"start": at, "end": at + 10, "text": "2023-09-13",
                                  "type": "DATE", "value": "2023-09-13", "degraded": True}
    assert [t.start for t in found] == sorted(t.start for t in found)


def test_degraded_values_do_not_depend_on_the_creation_time() -> None:
    found = tag(_dense(DENSE_UNIT), DCT, "en")
    again = tag(_dense(DENSE_UNIT), "1990-01-01", "en")
    assert [t.value for t in found] == [t.value for t in again]
    assert {reresolve(t, "1990-01-01").value for t in found[:3]} == {
        "2023-09-13", "2021-03-07", "2019-06-05"}


def test_the_same_tokens_in_a_short_text_get_the_full_tagger() -> None:
    found = {t.text: t.value for t in tag(DENSE_UNIT, DCT, "en")}
    # on the year the text named before it, as "May 2" alone is ("1999 May 2": 1999-05-02)
    assert found.get("3:45 May 2") == "1999-05-02T03:45"
    assert "4 hours ago" in found and "1999" in found
    assert not any((t.relation or {}).get("dense") or "degraded" in t.to_json()
                   for t in tag(DENSE_UNIT, DCT, "en"))


def test_prose_beside_a_dense_stretch_keeps_the_full_tagger() -> None:
    prose = "The talks resumed in March after a week of strikes and two days of rain. " * 80
    line = prose + _dense(DENSE_UNIT)
    assert len(prose) > MAX_WINDOW  # one window of ordinary density, longer than the bound
    found = tag(line, DCT, "en")
    in_prose = [t for t in found if t.end <= len(prose)]
    assert not any((t.relation or {}).get("dense") for t in in_prose)
    assert sum(t.text == "March" for t in in_prose) == 80
    assert sum(t.text == "a week" for t in in_prose) >= 74  # a chunk edge may cut a few
    assert all((t.relation or {}).get("dense") for t in found if t.start >= len(prose) + 1000)


@pytest.mark.parametrize(("lang", "unit", "values"), [
    ("es", "el 14 de septiembre de 2023 a las 3:45 2021-03-07 y 12/31 ",
     ["2023-09-14", "2021-03-07"]),
    ("ru", "14 сентября 2023 года в 13.00 2021-03-07 и 12/31 ", ["2023-09-14", "2021-03-07"]),
])
def test_degraded_mode_reads_each_language_s_month_names(lang: str, unit: str,
                                                         values: list[str]) -> None:
    found = tag(_dense(unit), DCT, lang)
    assert [t.value for t in found[:2]] == values
    assert len(found) == 2 * (len(_dense(unit)) // len(unit))
