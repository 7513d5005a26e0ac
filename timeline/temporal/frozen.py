"""A compiled grammar as bytes and back: a process loads its patterns in about a millisecond
instead of compiling them (about 100 ms for English, every start of `timeline tag`).

Each pattern is kept as the code `re` hands its C engine (timeline/patterns.py: why, and
what guards it); the rest of the grammar, and the parsed resource file it was built from,
as plain data. `STAMP` names the interpreter and engine version that wrote it, and bytes
from any other are refused (the caller compiles).

The key of a language's file (`key`) is over what the grammar is built from, as the file
system describes it (`signature`: path, size, modification and change times, inode), not
its bytes: a start need not read and hash a dozen files to find its grammar, and any write
to one of them (an edited rule, a reinstall, a checkout) changes its change time and so the
key.

Pure: bytes in, objects out. Where the bytes are kept is the shell's business
(timeline/cli/cache.py).
"""

from __future__ import annotations

import gc
import marshal
import os
import re
import zlib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from timeline import lexicon, patterns, sha
from timeline.patterns import ENGINE, freeze, thaw
from timeline.temporal.grammar import Grammar, Links, Rule

FORMAT = 2  # 2: a CRC-32 guards the payload, as patterns.py's
STAMP = f"timeline-grammar {FORMAT} {ENGINE}".encode()
_CLASSES: dict[str, type] = {c.__name__: c for c in (Grammar, Links, Rule)}
# tags of the encoded tree; plain data (the rules' specs, word sets) is stored as it is
_RE, _OBJ, _TUPLE, _LIST, _DICT = "\0re", "\0obj", "\0tuple", "\0list", "\0dict"
_TAGS = frozenset({_RE, _OBJ, _TUPLE, _LIST, _DICT})


class Stale(ValueError):
    """Bytes written by another interpreter or engine version, or damaged."""


def inputs(lang: str) -> list[Path]:
    """The files a language's compiled grammar depends on: its resource file, the word-list
    code, the pattern code, and the temporal package's code (a change anywhere there
    compiles afresh). tests/test_frozen.py checks the modules grammar.py imports are among
    them."""
    temporal = Path(__file__).parent
    return [lexicon.RESOURCES / lang / "temporal.toml", Path(lexicon.__file__),
            Path(patterns.__file__), Path(sha.__file__), *sorted(temporal.glob("*.py"))]


def signature(path: str, st: os.stat_result) -> tuple[Any, ...]:
    """What the file system says of one input: any write to it changes its change time
    (st_ctime_ns, which no user call sets back), a replaced file its inode."""
    return (path, st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_dev)


def key(lang: str, signatures: Iterable[tuple[Any, ...]]) -> str:
    """The cache key of a language's grammar: the stamp and the `signature` of each of
    `inputs(lang)`."""
    # repr, not marshal: marshal writes back-references for objects shared elsewhere in
    # the process, so its bytes for equal values differ from one process to another
    return sha.sha256(repr((STAMP, lang, list(signatures))).encode()).hexdigest()[:24]


def dumps(g: Grammar) -> bytes:
    """The grammar and the parsed resource file it was built from (`lexicon.temporal`)."""
    payload = marshal.dumps((_encode(g), lexicon.temporal(g.lang)))
    # a CRC-32 against damage, as patterns.py: a cryptographic hash of 350 kB is a ms
    return STAMP + b"\n" + zlib.crc32(payload).to_bytes(4, "big") + payload


def loads(data: bytes) -> tuple[Grammar, dict[str, Any]]:
    """(grammar, parsed resource file). Raises Stale for bytes this process cannot trust."""
    stamp, sep, rest = data.partition(b"\n")
    if stamp != STAMP or not sep:
        raise Stale("written by another interpreter or format")
    digest, payload = rest[:4], rest[4:]
    if zlib.crc32(payload).to_bytes(4, "big") != digest:
        raise Stale("damaged")
    collecting = gc.isenabled()
    gc.disable()  # tens of thousands of new objects, none of them garbage: no collections
    try:
        tree, resource = marshal.loads(payload)
        g = _decode(tree)
    except (ValueError, TypeError, EOFError, KeyError, RuntimeError) as exc:
        raise Stale(f"unreadable: {exc}") from None
    finally:
        if collecting:
            gc.enable()
    if not isinstance(g, Grammar) or not isinstance(resource, dict):
        raise Stale("not a grammar")
    return g, resource


def _encode(obj: Any) -> Any:
    """Patterns and our classes as tagged tuples; a container holding one, tagged too; any
    other data as it is (returned unchanged: the same object)."""
    if isinstance(obj, re.Pattern):
        return (_RE, *freeze(obj))
    fields = getattr(type(obj), "_fields", None)  # a NamedTuple: one of ours, or not ours
    if fields is not None:
        if _CLASSES.get(type(obj).__name__) is not type(obj):
            raise TypeError(f"cannot freeze a {type(obj).__name__}")
        return (_OBJ, type(obj).__name__, {f: _encode(getattr(obj, f)) for f in fields})
    if isinstance(obj, tuple | list):
        items = [_encode(x) for x in obj]
        if any(e is not x for e, x in zip(items, obj, strict=True)):
            return (_TUPLE if isinstance(obj, tuple) else _LIST, items)
        if isinstance(obj, tuple) and obj and isinstance(obj[0], str) and obj[0] in _TAGS:
            raise TypeError("plain data looks like a tag")
        return obj
    if isinstance(obj, dict):
        values = {k: _encode(v) for k, v in obj.items()}
        if any(values[k] is not v for k, v in obj.items()):
            return (_DICT, values)
        return obj
    return obj


def _decode(obj: Any) -> Any:
    if type(obj) is not tuple or not obj or obj[0] not in _TAGS:
        return obj
    tag = obj[0]
    if tag == _RE:
        return thaw(*obj[1:])
    if tag == _OBJ:
        return _CLASSES[obj[1]](**{k: _decode(v) for k, v in obj[2].items()})
    if tag == _DICT:
        return {k: _decode(v) for k, v in obj[1].items()}
    items = [_decode(x) for x in obj[1]]
    return tuple(items) if tag == _TUPLE else items
