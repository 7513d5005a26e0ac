"""The learnt event class decision (timeline.analyze.classmodel) and its shipped model."""

from __future__ import annotations

import gzip
import json

from timeline.analyze import analyze, classmodel
from timeline.analyze.events import event_mentions, lexicon, mentions_with


def _toy(margin: float) -> classmodel.Classifier:
    return classmodel.from_data({
        "format": classmodel.FORMAT, "classes": ["OCCURRENCE", "STATE", "NONE"],
        "margin": margin,
        "weights": {"b": {"OCCURRENCE": 1.0}, "l=be": {"STATE": 3.0},
                    "l=include": {"NONE": 2.0}}})


def test_scores_add_the_weights_of_the_features_present() -> None:
    model = _toy(0.0)
    assert model.scores(["b", "l=be", "unknown"]) == [1.0, 3.0, 0.0]
    assert model.decide(["b", "l=be"]) == "STATE"
    assert model.decide(["b"]) == "OCCURRENCE"


def test_none_needs_to_beat_the_best_class_by_the_margin() -> None:
    assert _toy(0.0).decide(["b", "l=include"]) == "NONE"  # 2.0 > 1.0
    assert _toy(1.5).decide(["b", "l=include"]) == "OCCURRENCE"  # 2.0 < 1.0 + 1.5


def test_dumps_is_deterministic_and_round_trips() -> None:
    weights = {"l=x": {"STATE": 0.123456789}, "b": {"OCCURRENCE": -1.0}}
    one = classmodel.dumps(["OCCURRENCE", "STATE"], weights, {"c2": 1.0}, 0.5)
    assert one == classmodel.dumps(["OCCURRENCE", "STATE"], weights, {"c2": 1.0}, 0.5)
    model = classmodel.from_data(json.loads(gzip.decompress(one)))
    assert model.margin == 0.5
    assert model.scores(["l=x"]) == [0.0, 0.12346]


def test_a_model_of_another_format_is_refused() -> None:
    try:
        classmodel.from_data({"format": 0, "classes": [], "weights": {}})
    except ValueError as e:
        assert "format" in str(e)
    else:
        raise AssertionError("format 0 accepted")


def test_english_ships_a_model_spanish_and_russian_keep_the_rules() -> None:
    model = classmodel.load("en")
    assert model is not None and "REPORTING" in model.classes
    assert lexicon("en").classifier is model
    assert classmodel.load("es") is None and classmodel.load("ru") is None


def test_the_model_reads_classes_a_reader_expects() -> None:
    doc = analyze("The minister said the talks had collapsed. Officials began selling "
                  "shares after they tried to stop the fall.", "en")
    got = {m.text: m.class_ for m in event_mentions(doc)}
    assert got["said"] == "REPORTING"
    assert got["collapsed"] == "OCCURRENCE"
    assert got["began"] == "ASPECTUAL"
    assert got["tried"] == "I_ACTION"


def test_without_the_model_the_rules_decide_and_nothing_is_dropped() -> None:
    doc = analyze("Shares fell after the company said it would include the unit in the sale.",
                  "en")
    rules = mentions_with(doc, lexicon("en")._replace(classifier=None))
    learnt = event_mentions(doc)
    assert {m.start for m in learnt} <= {m.start for m in rules}
    assert all(m.class_ != classmodel.NONE for m in learnt)


def test_the_model_keeps_the_table_class_of_most_verbs() -> None:
    """The rules' class is the model's strongest feature: on the table's own examples
    ("They agreed the talks.") it overrules the table for few verbs."""
    from timeline.analyze.events import learnt

    table = learnt("en")["classes"]
    verbs = {k.split(" ")[0]: e for k, e in table.items() if k.endswith(" VERB")}
    rules = lexicon("en")._replace(classifier=None)
    same = differ = 0
    for entry in verbs.values():
        doc = analyze(f"They {entry['example']} the talks.", "en")
        a = {m.text: m.class_ for m in mentions_with(doc, rules)}.get(entry["example"])
        b = {m.text: m.class_ for m in event_mentions(doc)}.get(entry["example"])
        if a is not None and b is not None:
            same += a == b
            differ += a != b
    assert same > 200
    assert differ <= (same + differ) // 10
