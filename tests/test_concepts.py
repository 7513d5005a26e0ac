"""The concept layer: open-class predicates of every language under one language-neutral
label (resources/<lang>/concepts.toml), so that the same happening told in English, Spanish
and Russian is one predicate when events merge across documents."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from conftest import FIXTURES

from tests.test_openclass import _mentions
from timeline import concepts, lexicon

LANGS = ("en", "es", "ru")




EXAMPLES = [(lang, e["id"], e["example"]) for lang in LANGS for e in concepts.entries(lang)]


@pytest.mark.parametrize(("lang", "cid", "example"), EXAMPLES,
                         ids=[f"{lang}-{cid}" for lang, cid, _ in EXAMPLES])
def test_the_example_predicate_gets_its_concept(lang: str, cid: str, example: str) -> None:
    """Each entry's example, analysed and extracted as a document would be, yields an
    open-class mention labelled with the entry's concept, its lemma kept beside it."""
    found = _mentions(example, lang)
    got = [m for m in found if not m["kind"] and m["label"] == cid]
    assert got, [(m["kind"], m["label"], m.get("lemma")) for m in found]
    assert concepts.concept(lang, got[0]["lemma"]) == cid


PHRASES = [(lang, e["id"], e["phrase_example"]) for lang in LANGS for e in concepts.entries(lang)
           if e.get("phrases")]


@pytest.mark.parametrize(("lang", "cid", "example"), PHRASES,
                         ids=[f"{lang}-{cid}" for lang, cid, _ in PHRASES])
def test_a_phrase_is_its_concept_and_one_mention(lang: str, cid: str, example: str) -> None:
    """An entry's `phrases` ("llamar a revisión"): the example's head verb gets the concept,
    though its lemma alone names none, and the phrase's other words are no mention."""
    found = _mentions(example, lang)
    got = [m for m in found if not m["kind"] and m["label"] == cid]
    assert len(got) == 1, [(m["kind"], m["label"], m.get("lemma")) for m in found]
    head = concepts.phrases(lang)[got[0]["lemma"]]
    tail = {w for words, c in head if c == cid for w in words}
    assert not [m for m in found if m.get("lemma") in tail], found


def test_a_phrase_head_alone_is_not_the_concept() -> None:
    """"llamar" without "a revisión" is a call, not a recall."""
    found = _mentions("El ministro llamó el lunes a su homólogo.", "es")
    assert [m["label"] for m in found if m.get("lemma") == "llamar"] == ["llamar"]


def test_the_layer_is_large_and_shared() -> None:
    """A few hundred lemmas; every concept is written in at least two languages (one that
    only one language has translates nothing); a lemma names one concept per language."""
    ids = {lang: [e["id"] for e in concepts.entries(lang)] for lang in LANGS}
    assert sum(len(concepts.table(lang)) for lang in LANGS) >= 300
    every = set().union(*map(set, ids.values()))
    assert all(sum(c in ids[lang] for lang in LANGS) >= 2 for c in every)
    for lang in LANGS:
        assert len(ids[lang]) == len(set(ids[lang])), lang
        lemmas = [w for e in concepts.entries(lang) for w in e["lemmas"]]
        assert len(lemmas) == len(set(lemmas)), lang


def test_no_concept_is_named_like_a_kind() -> None:
    """A kind's name as a concept id would read as that kind in every listing while it
    merges apart from it."""
    kinds = {str(k["name"]) for lang in lexicon.languages()
             for k in lexicon.events(lang).get("kind", [])}
    assert not kinds & {e["id"] for lang in LANGS for e in concepts.entries(lang)}


def test_a_kind_comes_before_a_concept() -> None:
    """A lemma that a kind's trigger takes keeps the kind: "the talks" are talks, never a
    concept's predicate."""
    found = _mentions("The two sides held talks in Geneva on Monday.", "en")
    assert any(m["kind"] == "talks" for m in found)
    assert concepts.label("en", "fall", "strike") == "strike"
    assert concepts.label("en", "plunge", "plunge") == "fall"
    assert concepts.concept("xx", "plunge") is None


def _merged(cli: Any, folder: Path) -> list[dict[str, Any]]:
    code, _, err = cli("run", str(folder))
    assert code == 0, err
    shown = json.loads(cli("show", "--all", "--format", "json")[1])["events"]
    return [e for e in shown if len({s["document"] for s in e["sources"]}) > 1]


def test_one_fall_told_in_three_languages_is_one_event(cli: Any, tmp_path: Path) -> None:
    """The market fall set: "plunged", "se desplomaron" and "упали" on one Tuesday, of one
    company, are one event with three sources; so is the forecast cut."""
    src = tmp_path / "docs"
    shutil.copytree(FIXTURES / "marketfall", src, ignore=shutil.ignore_patterns("*.json"))
    by_label = {(e["label"], e["start"]): len({s["document"] for s in e["sources"]})
                for e in _merged(cli, src)}
    assert by_label.get(("fall", "2025-10-14")) == 3, by_label
    assert by_label.get(("cut", "2025-10-14")) == 3, by_label


def test_one_concept_on_two_days_stays_two_events(cli: Any, tmp_path: Path) -> None:
    """The concept is the predicate only: a fall on Tuesday and a fall on Thursday of the
    same shares, told in two languages, stay apart (the time test still decides)."""
    src = tmp_path / "docs"
    src.mkdir()
    (src / "en.txt").write_text(
        "Norvalis Energy shares\n date 2025-10-17\n\nShares of Norvalis Energy plunged "
        "18 percent on Tuesday.\n", encoding="utf-8")
    (src / "es.txt").write_text(
        "Acciones de Norvalis Energy\n date 2025-10-17\n\nLas acciones de Norvalis Energy "
        "se desplomaron un 5 % el jueves.\n", encoding="utf-8")
    assert not [e for e in _merged(cli, src) if e["label"] == "fall"]


def _open(doc: str, source: str, cls: str = "OCCURRENCE") -> dict[str, Any]:
    return {"document": doc, "kind": "", "label": "rise", "status": "occurred",
            "event_class": cls, "time": {"value": "2025-05-11", "source": source}}


def test_across_documents_an_open_class_predicate_needs_a_time_of_its_own() -> None:
    """"The toll rose to 63" (Wednesday's report) and "sube a 52" (Tuesday's) both inherit
    their story's Sunday: a concept makes them one predicate, the inherited day must not
    make them one happening. Their own days may; an aspectual verb never does."""
    from timeline import crossdoc

    def may(m: dict[str, Any], other: dict[str, Any]) -> bool:
        return crossdoc.may_join(m, [other], "2025-05-11", "2025-05-11")

    assert may(_open("b", "own"), _open("a", "own"))
    assert not may(_open("b", "narrative"), _open("a", "own"))
    assert not may(_open("b", "own"), _open("a", "document"))
    assert not may(_open("b", "own", "ASPECTUAL"), _open("a", "own", "ASPECTUAL"))
    began = {**_open("b", "own"), "label": "start"}  # "comenzó", classed an occurrence
    assert concepts.aspectual("start") and not concepts.aspectual("rise")
    assert not may(began, {**_open("a", "own"), "label": "start"})
    assert crossdoc.may_join(_open("a", "narrative"), [_open("a", "own")], None, None)
    kind = {**_open("b", "narrative"), "kind": "disaster"}
    assert may(kind, {**_open("a", "own"), "kind": "disaster"})
