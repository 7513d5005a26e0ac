"""Tokens and sentences: one regular expression per language, offsets into the text as given.

Follows the UD conventions of the treebanks we train on where that is cheap: English clitics
split off ("do" + "n't", "company" + "'s"), English and Spanish hyphenated compounds split at
the hyphen, Russian ones kept whole ("из-за", "Нью-Йорк"); Spanish "del"/"al" and verb
clitics stay one surface token (their parts do not spell the text, so no substring can carry
them). Every token is a slice of the input: ``text[start:end]`` is the token.
"""

from __future__ import annotations

import functools
import re

from timeline.analyze.resources import lists

_URL = r"(?:https?://|www\.)[^\s<>\"«»]*[^\s<>\"«».,;:!?)\]']"
_EMAIL = r"[\w.+-]++@[\w-]+(?:\.[\w-]+)+"
_NUMBER = r"\d+(?:[.,:/]\d+)+"
_INITIALS = r"(?:[^\W\d_]\.){2,}"
_INITIAL = r"(?<![\w.])[^\W\d_a-zа-яё]\.(?=[ \t]*[^\W\d_])"
_ENTITY = r"&(?:#\d+|[a-zA-Z]+);"
# a run of one punctuation mark is one token ("...", "--", "***", "``"), as UD writes them
_PUNCT = r"(?P<p>[^\w\s]|_)(?P=p)+|[!?]{2,}|[^\w\s]|_"
# English words take their apostrophes; tokenize() splits the clitics off afterwards (a
# look-ahead for "n't" in the pattern itself costs a backtrack on every word)
_EN_WORD = r"[^\W_]+(?:['’][^\W_]+)*|['’](?:s|re|ve|ll|d|m)\b"
_EN_CLITIC = re.compile(r"(?i)(?<=[^\W\d_])(?:n['’]t|['’](?:s|re|ve|ll|d|m))$")
_ES_WORD = r"[^\W_]+"
_RU_WORD = r"[^\W_](?:[^\W_]|[\u0300-\u036f])*(?:-[^\W_]+)*"  # stress marks stay inside
_WORDS = {"en": _EN_WORD, "es": _ES_WORD, "ru": _RU_WORD}

# a sentence ends at a run of final punctuation, optionally closed by quotes or brackets
_FINAL = frozenset([".", "!", "?", "…", "...", "?!", "!?", "!!", "??", "...."])
_CLOSERS = frozenset(['"', "”", "»", "’", "'", ")", "]"])
_SPAN = re.Match.span


@functools.cache
def _pattern(lang: str) -> re.Pattern[str]:
    words = lists(lang)
    parts = [_URL, _EMAIL, _ENTITY, _NUMBER, _INITIALS]
    if words.join_abbreviations:
        abbrevs = sorted(words.abbreviations, key=len, reverse=True)
        parts.append(r"(?<![\w.])(?:" + "|".join(re.escape(a) for a in abbrevs) + r")\.")
    parts += [_INITIAL, _WORDS[lang], _PUNCT]
    return re.compile("|".join(parts), re.IGNORECASE if lang == "ru" else 0)


def tokenize(text: str, lang: str) -> list[tuple[int, int]]:
    """Character spans of the tokens of ``text``."""
    spans = list(map(_SPAN, _pattern(lang).finditer(text)))
    if lang != "en" or ("'" not in text and "’" not in text):
        return spans
    out: list[tuple[int, int]] = []
    for s, e in spans:
        m = _EN_CLITIC.search(text, s, e) if e - s > 2 else None
        if m is None:
            out.append((s, e))
        else:
            out += [(s, m.start()), (m.start(), e)]
    return out


def sentences(text: str, spans: list[tuple[int, int]], lang: str,
              words: list[str] | None = None) -> list[tuple[int, int]]:
    """Split token spans into sentences: (first token, end token) index pairs.

    A sentence ends after final punctuation (and any closing quotes) when the next token does
    not start with a lower-case letter, and at every line break: headlines and list items
    carry no full stop. A full stop after an abbreviation written apart ("г" ".") ends none.
    ``words``: the tokens' texts, when the caller has them already.
    """
    abbreviations = lists(lang).abbreviation_set
    if words is None:
        words = [text[s:e] for s, e in spans]
    out: list[tuple[int, int]] = []
    first = 0
    n = len(spans)
    i = 0
    while i < n:
        s, e = spans[i]
        tok = words[i]
        end = 0
        if tok in _FINAL and not (
            tok == "." and i and words[i - 1].lower() in abbreviations
            and spans[i - 1][1] == s
        ):
            j = i + 1
            while j < n and words[j] in _CLOSERS and spans[j][0] == e:
                e = spans[j][1]
                j += 1
            if j >= n or not text[spans[j][0]].islower():
                end = j
        elif i + 1 < n and "\n" in text[e : spans[i + 1][0]]:
            end = i + 1
        if end:
            out.append((first, end))
            first = end
            i = end
            continue
        i += 1
    if first < n:
        out.append((first, n))
    return out
