"""Noun phrases over an analysed sentence, without a parser, and the per-document index.

A noun phrase is a run of determiners, adjectives, numbers and nouns (with "of"-like links
and possessives inside it), ended by a clause word, a verb or a preposition. Two name chunks
side by side are two phrases ("In Moscow Putin said"), unless the second is a genitive that
qualifies the first ("Парламент Кипра"). The index is built once per document, so the
finder stays linear in the sentence: token by offset, the name chunk of each token, the
document's full names, the explicit subject of each sentence (memoised for pro-drop).
"""

from __future__ import annotations

from operator import itemgetter
from typing import Any

from timeline.analyze import fullnames, rucase
from timeline.analyze.argwords import ArgWords, words
from timeline.analyze.document import Analysed, Name, Token
from timeline.analyze.events import Lexicon, lexicon
from timeline.analyze.resources import Lists, lists

NP_INNER = frozenset({"DET", "ADJ", "NUM", "NOUN", "PROPN"})
HEADS = frozenset({"NOUN", "PROPN", "PRON", "NUM"})
NOUNS = frozenset({"NOUN", "PROPN"})
_START, _I = itemgetter(2), itemgetter(0)  # Token.start, Token.i
MAX_NP = 8  # tokens: a "short noun phrase"; longer runs are two phrases the tagger merged


_BLOCK = 64  # tokens whose per-token words are computed together, on first read


class _PerToken(dict):  # type: ignore[type-arg]
    """Per-token values read like a list (negative indexes too, IndexError past the end),
    computed a block of tokens at a time on first read: titles read a few sentences of a
    long document, and lower-casing every token of it up front was a sixth of their cost."""

    __slots__ = ("fill", "n")

    def __init__(self, n: int, fill: Any) -> None:
        super().__init__()
        self.n = n
        self.fill = fill

    def __missing__(self, i: int) -> Any:
        if i < 0:
            if i + self.n < 0:
                raise IndexError(i)
            return self[i + self.n]
        if i >= self.n:
            raise IndexError(i)
        self.fill(i - i % _BLOCK)
        return dict.__getitem__(self, i)


class Index:
    """What every mention of one document reads: built once, read many times."""

    __slots__ = ("__weakref__", "_full", "_fulls", "_title_words", "by_start", "doc", "frames",
                 "lang", "lex", "lists", "lows", "name_of", "names", "subjects", "temporals",
                 "titles", "verb_mentions", "words")

    def __init__(self, doc: Analysed) -> None:
        self.doc = doc
        self.lang = doc.lang
        self.words: ArgWords = words(doc.lang)
        self.lex: Lexicon = lexicon(doc.lang)
        self.lists: Lists = lists(doc.lang)
        toks = doc.tokens
        self.by_start = dict(zip(map(_START, toks), map(_I, toks), strict=True))
        n = len(toks)
        self.lows = _PerToken(n, self._fill)
        self.temporals = _PerToken(n, self._fill)
        self.titles = _PerToken(n, self._fill)
        self._title_words = self.words.titles | self.lists.titles
        self.names = merged_names(doc)
        self.name_of = [-1] * n
        for k, name in enumerate(self.names):
            for i in range(name.first, name.end):
                self.name_of[i] = k
        self._full: dict[str, str] | None = None
        self._fulls: fullnames.Lookup | None = None
        self.subjects: dict[int, Any] = {}  # sentence -> its explicit subject (or None)
        self.frames: dict[int, Any] = {}  # predicate token -> its frame
        self.verb_mentions: dict[int, Any] = {}  # verb token -> its detector mention (titles)

    def _fill(self, a: int) -> None:
        """The lower-cased form of tokens a.. (a block), whether each is a temporal word and
        whether a title (the word sets of the language, read as locals)."""
        non_names, adverbials = self.lists.non_names, self.words.adverbials
        titles = self._title_words
        lows, temporals, titled = self.lows, self.temporals, self.titles
        for t in self.doc.tokens[a:a + _BLOCK]:
            i, low, lemma = t.i, t.text.lower(), t.lemma.lower()
            lows[i] = low
            temporals[i] = low in non_names or low in adverbials or lemma in non_names
            titled[i] = low in titles or lemma in titles

    @property
    def full(self) -> dict[str, str]:
        if self._full is None:
            self._full = fullnames.compute(self.doc, self.names)
        return self._full

    def full_name(self, text: str) -> str:
        """The full form of a name as written (itself when it has none): ``full`` for one
        name, each looked up when first asked (titles ask for a few names of a document)."""
        if self._full is not None:
            return self._full.get(text, text)
        if self._fulls is None:
            self._fulls = fullnames.Lookup(self.doc, self.names)
        return self._fulls.get(text)

    # --- token predicates -------------------------------------------------------------
    def tok(self, i: int) -> Token:
        return self.doc.tokens[i]

    def low(self, i: int) -> str:
        return self.lows[i]

    def temporal(self, i: int) -> bool:
        """A weekday, a month, "today": an adverbial, not a participant ("Julio" in
        "Julio Ferrán" is a name)."""
        return self.temporals[i] and self.name_of[i] < 0

    def is_title(self, i: int) -> bool:
        return self.titles[i]

    def name_break(self, left: int, right: int) -> bool:
        """Two different name chunks side by side are two phrases, unless the right one is
        a genitive qualifying the left ("Парламент Кипра")."""
        a, b = self.name_of[left], self.name_of[right]
        if a < 0 or b < 0 or a == b:
            return False
        lt, rt = self.doc.tokens[left], self.doc.tokens[right]
        return not (rt.feat("Case") == "Gen" and lt.feat("Case") != "Gen")


def _common_opener(doc: Analysed, name: Name, lowered: list[frozenset[str]]) -> bool:
    """A one-word "name" opening a sentence that the document also writes in lower case
    ("Banks will remain closed ... its banks"), or that the Russian dictionary knows only
    as a common word ("Переговоры шли"): a capital the sentence gave, not a name."""
    if name.end - name.first != 1:
        return False
    tok = doc.tokens[name.first]
    if doc.sentences[tok.sent].first != tok.i or tok.text.isupper():
        return False
    if not lowered:  # the document's lower-case words, gathered when first needed
        lowered.append(frozenset(t.text for t in doc.tokens if t.text[:1].islower()))
    if tok.text.lower() in lowered[0]:
        return True
    return doc.lang == "ru" and rucase.common_word(tok.text)


def genitive(t: Token) -> bool:
    """A Russian form that is (or, by the dictionary, can be) a genitive: the tagger's case
    on nouns after nouns slips ("план помощи" read as a locative)."""
    return t.feat("Case") == "Gen" or "Gen" in rucase.cases(t.text)


def merged_names(doc: Analysed) -> tuple[Name, ...]:
    """The document's name chunks, two Russian person chunks side by side joined when their
    words share a case ("Михаила" + "Гусева": the tagger read them in two cases), a hyphen
    part kept ("Jong-un"), a sentence's capitalised first common word dropped."""
    out: list[Name] = []
    toks = doc.tokens
    lowered: list[frozenset[str]] = []
    for name in doc.names:
        if _common_opener(doc, name, lowered):
            continue
        e = name.end  # "Jong-un", "Song-chol": a hyphen and a lower-case part belong to it
        while e + 1 < len(toks) and toks[e].text in "-‐" and toks[e].start == toks[e - 1].end \
                and toks[e + 1].start == toks[e].end and toks[e + 1].text.isalpha():
            e += 2
        if e > name.end:
            name = Name(name.first, e, name.start, toks[e - 1].end,
                        doc.text[name.start:toks[e - 1].end], name.label)
        prev = out[-1] if out else None
        if doc.lang != "ru":
            out.append(name)
            continue
        if prev is not None and prev.end == name.first and prev.label in ("PERSON", "OTHER") \
                and name.label in ("PERSON", "OTHER") and rucase.same_name(
                    prev.text.split(), name.text.split()):
            out[-1] = Name(prev.first, name.end, prev.start, name.stop,
                           doc.text[prev.start:name.stop], "PERSON")
        else:
            out.append(name)
    return tuple(out)


def np_left(ix: Index, end: int, first: int) -> int:
    """The first token of the noun phrase whose last token is ``end``."""
    toks = ix.doc.tokens
    w = ix.words
    a = end
    while a > first and end - a < MAX_NP:
        k = ix.name_of[a]
        if k >= 0 and ix.names[k].first < a:  # a name is one unit ("Song-chol")
            a = max(first, ix.names[k].first)
            continue
        cur, prev = toks[a], toks[a - 1]
        plow = prev.text.lower()
        if ix.name_of[a] >= 0 and ix.name_of[a - 1] < 0 and prev.upos not in ("DET", "ADJ") \
                and not ix.is_title(a - 1) and plow not in w.links \
                and not (ix.lang == "ru" and cur.feat("Case") == "Gen" and prev.upos in NOUNS):
            break  # before a name only its article, adjectives and titles: not "2007/08"
        if ix.lang == "ru" and prev.upos in NOUNS and cur.upos in NOUNS \
                and not genitive(cur) and ix.name_of[a] < 0:
            break  # a Russian genitive follows its head: "года вклады" is two phrases
        if cur.upos != "DET" and (prev.upos in NP_INNER or plow in w.possessives) \
                and not (ix.temporal(a - 1) and not _time_modifier(ix, a - 1, first)) \
                and not ix.name_break(a - 1, a) \
                and plow not in w.relative_pronouns:
            a -= 1
            continue
        if prev.upos == "VERB" and prev.feat("VerbForm") == "Part" and a - 2 >= first \
                and toks[a - 2].upos == "DET" and cur.upos != "DET":
            a -= 1  # "the occupied territories"
            continue
        if prev.upos == "VERB" and a - 2 >= first and modifier_verb(ix, a - 1, end + 1):
            a -= 1  # "a weekend shooting spree", "its benchmark rate"
            continue
        if plow in w.coordinators and cur.upos == "ADJ" and a - 2 >= first \
                and toks[a - 2].upos == "ADJ":
            a -= 2  # "Западной и Северной Европы"
            continue
        if plow in w.links and a - 2 >= first and toks[a - 2].upos in NP_INNER \
                and toks[a - 2].upos != "DET" and not ix.temporal(a - 2):
            a -= 2  # "the president of Cyprus", "el ministro de Finanzas"
            continue
        break
    return a


def _time_modifier(ix: Index, k: int, first: int) -> bool:
    """A time noun between an article and a noun qualifies it ("a weekend shooting spree",
    "the Monday deadline"), English only: it is no time of the clause."""
    toks = ix.doc.tokens
    return ix.lang == "en" and k - 1 >= first and toks[k - 1].upos == "DET" \
        and toks[k].upos == "NOUN" and k + 1 < len(toks) and toks[k + 1].upos in ("NOUN", "VERB")


def modifier_verb(ix: Index, k: int, stop: int) -> bool:
    """An English "verb" inside a noun phrase is a modifier the tagger misread: after a
    possessive or a glued hyphen and before a noun ("its benchmark rate", "a water-sharing
    agreement"), where no clause can start."""
    toks = ix.doc.tokens
    if ix.lang != "en" or k + 1 >= stop or toks[k].upos != "VERB" \
            or toks[k].feat("VerbForm") == "Fin" or toks[k + 1].upos != "NOUN":
        return False
    prev = toks[k - 1]
    glued = prev.text in "-‐" and prev.end == toks[k].start
    ing = toks[k].feat("VerbForm") == "Ger" or (toks[k].feat("VerbForm") == "Part"
                                                and toks[k].feat("Tense") == "Pres")
    return glued or (prev.upos == "PRON" and prev.feat("Case") == "Gen") \
        or (ing and prev.upos in ("DET", "ADJ", "NOUN") and ix.name_of[k - 1] < 0)


def _np_opening(ix: Index, start: int, stop: int, links: bool) -> int | None:
    """Where a phrase at ``start`` ends when its first word decides it (no phrase; a pronoun
    alone; a possessive before the phrase: "his first summit", "их позиция"), else None."""
    toks = ix.doc.tokens
    w = ix.words
    t = toks[start] if start < stop else None
    if t is None or ix.temporal(start) or t.text.lower() in w.relative_pronouns:
        return start
    if t.upos == "PRON" and not (start + 1 < stop and (toks[start + 1].upos in ("NOUN", "ADJ")
                                                       or modifier_verb(ix, start + 1, stop))):
        return start + 1 if t.text.lower() not in w.clitics else start
    if t.upos == "PRON":
        b = np_right(ix, start + 1, stop, links)
        return b if b > start + 1 else start + 1
    if t.upos not in NP_INNER and not modifier_verb(ix, start, stop):
        return start
    return None


def np_right(ix: Index, start: int, stop: int, links: bool = True) -> int:
    """The end (exclusive) of the noun phrase that begins at ``start``; ``start`` when none
    does. A Russian noun after the head joins it only in the genitive ("план помощи")."""
    opened = _np_opening(ix, start, stop, links)
    if opened is not None:
        return opened
    toks = ix.doc.tokens
    w = ix.words
    b = start
    headed = False
    while b < stop and b - start < MAX_NP:
        c = toks[b]
        low = c.text.lower()
        k = ix.name_of[b]
        if k >= 0 and ix.names[k].first == b and ix.names[k].end > b + 1 \
                and not (b > start and ix.name_break(b - 1, b)) \
                and not (headed and ix.lang == "ru" and c.feat("Case") != "Gen"
                         and not _titled_name(ix, start, b)):
            b = min(stop, ix.names[k].end)
            headed = True
            continue
        if (c.upos in NP_INNER or (c.upos == "VERB" and modifier_verb(ix, b, stop))) \
                and not ix.temporal(b) and not (b > start and ix.name_break(b - 1, b)):
            if c.upos == "DET" and b > start:
                break
            if headed and c.upos in NOUNS and ix.lang == "ru" and not genitive(c) \
                    and ix.name_of[b] != ix.name_of[b - 1] and not _titled_name(ix, start, b):
                break
            if headed and c.upos == "ADJ" and ix.lang == "en" and _noun_before(toks, start, b):
                break  # "told reporters late Wednesday": English adjectives come first
                # (a number or a hyphened modifier is no head: "two short-range missiles")
            if headed and c.upos == "ADJ" and ix.lang == "ru":
                nxt = toks[b + 1] if b + 1 < stop else None
                if nxt is None or nxt.feat("Case") != "Gen":
                    break
            headed = headed or c.upos in HEADS
            b += 1
        elif low in w.possessives and headed:
            b += 1
        elif c.text == "%" and headed and toks[b - 1].upos == "NUM":
            b += 1
        elif c.text in "-‐" and b > start and b + 1 < stop and toks[b - 1].end == c.start \
                and toks[b + 1].start == c.end and toks[b + 1].text.isalnum():
            b += 2  # "the five-year period"
        elif links and headed and low in w.links and b + 1 < stop:
            e = np_right(ix, b + 1, stop, links=False)
            if e == b + 1 or all(toks[m].upos == "NUM" for m in range(b + 1, e)):
                break  # "las primarias del 13 de agosto": the day is no part of the phrase
            b = e
        else:
            break
    while b > start and toks[b - 1].upos == "DET":
        b -= 1
    if b < stop and ix.temporal(b) and all(toks[m].upos in ("NUM", "DET", "ADJ")
                                           for m in range(start, b)):
        return start  # "dos días", "nine months": a time
    return b if headed else start


def _noun_before(toks: tuple[Token, ...], start: int, b: int) -> bool:
    """A noun or pronoun in [start, b) that is not the last part of a hyphened modifier."""
    return any(toks[m].upos in NOUNS or toks[m].upos == "PRON" for m in range(start, b)
               if not (m > start and toks[m - 1].text in "-‐"
                       and toks[m - 1].end == toks[m].start))


def _titled_name(ix: Index, start: int, b: int) -> bool:
    """A person named after a title in one phrase: "министр финансов Пётр Орлов"."""
    k = ix.name_of[b]
    return k >= 0 and ix.names[k].first == b and ix.names[k].label == "PERSON" \
        and any(ix.is_title(m) for m in range(start, b))


def coordinated_right(ix: Index, a: int, b: int, stop: int) -> int:
    """Extend a name phrase over "and" + another name ("Путина и Кима")."""
    while b + 1 < stop and ix.low(b) in ix.words.coordinators and ix.name_of[b - 1] >= 0 \
            and ix.name_of[b + 1] >= 0:
        e = np_right(ix, b + 1, stop, links=False)
        if e == b + 1:
            break
        b = e
    return b


def coordinated_left(ix: Index, a: int, first: int, end: int = -1) -> int:
    """Extend a name phrase leftwards over another name + "and" ("Putin and Kim met"),
    a titled one included ("President Vladimir Putin and North Korean leader Kim Jong Un
    met": the phrase ends in a name, and a capitalised word the tagger left out of it,
    "North", is part of it)."""
    while True:
        c = a - 1
        k = ix.name_of[end] if end > a else -1
        named = ix.name_of[a] >= 0 or (k >= 0 and ix.names[k].end == end + 1
                                        and ix.names[k].label == "PERSON"
                                        and any(ix.is_title(m) for m in range(a, end)))
        if named and c - 1 >= first and ix.low(c) not in ix.words.coordinators \
                and ix.tok(c).text[:1].isupper() and ix.name_of[c] < 0 \
                and ix.tok(c).upos in ("ADV", "ADJ", "PROPN", "NOUN"):
            c -= 1  # "and North Korean leader Kim": "North" read as an adverb
        if not (named and c - 1 >= first and ix.low(c) in ix.words.coordinators
                and ix.name_of[c - 1] >= 0):
            return a
        end = c - 1
        a = np_left(ix, c - 1, first)


def index(doc: Analysed) -> Index:
    """The index of a document, built on first use and kept with it (``doc.derived``)."""
    ix = doc.derived.get("phrases")
    if ix is None:
        ix = doc.derived["phrases"] = Index(doc)
    return ix
