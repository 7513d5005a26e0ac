"""Lemmas and morphological features from the tag: a lexicon, then suffix rules.

Both are learned from the UD training portion by ``timeline.analyze.train``: a word form seen
with a tag takes its most frequent lemma and features; an unseen one takes the rule of its
longest known ending under that tag (strip k letters, add a string; features of that ending),
unless an external lexicon (English: LemmInflect's) gives the form another lemma under that
tag (the model's ``lemma_exceptions``: "declined" -> "decline", not the "-ined" rule's
"declin"). A verb whose stem changes inside the word ("eligieron" -> "elegir") is out of the
rules' reach: a language with stem alternations respells a rule's unknown verb lemma into a
verb the training data has (``stems``).
Lower-cased forms are looked up, and proper nouns keep the case of the text.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from timeline.analyze.stems import Respeller

# the features later stages read; others in the treebanks are dropped at training time
FEATURES = ("VerbForm", "Tense", "Mood", "Aspect", "Person", "Number", "Case", "Polarity")
MAX_SUFFIX = 5

Feats = tuple[tuple[str, str], ...]
# a dictionary analyser for words the training data did not have: (lemma, features) or None
Guesser = Callable[[str, str, str], tuple[str, Feats] | None]
# a dictionary lemmatiser for such words (word, lower-cased, tag) -> lemma or None
LemmaGuesser = Callable[[str, str, str], str | None]


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

    __slots__ = ("_exceptions", "_feat_sfx", "_guess", "_guess_lemma", "_lemma_sfx", "_lex",
                 "_respell")

    def __init__(
        self,
        lex: Mapping[str, Mapping[str, tuple[str, Feats]]],
        lemma_sfx: Mapping[str, Mapping[str, tuple[int, str]]],
        feat_sfx: Mapping[str, Mapping[str, Feats]],
        guess: Guesser | None = None,
        exceptions: Mapping[str, Mapping[str, str]] | None = None,
        respell: Respeller | None = None,
        guess_lemma: LemmaGuesser | None = None,
    ) -> None:
        self._respell = respell
        self._guess_lemma = guess_lemma
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
        if lemma is None and self._guess_lemma is not None:
            lemma = self._guess_lemma(word, low, upos)
        ruled = lemma is None
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
        elif (ruled and self._respell is not None and upos in _VERBS
              and not self._respell.known(lemma)):
            lemma = self._respell(self._rule_lemmas(low, rules), low) or lemma
        return lemma, feats or ()

    @staticmethod
    def _rule_lemmas(low: str, rules: Mapping[str, tuple[int, str]]) -> list[str]:
        """The lemma each known ending's rule gives, longest ending first."""
        return [apply_rule(low, rules[low[-k:]])
                for k in range(min(MAX_SUFFIX, len(low) - 1), 0, -1) if low[-k:] in rules]


_VERBS = ("VERB", "AUX")
