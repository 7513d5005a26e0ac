"""A memo of one text's results by span, for the scans several stages ask of the same
document one after the other (a worker segments a document, then extracts it: both read its
sentences and its names). Only the last text is kept, known by identity, so the memo holds
one document at a time and never answers for another; results are returned as fresh lists,
so a caller that changes one cannot change the memo.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")


def last_text(scan: Callable[[str, int, int], list[T]]) -> Callable[[str, int, int], list[T]]:
    """`scan(text, start, end)`, remembered per span for the last text asked for."""
    memo: list[Any] = [None, {}]

    @functools.wraps(scan)
    def remembered(text: str, start: int, end: int) -> list[T]:
        if memo[0] is not text:
            memo[:] = [text, {}]
        got = memo[1].get((start, end))
        if got is None:
            got = memo[1][start, end] = tuple(scan(text, start, end))
        return list(got)

    return remembered
