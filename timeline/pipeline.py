"""Pure planning: given what the log already holds, which events does new input call for?

Nothing here reads files, clocks or the database. The CLI gathers the inputs (parsed files,
the current facts read through the store), calls these functions and appends what they
return. Re-running with the same inputs returns nothing to append, which is what makes
scheduled runs idempotent.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, TypeVar

import attrs

from timeline import events as ev
from timeline import temporal
from timeline.ingest import Parsed
from timeline.temporal import values

Head = tuple[str, bool]  # (event_id of the latest event for a key, retracted?)
T = TypeVar("T")


class Excluded(Exception):  # not an error: a decision, already reported
    """Raised by a guard: this document failed in a stage and is left out."""


# guard(doc, stage, fn) runs one document's stage: fn(), or Excluded. The CLI's guard records
# the failure and enforces a time budget; without one, stages run as plain calls.
StageGuard = Callable[["Doc", str, Callable[[], Any]], Any]


def _unguarded(_doc: Doc, _stage: str, fn: Callable[[], T]) -> T:
    return fn()


@attrs.frozen
class Doc:
    """The part of a current document the derivation stages need."""

    id: str
    path: str
    language: str
    header: dict[str, str]
    text: str
    body_start: int
    title: str = ""


def doc_from_parsed(p: Parsed, path: str) -> Doc:
    return Doc(p.document, path, p.language, p.header, p.text, p.body_start, p.title)


def plan_ingest(p: Parsed, path: str, by_path: dict[str, str], current: set[str]) -> Any | None:
    """DocumentIngested, DocumentRevised, or None when this content is already current."""
    if p.document in current:
        return None
    fields = p.fields()
    previous = by_path.get(path)
    if previous and previous != p.document:
        return ev.DocumentRevised(previous=previous, path=path, **fields)
    return ev.DocumentIngested(path=path, **fields)


def keyed_changes(fact_type: str, desired: Iterable[Any], scope: dict[str, Head],
                  current: dict[str, dict[str, Any]], engine: str) -> list[Any]:
    """New assertions for facts that changed, retractions for facts that vanished.

    `scope` holds the heads of every key the desired set replaces (e.g. all timex keys of a
    document); `current` the payloads of the live ones. `prev` chains each assertion to the
    one it supersedes so that a fact which changes back is still a new event.
    """
    out: list[Any] = []
    seen: set[str] = set()
    for fact in desired:
        key = fact.key
        seen.add(key)
        cur = current.get(key)
        if cur is not None and ev.comparable(cur) == ev.comparable(ev.to_data(fact)):
            continue
        head = scope.get(key)
        prev = head[0] if head else None
        # a new fact is built with its engine and no prev already: evolving it would copy it
        out.append(fact if fact.prev == prev and fact.engine == engine
                   else attrs.evolve(fact, prev=prev, engine=engine))
    for key, (eid, retracted) in sorted(scope.items()):
        if key not in seen and not retracted:
            out.append(ev.FactRetracted(fact_type=fact_type, key=key, prev=eid, engine=engine))
    return out


def header_date(doc: Doc) -> str | None:
    d = doc.header.get("date")
    return d[:10] if d and values.parse_day(d[:10]) else None


def timex_facts(doc: Doc, dct: str | None, engine: str) -> list[ev.TimexFound]:
    """TimexFound for every expression in the document, offsets into its full text."""
    found = temporal.tag(doc.text, values.parse_day(dct), doc.language)
    payloads = [valid_timex({"start": t.start, "end": t.end, "text": t.text,
                             "timex_type": t.type, "value": t.value, "mod": t.mod,
                             "begin": t.begin, "end_value": t.end_value, "anchor": t.anchor,
                             "relation": t.relation}) for t in found]
    return [ev.TimexFound(document=doc.id, **p, dct=dct, engine=engine)
            for p in payloads if p is not None]


# ------------------------------------------------------------------ the value boundary
# Whatever the stages compute, a value that is not a real TIMEX3 value never reaches the
# log: it is stored as precisely as it is valid ("2024-02-30" as the month), or not at all.


def valid_timex(t: dict[str, Any]) -> dict[str, Any] | None:
    """A timex payload with valid values only, or None when its value has no valid part."""
    got = _coerce(t.get("value"), t.get("timex_type"))  # memoised: values recur
    if got is None:
        return None
    begin, end = _bound(t.get("begin")), _bound(t.get("end_value"))
    if not (begin and end):
        begin = end = None
    fixed = {"timex_type": got[0], "value": got[1], "begin": begin, "end_value": end}
    if all(t.get(k) == v for k, v in fixed.items()):
        return t
    return {**t, **fixed}


@functools.lru_cache(maxsize=65536)
def _coerced(value: str, type_: str | None) -> tuple[str, str] | None:
    """values.coerce of a string: the same few values come from thousands of mentions."""
    return values.coerce(value, type_)


def _coerce(value: Any, type_: Any = None) -> tuple[str, str] | None:
    if isinstance(value, str) and (type_ is None or isinstance(type_, str)):
        return _coerced(value, type_)
    return values.coerce(value, type_)


def _bound(value: str | None) -> str | None:
    got = _coerce(value) if value else None
    return got[1] if got else None


def _granularity(start: str | None, given: str | None) -> str | None:
    valid = _bound(start)
    return given if valid == start else temporal.granularity(valid) if valid else None


def _valid_mention(m: dict[str, Any]) -> dict[str, Any]:
    time = m.get("time")
    if not time:
        return m
    got = _coerce(time.get("value"), time.get("type"))
    if got is None:
        return {**m, "time": None}
    fixed = {**time, "type": got[0], "value": got[1]}
    for k in ("begin", "end_value"):
        if fixed.get(k) is not None:
            fixed[k] = _bound(fixed[k])
    return {**m, "time": fixed} if fixed != time else m



# ------------------------------------------------------------------ the corpus-wide stages


@attrs.frozen
class Reconstruction:
    dates: dict[str, Any]  # doc id -> dating.Dating
    timexes: dict[str, list[dict[str, Any]]]  # doc id -> timex payloads, anchored on `dates`
    mentions: list[dict[str, Any]]
    events: list[Any]  # reconcile.Event
    constraints: list[Any]  # reconcile.Constraint (accepted or not)
    ranks: dict[str, int]
    excluded: frozenset[str] = frozenset()  # documents a stage failed on, left out
    # doc id -> its analysis (timeline.analyze): the entity stage reads the same one
    analysed: Mapping[str, Any] = attrs.field(factory=dict, eq=False, repr=False)
    # doc id -> its text, which the events' sources quote (by offsets: EventFormed v3)
    texts: dict[str, str] = attrs.field(factory=dict, eq=False, repr=False)
    # identity.Merged / identity.Split against the previous events (`prior`)
    lineage: list[Any] = attrs.field(factory=list)


def _anchor(timexes: list[dict[str, Any]], date: str | None) -> list[dict[str, Any]]:
    if all(t.get("dct") == date for t in timexes):
        return [v for t in timexes if (v := valid_timex(t)) is not None]
    out = []
    day = values.parse_day(date)
    for t in timexes:
        tx = temporal.Timex(t["start"], t["end"], t["text"], t["timex_type"], t["value"],
                            t.get("mod"), t.get("begin"), t.get("end_value"), t.get("anchor"),
                            t.get("relation"))
        tx = temporal.reresolve(tx, day)
        got = valid_timex({**t, "value": tx.value, "timex_type": tx.type, "begin": tx.begin,
                           "end_value": tx.end_value, "dct": date})
        if got is not None:
            out.append(got)
    return out


def analysis(doc: Doc) -> Any:
    """The analysed document (timeline.analyze), or None for a language it does not cover."""
    from timeline import analyze

    return analyze.analyze(doc.text, doc.language) if doc.language in analyze.LANGUAGES \
        else None


def _told(m: dict[str, Any]) -> bool:
    """A mention of a kind, told as having happened or being planned: what dates documents
    and anchors "the day after the crash" (open-class and denied mentions do neither)."""
    return bool(m["kind"]) and m["status"] != "negated"


def reconstruct(docs: list[Doc], timexes: dict[str, list[dict[str, Any]]],
                segs: dict[str, list[Any]] | None = None,
                story_of: dict[tuple[str, int], str] | None = None,
                guard: StageGuard | None = None,
                prior: Sequence[Any] = (), ahead: Mapping[str, Any] | None = None,
                ) -> Reconstruction:
    """Date documents, find mentions, merge, order: in rounds, so that documents without a
    date can borrow one from the events they share with dated siblings.

    `docs` must be closed under stories (every document of every story they touch): the
    stages never look across stories, so such a subset reconstructs exactly as the whole.
    Each document's stages run under `guard`; a document it excludes is left out from then
    on (`Reconstruction.excluded`), and its segments still took part in `story_of`: the
    caller reconstructs again without it, so that no story is shaped by a failed document.
    `prior` (identity.Prior): the events these documents had, whose ids the new events keep
    (timeline.identity), recording merges and splits in `Reconstruction.lineage`.
    `ahead` (timeline.ahead.Ahead, by document): what workers analysed and extracted.
    """
    from timeline import dating, extract, identity, order, reconcile, salience, segment, titles
    from timeline.ahead import Analyses, fits, with_stories

    run = guard or _unguarded
    if segs is None:
        segs = {d.id: segment.segments(d.id, d.text, d.body_start, d.language) for d in docs}
    if story_of is None:
        story_of = segment.stories([s for d in docs for s in segs[d.id]],
                                   dates={d.id: d.header.get("date") for d in docs})
    kinds = {name: k for d in docs for name, k in extract.kinds(d.language).items()}
    # stored by an older engine, a value may not be valid: no stage reads it as it stands
    timexes = {doc: [v for t in ts if (v := valid_timex(t)) is not None]
               for doc, ts in timexes.items()}
    excluded: set[str] = set()

    def each(stage: str, ds: Iterable[Doc], fn: Callable[[Doc], T]) -> dict[str, T]:
        out: dict[str, T] = {}
        for d in ds:
            if d.id not in excluded:
                try:
                    out[d.id] = run(d, stage, functools.partial(fn, d))
                except Excluded:
                    excluded.add(d.id)
        return out

    dates = each("date", docs, lambda d: dating.from_content(d, timexes.get(d.id, [])))
    anchored = each("anchor", docs, lambda d: _anchor(timexes.get(d.id, []), dates[d.id].date))

    # once per document: every round of extraction reads the same analysis
    made = ahead or {}
    analysed = Analyses()

    def analyse(d: Doc) -> None:
        got = made.get(d.id)
        if got is None:
            analysed.put(d.id, analysis(d))
        elif got.failed and got.failed[0] == "analyze":
            raise got.failed[1]
        else:  # unpickled when a stage reads it
            analysed.put_pickled(d.id, got.analysis, d.text)

    each("analyze", docs, analyse)

    def extract_one(d: Doc) -> list[dict[str, Any]]:
        got = made.get(d.id)
        if got is not None and fits(got, dates[d.id], anchored[d.id], segs[d.id]):
            if got.failed and got.failed[0] == "extract":
                raise got.failed[1]
            return with_stories(got, story_of)
        return extract.mentions(d.id, d.text, d.language, segs[d.id], story_of,
                                anchored[d.id], dates[d.id].date, analysed[d.id])

    def extract_all(ids: set[str]) -> dict[str, list[dict[str, Any]]]:
        return each("extract", [d for d in docs if d.id in ids and d.id in analysed],
                    extract_one)

    found = extract_all({d.id for d in docs})
    memo: reconcile.Memo = {}  # every merge below builds only the clusters it has not seen
    # Rounds: documents dated in one round lend their events' dates to the next. Three
    # rounds cover "no header anywhere": an explicit date dates one document, whose
    # events then date its siblings. A year-less dateline whose year is only a guess (read
    # off the past the text recalls) goes first, alone: the story's other documents may
    # correct it, else the guess stands; it lends no dates until then.
    for _round in range(4):
        guesses = [d for d in docs if d.id not in excluded and dates[d.id].partial
                   and dates[d.id].date]
        undated = guesses or [d for d in docs if d.id not in excluded
                              and dates[d.id].date is None]
        if not undated:
            break
        flat = [m for i, ms in found.items() if i not in excluded and not dates[i].partial
                for m in ms if _told(m)]
        draft = reconcile.merge(flat, {k: v.date for k, v in dates.items()
                                       if k not in excluded}, kinds, memo)
        index = dating.EventIndex.of(draft)  # once per round, not per document
        days = dating.story_days(found, dates, excluded)

        def sibling_date(d: Doc, index: dating.EventIndex = index,
                         days: Mapping[Any, list[str]] = days) -> dating.Dating:
            stories = frozenset(m.get("story") for m in found.get(d.id, ()))
            return dating.from_siblings(
                d, [m for m in found[d.id] if _told(m)], index, dating.floor(d, anchored[d.id]),
                dates[d.id].partial, timexes.get(d.id, []), stories,
                sorted(day for st in stories for day in days.get(st, ())))

        got = each("date", undated, sibling_date)
        newly = {i for i, g in got.items() if g.date and g.date != dates[i].date}
        for d in guesses:  # corrected, or confirmed as it stands: settled either way
            if d.id in got:
                dates[d.id] = got[d.id] if got[d.id].date else \
                    attrs.evolve(dates[d.id], partial=None)
        dates.update({i: got[i] for i in newly})
        anchored.update(each("anchor", [d for d in docs if d.id in newly],
                             lambda d: _anchor(timexes.get(d.id, []), dates[d.id].date)))
        if not guesses and not newly - excluded:
            break
        found.update(extract_all(newly))
    live = [d for d in docs if d.id not in excluded]
    mentions = [m for d in live for m in found[d.id]]
    day_of = {d.id: dates[d.id].date for d in live}
    events = reconcile.merge(mentions, day_of, kinds, memo)
    counted = dating.days_from_anchors(mentions, [e for e in events if e.kind
                                                  and e.status != "negated"])
    if any(a is not b for a, b in zip(counted, mentions, strict=True)):
        mentions = counted  # "the day after the crash", the crash dated: merge again
        events = reconcile.merge(mentions, day_of, kinds, memo)
    events, lineage = identity.settle(events, mentions, prior, {d.id: d.path for d in live},
                                      day_of)
    with analysed.held():  # titles read in event order: each document unpacked once
        events = titles.titled(events, mentions, analysed, {d.id: d.language for d in live})
    # the order is the shown events'; the hidden ones take their place among them by date
    shown = [e for e in events if salience.visible(e)]
    cons, ranks = order.resolve(shown, order.constraints(shown, mentions))
    ranks.update(salience.place(events, ranks))
    return Reconstruction({d.id: dates[d.id] for d in live},
                          {d.id: anchored[d.id] for d in live}, mentions, events, cons, ranks,
                          frozenset(excluded), analysed.present(),
                          {d.id: d.text for d in live}, lineage)


_MENTION_FIELDS = tuple(f.name for f in attrs.fields(ev.MentionFound) if f.name != "engine")


def _mention_fact(m: dict[str, Any], engine: str) -> ev.MentionFound:
    """A mention as its fact: the fields the fact has, an open-class one without its quote."""
    valid = _valid_mention(m)
    fields = {k: valid[k] for k in _MENTION_FIELDS if k in valid}
    if not m["kind"]:
        fields["quote"] = ""
    return ev.MentionFound(**fields, engine=engine)


def reconstruction_facts(r: Reconstruction, engine: str) -> dict[str, list[Any]]:
    """The reconstruction as keyed facts, by fact type, ready for `keyed_changes`."""
    from timeline import conflicts as disputes
    from timeline import series as running
    from timeline.evidence import agreement
    from timeline.identity import Merged
    from timeline.reconcile import mention_key

    dated = [ev.DocumentDated(document=doc, date=d.date if values.parse_day(d.date) else None,
                              basis=d.basis, evidence=d.evidence,
                              confidence=round(d.confidence, 2), engine=engine,
                              readings=list(d.readings))
             for doc, d in sorted(r.dates.items())]
    timexes = [ev.TimexFound(**{**t, "engine": engine, "prev": None})
               for doc in sorted(r.timexes) for t in r.timexes[doc]]
    # an open-class mention keeps its sentence as offsets only (sentence_start/end into the
    # document's text): the log holds ten of them for every kind's, and the quote is most of
    # a mention's bytes
    mentions = [_mention_fact(m, engine) for m in r.mentions]
    by_key = {mention_key(m): m for m in r.mentions}
    doc_dates = {doc: d.date for doc, d in r.dates.items()}
    events = []
    for e in r.events:
        members = [by_key[k] for k in e.mentions if k in by_key]
        events.append(ev.EventFormed(
            event=e.id, story=e.story, kind=e.kind, title=e.title, start=_bound(e.start),
            end=_bound(e.end), granularity=_granularity(e.start, e.granularity),
            status=e.status, rank=r.ranks.get(e.id), place=e.place,
            participants=e.participants, label=e.label,
            sources=ev.sources_by_offsets(e.sources, r.texts), event_class=e.event_class,
            salience=e.salience, evidence=agreement(members, e.start),
            series=running.of_event(e.attributes, members, doc_dates), engine=engine))
    orders = [ev.OrderAsserted(before=c.before, after=c.after, cue=c.cue, document=c.document,
                               accepted=c.accepted, engine=engine) for c in r.constraints]
    conflicts = [ev.ConflictFound(event=eid, attribute=name, values=values, engine=engine)
                 for eid, name, values in disputes.of_events(
                     r.events, r.mentions, doc_dates)]
    for c in r.constraints:
        if not c.accepted and c.document:
            conflicts.append(ev.ConflictFound(
                event=c.before, attribute=f"order vs {c.after}", engine=engine,
                values=[{"value": f"before ({c.cue})", "documents": [c.document] if c.document
                         else []},
                        {"value": "after (stronger evidence)", "documents": []}]))
    lineage = [ev.EventsMerged(event=c.event, merged=list(c.merged), story=c.story,
                               evidence=c.evidence, engine=engine)
               if isinstance(c, Merged) else
               ev.EventSplit(event=c.event, into=list(c.into), story=c.story, engine=engine)
               for c in r.lineage]
    return {"DocumentDated": dated, "TimexFound": timexes, "MentionFound": mentions,
            "EventFormed": events, "OrderAsserted": orders, "ConflictFound": conflicts,
            "lineage": lineage}
