"""Turn raw bytes into a document: decode, normalize, strip HTML, read the header, guess language.

Pure: takes the bytes and the path (as a label) and returns either a `Parsed` document or an
`IngestError` whose message is the one line the user will see. Reading files is the CLI's job.
"""

from __future__ import annotations

import codecs
import re
from typing import TYPE_CHECKING, Any, NamedTuple

from timeline import lexicon
from timeline.markup import looks_like_html, looks_like_timeml, strip_html, strip_timeml

if TYPE_CHECKING:
    import datetime as dt

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
HEADER_KEYS = ("date", "title", "source", "url", "author", "language", "lang", "published")
MIN_YEAR, MAX_YEAR = 1000, 2999


class IngestError(Exception):
    """Why a document is rejected, phrased for one line of stderr."""


class Parsed(NamedTuple):
    """A decoded document. A NamedTuple, not an attrs class: `timeline tag` on a file it
    rejects then loads no attrs at all (its import is a fifth of that start-up)."""

    document: str  # sha256 of the normalized text: the document's identity
    sha256: str  # of the raw bytes
    size: int
    encoding: str
    warning: str | None
    language: str
    language_basis: str
    header: dict[str, str]
    title: str
    body_start: int
    text: str

    def fields(self) -> dict[str, Any]:
        d = self._asdict()
        d.pop("warning")
        d["header"] = dict(self.header)  # a copy, as attrs.asdict made it
        return d


# ---------------------------------------------------------------- decoding


def _plausible(text: str, letters: str) -> float:
    """Share of non-ASCII characters that are letters of the expected alphabet or typography."""
    non_ascii = [c for c in text if ord(c) > 127]
    if not non_ascii:
        return 1.0
    good = sum(1 for c in non_ascii if c in letters or c in "«»—–‘’“”„…№°€•·\u00a0")
    return good / len(non_ascii)


_CYRILLIC = "".join(chr(c) for c in range(0x400, 0x460))
_LATIN1 = "".join(chr(c) for c in range(0xC0, 0x100) if c not in (0xD7, 0xF7)) + "¡¿ªº"


def decode(raw: bytes) -> tuple[str, str, str | None]:
    """(text, encoding, warning). UTF-8 first; legacy encodings only when they read as language."""
    for bom, enc in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                     (codecs.BOM_UTF16_BE, "utf-16"), (codecs.BOM_UTF32_LE, "utf-32")):
        if raw.startswith(bom) and not (enc == "utf-16" and raw.startswith(codecs.BOM_UTF32_LE)):
            try:
                return raw.decode(enc), enc, None if enc == "utf-8-sig" else f"decoded as {enc}"
            except UnicodeDecodeError:
                raise IngestError(f"invalid {enc} despite its byte-order mark") from None
    if b"\x00" in raw:
        raise IngestError("binary file (contains NUL bytes)")
    try:
        return raw.decode("utf-8"), "utf-8", None
    except UnicodeDecodeError:
        pass
    for enc, letters in (("cp1251", _CYRILLIC), ("cp1252", _LATIN1)):
        try:
            text = raw.decode(enc)
        except UnicodeDecodeError:
            continue
        if _plausible(text, letters) >= 0.9:
            return text, enc, f"not UTF-8; decoded as {enc}"
    raise IngestError("undecodable bytes: not UTF-8 and no plausible legacy encoding")


def normalize(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


# control characters other than tab, newline, vertical tab and form feed
_CONTROLS = re.compile(r"[\x00-\x08\x0d-\x1f]")


def _check_text(text: str) -> None:
    if not text.strip():
        raise IngestError("empty file (no text)")
    sample = text[:20000]
    # one regex scan, not a Python test per character (0.4 ms of a 2 ms document)
    controls = len(_CONTROLS.findall(sample))
    if controls > max(3, len(sample) // 100):
        raise IngestError("binary file (control characters in the text)")


# ---------------------------------------------------------------- header


_HEADER_LINE = re.compile(
    r"[ \t]*(?P<key>" + "|".join(HEADER_KEYS) + r")[ \t]*[:=]?[ \t]+", re.IGNORECASE)
_ISO = re.compile(
    r"(?P<y>\d{4})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})"
    r"(?:[T ](?P<H>\d{1,2}):(?P<M>\d{2})(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?")
_DMY = re.compile(r"(?P<d>\d{1,2})[./](?P<m>\d{1,2})[./](?P<y>\d{4})")


def parse_header_date(value: str) -> tuple[str, int]:
    """(ISO date, length of the date text). Raises IngestError for a date that cannot be."""
    m = _ISO.match(value) or _DMY.match(value)
    if m:
        y, mo, d = int(m["y"]), int(m["m"]), int(m["d"])
        import datetime as dt  # a start that rejects its only file reads no date

        try:
            date = dt.date(y, mo, d)
        except ValueError:
            raise IngestError(f"header date {m.group(0)!r} is not a real date") from None
        if not MIN_YEAR <= y <= MAX_YEAR:
            raise IngestError(f"header date {m.group(0)!r} is out of range "
                              f"({MIN_YEAR}-{MAX_YEAR})")
        iso = date.isoformat()
        if m.groupdict().get("H"):
            iso += f"T{int(m['H']):02d}:{m['M']}"
        return iso, m.end()
    line = value.split("\n", 1)[0].strip()
    parsed = _long_tail_date(line) if len(line) <= 60 else None
    if parsed is None:
        raise IngestError(f"header date {line[:40]!r} is not a date")
    if not MIN_YEAR <= parsed.year <= MAX_YEAR:
        raise IngestError(f"header date {line[:40]!r} is out of range ({MIN_YEAR}-{MAX_YEAR})")
    return parsed.isoformat(), len(value.split("\n", 1)[0])


def _long_tail_date(line: str) -> dt.date | None:
    """Written-out header dates ("Thursday, 14 September 2023"): dateparser's strength."""
    import datetime as dt

    import dateparser  # deferred: only the long tail of header formats needs it

    settings = {"STRICT_PARSING": True, "PARSERS": ["absolute-time"],
                "RELATIVE_BASE": dt.datetime(2000, 1, 1),
                "REQUIRE_PARTS": ["day", "month", "year"]}
    # the common news languages first: 0.1 s; every locale dateparser has costs 4 s, paid
    # only by a line with a year that none of these reads
    got = dateparser.parse(line, languages=list(_HEADER_LANGUAGES), settings=settings)
    if got is None and re.search(r"\d{4}", line):
        got = dateparser.parse(line, settings=settings)
    return got.date() if got else None


# the engine's languages and the other large news languages of dateparser's locales
_HEADER_LANGUAGES = ("en", "es", "ru", "fr", "de", "it", "pt")


def parse_header(text: str) -> tuple[dict[str, str], int]:
    """Leading `key value` fields; returns them and the offset where the content begins."""
    header: dict[str, str] = {}
    pos = 0
    while True:
        m = _HEADER_LINE.match(text, pos)
        if not m:
            break
        key = m["key"].lower()
        key = {"lang": "language", "published": "date"}.get(key, key)
        if key in header:
            break
        rest = text[m.end():]
        if key == "date":
            header["date"], used = parse_header_date(rest)
            pos = m.end() + used
            # the content may go on on the same line (" date 2023-09-14 Russian President ...")
            while pos < len(text) and text[pos] in " \t":
                pos += 1
            if pos < len(text) and text[pos] == "\n":
                pos += 1
        else:
            line_end = text.find("\n", m.end())
            line_end = len(text) if line_end < 0 else line_end
            header[key] = text[m.end():line_end].strip()
            pos = min(len(text), line_end + 1)
    return header, pos


# A line of its own: the key opens the line (before, "the record date is Nov. 9." in a lead
# was tried as a header, and sent dateparser through all its locales), and the run of blanks
# before it is taken whole (possessive): tried from every blank, it cost the run's square.
_DATE_LINE = re.compile(
    r"^[ \t]*+(?:date|published)(?:[ \t]*+[:=][ \t]++|[ \t]++)"
    r"(?P<value>[^\n]{6,40}?)[ \t]*$",
    re.IGNORECASE | re.MULTILINE)


def date_line(text: str, lines: int = 5) -> dict[str, str]:
    """A date header under the headline ("Headline\\n date 2023-10-23\\n\\nBody"), as pasted
    articles often have it: a line of its own among the first few, holding only the key and
    a date. A line that does not parse is text, not a bad header."""
    head = "\n".join(text.split("\n", lines)[:lines])
    for m in _DATE_LINE.finditer(head):
        try:
            iso, used = parse_header_date(m["value"])
        except IngestError:
            continue
        if not m["value"][used:].strip():
            return {"date": iso}
    return {}


def make_title(body: str, limit: int = 160) -> str:
    for line in body.split("\n"):
        line = " ".join(line.split()).lstrip("#*> ").strip()  # Markdown headings, quotes
        if line:
            if len(line) <= limit:
                return line
            cut = line[:limit].rsplit(" ", 1)[0]
            return cut + "…"
    return ""


# ---------------------------------------------------------------- the whole thing


def parse(path: str, raw: bytes, *, lang: str | None = None,
          max_bytes: int = DEFAULT_MAX_BYTES) -> Parsed:
    if len(raw) > max_bytes:
        raise IngestError(f"file too large ({len(raw):,} bytes > limit {max_bytes:,})")
    if not raw.strip():
        raise IngestError("empty file")
    text, encoding, warning = decode(raw)
    text = normalize(text)
    if text.startswith("\ufeff"):
        text = text[1:]
    _check_text(text)
    html_header: dict[str, str] = {}
    if looks_like_timeml(path, text):
        text, html_header = strip_timeml(text)
    elif looks_like_html(path, text):
        text, html_header = strip_html(text)
        if html_header.get("date"):
            try:
                html_header["date"] = parse_header_date(html_header["date"])[0]
            except IngestError:
                html_header.pop("date")
    header, body_start = parse_header(text)
    if "date" not in header:
        header.update(date_line(text))
    header = {**html_header, **header}
    body = text[body_start:]
    if not body.strip():
        raise IngestError("no text after the header")
    if lang:
        language, basis = lang, "forced"
    else:
        language, basis = lexicon.detect_language(body), "detected"
    from timeline.sha import sha256  # never OpenSSL's library for it (sha.py)

    return Parsed(
        document=sha256(text.encode("utf-8")).hexdigest(),
        sha256=sha256(raw).hexdigest(), size=len(raw), encoding=encoding,
        warning=warning, language=language, language_basis=basis, header=header,
        title=header.get("title") or make_title(body), body_start=body_start, text=text)
