"""Patterns kept between processes (timeline/patterns.py): a rebuilt pattern is the one
`re.compile` makes, `re.compile` returns it only for its exact source and flags, and bytes
that are damaged or foreign are never trusted."""

from __future__ import annotations

import re

import pytest

from timeline import patterns

SOURCES = [(r"(?P<y>\d{4})-(?P<m>\d\d)", 0), (r"(?<!\w)(?:mon|tues)day(?!\w)", re.IGNORECASE),
           (r"[^\W\d_]+", 0), (r"\s*+(?:,\s*+)?", re.MULTILINE | re.DOTALL)]


def test_rebuilt_patterns_are_the_compiled_ones() -> None:
    made = {(s, f): re.compile(s, f) for s, f in SOURCES}
    rebuilt = patterns.loads(patterns.dumps(made))
    assert set(rebuilt) == set(made)
    for k, p in rebuilt.items():
        assert p == made[k] and p is not made[k]  # equal: source, flags and code
        assert (p.groups, p.groupindex) == (made[k].groups, made[k].groupindex)
        assert patterns.freeze(p) == patterns.freeze(made[k])
    assert rebuilt[SOURCES[0]].match("2021-05").groupdict() == {"y": "2021", "m": "05"}


def test_remembered_patterns_are_what_re_compile_returns() -> None:
    source = r"timeline-test-(\d+)-remembered"
    rebuilt = patterns.loads(patterns.dumps({(source, re.IGNORECASE):
                                             re.compile(source, re.IGNORECASE)}))
    re.purge()
    try:
        assert patterns.remember(rebuilt.items()) == 1
        assert re.compile(source, re.IGNORECASE) is rebuilt[(source, re.IGNORECASE)]
        assert re.compile(source) is not rebuilt[(source, re.IGNORECASE)]  # other flags
        assert re.compile(source + "x", re.IGNORECASE).pattern == source + "x"
        assert (source, re.IGNORECASE) in patterns.cached()
    finally:
        re.purge()


def test_a_pattern_re_compiled_already_stays() -> None:
    source = r"timeline-test-kept-(\w+)"
    re.purge()
    try:
        mine = re.compile(source)
        other = patterns.loads(patterns.dumps({(source, 0): mine}))
        assert patterns.remember(other.items()) == 0
        assert re.compile(source) is mine
    finally:
        re.purge()


def test_damaged_or_foreign_bytes_are_refused() -> None:
    data = patterns.dumps({k: re.compile(*k) for k in SOURCES})
    stamp, _, rest = data.partition(b"\n")
    for bad in (b"", data[:len(data) // 2], stamp.replace(b"sre", b"SRE") + b"\n" + rest,
                data[:-10] + bytes(9) + b"x", b"junk\n" + rest):
        with pytest.raises(patterns.Stale):
            patterns.loads(bad)


def test_a_file_keeps_every_pattern_re_s_cache_can_hold() -> None:
    """A run uses more patterns than the old cap of 400: each save dropped the oldest (those
    the temporal modules compile at import), so every start compiled them again and every
    exit wrote the whole file anew. A file holds what `re`'s cache holds, all of it."""
    held = int(getattr(re, "_MAXCACHE", 512))
    made = {(rf"timeline-test-many-{i}-(\d+)", 0): re.compile(rf"timeline-test-many-{i}-(\d+)")
            for i in range(held)}
    kept = patterns.loads(patterns.dumps(made))
    assert set(kept) == set(made)
    re.purge()
    try:
        assert patterns.remember(kept.items()) == held
    finally:
        re.purge()
