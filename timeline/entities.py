"""Entities: the people, organisations and places the documents name, as records.

Two steps, both pure. Within a document (`mentions`): the analysis layer's typed name chunks;
a surname, a first word or an acronym the document also writes in full names that person
or body ("Kim" after "Kim Jong Un", "IBM" after "International Business Machines"): each
mention carries its document-local name (`local`). Across documents (`link`): local names
with the same key are one entity (keys: `entity_keys`: transliterated, folded, case endings
off, countries and organisations through the translation table); names of several words
whose word skeletons agree are one (Байден ~ Biden) when their last words are one
surname (`entities_across.one_family`); a name of one word joins the one
entity of several words it ends or begins, when only one such entity exists, or only one
in the stories the document belongs to (document frequency and co-occurrence decide, not
a list of people). Entity ids are readable and depend only on the name's key, so they
stay put when documents arrive.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import attrs

from timeline import entity_keys as ek
from timeline.entities_across import _compatible, _label, _where, across, one_family
from timeline.names import is_adjective, not_names

LABELS = ("PERSON", "ORG", "PLACE", "OTHER")


@attrs.frozen
class Mention:
    document: str
    start: int
    end: int
    text: str
    label: str  # PERSON | ORG | PLACE | OTHER, as the analysis typed this chunk
    language: str
    local: str  # the key of the name this mention stands for in its document


@attrs.frozen
class Entity:
    id: str
    name: str
    type: str
    aliases: tuple[str, ...]  # every spelling, the most frequent first
    mentions: int
    documents: int
    languages: tuple[str, ...]
    members: tuple[str, ...]  # local keys "doc|key" linked into it


# ------------------------------------------------------------------ within a document


def _chunks(text: str, lang: str, analysed: Any = None) -> list[tuple[int, int, str, str]]:
    """(start, end, text, label) of the names in a text: the analysis layer's typed chunks,
    or for a language it has no model of, untyped capitalized runs. `analysed` is the text's
    analysis when the caller has it already (the corpus phase analyses each document once)."""
    from timeline.analyze import LANGUAGES, analyze

    if lang in LANGUAGES:
        doc = analysed if analysed is not None else analyze(text, lang)
        chunked = {i for n in doc.names for i in range(n.first, n.end)}
        found = [(_lead(doc.tokens, n.first, n.start, chunked), n.stop, n.label)
                 for n in doc.names]
        found += _acronyms(text, found)
    else:
        from timeline.names import names

        found = [(s, e, "OTHER") for s, e, _t in names(text, 0, len(text))]
    out = []
    taken = {e for _s, e, _l in found}
    for s, e, label in found:
        s, e = _widen(text, s, e, taken)
        out.append((s, e, text[s:e], label))
    return out


@functools.cache
def _skip_words() -> frozenset[str]:
    """Titles and function words: what a name does not start with (both lists are fixed)."""
    return ek.titles() | not_names()


def _lead(tokens: Sequence[Any], first: int, start: int, chunked: set[int]) -> int:
    """A capitalized adjective or noun the chunker left before a name at the start of a
    sentence ("International Business Machines"); not an adverb ("Later Biden") or title."""
    while first > 0:
        t = tokens[first - 1]
        if t.sent != tokens[first].sent or not t.text[:1].isupper() or t.text.isupper() \
                or first - 1 in chunked \
                or t.upos not in ("ADJ", "NOUN", "PROPN") \
                or t.text.lower() in _skip_words():
            break
        opener = first - 1 == 0 or tokens[first - 2].sent != t.sent
        if opener and t.upos == "NOUN":
            break  # capitalized because it opens the sentence: "Делегация Северной Кореи"
        first, start = first - 1, t.start
    return start


_ACRONYM = re.compile(r"(?<![\w.])[A-ZА-ЯЁ]{2,6}(?![\w])")


def _acronyms(text: str, found: Sequence[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Upper-case words the chunker did not take as names ("IBM shares rose")."""
    covered = [(s, e) for s, e, _l in found]
    return [(m.start(), m.end(), "OTHER") for m in _ACRONYM.finditer(text)
            if not any(s <= m.start() < e for s, e in covered)]


_GLUED = re.compile(r"[-‐][^\W\d_]+")
_BEFORE = re.compile(r"(?<=[a-zа-яё,] )([A-ZА-ЯЁ][^\W\d_]+) $")


def _widen(text: str, s: int, e: int, taken: set[int]) -> tuple[int, int]:
    """A chunk the tokenizer cut short: "Jong-un" (a hyphen and a lower-case part), "the
    United States" (a capitalized word right before it, inside a sentence)."""
    while (m := _GLUED.match(text, e)) is not None:
        e = m.end()
    m = _BEFORE.search(text, max(0, s - 40), s)
    if m and m.end(1) not in taken and m.group(1).lower() not in _skip_words():
        s = m.start(1)
    return s, e


def _keep(name: str, lang: str) -> bool:
    """Not a title or an adjective on its own ("Russian President"), not a function word."""
    words = name.split()
    low = [w.lower().strip(".,’'") for w in words]
    if not words or all(w in not_names() or w in ek.titles() for w in low):
        return False
    if low[-1] in ek.titles() or is_adjective(words[-1], lang):
        return False
    return len(ek.word_keys(name, lang)) > 0


def _trimmed(name: str, start: int) -> tuple[str, int]:
    """Leading title and function words off: "President Putin" is Putin."""
    words = name.split(" ")
    while len(words) > 1 and words[0].lower().strip(".") in _skip_words():
        start += len(words[0]) + 1
        words = words[1:]
    return " ".join(words), start


def mentions(doc: str, text: str, lang: str, analysed: Any = None) -> list[Mention]:
    """The document's name mentions, each with the key of the name it stands for here
    (`analysed`: `analyze(text, lang)`, if the caller has it)."""
    found: list[tuple[int, int, str, str, str]] = []  # start, end, text, label, key
    for s, _e, chunk, label in _chunks(text, lang, analysed):
        got = _named(chunk, lang)
        if got is None:
            continue
        name, cut, key, typed = got
        found.append((s + cut, s + cut + len(name), name, label if typed is None else typed,
                      key))
    fulls = Counter(k for _s, _e, _t, lab, k in found
                    if k[0] != "@" and " " in k and lab != "PLACE")
    by_initials = defaultdict(set)
    for _s, _e, t, _lab, k in found:
        if k in fulls and len(ek.initials(t)) >= 2:
            by_initials[ek.initials(t)].add(k)
    out = []
    full_words = [(f, tuple(f.split())) for f in fulls]
    fuller: dict[str, str | None] = {}  # a key -> its fuller name here: one scan per key
    for s, e, name, label, key in found:
        local = key
        if key[0] != "@":
            local = _local(name, key, fulls, by_initials, full_words, fuller) or key
        out.append(Mention(doc, s, e, name, label, lang, local))
    return out


@functools.lru_cache(maxsize=100_000)
def _named(chunk: str, lang: str) -> tuple[str, int, str, str | None] | None:
    """(name, how far into the chunk it starts, key, the table's type or None) of a chunk,
    None when it is no name: the same chunks recur in every document of a story, and each
    asked the word lists and tables again."""
    name, cut = _trimmed(chunk, 0)
    if not _keep(name, lang):
        return None
    entry = ek.table_entry(name, lang)
    key = "@" + entry[0] if entry else " ".join(ek.word_keys(name, lang))
    return name, cut, key, entry[1] if entry else None


def _local(name: str, key: str, fulls: Counter[str], by_initials: Mapping[str, set[str]],
           full_words: Sequence[tuple[str, tuple[str, ...]]] | None = None,
           fuller: dict[str, str | None] | None = None) -> str | None:
    """The fuller name of this document a short mention stands for, if exactly one
    (`full_words`: each full name of `fulls` with its words; `fuller`: the answers so far)."""
    if name.isupper() and 2 <= len(name) <= 6 and len(by_initials.get(name, ())) == 1:
        return next(iter(by_initials[name]))  # "IBM" of "International Business Machines"
    if fuller is not None and key in fuller:
        return fuller[key]
    words = tuple(key.split())
    n = len(words)
    hits = [(f, fw) for f, fw in (full_words if full_words is not None
                                  else [(f, tuple(f.split())) for f in fulls])
            if len(fw) > n and f != key and _contains(fw, words)]
    got: str | None = None
    if len(hits) == 1:
        got = hits[0][0]
    else:
        ends = [f for f, fw in hits if fw[-n:] == words]  # a surname: "Kim" of "Kim Jong Un"
        got = max(ends, key=lambda f: (fulls[f], f)) if len(ends) == 1 else None
    if fuller is not None:
        fuller[key] = got
    return got


def _contains(longer: Sequence[str], shorter: Sequence[str]) -> bool:
    n = len(shorter)
    if n == 1:
        return shorter[0] in longer
    return any(tuple(longer[i:i + n]) == tuple(shorter) for i in range(len(longer) - n + 1))


# ------------------------------------------------------------------ across documents


def link(found: Iterable[Mention], stories_of: Mapping[str, set[str]] | None = None
         ) -> tuple[list[Entity], dict[tuple[str, int, int], str]]:
    """Entities over every document's mentions, and the entity id of each mention."""
    stories_of = stories_of or {}
    groups: dict[str, list[Mention]] = defaultdict(list)  # "doc|local" -> its mentions
    for m in found:
        groups[f"{m.document}|{m.local}"].append(m)
    parent = {g: g for g in groups}

    def find(g: str) -> str:
        while parent[g] != g:
            parent[g] = parent[parent[g]]
            g = parent[g]
        return g

    def union(a: str, b: str) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)

    by_key: dict[str, list[str]] = defaultdict(list)
    for g in sorted(groups):
        by_key[g.split("|", 1)[1]].append(g)
    for gs in by_key.values():  # the same key in every document: one entity
        for g in gs[1:]:
            union(gs[0], g)
    long_keys = [k for k in by_key if k[0] != "@" and " " in k]
    by_skeleton: dict[tuple[str, ...], list[str]] = defaultdict(list)
    for k in long_keys:
        by_skeleton[ek.skeletons(tuple(k.split()))].append(k)
    for ks in by_skeleton.values():  # Байден ~ Biden, Владимир Путин ~ Vladimir Putin
        for k in ks[1:]:
            if _compatible(groups, by_key[ks[0]], by_key[k]) \
                    and one_family(groups, by_key, ks[0], k):
                union(by_key[ks[0]][0], by_key[k][0])
    across(groups, by_key, long_keys, stories_of, union)
    _attach_short(groups, by_key, long_keys, stories_of, union, find)
    members: dict[str, list[str]] = defaultdict(list)
    for g in groups:
        members[find(g)].append(g)
    entities, of = [], {}
    for gs in members.values():
        ent = _entity(sorted(gs), groups)
        entities.append(ent)
        for g in gs:
            for m in groups[g]:
                of[(m.document, m.start, m.end)] = ent.id
    return sorted(entities, key=lambda e: (-e.mentions, e.id)), of


def _attach_short(groups: Mapping[str, list[Mention]], by_key: Mapping[str, list[str]],
                  long_keys: Sequence[str], stories_of: Mapping[str, set[str]],
                  union: Any, find: Any) -> None:
    """A name of one word that its document never writes in full ("Putin", "Путина") joins
    the entity of several words it ends or begins, when that entity is the only candidate,
    or the only one in the stories of the document; a common surname shared by several
    entities stays apart."""
    ends: dict[str, set[str]] = defaultdict(set)
    for k in long_keys:
        words = k.split()
        for w in (words[0], words[-1]):
            ends[w].add(find(by_key[k][0]))
        ends["~" + ek.skeletons((words[-1],))[0]].add(find(by_key[k][0]))  # a surname
    story_roots: dict[str, set[str]] = defaultdict(set)
    docs_of: dict[str, set[str]] = defaultdict(set)
    for g, ms in groups.items():
        docs_of[find(g)].add(ms[0].document)
        for st in stories_of.get(ms[0].document, ()):
            story_roots[st].add(find(g))
    for key, gs in by_key.items():
        if key[0] == "@" or " " in key:
            continue
        roots = {find(r) for r in ends.get(key, set())}
        sk = ek.skeletons((key,))[0]
        for g in gs:
            cands = roots
            if not cands and len(sk) >= 3 and _label(groups[g]) in ("PERSON", "OTHER"):
                # "Байдена" ~ "Joe Biden": a surname, only across languages
                _d, near_st, langs = _where(groups, [g], stories_of)
                cands = {r for r in ends.get("~" + sk, set())
                         if not langs & _where(groups, [r], stories_of)[2]
                         and near_st & _where(groups, [r], stories_of)[1]}
            if len(cands) > 1:  # ambiguous: the one the document's stories name
                near = set().union(*(story_roots.get(s, set())
                                     for s in stories_of.get(groups[g][0].document, ())))
                cands = {r for r in cands if r in near} or cands
            if len(cands) > 1:  # still: the one written in far more documents, if any
                cands = _dominant(cands, docs_of)
            if len(cands) == 1 and _compatible(groups, [g], [next(iter(cands))]):
                union(g, next(iter(cands)))


def _dominant(cands: set[str], docs_of: Mapping[str, set[str]]) -> set[str]:
    """The candidate written in at least twice as many documents as any other, or none."""
    ranked = sorted(cands, key=lambda r: (-len(docs_of[r]), r))
    if len(docs_of[ranked[0]]) >= 2 * len(docs_of[ranked[1]]):
        return {ranked[0]}
    return set()


def _shouted(name: str) -> bool:
    """A name in capitals as a dateline or a headline writes it ("PORT ELDEN"): shown only
    when no source writes it in mixed case. Short capitals are acronyms ("NATO") and stay."""
    return name.isupper() and any(len(w) > 4 for w in name.split())


def _entity(gs: Sequence[str], groups: Mapping[str, list[Mention]]) -> Entity:
    ms = [m for g in gs for m in groups[g]]
    spellings = Counter(m.text for m in ms)
    keys = Counter(g.split("|", 1)[1] for g in gs)
    table = [k for k in keys if k[0] == "@"]
    if table:
        key = min(table, key=lambda k: (-keys[k], k))
        name = ek.table_names().get(key[1:], key[1:])
    else:
        size = {m.text: len(ek.word_keys(m.text, m.language)) for m in ms}
        most = max(size.values())
        forms = {m.text: m.local for m in ms if size[m.text] == most}
        name = min(forms, key=lambda t: (not ek.is_latin(t), _shouted(t), -spellings[t],
                                         len(t), t))
        key = forms[name]
    digest = hashlib.sha256(key.encode()).hexdigest()[:6]
    aliases = sorted(spellings, key=lambda t: (-spellings[t], t))
    return Entity(f"{ek.slug(name)}-{digest}", name, _label(ms), tuple(aliases), len(ms),
                  len({m.document for m in ms}), tuple(sorted({m.language for m in ms})),
                  tuple(gs))


def to_data(m: Mention) -> dict[str, Any]:
    return {"document": m.document, "start": m.start, "end": m.end, "text": m.text,
            "label": m.label, "language": m.language, "local": m.local}


def from_data(d: Mapping[str, Any]) -> Mention:
    return Mention(d["document"], d["start"], d["end"], d["text"], d["label"], d["language"],
                   d["local"])
