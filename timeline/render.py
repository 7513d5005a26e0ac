"""Turning projection rows into things people read: rich tables, plain text, JSON, CSV, Markdown.

Pure with respect to the outside world: functions return renderables or strings; the CLI
decides where they go and whether colour is allowed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # rich costs 60 ms to import: only the commands that print tables load it
    from rich.table import Table
    from rich.text import Text


# ------------------------------------------------------------------ terminal safety
#
# A document is hostile input, and a terminal obeys what it is sent: colour and cursor
# codes, OSC 8 links that show one text and open another address, window-title and
# clipboard writes, bidi overrides that make a line read differently from its bytes.
# Everything from data that is shown to a person goes through `safe`, and reaches rich
# as a `Text` (never as markup, so `[bold]` in a title is printed as it is written).

# A whole 7-bit escape sequence (ECMA-48): a string command (OSC, DCS, SOS, PM, APC) up to
# BEL or ST (or to where a new ESC begins one, or the end: what a terminal would swallow),
# a CSI with its parameters, or any other ESC with intermediates and a final byte. Each
# branch is one character class and an optional terminator: linear on any input. 8-bit
# introducers (U+009B CSI, U+009D OSC...) are escaped one by one below, which disarms them
# without dropping the rest of a line that merely holds a mis-decoded cp1252 quote.
_SEQUENCE = (r"\x1b[\]PX^_][^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"
             r"|\x1b\[[\x30-\x3f]*[\x20-\x2f]*[\x40-\x7e]?"
             r"|\x1b[\x20-\x2f]*[\x30-\x7e]?")
# Single characters a terminal acts on or that change how a line reads: C0 and C1 controls,
# DEL, bidi embeddings/overrides/isolates and marks, line and paragraph separators, and
# lone surrogates (an undecodable file name; printing one would raise).
_CHARS = "\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff"
_ANY = re.compile(f"[{_CHARS}]")  # the fast path: most text has none of them
_ONE_LINE = re.compile(f"{_SEQUENCE}|[{_CHARS}]")
_MULTILINE = re.compile(f"{_SEQUENCE}|(?![\n\t])[{_CHARS}]")
_NAMED = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}


def _visible(m: re.Match[str]) -> str:
    s = m.group()
    if s[0] == "\x1b":
        return "\\x1b"  # an escape sequence: shown as one marker, its payload dropped
    if s in _NAMED:
        return _NAMED[s]
    c = ord(s)
    return f"\\x{c:02x}" if c < 0x100 else f"\\u{c:04x}"


def safe(text: str, *, multiline: bool = False) -> str:
    """`text` with nothing a terminal would act on: each control character, bidi control or
    lone surrogate becomes its Python escape as visible text (`\\x07`, `\\n`, `\\u202e`;
    tab, newline and CR as `\\t`, `\\n`, `\\r`), and each whole escape sequence becomes
    the four characters `\\x1b` with its parameters and payload dropped (so an OSC 8 link's
    target is never printed). With `multiline`, newline and tab are kept as they are.
    Idempotent; everything else, backslashes included, is left alone."""
    if not _ANY.search(text):
        return text
    pattern = _MULTILINE if multiline else _ONE_LINE
    return pattern.sub(_visible, text)


def cell(v: Any) -> Text:
    """A value from data as a one-line rich `Text` (never markup)."""
    from rich.text import Text

    return Text("" if v is None else safe(str(v)))


def table(title: str | None, columns: Sequence[str], rows: Sequence[Sequence[Any]],
          *, plain: bool = False) -> Table:
    from rich import box
    from rich.table import Table
    from rich.text import Text

    heading = None if title is None else Text(safe(title), style="table.title")
    t = Table(title=heading,
              box=None if plain else box.SIMPLE_HEAD, show_edge=False,
              header_style="" if plain else "bold", title_justify="left", pad_edge=False)
    for c in columns:
        t.add_column(cell(c), overflow="fold")
    for r in rows:
        t.add_row(*[cell(v) for v in r])
    return t


# ------------------------------------------------------------------ CSV for spreadsheets

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(v: Any) -> Any:
    """A CSV cell a spreadsheet will not run as a formula (CSV/formula injection, OWASP):
    a text value starting with = + - @, tab or CR gets a leading `'`. Only text is touched:
    an int or float stays a number, so -3 is still -3; a text "-3" becomes "'-3"."""
    if v is None:
        return ""
    if isinstance(v, str) and v.startswith(_FORMULA_START):
        return "'" + v
    return v


def to_csv(columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    import csv  # here, not at the top: `err` (every error line of `tag`) imports this module
    import io

    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow([csv_cell(c) for c in columns])
    for r in rows:
        w.writerow([csv_cell(v) for v in r])
    return buf.getvalue()


def to_json(obj: Any) -> str:
    import json

    return json.dumps(obj, ensure_ascii=False, indent=2, sort_keys=False) + "\n"
