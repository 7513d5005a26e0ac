"""Narrative time: underspecified dates resolve on the story's reference time when the text
has moved away from its creation time, on the creation time when it has not."""

from __future__ import annotations

import json

import pytest

from timeline.temporal import reresolve, tag

WAR = ("In August 1914 Germany declared war on Russia. On 7 August the first British troops "
       "landed in France. Two weeks later the German armies reached the Sambre. The following "
       "day the French counter-attacked. That year a million men died.")


def values(text: str, dct: str | None, lang: str = "en", mode: str = "auto") -> list[str]:
    return [t.value for t in tag(text, dct, lang, mode)]


@pytest.mark.parametrize("dct", [None, "2024-05-10"])
def test_a_history_moves_its_own_time(dct: str | None) -> None:
    # with no creation time, or one long after the story, the story's year decides
    assert values(WAR, dct) == ["1914-08", "1914-08-07", "1914-W34", "1914-08-22", "1914"]


def test_without_a_creation_time_the_first_year_anchors_what_follows() -> None:
    text = ("In 1804 Napoleon crowned himself emperor. In March he ordered the execution of "
            "the duke, and on 2 December he was crowned.")
    assert values(text, None) == ["1804", "1804-03", "1804-12-02"]
    # before any year, a year-less date has nothing to lean on
    assert values("On 7 August the troops landed. In 1914 the war began.", None) == \
        ["XXXX-08-07", "1914"]


def test_weekdays_move_forward_from_the_reference_day() -> None:
    text = ("Austria-Hungary sent its ultimatum on 23 July 1914 and declared war five days "
            "later. On Saturday Germany declared war on Russia, and on Monday on France.")
    assert values(text, None)[-2:] == ["1914-08-01", "1914-08-03"]


def test_a_story_crossing_the_new_year_takes_the_nearest_month() -> None:
    text = ("Napoleon entered Madrid in December 1808. In January the British withdrew, and in "
            "August the French attacked again.")
    assert values(text, None) == ["1808-12", "1809-01", "1809-08"]
    # less than half a year back is the same year
    text = "Napoleon entered Madrid in December 1808. In August the Spanish had won at Bailén."
    assert values(text, None) == ["1808-12", "1808-08"]


def test_news_keeps_its_creation_time_despite_a_background_year() -> None:
    # a year in an appositive is mentioned, not moved to
    text = ("The company, founded in 1998 by a group of engineers, said on 12 February that it "
            "would cut jobs.")
    assert values(text, "2024-02-20") == ["1998", "2024-02-12"]
    # a year deep in a sentence of a news story ("dating to 1994") is background too
    text = ("Police said on Monday that the shootings dated to 1994. In January, a week after "
            "the anniversary, a doctor was shot.")
    assert values(text, "1998-10-25")[2] == "1998-01"


def test_words_counted_from_now_bring_the_text_back() -> None:
    text = ("The dispute goes back to 2014. In February of that year protesters occupied the "
            "square, and on 22 February the president fled. Talks resumed last week, and the "
            "ministers said yesterday that a deal could be signed in March.")
    assert values(text, "2022-03-10") == ["2014", "2014-02", "2014-02-22", "2022-W09",
                                          "2022-03-09", "2022-03"]


def test_a_reference_within_a_year_of_the_creation_time_changes_nothing() -> None:
    text = "The plant opened in March 2023. On 7 August it closed."
    assert values(text, "2023-09-01") == ["2023-03", "2023-08-07"]
    assert values(text, "2023-09-01", mode="news") == ["2023-03", "2023-08-07"]


def test_the_mode_forces_it() -> None:
    text = "The firm was founded in 1998, and on 12 February it said it would cut jobs."
    assert values(text, "2024-02-20", mode="news")[1] == "2024-02-12"
    assert values(text, "2024-02-20", mode="narrative")[1] == "1998-02-12"
    assert values(WAR, "2024-05-10", mode="news")[1] == "2024-08-07"


def test_an_explicit_future_reference_does_not_pull_a_past_clause() -> None:
    text = "In 2031 the line will open. On 5 May the minister visited the site."
    assert values(text, "2024-06-01") == ["2031", "2024-05-05"]


@pytest.mark.parametrize(("lang", "text", "want"), [
    ("es", "La guerra comenzó el 17 de julio de 1936. El 6 de noviembre el gobierno abandonó "
           "Madrid, y al día siguiente comenzó la defensa. En marzo de ese año...",
     ["1936-07-17", "1936-11-06", "1936-11-07", "1936-03"]),
    ("es", "La crisis empezó en 2014. En febrero de ese año los manifestantes ocuparon la plaza.",
     ["2014", "2014-02"]),
    ("ru", "7 сентября 1812 года произошло сражение, а через неделю французы вошли в Москву. В "
           "тот же день начались пожары. В октябре Наполеон покинул Москву.",
     ["1812-09-07", "1812-W38", "1812-09-14", "1812-10"]),
])
def test_spanish_and_russian_stories(lang: str, text: str, want: list[str]) -> None:
    assert values(text, None, lang) == want
    assert values(text, "2020-06-01", lang) == want


@pytest.mark.parametrize(("lang", "text", "want"), [
    ("en", "In August 1914 Germany declared war. On 7 August at 10 a.m. the troops crossed.",
     ["1914-08", "1914-08-07", "1914-08-07T10:00"]),
    ("es", "En marzo de 1936 empezó la huelga. El 7 de abril a las 10:00 marcharon.",
     ["1936-03", "1936-04-07", "1936-04-07T10:00"]),
    ("ru", "В 2008 году был пожар. Он начался 1 авг в 13.00.", ["2008", "2008-08-01",
     "2008-08-01T13:00"]),
])
def test_a_clock_time_takes_the_day_the_story_gave_it(lang: str, text: str,
                                                      want: list[str]) -> None:
    # the time borrows the day after narrative time moved it, not the creation time's year
    assert values(text, "2023-05-10", lang) == want


@pytest.mark.parametrize(("lang", "text"), [
    ("en", "In 1990 he left. From April 16 to May 19, 2019 it rained."),
    ("es", "En 1990 se fue. Entre el 16 de abril y el 19 de mayo de 2019 llovió."),
    ("ru", "В 1990 году он уехал. С 16 апреля по 19 мая 2019 года шли дожди."),
])
def test_a_range_takes_the_year_it_writes_over_the_storys(lang: str, text: str) -> None:
    assert values(text, "2023-05-10", lang)[1:] == ["2019-04-16", "2019-05-19"]


def test_years_before_1500_are_years() -> None:
    assert values("The Hundred Years' War began in 1337 and ended in 1453.", None) == \
        ["1337", "1453"]


@pytest.mark.parametrize("text", [
    WAR,
    "The firm was founded in 1998, and on 12 February it said it would cut jobs.",
    "Police said on Monday that the shootings dated to 1994. In January a doctor was shot.",
    "Napoleon entered Madrid in December 1808. In January the British withdrew.",
    "The plant opened in March 2023. On 7 August it closed. On Friday it reopened.",
    "In August 1914 Germany declared war. On 7 August at 10 a.m. the troops crossed.",
])
@pytest.mark.parametrize("late", ["2024-05-10", "2023-09-01", "1914-09-01"])
def test_reresolve_agrees_with_tagging_on_that_date(text: str, late: str) -> None:
    """The reference time lives in the relation: re-anchoring a text tagged without a date
    on one found later gives what tagging with that date gives, and the relation is JSON
    (the store keeps it)."""
    found = tag(text, None, "en")
    again = [reresolve(t, late) for t in found]
    direct = tag(text, late, "en")
    assert [(t.value, t.begin, t.end_value) for t in again] == \
           [(t.value, t.begin, t.end_value) for t in direct]
    for t in found:
        assert json.loads(json.dumps(t.relation)) == t.relation
