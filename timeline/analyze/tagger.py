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

from collections.abc import Collection, Mapping, Sequence


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


# a word type: its own features, whether a dictionary word, what it lends its neighbours
_Entry = tuple[list[bytes], bool, tuple[bytes | None, ...]]
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


class Featurizer:
    """``features`` for tagging with a trained model: the same lists, less what the model
    does not know.

    A feature the model never weighted (a rare word, an ending seen once) changes no score:
    crfsuite drops it after converting and looking it up, and about a third of the strings
    ``features`` builds are such. Here each word type's strings are built and filtered once
    (its own features, and the eight it lends its neighbours: "-" + its context, "+s" + its
    ending ...), so a token costs list concatenation, and crfsuite converts only what it
    uses. The features kept keep their order, so every score is summed in the same order and
    the tags are exactly ``features``' (tests/test_analyze.py compares both). They are UTF-8
    bytes, encoded once per word type: python-crfsuite copies bytes into its C++ strings as
    they are but encodes every str anew on every call (a fifth of tagging time).
    """

    __slots__ = ("_bos", "_eos", "_fm", "_known", "_tables", "_words")

    def __init__(self, tagdict: Mapping[str, str], ambiguity: Mapping[str, str],
                 listed: Mapping[str, str], prefix_min: int, known: Collection[str]) -> None:
        self._tables = (tagdict, ambiguity, listed, prefix_min)
        self._known = known
        self._words: dict[str, _Entry] = {}
        self._bos: _Entry = ([], True, self._lent("<s>", "", "<s>"))
        self._eos: _Entry = ([], True, self._lent("</s>", "", "</s>"))
        self._fm = tuple(x.encode() if x in known else None for x in ("F", "M"))

    def _lent(self, ctx: str, sfx: str, shp: str) -> tuple[bytes | None, ...]:
        """What a word gives the features of its neighbours, None where the model knows none
        (order: as previous, as next, two before, two after, ending as next, ending as
        previous, shape as previous, shape as next)."""
        known = self._known
        return tuple(f.encode() if f in known else None for f in (
            "-" + ctx, "+" + ctx, "--" + ctx, "++" + ctx, "+s" + sfx, "-s" + sfx, "-h" + shp,
            "+h" + shp))

    def ends(self) -> tuple[_Entry, _Entry]:
        """The entries of the padding before and after a sentence."""
        return self._bos, self._eos

    def _word(self, w: str) -> _Entry:
        if len(self._words) > _STATIC_LIMIT:
            self._words.clear()
        got = self._words[w] = self.entry(w)
        return got

    def entry(self, w: str) -> _Entry:
        """A word type's own features (those the model knows), whether it is a dictionary
        word, and what it lends its neighbours."""
        tagdict, ambiguity, listed, prefix_min = self._tables
        d = tagdict.get(w)
        x = w.lower()
        if d is not None:
            own = [("d" + d).encode()]
        else:
            own = [f.encode() for f in _static(w, ambiguity, listed, prefix_min)
                   if f in self._known]
        return (own, d is not None, self._lent("D" + d if d else "W" + x, x[-3:], shape(w)))

    def __call__(self, words: Sequence[str]) -> list[list[bytes]]:
        get, word = self._words.get, self._word
        bos, eos = self._bos, self._eos
        ents: list[_Entry] = [bos, bos, *[get(w) or word(w) for w in words], eos, eos]
        lent = [e[2] for e in ents]
        fm, middle = self._fm
        out: list[list[bytes]] = []
        append = out.append
        # the neighbour lists are longer than the words: zip stops at the last word
        for (own, in_dict, _), p2, p1, n1, n2 in zip(ents[2:-2], lent, lent[1:], lent[3:],
                                                     lent[4:], strict=False):
            if in_dict:
                append(own)
            else:  # None marks what the model does not know: filter drops it
                append([*own, *filter(None, (p1[0], n1[1], p2[2], n2[3], n1[4], p1[5], p1[6],
                                             n1[7], fm))])
            fm = middle
        return out


_DICT_FEATURE = {
    t: ["d" + t]
    for t in ("ADJ ADP ADV AUX CCONJ DET INTJ NOUN NUM PART PRON PROPN PUNCT SCONJ SYM VERB X"
              .split())
}
