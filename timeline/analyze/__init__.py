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

from timeline.analyze.document import Analysed, Feats, Name, Sentence, Token
from timeline.analyze.resources import LANGUAGES, lists

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
    return [(t, *analyse(w, w.lower(), t)) for w, t in zip(words, tags, strict=True)]


def analyze(text: str, lang: str) -> Analysed:
    """Analyse a document in one of LANGUAGES (ValueError for any other)."""
    from timeline.analyze.names import chunk
    from timeline.analyze.tokenize import sentences, tokenize

    model = _model(lang)
    analyse = model.morph.analyse
    crf, featurize, memo = model.crf, model.featurize, model.memo
    if len(memo) > _MEMO_LIMIT:
        memo.clear()
    spans = tokenize(text, lang)
    all_words = [text[s:e] for s, e in spans]
    tokens: list[Token] = []
    sents: list[Sentence] = []
    new = tuple.__new__  # Token(...) without its Python-level __new__: half the cost
    bounds = sentences(text, spans, lang, all_words)
    decode = model.decode
    all_tags = decode(all_words, bounds) if decode is not None else None
    for si, (a, b) in enumerate(bounds):
        sent_spans = spans[a:b]
        words = all_words[a:b]
        tags = all_tags[a:b] if all_tags is not None else crf.tag(featurize(words))
        i = a
        for (s, e), w, t in zip(sent_spans, words, tags, strict=True):
            key = w + "\t" + t
            hit = memo.get(key)
            if hit is None:
                hit = memo[key] = analyse(w, w.lower(), t)
            tokens.append(new(Token, (i, w, s, e, hit[0], t, hit[1], si)))
            i += 1
        sents.append(Sentence(a, b, sent_spans[0][0], sent_spans[-1][1]))
    frozen = tuple(tokens)
    return Analysed(text, lang, frozen, tuple(sents), chunk(text, frozen, lists(lang), lang))
