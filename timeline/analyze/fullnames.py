"""Names in their full form: the form a document first gives a person, place or body.

News names someone in full once ("Kim Jong Un", "Angela Merkel", "European Central Bank")
and shortly after ("Kim", "Jong-un", "Merkel", "ECB"). A later (or earlier) short form is read
as the first full form whose words contain all of its words, or whose initials it spells; a
Russian name is compared in the nominative, so "с Путиным" finds "Владимир Путин". Nothing
here lists people: the evidence is the document's own name chunks.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from timeline.analyze.document import Analysed, Name, Token
from timeline.analyze.rucase import name_case, nominative

_WORD_SPLIT = re.compile(r"[\s\-‐]+")
_Full = tuple[tuple[str, ...], str, str, str]  # words, form, label, initials


def name_words(tokens: Sequence[Token], name: Name, lang: str) -> list[str]:
    """The words of a name chunk, each in the nominative for Russian."""
    toks = [t for t in tokens[name.first:name.end] if t.upos != "PUNCT"]
    if lang == "ru":
        tagged = next((t.feat("Case") for t in toks if t.feat("Case")), None)
        case = name_case([t.text for t in toks], tagged)
        return [nominative(t.text, case) for t in toks]
    return [t.text for t in toks]


def _parts(words: Sequence[str]) -> tuple[str, ...]:
    out: list[str] = []
    for w in words:
        out.extend(p for p in _WORD_SPLIT.split(w.lower().rstrip(".")) if p)
    return tuple(out)


def _initials(words: Sequence[str]) -> str:
    return "".join(w[0] for w in words if w[:1].isupper())


def _compatible(a: str, b: str) -> bool:
    return a == b or "OTHER" in (a, b)


def _find_full(parts: tuple[str, ...], text: str, label: str,
               fulls: Sequence[_Full]) -> str | None:
    """The first full form that contains every word of a short one, a surname match first
    (a short form that ends a full one), or whose initials the short form spells."""
    if not parts:
        return None
    contained = [f for f in fulls if len(f[0]) > len(parts) and _compatible(label, f[2])
                 and all(p in f[0] for p in parts)]
    if contained:
        surname = [f for f in contained if f[0][-1] == parts[-1]]
        return (surname or contained)[0][1]
    if text.isupper() and 2 <= len(text) <= 6 and text.isalpha():
        for f_parts, full, f_label, initials in fulls:
            if len(f_parts) == len(text) and initials == text and _compatible(label, f_label):
                return full
    return None


def _entries(doc: Analysed, names: Sequence[Name]
             ) -> tuple[list[tuple[Name, str, tuple[str, ...]]], list[_Full]]:
    """Each name with its form and words, and the full forms in text order (first spelling
    kept)."""
    entries = []
    for name in names:
        words = name_words(doc.tokens, name, doc.lang)
        entries.append((name, " ".join(words), _parts(words)))
    fulls: list[_Full] = []
    seen: set[tuple[str, ...]] = set()
    for name, form, parts in entries:  # the full forms in text order, first spelling kept
        if len(parts) > 1 and parts not in seen:
            seen.add(parts)
            fulls.append((parts, form, name.label, _initials(form.split())))
    return entries, fulls


def _full_of(name: Name, form: str, parts: tuple[str, ...], fulls: Sequence[_Full]) -> str:
    full = _find_full(parts, name.text, name.label, fulls)
    if full is None:
        full = next((f[1] for f in fulls if f[0] == parts), form)
    return full


def compute(doc: Analysed, names: Sequence[Name]) -> dict[str, str]:
    """Short form (as written) -> the first full form, for every name whose full form
    differs from what is written (inflected Russian forms map to the nominative)."""
    entries, fulls = _entries(doc, names)
    out: dict[str, str] = {}
    done: set[tuple[str, str, str]] = set()  # a name repeated finds the same full form
    for name, form, parts in entries:
        if name.text in out:
            continue  # only its first full form counts
        key = (name.text, name.label, form)  # parts are form's words
        if key in done:
            continue
        done.add(key)
        full = _full_of(name, form, parts, fulls)
        if full != name.text:
            out.setdefault(name.text, full)
    return out


class Lookup:
    """``compute``'s answer for one name at a time, each found when first asked: the same
    full form (a name's entries are read in text order, as ``compute`` reads them), without
    looking up the names nobody asks for."""

    def __init__(self, doc: Analysed, names: Sequence[Name]) -> None:
        entries, self._fulls = _entries(doc, names)
        self._by_text: dict[str, list[tuple[Name, str, tuple[str, ...]]]] = {}
        for entry in entries:
            self._by_text.setdefault(entry[0].text, []).append(entry)
        self._found: dict[str, str] = {}

    def get(self, text: str) -> str:
        """The full form of a name as written, itself when it has none."""
        got = self._found.get(text)
        if got is None:
            got = self._found[text] = self._look(text)
        return got

    def _look(self, text: str) -> str:
        done: set[tuple[str, str]] = set()
        for name, form, parts in self._by_text.get(text, ()):
            if (name.label, form) in done:
                continue
            done.add((name.label, form))
            full = _full_of(name, form, parts, self._fulls)
            if full != text:
                return full
        return text
