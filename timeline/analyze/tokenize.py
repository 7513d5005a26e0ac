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
from bisect import bisect_right
from operator import itemgetter

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
_APOSTROPHE = re.compile("['’]")
_BREAKS = re.compile("[.!?…\n]")  # every character of a final mark, and a line break
_FIRST = itemgetter(0)


@functools.cache
def _pattern(lang: str, emails: bool = True) -> re.Pattern[str]:
    """The language's token pattern; `emails` False: without the e-mail alternative, which
    cannot match in a text with no "@" and costs a fifth of the scan (it reads every word
    start to its end looking for one)."""
    words = lists(lang)
    parts = [_URL, *([_EMAIL] if emails else []), _ENTITY, _NUMBER, _INITIALS]
    if words.join_abbreviations:
        abbrevs = sorted(words.abbreviations, key=len, reverse=True)
        parts.append(r"(?<![\w.])(?:" + "|".join(re.escape(a) for a in abbrevs) + r")\.")
    parts += [_INITIAL, _WORDS[lang], _PUNCT]
    return re.compile("|".join(parts), re.IGNORECASE if lang == "ru" else 0)


def tokenize(text: str, lang: str) -> list[tuple[int, int]]:
    """Character spans of the tokens of ``text``."""
    spans = list(map(_SPAN, _pattern(lang, "@" in text).finditer(text)))
    if lang != "en" or ("'" not in text and "’" not in text):
        return spans
    # every clitic holds an apostrophe: only the tokens around one are searched
    marked = sorted({bisect_right(spans, a.start(), key=_FIRST) - 1
                     for a in _APOSTROPHE.finditer(text)})
    out: list[tuple[int, int]] = []
    done = 0
    for k in marked:
        if k < 0:
            continue
        s, e = spans[k]
        m = _EN_CLITIC.search(text, s, e) if e - s > 2 else None
        if m is not None:
            out += spans[done:k]
            out += [(s, m.start()), (m.start(), e)]
            done = k + 1
    if not done:
        return spans
    out += spans[done:]
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
    # only a final mark or a line break after a token can end a sentence: those tokens are
    # found from the characters, not by visiting every token
    where = [bisect_right(spans, m.start(), key=_FIRST) - 1 for m in _BREAKS.finditer(text)]
    i = 0
    for k in sorted(set(where)):
        if k < i or k < 0:
            continue
        s, e = spans[k]
        tok = words[k]
        end = 0
        if tok in _FINAL and not (
            tok == "." and k and words[k - 1].lower() in abbreviations
            and spans[k - 1][1] == s
        ):
            j = k + 1
            while j < n and words[j] in _CLOSERS and spans[j][0] == e:
                e = spans[j][1]
                j += 1
            if j >= n or not text[spans[j][0]].islower():
                end = j
        elif k + 1 < n and "\n" in text[e : spans[k + 1][0]]:
            end = k + 1
        if end:
            out.append((first, end))
            first = i = end
    if first < n:
        out.append((first, n))
    return out
