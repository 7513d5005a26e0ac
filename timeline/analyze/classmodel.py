"""A learnt TimeML class decision for event mentions: a maximum-entropy model over
linguistic features of the mention, with the rules' class (eventclass.py) as one of them.

The rules read one cue at a time (the lemma's table entry, then its complement, then an
event argument); the model weighs them together, with what the rules do not read: the verb
that governs the mention and that verb's class ("said the talks collapsed": a REPORTING
governor makes its complement an OCCURRENCE), the complement's kind (a "that"-clause, an
infinitive, a gerund, an event-noun object), morphology (tense, verb form, number), whether
a noun heads a phrase ("the sale of ..."), the words around it. Every feature is a word, a
part of speech, a UD feature or a class: nothing names a document, so what it learns on
TimeBank carries to other news.

The weights are trained by ``scripts/train_eventclass.py`` with crfsuite (each mention its
own one-item sequence: a multinomial logistic regression, L2-regularised, seeded and over
sorted input) on TimeBank only, and shipped as ``models/<lang>.eventclass.json.gz``
(attribute -> class -> weight, gzipped JSON). A language without that file keeps the rules.
"""

from __future__ import annotations

import functools
import gzip
import json
from collections.abc import Callable, Mapping, Sequence
from typing import Any, NamedTuple

from timeline.analyze import eventclass
from timeline.analyze.document import Token

FORMAT = 1
NONE = "NONE"  # the label of a mention that is no event: the detector drops it
FILE = "{lang}.eventclass.json.gz"
_GOVERNOR_SPAN = 8  # tokens back to look for the governing verb
_MORPH = ("VerbForm", "Tense", "Number", "Mood")


class Classifier(NamedTuple):
    """Attribute -> its weight for each class (dense, ``classes`` order)."""

    classes: tuple[str, ...]
    weights: dict[str, tuple[float, ...]]
    margin: float = 0.0  # NONE must score this much above the best class to be chosen

    def scores(self, feats: Sequence[str]) -> list[float]:
        # looked up and summed in C, per mention (a row is a non-empty tuple: never dropped)
        rows = list(filter(None, map(self.weights.get, feats)))
        if not rows:
            return [0.0] * len(self.classes)
        return list(map(sum, zip(*rows, strict=True)))

    def decide(self, feats: Sequence[str], droppable: bool = True,
               bare: bool = False) -> str:
        """The class of a mention, NONE to drop it. ``droppable`` False: a curated event
        noun (the lists of eventmentions.toml and eventnouns.toml), which the product keeps
        whatever TimeBank's annotators did ("no agreement was reached"); ``bare``: a verb
        with no event argument, which by the TimeML guidelines no I_ACTION or ASPECTUAL
        class fits (eventclass.event_argument), whatever the weights say."""
        got = self.pick(self.scores(feats), self.margin if droppable else float("inf"))
        if bare and got in eventclass.NEEDS_EVENT:
            return "OCCURRENCE"
        return got

    def pick(self, s: Sequence[float], margin: float) -> str:
        """The best class; NONE only when it beats the best class by ``margin``."""
        classes = self.classes
        # the highest score, the first class of those tied (max keeps the first it meets)
        best = max(_candidates(classes), key=s.__getitem__)
        if NONE in classes:
            none = classes.index(NONE)
            if s[none] > s[best] + margin:
                return NONE
        return classes[best]


@functools.cache
def _candidates(classes: tuple[str, ...]) -> tuple[int, ...]:
    """The indices of the classes a mention may take, NONE aside, in order."""
    return tuple(c for c in range(len(classes)) if classes[c] != NONE)


def from_data(data: Mapping[str, Any]) -> Classifier:
    if data.get("format") != FORMAT:
        raise ValueError(f"event class model format {data.get('format')!r}, expected {FORMAT}")
    classes = tuple(data["classes"])
    index = {c: i for i, c in enumerate(classes)}
    weights = {}
    for a, d in data["weights"].items():
        row = [0.0] * len(classes)
        for c, v in d.items():
            row[index[c]] = float(v)
        weights[a] = tuple(row)
    return Classifier(classes, weights, float(data.get("margin", 0.0)))


def dumps(classes: Sequence[str], weights: Mapping[str, Mapping[str, float]],
          meta: Mapping[str, Any], margin: float = 0.0) -> bytes:
    """Deterministic bytes (sorted keys, rounded weights, no gzip timestamp)."""
    data = {"format": FORMAT, "classes": list(classes), "meta": dict(meta), "margin": margin,
            "weights": {a: {c: round(v, 5) for c, v in sorted(d.items())}
                        for a, d in sorted(weights.items())}}
    raw = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return gzip.compress(raw.encode("utf-8"), compresslevel=9, mtime=0)


@functools.cache
def load(lang: str) -> Classifier | None:
    """The shipped model of a language, None when there is none (the rules decide)."""
    from timeline.analyze.model import model_file

    f = model_file(FILE.format(lang=lang))
    if not f.is_file():
        return None
    return from_data(json.loads(gzip.decompress(f.read_bytes()).decode("utf-8")))


def _governor(tokens: Sequence[Token], i: int, first: int) -> Token | None:
    """The nearest verb before the mention in its sentence ("said [that] the talks
    collapsed", "agreed to sell"), past no more than a few words."""
    j = i - 1
    while j >= first and j >= i - _GOVERNOR_SPAN:
        if tokens[j].upos == "VERB":
            return tokens[j]
        j -= 1
    return None


def features(tokens: Sequence[Token], i: int, sent_first: int, end: int, rule: str,
             ctx: str, attrs: tuple[str, str, str, str], bare: bool | None,
             class_of: Callable[[str, str], str], is_event: Callable[[Token], bool]) -> list[str]:
    """The attributes of the mention at ``i`` (sentence ``sent_first``..``end``): ``rule``
    the rules' class, ``ctx`` eventclass.context, ``attrs`` (tense, aspect, polarity,
    modality), ``bare`` whether a verb lacks an event argument (None: not asked),
    ``class_of(lemma, pos)`` the rules' class of another word (for the governor)."""
    tok = tokens[i]
    lemma = tok.lemma.lower()
    pos = eventclass.kind(tok)
    tense, aspect, polarity, modality = attrs
    out = ["b", f"r={rule}", f"l={lemma}", f"p={pos}", f"u={tok.upos}", f"lp={lemma}|{pos}",
           f"c={ctx}", f"pc={pos}|{ctx}", f"lc={lemma}|{ctx}", f"rc={rule}|{ctx}",
           f"t={tense}", f"a={aspect}", f"n={polarity}", f"m={bool(modality)}",
           f"rp={rule}|{pos}", f"s3={lemma[-3:]}"]
    out += [f"f{k}={tok.feat(k)}" for k in _MORPH if tok.feat(k)]
    if bare is not None:
        out += [f"bare={bare}", f"rb={rule}|{bare}"]
    prev = tokens[i - 1] if i > sent_first else None
    nxt = tokens[i + 1] if i + 1 < end else None
    out += [f"w-1={prev.text.lower() if prev else '<s>'}", f"u-1={prev.upos if prev else '<s>'}",
            f"w+1={nxt.text.lower() if nxt else '</s>'}", f"u+1={nxt.upos if nxt else '</s>'}"]
    if nxt is not None and pos == "NOUN":
        out.append(f"head={nxt.upos != 'NOUN'}")
        if nxt.upos == "ADP":
            out.append(f"nadp={nxt.text.lower()}")
    if pos == "VERB" and nxt is not None:
        obj = eventclass._object_head(tokens, i + 1, end, is_event)
        if obj < end:
            o = tokens[obj]
            out.append(f"obj={'event' if is_event(o) or o.upos == 'VERB' else o.upos}")
    gov = _governor(tokens, i, sent_first)
    if gov is None:
        out.append("g=none")
    else:
        gcls = class_of(gov.lemma.lower(), "VERB")
        out += [f"g={gov.lemma.lower()}", f"gc={gcls}", f"gcp={gcls}|{pos}",
                f"gcr={gcls}|{rule}"]
    return out
