"""Verb stems that change inside the word: a suffix rule's lemma checked against known verbs.

The suffix rules (``morph``) rewrite the end of a word only, so a verb whose stem changes
with its ending cannot be reached by them: Spanish "eligieron" takes the rule of "-ieron"
("escribieron" -> "escribir") and gives "eligir", "vuelven" gives "vuelvir", "estuvo" gives
"estener". The alternations of the stem are a small closed set of the grammar (e -> i,
o -> ue, e -> ie; -zc-, -g-, -y-; the strong stems of the preterite and the future:
pus-/pon-, tuv-/ten-, tendr-/ten-), kept as data in resources/<lang>/analyze.toml
(``stem_vowels``, ``stem_endings``). A rule's lemma that is a verb of the training data stands;
one that is not is respelled: each candidate lemma (from the rules of the word's endings,
longest first), with the stem's last vowel and then its end turned back, under each
infinitive ending, until one is a verb the treebank has ("elegir", "volver", "estar"). When
none is, the rule's lemma stands: an unknown verb is spelt as the rules spell it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

VOWELS = frozenset("aeiouáéíóúü")


def _vowel_variants(stem: str, pairs: Sequence[tuple[str, str]]) -> list[str]:
    """The stem with its last vowel group turned back ("elig" -> "eleg", "vuelv" -> "volv")."""
    out = []
    for a, b in pairs:
        i = stem.rfind(a)
        rest = stem[i + len(a):].replace("gu", "g").replace("qu", "q")  # "sigu": u spells g
        if i < 1 or any(c in VOWELS for c in rest):
            continue  # not the stem's last vowel, or the whole word's first letter
        if i > 0 and stem[i - 1] in VOWELS and len(a) == 1:
            continue  # part of a longer vowel group ("ue", "ie"): its own pair handles it
        out.append(stem[:i] + b + stem[i + len(a):])
    return out


def _end_variants(stem: str, pairs: Sequence[tuple[str, str]]) -> list[str]:
    """The stem with its end turned back ("conozc" -> "conoc", "tuv" -> "ten")."""
    return [stem[: len(stem) - len(a)] + b for a, b in pairs
            if stem.endswith(a) and len(stem) > len(a) - (1 if b else 0)]


class Respeller:
    """Turns a suffix rule's unknown verb lemma into a known one where the stem changed."""

    __slots__ = ("_endings", "_ends", "_known", "_vowels")

    def __init__(self, known: Iterable[str], endings: Sequence[str],
                 vowels: Sequence[tuple[str, str]], ends: Sequence[tuple[str, str]]) -> None:
        self._known = frozenset(known)
        self._endings = tuple(endings)
        self._vowels = tuple(vowels)
        self._ends = tuple(ends)

    def known(self, lemma: str) -> bool:
        return lemma in self._known

    def __call__(self, candidates: Sequence[str], form: str = "") -> str | None:
        """The first known verb among the candidates' respellings, or None.

        Then, if none is, the form less its last one to three letters, respelled by a strong
        stem only (an end of two letters or more: "estuv-o" -> "est-ar", "tendr-án" ->
        "ten-er"): a rule keyed on a vowel ending leaves such a form unchanged.
        """
        for cand in candidates:
            ending = next((e for e in self._endings if cand.endswith(e)), None)
            if ending is None:
                continue
            stem = cand[: -len(ending)]
            stems = [stem, *_vowel_variants(stem, self._vowels)]
            stems += [s for v in list(stems) for s in _end_variants(v, self._ends)]
            got = self._first(stems, [ending, *(e for e in self._endings if e != ending)])
            if got:
                return got
        strong = [(a, b) for a, b in self._ends if len(a) >= 2]
        for k in range(1, min(3, len(form) - 2) + 1):
            got = self._first(_end_variants(form[:-k], strong), self._endings)
            if got:
                return got
        return None

    def _first(self, stems: Sequence[str], endings: Sequence[str]) -> str | None:
        for e in endings:
            for s in stems:
                if s and s + e in self._known:
                    return s + e
        return None


def respeller(data: dict[str, object], known: Iterable[str]) -> Respeller | None:
    """The respeller a language's analyze.toml describes, if it has stem alternations."""
    endings = data.get("infinitive_endings")
    if not endings:
        return None

    def pairs(key: str) -> list[tuple[str, str]]:
        return [(str(a), str(b)) for a, b in data.get(key, [])]  # type: ignore[attr-defined]

    return Respeller(known, [str(e) for e in endings],  # type: ignore[attr-defined]
                     pairs("stem_vowels"), pairs("stem_endings"))
