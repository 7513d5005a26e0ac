"""The Task B scorer on a TimeML text written here, against figures computed by hand."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

SCRIPTS = Path(__file__).resolve().parents[1] / "scripts"
sys.path.insert(0, str(SCRIPTS))

from eval_events import (  # noqa: E402
    Event,
    Tally,
    extractor_events,
    figures,
    head_word,
    learn_lexicon,
    lexicon_events,
    parse_timeml,
    tally,
)

TML = """<?xml version="1.0" ?>
<TimeML>
<DCT><TIMEX3 tid="t0" type="DATE" value="1998-08-07" temporalFunction="false" \
functionInDocument="CREATION_TIME">1998-08-07</TIMEX3></DCT>
<TITLE>Officials <EVENT eid="e90" class="REPORTING">say</EVENT> nothing</TITLE>
<TEXT>
Officials <EVENT eid="e1" class="REPORTING">said</EVENT> the \
<EVENT eid="e2" class="OCCURRENCE">talks</EVENT> \
<EVENT eid="e3" class="OCCURRENCE">collapsed</EVENT> \
<TIMEX3 tid="t1" type="DATE" value="1998-08-06">Thursday</TIMEX3> after the \
<EVENT eid="e4" class="OCCURRENCE">bombing</EVENT> &amp; markets \
<EVENT eid="e5" class="OCCURRENCE" tense="PAST" polarity="NEG">fell</EVENT>.
</TEXT>
<MAKEINSTANCE eventID="e1" eiid="ei1" tense="PAST" aspect="NONE" polarity="POS" pos="VERB"/>
<MAKEINSTANCE eventID="e2" eiid="ei2" tense="NONE" aspect="NONE" polarity="POS" pos="NOUN"/>
<MAKEINSTANCE eventID="e3" eiid="ei3" tense="PAST" aspect="NONE" polarity="POS" pos="VERB" \
modality="would"/>
<MAKEINSTANCE eventID="e3" eiid="ei9" tense="FUTURE" aspect="NONE" polarity="POS" pos="VERB"/>
<MAKEINSTANCE eventID="e4" eiid="ei4" tense="NONE" aspect="NONE" polarity="POS" pos="NOUN"/>
</TimeML>
"""
TEXT = "\nOfficials said the talks collapsed Thursday after the bombing & markets fell.\n"


def span(word: str, text: str = TEXT) -> tuple[int, int]:
    s = text.index(word)
    return s, s + len(word)


def test_parse_reads_text_events_and_both_attribute_places() -> None:
    doc = parse_timeml(TML)
    assert doc.text == TEXT
    assert doc.dct == "1998-08-07"
    assert doc.timexes == [(*span("Thursday"), "DATE", "1998-08-06")]
    words = [doc.text[e.start:e.end] for e in doc.events]
    assert words == ["said", "talks", "collapsed", "bombing", "fell"]  # not the title's
    by = {doc.text[e.start:e.end]: e for e in doc.events}
    assert by["said"].cls == "REPORTING"
    assert by["said"].attrs == {"tense": "PAST", "aspect": "NONE", "polarity": "POS",
                                "modality": "", "pos": "VERB"}
    # the first instance of an event speaks for it
    assert by["collapsed"].attrs["tense"] == "PAST"
    assert by["collapsed"].attrs["modality"] == "would"
    # TimeML 1.2.1 puts the attributes on EVENT itself
    assert by["fell"].attrs["tense"] == "PAST"
    assert by["fell"].attrs["polarity"] == "NEG"


def test_scores_exact_overlapping_missed_and_spurious_events() -> None:
    doc = parse_timeml(TML)
    system = [
        Event(*span("said"), "REPORTING", {"tense": "PAST"}),  # exact, class right
        Event(span("the talks")[0], span("the talks")[1], "OCCURRENCE"),  # overlap, right
        Event(*span("collapsed"), "STATE", {"tense": "PRESENT"}),  # exact, class wrong
        Event(*span("markets"), "OCCURRENCE"),  # spurious
    ]  # missed: bombing, fell
    t = tally(doc.text, doc.events, system, Tally())
    res = figures(t)
    assert (res["gold"], res["system"]) == (5, 4)
    assert res["strict"] == pytest.approx((2 / 4, 2 / 5, 4 / 9))
    assert res["relaxed"] == pytest.approx((3 / 4, 3 / 5, 2 / 3))
    # class: right on said and talks of the 3 matches; P 2/4, R 2/5
    assert res["class"] == pytest.approx((2 / 3, 4 / 9))
    # tense: given on 2 matches, right on 1; a match without a value counts as wrong
    assert res["tense"] == pytest.approx((1 / 3, 2 / 9))
    assert t.given["tense"] == 2
    assert res["aspect"] is None and res["polarity"] is None
    assert t.missed == {"bombing": 1, "fell": 1}
    assert t.spurious == {"markets": 1}
    assert t.found_class == {"REPORTING": 1, "OCCURRENCE": 2}


def test_one_wide_system_span_finds_both_gold_events_it_overlaps() -> None:
    doc = parse_timeml(TML)
    s, e = span("said the talks")
    t = tally(doc.text, doc.events[:2], [Event(s, e, "REPORTING")], Tally())
    res = figures(t)
    assert res["relaxed"] == pytest.approx((1.0, 1.0, 1.0))  # official: each side on its own
    assert res["strict"] == pytest.approx((0.0, 0.0, 0.0))
    # right for said, wrong for talks: accuracy 1/2; the system event's partner is said
    # (the first it overlaps), so P 1/1, R 1/2
    assert res["class"] == pytest.approx((0.5, 2 / 3))


def test_a_lexicon_keeps_forms_that_are_events_more_than_half_the_time() -> None:
    train = """<TimeML><TEXT>He <EVENT eid="e1" class="REPORTING">said</EVENT> so. \
She <EVENT eid="e2" class="REPORTING">said</EVENT> no. They \
<EVENT eid="e3" class="I_ACTION">said</EVENT> yes to what was said. \
The <EVENT eid="e4" class="OCCURRENCE">talks</EVENT> and the talks.</TEXT></TimeML>"""
    lexicon = learn_lexicon([parse_timeml(train)])
    assert lexicon == {"said": "REPORTING"}  # 3 of 4; talks 1 of 2 is not more than half
    text = "Talks ended, he said."
    assert lexicon_events(text, lexicon) == [Event(*span("said", text), "REPORTING")]


@pytest.mark.parametrize(("phrase", "head"), [
    ("said", "said"), ("struck a deal", "struck"), ("deal was struck", "struck"),
    ("was killed", "killed"), ("air strike", "strike"), ("shut down", "shut"),
    ("on strike", "strike"), ("fire broke out", "broke"), ("memorial service", "service"),
    ("taken into custody", "taken"), ("cut interest rates", "cut"), ("be in", "be")])
def test_head_word_of_a_trigger_phrase(phrase: str, head: str) -> None:
    text = f"Then {phrase} here."
    s = text.index(phrase)
    hs, he = head_word(text, s, s + len(phrase))
    assert text[hs:he] == head


def test_the_extractor_is_fed_one_document_with_its_time_expressions() -> None:
    raw = """<TimeML><DCT><TIMEX3 tid="t0" type="DATE" value="2023-09-14" \
functionInDocument="CREATION_TIME">2023-09-14</TIMEX3></DCT><TEXT>
The two leaders met in Vladivostok on Wednesday. The minister announced on Tuesday that \
the plant would close.
</TEXT></TimeML>"""
    doc = parse_timeml(raw)
    found = {doc.text[e.start:e.end]: e.cls for e in extractor_events("d1", doc)}
    assert found.get("met") == "OCCURRENCE"
    assert found.get("announced") == "REPORTING"


def test_task_b_scores_each_corpus_apart_and_the_baseline_off_its_training_corpus(
        tmp_path: Path) -> None:
    for corpus in ("TimeBank", "AQUAINT"):
        (tmp_path / corpus).mkdir()
        (tmp_path / corpus / "doc.tml").write_text(TML, encoding="utf-8")
    out = subprocess.run([sys.executable, str(SCRIPTS / "eval_tempeval.py"), str(tmp_path),
                          "--task", "b"], capture_output=True, text=True, timeout=120,
                         check=True).stdout
    assert "gold timexes" not in out  # no Task A
    assert out.count("-- TimeBank (1 documents): timeline extractor") == 1
    assert out.count("-- AQUAINT (1 documents): timeline extractor") == 1
    assert out.count(": 5 gold events") == 7  # 3 systems x 2 corpora, the baseline off TimeBank
    # the event-mention detector on both corpora, saying where its noun list was learnt
    for corpus in ("TimeBank", "AQUAINT"):
        assert out.count(f"-- {corpus} (1 documents): event-mention detector (") == 1
        # and its rules alone, before the class model, in the same run
        assert out.count(f"-- {corpus} (1 documents): event-mention detector, rules only") == 1
    assert "learnt on TimeBank: the honest figure is the other corpus'" in out
    assert "class F1 per class" in out
    assert "-- TimeBank (1 documents): lexical baseline" not in out
    # learnt on the TimeBank copy, the baseline finds every AQUAINT event exactly
    assert "-- AQUAINT (1 documents): lexical baseline (5 forms learnt on TimeBank)" in out
    assert "  strict   P 1.000  R 1.000  F1 1.000" in out.split("lexical baseline")[1]
