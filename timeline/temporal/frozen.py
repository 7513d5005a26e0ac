"""A compiled grammar as bytes and back: a process loads its patterns in about a millisecond
instead of compiling them (about 100 ms for English, every start of `timeline tag`).

`re` cannot pickle a compiled pattern (a pickle holds the source and compiles it again), and
most of the cost is `re`'s own parser and code generator, not our expansion of placeholders.
So a pattern is kept as what `re` hands its C engine: the instruction list, group count and
names, and rebuilt with `_sre.compile`, as `re.compile` does last. That code is the engine's
private format: `STAMP` names the interpreter and engine version that wrote it, and bytes
from any other are refused (the caller compiles). `_sre.compile` validates the code, a
SHA-256 guards the payload, and a test checks every rebuilt pattern equals (code and all)
the one `re.compile` makes.

Pure: bytes in, objects out. Where the bytes are kept is the shell's business
(timeline/cli/cache.py).
"""

from __future__ import annotations

import _sre
import array
import gc
import hashlib
import marshal
import re
import sys
from pathlib import Path
from typing import Any

from timeline import lexicon
from timeline.temporal.grammar import Grammar, Links, Rule

FORMAT = 1
_WORD = "I" if _sre.CODESIZE == 4 else "H"  # the engine's code unit
STAMP = (f"timeline-grammar {FORMAT} {sys.implementation.cache_tag} {sys.version} "
         f"sre {_sre.MAGIC} {_sre.CODESIZE} {sys.byteorder}").encode()
_CLASSES: dict[str, type] = {c.__name__: c for c in (Grammar, Links, Rule)}
# tags of the encoded tree; plain data (the rules' specs, word sets) is stored as it is
_RE, _OBJ, _TUPLE, _LIST, _DICT = "\0re", "\0obj", "\0tuple", "\0list", "\0dict"
_TAGS = frozenset({_RE, _OBJ, _TUPLE, _LIST, _DICT})


class Stale(ValueError):
    """Bytes written by another interpreter or engine version, or damaged."""


def inputs(lang: str) -> list[Path]:
    """The files a language's compiled grammar depends on: its resource file, the word-list
    code, and the temporal package's code (a change anywhere there compiles afresh).
    tests/test_frozen.py checks the modules grammar.py imports are among them."""
    temporal = Path(__file__).parent
    return [lexicon.RESOURCES / lang / "temporal.toml", Path(lexicon.__file__),
            *sorted(temporal.glob("*.py"))]


def key(lang: str, contents: list[bytes]) -> str:
    """The cache key of a language's grammar: the stamp and the bytes of `inputs(lang)`."""
    h = hashlib.sha256(STAMP + b"\0" + lang.encode())
    for data in contents:
        h.update(len(data).to_bytes(8, "big"))
        h.update(data)
    return h.hexdigest()[:24]


def dumps(g: Grammar) -> bytes:
    """The grammar and the parsed resource file it was built from (`lexicon.temporal`)."""
    payload = marshal.dumps((_encode(g), lexicon.temporal(g.lang)))
    return STAMP + b"\n" + hashlib.sha256(payload).digest() + payload


def loads(data: bytes) -> tuple[Grammar, dict[str, Any]]:
    """(grammar, parsed resource file). Raises Stale for bytes this process cannot trust."""
    stamp, sep, rest = data.partition(b"\n")
    if stamp != STAMP or not sep:
        raise Stale("written by another interpreter or format")
    digest, payload = rest[:32], rest[32:]
    if hashlib.sha256(payload).digest() != digest:
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


def _code(p: re.Pattern[str]) -> bytes:
    """The instructions `re.compile` gave `_sre.compile` for this pattern, as machine words
    (one bytes object loads faster than a list of thousands of numbers)."""
    from re import _compiler, _parser  # type: ignore[attr-defined]

    code = _compiler._code(_parser.parse(p.pattern, p.flags), p.flags)
    return array.array(_WORD, code).tobytes()


def thaw(pattern: str, flags: int, code: bytes, groups: int,
         groupindex: dict[str, int]) -> re.Pattern[str]:
    indexgroup: list[str | None] = [None] * (groups + 1)
    for name, i in groupindex.items():
        indexgroup[i] = name
    return _sre.compile(pattern, flags, array.array(_WORD, code).tolist(), groups, groupindex,
                        tuple(indexgroup))


def freeze(p: re.Pattern[str]) -> tuple[Any, ...]:
    return (p.pattern, p.flags, _code(p), p.groups, dict(p.groupindex))


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
