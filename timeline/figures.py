"""Figures a sentence gives, as arguments of its predicate: "fell to 2.4%", "bajó al 2,4 %",
"замедлилась до 2,4%" are one fall of one rate, though no entity is named.

An open-class predicate merges across documents only on shared participants
(timeline.salience), and "inflation", "la inflación", "инфляция" are no entity; the figure
the sources agree on is the argument they share. Only figures that identify: a number with
a decimal part, or a percentage, read the same in every language (a decimal comma or point
followed by one or two digits, so "2,400 jobs" is no 2.4), with no dates or clock times.
A plain percentage ("2%") is common enough that two of them must agree (`shared`).
"""

from __future__ import annotations

import functools
import re

# a number not part of a date or a clock time ("13.06.2025", "10:00", "2024-03-08")
_NUMBER = re.compile(r"(?<![\d.,:/-])(\d+)(?:[.,](\d{1,2}))?(?![\d:/-]|[.,]\d)"
                     r"(\s?%)?")


@functools.lru_cache(maxsize=65536)
def figures(text: str) -> frozenset[tuple[float, bool]]:
    """(value, whether it has a decimal part) of each identifying figure of `text`."""
    out = set()
    for m in _NUMBER.finditer(text or ""):
        whole, frac, pct = m.groups()
        if frac is None and pct is None:
            continue  # a bare integer: a count, a day, a year (timeline.quantities reads counts)
        out.add((float(f"{whole}.{frac or 0}"), frac is not None))
    return frozenset(out)


def shared(a: str, b: str) -> bool:
    """Whether two sentences give the same identifying figure: one with a decimal part,
    or two percentages."""
    common = figures(a) & figures(b)
    return any(decimal for _v, decimal in common) or len(common) >= 2
