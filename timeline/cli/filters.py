"""What `show`'s filters accept, checked before anything is printed: a filter that matches
nothing is a usage error (exit 2) that names the valid choices or the closest ones, never
an empty printout that looks like an empty timeline."""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # argument parsing loads neither attrs nor the CLI package's commands
    from timeline import intervals

_DATE = re.compile(r"\d{4}(?:-\d\d(?:-\d\d)?)?")
MAX_LISTED = 12


def date_span(flag: str, text: str) -> intervals.Span:
    """--since/--until: YYYY, YYYY-MM or YYYY-MM-DD, a real one; anything else
    ("2013-13-45") is a usage error of one line (not argparse's usage block)."""
    from timeline import intervals
    from timeline.cli import UsageError

    s = intervals.span(text) if _real(text) else None
    if s is None:
        raise UsageError(f"{flag} {text!r}: not a real date (YYYY, YYYY-MM or YYYY-MM-DD)")
    return s


def _real(text: str) -> bool:
    """YYYY, YYYY-MM or YYYY-MM-DD naming a month and a day that exist."""
    if not _DATE.fullmatch(text):
        return False
    parts = [int(p) for p in text.split("-")]
    try:
        dt.date(parts[0], *[*parts[1:], 1, 1][:2])
    except ValueError:
        return False
    return True


def in_range(e: Mapping[str, Any], since: intervals.Span | None,
             until: intervals.Span | None) -> bool:
    """On or after `since` (the event begins then or later) and on or before `until` (it
    is over by the end of that day, month or year); an undated event is in no range."""
    from timeline import intervals

    if since is None and until is None:
        return True
    s = intervals.event_span(e.get("start"), e.get("end"))
    if s is None:
        return False
    return ((since is None or s.start >= since.start)
            and (until is None or s.end <= until.end))


def choose(flag: str, given: str, valid: Iterable[str], what: str) -> str:
    """`given` if it is one of `valid`; a usage error naming the closest or all of them."""
    from timeline.cli import UsageError

    choices = sorted(set(valid) - {""})
    if given in choices:
        return given
    near = difflib.get_close_matches(given, choices, n=5, cutoff=0.6)
    if near:
        hint = f"closest: {', '.join(near)}"
    elif choices and len(choices) <= MAX_LISTED:
        hint = f"choose from: {', '.join(choices)}"
    elif choices:
        hint = (f"{len(choices)} {what}s, e.g. {', '.join(choices[:MAX_LISTED])}")
    else:
        hint = "there are none yet"
    raise UsageError(f"{flag} {given!r}: no {what} is called that; {hint}")


def nothing_between(since: dt.datetime | None, until: dt.datetime | None) -> bool:
    return since is not None and until is not None and since >= until
