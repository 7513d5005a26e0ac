"""Compiled regular expressions as bytes and back, for the grammar cache and for the
patterns our modules compile themselves (module-level constants, functools.cache'd builders).

`re` cannot pickle a compiled pattern (a pickle holds the source and compiles it again), and
most of the cost is `re`'s own parser and code generator. So a pattern is kept as what `re`
hands its C engine: the instruction list, group count and names, and rebuilt with
`_sre.compile`, as `re.compile` does last. That code is the engine's private format: `STAMP`
names the interpreter and engine version that wrote it, and bytes from any other are refused
(the caller compiles). `_sre.compile` validates the code, a checksum guards the payload
against damage (a CRC-32 here: `hashlib` would load OpenSSL, a few ms of a start that
needs no hash), and tests check every rebuilt pattern equals (code and all) the one
`re.compile` makes.

The temporal package compiles about sixty patterns of its own when it is imported or first
tags (about 10 ms of every `timeline tag`). `remember` puts rebuilt ones into `re`'s own
cache, keyed as `re.compile` looks them up: by the exact source and flags. Any module's
`re.compile` then returns the rebuilt pattern, and a changed pattern (a new rule, a new
resource word) is a different key, compiled as ever: such a set can never be stale, only
incomplete. `re`'s cache is private too; `_re_cache` checks it has the shape this module
knows, else nothing is remembered and everything compiles as before.

This module is a sibling of the temporal package, not part of it: the shell must load it
before importing the temporal modules (whose constants compile at import). Pure: bytes in,
patterns out; where the bytes are kept is the shell's business (timeline/cli/cache.py).
"""

from __future__ import annotations

import _sre
import array
import marshal
import re
import sys
import zlib
from collections.abc import Iterable
from typing import Any

FORMAT = 1
_WORD = "I" if _sre.CODESIZE == 4 else "H"  # the engine's code unit
ENGINE = (f"{sys.implementation.cache_tag} {sys.version} "
          f"sre {_sre.MAGIC} {_sre.CODESIZE} {sys.byteorder}")
STAMP = f"timeline-patterns {FORMAT} {ENGINE}".encode()
_PROBE = "(?#timeline: is re's cache keyed as this module knows?)"
# Entries kept: as many as `re`'s cache holds (512), the most a process can hand over. A
# smaller cap dropped, at every save, the patterns the temporal modules compile at import
# (the oldest): a run that uses 442 patterns compiled those 42 at each start, found them
# missing from the file and wrote all 400 again at each exit (~0.15 s of every run).
LIMIT = int(getattr(re, "_MAXCACHE", 512))


class Stale(ValueError):
    """Bytes written by another interpreter or engine version, or damaged."""


def _code(p: re.Pattern[str]) -> bytes:
    """The instructions `re.compile` gave `_sre.compile` for this pattern, as machine words
    (one bytes object loads faster than a list of thousands of numbers)."""
    from re import _compiler, _parser  # type: ignore[attr-defined]

    code = _compiler._code(_parser.parse(p.pattern, p.flags), p.flags)
    return array.array(_WORD, code).tobytes()


def freeze(p: re.Pattern[str]) -> tuple[Any, ...]:
    return (p.pattern, p.flags, _code(p), p.groups, dict(p.groupindex))


def thaw(pattern: str, flags: int, code: bytes, groups: int,
         groupindex: dict[str, int]) -> re.Pattern[str]:
    indexgroup: list[str | None] = [None] * (groups + 1)
    for name, i in groupindex.items():
        indexgroup[i] = name
    return _sre.compile(pattern, flags, array.array(_WORD, code).tolist(), groups, groupindex,
                        tuple(indexgroup))


def _re_cache() -> dict[Any, Any] | None:
    """`re`'s cache, if `re.compile(source, flags)` files what it compiles under
    `(str, source, flags)` (CPython 3.7 to 3.13 do); else None. An entry already there
    shows it (argparse compiles some at import); else a probe is compiled."""
    cache = getattr(re, "_cache", None)
    if not isinstance(cache, dict):
        return None
    for k, p in list(cache.items()):
        if type(k) is tuple and len(k) == 3 and k[0] is str:
            return cache if isinstance(p, re.Pattern) and p.pattern == k[1] else None
    p = re.compile(_PROBE)
    return cache if cache.get((str, _PROBE, 0)) is p else None


def cached() -> dict[tuple[str, int], re.Pattern[str]]:
    """The text patterns `re` holds compiled in this process, by (source, flags as given)."""
    cache = _re_cache() or {}
    return {(k[1], k[2]): p for k, p in list(cache.items())
            if type(k) is tuple and len(k) == 3 and k[0] is str and type(k[2]) is int
            and not k[2] & re.DEBUG and k[1] != _PROBE and isinstance(p, re.Pattern)}


def dumps(patterns: dict[tuple[str, int], re.Pattern[str]]) -> bytes:
    payload = marshal.dumps([(int(flags), *freeze(p)) for (_, flags), p in
                             list(patterns.items())[-LIMIT:]])
    return STAMP + b"\n" + zlib.crc32(payload).to_bytes(4, "big") + payload


def loads(data: bytes) -> dict[tuple[str, int], re.Pattern[str]]:
    """Patterns by (source, flags as given). Raises Stale for bytes this process cannot trust."""
    stamp, sep, rest = data.partition(b"\n")
    if stamp != STAMP or not sep:
        raise Stale("written by another interpreter or format")
    digest, payload = rest[:4], rest[4:]
    if zlib.crc32(payload).to_bytes(4, "big") != digest:
        raise Stale("damaged")
    try:
        return {(entry[1], entry[0]): thaw(*entry[1:]) for entry in marshal.loads(payload)}
    except (ValueError, TypeError, EOFError, IndexError, RuntimeError) as exc:
        raise Stale(f"unreadable: {exc}") from None


def remember(patterns: Iterable[tuple[tuple[str, int], re.Pattern[str]]]) -> int:
    """Let `re.compile(source, flags)` return these instead of compiling; how many it took
    (none when `re`'s cache is not the one this module knows). A pattern `re` compiled
    already stays: the same source compiles to the same code."""
    cache = _re_cache()
    if cache is None:
        return 0
    n = 0
    for (source, flags), p in patterns:
        if n >= LIMIT:
            break
        if p.pattern == source and cache.setdefault((str, source, int(flags)), p) is p:
            n += 1
    return n
