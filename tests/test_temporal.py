"""The temporal engine beyond the resource examples: totality, offsets, late anchoring."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from timeline.temporal import reresolve, tag

WORDS = ["Putin", "met", "on", "Wednesday", "yesterday", "will", "visit", "this", "Thursday",
         "last", "Monday", "September", "10", "to", "13,", "2023", "for", "about", "two",
         "hours", "before", "the", "summit", "в", "среду", "el", "jueves", "hace", "dos",
         "días", "May", "March", "We", "$93", "1/2", "a", "second", "early", "December", "4",
         "hour", "long", "negotiations", "ago", "next", "week", "in", "October", "1990s"]


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300), st.sampled_from(["en", "es", "ru", "xx"]),
       st.one_of(st.none(), st.dates(min_value=dt.date(1900, 1, 1),
                                     max_value=dt.date(2100, 12, 31))))
def test_any_text_never_raises_and_spans_are_exact(text: str, lang: str,
                                                   dct: dt.date | None) -> None:
    for t in tag(text, dct, lang):
        assert 0 <= t.start < t.end <= len(text)
        assert text[t.start:t.end] == t.text


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(WORDS), max_size=30), st.sampled_from(["en", "es", "ru"]),
       st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2050, 12, 31)))
def test_news_like_sentences(words: list[str], lang: str, dct: dt.date) -> None:
    text = " ".join(words) + "."
    found = tag(text, dct, lang)
    for t in found:
        assert text[t.start:t.end] == t.text
        assert t.type in ("DATE", "TIME", "DURATION", "SET")
    ends = [(t.start, t.end) for t in found]
    assert all(a[1] <= b[0] for a, b in itertools.pairwise(ends))  # no overlaps


def test_without_reference_date_relations_come_back_unresolved() -> None:
    (wed,) = tag("Putin and Kim met on Wednesday.", None, "en")
    assert wed.value == "XXXX-WXX-3"
    assert wed.relation and wed.relation["k"] == "weekday" and wed.relation["wd"] == 3
    (yday,) = tag("They met yesterday.", None, "en")
    assert yday.relation and yday.relation["unit"] == "D" and yday.relation["n"] == -1
    # resolving later is a pure call on the stored relation, identical to tagging with a date
    for text in ("Putin and Kim met on Wednesday.", "They met yesterday.",
                 "He will visit factories this Thursday.", "It happened two weeks ago.",
                 "The forum runs from September 10 to 13.", "Sales fell in October.",
                 "They met on Wednesday. The next day, talks resumed.",
                 "Talks began at 10 p.m. Wednesday.", "It opened in July last year.",
                 "He was promoted on May 22, 1995, and the following year he left.",
                 "Talks ran from Monday to Wednesday.", "He ruled from March 2010 to May 2012."):
        late = [reresolve(t, "2023-09-14") for t in tag(text, None, "en")]
        direct = tag(text, "2023-09-14", "en")
        assert [(t.value, t.begin, t.end_value) for t in late] == \
               [(t.value, t.begin, t.end_value) for t in direct]


def test_event_anchored_offsets() -> None:
    (hours,) = tag("Hours before the summit, North Korea fired missiles.", "2023-09-13", "en")
    assert (hours.type, hours.value, hours.anchor) == ("DURATION", "PXH", "the summit")
    assert hours.relation and hours.relation["anchor"]["dir"] == "BEFORE"
    (days,) = [t for t in tag("Two days after the vote, the party collapsed.", "2023-09-13",
                              "en") if t.type == "DURATION"]
    assert days.value == "P2D" and days.relation and days.relation["anchor"]["dir"] == "AFTER"


@pytest.mark.parametrize(("lang", "text", "phrase"), [
    # the phrase stops at a verb or a phrase break, whatever the language, not at "and"
    ("en", "He appeared Monday, two days after he was captured in a field.", "he was captured"),
    ("en", "Two days after the vote the party collapsed.", "the vote"),
    ("es", "La crisis llega un año después del segundo rescate griego y tres años después.",
     "segundo rescate griego"),
    ("ru", "Кризис наступил через год после второго спасения Греции и почти через три года.",
     "второго спасения Греции"),
])
def test_anchor_phrases(lang: str, text: str, phrase: str) -> None:
    anchors = [t.anchor for t in tag(text, "2013-03-20", lang) if t.anchor]
    assert anchors[0] == phrase


def test_range_keeps_two_spans_and_the_interval() -> None:
    found = tag("from 10 to 13 September 2023", None, "en")
    assert [t.text for t in found] == ["10", "13 September 2023"]
    assert {(t.begin, t.end_value) for t in found} == {("2023-09-10", "2023-09-13")}
    ru = tag("10–13 сентября 2023 года", None, "ru")
    assert [t.value for t in ru] == ["2023-09-10", "2023-09-13"]


def test_durations_are_never_dates() -> None:
    for text, value in (("for about two hours", "PT2H"), ("4 hour long negotiations", "PT4H"),
                        ("several hours", "PXH"), ("около двух часов", "PT2H"),
                        ("unas dos horas", "PT2H")):
        lang = "ru" if "час" in text else "es" if "horas" in text else "en"
        (t,) = tag(text, "2023-09-13", lang)
        assert (t.type, t.value) == ("DURATION", value), text


def test_unknown_language_falls_back_to_dateparser_without_the_clock() -> None:
    found = tag("Le sommet a eu lieu le 13 septembre 2023 à Vostotchny.", None, "fr")
    assert [t.value for t in found] == ["2023-09-13"]
    assert tag("Ils se sont rencontrés hier.", None, "fr") == []  # relative, no anchor


def test_windows_never_change_the_result() -> None:
    """Rules scan only the windows around core words; a full scan must find the same."""
    from conftest import FIXTURES
    from test_resources import EXAMPLES

    import timeline.temporal as temporal

    texts = [p.read_text(encoding="utf-8") for p in sorted(FIXTURES.rglob("*.txt"))]
    texts += [" ".join(WORDS[i:] + WORDS[:i]) * 3 for i in range(0, len(WORDS), 7)]
    # every resource example, padded past one window: a rule's `requires` must hold in each
    for param in EXAMPLES:
        lang, ex = param.values
        texts.append(f"{'Lorem ipsum dolor sit amet. ' * 4}{ex['text']}{' Lorem ipsum.' * 4}")
    for text in texts:
        for lang in ("en", "es", "ru"):
            windowed = tag(text, "2023-09-14", lang)
            temporal.USE_WINDOWS = False
            try:
                full = tag(text, "2023-09-14", lang)
            finally:
                temporal.USE_WINDOWS = True
            assert windowed == full


def test_neighbours_compose_and_anaphora_follow_the_story() -> None:
    def values(text: str, dct: str) -> list[tuple[str, str]]:
        return [(t.text, t.value) for t in tag(text, dct, "en")]

    # a time and the day beside it are one moment; across "on" the time borrows the day
    assert values("Talks broke off at noon Thursday.", "1998-02-13") == \
        [("noon Thursday", "1998-02-12T12:00")]
    assert values("at 10:30 a.m. on Wednesday", "2023-09-14") == \
        [("10:30 a.m.", "2023-09-13T10:30"), ("Wednesday", "2023-09-13")]
    assert values("He was arrested in July last year.", "1998-02-19") == \
        [("July last year", "1997-07")]
    # "the next day" counts from the day the story named, not from the document's date
    assert values("They met on Monday, Sept. 11, 2023. The next day they parted.",
                  "2023-09-20")[-1] == ("The next day", "2023-09-12")
    # without a date named before it, it stays on the document's date
    assert values("The next day they parted.", "2023-09-20") == \
        [("The next day", "2023-09-21")]
    # "the day before the vote" counts from the vote, not from the last date named
    found = tag("On Sept. 11, 2023 talks began; the day before the vote they ended.",
                "2023-09-20", "en")
    assert all(t.relation and t.relation["k"] != "anaphor" for t in found)


@pytest.mark.parametrize(("year", "western", "orthodox"), [
    (1998, "1998-04-12", "1998-04-19"), (2000, "2000-04-23", "2000-04-30"),
    (2013, "2013-03-31", "2013-05-05"), (2024, "2024-03-31", "2024-05-05"),
    (2038, "2038-04-25", "2038-04-25"), (2100, "2100-03-28", "2100-05-02"),
])
def test_easter_computus(year: int, western: str, orthodox: str) -> None:
    from timeline.temporal.normalize import easter

    assert easter(year).isoformat() == western
    assert easter(year, orthodox=True).isoformat() == orthodox


def test_a_language_without_resources_is_read_by_dateparser_at_its_precision() -> None:
    """French is detected as French (not misread as Spanish) and tagged by dateparser; a
    month without a day stays a month ("mars 2020" -> 2020-03), never a day made up from
    the reference date."""
    from timeline import lexicon

    text = ("Le nouveau pont de la ville a été inauguré par la maire. Le chantier avait "
            "commencé en mars 2020 et il a duré quatre ans.")
    lang = lexicon.detect_language(text)
    assert lang == "fr"
    values = {t.text.strip(): t.value for t in tag(text, "2024-03-08", lang)}
    assert "2020-03" in values.values(), values


def test_the_fallback_keeps_dateparser_from_its_news_mistakes() -> None:
    """dateparser reads "deux heures" (a stretch of time) as two hours ago and "vendredi" on a
    Friday as last week's: the fallback drops the first and takes the day itself."""
    text = ("Le pont a été inauguré vendredi matin par la maire de la ville. La cérémonie a "
            "duré deux heures et les habitants ont traversé le pont à pied.")
    found = {t.text.strip(): t.value for t in tag(text, "2024-03-08", "fr")}
    assert found.get("vendredi") == "2024-03-08", found
    assert not [s for s in found if "heures" in s], found
