"""Open-class event mentions (timeline.analyze.events) on sentences in en/es/ru, and the
examples kept in the data files (eventmentions.toml per language, eventnouns.toml)."""

from __future__ import annotations

import pytest

from timeline.analyze import analyze
from timeline.analyze.events import EventMention, event_mentions, learnt, raw


def _mentions(text: str, lang: str) -> dict[str, EventMention]:
    return {m.text: m for m in event_mentions(analyze(text, lang))}


EXAMPLES = [(lang, ex) for lang in ("en", "es", "ru") for ex in raw(lang).get("examples", [])]


@pytest.mark.parametrize(("lang", "ex"), EXAMPLES, ids=[e["text"][:40] for _, e in EXAMPLES])
def test_data_file_examples(lang: str, ex: dict) -> None:
    found = event_mentions(analyze(ex["text"], lang))
    assert [m.text for m in found] == ex["mentions"]
    by_text = {m.text: m for m in found}
    for word, cls in ex.get("classes", {}).items():
        assert by_text[word].class_ == cls, word
    for word in ex.get("negated", []):
        assert by_text[word].polarity == "NEG", word
    for word in set(ex["mentions"]) - set(ex.get("negated", [])):
        assert by_text[word].polarity == "POS", word
    for word, modal in ex.get("modality", {}).items():
        assert by_text[word].modality == modal, word
    for word, tense in ex.get("tenses", {}).items():
        assert by_text[word].tense == tense, word


def test_learnt_noun_examples_are_mentions() -> None:
    """Each example read as a noun is a mention (its lemma is the key the file lists); the
    few the tagger reads as adjectives in this frame are a tagging error, bounded here."""
    nouns = learnt("en")["nouns"]
    assert len(nouns) > 50
    missing, misread = [], 0
    for lemma, entry in nouns.items():
        ex = entry["example"]
        doc = analyze(f"They talked about the {ex} today.", "en")
        tok = next(t for t in doc.tokens if t.text == ex)
        if ex in {m.text for m in event_mentions(doc)}:
            continue
        misread += tok.upos != "NOUN"
        if tok.upos == "NOUN":
            missing.append((lemma, ex, tok.lemma))
    assert missing == []
    assert misread <= len(nouns) // 20


def test_offsets_are_exact_into_the_text_as_given() -> None:
    text = "  Officials  said on Monday\nthat the strike had ended."
    found = event_mentions(analyze(text, "en"))
    assert [(m.text, m.start, m.end) for m in found] == [
        ("said", 13, 17), ("strike", 37, 43), ("ended", 48, 53)]
    assert all(text[m.start:m.end] == m.text for m in found)


def test_auxiliaries_copulas_and_modals_are_not_mentions() -> None:
    en = _mentions("The deal was signed and he is happy, but it would have been delayed.", "en")
    assert {"signed", "delayed"} <= set(en)
    assert not {"was", "is", "would", "have", "been"} & set(en)
    es = _mentions("El acuerdo ha sido firmado y puede ser revisado.", "es")
    assert {"firmado", "revisado"} <= set(es)
    assert not {"ha", "sido", "puede", "ser"} & set(es)
    ru = _mentions("Договор был подписан, и его должны утвердить.", "ru")
    assert "подписан" in ru and "утвердить" in ru
    assert "был" not in ru


def test_event_nouns_and_deverbal_suffixes() -> None:
    en = _mentions("The negotiations and the visit followed the bankruptcy of the firm.", "en")
    assert {"negotiations", "visit", "bankruptcy"} <= set(en)
    assert "firm" not in en
    assert en["visit"].pos == "NOUN" and en["visit"].tense == "NONE"
    es = _mentions("La votación y las negociaciones siguieron a la huelga.", "es")
    assert {"votación", "negociaciones", "huelga"} <= set(es)
    ru = _mentions("Голосование прошло после визита и забастовки.", "ru")
    assert {"Голосование", "визита", "забастовки"} <= set(ru)


def test_government_and_nation_are_not_events_despite_their_suffix() -> None:
    assert not {"government", "nation"} & set(
        _mentions("The government of the nation met.", "en"))


def test_reporting_class_in_each_language() -> None:
    assert _mentions("The spokesman told reporters the plan had failed.", "en")[
        "told"].class_ == "REPORTING"
    assert _mentions("La portavoz anunció la decisión.", "es")["anunció"].class_ == "REPORTING"
    assert _mentions("Министр заявил о решении.", "ru")["заявил"].class_ == "REPORTING"
    assert _mentions("The firm sold its plant.", "en")["sold"].class_ == "OCCURRENCE"


def test_negation_only_in_its_own_clause() -> None:
    en = _mentions("He did not resign, and the board approved the plan.", "en")
    assert en["resign"].polarity == "NEG" and en["approved"].polarity == "POS"
    assert en["approved"].tense == "PAST"
    es = _mentions("No se firmó el acuerdo.", "es")
    assert es["firmó"].polarity == "NEG"
    ru = _mentions("Стороны не подписали соглашение.", "ru")
    assert ru["подписали"].polarity == "NEG"


def test_modality_tense_and_aspect() -> None:
    en = _mentions("She might resign, he will leave and they have been talking.", "en")
    assert en["resign"].modality == "might"
    assert en["leave"].tense == "FUTURE" and en["leave"].modality == ""
    assert (en["talking"].tense, en["talking"].aspect) == ("PRESENT", "PERFECTIVE_PROGRESSIVE")
    assert _mentions("El gobierno debe dimitir.", "es")["dimitir"].modality == "debe"
    assert _mentions("Президент может подписать указ.", "ru")["подписать"].modality == "может"
    assert _mentions("He resigned yesterday.", "en")["resigned"].tense == "PAST"


def test_learnt_verb_classes_apply_to_their_examples() -> None:
    """A class learnt on TimeBank for a verb lemma reaches its mention when the verb has an
    event argument ("They began the talks."; unless the tagger misreads the form in this
    frame: bounded); a lemma the table has decides before the hand lists. Without an event
    argument ("They began it.") an I_ACTION or ASPECTUAL class gives way to OCCURRENCE.
    These are the rules (the learnt class model, which reads the table's class as one
    feature among others, is tested in tests/test_classmodel.py)."""
    from timeline.analyze.eventclass import NEEDS_EVENT
    from timeline.analyze.events import lexicon, mentions_with

    rules = lexicon("en")._replace(classifier=None)

    def _mentions(text: str, _lang: str) -> dict[str, EventMention]:
        return {m.text: m for m in mentions_with(analyze(text, "en"), rules)}

    table = learnt("en")["classes"]
    verbs = {k.split(" ")[0]: e for k, e in table.items() if k.endswith(" VERB")}
    assert len(verbs) > 300
    wrong, misread, bare = [], 0, 0
    for lemma, entry in verbs.items():
        found = _mentions(f"They {entry['example']} the talks.", "en").get(entry["example"])
        if found is None or found.lemma.lower() != lemma:
            misread += 1
            continue
        if found.class_ != entry["class"]:
            wrong.append(lemma)
        plain = _mentions(f"They {entry['example']} it.", "en").get(entry["example"])
        if entry["class"] in NEEDS_EVENT and plain is not None and plain.lemma.lower() == lemma:
            bare += 1
            assert plain.class_ == "OCCURRENCE", lemma
    assert wrong == []
    assert misread <= len(verbs) // 4
    assert bare > 50


def test_context_entries_and_rare_keys() -> None:
    """A context entry differs from its lemma's class; a rare key is never a hand noun."""
    table = learnt("en")["classes"]
    ctx = {k: e for k, e in table.items() if k.count(" ") == 2}
    for k, e in ctx.items():
        assert k.rsplit(" ", 1)[1] in ("that", "to", "ing")
        assert table.get(k.rsplit(" ", 1)[0], {}).get("class") != e["class"]
    hand = {w.lower() for w in raw("en")["nouns"]}
    rare = learnt("en")["rare"]
    assert rare and not {k.split(" ")[0] for k in rare if k.endswith(" NOUN")} & hand
    assert all(e["events"] < 0.3 * e["found"] for e in rare.values())


def test_context_decides_the_class() -> None:
    from timeline.analyze import eventclass

    doc = analyze("They said that he agreed to sign and began selling shares.", "en")
    toks = doc.tokens
    at = {t.text: t.i for t in toks}
    end = doc.sentences[0].end
    assert eventclass.context(toks, at["said"], end) == "that"
    assert eventclass.context(toks, at["agreed"], end) == "to"
    assert eventclass.context(toks, at["began"], end) == "ing"
    assert eventclass.context(toks, at["selling"], end) == ""
    table = {"agree VERB": "OCCURRENCE", "agree VERB to": "I_ACTION"}
    assert eventclass.decide("agree", "VERB", "to", table, {}, {}) == "I_ACTION"
    assert eventclass.decide("agree", "VERB", "", table, {}, {}) == "OCCURRENCE"
    assert eventclass.decide("vow", "VERB", "", table, {"vow": "I_ACTION"}, {}) == "I_ACTION"
    assert eventclass.decide("crash", "NOUN", "", table, {}, {"crash": ""}) == "OCCURRENCE"


def test_prepositional_participles_are_not_events() -> None:
    en = _mentions("Exports rose, including steel, based on the figures.", "en")
    assert "rose" in en
    assert not {"including", "based"} & set(en)


@pytest.mark.parametrize(("text", "verb", "has_argument"), [
    ("Relatives sought to block the minister's visit to Cuba.", "block", True),
    ("Relatives sought to block his visit to Cuba.", "block", True),
    ("Relatives sought to block the boy at the door.", "block", False),
    ("The police accused them of the attack.", "accused", True),
    ("He is accused of masterminding the attack.", "accused", True),
    ("The rules prevented the company from selling shares.", "prevented", True),
    ("The rules prevented the company in Miami.", "prevented", False),
])
def test_event_arguments_behind_a_possessor_or_a_preposition(
        text: str, verb: str, has_argument: bool) -> None:
    """An event possessed ("the boy's return") or introduced by a preposition after the
    object ("accused them of abuse", "prevented X from selling") is the event argument an
    I_ACTION needs; a person or a place there is none."""
    from timeline.analyze import eventclass
    from timeline.analyze.events import _is_event_noun, lexicon

    doc = analyze(text, "en")
    tok = next(t for t in doc.tokens if t.text == verb)
    lex = lexicon("en")
    got = eventclass.event_argument(
        doc.tokens, tok.i, 0, doc.sentences[0].end,
        lambda t: t.upos == "NOUN" and _is_event_noun(t.lemma.lower(), lex))
    assert got is has_argument
