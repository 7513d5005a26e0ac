"""Visible text of HTML and TimeML pages, in time linear in the input whatever it holds.

The standard library's `html.parser.HTMLParser` rescans the rest of the input for every
unterminated construct (`<a ` or `<!--` repeated: 120 KB took four minutes), and patterns
such as `<TEXT>(.*?)</TEXT>` or `<[^>]+>` do the same from every start they try. Here every
scan either moves forward or ends the input: each tag is one match of a pattern whose
quantifiers are possessive (nothing is tried twice), comments and raw text end at the next
`str.find` of their terminator, and a construct that never ends ends the input (its rest is
markup, not text, as an HTML5 parser treats it at end of file).
"""

from __future__ import annotations

import re
from typing import NamedTuple

SKIP = frozenset({"script", "style", "noscript", "template", "svg", "head"})
BLOCK = frozenset({
    "p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "table",
    "section", "article", "header", "footer", "aside", "nav", "blockquote", "pre", "hr",
    "dd", "dt", "figcaption", "main"})
RAW_TEXT = frozenset({"script", "style"})  # their content is text up to the end tag, not tags
META_DATE = ("date", "pubdate", "article:published_time", "datepublished",
             "og:published_time", "dc.date")

# A start or end tag: the name, then attributes (a quoted value may hold `>`), then `>`
# (group "close" is None only at the end of the input: an unterminated tag).
_TAG = re.compile(
    r"""<(?P<end>/?)(?P<name>[a-zA-Z][^\s/>]*+)(?P<attrs>(?:[\s/]*+[^\s/>][^\s/>=]*+"""
    r"""(?:\s*+=\s*+(?:"[^"]*+"?+|'[^']*+'?+|[^\s>]*+))?+)*+)[\s/]*+(?P<close>>)?""")
_ATTR = re.compile(
    r"""[\s/]*+(?P<name>[^\s/>][^\s/>=]*+)(?:\s*+=\s*+(?:"(?P<dq>[^"]*+)"?+|'(?P<sq>[^']*+)'?+"""
    r"""|(?P<bare>[^\s>]*+)))?+""")
_RAW_END = {name: re.compile(rf"</{name}", re.IGNORECASE) for name in RAW_TEXT}


def _unescape(text: str) -> str:
    """`html.unescape`, imported by the first page that holds an entity: its table of 2,000
    names is a few milliseconds of every start of `timeline tag`, and plain text needs none."""
    from html import unescape

    return unescape(text)


def _attributes(text: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for m in _ATTR.finditer(text):
        value = m["dq"] if m["dq"] is not None else m["sq"] if m["sq"] is not None \
            else m["bare"] or ""
        out.setdefault(m["name"].lower(), _unescape(value))
    return out


class Page(NamedTuple):
    """What the tokenizer found: text parts, the title, the meta date."""

    parts: list[str]
    title: list[str]
    meta: dict[str, str]


def _meta(attrs_text: str, meta: dict[str, str]) -> None:
    a = _attributes(attrs_text)
    key = (a.get("name") or a.get("property") or a.get("itemprop") or "").lower()
    if key in META_DATE:
        meta.setdefault("date", a.get("content", ""))


def _skip_markup(text: str, i: int) -> int:
    """End of the comment, declaration or processing instruction at `i` (len(text) if it
    never ends), or -1 when the `<` at `i` opens none of them and is a plain character."""
    if text.startswith("<!--", i):
        end = text.find("-->", i + 4)
        return len(text) if end < 0 else end + 3
    if text.startswith("<![CDATA[", i):
        end = text.find("]]>", i + 9)
        return len(text) if end < 0 else end + 3
    if text.startswith(("<!", "<?", "</"), i):
        end = text.find(">", i + 2)
        return len(text) if end < 0 else end + 1
    return -1


def tokenize(text: str) -> Page:  # one flat loop: it runs once per tag
    """One forward pass over the page. Data goes to the title inside <title>, to the text
    outside skipped elements (script, style, head, ...), and is unescaped when it holds `&`."""
    page = Page([], [], {})
    parts, title = page.parts, page.title
    skip, in_title = 0, False
    pos, n = 0, len(text)
    find, match, unescape = text.find, _TAG.match, _unescape

    def data(chunk: str) -> None:
        if chunk:
            if "&" in chunk:
                chunk = unescape(chunk)
            if in_title:
                title.append(chunk)
            elif not skip:
                parts.append(chunk)

    while pos < n:
        i = find("<", pos)
        if i < 0:
            data(text[pos:])
            break
        m = match(text, i)
        if m is None:
            end = _skip_markup(text, i)
            if end < 0:  # "a < b": text
                data(text[pos:i + 1])
                pos = i + 1
            else:
                data(text[pos:i])
                pos = end
            continue
        data(text[pos:i])
        if m["close"] is None:  # a tag that never ends: the rest is inside it
            break
        name = m["name"].lower()
        pos = m.end()
        closing = bool(m["end"]) or text[pos - 2] == "/"
        if not m["end"]:
            skip += name in SKIP
            in_title = in_title or name == "title"
            if name == "meta":
                _meta(m["attrs"], page.meta)
        if closing:
            if name in SKIP and skip:
                skip -= 1
            in_title = in_title and name != "title"
        if name in BLOCK:
            parts.append("\n\n\n\n" if closing and not m["end"] else "\n\n")  # <br/>: both
        if not closing and name in RAW_TEXT:
            found = _RAW_END[name].search(text, pos)
            end = n if found is None else found.start()
            data(text[pos:end])
            pos = end
    return page


def looks_like_html(path: str, text: str) -> bool:
    if path.lower().endswith((".html", ".htm", ".xhtml")):
        return True
    head = text[:1024].lstrip().lower()
    return head.startswith(("<!doctype html", "<html"))


def strip_html(text: str) -> tuple[str, dict[str, str]]:
    page = tokenize(text)
    body = "".join(page.parts)
    body = re.sub(r"[ \t\u00a0]+", " ", body)
    body = re.sub(r" *\n[ \n]*\n *", "\n\n", body).strip()
    header = dict(page.meta)
    title = "".join(page.title)
    if title.strip():
        header["title"] = " ".join(title.split())
    return body, header


# ---------------------------------------------------------------- TimeML


def drop_tags(text: str, repl: str = "") -> str:
    """`re.sub(r"<[^>]+>", repl, text)` in one forward pass: the regex retries from every
    `<` that no `>` follows, so `<` repeated cost the square of the input."""
    out: list[str] = []
    pos, n = 0, len(text)
    while pos < n:
        i = text.find("<", pos)
        if i < 0:
            break
        j = text.find(">", i + 1)
        if j < 0:  # no `>` after this `<`: none after any later one either
            break
        if j == i + 1:  # "<>" is no tag
            out.append(text[pos:j + 1])
        else:
            out.append(text[pos:i])
            out.append(repl)
        pos = j + 1
    out.append(text[pos:])
    return "".join(out)


def _element(text: str, name: str) -> str | None:
    """Content of the first `<NAME>...</NAME>`, as `re.search(r"<NAME>(.*?)</NAME>", re.S)`
    finds it: when the first opening tag has no closing tag after it, no later one has."""
    start = text.find(f"<{name}>")
    if start < 0:
        return None
    start += len(name) + 2
    end = text.find(f"</{name}>", start)
    return None if end < 0 else text[start:end]


def _creation_time(text: str) -> str | None:
    """The value of the first `<TIMEX3 ... functionInDocument="CREATION_TIME" ...>`."""
    pos = 0
    while True:
        i = text.find("<TIMEX3", pos)
        if i < 0:
            return None
        j = text.find(">", i)
        if j < 0:
            return None
        tag = text[i:j]
        if 'functionInDocument="CREATION_TIME"' in tag:
            value = re.search(r'value="([^"]+)"', tag)
            return value.group(1) if value else None
        pos = j + 1


def looks_like_timeml(path: str, text: str) -> bool:
    return path.lower().endswith(".tml") or "<TimeML" in text[:2000]


def strip_timeml(text: str) -> tuple[str, dict[str, str]]:
    """A TimeML document (TempEval's format): its TEXT without the tags, its creation time
    as the date header, so it is tagged the way TempEval's systems see it."""
    from timeline.temporal.values import parse_day

    header: dict[str, str] = {}
    value = _creation_time(text)
    if value and parse_day(value[:10]):  # a DCT that is no real date dates nothing
        header["date"] = value[:10]
    title = _element(text, "TITLE")
    if title is not None:
        header["title"] = " ".join(_unescape(drop_tags(title)).split())
    body = _element(text, "TEXT")
    inner = body if body is not None else drop_tags(text, " ")
    return _unescape(drop_tags(inner)), header
