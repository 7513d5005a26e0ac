"""A day of the month named without its month: "el día 12", "on the 12th".

The month is the reference date's, or the one before or after it, whichever the tense and
the calendar allow: "recibió el informe el día 12", written on 20 March, is 12 March; "se
pagará el día 5" is 5 April. A day the month lacks ("el día 31" in April) moves to the
nearest month that has it, never to an impossible date.
"""

from __future__ import annotations

import datetime as dt


def _months_around(dct: dt.date, d: int) -> list[dt.date]:
    """The day `d` in the months from two before to two after the reference, where it exists."""
    out = []
    for shift in range(-2, 3):
        total = dct.year * 12 + dct.month - 1 + shift
        try:
            out.append(dt.date(total // 12, total % 12 + 1, d))
        except ValueError:
            continue
    return out


def day_of_month(d: int, dct: dt.date | None, tense: str | None) -> str:
    """The TIMEX3 value of the day `d` of a month the text leaves unsaid."""
    if dct is None or not 1 <= d <= 31:
        return f"XXXX-XX-{d:02d}"
    days = _months_around(dct, d)
    if tense == "past":
        pick = max((x for x in days if x <= dct), default=None)
    elif tense == "future":
        pick = min((x for x in days if x >= dct), default=None)
    else:
        pick = None
    if pick is None:  # no tense: the nearest, the past one on a tie
        pick = min(days, key=lambda x: (abs((x - dct).days), x > dct))
    return pick.isoformat()
