"""Reconciliation: mentions into events, events into an order, disagreements into conflicts.

Pure and deterministic: the same mentions give the same events with the same ids, so a
re-run appends nothing and ids stay stable across runs.
"""

from __future__ import annotations

import hashlib
import itertools
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from typing import Any

import attrs

from timeline import concepts, crossdoc, figures
from timeline import salience as sal
from timeline.compat import compatible, day_span, interval, loosely_compatible, places_compatible
from timeline.names import skeleton
from timeline.nountitles import label_title
from timeline.temporal.normalize import granularity
from timeline.vocabulary import identity_names, lasting

Mention = Mapping[str, Any]


@attrs.frozen
class Event:
    id: str
    story: str
    kind: str
    title: str
    start: str | None
    end: str | None
    granularity: str | None
    status: str
    place: str | None
    participants: list[str]
    mentions: list[str]  # mention keys
    sources: list[dict[str, Any]]
    attributes: dict[str, list[dict[str, Any]]]  # attribute -> [{value, documents}]
    container: bool = False
    phase: str | None = None
    label: str = ""  # the kind, or the lemma of an event no kind names
    event_class: str = ""  # TimeML class of its first mention
    salience: int = 0  # see timeline.salience


@attrs.frozen
class Constraint:
    before: str
    after: str
    cue: str
    document: str | None
    weight: float
    accepted: bool = True


def mention_key(m: Mention) -> str:
    return f"{m['document']}:{m['start']}:{m['end']}:{m.get('part', 0)}"


# ------------------------------------------------------------------ merging


def _time_of(m: Mention) -> str | None:
    t = m.get("time")
    return t["value"] if t else None


def _own(m: Mention) -> bool:
    t = m.get("time")
    return bool(t) and t.get("source") == "own"


def _day_of(m: Mention) -> str | None:
    """The day an undated mention's relation names ("Monday", "two days ago"), as a key."""
    rel = m.get("relation")
    if not rel or _time_of(m):
        return None
    return repr(sorted((k, v) for k, v in rel.items() if k != "pod"))


Buckets = dict[tuple[str, str, str], tuple[list[Mention], list[Any], list[list[Mention]]]]


def cluster(mentions: Sequence[Mention], doc_dates: Mapping[str, str | None],
            memo: Buckets | None = None) -> list[list[Mention]]:
    """Group mentions of the same happening: same story and kind, compatible time and place.

    Mentions with their own date go first, so an undated mention joins the cluster its
    document's narrative points at instead of founding a cluster of its own. A bucket (one
    story's mentions of one kind) is clustered alone: `memo` keeps each bucket's clusters
    with its mentions (by identity) and the dates its plans read, so clustering again after
    a few mentions changed clusters only their buckets.
    """
    buckets: dict[tuple[str, str, str], list[Mention]] = defaultdict(list)
    for m in mentions:
        buckets[sal.group(m)].append(m)
    out: list[list[Mention]] = []
    identities = identity_names()
    for key in sorted(buckets):
        if memo is not None:
            dates = [doc_dates.get(m["document"]) for m in buckets[key]
                     if m["status"] == "planned"]
            hit = memo.get(key)
            if hit is not None and len(hit[0]) == len(buckets[key]) and hit[1] == dates \
                    and all(a is b for a, b in zip(hit[0], buckets[key], strict=True)):
                out += hit[2]
                continue
            first = len(out)
        # reports before plans: an undated plan ("will appear again on April 2") must not
        # claim the cluster its own document's report of the past belongs to
        group = sorted(buckets[key], key=lambda m: (not _own(m), _time_of(m) is None,
                                                    m["status"] == "planned", m["document"],
                                                    m["start"], m.get("part", 0)))
        clusters: list[dict[str, Any]] = []
        # the clusters a mention may join: an open-class mention that names nobody founds
        # one that stays alone (sal.alone), so no later mention scans it
        joinable: list[dict[str, Any]] = []
        open_class = key[1].startswith("~")
        for m in group:
            if open_class and sal.alone(m) and not figures.figures(m.get("quote") or "") \
                    and not crossdoc.forecast(m):  # another document's may join it
                clusters.append(_founded(m))
                continue
            t = _time_of(m)
            day = _day_of(m)
            pred = concepts.predicate(m.get("lemma") or "")
            which = {n: v for n, v in (m.get("attributes") or {}).items() if n in identities}
            planned_after = doc_dates.get(m["document"]) if m["status"] == "planned" else None
            best = None
            for c in joinable:
                if refusal(m, c, t, day, which, planned_after, open_class) is not None:
                    continue
                # the cluster that tells it with the same predicate ("снизил" joins "cut",
                # not "kept", of two rate decisions a day could be), then the largest
                if best is None or (pred in c["preds"], len(c["members"])) > \
                        (pred in best["preds"], len(best["members"])):
                    best = c
            if best is None:
                best = {"time": None, "place": None, "members": [], "planned": True,
                        "negated": True, "days": {}, "which": {}, "docs": set(), "preds": set(),
                        "people": set()}
                clusters.append(best)
                joinable.append(best)
            # a lasting happening is dated to its first day (before `m` is a member)
            earlier = bool(best["members"]) and crossdoc.in_span(m, best, t) \
                and (t or "") < best["time"]
            best["members"].append(m)
            best["preds"].add(pred)
            best["docs"].add(m["document"])
            if open_class:
                best["people"] |= sal.people(m)
            best["which"].update(which)
            if day:
                best["days"].setdefault(m["document"], set()).add(day)
            if t and (best["time"] is None or earlier
                      or (_own(m) and len(t) > len(best["time"]))):
                best["time"] = t
            best["place"] = best["place"] or m.get("place")
            best["planned"] = best["planned"] and m["status"] == "planned"
            best["negated"] = best["negated"] and m["status"] not in _TOLD_STATUSES
        out += [c["members"] for c in clusters]
        if memo is not None:
            memo[key] = (buckets[key], dates, out[first:])
    return out


def refusal(m: Mention, c: Mapping[str, Any], t: str | None, day: str | None,
            which: Mapping[str, Any], planned_after: str | None,
            open_class: bool) -> str | None:
    """The first check that keeps mention `m` (its time `t`, its narrative's `day`, the
    identity attributes `which`, the date its plan was made `planned_after`) out of cluster
    `c`, by name; None when it may join. One function, so scripts/eval_crossdoc.py --why
    names the check that refused a gold merge with the decision clustering makes."""
    if not (compatible(t, c["time"]) if m["document"] not in c["docs"]
            else loosely_compatible(t, c["time"])) and not crossdoc.in_span(m, c, t):
        return "time"
    if open_class and not _open_joins(m, c):
        return "participants"
    if m["document"] not in c["docs"] and (m["status"] not in _TOLD_STATUSES
                                           or c.get("negated")):
        return "negated"  # what did not happen ("ended without a deal"): no happening to share
    if not crossdoc.may_join(m, c["members"], t, c["time"], c["docs"]):
        return "crossdoc"  # across documents: a time of comparable precision (crossdoc)
    # Different places separate plans ("Komsomolsk", then "Vladivostok"); reports
    # of what happened are too loose about places ("in Russia", "at the base").
    if (m["status"] == "planned" or c["planned"]) and \
            not places_compatible(m.get("place"), c["place"]):
        return "place"
    if planned_after and c["time"] and (interval(c["time"]) or ("",))[0] < \
            planned_after[:10] and not c["planned"]:
        return "plan-after"  # a plan cannot be an event that happened before it was made
    if t is None and (m["status"] == "planned") != c["planned"] and (
            c["time"] is None or m.get("relation")):
        return "plan-vs-report"  # an undated plan and a report: nothing says they are one
    if day and c["days"].get(m["document"], {day}) != {day}:
        return "day"  # one undated report, two different days ("Monday", "Wednesday")
    if any(c["which"].get(n, v) != v for n, v in which.items()):
        return "which"  # the first round and the runoff: two elections
    return None


def _open_joins(m: Mention, c: Mapping[str, Any]) -> bool:
    """`sal.may_join(m, members) or _figures_agree(m, members) or
    crossdoc.forecast_agrees(m, members)`, read off what the cluster
    keeps: all three refuse a mention of a member's document (`c["docs"]`), and the people it
    shares with some member are the people it shares with all of them (`c["people"]`, their
    union). Per member, the two scanned every member for every mention compared, a fifth of
    clustering's CPU on a 1,000-document run."""
    members = c["members"]
    if m["document"] in c["docs"]:
        return False
    mine = sal.people(m)
    people = c.get("people")
    if people is None:  # a cluster made elsewhere (scripts/crossdoc_why.py)
        people = set().union(*map(sal.people, members))
    if mine and not mine.isdisjoint(people):
        return True
    return _figures_agree(m, members) or crossdoc.forecast_agrees(m, members)


def _figures_agree(m: Mention, members: Sequence[Mention]) -> bool:
    """An open-class mention naming nobody ("inflation fell to 2.4%") joins another
    document's of its label when their sentences give the same figure (timeline.figures):
    the figure is the argument they share; never two of one document."""
    quote = m.get("quote") or ""
    if not figures.figures(quote):
        return False  # no figure of its own: none it could share
    return all(x["document"] != m["document"] for x in members) and \
        any(figures.shared(quote, x.get("quote") or "") for x in members)


def _founded(m: Mention) -> dict[str, Any]:
    """The cluster of one mention that nothing joins: only its members are read."""
    return {"members": [m]}


def _values(members: Sequence[Mention], getter: Any) -> list[dict[str, Any]]:
    by_value: dict[str, set[str]] = defaultdict(set)
    for m in members:
        v = getter(m)
        if v:
            by_value[v].add(m["document"])
    return [{"value": v, "documents": sorted(d)} for v, d in
            sorted(by_value.items(), key=lambda kv: (-len(kv[1]), kv[0]))]


def disputed(values: Sequence[Mapping[str, Any]]) -> bool:
    """Whether sources disagree: one value that some document gives and another does not,
    and the reverse. "Talks dragged on for nine months ... after 10 hours of negotiations",
    told so by every source, is two stretches of one story, not a dispute."""
    docs = [set(v["documents"]) for v in values]
    return any(a - b and b - a for a, b in itertools.combinations(docs, 2))


def build_event(members: Sequence[Mention], kinds: Mapping[str, Any]) -> Event:
    """The event of a cluster (`_build` of its members; most clusters are one mention,
    whose event `_build_one` makes without the comparisons of several)."""
    return _build_one(members[0], kinds) if len(members) == 1 else _build(members, kinds)


def _build_one(m: Mention, kinds: Mapping[str, Any]) -> Event:
    """`_build([m], kinds)`, spelled for one mention (tests/test_reconcile_fast.py)."""
    key = mention_key(m)
    eid = "ev-" + hashlib.sha256(key.encode()).hexdigest()[:12]
    t = m.get("time")
    start = end = None
    if t and (t["value"] or t.get("source") == "own"):  # dated, or a time of its own
        start = t["value"]
        if t.get("begin") and t.get("end_value"):
            start, end = t["begin"], t["end_value"]
    status = m["status"] if m["status"] in _TOLD_STATUSES else "negated"
    place = m.get("place") or None
    participants: list[str] = []
    spelled = {tuple(skeleton(w) for w in place.split())} if place else set()
    for p in sorted(Counter(m.get("participants", [])).items(), key=lambda kv: (-kv[1], kv[0])):
        k = tuple(skeleton(w) for w in p[0].split())
        if k not in spelled:
            spelled.add(k)
            participants.append(p[0])
    participants = participants[:6]
    attrs_ = m.get("attributes", {})
    attributes = {n: ([{"value": v, "documents": [m["document"]]}] if (v := attrs_.get(n))
                      else []) for n in sorted(attrs_)}
    kind = kinds.get(m["kind"])
    name = m["kind"] or m.get("label") or ""
    title = label_title(name)  # timeline.titles titles the shown events from the analysis
    sources = [{"document": m["document"], "quote": m["quote"], "start": m["sentence_start"],
                "end": m["sentence_end"], **({"lang": m["lang"]} if m.get("lang") else {}),
                **({"title": m["title"]} if m.get("title") else {})}]
    cls = m.get("event_class") or ""
    score = sal.score(m["kind"], cls, status, 1, sal.own_time(m))
    return Event(eid, m["story"], m["kind"], title, start, end,
                 granularity(start) if start else None, status, place, participants, [key],
                 sources, attributes, bool(kind and kind.container),
                 kind.phase if kind else None, name, cls, score)


_TOLD_STATUSES = frozenset({"occurred", "planned", "reported", "hypothetical"})


def _build(members: Sequence[Mention], kinds: Mapping[str, Any]) -> Event:
    keyed = sorted((mention_key(m), i) for i, m in enumerate(members))
    keys = [k for k, _i in keyed]
    first = members[keyed[0][1]]  # the first of the smallest key, as min() would take
    eid = "ev-" + hashlib.sha256(keys[0].encode()).hexdigest()[:12]
    own = [m for m in members if _own(m)]
    dated = own or [m for m in members if _time_of(m)]
    values = Counter(_time_of(m) for m in dated)
    start = end = None
    lasts = lasting().get(first["kind"] or "")
    if values:
        # the most specific value most sources agree on; a lasting happening (a strike),
        # its first day: the one a reader puts it at
        start = max(values, key=lambda v: (values[v], len(v or ""), v))
        first_day = min((v for v in values if v and crossdoc.ONE_DAY.match(v)), default=None)
        if lasts and first_day and crossdoc.days_apart(first_day, start) is not None:
            start = first_day
        spans = [m["time"] for m in dated if m["time"]["value"] == start]
        rng = next((t for t in spans if t.get("begin") and t.get("end_value")), None)
        if rng:
            start, end = rng["begin"], rng["end_value"]
    statuses = {m["status"] for m in members}
    status = next((s for s in ("occurred", "planned", "reported", "hypothetical")
                   if s in statuses), "negated")
    # the place most documents agree on, its spellings in other languages counted with it
    # (Geneva, Ginebra, Женеве); a named place of several words ("Vostochny Cosmodrome") over
    # a country when the count ties; shown in Latin letters when a source writes it so, as
    # Russian inflects its places ("в Женеве") and the others do not
    docs_by_place: dict[str, set[str]] = defaultdict(set)
    for m in members:
        if m.get("place"):
            docs_by_place[m["place"]].add(m["document"])
    with_spellings = {p: set().union(*(d for q, d in docs_by_place.items()
                                       if places_compatible(p, q))) for p in docs_by_place}
    place = max(docs_by_place, key=lambda p: (len(with_spellings[p]), len(p.split()),
                                              p.isascii(), len(docs_by_place[p]), p)) \
        if docs_by_place else None
    people: Counter[str] = Counter()
    for m in members:
        people.update(m.get("participants", []))
    # Kyriakos Mitsotakis ~ Кириакос Мицотакис: one person; a name that spells where it
    # happened ("Disaster at Patras (Patras, ...)", Патр ~ Patras) is no participant
    participants: list[str] = []
    spelled = {tuple(skeleton(w) for w in m["place"].split()) for m in members if m.get("place")}
    for p, _ in sorted(people.items(), key=lambda kv: (-kv[1], kv[0])):
        key = tuple(skeleton(w) for w in p.split())
        if key not in spelled:
            spelled.add(key)
            participants.append(p)
    participants = participants[:6]
    attributes: dict[str, list[dict[str, Any]]] = {}
    names = {a for m in members for a in m.get("attributes", {})}
    for name in sorted(names):
        attributes[name] = _values(members, lambda m, n=name: m.get("attributes", {}).get(n))
    date_values = _values(own, lambda m: m["time"]["value"].split("T")[0])
    spans = [day_span(v["value"]) for v in date_values] if len(date_values) > 1 else []
    if any(a and b and (a[1] < b[0] or b[1] < a[0]) and not (lasts and (max(a[1], b[1]) -
                                                                 min(a[0], b[0])).days < lasts)
           for a, b in itertools.combinations(spans, 2)):
        # a disagreement, not a day inside the period another source names ("August" and
        # "in the summer" agree; Friday night and the weekend do not), nor two days of a
        # happening that lasts days (a strike's first and third)
        attributes["date"] = date_values
    kind = kinds.get(first["kind"])
    name = first["kind"] or first.get("label") or ""
    title = label_title(name)  # timeline.titles titles the shown events from the analysis
    sources = [{"document": m["document"], "quote": m["quote"], "start": m["sentence_start"],
                "end": m["sentence_end"], **({"lang": m["lang"]} if m.get("lang") else {}),
                **({"title": m["title"]} if m.get("title") else {})}
               for m in sorted(members, key=lambda m: (m["document"], m["sentence_start"]))]
    seen: set[tuple[str, int]] = set()
    sources = [s for s in sources if not ((s["document"], s["start"]) in seen
                                          or seen.add((s["document"], s["start"])))]
    cls = first.get("event_class") or ""
    score = sal.score(first["kind"], cls, status, len({m["document"] for m in members}),
                      any(sal.own_time(m) for m in members))
    return Event(eid, first["story"], first["kind"], title, start, end,
                 granularity(start) if start else None, status, place, participants, keys,
                 sources, attributes, bool(kind and kind.container),
                 kind.phase if kind else None, name, cls, score)


# cluster -> (its members, its event); under the key (), cluster's own memo (Buckets)
Memo = dict[tuple[int, ...], Any]


def merge(mentions: Sequence[Mention], doc_dates: Mapping[str, str | None],
          kinds: Mapping[str, Any], memo: Memo | None = None) -> list[Event]:
    """Events of the mentions. `memo` (one per `kinds`) keeps the event each cluster was
    built into: merging again after a few mentions changed (the rounds of dating, the anchored
    mentions) builds only the clusters that changed. A cluster is known by its members'
    identities, and the memo holds the members, so no identity is reused while it lives."""
    if memo is None:
        return sorted((build_event(c, kinds) for c in cluster(mentions, doc_dates)),
                      key=lambda e: e.id)
    out = []
    for c in cluster(mentions, doc_dates, memo.setdefault((), {})):
        key = tuple(id(m) for m in c)
        hit = memo.get(key)
        if hit is None:
            hit = memo[key] = (c, build_event(c, kinds))
        out.append(hit[1])
    return sorted(out, key=lambda e: e.id)

