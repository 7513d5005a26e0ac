"""CoNLL-U reading: UD treebank text into surface tokens with gold annotation.

Our tokens are substrings of the text (``text[start:end] == token``), while UD annotates
syntactic words. A multiword token whose parts spell it ("didn't" = "did" + "n't") becomes its
parts; one whose parts do not ("del" = "de" + "el", "darle" = "dar" + "le") stays one surface
token carrying its first part's annotation. Training and measuring both go through this view,
so what is measured is what the analyser is asked to do.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import NamedTuple


class GoldToken(NamedTuple):
    """One surface token of a treebank sentence with its gold annotation."""

    form: str
    lemma: str
    upos: str
    feats: str
    space_after: bool


class GoldSentence(NamedTuple):
    """A treebank sentence: its raw text and its surface tokens."""

    text: str
    tokens: tuple[GoldToken, ...]


def _word(cols: list[str], space_after: bool) -> GoldToken:
    return GoldToken(cols[1], cols[2], cols[3], cols[5], space_after)


def _sentence(text: str, lines: list[list[str]]) -> GoldSentence:
    tokens: list[GoldToken] = []
    i = 0
    while i < len(lines):
        cols = lines[i]
        space_after = "SpaceAfter=No" not in cols[9]
        if "-" in cols[0]:
            first, last = (int(x) for x in cols[0].split("-"))
            parts = lines[i + 1 : i + 2 + last - first]
            if "".join(p[1] for p in parts) == cols[1]:
                tokens.extend(_word(p, False) for p in parts[:-1])
                tokens.append(_word(parts[-1], space_after))
            else:
                head = parts[0]
                tokens.append(GoldToken(cols[1], head[2], head[3], head[5], space_after))
            i += 1 + len(parts)
            continue
        if "." not in cols[0]:
            tokens.append(_word(cols, space_after))
        i += 1
    return GoldSentence(text, tuple(tokens))


def read_conllu(data: str) -> Iterator[GoldSentence]:
    """Yield the sentences of a CoNLL-U document (given as a string, not a path: pure)."""
    text = ""
    lines: list[list[str]] = []
    for line in data.splitlines():
        if not line:
            if lines:
                yield _sentence(text, lines)
            text, lines = "", []
        elif line.startswith("# text = "):
            text = line[9:]
        elif not line.startswith("#"):
            lines.append(line.split("\t"))
    if lines:
        yield _sentence(text, lines)


def gold_spans(sentence: GoldSentence) -> list[tuple[int, int]]:
    """Character spans of the gold tokens in the sentence text (for tokenisation F1)."""
    spans: list[tuple[int, int]] = []
    pos = 0
    for tok in sentence.tokens:
        start = sentence.text.find(tok.form, pos)
        if start < 0:  # the treebank normalised the form; skip it rather than guess
            continue
        spans.append((start, start + len(tok.form)))
        pos = start + len(tok.form)
    return spans
