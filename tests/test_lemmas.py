"""Lemmas the suffix rules alone get wrong: stems that change inside the word, and rules that
would rewrite letters their ending does not cover."""

from __future__ import annotations

import pytest

from timeline.analyze.model import load
from timeline.analyze.resources import raw
from timeline.analyze.stems import Respeller
from timeline.analyze.train import _rule, train_morphology


def _examples() -> list[tuple[str, str, str]]:
    return [(lang, form, lemma) for lang in ("en", "es", "ru")
            for form, lemma in raw(lang).get("lemma_examples", [])]


@pytest.mark.parametrize(("lang", "form", "lemma"), _examples())
def test_resource_lemma_examples(lang: str, form: str, lemma: str) -> None:
    """analyze.toml's lemma_examples: verb forms whose stem changes (e -> i, o -> ue, -zc-,
    -g-, strong preterite and future stems) reach the infinitive."""
    morph = load(lang).morph
    assert "VERB" not in morph._lex.get(form, {}), f"{form}: a training verb proves nothing"
    assert morph.analyse(form, form, "VERB")[0] == lemma


def test_spanish_has_lemma_examples() -> None:
    assert len(raw("es")["lemma_examples"]) >= 10


def test_a_known_rule_lemma_stands_and_an_unknown_verb_keeps_the_rules_spelling() -> None:
    respell = Respeller({"pedir", "escribir", "volver"}, ["ar", "er", "ir"],
                        [("i", "e"), ("ue", "o")], [("zc", "c")])
    assert respell(["pidir"]) == "pedir"
    assert respell(["vuelvir"]) == "volver"  # another infinitive ending, too
    assert respell(["escribir"]) == "escribir"
    assert respell(["cantar"]) is None  # the caller keeps the rule's "cantar"
    # the first letter of a word is no stem vowel: "ir" does not become "er"
    assert Respeller({"er"}, ["ir"], [("i", "e")], [])(["iir"]) is None


def test_suffix_rules_cut_only_what_their_ending_covers() -> None:
    """A rule learned from a word whose lemma differs before the ending (a stem change, or
    a treebank lemma unlike its form) is not kept under the ending: applied to another word
    it rewrote letters the ending never saw (Spanish PROPN "Rodríguez" -> "Romárquez",
    "eligieron" under pidieron's rule)."""
    from timeline.analyze.conllu import read_conllu

    text = "\n".join([
        "# text = pidieron",
        "1\tpidieron\tpedir\tVERB\t_\t_\t0\troot\t_\t_",
        "",
        "# text = comieron",
        "1\tcomieron\tcomer\tVERB\t_\t_\t0\troot\t_\t_",
        "",
    ])
    tables = train_morphology(list(read_conllu(text)))
    assert _rule("pidieron", "pedir") == (7, "edir")
    assert tables["lemma_suffix"].get("VERB", {}).get("ieron") is None  # seen once: dropped
    for rules in tables["lemma_suffix"].values():
        for sfx, (cut, _add) in rules.items():
            assert cut <= len(sfx), (sfx, cut)


@pytest.mark.parametrize("text", [
    "The stock fell 5% on Tuesday while the index fell.",
    "Profits fell 10 percent in the quarter.",
    "Output fell sharply after the strike.",
])
def test_a_simple_past_of_the_irregular_lists_is_a_verb(text: str) -> None:
    """"fell" is no form of the EWT dev file; the word-class table also lists an adjective
    and a noun "fell", and the tagger read the past as either. A form the irregular lists
    give as a simple past only is a verb in the table (scripts/train_analyze.py)."""
    from timeline.analyze import analyze

    got = [(t.upos, t.lemma) for t in analyze(text, "en").tokens if t.text == "fell"]
    assert got and all(g == ("VERB", "fall") for g in got), got
