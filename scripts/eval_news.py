"""Hand-written Spanish and Russian news (tests/data/news_gold/<lang>/*.txt), scored as
TempEval-3 Task A and B: what `timeline tag --events` finds, against a reader's gold.

The gold is inline markup (tests/data/news_gold/README.md): `[word|CLASS|status|modal]` an
EVENT, `{span|TYPE|value}` a TIMEX3; stripping it gives the document exactly as a user feeds
it. The document is read as `timeline tag` reads it (ingest: header, language, body), its
time expressions tagged with the document's date as reference, as `timeline run` dates it
(the header's; without one, a dateline's: `timeline tag --dct` with that date), its events
found by the analysis layer (timeline.analyze.events). The status of an event is that of
the pipeline's mention over it (`timeline run`'s extraction, one document at a time, its date
as the pipeline finds it). Per language: event strict and relaxed P/R/F1, class accuracy and
F1, polarity and modality accuracy, status accuracy (over all gold events, and over those
the pipeline keeps a mention of: it drops a lone reporting verb without a time), TIMEX3
relaxed P/R/F1 and value accuracy on relaxed matches; then the misses and wrong values.

    python scripts/eval_news.py [--lang es ru] [--errors 30] [--json]
"""

from __future__ import annotations

import argparse
import collections
import json
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NamedTuple

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from eval_events import Event, Tally, figures, tally

GOLD = Path(__file__).resolve().parents[1] / "tests" / "data" / "news_gold"
_MARK = re.compile(r"\[([^\[\]|]+)\|([A-Z_]+)\|([a-z]+)(?:\|([^\[\]|]+))?\]"
                   r"|\{([^{}|]+)\|([A-Z]+)\|([^{}|]+)\}")


class GoldDoc(NamedTuple):
    name: str
    text: str
    events: list[Event]
    status: list[str]  # per gold event
    timexes: list[tuple[int, int, str, str]]


def parse_gold(name: str, raw: str) -> GoldDoc:
    """The document text with the markup stripped, and the gold spans into it."""
    out: list[str] = []
    pos = length = 0
    events: list[Event] = []
    status: list[str] = []
    timexes: list[tuple[int, int, str, str]] = []
    for m in _MARK.finditer(raw):
        out.append(raw[pos:m.start()])
        length += m.start() - pos
        pos = m.end()
        word = m.group(1) or m.group(5)
        start, end = length, length + len(word)
        out.append(word)
        length = end
        if m.group(1):
            polarity = "NEG" if m.group(3) == "negated" else "POS"
            events.append(Event(start, end, m.group(2),
                                {"polarity": polarity, "modality": m.group(4) or ""}))
            status.append(m.group(3))
        else:
            timexes.append((start, end, m.group(6), m.group(7)))
    out.append(raw[pos:])
    return GoldDoc(name, "".join(out), events, status, timexes)


def load(lang: str) -> list[GoldDoc]:
    return [parse_gold(p.name, p.read_text(encoding="utf-8"))
            for p in sorted((GOLD / lang).glob("*.txt"))]


# ------------------------------------------------------------------ the system

def run_doc(doc: GoldDoc, lang: str) -> tuple[list[Event], list[tuple[int, int, str, str]],
                                               list[tuple[int, int, str]]]:
    """(events, timexes, pipeline mentions as (start, end, status)) as the CLI finds them."""
    from timeline import ingest, temporal
    from timeline.cli.tagevents import mentions
    from timeline.temporal.values import parse_day

    parsed = ingest.parse(doc.name, doc.text.encode("utf-8"), lang=lang)
    statuses, dated = pipeline_status(parsed, doc.name)
    dct = parse_day(dated) if dated else None
    # the header's date is the document creation time, no expression of the text's
    timexes = [(t.start, t.end, t.type, t.value)
               for t in temporal.tag(parsed.text, dct, parsed.language)
               if t.start >= parsed.body_start]
    # as `--format timeml` writes them: an event inside a time expression is left out
    # ("el lunes pasado", "в воскресенье"), as TimeML does not nest EVENT in TIMEX3
    events = [Event(m.start, m.end, m.class_, {"polarity": m.polarity,
                                                "modality": m.modality or ""})
              for m in mentions(parsed.text, parsed.body_start, parsed.language)
              if not any(s < m.end and m.start < e for s, e, _t, _v in timexes)]
    return events, timexes, statuses


def pipeline_status(parsed: Any, name: str) -> tuple[list[tuple[int, int, str]], str | None]:
    """The extraction's mentions of the one document, as `timeline run` derives them, and
    the date it gives the document (its header's, else one read off a dateline)."""
    from timeline import events as ev
    from timeline import pipeline, segment

    d = pipeline.doc_from_parsed(parsed, name)
    date = parsed.header.get("date")
    date = date[:10] if date else None
    timexes = {d.id: [ev.to_data(f) for f in pipeline.timex_facts(d, date, "eval")]}
    segs = {d.id: segment.segments(d.id, d.text, d.body_start, d.language)}
    story_of = segment.stories(segs[d.id], dates={d.id: date})
    rec = pipeline.reconstruct([d], timexes, segs, story_of)
    dating = rec.dates.get(d.id)
    return ([(m["start"], m["end"], m["status"]) for m in rec.mentions],
            dating.date[:10] if dating is not None and dating.date else None)


# ------------------------------------------------------------------ scoring

def score_timexes(doc: GoldDoc, system: Sequence[tuple[int, int, str, str]],
                  counts: collections.Counter[str], errors: list[str]) -> None:
    used: set[int] = set()
    counts["timex_gold"] += len(doc.timexes)
    counts["timex_system"] += len(system)
    for gs, ge, gt, gv in doc.timexes:
        hit = next((i for i, (s, e, _t, _v) in enumerate(system)
                    if i not in used and s < ge and gs < e), None)
        if hit is None:
            errors.append(f"{doc.name}: timex missed {doc.text[gs:ge]!r} ({gt} {gv})")
            continue
        used.add(hit)
        s, e, t, v = system[hit]
        counts["timex_relaxed"] += 1
        counts["timex_strict"] += (s, e) == (gs, ge)
        if v == gv:
            counts["timex_value"] += 1
        else:
            errors.append(f"{doc.name}: timex value {doc.text[gs:ge]!r} as "
                          f"{doc.text[s:e]!r}: want {gv}, got {v}")
    for i, (s, e, t, v) in enumerate(system):
        if i not in used:
            errors.append(f"{doc.name}: timex spurious {doc.text[s:e]!r} ({t} {v})")


def score_events(doc: GoldDoc, system: Sequence[Event], statuses: Sequence[tuple[int, int, str]],
                 t: Tally, counts: collections.Counter[str], errors: list[str]) -> None:
    tally(doc.text, doc.events, system, t)
    for g, want in zip(doc.events, doc.status, strict=True):
        word = doc.text[g.start:g.end]
        over = [o for o in system if o.start < g.end and g.start < o.end]
        if not over:
            errors.append(f"{doc.name}: event missed {word!r} ({g.cls})")
        elif over[0].cls != g.cls:
            errors.append(f"{doc.name}: event class {word!r}: want {g.cls}, got {over[0].cls}")
        for name in ("polarity", "modality"):
            if over and over[0].attrs.get(name) != g.attrs.get(name):
                errors.append(f"{doc.name}: event {name} {word!r}: want "
                              f"{g.attrs.get(name)!r}, got {over[0].attrs.get(name)!r}")
        got = next((st for s, e, st in statuses if s < g.end and g.start < e), None)
        counts["status_gold"] += 1
        counts["status_found"] += got is not None
        counts["status_right"] += got == want
        if got != want:
            errors.append(f"{doc.name}: status {word!r}: want {want}, got {got}")
    gold_spans = [(g.start, g.end) for g in doc.events]
    for s in system:
        if not any(a < s.end and s.start < b for a, b in gold_spans):
            errors.append(f"{doc.name}: event spurious {doc.text[s.start:s.end]!r} ({s.cls})")


def evaluate(lang: str) -> tuple[dict[str, Any], list[str]]:
    t = Tally()
    counts: collections.Counter[str] = collections.Counter()
    errors: list[str] = []
    docs = load(lang)
    for doc in docs:
        events, timexes, statuses = run_doc(doc, lang)
        score_events(doc, events, statuses, t, counts, errors)
        score_timexes(doc, timexes, counts, errors)
    res = figures(t)
    tp, tr = (counts["timex_relaxed"] / max(counts["timex_system"], 1),
              counts["timex_relaxed"] / max(counts["timex_gold"], 1))
    out = {"documents": len(docs), "events_gold": t.gold, "events_system": t.system,
           "event_strict": res["strict"], "event_relaxed": res["relaxed"],
           "class_accuracy": res["class"][0] if res["class"] else None,
           "class_f1": res["class"][1] if res["class"] else None,
           "polarity_accuracy": res["polarity"][0] if res["polarity"] else None,
           "modality_accuracy": res["modality"][0] if res["modality"] else None,
           "status_accuracy": counts["status_right"] / max(counts["status_gold"], 1),
           "status_on_kept": counts["status_right"] / max(counts["status_found"], 1),
           "timex_gold": counts["timex_gold"], "timex_system": counts["timex_system"],
           "timex_relaxed": (tp, tr, 2 * tp * tr / (tp + tr) if tp + tr else 0.0),
           "timex_value_accuracy": counts["timex_value"] / max(counts["timex_relaxed"], 1)}
    return out, errors


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--lang", nargs="*", default=["es", "ru"])
    ap.add_argument("--errors", type=int, default=40, help="how many errors to list")
    ap.add_argument("--json", action="store_true", help="the figures as one JSON object")
    args = ap.parse_args()
    results = {}
    for lang in args.lang:
        res, errors = evaluate(lang)
        results[lang] = res
        if args.json:
            continue
        print(f"\n== {lang}: {res['documents']} documents, {res['events_gold']} gold events "
              f"({res['events_system']} found), {res['timex_gold']} gold timexes "
              f"({res['timex_system']} found)")
        for k in ("event_strict", "event_relaxed", "timex_relaxed"):
            p, r, f = res[k]
            print(f"  {k:<14} P {p:.3f}  R {r:.3f}  F1 {f:.3f}")
        for k in ("class_accuracy", "class_f1", "polarity_accuracy", "modality_accuracy",
                  "status_accuracy", "status_on_kept", "timex_value_accuracy"):
            v = res[k]
            print(f"  {k:<20} {'-' if v is None else f'{v:.3f}'}")
        if args.errors:
            print(f"  errors ({len(errors)}):")
            for e in errors[:args.errors]:
                print(f"    {e}")
    if args.json:
        print(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
