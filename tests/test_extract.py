"""Every example of every events.toml is a test of the extractor."""

from __future__ import annotations

from typing import Any

import pytest

from timeline import analyze, extract, lexicon, segment
from timeline.temporal import tag


def _examples() -> list[Any]:
    out = []
    for lang in lexicon.languages():
        for kind in lexicon.events(lang).get("kind", []):
            for i, ex in enumerate(kind.get("examples", [])):
                out.append(pytest.param(lang, kind["name"], ex, id=f"{lang}-{kind['name']}-{i}"))
    return out


def _mentions(text: str, lang: str, ref: str | None = "2023-09-13") -> list[dict[str, Any]]:
    segs = segment.segments("d", text, 0, lang)
    stories = segment.stories(segs)
    txs = [{**t.to_json(), "timex_type": t.type, "relation": t.relation}
           for t in tag(text, ref, lang)]
    return extract.mentions("d", text, lang, segs, stories, txs, ref, analyze.analyze(text, lang))


@pytest.mark.parametrize(("lang", "kind", "ex"), _examples())
def test_event_vocabulary_example(lang: str, kind: str, ex: dict[str, Any]) -> None:
    found = _mentions(ex["text"], lang)
    if ex.get("absent"):
        assert not [m for m in found if m["kind"] == kind], found
        return
    mine = [m for m in found if m["kind"] == ex["kind"]]
    assert mine, f"no {ex['kind']} in {[(m['kind'], m['trigger']) for m in found]}"
    if "status" in ex:
        assert mine[0]["status"] == ex["status"]
    if "attribute" in ex:
        name, value = ex["attribute"].split("=")
        assert mine[0]["attributes"].get(name, "").split()[0] == value


def test_every_language_has_the_core_kinds() -> None:
    core = {"arrival", "meeting", "talks", "visit", "meal", "statement", "departure", "launch"}
    for lang in ("en", "es", "ru"):
        assert core <= {k["name"] for k in lexicon.events(lang)["kind"]}, lang


def test_cues_and_quotes() -> None:
    text = ("After the tour, talks were held in the main building. "
            "They held talks for two hours, followed by a lunch. "
            "“We will meet again,” he said.")
    found = _mentions(text, "en")
    kinds = [m["kind"] for m in found]
    assert "meeting" not in kinds  # inside quotes
    talks = next(m for m in found if m["kind"] == "talks")
    assert any(c["rel"] == "after_mentions" for c in talks["cues"])
    meal = next(m for m in found if m["kind"] == "meal")
    assert any(c["cue"] == "followed by" for c in meal["cues"])


def test_a_headline_takes_the_time_its_body_gives() -> None:
    text = ("Royce pleads not guilty at first hearing\n\n"
            "The former mayor pleaded not guilty at a hearing on Monday.")
    found = _mentions(text, "en", ref="2022-05-18")
    rulings = [m for m in found if m["kind"] == "ruling"]
    assert len(rulings) == 2
    assert {m["time"]["value"] for m in rulings} == {"2022-05-16"}
    assert rulings[0]["time"]["source"] == "lead"


@pytest.mark.parametrize(("text", "lang"), [
    ("Davis said it was the worst violence the town had seen since the 1980s.", "en"),
    ("Banks stay shut, the longest closure since the island was divided in 1974.", "en"),
    ("Los bancos siguen cerrados, el cierre más largo desde la división de la isla en 1974.",
     "es"),
    ("Банки закрыты. Это самый долгий перерыв в работе с 1974 года.", "ru"),
])
def test_a_since_phrase_dates_no_event(text: str, lang: str) -> None:
    """"since 1974" says when a state began: it is not the time of the sentence's event
    (an event inside the since phrase, "the island was divided in 1974", is dated by it)."""
    since = min(text.find(w) for w in ("since", "desde", " с ") if w in text)
    found = [m for m in _mentions(text, lang) if m["start"] < since]
    assert found
    assert not [m for m in found if m["time"] and m["time"].get("source") == "own"], found


def test_a_time_inside_a_quote_is_the_speech_s() -> None:
    text = '"We have until Monday to find a solution," the president told reporters late Wednesday.'
    said = [m for m in _mentions(text, "en", "2013-03-21") if m["kind"] == "statement"]
    assert said and said[0]["time"]["value"].startswith("2013-03-20")


def test_each_time_goes_to_the_trigger_next_to_it() -> None:
    text = ("A man accused of killing three people in a weekend shooting spree appeared in "
            "court Monday, two days after he was captured.")
    got = {m["kind"]: (m["time"] or {}).get("value") for m in _mentions(text, "en", "2013-03-18")}
    assert got["ruling"] == "2013-03-18"  # Monday is the court's
    assert got["attack"] == "2013-W11-WE"  # the weekend is the spree's
    assert got["arrest"] == "2013-03-16"  # two days before the court


@pytest.mark.parametrize(("text", "lang", "who"), [
    ("Prime Minister Kyriakos Mitsotakis visited the centre on Tuesday.", "en",
     "Kyriakos Mitsotakis"),  # a name before a verb, after its title
    ("Police Chief Ed Davis said on Sunday that the town was calm.", "en", "Ed Davis"),
    ("Pyongyang’s envoy Kim Song met officials on Monday.", "en", "Kim Song"),
])
def test_people_are_named_without_their_titles(text: str, lang: str, who: str) -> None:
    found = _mentions(text, lang)
    assert found and who in found[0]["participants"], found


def test_a_capitalized_adjective_is_no_participant() -> None:
    found = _mentions("The Russian president met the Chinese delegation on Monday.", "en")
    assert found and not found[0]["participants"], found


def test_a_clause_without_an_event_dates_the_one_before() -> None:
    text = ("President Erdogan visited Kahramanmaras, near the epicentre, on Wednesday and "
            "admitted there had been problems.")
    got = {m["kind"]: ((m["time"] or {}).get("value"), (m["time"] or {}).get("source"))
           for m in _mentions(text, "en", "2023-02-10")}
    assert got["visit"] == ("2023-02-08", "own")  # not the document's day, the 10th


def test_a_clause_without_an_event_leaves_a_dated_event_alone() -> None:
    # May 2010 is the first rescue's date, not the crisis's (already dated by its offsets)
    text = ("La crisis llega un año después del segundo rescate griego y casi tres años "
            "después del primero, en mayo de 2010.")
    assert not [m for m in _mentions(text, "es", "2013-03-20")
                if (m["time"] or {}).get("value", "").startswith("2010")]


def test_dates_are_no_participants() -> None:
    found = _mentions("Schools in Gaziantep will remain closed until Feb. 13, officials said "
                      "on Monday's call.", "en", "2023-02-06")
    assert found and all(p not in ("Feb", "Monday") for m in found for p in m["participants"])


@pytest.mark.parametrize(("text", "lang"), [
    ("Governor Nabiullina told reporters that inflation accelerated in November.", "en"),
    ("Глава ЦБ заявила на пресс-конференции, что инфляция в ноябре ускорилась до 7,5%.", "ru"),
])
def test_what_was_said_is_not_when_it_was_said(text: str, lang: str) -> None:
    said = [m for m in _mentions(text, lang, "2023-12-15") if m["kind"] == "statement"]
    assert not [m for m in said if (m["time"] or {}).get("value", "").startswith("2023-11")]


def test_a_when_clause_holds_the_event_of_the_time_before_it() -> None:
    text = ("The bank's troubles became public on March 8, when the bank said it had sold "
            "securities at a loss.")
    said = [m for m in _mentions(text, "en", "2023-03-14") if m["kind"] == "statement"]
    assert said and said[0]["time"]["value"] == "2023-03-08"


def test_an_undated_event_takes_its_sentence_s_day_not_a_saying_s() -> None:
    text = ("Earlier that month, officials met. Talks dragged on for nine months, and a deal "
            "was struck early Saturday after 10 hours of negotiations in Brussels.")
    got = {m["kind"]: (m["time"] or {}) for m in _mentions(text, "en", "2013-03-20")}
    assert got["talks"].get("value") == got["agreement"].get("value") == "2013-03-16"
    assert got["talks"].get("source") == "sentence"
    said = ("The Central Bank said late Monday that the closure would be extended for two "
            "more days.")
    got = {m["kind"]: (m["time"] or {}) for m in _mentions(said, "en", "2013-03-20")}
    assert got["closure"].get("source") != "sentence"  # the saying's day is not the closure's


def test_a_person_named_in_full_is_no_place_after_a_place_word() -> None:
    # Spanish's personal "a": "acusó a Massa" names a person the text calls Sergio Massa
    text = ("Sergio Massa y Javier Milei debatieron el domingo. Milei ganó las primarias del "
            "13 de agosto y acusó a Massa. Massa ganó en Buenos Aires.")
    places = {m["place"] for m in _mentions(text, "es", "2023-11-13")}
    assert "Massa" not in places
    assert "Buenos Aires" in places  # a real place after "en" stays one
    # without the full name, a single word after a place word is still a place
    alone = _mentions("Milei viajó a Córdoba el domingo.", "es", "2023-11-13")
    assert [m["place"] for m in alone] == ["Córdoba"]


def test_a_time_before_and_is_not_the_next_verbs() -> None:
    text = ("Gershkovich, arrested in Yekaterinburg in March 2023 and sentenced in July to 16 "
            "years, was released.")
    times = {m["kind"]: (m["time"] or {}).get("value") for m in _mentions(text, "en", "2024-08-01")}
    assert times["arrest"] == "2023-03" and times["ruling"] == "2024-07"


def test_clause_bounds_from_one_scan_are_the_regex_scans_they_replace() -> None:
    """extract._clause reads one scan of a sentence's clause marks; on text dense with
    marks (", ", " — ", "— " straddling the position asked) it gives what scanning from the
    sentence start to the position, and searching on from it, give."""
    import random

    def reference(text: str, s: int, e: int, pos: int) -> tuple[int, int]:
        left = [m.end() for m in extract._CLAUSE.finditer(text, s, pos)]
        right = extract._CLAUSE.search(text, pos, e)
        return (left[-1] if left else s), (right.start() if right else e)

    rng = random.Random(18)
    for _ in range(300):
        text = "".join(rng.choice("ab ,;:—– ") for _ in range(rng.randint(0, 40)))
        s = rng.randint(0, len(text))
        e = rng.randint(s, len(text))
        for pos in range(max(0, s - 2), min(len(text), e + 3) + 1):
            assert extract._clause(text, s, e, pos) == reference(text, s, e, pos), \
                (text, s, e, pos)
            if pos <= e:
                assert extract._clause_start(text, s, pos) == reference(text, s, e, pos)[0]
