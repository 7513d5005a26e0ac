"""Open-class event mentions in the pipeline: every eventive predicate is a mention, kinds
are labels, status follows polarity and modality, low-salience events wait behind --all."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from timeline import analyze, events, extract, salience, segment
from timeline.temporal import tag

WALKOUT = [
    ("en", "Workers walked off the job on Monday.", "walk"),
    ("es", "Los trabajadores abandonaron sus puestos el lunes.", "abandonar"),
    ("ru", "Рабочие покинули рабочие места в понедельник.", "покинули"),
]


def _mentions(text: str, lang: str, ref: str = "2023-09-13") -> list[dict[str, Any]]:
    segs = segment.segments("d", text, 0, lang)
    txs = [{**t.to_json(), "timex_type": t.type, "relation": t.relation}
           for t in tag(text, ref, lang)]
    return extract.mentions("d", text, lang, segs, segment.stories(segs), txs, ref,
                            analyze.analyze(text, lang))


@pytest.mark.parametrize(("lang", "text", "word"), WALKOUT)
def test_an_unseen_predicate_is_a_mention_with_its_date(lang: str, text: str, word: str) -> None:
    """No kind lists "walked off": the predicate is a mention anyway, dated by its clause
    (Monday before a Wednesday's report)."""
    found = [m for m in _mentions(text, lang) if m["start"] == text.index(word[:5])]
    assert found, _mentions(text, lang)
    m = found[0]
    assert m["time"]["value"] == "2023-09-11" and m["time"]["source"] == "own"
    assert m["status"] == "occurred" and m["event_class"] == "OCCURRENCE"
    assert m["label"] and m["pos"] == "VERB" and m["tense"] == "PAST"


def test_the_walkout_story_reaches_the_timeline(cli: Any, tmp_path: Path) -> None:
    d = tmp_path / "docs"
    d.mkdir()
    for lang, text, _ in WALKOUT:
        (d / f"{lang}.txt").write_text(f" date 2023-09-13 Strike\n\n{text}\n", encoding="utf-8")
    code, _, err = cli("run", str(d))
    assert code == 0, err
    shown = json.loads(cli("show", "--all", "--format", "json")[1])["events"]
    dated = {(e["label"], e["start"]) for e in shown}
    for lang, text, _ in WALKOUT:
        verb = next(m for m in _mentions(text, lang) if m["time"]
                    and m["time"]["source"] == "own")
        assert (verb["label"], "2023-09-11") in dated, (lang, dated)
    # one source each, no kind, a time of its own: below what `show` lists by default
    default = json.loads(cli("show", "--format", "json")[1])["events"]
    assert len(default) < len(shown)


@pytest.mark.parametrize(("lang", "text", "word"), [
    ("en", "No agreement was announced after the meeting.", "agreement"),
    ("es", "No se firmó ningún acuerdo.", "firmó"),
    ("ru", "Стороны не подписали соглашение.", "подписали"),
    ("en", "The two sides did not sign the treaty.", "sign"),
])
def test_a_denied_event_is_negated(lang: str, text: str, word: str) -> None:
    m = next(m for m in _mentions(text, lang) if m["start"] == text.index(word))
    assert m["status"] == "negated" and m["polarity"] == "NEG", m


@pytest.mark.parametrize(("lang", "text", "word"), [
    ("en", "The company could sign the contract.", "sign"),
    ("es", "La empresa podría firmar el contrato.", "firmar"),
    ("ru", "Компания может подписать контракт.", "подписать"),
])
def test_a_modal_without_a_plan_is_hypothetical(lang: str, text: str, word: str) -> None:
    m = next(m for m in _mentions(text, lang) if m["start"] == text.index(word))
    assert m["status"] == "hypothetical" and m["modality"], m


def test_a_modal_with_a_plan_is_planned() -> None:
    text = "The leaders are expected to sign a deal next week, and they could sign it in Geneva."
    m = next(m for m in _mentions(text, "en") if m["start"] == text.index("sign"))
    assert m["status"] == "planned", m


def test_a_kind_mention_carries_the_attributes_of_its_head() -> None:
    m = next(m for m in _mentions("The leaders met in Geneva on Wednesday.", "en")
             if m["kind"] == "meeting")
    assert (m["label"], m["lemma"], m["tense"], m["event_class"]) == \
        ("meeting", "meet", "PAST", "OCCURRENCE")
    # a trigger the tagger read as a name still carries its token's attributes
    m = next(m for m in _mentions("Putin and Kim met on Wednesday.", "en")
             if m["kind"] == "meeting")
    assert m["label"] == "meeting" and m["polarity"] == "POS" and m["event_class"]


@pytest.mark.parametrize(("text", "kind"), [
    ("The new planes would meet additional demand on long routes.", "meeting"),
    ("Stocks closed higher after a late session rally on Friday.", "protest"),
    ("The Fed extended its dollar swap lines with five central banks.", "release"),
    ("By then the deal had been killed by the regulators.", "attack"),
    ("Shares resumed their downward slide on Tuesday.", "opening"),
])
def test_a_kind_needs_its_sense(text: str, kind: str) -> None:
    """The trigger stays a mention, with its lemma as its label, but not of the kind."""
    found = _mentions(text, "en")
    assert not [m for m in found if m["kind"] == kind or m["label"] == kind], found


def test_open_class_mentions_merge_only_with_the_same_people() -> None:
    from timeline import reconcile

    def said(doc: str, start: int, who: list[str]) -> dict[str, Any]:
        return {"document": doc, "start": start, "end": start + 4, "story": "s", "kind": "",
                "label": "say", "status": "occurred", "participants": who, "quote": "",
                "sentence_start": start, "sentence_end": start + 9, "event_class": "REPORTING",
                "time": {"value": "2023-09-13", "type": "DATE", "source": "own"}}

    ms = [said("a", 0, ["Putin"]), said("a", 50, ["Putin"]), said("b", 0, ["Putin"]),
          said("b", 70, ["Kim"]), said("c", 0, [])]
    evs = reconcile.merge(ms, {}, {})
    sizes = sorted(len(e.mentions) for e in evs)
    assert sizes == [1, 1, 1, 2]  # a's two sayings stay two; only a and b on Putin merge


def test_salience_hides_what_a_reader_does_not_need() -> None:
    assert salience.score("meeting", "OCCURRENCE", "occurred", 1, False) >= salience.VISIBLE
    assert salience.score("", "OCCURRENCE", "occurred", 2, True) >= salience.VISIBLE
    assert salience.score("", "OCCURRENCE", "occurred", 1, True) < salience.VISIBLE
    assert salience.score("", "REPORTING", "occurred", 2, True) < salience.VISIBLE
    assert salience.score("", "STATE", "occurred", 3, True) < salience.VISIBLE
    assert salience.score("", "OCCURRENCE", "occurred", 4, False) < salience.VISIBLE
    assert salience.score("agreement", "OCCURRENCE", "negated", 3, True) < salience.VISIBLE
    assert salience.VISIBLE == events.VISIBLE_V1


def test_a_version_1_mention_and_event_still_replay() -> None:
    v1 = {"document": "d", "start": 0, "end": 3, "trigger": "met", "kind": "meeting",
          "status": "occurred", "sentence_start": 0, "sentence_end": 9, "quote": "They met.",
          "block": 0, "story": "s"}
    m = events.from_data("MentionFound", 1, v1)
    assert m.label == "meeting" and m.event_class == "" and m.polarity == ""
    e = events.from_data("EventFormed", 1, {
        "event": "ev-1", "story": "s", "kind": "meeting", "title": "Meeting", "start": None,
        "end": None, "granularity": None, "status": "occurred", "rank": 1, "place": None,
        "participants": [], "sources": []})
    assert e.label == "meeting" and e.salience == salience.VISIBLE


def test_a_version_1_log_replays_into_the_new_columns(tmp_path: Path) -> None:
    from timeline.store import Store

    db = tmp_path / "t.db"
    with Store(db) as store:
        store.append([events.MentionFound(
            document="d", start=0, end=3, trigger="met", kind="meeting", status="occurred",
            sentence_start=0, sentence_end=9, quote="They met.", block=0, story="s")],
            recorded_at="2023-09-13T00:00:00+00:00")
        store.conn.execute("DROP TRIGGER IF EXISTS log_no_update")
        store.conn.execute("UPDATE log SET version = 1, data = json_remove(data, '$.label', "
                           "'$.event_class', '$.tense', '$.aspect', '$.polarity', "
                           "'$.modality', '$.pos', '$.lemma') WHERE type = 'MentionFound'")
        store.conn.commit()
        store.rebuild()
        logged = store.rows("SELECT version, data FROM log WHERE type = 'MentionFound'")[0]
        row = store.rows("SELECT kind, label, class FROM mentions")[0]
    assert logged["version"] == 1 and '"label"' not in logged["data"]
    assert row["kind"] == "meeting" and row["label"] == "meeting" and not row["class"]


@pytest.mark.parametrize(("lang", "text", "subject"), [
    ("es", "El recuento de votos terminará el miércoles.", "recuento"),
    ("ru", "Аналитики ожидают, что рост продолжится в 2027 году.", "рост"),
    ("en", "The talks on trade will end on Friday.", "talks"),
])
def test_the_event_subject_of_a_planned_aspectual_verb_is_planned(lang: str, text: str,
                                                                   subject: str) -> None:
    m = next(m for m in _mentions(text, lang) if m["start"] == text.index(subject))
    assert m["status"] == "planned", m


def test_a_subjunctive_an_intention_asks_for_has_not_happened() -> None:
    text = "El presidente pidió a los diputados que aprobaran la ley."
    got = {m["start"]: m["status"] for m in _mentions(text, "es")}
    assert got[text.index("aprobaran")] == "hypothetical"
    assert got[text.index("pidió")] == "occurred"
