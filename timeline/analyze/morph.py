"""Lemmas and morphological features from the tag: a lexicon, then suffix rules.

Both are learned from the UD training portion by ``timeline.analyze.train``: a word form seen
with a tag takes its most frequent lemma and features; an unseen one takes the rule of its
longest known ending under that tag (strip k letters, add a string; features of that ending),
unless an external lexicon (English: LemmInflect's) gives the form another lemma under that
tag (the model's ``lemma_exceptions``: "declined" -> "decline", not the "-ined" rule's
"declin").
Lower-cased forms are looked up, and proper nouns keep the case of the text.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

# the features later stages read; others in the treebanks are dropped at training time
FEATURES = ("VerbForm", "Tense", "Mood", "Aspect", "Person", "Number", "Case", "Polarity")
MAX_SUFFIX = 5

Feats = tuple[tuple[str, str], ...]
# a dictionary analyser for words the training data did not have: (lemma, features) or None
Guesser = Callable[[str, str, str], tuple[str, Feats] | None]


def parse_feats(value: str) -> Feats:
    """'Mood=Ind|Tense=Past' -> (('Mood', 'Ind'), ('Tense', 'Past')), kept features only."""
    if not value or value == "_":
        return ()
    pairs = (p.split("=", 1) for p in value.split("|") if "=" in p)
    return tuple((k, v) for k, v in pairs if k in FEATURES)


def apply_rule(form: str, rule: tuple[int, str]) -> str:
    cut, add = rule
    return (form[:-cut] if cut else form) + add


class Morphology:
    """Lemma and feature lookup for one language (built from a model's tables)."""

    __slots__ = ("_exceptions", "_feat_sfx", "_guess", "_lemma_sfx", "_lex")

    def __init__(
        self,
        lex: Mapping[str, Mapping[str, tuple[str, Feats]]],
        lemma_sfx: Mapping[str, Mapping[str, tuple[int, str]]],
        feat_sfx: Mapping[str, Mapping[str, Feats]],
        guess: Guesser | None = None,
        exceptions: Mapping[str, Mapping[str, str]] | None = None,
    ) -> None:
        self._guess = guess
        self._lex = lex
        self._lemma_sfx = lemma_sfx
        self._feat_sfx = feat_sfx
        self._exceptions = exceptions or {}

    def analyse(self, word: str, low: str, upos: str) -> tuple[str, Feats]:
        """(lemma, features) of a word under its tag."""
        entry = self._lex.get(low)
        if entry is not None:
            hit = entry.get(upos)
            if hit is not None:
                return hit
        if self._guess is not None:
            guessed = self._guess(word, low, upos)
            if guessed is not None:
                return guessed
        rules = self._lemma_sfx.get(upos, {})
        frules = self._feat_sfx.get(upos, {})
        lemma = self._exceptions.get(upos, {}).get(low)  # an external lexicon's lemma
        feats = None
        for k in range(min(MAX_SUFFIX, len(low) - 1), 0, -1):
            sfx = low[-k:]
            if lemma is None:
                rule = rules.get(sfx)
                if rule is not None:
                    lemma = apply_rule(word if upos == "PROPN" else low, rule)
            if feats is None:
                feats = frules.get(sfx)
            if lemma is not None and feats is not None:
                break
        if lemma is None:
            lemma = word if upos == "PROPN" else low
        return lemma, feats or ()
