r"""File names as one line of printable text, losslessly.

A POSIX file name is any bytes but `/` and NUL: it may be invalid UTF-8 (Python hands such
names over as surrogate escapes, which SQLite and the hash chain cannot encode), or hold a
newline that would forge a line of stderr, or a terminal escape or a bidi override that would
rewrite what the user sees. The log stores paths, and every path the CLI prints is shown, in
this escaped form:

- valid UTF-8 stays as it is, except the characters below;
- a backslash becomes `\\`;
- newline, tab and carriage return become `\n`, `\t`, `\r`;
- every other byte of a character in `ESCAPED` (C0 and C1 controls, DEL, line and paragraph
  separators, bidi embeddings, overrides, isolates and marks, zero-width characters, the
  byte-order mark) and every byte that is not part of valid UTF-8 becomes `\xNN` (two
  lowercase hex digits); a `\xNN` is always exactly one byte of the original name.

So `escape_path(b"caf\xe9.txt") == "caf\\xe9.txt"` (printed: caf\xe9.txt), and
`unescape_path` gives the bytes back. The set is a fixed list rather than Unicode categories, so
that a stored path never changes with the Python version's Unicode database.
"""

from __future__ import annotations

import re
import stat

ESCAPED = frozenset(
    [*range(0x00, 0x20), 0x7F, *range(0x80, 0xA0),  # C0, DEL, C1
     0x061C, 0x200B, 0x200C, 0x200D, 0x200E, 0x200F,  # Arabic letter mark, zero widths, LRM, RLM
     0x2028, 0x2029,  # line and paragraph separators (str.splitlines breaks on them)
     *range(0x202A, 0x202F), *range(0x2066, 0x206A),  # bidi embeddings, overrides, isolates
     0xFEFF])  # byte-order mark, zero-width no-break space
_SHORT = {"\\": "\\\\", "\n": "\\n", "\t": "\\t", "\r": "\\r"}
_UNSHORT = {"\\": b"\\", "n": b"\n", "t": b"\t", "r": b"\r"}
_ESCAPE_SEQ = re.compile(r"\\(x[0-9a-f]{2}|[\\ntr])")


def _to_bytes(name: str | bytes) -> bytes:
    """A str from the OS carries undecodable bytes as U+DC80..U+DCFF (PEP 383); any other lone
    surrogate (not from a file system) is kept as its three-byte form, invalid UTF-8 too."""
    if isinstance(name, bytes):
        return name
    try:
        return name.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        return b"".join(
            bytes([ord(c) - 0xDC00]) if 0xDC80 <= ord(c) <= 0xDCFF
            else c.encode("utf-8", "surrogatepass") for c in name)


def escape_path(name: str | bytes) -> str:
    """The printable, one-line, reversible text of a file name (see the module docstring)."""
    raw = _to_bytes(name)
    out: list[str] = []
    pos = 0
    while pos < len(raw):
        try:
            text, bad = raw[pos:].decode("utf-8"), b""
        except UnicodeDecodeError as exc:
            text, bad = raw[pos:pos + exc.start].decode("utf-8"), raw[pos + exc.start:pos + exc.end]
        for c in text:
            if c in _SHORT:
                out.append(_SHORT[c])
            elif ord(c) in ESCAPED:
                out.append("".join(f"\\x{b:02x}" for b in c.encode("utf-8")))
            else:
                out.append(c)
        out.append("".join(f"\\x{b:02x}" for b in bad))
        pos += len(text.encode("utf-8")) + len(bad)
    return "".join(out)


def unescape_path(text: str) -> bytes:
    """The bytes of the file name `escape_path` made `text` from; ValueError if `text` holds a
    backslash that does not start one of its escapes."""
    out: list[bytes] = []
    pos = 0
    for m in _ESCAPE_SEQ.finditer(text):
        literal = text[pos:m.start()]
        if "\\" in literal:
            raise ValueError(f"bad escape at {pos + literal.index(chr(92))} in {text!r}")
        out.append(literal.encode("utf-8", "surrogatepass"))
        code = m.group(1)
        out.append(bytes([int(code[1:], 16)]) if code[0] == "x" else _UNSHORT[code])
        pos = m.end()
    rest = text[pos:]
    if "\\" in rest:
        raise ValueError(f"bad escape at {pos + rest.index(chr(92))} in {text!r}")
    out.append(rest.encode("utf-8", "surrogatepass"))
    return b"".join(out)


def file_kind(mode: int) -> str:
    """What a `stat` mode is, in the words of the one line that refuses it."""
    for test, name in ((stat.S_ISREG, "regular file"), (stat.S_ISDIR, "directory"),
                       (stat.S_ISFIFO, "FIFO"), (stat.S_ISCHR, "character device"),
                       (stat.S_ISBLK, "block device"), (stat.S_ISSOCK, "socket"),
                       (stat.S_ISLNK, "symbolic link")):
        if test(mode):
            return name
    return "special file"
