"""The analysed document: immutable tokens, sentences and names over the text as given.

Later stages read this object instead of re-reading characters; every offset is into the
original text, so a span found here can be reported, highlighted or stored as is.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import attrs

Feats = tuple[tuple[str, str], ...]


class Token(NamedTuple):
    """A word or punctuation mark; ``text[start:end] == token.text``."""

    i: int
    text: str
    start: int
    end: int
    lemma: str
    upos: str
    feats: Feats
    sent: int

    def feat(self, name: str) -> str | None:
        """A UD feature value ('Tense' -> 'Past'), None when unmarked."""
        for k, v in self.feats:
            if k == name:
                return v
        return None


class Sentence(NamedTuple):
    """Tokens ``first`` to ``end - 1``; characters ``start`` to ``stop``."""

    first: int
    end: int
    start: int
    stop: int


class Name(NamedTuple):
    """A name chunk: tokens ``first`` to ``end - 1`` typed PERSON, ORG, PLACE or OTHER."""

    first: int
    end: int
    start: int
    stop: int
    text: str
    label: str


@attrs.frozen
class Analysed:
    """One document after analysis."""

    text: str
    lang: str
    tokens: tuple[Token, ...]
    sentences: tuple[Sentence, ...]
    names: tuple[Name, ...]
    # what later stages index from this document (openclass, phrases), built once and kept
    # with it: it lives exactly as long as the document (not part of its value)
    derived: dict[str, Any] = attrs.field(factory=dict, eq=False, repr=False)

    def sentence_tokens(self, index: int) -> tuple[Token, ...]:
        s = self.sentences[index]
        return self.tokens[s.first : s.end]

    def sentence_text(self, index: int) -> str:
        s = self.sentences[index]
        return self.text[s.start : s.stop]
