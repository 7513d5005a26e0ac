"""TempEval-3 Task B (event extraction) scoring, imported by eval_tempeval.py.

Follows the official TempEval-3 entity scorer (UzZaman et al. 2013, evaluate_entities.py):
a gold event is found (relaxed) when a system event overlaps it, strictly when one has its
exact extent; a system event is right (relaxed) when it overlaps a gold event. Precision
counts system events, recall gold events, each side on its own, as the official scorer
does. Attributes are compared on the relaxed matches (the partner of an event is the one of
its exact extent, else the first it overlaps): accuracy = gold matches with the attribute
right / gold matches; attribute F1 from P = system events whose partner has the same value
/ system events and R = gold events whose partner has it / gold events (a class F1 counts a
match only when the class is right too). A missing value is a wrong one; a system that
gives no value at all for an attribute gets "not given", not a zero.

Gold attributes: `class` is on EVENT; tense, aspect, polarity, modality and pos are on
MAKEINSTANCE in TimeML 1.2 (on EVENT in 1.2.1): both are read, MAKEINSTANCE first, and
of several instances of one event the first.
"""

from __future__ import annotations

import collections
import functools
import html
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

ATTRS = ("tense", "aspect", "polarity", "modality")
_TAG = re.compile(r"<(/?)(\w+)([^>]*)>")
_ATTR = re.compile(r'(\w+)="([^"]*)"')
_WORD = re.compile(r"\w+(?:[-'’]\w+)*")


@dataclass(frozen=True)
class Event:
    """An event extent with what a TimeML EVENT/MAKEINSTANCE pair says of it. `cls` None:
    the system does not say; an attribute absent from `attrs`: likewise."""

    start: int
    end: int
    cls: str | None = None
    attrs: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class TimeML:
    text: str  # the content of <TEXT>, tags stripped, entities decoded
    dct: str | None
    timexes: list[tuple[int, int, str, str]]  # (start, end, type, value)
    events: list[Event]


def parse_timeml(raw: str) -> TimeML:
    """Offsets index the text of <TEXT> as the official scorer sees it (tags removed)."""
    dct_m = re.search(r'<TIMEX3[^>]*functionInDocument="CREATION_TIME"[^>]*>', raw)
    dct = dict(_ATTR.findall(dct_m.group(0))).get("value") if dct_m else None
    instances: dict[str, dict[str, str]] = {}
    for m in re.finditer(r"<MAKEINSTANCE\b([^>]*)>", raw):
        a = dict(_ATTR.findall(m.group(1)))
        if "eventID" in a:
            instances.setdefault(a["eventID"], a)
    body_m = re.search(r"<TEXT>(.*)</TEXT>", raw, re.S)
    body = body_m.group(1) if body_m else ""
    out: list[str] = []
    pos = length = 0
    timexes: list[tuple[int, int, str, str]] = []
    events: list[Event] = []
    opened: dict[str, tuple[int, dict[str, str]]] = {}
    for m in _TAG.finditer(body):
        chunk = html.unescape(body[pos:m.start()])
        out.append(chunk)
        length += len(chunk)
        pos = m.end()
        closing, name = m.group(1), m.group(2)
        if name not in ("TIMEX3", "EVENT"):
            continue
        if not closing:
            opened[name] = (length, dict(_ATTR.findall(m.group(3))))
            continue
        if name not in opened:
            continue
        s, a = opened.pop(name)
        if name == "TIMEX3":
            timexes.append((s, length, a.get("type", ""), a.get("value", "")))
        else:
            inst = {**a, **instances.get(a.get("eid", ""), {})}
            attrs = {k: inst.get(k, "") for k in (*ATTRS, "pos")}
            events.append(Event(s, length, a.get("class", ""), attrs))
    out.append(html.unescape(body[pos:]))
    return TimeML("".join(out), dct, timexes, events)


# ------------------------------------------------------------------ scoring


@dataclass
class Tally:
    """Counts over the documents of one corpus for one system."""

    gold: int = 0
    system: int = 0
    strict_gold: int = 0  # gold events with a system event of the same extent
    relaxed_gold: int = 0  # gold events a system event overlaps
    strict_sys: int = 0
    relaxed_sys: int = 0
    right: collections.Counter[str] = field(default_factory=collections.Counter)  # gold side
    right_sys: collections.Counter[str] = field(default_factory=collections.Counter)
    given: collections.Counter[str] = field(default_factory=collections.Counter)
    gold_class: collections.Counter[str] = field(default_factory=collections.Counter)
    found_class: collections.Counter[str] = field(default_factory=collections.Counter)
    gold_pos: collections.Counter[str] = field(default_factory=collections.Counter)
    found_pos: collections.Counter[str] = field(default_factory=collections.Counter)
    confusion: collections.Counter[tuple[str, str]] = field(
        default_factory=collections.Counter)  # (gold class, system class) on relaxed matches
    # per class, the class F1's own counts: system events of the class, those whose partner
    # has it (system side), gold events of the class whose partner has it (gold side)
    sys_class: collections.Counter[str] = field(default_factory=collections.Counter)
    class_right_sys: collections.Counter[str] = field(default_factory=collections.Counter)
    class_right_gold: collections.Counter[str] = field(default_factory=collections.Counter)
    missed: collections.Counter[str] = field(default_factory=collections.Counter)
    spurious: collections.Counter[str] = field(default_factory=collections.Counter)


def _value(e: Event, name: str) -> str | None:
    return e.cls if name == "class" else e.attrs.get(name)


def _partner(e: Event, others: Sequence[Event]) -> Event | None:
    over = [o for o in others if o.start < e.end and e.start < o.end]
    return next((o for o in over if (o.start, o.end) == (e.start, e.end)), None) or \
        (over[0] if over else None)


def _agrees(s: Event, g: Event, name: str) -> bool:
    return _value(s, name) == (_value(g, name) or "")


def tally(text: str, gold: Sequence[Event], system: Sequence[Event], t: Tally) -> Tally:
    """Add one document's comparison to `t` (and return it)."""
    for g in gold:
        t.gold += 1
        t.gold_class[g.cls or ""] += 1
        t.gold_pos[g.attrs.get("pos", "")] += 1
        pick = _partner(g, system)
        if pick is None:
            t.missed[text[g.start:g.end].lower()] += 1
            continue
        t.relaxed_gold += 1
        t.strict_gold += (pick.start, pick.end) == (g.start, g.end)
        t.found_class[g.cls or ""] += 1
        t.found_pos[g.attrs.get("pos", "")] += 1
        if pick.cls is not None:
            t.confusion[(g.cls or "", pick.cls)] += 1
            t.class_right_gold[g.cls or ""] += _agrees(pick, g, "class")
        for name in ("class", *ATTRS):
            if _value(pick, name) is not None:
                t.given[name] += 1
                t.right[name] += _agrees(pick, g, name)
    for s in system:
        t.system += 1
        if s.cls is not None:
            t.sys_class[s.cls] += 1
        partner = _partner(s, gold)
        if partner is None:
            t.spurious[text[s.start:s.end].lower()] += 1
            continue
        t.relaxed_sys += 1
        t.strict_sys += (partner.start, partner.end) == (s.start, s.end)
        if s.cls is not None and _agrees(s, partner, "class"):
            t.class_right_sys[s.cls] += 1
        for name in ("class", *ATTRS):
            t.right_sys[name] += _value(s, name) is not None and _agrees(s, partner, name)
    return t


def f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def figures(t: Tally) -> dict[str, Any]:
    """P/R/F1 triples; per attribute (accuracy, F1) or None when the system gives none."""
    def prf(sys_hits: float, gold_hits: float) -> tuple[float, float, float]:
        p, r = sys_hits / max(t.system, 1), gold_hits / max(t.gold, 1)
        return p, r, f1(p, r)

    out: dict[str, Any] = {"strict": prf(t.strict_sys, t.strict_gold),
                           "relaxed": prf(t.relaxed_sys, t.relaxed_gold),
                           "gold": t.gold, "system": t.system}
    for name in ("class", *ATTRS):
        if not t.given[name]:
            out[name] = None
            continue
        out[name] = (t.right[name] / max(t.relaxed_gold, 1),
                     prf(t.right_sys[name], t.right[name])[2])
    return out


# ------------------------------------------------------------------ systems under test

_AUX = frozenset("be is are was were been being has have had".split())
_LINK = frozenset("a an the on in into off out down away up to of as for from against with "
                  "its his her their himself herself themselves".split())
_IRREGULAR = frozenset("shook held took set cut left kept broke went came flew laid struck "
                       "reach strike take".split())


def head_word(text: str, start: int, end: int) -> tuple[int, int]:
    """The one word of a trigger phrase a TimeML annotator tags: the word after an auxiliary
    ("deal was struck", "was killed"), the verb of a verb phrase ("struck a deal", "shut
    down", "fire broke out"), else the last word of a noun compound ("air strike"). A stopgap
    without a tagger; a part-of-speech layer makes it dead."""
    words = [(m.start() + start, m.end() + start) for m in _WORD.finditer(text[start:end])]
    if len(words) <= 1:
        return words[0] if words else (start, end)
    low = [text[s:e].lower() for s, e in words]
    aux = [i for i, w in enumerate(low) if w in _AUX]
    if aux and aux[-1] + 1 < len(words):  # "be in" (a visit): the verb itself
        return words[aux[-1] + (low[aux[-1] + 1] not in _LINK)]
    while len(low) > 1 and low[0] in _LINK:  # "on strike", "the final of"
        words, low = words[1:], low[1:]
    if len(words) == 1 or low[1] in _LINK:
        return words[0]
    verbal = [i for i, w in enumerate(low) if w.endswith("ed") or w in _IRREGULAR]
    return words[verbal[0] if verbal else -1]


def extractor_events(doc_id: str, doc: TimeML) -> list[Event]:
    """Today's mention extractor, fed as `timeline run` feeds it (segments, stories, the
    document's time expressions), one document at a time. Each mention's trigger becomes
    its head word; class is the nearest TimeML class of its kind: a saying kind (speech in
    the vocabulary) is REPORTING, any other kind of happening OCCURRENCE."""
    from timeline import events as ev
    from timeline import extract, pipeline, segment

    date = doc.dct[:10] if doc.dct else None
    d = pipeline.Doc(doc_id, doc_id, "en", {"date": date} if date else {}, doc.text, 0)
    timexes = {doc_id: [ev.to_data(f) for f in pipeline.timex_facts(d, date, "eval")]}
    segs = {doc_id: segment.segments(doc_id, doc.text, 0, "en")}
    story_of = segment.stories(segs[doc_id], dates={doc_id: date})
    rec = pipeline.reconstruct([d], timexes, segs, story_of)
    kinds = extract.kinds("en")
    out: dict[tuple[int, int], Event] = {}
    for m in rec.mentions:
        s, e = head_word(doc.text, m["start"], m["end"])
        speech = kinds[m["kind"]].speech if m["kind"] in kinds else False
        out.setdefault((s, e), Event(s, e, "REPORTING" if speech else "OCCURRENCE"))
    return [out[k] for k in sorted(out)]


def learn_lexicon(docs: Iterable[TimeML]) -> dict[str, str]:
    """Word form -> most frequent class, for every form that is a gold event more than half
    of the times it occurs in `docs` (the training corpus)."""
    seen: collections.Counter[str] = collections.Counter()
    classes: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    for doc in docs:
        evs = sorted(doc.events, key=lambda e: (e.start, e.end))
        i = 0
        for m in _WORD.finditer(doc.text):
            form = m.group(0).lower()
            seen[form] += 1
            while i < len(evs) and evs[i].end <= m.start():
                i += 1
            if i < len(evs) and evs[i].start < m.end():
                classes[form][evs[i].cls or ""] += 1
    return {w: c.most_common(1)[0][0] for w, c in classes.items()
            if c.total() * 2 > seen[w]}


def lexicon_events(text: str, lexicon: Mapping[str, str]) -> list[Event]:
    return [Event(m.start(), m.end(), lexicon[w]) for m in _WORD.finditer(text)
            if (w := m.group(0).lower()) in lexicon]


@functools.cache
def _rules_lexicon() -> Any:
    from timeline.analyze.events import lexicon

    return lexicon("en")._replace(classifier=None)


def detector_events(text: str, rules_only: bool = False) -> list[Event]:
    """timeline.analyze.events over the analysis layer: every verb and event noun, with
    class, tense, aspect, polarity and modality (its English noun list is learnt on
    TimeBank, so its honest figure is AQUAINT's). ``rules_only``: without the learnt class
    model (classmodel.py), the class rules alone decide and no mention is dropped."""
    from timeline.analyze import analyze
    from timeline.analyze.events import lexicon, mentions_with

    lex = _rules_lexicon() if rules_only else lexicon("en")
    return [Event(m.start, m.end, m.class_, {"tense": m.tense, "aspect": m.aspect,
                                             "polarity": m.polarity, "modality": m.modality})
            for m in mentions_with(analyze(text, "en"), lex)]


# ------------------------------------------------------------------ the report

System = Callable[[str, TimeML], list[Event]]


def report(corpus: str, name: str, t: Tally, top: int) -> dict[str, Any]:
    res = figures(t)
    print(f"\n-- {corpus}: {name}: {t.gold} gold events, {t.system} found")
    for k in ("strict", "relaxed"):
        p, r, f = res[k]
        print(f"  {k:<8} P {p:.3f}  R {r:.3f}  F1 {f:.3f}")
    for a in ("class", *ATTRS):
        if res[a] is None:
            print(f"  {a:<8} not given by this system")
        else:
            note = f" (given on {t.given[a]} of {t.relaxed_gold})" \
                if t.given[a] != t.relaxed_gold else ""
            print(f"  {a:<8} accuracy {res[a][0]:.3f}  F1 {res[a][1]:.3f}{note}")
    if t.relaxed_gold:
        common, n = t.found_class.most_common(1)[0]
        print(f"  (always {common} on the same matches: class accuracy "
              f"{n / t.relaxed_gold:.3f})")
    for label, gold, found in (("class", t.gold_class, t.found_class),
                               ("pos", t.gold_pos, t.found_pos)):
        print(f"  recall by gold {label}: " + ", ".join(
            f"{c or '?'} {found[c] / n:.2f} ({n})" for c, n in gold.most_common()))
    if t.confusion:
        print_confusion(t.confusion)
        print_class_f1(t)
    if top:
        for label, counter in (("missed", t.missed), ("spurious", t.spurious)):
            print(f"  {top} most frequent {label}: " + ", ".join(
                f"{w} {n}" for w, n in counter.most_common(top)))
    return res


def print_confusion(conf: Mapping[tuple[str, str], int]) -> None:
    """Gold class by row, system class by column, on the relaxed matches; then per-class
    precision, recall and F1 of the class on those matches."""
    names = sorted({g for g, _ in conf} | {s for _, s in conf})
    width = max(9, *(len(n) for n in names))
    print("  class confusion (rows gold, columns system, on relaxed matches):")
    print("    " + " " * width + "".join(f"{n[:9]:>10}" for n in names))
    for g in names:
        print(f"    {g or '?':<{width}}" + "".join(f"{conf[(g, s)]:>10}" for s in names))
    for c in names:
        hit = conf[(c, c)]
        p = hit / max(sum(n for (_, s), n in conf.items() if s == c), 1)
        r = hit / max(sum(n for (g, _), n in conf.items() if g == c), 1)
        print(f"    {c or '?':<{width}} P {p:.3f}  R {r:.3f}  F1 {f1(p, r):.3f}")


def class_f1(t: Tally) -> dict[str, tuple[float, float, float]]:
    """Per class, the P/R/F1 whose micro average is the class F1: P over the system's
    events of that class, R over the gold events of that class (missed ones included)."""
    out = {}
    for c in sorted(set(t.gold_class) | set(t.sys_class)):
        p = t.class_right_sys[c] / max(t.sys_class[c], 1)
        r = t.class_right_gold[c] / max(t.gold_class[c], 1)
        out[c] = (p, r, f1(p, r))
    return out


def print_class_f1(t: Tally) -> None:
    print("  class F1 per class (over all system and gold events, as the class F1):")
    for c, (p, r, f) in class_f1(t).items():
        print(f"    {c or '?':<10} P {p:.3f}  R {r:.3f}  F1 {f:.3f}  "
              f"({t.sys_class[c]} system, {t.gold_class[c]} gold)")


def task_b(corpora: Mapping[str, list[tuple[str, TimeML]]], top: int,
           train: str = "TimeBank") -> dict[tuple[str, str], dict[str, Any]]:
    """Each corpus on its own; the lexical baseline learns from `train` only and is
    scored on every other corpus, never on the one it learned from."""
    print("\n== TempEval-3 Task B: event extraction (each corpus on its own)")
    lexicon = learn_lexicon(d for _, d in corpora.get(train, []))
    systems: list[tuple[str, System, bool]] = [
        ("timeline extractor (class from kind: a saying REPORTING, else OCCURRENCE)",
         extractor_events, True)]
    if lexicon:
        systems.append((f"lexical baseline ({len(lexicon)} forms learnt on {train})",
                        lambda _i, d: lexicon_events(d.text, lexicon), False))
    else:
        print(f"  (no {train} corpus given: no lexical baseline)")
    systems.append(("event-mention detector, rules only (no class model)",
                    lambda _i, d: detector_events(d.text, rules_only=True), True))
    systems.append(("event-mention detector (timeline.analyze.events; its event-noun list "
                    f"and class model are learnt on {train}: the honest figure is the other "
                    "corpus')", lambda _i, d: detector_events(d.text), True))
    results = {}
    for corpus, docs in sorted(corpora.items(), key=lambda c: (c[0] != train, c[0])):
        for name, system, on_train in systems:
            if corpus == train and not on_train:
                continue
            t = Tally()
            for doc_id, doc in docs:
                tally(doc.text, doc.events, system(doc_id, doc), t)
            results[(corpus, name)] = report(f"{corpus} ({len(docs)} documents)", name, t,
                                             top)
    return results
