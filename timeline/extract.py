"""Event mentions: which sentence says that what happened (or will), when, who, where.

Pure: a document, its segments (with story ids) and its time expressions in, mentions out.
Vocabulary lives in timeline/resources/<lang>/events.toml; the code knows no trigger word.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Mapping, Sequence
from collections.abc import Set as AbstractSet
from typing import Any

from timeline import conjuncts, lexicon, openclass, quantities
from timeline.analyze import Analysed
from timeline.names import OPENERS, is_adjective, is_modifier, names, opens
from timeline.segment import Segment, sentences
from timeline.temporal import grammar, lowercase
from timeline.temporal import normalize as nz
from timeline.vocabulary import Kind, Vocabulary, kind_of_phrase, kinds, trigger_matches, vocabulary

__all__ = ["document_mentions", "kind_of_phrase", "kinds", "mentions", "vocabulary",
           "with_stories"]

_FULL_DAY = re.compile(r"\d{4}-\d\d-\d\d")
_QUOTES = re.compile(r"“[^”]*”|«[^»]*»|\"[^\"\n]*\"")
# compiled once: re.findall(pattern, ...) looks its pattern up on every call, and these run
# for every name, trigger and time of every sentence
_WORD_HY = re.compile(r"[\w-]+")
_WORD_AP = re.compile(r"[\w']+")
_POSSESSOR = re.compile(r"[’']s?$")
_CLAUSE_END = re.compile(r"[,;:.!?\n]")
_SPACE = re.compile(r"\s+")
# the lowercase noun a modifier stands before, in a language whose compounds end in their head
_COMPOUND_HEAD = re.compile(r"([a-z]+)\s+")
_DIGIT = re.compile(r"\d")


# ------------------------------------------------------------------ pieces of a sentence


def _after_place_word(text: str, s: int, ns: int, voc: Vocabulary) -> bool:
    before = text[max(s, ns - 40):ns].lower()
    prev_words = _WORD_HY.findall(before)
    prev = prev_words[-1] if prev_words else ""
    prev2 = " ".join(prev_words[-2:])
    head = voc.place_heads.search(before[-20:]) if voc.place_heads else None
    return bool(prev in voc.place_preps or (prev == "the" and len(prev_words) > 1
                                            and prev_words[-2] in voc.place_preps)
                or head or prev2 in voc.place_preps)


def surnames(text: str, voc: Vocabulary) -> frozenset[str]:
    """The last words of the people a document names in full ("Sergio Massa"): after a place
    word such a surname is still the person ("acusó a Massa", Spanish's personal "a")."""
    out = set()
    for ns, _ne, name in names(text, 0, len(text)):
        words = name.split()
        if len(words) < 2 or _after_place_word(text, 0, ns, voc) \
                or any(_POSSESSOR.search(w) for w in words[:-1]) \
                or is_adjective(words[0], voc.lang):
            continue  # "Elian's Miami relatives", "Eastern Europe": no given name first
        out.add(words[-1])
    return frozenset(out)


def _places_and_people(text: str, s: int, e: int, voc: Vocabulary,
                       people_named: frozenset[str] = frozenset()
                       ) -> tuple[list[tuple[int, str]], list[str]]:
    places: list[tuple[int, str]] = []
    people: list[str] = []
    for ns, ne, name in names(text, s, e):
        if voc.prenominal and is_modifier(text, ne, name, voc.lang):
            continue  # "the Siberian region", "Russian dumplings": a modifier, not a name
        if _after_place_word(text, s, ns, voc):
            if name not in people_named:
                places.append((ns, name))
        elif len(name.split()) > 1 or text[s:ns].strip(OPENERS):
            people.append(name)  # a lone capital word opening the sentence is no name
    return places, people


_CLAUSE_MARK = re.compile(r"[,;:()\n]")


def _identities(low: str, s: int, e: int, ts: int, te: int, kind: str, voc: Vocabulary
                ) -> dict[str, str]:
    """ "won the November 19 runoff", "во втором туре выборов": the word next to the trigger,
    in its clause and at most 40 characters away, that says which happening of the kind."""
    out: dict[str, str] = {}
    if kind not in _identity_kinds(voc):
        return out  # most kinds, and every open-class mention, have no identity words
    idents = [ident for ident in voc.identities if kind in ident.kinds]
    lo, hi = max(s, ts - 40), min(e, te + 40)
    marks = [m.start() for m in _CLAUSE_MARK.finditer(low, lo, hi)]
    lo = max([p + 1 for p in marks if p < ts], default=lo)
    hi = min([p for p in marks if p >= te], default=hi)
    for ident in idents:
        found = [(min(abs(m.start() - te), abs(ts - m.end())), m.group(0))
                 for m in ident.regex.finditer(low, lo, hi)]
        if found:
            out[ident.name] = ident.value_of[" ".join(min(found)[1].split())]
    return out


def _identity_kinds(voc: Vocabulary) -> frozenset[str]:
    """The kinds some identity word is of, asked for by every mention."""
    got = _IDENTITY_KINDS.get(id(voc))
    if got is None or got[0] is not voc:
        got = _IDENTITY_KINDS[id(voc)] = (voc, frozenset(
            k for ident in voc.identities for k in ident.kinds))
    return got[1]


# kept with its vocabulary, as _SPEECH is (a vocabulary holds dicts: it is no key itself)
_IDENTITY_KINDS: dict[int, tuple[Vocabulary, frozenset[str]]] = {}


def _negated(text: str, start: int, end: int, voc: Vocabulary) -> bool:
    """"did not meet", "no talks", "the agreement ... was not announced"."""
    before = _WORD_AP.findall(text[max(0, start - 25):start].lower())
    clause = _CLAUSE_END.split(text[end:end + 60], maxsplit=1)[0]
    after = _WORD_AP.findall(clause.lower())[:5]
    return any(w in voc.negated for w in before[-3:] + after) or \
        any(w in voc.negated_before for w in before[-2:])


def _status(text: str, s: int, trigger_start: int, voc: Vocabulary, time_value: str | None,
            doc_date: str | None, trigger_end: int | None = None) -> str:
    if openclass.denied(voc, text, s, trigger_start):
        return "negated"  # "denied that the board had approved the plan"
    cs = _clause_start(text, s, trigger_start)
    window = text[max(cs, trigger_start - 60):trigger_start + 1]
    if voc.planned and voc.planned.search(window):
        return "planned"
    if voc.planned and trigger_end is not None:  # "the trial will open": the noun's own verb
        m = _SPACE.match(text, trigger_end, trigger_end + 3)
        at = m.end() if m else trigger_end
        if voc.planned.match(text, at):
            return "planned"
        head = _COMPOUND_HEAD.match(text, at) if voc.prenominal else None
        if head and _noun_like(head.group(1), voc) and voc.planned.match(text, head.end()):
            return "planned"  # "funeral arrangements will be announced": its head's verb
    if time_value and doc_date and _after_report(time_value, doc_date):
        return "planned"
    if voc.reported and voc.reported.search(text, s, _sentence_end(text, trigger_start,
                                                                     trigger_start + 40)):
        return "reported"  # a hedge before it, or just after it in its sentence
    return "occurred"


_SENTENCE_END = re.compile(r"[.!?](?:\s|$)|\n")


def _sentence_end(text: str, start: int, limit: int) -> int:
    """Where the sentence from ``start`` ends, at most ``limit``: a hedge in the next
    sentence ("Он был задержан в январе. По версии следствия, ...") hedges that one."""
    m = _SENTENCE_END.search(text, start, limit)
    return m.start() if m else limit


_MONTH = re.compile(r"\d{4}-\d\d")


def _after_report(value: str, doc_date: str) -> bool:
    """Whether a time lies wholly after the report: a day after its day, or a month after
    its month. What a report dates after itself has not happened yet, whatever its verb
    ("a further cut in September was likely", in July): a forecast, not the happening."""
    if _FULL_DAY.match(value):
        return value[:10] > doc_date[:10]
    return bool(_MONTH.fullmatch(value)) and value > doc_date[:7]


def _noun_like(word: str, voc: Vocabulary) -> bool:
    """Not a word that opens a clause ("the deal that would have": the deal is not planned)."""
    return word not in voc.function_words and not any(
        r is not None and r.fullmatch(word) for r in (voc.relative, voc.that, voc.when,
                                                      voc.coordinator))


_CLAUSE = re.compile(r"[,;:—–]\s|\s[—–]\s")


def _clause(text: str, s: int, e: int, pos: int) -> tuple[int, int]:
    """The comma-delimited clause of the sentence [s, e) that holds `pos`."""
    if not s <= pos <= e:
        left = [m.end() for m in _CLAUSE.finditer(text, s, pos)]
        right = _CLAUSE.search(text, pos, e)
        return (left[-1] if left else s), (right.start() if right else e)
    starts, ends = _marks(text, s, e)
    k = bisect.bisect_right(ends, pos)
    if k < len(starts) and starts[k] < pos:  # a mark straddles pos: search from pos itself
        right = _CLAUSE.search(text, pos, e)
        return (ends[k - 1] if k else s), (right.start() if right else e)
    return (ends[k - 1] if k else s), (starts[k] if k < len(starts) else e)


def _clause_start(text: str, s: int, pos: int) -> int:
    """Where the clause holding `pos` starts, the sentence from `s` (its end unknown)."""
    last = _MARKS
    if last[0] is text and last[1] == s and pos <= last[2]:
        ends = last[3][1]
        k = bisect.bisect_right(ends, pos)
        return ends[k - 1] if k else s
    left = [m.end() for m in _CLAUSE.finditer(text, s, pos)]
    return left[-1] if left else s


# The clause marks of the last sentence asked for: (text, s, e, (starts, ends)). _clause is
# asked for every trigger, time and name of a sentence, and each asked the regex to scan the
# sentence from its start. Scanning [s, e) once gives the same marks: the pattern's matches
# are two or three characters and need nothing outside them, so those ending by `pos` are
# the matches a scan of [s, pos) finds, and the first starting at or after `pos` is what a
# search from `pos` finds unless a match straddles `pos` (then _clause searches). A memo,
# invisible in results.
_MARKS: list[Any] = [None, -1, -1, ([], [])]


def _marks(text: str, s: int, e: int) -> tuple[list[int], list[int]]:
    last = _MARKS
    if last[0] is text and last[1] == s and last[2] == e:
        return last[3]  # type: ignore[no-any-return]
    found = [m.span() for m in _CLAUSE.finditer(text, s, e)]
    got = ([a for a, _ in found], [b for _, b in found])
    _MARKS[:] = [text, s, e, got]
    return got


def _in_quotes(text: str, s: int, e: int) -> list[tuple[int, int]]:
    return [m.span() for m in _QUOTES.finditer(text, s, e)]


# ------------------------------------------------------------------ mentions


def mentions(doc_id: str, text: str, lang: str, segs: Sequence[Segment],
             story_of: Mapping[tuple[str, int], str], timexes: Sequence[Mapping[str, Any]],
             doc_date: str | None, analysis: Analysed | None = None) -> list[dict[str, Any]]:
    """One mention per trigger (a second one per extra place for visits and arrivals), and
    one per other eventive predicate the analysis finds. `analysis` is the document's
    (timeline.analyze.analyze): given, so a run analyses each document once; None for a
    language the analysis does not cover, which then has its kinds' mentions only."""
    return with_stories(document_mentions(doc_id, text, lang, segs, timexes, doc_date,
                                          analysis), story_of)


def with_stories(found: list[dict[str, Any]], story_of: Mapping[tuple[str, int], str]
                 ) -> list[dict[str, Any]]:
    """`document_mentions`' mentions with their story ids (in place): the one step of
    extraction that needs the corpus (segment.stories)."""
    for m in found:
        m["story"] = story_of.get(m["story"], "")
    return found


def document_mentions(doc_id: str, text: str, lang: str, segs: Sequence[Segment],
                      timexes: Sequence[Mapping[str, Any]], doc_date: str | None,
                      analysis: Analysed | None = None) -> list[dict[str, Any]]:
    """`mentions` of one document without the corpus: pure in the document, its segments,
    its time expressions (anchored on `doc_date`) and its analysis, so it can run in a
    worker process. Each mention's "story" is its segment's key (document, index) until
    `with_stories` gives it the story id."""
    voc = vocabulary(lang if lexicon.events(lang) else "en")
    idx = openclass.index(analysis)
    txs = sorted(timexes, key=lambda t: t["start"])
    starts = [t["start"] for t in txs]
    low = lowercase(text)
    speech = {name for name, k in kinds(voc.lang).items() if k.speech}
    people_named = surnames(text, voc)
    out: list[dict[str, Any]] = []
    Row = tuple[int, int, list[dict[str, Any]], list[dict[str, Any]]]
    per_segment: list[list[Row]] = []
    seg_times: list[str | None] = []
    for seg in segs:
        rows: list[Row] = []
        seg_time: str | None = None
        for bi, block in enumerate(seg.blocks):
            if block.kind == "boilerplate":
                continue
            for s, e in sentences(text, block.start, block.end):
                found, others = _sentence_mentions(text, low, s, e, voc, txs, starts,
                                                   doc_date, lang, people_named, idx)
                for m in itertools.chain(found, others):
                    m.update(document=doc_id, block=bi + 1000 * seg.index,
                             story=(seg.document, seg.index))
                _timeml(found, idx, voc, text, s)
                found[:] = [m for m in found if not _said_of_later(m, voc)]
                for m in others:
                    # _status asked openclass.denied of the same place first: not again
                    m["status"] = openclass.status(m["status"], m, voc, text, s, m["start"],
                                                   denial_asked=True)
                openclass.inherit_status([*found, *others], idx)
                conjuncts.inherit_time([*found, *others], idx)
                rows.append((s, e, found, others))
                if seg_time is None:
                    seg_time = _narrative_day(found, doc_date)
        per_segment.append(rows)
        seg_times.append(seg_time)
    # A segment's narrative time is its first reported day; the lead's serves the rest.
    lead_time = next((t for t in seg_times if t), None)
    told: set[str] = set()  # the kinds the document has told of so far
    for seg_time, rows in zip(seg_times, per_segment, strict=True):
        prev_keys: list[str] = []
        later_own: dict[str, dict[str, Any]] = {}
        for _s, _e, found, _o in reversed(rows):  # the next own time of each kind, from the end
            for m in found:
                if m["time"] and m["time"].get("source") == "own" and m["status"] != "planned":
                    later_own[m["kind"]] = m["time"]
        plan_day: str | None = None  # the last day the segment has planned something for
        for row, (s, _e, found, others) in enumerate(rows):
            # "a deal was struck early Saturday after 10 hours of negotiations": the day of the
            # sentence's own dated event, before the story's; never a saying's ("announced on
            # Monday that the closure would go on" dates the announcement, not the closure)
            mate = next((x["time"] for x in found if x["time"]
                         and x["time"].get("source") == "own" and x["status"] != "planned"
                         and not x["time"].get("clock")
                         and x["kind"] not in speech and _FULL_DAY.match(x["time"]["value"])),
                        None)
            for m in found:
                if m.get("told_again") and m["kind"] in told:
                    m["referential"] = True
            told.update(m["kind"] for m in found)
            narrative = seg_time or lead_time
            plan_day = _plan_day(found, doc_date, speech) or plan_day
            for m in found:
                _date(m, mate, narrative, doc_date, later_own.get(m["kind"]) if row == 0 else None,
                      plan_day)
            for m in others:
                _date(m, mate, narrative, doc_date, None, plan_day)
            _sentence_cues(text, s, found, prev_keys, voc, lang)
            out += found
            out += others
            if found:
                prev_keys = [_key(m) for m in found]
    return out


def _timeml(found: list[dict[str, Any]], idx: openclass.Index | None, voc: Vocabulary,
            text: str, s: int) -> None:
    """A kind's mention carries the attributes of the predicate at its head."""
    for m in found:
        got = (openclass.attributes(idx.head(m["start"], m["end"]))
               or idx.token_attributes(m["start"], m["kind"] in voc_speech(voc))) \
            if idx is not None else {}
        m.update(got, label=m["kind"])
        if got.get("polarity") == "NEG":  # the kinds keep their cues' status otherwise
            m["status"] = "negated"


def _said_of_later(m: Mapping[str, Any], voc: Vocabulary) -> bool:
    """A saying in the past tense whose time lies after the report ("said a further cut
    in September was likely", in July): the time is what was said's, so the saying has no
    time of its own and, as a kind that needs one, is no mention."""
    return m["kind"] in voc_speech(voc) and m.get("tense") == "PAST" \
        and m["status"] == "planned" and bool(m["time"]) and m["time"].get("source") == "own"


def voc_speech(voc: Vocabulary) -> frozenset[str]:
    got = _SPEECH.get(id(voc))
    if got is None or got[0] is not voc:
        got = _SPEECH[id(voc)] = (voc, frozenset(k.name for k in voc.kinds if k.speech))
    return got[1]


# the speech kinds of each vocabulary, asked for by every mention (a vocabulary holds
# dicts, so it is no key itself; it is kept here so that its id stays its own)
_SPEECH: dict[int, tuple[Vocabulary, frozenset[str]]] = {}


def _date(m: dict[str, Any], mate: Mapping[str, Any] | None, narrative: str | None,
          doc_date: str | None, later: Mapping[str, Any] | None,
          plan_day: str | None = None) -> None:
    """The time of a mention its own clause left undated: its sentence's, its story's."""
    clock = m["time"] if m["time"] and m["time"].get("clock") else None
    day = (mate or {}).get("value", "")[:10] or narrative
    if m["status"] == "planned":
        # "will open on Friday ... is expected to cut the ribbon at a ceremony at 10:00
        # a.m.": an hour of a plan is on the day the plan was told for, not the report's
        day = plan_day
    if clock and day and day != clock["value"][:10]:
        # "took off at 10:33 a.m." in a story of Sunday's crash: Sunday's hour,
        # not the hour of the day the report came out
        m["time"] = {**clock, "value": day + clock["value"][10:]}
    if m["time"] is None and m["status"] != "planned" and later:
        # a headline or lead names what the body then dates
        m["time"] = {**later, "source": "lead"}
    # "reopens after the snowstorm": the storm is named, not dated, by this sentence
    if m["time"] is None and m["status"] != "planned" and not m.get("referential") \
            and mate is not None:
        m["time"] = {**mate, "source": "sentence"}
    if m["time"] is None and m["status"] != "planned" and not m.get("referential"):
        if narrative:
            m["time"] = {"value": narrative, "type": "DATE", "source": "narrative"}
        elif doc_date:
            m["time"] = {"value": doc_date[:10], "type": "DATE", "source": "document"}


_DAY_RELATIONS = ("offset", "weekday", "monthday")


def _day_relation(t: Mapping[str, Any]) -> bool:
    """Whether an unresolved time names a day from the report's date: a weekday, an offset,
    a day of the month, or one counted from such a day ("прошедшие накануне", the day before
    "в среду"): what dating solves for the document's date."""
    rel = t.get("relation") or {}
    return rel.get("k") in _DAY_RELATIONS or (
        rel.get("k") == "anaphor" and (rel.get("base") or {}).get("k") in _DAY_RELATIONS)


def _plan_day(found: Sequence[Mapping[str, Any]], doc_date: str | None,
              speech: AbstractSet[str]) -> str | None:
    """The first day after the report a sentence plans a happening for (not a saying's,
    not an hour's supposed day): what an hour of a plan in the sentences after it means."""
    for m in found:
        t = m["time"]
        if t and m["status"] == "planned" and t.get("source") == "own" and not t.get("clock") \
                and m["kind"] not in speech and _FULL_DAY.match(t["value"]) \
                and (doc_date is None or _after_report(t["value"], doc_date)):
            return str(t["value"][:10])
    return None


def _narrative_day(found: Sequence[Mapping[str, Any]], doc_date: str | None) -> str | None:
    """The first day a sentence reports as past: what the undated sentences around it mean."""
    for m in found:
        v = (m["time"] or {}).get("value") or ""
        if m["time"] and m["time"].get("clock"):
            continue  # an hour says nothing of its day
        if m["status"] != "planned" and re.fullmatch(r"\d{4}-\d\d-\d\d.*", v) \
                and (doc_date is None or v[:10] <= doc_date[:10]):
            return v[:10]
    return None


def _key(m: Mapping[str, Any]) -> str:
    return f"{m['document']}:{m['start']}:{m['end']}:{m.get('part', 0)}"


def _after_since(text: str, s: int, start: int, voc: Vocabulary,
                 triggers: Sequence[tuple[int, int, Kind]]) -> bool:
    """Whether a time sits in a "since" phrase: "since the 1980s", "since the island was
    divided in 1974", "desde la división de la isla en 1974" (no event word in between)."""
    lo = max(_clause_start(text, s, start), start - 48)
    found = [m.end() for m in voc.since.finditer(text, lo, start)] if voc.since else []
    return bool(found) and not any(found[-1] <= ts < start for ts, _, _ in triggers)


Trigger = tuple[int, int, Kind]


def _verb_opens(low: str, pos: int, lang: str) -> bool:
    """Whether one of the first two words from `pos` is a tense cue (a verb, an auxiliary)."""
    g = grammar(lang) if lang in lexicon.languages() else None
    if g is None or g.cue is None:
        return False
    return any(g.cue.fullmatch(w) for w in re.findall(r"[\w'’]+", low[pos:pos + 40])[:2])


def _representatives(text: str, s: int, e: int, triggers: Sequence[Trigger],
                     in_sentence: Sequence[Mapping[str, Any]]
                     ) -> tuple[list[Trigger], list[list[Trigger]]]:
    """One mention per kind per sentence: the first trigger speaks for the rest, unless a
    later one stands in a clause with a date of its own while the first has one too ("took
    the lead in Sunday's election, and the two will face each other in a runoff on November
    19": two elections). Returns the speaking triggers and the triggers each speaks for."""
    dated = [t["start"] for t in in_sentence  # the times that give a clause a date
             if t["timex_type"] in ("DATE", "TIME") and not t.get("anchor")]

    def dated_clause(pos: int) -> tuple[int, int] | None:
        if not dated:
            return None  # no clause of the sentence has a date: none to look for
        cs, ce = _clause(text, s, e, pos)
        return (cs, ce) if any(cs <= p < ce for p in dated) else None

    firsts: list[Trigger] = []
    group: list[list[Trigger]] = []
    own: dict[str, list[tuple[tuple[int, int] | None, int]]] = {}  # kind -> (clause, index)
    for t in triggers:
        seen = own.get(t[2].name)
        clause = dated_clause(t[0])
        if seen is None or (clause is not None and seen[0][0] is not None
                            and all(c != clause for c, _ in seen)):
            own.setdefault(t[2].name, []).append((clause, len(firsts)))
            firsts.append(t)
            group.append([t])
            continue
        i = next((i for c, i in seen if c is not None and c[0] <= t[0] < c[1]), seen[0][1])
        group[i].append(t)
    return firsts, group


def _kind_triggers(text: str, low: str, s: int, e: int, voc: Vocabulary,
                   quoted: Sequence[tuple[int, int]], idx: openclass.Index | None
                   ) -> tuple[list[Trigger], list[Trigger], list[tuple[int, int]]]:
    """The kinds' triggers of a sentence: those that stand, those a negation denies ("no
    agreement was announced": a mention, negated), and every span a kind's word takes."""
    triggers: list[Trigger] = []
    denied: list[Trigger] = []
    spans: list[tuple[int, int]] = []
    for m, named in trigger_matches(low, s, e, voc):
        if any(qs <= m.start() < qe for qs, qe in quoted):
            continue
        word = text[m.start():m.end()]
        if word[0].isupper() and not word.isupper() and not opens(text, s, m.start()):
            continue  # "in March", "Summit Street": a name, not a trigger (but "LERIN (AP)
            # - Talks between ...": the dateline's next word opens the sentence)
        named = tuple(k for k in named if not openclass.wrong_sense(k, m.start(), m.end(),
                                                                     idx, low))
        if named:  # a word no kind takes in this sense is an open-class predicate
            spans.append(m.span())  # ("talks collapsed": the collapse, no disaster)
        into = denied if _negated(text, m.start(), m.end(), voc) else triggers
        into.extend((m.start(), m.end(), k) for k in named)
    return _prune(triggers, low, s, e), _prune(denied, low, s, e, triggers), spans


def _prune(triggers: list[Trigger], low: str, s: int, e: int,
           others: Sequence[Trigger] = ()) -> list[Trigger]:
    if not triggers:
        return triggers
    # the longest phrase wins: "a deal was struck" is an agreement, not a strike
    every = [*triggers, *others]
    triggers = [t for t in triggers if not any(
        o[0] <= t[0] and t[1] <= o[1] and o[1] - o[0] > t[1] - t[0] for o in every)]
    # "the earthquake struck ... killing 1,300": the disaster's verbs, not an attack; a kind
    # whose context the sentence lacks silences none ("ended its strike on Thursday": no
    # war's word, so no attack, and the walkout stands)
    fits = {id(t[2]): t[2].context is None or bool(t[2].context.search(low, s, e))
            for t in every}
    present = {t[2].name for t in every if fits[id(t[2])]}
    triggers = [t for t in triggers if not t[2].yields_to & present and fits[id(t[2])]]
    triggers.sort(key=lambda t: t[0])
    return triggers


def _sentence_mentions(text: str, low: str, s: int, e: int, voc: Vocabulary,
                       txs: Sequence[Mapping[str, Any]], starts: Sequence[int],
                       doc_date: str | None, lang: str,
                       people_named: frozenset[str] = frozenset(),
                       idx: openclass.Index | None = None
                       ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The kinds' mentions of a sentence, and the others: its open-class predicates and
    its denied kinds, dated by the same rules with the kinds beside them (the kinds'
    own mentions are those of the kinds alone, as before open-class mentions existed)."""
    quoted = _in_quotes(text, s, e)
    triggers, denied, spans = _kind_triggers(text, low, s, e, voc, quoted, idx)
    pp = _places_and_people(text, s, e, voc, people_named)
    verbs = None if idx is None else [em.start for em in idx.in_span(s, e) if em.pos == "VERB"]
    found = _attach(text, low, s, e, voc, txs, starts, doc_date, lang, triggers, pp, None, quoted,
                    verbs) if triggers else []
    extra: dict[int, tuple[Trigger, dict[str, Any]]] = {}
    for t in denied:
        head = idx.head(t[0], t[1]) if idx is not None else None
        extra[t[0]] = (t, {**openclass.attributes(head), "label": t[2].name,
                           "status": "negated"})
    for em in idx.in_span(s, e) if idx is not None else ():
        if em.start in extra or openclass.covered(em, spans) or \
                any(qs <= em.start < qe for qs, qe in quoted):
            continue
        said = idx.phrase(em, lang) if idx is not None else None
        if said:  # "llamó a revisión": "revisión" is the phrase's, no mention of its own
            spans.append((em.end, said[1]))
        name = openclass.label(em, voc, low, s, e, idx, said)
        extra[em.start] = ((em.start, em.end, openclass.pseudo_kind(em, name)),
                           {"kind": "", "label": name, **openclass.attributes(em)})
    if not extra:
        return found, []
    both = sorted([*triggers, *(t for t, _ in extra.values())], key=lambda t: t[0])
    others = []
    for m in _attach(text, low, s, e, voc, txs, starts, doc_date, lang, both, pp, extra, quoted,
                     verbs):
        got = extra.get(m["start"])
        if got is None or got[0][2] is not _kind_of(m, got[0][2]):
            continue
        m.update(got[1])
        m["cues"] = []  # the kinds' order cues stay the kinds'
        others.append(m)
    return found, others


def _kind_of(m: Mapping[str, Any], k: Kind) -> Kind | None:
    return k if m["kind"] == k.name else None


def _attach(text: str, low: str, s: int, e: int, voc: Vocabulary,
            txs: Sequence[Mapping[str, Any]], starts: Sequence[int], doc_date: str | None,
            lang: str, triggers: list[Trigger],
            places_people: tuple[list[tuple[int, str]], list[str]],
            only: Mapping[int, Any] | None = None,
            quoted: Sequence[tuple[int, int]] | None = None,
            verbs: Sequence[int] | None = None) -> list[dict[str, Any]]:
    """Mentions of the given triggers, each with the time, place and people its sentence
    gives it (`quoted`: the sentence's quotes, if the caller has them; `verbs`: where the
    sentence's verbs start, None when no analysis tells)."""
    if quoted is None:
        quoted = _in_quotes(text, s, e)
    lo = bisect.bisect_left(starts, s)
    in_sentence = txs[lo:bisect.bisect_left(starts, e, lo)]
    firsts, group = _representatives(text, s, e, triggers, in_sentence)
    attach: dict[int, list[Mapping[str, Any]]] = {}
    # "hours before the summit": the summit is the anchor, not the event being dated
    shadows = [(t["end"], t["end"] + len(t["anchor"]) + 12) for t in in_sentence
               if t.get("anchor")]
    at: dict[int, list[int]] = {}  # id of a kind -> where its triggers start
    for o in triggers:
        at.setdefault(id(o[2]), []).append(o[0])
    # the anchor of a time takes no time of its sentence: not that one, nor another
    # ("Накануне голосования, в субботу, ...": Saturday is the eve's, not the vote's)
    unshadowed = [i for i in range(len(firsts))
                  if not any(a <= firsts[i][0] < b for a, b in shadows)] if shadows \
        else list(range(len(firsts)))
    for t in in_sentence:
        if any(qs <= t["start"] < qe for qs, qe in quoted):
            continue  # a time inside a quote belongs to the speech, not to who spoke it
        if voc.since and not t.get("begin") and _after_since(text, s, t["start"], voc, triggers):
            continue  # "the worst violence since the 1980s": when a state began, not the event
        cands = unshadowed
        if t.get("anchor"):  # never an event of the clause it anchors on ("reopened on
            # Tuesday, two days after the storm of the century closed it")
            ae = _clause(text, s, e, t["end"])[1]
            cands = [i for i in cands if not t["end"] <= firsts[i][0] < ae]
        # a time belongs to its own clause ("crossed on Saturday, a day after she opened
        # it"); a fronted one ("On Sunday, protesters gathered") to the clause after it
        cs, ce = _clause(text, s, e, t["start"])
        fronted = not text[s:t["start"]].strip(" ,—-–\"“«")[:12].strip() or (cs == s and \
            len(text[cs:t["start"]].split()) <= 2)
        same = [i for i in cands if any(cs <= p < ce for p in at[id(firsts[i][2])])]
        if same:
            cands = same
        elif t.get("anchor"):  # "reopened on Tuesday, two days after ...": the main event
            pass
        elif fronted or (verbs is not None and not any(o[0] < ce for o in triggers)
                         and not any(cs <= v < ce for v in verbs) and not _aside(text, cs, voc)):
            # "The commission on Thursday, May 21, announced ...": a time set off in a
            # subject, with no verb nor event before it, is the next clause's as a fronted
            # one is (not a clause's: "exports fell in September, the ministry said"; not an
            # aside's: "Davis, who took over in 2006, said ...")
            cands = [i for i in cands if firsts[i][0] >= ce][:1]
        elif not any(cs <= o[0] < ce for o in triggers):
            # a clause with no event of its own dates the one before it: "Лесной пожар,
            # вспыхнувший в понедельник, вынудил...", "Erdogan visited Kahramanmaras, near
            # the epicentre, on Wednesday"
            before = [o for o in triggers if o[0] < cs]
            last = max((o[0] for o in before), default=-1)
            ps = _clause(text, s, e, last)[0] if last >= 0 else cs
            if voc.relative is not None and last >= 0 and voc.relative.match(
                    text, ps + len(text[ps:last]) - len(text[ps:last].lstrip())) \
                    and _verb_opens(low, cs, lang):
                # "Milei, who beat Massa, will announce ... on Tuesday": the aside is closed
                # and the main clause goes on; "Taylor, who stepped down as chairman,
                # president and chief executive in March": the aside goes on
                before = []
            # ...unless that event has a time already ("a year after the second rescue and
            # three after the first, in May 2010": May 2010 is the first rescue's)
            near = [i for i in cands if i not in attach and any(
                ps <= o[0] < cs for o in before if o in group[i])
                and (not openclass.is_pseudo(firsts[i][2]) or firsts[i][0] == last)]
            if not near and voc.when is not None and voc.when.match(text, ce + 2):
                # "troubles became public on March 8, when the bank said ...": the clause
                # the "when" opens holds the event of that time
                ne = _clause(text, s, e, ce + 2)[1]
                near = [i for i in cands if i not in attach and any(
                    ce <= o[0] < ne for o in group[i])]
            cands = near
        else:
            cands = []
        # "Nabiullina said that inflation rose in November": November is the inflation's
        cands = [i for i in cands if not (
            firsts[i][2].speech and voc.that is not None and firsts[i][1] <= t["start"]
            and voc.that.search(text, firsts[i][1], t["start"]))]
        if not cands:
            continue
        # nearest to any trigger of the kind: "in a weekend shooting spree" dates the spree;
        # never across "and" to the verb after it: "arrested in March 2023 and sentenced in
        # July": March is the arrest's
        def distance(o: Trigger, t: Mapping[str, Any] = t) -> int:
            if o[0] >= t["end"] and voc.coordinator is not None \
                    and voc.coordinator.search(text, t["end"], o[0]):
                return 10_000
            if o[0] >= t["end"] and _POSSESSIVE.fullmatch(text, t["end"], o[0]):
                return -1  # "won Sunday's election": the time is the noun's it qualifies
            return min(abs(o[0] - t["end"]), abs(t["start"] - o[1]))

        nearest = min(cands, key=lambda i: min(distance(o) for o in group[i]))
        attach.setdefault(nearest, []).append(t)
    places, people = places_people
    starts = [t[0] for t in firsts]

    def owner(pos: int) -> int:
        return min(range(len(firsts)), key=lambda i: abs(starts[i] - pos))

    owners = [owner(ps) for ps, _p in places]  # the trigger each place of the sentence is of
    participants = sorted(set(people))[:8]
    anchors = (voc.order.get("after_anchor"), voc.order.get("before_anchor"))

    counts_of = _counts(text, lang, s, e, firsts)
    # "a day after the commission announced ...": the anchor clause's event is dated by the
    # offset below (`_anchored_offsets`), so one that needs a time is kept until then
    anchoring = [_anchor_clause(text, s, e, t, voc, triggers) for ts in attach.values()
                 for t in ts
                 if t.get("anchor") and (t.get("relation") or {}).get("anchor")]

    out: list[dict[str, Any]] = []
    waited: set[int] = set()  # mentions that need the anchor's offset for a time
    for i, (ts, te, kind) in enumerate(firsts):
        if only is not None and ts not in only:
            continue  # the kinds beside open-class mentions: their mentions are made already
        mine = attach.get(i, [])
        # the time next to the trigger first, one after it before one before it ("a weekend
        # shooting spree appeared in court Monday": Monday is the court's)
        mine = sorted(mine, key=lambda t: t["start"] - te + 2 if t["start"] >= te
                      else ts - t["end"] + 10)
        dated = [t for t in mine if t["timex_type"] in ("DATE", "TIME")
                 and _DIGIT.match(t["value"] or "")]
        unresolved = [t for t in mine if t["timex_type"] in ("DATE", "TIME")
                      and not _DIGIT.match(t["value"] or "") and _day_relation(t)]
        time = None
        if dated:
            t = dated[0]
            time = {"value": t["value"], "type": t["timex_type"], "text": t["text"],
                    "start": t["start"], "end": t["end"], "source": "own",
                    "begin": t.get("begin"), "end_value": t.get("end_value")}
            if (t.get("relation") or {}).get("k") == "time":
                time["clock"] = True  # "at 10:33 a.m.": an hour, its day only supposed
        elif unresolved:
            t = unresolved[0]
            time = None
        waiting = kind.needs_time and not dated and not unresolved and not (
            kind.told_alone and kind.told_alone.fullmatch(text, ts, te))
        if waiting and not any(a <= ts < b for a, b in anchoring):
            continue
        attrs_: dict[str, Any] = {}
        for t in mine:  # the stretch next to the trigger: "talks dragged on for nine months,
            # and a deal was struck after 10 hours of negotiations" (the talks: nine months)
            if t["timex_type"] == "DURATION" and not t.get("anchor") \
                    and not (t.get("relation") or {}).get("anchor") \
                    and "duration" not in attrs_:  # "three days later" has an anchor
                attrs_["duration"] = t["value"] + (f" {t['mod']}" if t.get("mod") else "")
        if kind.attribute:
            form = text[ts:te].lower()
            value = next((v for f, v in kind.values.items() if form.startswith(f)), None)
            if value:
                attrs_[kind.attribute] = value
        attrs_.update(_identities(low, s, e, ts, te, kind.name, voc))
        attrs_.update({a: v for a, (o, v) in counts_of.items() if o == i})
        relation = unresolved[0]["relation"] if unresolved and not dated else None
        status = _status(text, s, ts, voc, time["value"] if time else None, doc_date, te)
        if status == "occurred" and any((t.get("relation") or {}).get("tense") == "future"
                                        for t in dated + unresolved):
            status = "planned"  # "celebrarán una vigilia el martes": the verb of its time
        lead = text[max(s, ts - 20):ts]
        referential = not time and any(a and a.search(lead) for a in anchors)
        # "formed a panel to investigate the crash": a definite noun after another event's
        # word; if the document told of that kind before, it names it again (see mentions)
        told_again = not time and voc.definite is not None \
            and voc.definite.search(lead) is not None \
            and any(o[0] < ts and o[2] is not kind and not o[2].speech for o in triggers)
        if status == "planned" and referential:
            status = "occurred"  # "will stay on after his summit": the summit is a reference
        anchored = [t for t in mine if t.get("anchor")]
        cues = [{"rel": t["relation"]["anchor"]["dir"].lower(), "anchor": t["anchor"],
                 "anchor_kind": kind_of_phrase(t["anchor"], lang), "offset": t["value"]}
                for t in anchored if t.get("relation") and t["relation"].get("anchor")]
        # a mention with no place of its own shares the sentence's ("flies to X and will visit")
        mine_places = [pl for pl, o in zip(places, owners, strict=True) if o == i] \
            or places[:1]
        mention_places: list[str | None] = [p for _, p in mine_places[:1]] or [None]
        if kind.name in ("visit", "arrival") and len(mine_places) > 1:
            # "factories in Komsomolsk and military facilities in Vladivostok": two visits
            for (ps0, _p0), (ps1, p1) in itertools.pairwise(mine_places):
                if ps1 > ts and re.search(r"\b(?:and|y|и|as well as)\b", text[ps0:ps1]):
                    mention_places.append(p1)
        for part, place in enumerate(mention_places):
            out.append({
                "start": ts, "end": te, "part": part, "trigger": text[ts:te], "kind": kind.name,
                "status": status, "sentence_start": s, "sentence_end": e,
                "quote": text[s:e][:400], "time": time, "relation": relation,
                "participants": list(participants), "place": place,
                "attributes": attrs_, "cues": list(cues), "referential": referential,
                "told_again": told_again})
            if waiting:
                waited.add(id(out[-1]))
    _anchored_offsets(text, s, e, voc, attach, firsts, out)
    return [m for m in out if not (id(m) in waited and m["time"] is None)] if waited else out


def _counts(text: str, lang: str, s: int, e: int, firsts: Sequence[Trigger]
            ) -> dict[str, tuple[int, str]]:
    """Each count of the sentence (`quantities`) as the attribute of one of its triggers:
    the nearest that is not the count's own word ("killing at least 68": the toll of the
    crash the sentence tells, not a killing of its own) nor a saying; the first count of a
    measure wins."""
    if not firsts:
        return {}
    out: dict[str, tuple[int, str]] = {}
    for c in _sentence_counts(text, lang, s, e):
        if c.attribute in out:
            continue
        cands = [i for i, (ts, te, kind) in enumerate(firsts) if not kind.speech
                 and not (ts < c.word_end and c.word_start < te)]
        if not cands:
            cands = [i for i, f in enumerate(firsts) if not f[2].speech]
        if cands:
            out[c.attribute] = (min(cands, key=lambda i: abs(firsts[i][0] - c.start)), c.value)
    return out


# The counts of the last sentence asked for: (text, lang, s, e, counts). A sentence's
# mentions are attached twice (the kinds alone, then with the open-class mentions beside
# them), and its counts are the same both times. A memo, invisible in results.
_COUNTS: list[Any] = [None, "", -1, -1, []]


def _sentence_counts(text: str, lang: str, s: int, e: int) -> list[quantities.Count]:
    last = _COUNTS
    if last[0] is text and last[1] == lang and last[2] == s and last[3] == e:
        return last[4]  # type: ignore[no-any-return]
    got = quantities.counts(text, lang, s, e)
    _COUNTS[:] = [text, lang, s, e, got]
    return got


# a time in the possessive before the noun it qualifies: "Sunday's (presidential) election"
_POSSESSIVE = re.compile(r"['’]s\s+(?:[\w-]+\s+){0,2}")


def _aside(text: str, cs: int, voc: Vocabulary) -> bool:
    """Whether the clause at `cs` opens with a relative word ("who took over in 2006")."""
    return voc.relative is not None and voc.relative.match(
        text, cs + len(text[cs:cs + 40]) - len(text[cs:cs + 40].lstrip(" ,—-–"))) is not None


def _anchor_clause(text: str, s: int, e: int, t: Mapping[str, Any], voc: Vocabulary,
                   triggers: Sequence[Trigger]) -> tuple[int, int]:
    """Where the events an anchored time names lie: its clause after it, up to the "that" of
    a saying ("a day after the commission announced that the party had won": the announcing;
    but all of "dos días después de que fracasaran las negociaciones")."""
    _cs, ce = _clause(text, s, e, t["end"])
    sayings = [o[1] for o in triggers if o[2].speech and t["end"] <= o[0] < ce]
    said = voc.that.search(text, min(sayings), ce) if voc.that is not None and sayings \
        else None
    return t["end"], said.start() if said else ce


def _anchored_offsets(text: str, s: int, e: int, voc: Vocabulary,
                      attach: Mapping[int, Sequence[Mapping[str, Any]]],
                      firsts: Sequence[tuple[int, int, Kind]], out: list[dict[str, Any]]) -> None:
    """"reopened on Tuesday, two days after a storm closed it": the closing is the anchor,
    dated two days before the reopening and ordered before it."""
    for i, txs in attach.items():
        for t in txs:
            if not t.get("anchor") or not (t.get("relation") or {}).get("anchor"):
                continue
            _a, ce = _anchor_clause(text, s, e, t, voc, firsts)
            xs = [m for m in out if m["start"] == firsts[i][0]]
            ys = [m for m in out if t["end"] <= m["start"] < ce and m["start"] != firsts[i][0]]
            direction = t["relation"]["anchor"]["dir"]
            if not xs:  # the kinds' mention, made in the other pass: the day of the time
                # nearest before the offset dates the anchor clause ("iniciaron el lunes una
                # huelga, dos días después de que fracasaran": Saturday), with no cue
                before = [o for got in attach.values() for o in got if o is not t
                          and o["end"] <= t["start"] and o["timex_type"] in ("DATE", "TIME")
                          and _DIGIT.match(o["value"] or "")]
                last = max(before, key=lambda o: o["end"], default=None)
                day = nz.days_from(last["value"], t["value"], after=direction != "AFTER") \
                    if last else None
                for y in ys:
                    if day and y["time"] is None:
                        y["time"] = {"value": day, "type": "DATE", "source": "offset",
                                     "text": t["text"]}
            for x in xs:
                for y in ys:
                    rel = "before_mentions" if direction == "AFTER" else "after_mentions"
                    y["cues"].append({"rel": rel, "mentions": [_key_local(x)],
                                      "cue": f"{t['text']} {direction.lower()}"})
                    # the day of a time too: "flew on Wednesday morning, a day after the vote"
                    day = nz.days_from((x["time"] or {}).get("value") or "", t["value"],
                                       after=direction != "AFTER")
                    if day and y["time"] is None:
                        y["time"] = {"value": day, "type": "DATE", "source": "offset",
                                     "text": t["text"]}


def _sentence_cues(text: str, s: int, found: list[dict[str, Any]], prev_keys: Sequence[str],
                   voc: Vocabulary, lang: str) -> None:
    """Order cues inside a sentence and towards the previous one, recorded on the mentions."""
    if not found:
        return
    ordered = sorted({(m["start"], m["kind"]): m for m in found}.values(),
                     key=lambda m: m["start"])
    after = voc.order.get("after_anchor")
    before = voc.order.get("before_anchor")
    seq = voc.order.get("sequence")
    for a, b in itertools.pairwise(ordered):
        gap = text[a["end"]:b["start"]]
        lead = text[max(s, a["start"] - 25):a["start"]]
        if after and after.search(lead) and not re.search(r"[.;]", lead):
            for later in ordered[ordered.index(a) + 1:]:  # "After the tour, talks were held"
                if later["kind"] != a["kind"]:
                    _cue(later, "after", a, after.search(lead).group(0))  # type: ignore[union-attr]
        elif before and before.search(lead) and not re.search(r"[.;]", lead):
            _cue(a, "after", b, lead.strip())  # "Before the talks, they toured": b < a
        elif seq and (sm := seq.search(gap)):
            # "viajó ..., un día después de la votación": a preposition before b's word
            # ("después de") makes b the anchor; bare "después" is a sequence (a, then b)
            am = next(((rx is after, m) for rx in (after, before) if rx
                       for m in rx.finditer(gap) if m.start() <= sm.start() < m.end()
                       and m.end() - m.start() > sm.end() - sm.start()), None)
            if am is None:
                _cue(b, "after", a, sm.group(0))
            elif am[0]:
                _cue(a, "after", b, am[1].group(0))  # a happened after b
            else:
                _cue(b, "after", a, am[1].group(0))  # "X, poco antes de Y": X before Y
    opener = text[s:s + 30].lower()
    ap, bp = voc.order.get("after_previous"), voc.order.get("before_previous")
    if prev_keys:
        if bp and bp.match(opener):
            for m in found:
                m["cues"].append({"rel": "before_mentions", "mentions": list(prev_keys),
                                  "cue": bp.match(opener).group(0)})  # type: ignore[union-attr]
        elif ap and ap.match(opener):
            for m in found:
                m["cues"].append({"rel": "after_mentions", "mentions": list(prev_keys),
                                  "cue": ap.match(opener).group(0)})  # type: ignore[union-attr]


def _cue(later: dict[str, Any], rel: str, earlier: dict[str, Any], cue: str) -> None:
    later["cues"].append({"rel": "after_mentions", "mentions": [_key_local(earlier)],
                          "cue": cue})


def _key_local(m: Mapping[str, Any]) -> str:
    return f"@{m['start']}:{m['end']}:{m.get('part', 0)}"
