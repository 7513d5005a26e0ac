"""Part-of-speech tagging: a linear-chain CRF (crfsuite, C++) over compact features.

Python feature extraction is the cost of a CRF tagger, so most words pay almost nothing: a
word seen often enough in training with a single tag (punctuation, most function words)
carries one feature, its dictionary tag, and serves as context for its neighbours by that
tag. Only the other words get the dozen strings a tagger needs for unknown and ambiguous
words: the word, its endings and shape, its ambiguity class in training (the set of tags it
had there), the class a word list gives it (irregular verbs), and its neighbours. Decoding
(Viterbi) runs inside crfsuite.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence


def shape(word: str) -> str:
    """A coarse word shape: title, upper, lower, digit, punctuation, mixed."""
    if word.isalpha():
        if word.islower():
            return "l"
        if word.isupper():
            return "U" if len(word) > 1 else "X"
        return "X" if word[0].isupper() and word[1:].islower() else "m"
    if word.isdigit():
        return "d"
    if any(c.isalnum() for c in word):
        return "D" if any(c.isdigit() for c in word) else "h"
    return "p"


_STATIC_LIMIT = 200_000  # word types whose static features are kept between calls
_SHAPES: dict[str, str] = {}  # word -> shape (a memo: neighbours' shapes are features)


def _static(word: str, ambiguity: Mapping[str, str], listed: Mapping[str, str],
            prefix_min: int) -> list[str]:
    """Features of a word that do not depend on its neighbours."""
    x = word.lower()
    extra = listed.get(x)
    return [
        *(("l" + e for e in extra.split(" ")) if extra else ()),
        "w" + x,
        "s1" + x[-1:],
        "s2" + x[-2:],
        "s3" + x[-3:],
        "s4" + x[-4:],
        "s5" + x[-5:],
        *(("p" + x[:2], "p3" + x[:3]) if len(x) >= prefix_min else ()),
        "h" + shape(word),
        "a" + ambiguity.get(x, "?"),
        *(("c" + word,) if word != x else ()),
    ]


def features(
    words: Sequence[str],
    tagdict: Mapping[str, str],
    ambiguity: Mapping[str, str],
    listed: Mapping[str, str],
    cache: dict[str, list[str]] | None = None,
    prefix_min: int = 0,
) -> list[list[str]]:
    """The CRF features of each word of a sentence.

    ``prefix_min``: words shorter than this carry no prefix features (a short word's
    prefix is the word itself; English is better without them on held-out dev folds,
    and reads "leaders met" right).

    ``cache`` keeps each word type's static features between calls (an invisible memo: the
    result does not depend on it); the lists returned may be shared, and are never mutated.
    """
    if cache is None:
        cache = {}
    elif len(cache) > _STATIC_LIMIT:
        cache.clear()
    dict_tags = [tagdict.get(w) for w in words]
    low = [w.lower() for w in words]
    ctx = ["D" + d if d else "W" + x for d, x in zip(dict_tags, low, strict=True)]
    ctx_pad = ["<s>", "<s>", *ctx, "</s>", "</s>"]
    sfx = ["", *(x[-3:] for x in low), ""]
    if len(_SHAPES) > _STATIC_LIMIT:
        _SHAPES.clear()
    shp = ["<s>", *(_SHAPES.get(w) or _SHAPES.setdefault(w, shape(w)) for w in words), "</s>"]
    out: list[list[str]] = []
    for i, w in enumerate(words):
        d = dict_tags[i]
        if d is not None:
            out.append(_DICT_FEATURE.get(d) or ["d" + d])
            continue
        static = cache.get(w)
        if static is None:
            static = cache[w] = _static(w, ambiguity, listed, prefix_min)
        out.append([
            *static,
            "-" + ctx_pad[i + 1],
            "+" + ctx_pad[i + 3],
            "--" + ctx_pad[i],
            "++" + ctx_pad[i + 4],
            "+s" + sfx[i + 2],
            "-s" + sfx[i],
            "-h" + shp[i],
            "+h" + shp[i + 2],
            "F" if i == 0 else "M",
        ])
    return out


_DICT_FEATURE = {
    t: ["d" + t]
    for t in ("ADJ ADP ADV AUX CCONJ DET INTJ NOUN NUM PART PRON PROPN PUNCT SCONJ SYM VERB X"
              .split())
}
