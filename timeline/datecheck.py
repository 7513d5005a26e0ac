"""Dating that checks itself: a reading of a document's date is tested against everything
else the document and its siblings say, and the reading that leaves fewest contradictions
wins.

A contradiction is a statement that cannot hold if the document is dated D: a day
expression that, read on D, names another day than the one other sources give its event
("met on Monday", the meeting dated the 13th elsewhere); an event reported as past that
others date after D, or announced that others date before it; a full date the document
reports as past that lies after D; a weekday written beside a date without its year ("el
lunes 4 de marzo", "в среду, 6 марта", "Monday, March 4") that is not that date's weekday
in D's year. The evidence of the winner and of the readings it beat is kept
(`Dating.readings`, stored in DocumentDated).

Pure; the words (weekday names) are the temporal resources' own.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import attrs

from timeline import lexicon
from timeline.temporal import normalize as nz

_FULL_DAY = re.compile(r"^\d{4}-\d\d-\d\d")
_NARROW = frozenset({"weekday", "offset"})
KEEP = 3  # readings kept as evidence: the winner and the two best it beat
Reading = dict[str, Any]


def _resolve(rel: Mapping[str, Any], ref: dt.date) -> str | None:
    try:
        v = nz.resolve(dict(rel), ref, rel.get("tense"))[1]
    except (ValueError, KeyError, TypeError):
        return None
    return v[:10] if _FULL_DAY.match(v) else None


def weekday_of(text: str, lang: str) -> int | None:
    """The ISO weekday a date expression spells out ("el lunes 4 de marzo": 1), if any."""
    forms = lexicon.forms(lang, "weekday")
    for w in re.findall(r"\w+\.?", text.lower()):
        got = forms.get(w) or forms.get(w.rstrip("."))
        if isinstance(got, int):
            return got
    return None


def weekday_marks(timexes: Sequence[Mapping[str, Any]], lang: str
                  ) -> list[tuple[Mapping[str, Any], int]]:
    """Year-less dates written with their weekday: each says which years it fits. The
    weekday is inside the expression ("el lunes 4 de marzo") or a weekday expression
    right beside it ("6 марта, среда")."""
    out = []
    by_start: dict[int, int] = {}
    by_end: dict[int, int] = {}
    for w in timexes:
        rel = w.get("relation") or {}
        if rel.get("k") == "weekday" and rel.get("wd"):
            by_start.setdefault(w["start"], rel["wd"])
            by_end.setdefault(w["end"], rel["wd"])
    for t in timexes:
        if (t.get("relation") or {}).get("k") == "monthday":
            wd = weekday_of(t.get("text") or "", lang) or next(
                (got for gap in range(4) if (got := by_start.get(t["end"] + gap)
                                             or by_end.get(t["start"] - gap))), None)
            if wd:
                out.append((t, wd))
    return out


def fits_weekday(month: int, day: int, weekday: int, year: int) -> bool:
    try:
        return dt.date(year, month, day).isoweekday() == weekday
    except ValueError:
        return False


MARKS = 20  # weekday marks checked: a document naming thousands is no news article


@attrs.frozen
class OwnDays:
    """What a document's own expressions say about its date, gathered once so that each
    reading costs the marks and two binary searches, not a pass over every expression."""

    marks: Sequence[tuple[Mapping[str, Any], int]]
    past: Sequence[tuple[str, str]]  # (day, text) of full dates reported as past, sorted
    ahead: Sequence[tuple[str, str]]  # ... announced as ahead

    @classmethod
    def of(cls, timexes: Sequence[Mapping[str, Any]], lang: str) -> OwnDays:
        past, ahead = [], []
        for t in timexes:
            rel = t.get("relation") or {}
            v = t.get("value") or ""
            if rel.get("k") == "date" and _FULL_DAY.match(v):
                if rel.get("tense") == "past":
                    past.append((v[:10], t["text"]))
                elif rel.get("tense") == "future":
                    ahead.append((v[:10], t["text"]))
        return cls(weekday_marks(timexes, lang)[:MARKS], sorted(past), sorted(ahead))

    def check(self, date: str) -> list[str]:
        """What the document's own expressions say against the date `date`."""
        ref = dt.date.fromisoformat(date)
        out = []
        for t, wd in self.marks:
            v = _resolve(t["relation"], ref)
            if v and dt.date.fromisoformat(v).isoweekday() != wd:
                out.append(f"“{t['text']}” is not that weekday on {v}")
        later = self.past[bisect.bisect_right(self.past, (date, "\uffff")):]
        out += [f"“{text}” is reported as past" for _d, text in later[:MARKS]]
        earlier = self.ahead[:bisect.bisect_left(self.ahead, (date, ""))]
        out += [f"“{text}” is announced as ahead" for _d, text in earlier[-MARKS:]]
        return out


def own_contradictions(date: str, timexes: Sequence[Mapping[str, Any]], lang: str
                       ) -> list[str]:
    """What the document's own expressions say against the date `date`."""
    return OwnDays.of(timexes, lang).check(date)


def sibling_contradictions(date: str, mentions: Sequence[Mapping[str, Any]],
                           day_of: Callable[[Mapping[str, Any]], tuple[str | None, str]]
                           ) -> list[str]:
    """What the events the document shares with dated siblings say against `date`;
    `day_of(mention)` is (the day others date its event, why) or (None, "")."""
    ref = dt.date.fromisoformat(date)
    out = []
    for m in mentions:
        day, _why = day_of(m)
        if day is None:
            continue
        rel = m.get("relation")
        what = f"the {m.get('kind') or 'event'} other sources date {day}"
        if rel and rel.get("k") in _NARROW:
            v = _resolve(rel, ref)
            if v and v != day:
                out.append(f"“{m['quote'][:80]}” would be {v}, {what}")
        elif m.get("status") == "occurred" and day > date and _told_done(m):
            out.append(f"reports {what} as done")
        elif m.get("status") == "planned" and day < date:
            out.append(f"announces {what} as ahead")
    return out


def _told_done(m: Mapping[str, Any]) -> bool:
    """A verb in a past or perfect form: what it tells is over ("were rescued"). A noun
    ("the closure", "el cierre") may name a state still going on, or its planned end."""
    return m.get("tense") == "PAST" or str(m.get("aspect") or "").startswith("PERFECTIVE")


_SENTENCE_END = re.compile(r"[.!?](?:\s|$)")


def lead_days(text: str, body_start: int, timexes: Sequence[Mapping[str, Any]],
              known: Sequence[Mapping[str, Any]] = ()) -> tuple[Mapping[str, Any], ...]:
    """The relations of the tensed weekdays and day counts in the lead (the first sentence
    of the body): the days of the news the report brings. Days equal to a relation in
    `known` (the days of events siblings date, which already voted) are left out when any
    other is there: in "se hundió el domingo ..., informaron este martes" the news is the
    Tuesday's report, not the Sunday's sinking that siblings date."""
    stop = _SENTENCE_END.search(text, body_start)
    end = stop.start() if stop else len(text)
    out = []
    for t in sorted(timexes, key=lambda t: t["start"]):
        if t["start"] > end:
            break
        rel = t.get("relation") or {}
        # what the lead tells as done or now; a day ahead ("closed until Thursday") is a
        # plan, not the day of the news
        if t["start"] >= body_start and rel.get("tense") in ("past", "present") and (
                rel.get("k") == "weekday" or (rel.get("k") == "offset" and rel.get("unit") == "D")):
            out.append(rel)
    news = [rel for rel in out if rel not in known]
    return tuple(news or out)


def lead_gap(lead: Sequence[Mapping[str, Any]], date: str) -> int:
    """Days between the lead's days read on `date` and `date`, summed: a report comes out on
    the day of its news or soon after ("rallied on Friday" in a report of that Friday or the
    Saturday, not of the week before; "informaron este martes" on that Tuesday, not on the
    Sunday of the sinking it tells), so among readings the rest leaves equal the nearest
    wins. 0 without a lead day."""
    ref = dt.date.fromisoformat(date)
    gap = 0
    for rel in lead:
        v = _resolve(rel, ref)
        gap += abs((ref - dt.date.fromisoformat(v)).days) if v else 0
    return gap


def pick(votes: Mapping[str, Sequence[str]], check: Callable[[str], list[str]],
         spread: Callable[[str], Any]) -> tuple[str, list[Reading]]:
    """The reading with the fewest contradictions; among equals the most voted, then the
    one that keeps the document's own days together, then the earliest. Returns it and
    the readings kept as evidence, the winner first."""
    scored = []
    for d in votes:
        found = check(d)
        scored.append(((len(found), -len(votes[d]), spread(d), d), d, found))
    scored.sort()
    # kept: the winner, the reading votes alone would have chosen (what the check
    # overruled, if it did), then the runners-up
    by_votes = min(scored, key=lambda s: s[0][1:])
    kept = [scored[0]] + ([by_votes] if by_votes is not scored[0] else [])
    kept += [s for s in scored[1:] if s is not by_votes][:KEEP - len(kept)]
    readings = [{"date": d, "votes": len(votes[d]), "contradictions": found[:5],
                 "evidence": votes[d][0] if votes[d] else None}
                for _key, d, found in kept]
    return scored[0][1], readings


def summary(readings: Sequence[Reading]) -> str:
    """The beaten readings in words, for the evidence line."""
    parts = []
    for r in readings[1:]:
        n = len(r["contradictions"])
        parts.append(f"{r['date']} ({n} contradiction{'s' if n != 1 else ''}"
                     + (f": {r['contradictions'][0]}" if n else "") + ")")
    return "; over " + ", ".join(parts) if parts else ""


def own_line(text: str, body_start: int, t: Mapping[str, Any], lines: int = 5) -> bool:
    """A date alone on a line of its own among the first lines, under the headline: the
    article's own date line ("September 18, 2008"), which beats any date siblings lend."""
    if t["start"] - body_start > 200 * lines:
        return False  # far below the headline (and no count over a long text)
    ls = text.rfind("\n", 0, t["start"]) + 1
    le = text.find("\n", t["end"])
    le = len(text) if le < 0 else le
    if text.count("\n", body_start, ls) > lines or ls < body_start:
        return False
    return not re.sub(r"[\W_]+", "", text[ls:t["start"]] + text[t["end"]:le])


def weekday_year(t: Mapping[str, Any], timexes: Sequence[Mapping[str, Any]], lang: str,
                 dated: tuple[str, str]) -> tuple[str, str]:
    """A year-less date line dated `dated` (the first year its reports allow): when it
    spells a weekday that is not that day's, the first later year where it is (within a
    weekday cycle)."""
    marks = [w for m, w in weekday_marks(timexes, lang) if m is t]
    wd = marks[0] if marks else None
    day = dt.date.fromisoformat(dated[0])
    if not wd or day.isoweekday() == wd:
        return dated
    for year in range(day.year + 1, day.year + 12):
        if fits_weekday(day.month, day.day, wd, year):
            return (f"{year}{dated[0][4:]}",
                    f"{dated[1]}; {t['text']} is a {_DAY_NAMES[wd - 1]} in {year}")
    return dated


_DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
