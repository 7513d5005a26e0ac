"""The analysis layer: text + language -> an immutable analysed document.

``analyze`` is pure: tokens with offsets into the text as given, sentences, lemmas, universal
parts of speech, the morphological features later stages read (VerbForm, Tense, Mood, Aspect,
Person, Number, Case, Polarity) and typed name chunks. Modules: ``tokenize`` (tokens and
sentences), ``tagger`` (parts of speech), ``morph`` (lemmas and features), ``names`` (name
chunks), ``document`` (the result types), ``model`` (shipped model files, loaded lazily on
first use so importing this package costs nothing), ``train`` and ``conllu`` (building models
from Universal Dependencies treebanks).
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import repeat
from operator import itemgetter
from typing import Any

from timeline.analyze.document import Analysed, Feats, Name, Sentence, Token
from timeline.analyze.resources import LANGUAGES, lists

_FIRST, _SECOND = itemgetter(0), itemgetter(1)
_MEMO_LIMIT = 200_000  # (word, tag) analyses kept between calls: a memo, invisible in results

__all__ = ["LANGUAGES", "Analysed", "Name", "Sentence", "Token", "analyze", "annotate"]


def _model(lang: str):  # type: ignore[no-untyped-def]
    if lang not in LANGUAGES:
        raise ValueError(f"unsupported language {lang!r} (expected one of {', '.join(LANGUAGES)})")
    from timeline.analyze.model import load

    return load(lang)


def annotate(words: Sequence[str], lang: str) -> list[tuple[str, str, Feats]]:
    """(UPOS, lemma, features) of each word of one sentence given as tokens."""
    model = _model(lang)
    analyse = model.morph.analyse
    if model.decode is not None:
        tags = model.decode(words, [(0, len(words))]) if words else []
    else:
        tags = model.crf.tag(model.featurize(words))
    tags = _checked(model, words, list(tags))
    return [(t, *analyse(w, w.lower(), t)) for w, t in zip(words, tags, strict=True)]


def _checked(model: Any, words: Sequence[str], tags: list[str]) -> list[str]:
    """The CRF's tags, but a word the treebank had only as a verb (never as an auxiliary)
    is no auxiliary (Spanish "que espera cerrar" read as "que debe cerrar": lemma
    "esperaber", no event), and where a language has a dictionary, the dictionary's part of
    speech of a word the treebank never had (russian.tag_checker)."""
    seen = model.ambiguity
    if model.check is not None:
        check = model.check
        tags = [check(w, t, seen) for w, t in zip(words, tags, strict=True)]
    i = -1
    try:
        while True:  # a scan in C from one AUX to the next: few need a look-up
            i = tags.index("AUX", i + 1)
            got = seen.get(words[i].lower())
            if got is not None and "VERB" in got and "AUX" not in got:
                tags[i] = "VERB"
    except ValueError:
        return tags


def analyze(text: str, lang: str) -> Analysed:
    """Analyse a document in one of LANGUAGES (ValueError for any other)."""
    from timeline.analyze.names import chunk
    from timeline.analyze.tokenize import sentences, tokenize

    model = _model(lang)
    memo = model.memo
    if len(memo) > _MEMO_LIMIT:
        memo.clear()
    spans = tokenize(text, lang)
    if not spans:
        return Analysed(text, lang, (), (), ())
    words = [text[s:e] for s, e in spans]
    bounds = sentences(text, spans, lang, words)
    if model.decode is not None:
        tags = model.decode(words, bounds)
    else:
        tags = [t for a, b in bounds for t in model.crf.tag(model.featurize(words[a:b]))]
    tags = _checked(model, words, list(tags))
    keys = list(zip(words, tags, strict=True))
    hits = list(map(memo.get, keys))
    if None in hits:
        analyse = model.morph.analyse
        for k, hit in enumerate(hits):
            if hit is None:
                w, t = keys[k]
                hit = memo.get((w, t))  # the same word may be new twice in a document
                if hit is None:
                    hit = memo[w, t] = analyse(w, w.lower(), t)
                hits[k] = hit
    # columns by itemgetter: zip(*pairs) spreads a document's tokens as arguments, five
    # times slower
    starts, ends = list(map(_FIRST, spans)), list(map(_SECOND, spans))
    lemmas, feats = list(map(_FIRST, hits)), list(map(_SECOND, hits))
    sent_of: list[int] = []
    for si, (a, b) in enumerate(bounds):
        sent_of += [si] * (b - a)
    # Token(...) without its Python-level __new__, and no Python loop: a third of the cost
    tokens = tuple(map(tuple.__new__, repeat(Token), zip(
        range(len(words)), words, starts, ends, lemmas, tags, feats, sent_of, strict=True)))
    sents = tuple(Sentence(a, b, starts[a], ends[b - 1]) for a, b in bounds)
    return Analysed(text, lang, tokens, sents, chunk(text, tokens, lists(lang), lang))
