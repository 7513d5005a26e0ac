"""Merging across documents: when a mention may join a cluster that other documents told.

Within one document a mention joins its narrative's cluster on little evidence (the
document tells one story in order). Across documents the evidence must be real: a time
that says the same thing at a comparable precision. Interval overlap alone lets a vague
time swallow precise ones: "would hire 120 engineers this year" (2021) is compatible with
every day of 2021, and "received bailout money" dated to a quarter with every report of
that quarter. So, across documents:

* a mention dated only to a stretch longer than a month (a year, a half, a quarter, a
  season) does not join a cluster dated to a month or a day, nor the reverse; except a
  plan, whose horizon is coarse by nature ("the plant would open in 2023" is the opening
  on 16 May 2023), unless it is a saying: people speak again and again, so a coarse time
  cannot tell which of their statements it is;
* a predicate no kind names (open class) with no time at all merges with no other
  document: its lemma and a shared name are all it has, and a company "works", "says" and
  "plans" every week;
* nor does one told with another word (another lemma: a synonym or another language,
  joined through a concept) whose time is not its own (only its document's date or its
  narrative's day), nor does it join so a cluster none of whose mentions has a time of its
  own (the same word, as in a reprinted wire story, needs no time of its own): now that
  a concept joins predicates across languages ("rose" / "sube" / "выросло"), a day
  inherited from the story says nothing about which rise of the toll it is;
* nor does an aspectual one ("began", "comenzó", "завершилась"): it tells a phase of
  another event, whose own mentions are what merges; two documents' "started" of one
  company on one day may start different things.
* a saying ("said", "informó", "заявил") does not join another document's when both
  sentences give identifying figures and none in common: what was said tells sayings
  apart, and "exports fell 6% in March, the trade ministry said on Tuesday" is not "fuel
  imports rose 2%, the energy ministry said on Tuesday";
* an open-class mention that names nobody joins another document's only as a forecast
  both tell for the same month or day with no figure apart (`forecast_agrees`): "another
  cut in September" is the cut that another source calls likely in September;
* an undated mention whose words name a weekday ("anunció el jueves") does not join a
  cluster dated to a day of another weekday: whatever the document's date turns out to
  be, its Thursday is no Monday, and joining would lend the document the wrong day; nor
  does one whose words name a day of a month ("18 марта") join a cluster of another day.

Mentions of one document are never kept apart here.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Mapping, Sequence
from collections.abc import Set as AbstractSet
from typing import Any

from timeline import concepts, figures, lexicon
from timeline import salience as sal
from timeline.compat import day_span
from timeline.vocabulary import lasting

PRECISE_DAYS = 31  # a month or finer: what a day can be compared with


@functools.lru_cache(maxsize=65536)
def _precise(value: str) -> bool:
    if len(value) >= 10 and value[4] == "-" and value[7:8] == "-":
        return True  # a day, or a time of a day
    span = day_span(value)
    return span is not None and (span[1] - span[0]).days < PRECISE_DAYS


@functools.cache
def _speech() -> frozenset[str]:
    return frozenset(str(k["name"]) for lang in lexicon.languages()
                     for k in lexicon.events(lang).get("kind", []) if k.get("speech"))


def _same_word(m: Mapping[str, Any], members: Sequence[Mapping[str, Any]]) -> bool:
    """Whether a member tells it with `m`'s own lemma: the same word (a wire story reprinted,
    a retelling in one language) is evidence by itself, where a join through a concept
    (another word or language) needs a time of its own."""
    lemma = m.get("lemma")
    return bool(lemma) and any(x.get("lemma") == lemma for x in members)


def may_join(m: Mapping[str, Any], members: Sequence[Mapping[str, Any]],
             time: str | None, cluster_time: str | None,
             documents: AbstractSet[str] | None = None) -> bool:
    """Whether mention `m` (its time `time`) may join a cluster of `members` (its time
    `cluster_time`, its `documents` when the caller keeps them) on the evidence across
    documents."""
    if m["document"] in (documents if documents is not None
                         else {x["document"] for x in members}):
        return True
    if time is None and cluster_time is not None and (_weekday_apart(m, cluster_time)
                                                      or _monthday_apart(m, cluster_time)):
        return False
    if time is None or cluster_time is None:
        return bool(m.get("kind"))  # an undated predicate of the open class: no evidence
    if not m.get("kind") and not _same_word(m, members) \
            and not (sal.own_time(m) and any(map(sal.own_time, members))):
        return False  # a concept's join on a day inherited from the document or its narrative
    if not m.get("kind") and (m.get("event_class") == "ASPECTUAL"
                              or concepts.aspectual(m.get("label") or "")):
        return False  # a phase of another event: that event merges, not its phase verb
    if m.get("kind") in _speech() and _figures_apart(m, members):
        return False  # a saying of other figures
    if _precise(time) == _precise(cluster_time):
        return True
    planned = m["status"] == "planned" or all(x["status"] == "planned" for x in members)
    return planned and m.get("kind", "") not in _speech()


_ONE_DAY = re.compile(r"\d{4}-\d\d-\d\d(T[^/]*)?$")


def _monthday_apart(m: Mapping[str, Any], cluster_time: str) -> bool:
    """Whether `m`'s relation names a day of a month ("18 марта", its year to come from the
    document's date) and the cluster's single day is another: 18 March is no 3 March."""
    rel = m.get("relation") or {}
    if rel.get("k") != "monthday" or not rel.get("m") or not rel.get("d") \
            or not _ONE_DAY.match(cluster_time):
        return False
    return (int(cluster_time[5:7]), int(cluster_time[8:10])) != (rel["m"], rel["d"])


def _weekday_apart(m: Mapping[str, Any], cluster_time: str) -> bool:
    """Whether `m`'s relation names a weekday and the cluster's single day is another."""
    wd = (m.get("relation") or {}).get("wd")
    if not wd or (m.get("relation") or {}).get("k") != "weekday" \
            or not _ONE_DAY.match(cluster_time):
        return False
    try:
        return dt.date.fromisoformat(cluster_time[:10]).isoweekday() != wd
    except ValueError:
        return False


def _figures_apart(m: Mapping[str, Any], members: Sequence[Mapping[str, Any]]) -> bool:
    """Whether `m`'s sentence gives figures (timeline.figures) and every member's that
    gives some gives none of them."""
    mine = figures.figures(m.get("quote") or "")
    if not mine:
        return False
    theirs = [f for x in members if (f := figures.figures(x.get("quote") or ""))]
    return bool(theirs) and not any(mine & f for f in theirs)


def forecast(m: Mapping[str, Any]) -> bool:
    """A plan with a month or a day of its own: what may be another document's forecast."""
    t = m.get("time") or {}
    return m["status"] == "planned" and t.get("source") == "own" \
        and _precise(t.get("value") or "")


def forecast_agrees(m: Mapping[str, Any], members: Sequence[Mapping[str, Any]]) -> bool:
    """Whether an open-class forecast naming nobody is another document's forecast: both
    planned, with times of their own naming the same month or day, and no figure of one
    missing from the other's sentence when both give figures."""
    if not forecast(m) or any(x["document"] == m["document"] for x in members):
        return False
    value = m["time"]["value"]
    mine = figures.figures(m.get("quote") or "")
    for x in members:
        tx = x.get("time") or {}
        theirs = figures.figures(x.get("quote") or "")
        if x["status"] == "planned" and tx.get("source") == "own" \
                and (tx.get("value") or "")[:10] == value[:10] \
                and not (mine and theirs and not mine & theirs):
            return True
    return False


ONE_DAY = re.compile(r"\d{4}-\d\d-\d\d$")  # a single day, no hour


def days_apart(a: str | None, b: str | None) -> int | None:
    """How many days lie between two single days; None unless both are one."""
    if not (a and b and ONE_DAY.match(a) and ONE_DAY.match(b)):
        return None
    try:
        return abs((dt.date.fromisoformat(a) - dt.date.fromisoformat(b)).days)
    except ValueError:
        return None


def in_span(m: Mapping[str, Any], c: Mapping[str, Any], t: str | None) -> bool:
    """Whether `m`, of a kind that lasts days (`lasts_days` in events.toml: a strike), told
    on another day than cluster `c`, falls within the days one such happening lasts: the
    strike that "will begin Monday", "entered its third day" on Wednesday and "ended on
    Thursday" is one. A report, joining reports or a plan for its first day or before (a
    plan names its own day: a report of before it is another strike). Only between two
    single days, so an undated mention (whose document's date dating is still looking for)
    never joins by it."""
    days = lasting().get(m["kind"] or "")
    if not days or m["status"] == "planned" or (c["planned"] and (t or "") < c["time"]):
        return False
    apart = days_apart(t, c["time"])
    return apart is not None and apart < days
