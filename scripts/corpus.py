"""Synthetic corpora for the benchmarks: the fixture stories and TempEval-3 texts (read from
../shared/eval, never copied into the repo), written out as N distinct article files.

By default copy k of a source differs from it by one closing line, so a large corpus is the
same few hundred stories many times over. `varied=True` (the benchmarks' `--varied`) makes
each round of copies a world of its own, so that a large corpus has as many stories as it
has rounds, spread over years, and the dating code sees undated reports:

- every name (a capitalised word outside a time expression, seen inside a sentence) is
  replaced by an invented one, the same within a round, so a round's articles share their
  names with each other and with no other round;
- the date header moves k weeks later (a weekday in the text stays that weekday);
- one copy in five loses its header, one in seven carries it as a date line under its
  headline.

Everything is a function of the copy's number: the same N gives the same files.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import html
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
_DATA = Path("shared") / "eval" / "tempeval3" / "train"
# next to the main checkout (../shared), also from a worktree one level deeper
EVAL = next((p / _DATA for p in ROOT.parents if (p / _DATA).is_dir()), ROOT.parent / _DATA)

_HEADER = re.compile(r"\A date (\d{4}-\d{2}-\d{2})[^\n]*\n")
# mid-sentence: after a word or a comma and one space, so sentence openers keep their case
_NAME = re.compile(r"(?<=[\w,;] )[A-ZÁÉÍÓÚÑА-ЯЁ][a-záéíóúñüа-яё]{2,}\b")
_SYLLABLES = {
    "latin": ["ba", "ko", "ri", "ta", "mel", "vo", "san", "di", "lu", "ner", "qui", "zar"],
    "cyrillic": ["ба", "ко", "ри", "та", "мел", "во", "сан", "ди", "лу", "нер", "ки", "зар"],
}


def sources() -> list[str]:
    """Article texts: every fixture, then every TempEval document with its DCT as header."""
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "fixtures").rglob("*.txt"))]
    return texts + tempeval_sources()


def tempeval_sources() -> list[str]:
    """The TempEval-3 train documents (English news) as article files: DCT header, text."""
    texts = []
    for tml in sorted(EVAL.rglob("*.tml")):
        raw = tml.read_text(encoding="utf-8")
        dct = re.search(r'<TIMEX3[^>]*functionInDocument="CREATION_TIME"[^>]*>', raw)
        value = re.search(r'value="([^"]+)"', dct.group(0)) if dct else None
        body = re.search(r"<TEXT>(.*)</TEXT>", raw, re.S)
        if not body:
            continue
        text = html.unescape(re.sub(r"<[^>]+>", "", body.group(1))).strip()
        header = f" date {value.group(1)[:10]}\n" if value and value.group(1)[:4].isdigit() \
            else ""
        texts.append(header + text + "\n")
    return texts


def _digest(*parts: object) -> int:
    return int.from_bytes(hashlib.sha1(repr(parts).encode()).digest()[:8], "big")


def pseudonym(word: str, world: int) -> str:
    """An invented name for `word` in round `world`, in the word's own script, so Russian
    text keeps Cyrillic names."""
    script = "cyrillic" if re.match(r"[А-ЯЁа-яё]", word) else "latin"
    syl, h = _SYLLABLES[script], _digest(word, world)
    n = 2 + h % 2
    name = "".join(syl[(h >> (4 * k)) % len(syl)] for k in range(n))
    return name[:1].upper() + name[1:]


@functools.cache
def _name_spans(text: str) -> tuple[tuple[int, int], ...]:
    """Where `text` has a name to rename: a capitalised word seen inside a sentence and
    outside every time expression the engine finds ("Monday", "Septiembre" stay), so a
    renamed copy keeps its dates. Read once per source."""
    from timeline import ingest
    from timeline.temporal import tag

    parsed = ingest.parse("corpus.txt", text.encode("utf-8"))
    m = _HEADER.match(text)
    body = text[m.end():] if m else text
    times = [(t.start, t.end) for t in tag(body, m[1] if m else None, parsed.language)]
    at = len(text) - len(body)
    names = {n[0] for n in _NAME.finditer(body)
             if not any(s < n.end() and n.start() < e for s, e in times)}
    spans = []  # a name seen mid-sentence is renamed where it opens one too
    for n in re.finditer(r"\b\w+\b", body):
        if n[0] in names and not any(s < n.end() and n.start() < e for s, e in times):
            spans.append((at + n.start(), at + n.end()))
    return tuple(spans)


def vary(text: str, world: int, copy: int) -> str:
    """Copy number `copy` of a source, in round `world` (0: the source itself)."""
    if world == 0:
        return text
    spans, out, at = _name_spans(text), [], 0
    for s, e in spans:
        out += [text[at:s], pseudonym(text[s:e], world)]
        at = e
    text = "".join(out) + text[at:]
    m = _HEADER.match(text)
    if not m:
        return text
    day = dt.date.fromisoformat(m[1]) + dt.timedelta(weeks=world)
    body, h = text[m.end():], _digest("header", copy)
    if h % 5 == 0:
        return body
    if h % 7 == 0 and "\n" in body:
        head, rest = body.split("\n", 1)
        return f"{head}\n date {day.isoformat()}\n{rest}"
    return f" date {day.isoformat()}\n{body}"


def write(directory: Path, n: int, offset: int = 0, *, varied: bool = False) -> list[Path]:
    """n distinct files: the sources in turn, each copy marked so its content is unique
    (`varied`: each round of copies renamed and moved in time, see the module's text)."""
    directory.mkdir(parents=True, exist_ok=True)
    base = sources()
    out = []
    for i in range(offset, offset + n):
        world, text = i // len(base), base[i % len(base)]
        if varied:
            text = vary(text, world, i)
        if i >= len(base):
            text += f"\n(Copy {world} of item {i % len(base)}.)\n"
        path = directory / f"doc{i:05d}.txt"
        path.write_text(text, encoding="utf-8")
        out.append(path)
    return out
