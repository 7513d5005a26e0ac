"""The analysis layer: offsets, sentences, features, negation, names, shipped models."""

from __future__ import annotations

import fnmatch
import subprocess
import sys
import tomllib
from pathlib import Path

import attrs
import pytest

from timeline.analyze import LANGUAGES, Analysed, analyze, annotate
from timeline.analyze.conllu import read_conllu
from timeline.analyze.model import MODEL_FILES, model_file
from timeline.analyze.resources import raw

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = sorted(p for p in (ROOT / "fixtures").rglob("*.txt"))
UD = next(
    (p for p in (ROOT.parent / "shared" / "ud", ROOT.parent.parent / "shared" / "ud")
     if p.is_dir()),
    None,
)
TREEBANKS = {"en": "en_ewt", "es": "es_gsd", "ru": "ru_gsd"}

NEWS = {
    "en": "Russian President Vladimir Putin and North Korean leader Kim Jong Un met on "
    "Wednesday. The talks didn't end with a deal, officials said; they will meet again "
    "in North Korea.\nShares of Halcomb Motors fell 3.5% on the well-known index.",
    "es": "Los líderes se reunieron el miércoles en el cosmódromo. No se firmó ningún "
    "acuerdo, dijo el portavoz del Gobierno al final de la cumbre.",
    "ru": "Владимир Путин и Ким Чен Ын встретились в среду на космодроме Восточный. "
    "Соглашение не подписали; лидеры встретятся из-за этого ещё раз.",
}


def _check_offsets(doc: Analysed) -> None:
    text = doc.text
    covered = [False] * len(text)
    last = 0
    for i, tok in enumerate(doc.tokens):
        assert tok.i == i
        assert text[tok.start : tok.end] == tok.text
        assert tok.start >= last and tok.end > tok.start
        last = tok.end
        for k in range(tok.start, tok.end):
            covered[k] = True
    # nothing but white space falls between tokens
    assert all(c or ch.isspace() for c, ch in zip(covered, text, strict=True))
    # sentences partition the tokens, in order
    nxt = 0
    for si, s in enumerate(doc.sentences):
        assert s.first == nxt and s.end > s.first
        assert all(t.sent == si for t in doc.sentence_tokens(si))
        assert doc.sentence_text(si) == text[doc.tokens[s.first].start : doc.tokens[s.end - 1].end]
        nxt = s.end
    assert nxt == len(doc.tokens)
    for name in doc.names:
        assert text[name.start : name.stop] == name.text
        assert name.label in {"PERSON", "ORG", "PLACE", "OTHER"}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_offsets_on_news_sentences(lang: str) -> None:
    doc = analyze(NEWS[lang], lang)
    _check_offsets(doc)
    assert len(doc.sentences) >= 2


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.parent.name + "/" + p.name)
def test_offsets_on_fixtures(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    for lang in LANGUAGES:  # offsets must hold whatever language the text is read as
        _check_offsets(analyze(text, lang))


def test_awkward_text_keeps_offsets() -> None:
    for text in ["", "   ", "\n\n", "a", "__init__ x_y", "¿¡", "e-mail: a@b.com, http://x.org/a."]:
        for lang in LANGUAGES:
            _check_offsets(analyze(text, lang))


def test_english_tokens_follow_ud() -> None:
    doc = analyze("Mr. Lee didn't sign the company's well-known plan.", "en")
    assert [t.text for t in doc.tokens] == [
        "Mr.", "Lee", "did", "n't", "sign", "the", "company", "'s", "well", "-", "known",
        "plan", ".",
    ]
    assert len(doc.sentences) == 1


def test_russian_hyphen_words_stay_whole() -> None:
    doc = analyze("Из-за снега рейсы в Нью-Йорк отменили.", "ru")
    assert "Из-за" in [t.text for t in doc.tokens]
    assert "Нью-Йорк" in [t.text for t in doc.tokens]


def test_the_result_is_immutable() -> None:
    doc = analyze("They met.", "en")
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        doc.text = "x"  # type: ignore[misc]
    assert isinstance(doc.tokens, tuple)


def test_unknown_language_is_refused() -> None:
    with pytest.raises(ValueError, match="unsupported language"):
        analyze("text", "xx")


def _token(doc: Analysed, word: str):  # type: ignore[no-untyped-def]
    return next(t for t in doc.tokens if t.text == word)


def test_english_tense_and_mood() -> None:
    doc = analyze("The leaders met on Monday and they will meet again in June.", "en")
    met = _token(doc, "met")
    assert (met.upos, met.lemma) == ("VERB", "meet")
    assert (met.feat("Tense"), met.feat("Mood"), met.feat("VerbForm")) == ("Past", "Ind", "Fin")
    will, meet = _token(doc, "will"), _token(doc, "meet")
    assert (will.upos, will.feat("VerbForm")) == ("AUX", "Fin")
    assert (meet.upos, meet.feat("VerbForm"), meet.feat("Tense")) == ("VERB", "Inf", None)


def test_english_lemmas_the_suffix_rules_miss_come_from_the_lexicon() -> None:
    """Forms the treebank lacks whose ending's rule lemmatises them wrongly ("declined"
    under the "-ined" of "joined" would be "declin") take the lexicon's lemma; the table
    keeps only such disagreements, and a form the treebank has keeps the treebank's."""
    from timeline.analyze.model import load
    from timeline.analyze.morph import Morphology
    from timeline.analyze.train import lemma_exceptions

    morph = load("en").morph
    for form, lemma in (("declined", "decline"), ("hoped", "hope"), ("aimed", "aim"),
                        ("prevented", "prevent")):
        assert morph.analyse(form, form, "VERB")[0] == lemma, form
    tables = {"lex": {"stopped": {"VERB": ["stop", ""]}},
              "lemma_suffix": {"VERB": {"ed": [2, ""]}}}
    lexicon = {"VERB": {"hoped": "hope", "stopped": "stopp", "jumped": "jump"}}
    assert lemma_exceptions(tables, lexicon) == {"VERB": {"hoped": "hope"}}
    plain = Morphology({}, {"VERB": {"ed": (2, "")}}, {}, None, {"VERB": {"hoped": "hope"}})
    assert plain.analyse("hoped", "hoped", "VERB")[0] == "hope"
    assert plain.analyse("hoped", "hoped", "NOUN")[0] == "hoped"


def test_spanish_tense_and_mood() -> None:
    doc = analyze("Los dos presidentes se reunieron ayer en la capital.", "es")
    verb = _token(doc, "reunieron")
    assert (verb.upos, verb.lemma) == ("VERB", "reunir")
    assert (verb.feat("Tense"), verb.feat("Mood"), verb.feat("Person")) == ("Past", "Ind", "3")
    assert verb.feat("Number") == "Plur"


def test_russian_tense_and_aspect() -> None:
    past = _token(analyze("Лидеры двух стран встретились в среду.", "ru"), "встретились")
    assert (past.upos, past.lemma) == ("VERB", "встретиться")
    assert (past.feat("Tense"), past.feat("Aspect")) == ("Past", "Perf")
    assert past.feat("Number") == "Plur"
    fut = _token(analyze("Министр встретится с послом в пятницу.", "ru"), "встретится")
    assert (fut.upos, fut.feat("Tense"), fut.feat("Person")) == ("VERB", "Fut", "3")


@pytest.mark.parametrize(
    ("lang", "text", "negator"),
    [
        ("en", "The two sides did not sign the deal.", "not"),
        ("en", "The two sides didn't sign the deal.", "n't"),
        ("es", "Finalmente no se firmó el acuerdo.", "no"),
        ("ru", "Стороны не подписали соглашение.", "не"),
    ],
)
def test_negation_is_marked(lang: str, text: str, negator: str) -> None:
    doc = analyze(text, lang)
    assert _token(doc, negator).feat("Polarity") == "Neg"
    assert [t for t in doc.tokens if t.feat("Polarity") == "Neg"] == [_token(doc, negator)]


def _names(text: str, lang: str) -> list[tuple[str, str]]:
    return [(n.text, n.label) for n in analyze(text, lang).names]


def test_names_are_chunked_and_typed() -> None:
    got = _names(NEWS["en"], "en")
    assert ("Vladimir Putin", "PERSON") in got
    assert ("Kim Jong Un", "PERSON") in got
    assert ("North Korea", "PLACE") in got
    assert ("Halcomb Motors", "ORG") in got
    assert ("Ким Чен Ын", "PERSON") in _names(NEWS["ru"], "ru")
    assert ("Владимир Путин", "PERSON") in _names(NEWS["ru"], "ru")


def test_a_later_mention_inherits_the_type() -> None:
    got = _names("Prime Minister Alan Brook arrived on Monday. Brook said little.", "en")
    assert got == [("Alan Brook", "PERSON"), ("Brook", "PERSON")]


def _resource_examples() -> list[object]:
    return [
        pytest.param(lang, ex, id=f"{lang}-{i}")
        for lang in LANGUAGES
        for i, ex in enumerate(raw(lang).get("examples", []))
    ]


@pytest.mark.parametrize(("lang", "example"), _resource_examples())
def test_resource_examples(lang: str, example: dict[str, object]) -> None:
    got = _names(str(example["text"]), lang)
    for name, label in example["names"]:  # type: ignore[attr-defined]
        assert (name, label) in got


@pytest.mark.skipif(UD is None, reason="../shared/ud (UD treebanks) not beside the repository")
@pytest.mark.parametrize(("lang", "floor"), [("en", 0.90), ("es", 0.91), ("ru", 0.91)])
def test_accuracy_floor_on_held_out_slice(lang: str, floor: float) -> None:
    assert UD is not None
    data = (UD / f"{TREEBANKS[lang]}-ud-test.conllu").read_text(encoding="utf-8")
    sents = list(read_conllu(data))[:300]  # the test portion: never trained on
    n = ok = lemma_ok = 0
    for s in sents:
        for gold, (upos, lemma, _f) in zip(
            s.tokens, annotate([t.form for t in s.tokens], lang), strict=True
        ):
            n += 1
            ok += upos == gold.upos
            lemma_ok += lemma.lower() == gold.lemma.lower()
    assert n > 3000
    assert ok / n >= floor
    assert lemma_ok / n >= 0.85


def test_package_data_ships_every_model_file() -> None:
    models = sorted(p.name for p in (ROOT / "timeline" / "analyze" / "models").iterdir())
    from timeline.analyze import classmodel

    shipped = [f.format(lang=lang) for lang in LANGUAGES for f in MODEL_FILES]
    assert models == sorted([*shipped, classmodel.FILE.format(lang="en")])
    with (ROOT / "pyproject.toml").open("rb") as fh:
        globs = tomllib.load(fh)["tool"]["setuptools"]["package-data"]["timeline"]
    for name in models:
        assert any(fnmatch.fnmatch(f"analyze/models/{name}", g) for g in globs), name
        assert model_file(name).is_file()  # what the installed package reads


def test_importing_loads_no_model() -> None:
    code = (
        "import sys, timeline.analyze; "
        "heavy = ('pycrfsuite', 'pymorphy3', 'numpy', 'timeline.analyze.model'); "
        "print(any(m in sys.modules for m in heavy))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert out.stdout.strip() == "False"


def test_russian_dictionary_is_asked_once_per_form(monkeypatch: pytest.MonkeyPatch) -> None:
    from timeline.analyze import russian

    asked: list[str] = []
    real = russian._ask
    monkeypatch.setattr(russian, "_cache", {})
    monkeypatch.setattr(russian, "_ask", lambda low: asked.append(low) or real(low))
    first = russian._verb("Переобъявил", "переобъявил", "VERB")
    again = russian._verb("переобъявил", "переобъявил", "AUX")
    assert first == again == real("переобъявил")
    assert first is not None and ("Tense", "Past") in first[1]
    assert asked == ["переобъявил"]
    assert russian._verb("дом", "дом", "NOUN") is None and asked == ["переобъявил"]


def test_english_lexicon_classes_reach_the_tagger() -> None:
    """The word-class lexicon ships inside en.json.gz and feeds the CRF as 'l' features;
    an irregular form carries 'irr' beside its lexicon classes."""
    from timeline.analyze.model import load
    from timeline.analyze.train import listed_classes, pack_lexicon, unpack_lexicon

    listed = load("en").listed
    assert len(listed) > 50_000
    assert listed["met"].split(" ")[-1] == "irr" and "VERB" in listed["met"]
    lex = {"rose": "NOUN|VERB", "aachen": "PROPN"}
    assert unpack_lexicon(pack_lexicon(lex)) == lex
    assert listed_classes("es", None) == listed_classes("es")


@pytest.mark.parametrize("lang", ["en", "es", "ru"])
def test_tagging_features_are_the_training_features_less_what_the_model_ignores(
        lang: str) -> None:
    """The Featurizer's lists are features()' with every string the model gives no weight
    dropped, in the same order (so crfsuite sums the same terms in the same order) and
    encoded as UTF-8 bytes (which crfsuite takes without encoding them again), and
    the attribute names read off the model file are the ones crfsuite itself reports."""
    from timeline.analyze.model import attributes, load, model_file
    from timeline.analyze.tagger import features
    from timeline.analyze.tokenize import tokenize

    model = load(lang)
    known = frozenset(a for a, _label in model.crf.info().state_features)
    assert attributes(model_file(f"{lang}.crfsuite").read_bytes()) == known
    text = {"en": "Mr. Okafor's visit to Lagos ended abruptly on Monday, officials said.",
            "es": "La visita del presidente a Quito terminó el lunes, dijeron fuentes.",
            "ru": "Визит президента в Казань завершился в понедельник, сообщили источники."}
    words = [text[lang][s:e] for s, e in tokenize(text[lang], lang)]
    for sentence in (words, words[:1], words[::-1]):
        full = features(sentence, model.tagdict, model.ambiguity, model.listed, None,
                        model.prefix_min)
        fast = model.featurize(sentence)
        assert fast == [[f.encode() for f in fs if f in known or f.startswith("d")]
                        for fs in full]
        assert model.crf.tag(fast) == model.crf.tag(full)


@pytest.mark.parametrize("lang", ["en", "es", "ru"])
def test_document_decoder_gives_crfsuites_tags(lang: str) -> None:
    """decode.Decoder (state scores summed here per word type, crfsuite's C Viterbi) tags
    every sentence of a document exactly as crfsuite's tagger does from the feature strings,
    on UD texts (dev and test, and a sentence reversed: unseen contexts) and the fixtures;
    the weights it reads off the model file are those crfsuite reports."""
    from timeline.analyze.decode import weights
    from timeline.analyze.model import load
    from timeline.analyze.tokenize import sentences, tokenize

    model = load(lang)
    assert model.decode is not None  # python-crfsuite's wheel exports its C functions
    labels, aid, state, trans = weights(model.crf_bytes)
    info = model.crf.info()
    assert {(labels[i], labels[j]): round(trans[i, j], 6) for i, j in zip(
        *trans.nonzero(), strict=True)} == pytest.approx(info.transitions)
    assert len(info.state_features) == int((state != 0).sum())
    texts = [p.read_text(encoding="utf-8") for p in FIXTURES]
    if UD is not None:
        for part in ("dev", "test"):
            sents = list(read_conllu((UD / f"{TREEBANKS[lang]}-ud-{part}.conllu")
                                     .read_text(encoding="utf-8")))
            texts += [" ".join(s.text for s in sents[i : i + 20])
                      for i in range(0, len(sents), 20)]
    tagged = 0
    for text in texts:
        spans = tokenize(text, lang)
        words = [text[s:e] for s, e in spans]
        bounds = sentences(text, spans, lang, words)
        want = [t for a, b in bounds for t in model.crf.tag(model.featurize(words[a:b]))]
        assert model.decode(words, bounds) == want
        back = words[::-1]
        assert model.decode(back, [(0, len(back))]) == model.crf.tag(model.featurize(back))
        tagged += len(words)
    assert tagged > 1000


def test_analysis_without_the_decoder_is_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    """Where crfsuite's C functions are out of reach the tagger's Python API tags each
    sentence: the same analysis."""
    import timeline.analyze.model as model_module

    model = model_module.load("en")
    assert model.decode is not None
    with_decoder = [analyze(NEWS["en"], "en"), annotate(["They", "met", "."], "en")]
    plain = model._replace(decode=None)
    monkeypatch.setattr(model_module, "load", lambda lang: plain)
    assert [analyze(NEWS["en"], "en"), annotate(["They", "met", "."], "en")] == with_decoder
