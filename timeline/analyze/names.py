"""Name chunks: runs of proper nouns, typed PERSON / ORG / PLACE / OTHER from local evidence.

A heuristic until a trained recogniser replaces it. The evidence is data
(timeline/resources/<lang>/analyze.toml): a title before the run ("President", "министр")
makes a person and is left out of the name; an organisation word inside ("Bank", "Ministry",
"банк") an organisation; a place word inside ("North", "Island", "космодром") or a place
preposition before ("in", "en", "в") a place. A run of two to four title-case words with no
other evidence is a person (news names people in full on first mention); a later mention of
a typed name, or of a person's last word, inherits the type.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from itertools import compress, repeat
from operator import and_, getitem, itemgetter

from timeline.analyze.document import Name, Token
from timeline.analyze.resources import Lists


def common_noun(lang: str, low: str) -> bool:
    """Whether the language's lexicon lists a word only as a common noun (English: the
    lexicon the tagger ships; other languages have none, and nothing is one)."""
    from timeline.analyze.model import load

    classes = load(lang).listed.get(low, "")
    return "NOUN" in classes.split("|") and "PROPN" not in classes.split("|")


def _plural_head(tokens: Sequence[Token], i: int, lang: str) -> bool:
    """A plural common noun opening a sentence before names is the head of an apposition
    ("Friends Putin and Kim", "Rivals Biden and Trump"), not part of a name: the capital is
    the sentence's, and the lexicon knows the word and its singular as common nouns."""
    tok = tokens[i]
    low = tok.text.lower()
    opening = i == 0 or tokens[i - 1].sent != tok.sent or tokens[i - 1].upos == "PUNCT"
    return (opening and low.endswith("s") and i + 1 < len(tokens)
            and tokens[i + 1].sent == tok.sent and tokens[i + 1].upos == "PROPN"
            and common_noun(lang, low) and common_noun(lang, low[:-1]))


def _cue(tok: Token, lang: str) -> str:
    return tok.lemma.lower() if lang == "ru" else tok.text.lower()


_CAPITAL_WORDS = frozenset({"NOUN", "ADJ", "X"})
_TEXT, _SENT = itemgetter(1), itemgetter(7)  # Token.text, Token.sent
_FIRST = slice(0, 1)


def _headlines(sents: list[int], alpha: list[bool], upper: list[bool]) -> frozenset[int]:
    """Sentences written in title case, where a capital says nothing about a word (each
    token's sentence, and whether its first character is a letter, an upper-case one)."""
    words = Counter(compress(sents, alpha))
    caps = Counter(compress(sents, map(and_, alpha, upper)))
    return frozenset(s for s, n in words.items() if n > 2 and caps[s] > n / 2)


def _capitalised_inside(tokens: Sequence[Token], i: int, headlines: frozenset[int]) -> bool:
    """A capitalised noun or adjective inside running text ("International Business
    Machines said"): the tagger may miss a name it never saw, the capital does not."""
    tok = tokens[i]
    return (tok.upos in _CAPITAL_WORDS and tok.text[:1].isupper() and tok.text[1:2].islower()
            and i > 0 and tokens[i - 1].sent == tok.sent and tok.sent not in headlines
            and tokens[i - 1].upos != "PUNCT")


def _is_name_word(tok: Token, lists: Lists, inside: bool = False) -> bool:
    """A capitalised proper noun, or a capitalised organisation or place word.

    News writes names with capitals: a lower-case word the tagger called a proper noun
    (a verb after a run of names, "Kim Jong Un met") ends the run.
    """
    if not tok.text[:1].isupper():
        return False
    if tok.upos == "PROPN" or inside:
        return True
    low = tok.text.lower()
    return low in lists.org_words or low in lists.place_words


def _runs(tokens: Sequence[Token], lists: Lists, lang: str) -> list[tuple[int, int]]:
    runs: list[tuple[int, int]] = []
    n = len(tokens)
    end = 0
    # what each token's first character is, without a Python loop over the tokens
    firsts = list(map(getitem, map(_TEXT, tokens), repeat(_FIRST)))
    upper = list(map(str.isupper, firsts))
    heads = _headlines(list(map(_SENT, tokens)), list(map(str.isalpha, firsts)), upper)
    for i in compress(range(n), upper):
        tok = tokens[i]
        if i < end:
            continue
        if tok.upos != "PROPN" and not (_capitalised_inside(tokens, i, heads) and i + 1 < n
                                        and _capitalised_inside(tokens, i + 1, heads)):
            continue  # a capitalised common word starts a name only with another after it
        if _plural_head(tokens, i, lang):
            continue
        a = i  # capitalised organisation or place words before the proper noun join it
        while a > end and tokens[a - 1].sent == tok.sent:
            if _plural_head(tokens, a - 1, lang):
                break
            if _is_name_word(tokens[a - 1], lists):
                a -= 1
            elif (
                a - 2 >= end
                and tokens[a - 1].text in lists.connectors
                and tokens[a - 2].sent == tok.sent
                and tokens[a - 2].upos != "PROPN"
                and _is_name_word(tokens[a - 2], lists)
            ):
                a -= 2
            else:
                break
        j = i + 1
        while j < n and tokens[j].sent == tok.sent:
            if _is_name_word(tokens[j], lists, _capitalised_inside(tokens, j, heads)):
                j += 1
            elif (
                tokens[j].text in lists.connectors
                and j + 1 < n
                and _is_name_word(tokens[j + 1], lists)
            ):
                j += 2
            else:
                break
        end = j
        if j - a == 1 and _cue(tok, lang) in lists.non_names:
            continue
        runs.append((a, j))
    return runs


def _label(tokens: Sequence[Token], a: int, b: int, titled: bool, lists: Lists, lang: str) -> str:
    if titled:
        return "PERSON"
    words = [t.text.lower() for t in tokens[a:b]]
    if lang == "ru":  # the cues are the lemmas; elsewhere the words themselves
        words += [t.lemma.lower() for t in tokens[a:b]]
    if not lists.org_words.isdisjoint(words):
        return "ORG"
    if not lists.place_words.isdisjoint(words):
        return "PLACE"
    if a and _cue(tokens[a - 1], lang) in lists.place_prepositions:
        return "PLACE"
    if 2 <= b - a <= 4 and all(t.text.isalpha() and t.text.istitle() for t in tokens[a:b]):
        return "PERSON"
    return "OTHER"


def _split(
    tokens: Sequence[Token], a: int, b: int, lists: Lists, lang: str
) -> list[tuple[int, int, bool]]:
    """A run as (first, end, titled) parts: a title inside it separates what it qualifies
    ("U.S." in "U.S. President Joe Biden") from the holder, and is in neither part."""
    titled = a > 0 and _cue(tokens[a - 1], lang) in lists.titles
    if b - a == 1 and (lang != "ru" or not titled):
        return [(a, b, titled)]  # one word: nothing to split
    last = max((k for k in range(a, b - 1) if _cue(tokens[k], lang) in lists.titles), default=-1)
    parts: list[tuple[int, int, bool]] = []
    if last >= 0:
        head = [k for k in range(a, last) if _cue(tokens[k], lang) not in lists.titles]
        if head:
            parts.append((head[0], head[-1] + 1, False))
        a, titled = last + 1, True
    if titled and lang == "ru":
        # "президент США Владимир Путин": the genitive (or abbreviation) after a title is the
        # country of the title, not its holder
        k = a
        while k < b and (tokens[k].feat("Case") == "Gen" or tokens[k].text.isupper()):
            k += 1
        if k > a:
            parts.append((a, k, False))
            if k == b:
                return parts
            a = k
    if lang == "ru":  # words of one name agree in case ("Джо Байден", "Джо Байдена"): a
        # genitive beside a non-genitive, or an abbreviation beside a word, starts another
        for k in range(a + 1, b):
            c1, c2 = tokens[k - 1].feat("Case"), tokens[k].feat("Case")
            genitive_change = bool(c1 and c2) and (c1 == "Gen") != (c2 == "Gen")
            if genitive_change or tokens[k - 1].text.isupper() != tokens[k].text.isupper():
                parts.append((a, k, False))
                a = k
    parts.append((a, b, titled))
    return parts


def _key(tokens: Sequence[Token], a: int, b: int) -> str:
    return " ".join(t.lemma.lower() for t in tokens[a:b])


def chunk(text: str, tokens: Sequence[Token], lists: Lists, lang: str) -> tuple[Name, ...]:
    """The name chunks of an analysed document, in text order."""
    found: list[tuple[int, int, str]] = []
    for ra, rb in _runs(tokens, lists, lang):
        for a, b, titled in _split(tokens, ra, rb, lists, lang):
            found.append((a, b, _label(tokens, a, b, titled, lists, lang)))
    known: dict[str, str] = {}
    keys = [_key(tokens, a, b) for a, b, _label in found]
    for (a, b, label), key in zip(found, keys, strict=True):
        if label != "OTHER":
            known.setdefault(key, label)
            if label == "PERSON" and b - a > 1:
                known.setdefault(_key(tokens, b - 1, b), label)
    out = []
    new = tuple.__new__  # Name(...) without its Python-level __new__
    for (a, b, label), key in zip(found, keys, strict=True):
        if label == "OTHER":
            label = known.get(key, label)
        start, stop = tokens[a].start, tokens[b - 1].end
        out.append(new(Name, (a, b, start, stop, text[start:stop], label)))
    return tuple(out)
