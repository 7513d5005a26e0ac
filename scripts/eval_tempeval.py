"""TempEval-3 scoring: Task A (time expressions) and Task B (events).

Reads the TimeML files where they live (../shared/eval/tempeval3/train by default; never
copied into the repo), strips the inline tags to get the text, and runs our stages with the
document creation time as reference date.

Task A: our tagger with dateparser's search_dates side by side: strict and relaxed
extraction P/R/F1, value F1 (relaxed matches with the right value) and type accuracy, then
the most frequent error kinds.

Task B (scripts/eval_events.py): the mention extractor's event extents, strict and relaxed
P/R/F1, class accuracy and F1, tense/aspect/polarity/modality where given, per corpus (each
subdirectory: TimeBank, AQUAINT), next to a lexical baseline learnt on TimeBank only and
scored on the other corpora; then the most frequent missed and spurious words.

    python scripts/eval_tempeval.py [DIR ...] [--task a|b|ab] [--errors 20] [--no-dateparser]
"""

from __future__ import annotations

import argparse
import collections
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from eval_events import TimeML, parse_timeml, task_b

from timeline.temporal import tag

_DATA = Path("shared") / "eval" / "tempeval3" / "train"
# next to the main checkout (../shared), also when run from a worktree one level deeper
DEFAULT = next((p / _DATA for p in Path(__file__).resolve().parents[1:] if (p / _DATA).is_dir()),
               Path(__file__).resolve().parents[2] / _DATA)


def parse_tml(raw: str) -> tuple[str, str | None, list[tuple[int, int, str, str]]]:
    """(plain text of <TEXT>, DCT value, gold timexes as (start, end, type, value))."""
    doc = parse_timeml(raw)
    return doc.text, doc.dct, doc.timexes


def dateparser_tag(text: str, dct: str | None) -> list[tuple[int, int, str, str]]:
    import datetime as dt

    from dateparser.search import search_dates

    base = dt.datetime.fromisoformat(dct[:10]) if dct else None
    settings = {"RELATIVE_BASE": base} if base else {}
    try:
        found = search_dates(text, languages=["en"], settings=settings) or []
    except Exception:
        return []
    out = []
    pos = 0
    for surface, when in found:
        s = text.find(surface, pos)
        if s < 0:
            continue
        pos = s + len(surface)
        out.append((s, s + len(surface), "DATE", when.date().isoformat()))
    return out


def shape(text: str) -> str:
    return re.sub(r"\d", "9", text.lower())


def score(name: str, docs: list[tuple[str, str | None, list]], tagger, errors: int) -> dict:
    sys_n = gold_n = strict = relaxed = value_ok = type_ok = 0
    kinds: collections.Counter[str] = collections.Counter()
    t0 = time.perf_counter()
    for text, dct, gold in docs:
        system = tagger(text, dct)
        sys_n += len(system)
        gold_n += len(gold)
        used: set[int] = set()
        for gs, ge, gt, gv in gold:
            hit = None
            for i, (s, e, _t, _v) in enumerate(system):
                if i not in used and s < ge and gs < e:
                    hit = i
                    break
            if hit is None:
                kinds[f"missed   {gt:<8} {shape(text[gs:ge])!r}"] += 1
                continue
            used.add(hit)
            s, e, t, v = system[hit]
            relaxed += 1
            strict += (s, e) == (gs, ge)
            type_ok += t == gt
            if v == gv:
                value_ok += 1
            else:
                kinds[f"value    {gt:<8} {shape(text[gs:ge])!r}: want {shape(gv)} got "
                      f"{shape(v)}"] += 1
            if (s, e) != (gs, ge) and v == gv:
                kinds[f"extent   {shape(text[gs:ge])!r} vs {shape(text[s:e])!r}"] += 1
        for i, (s, e, t, _v) in enumerate(system):
            if i not in used:
                kinds[f"spurious {t:<8} {shape(text[s:e])!r}"] += 1
    elapsed = time.perf_counter() - t0

    def f1(p: float, r: float) -> float:
        return 2 * p * r / (p + r) if p + r else 0.0

    sp, sr = strict / max(sys_n, 1), strict / max(gold_n, 1)
    rp, rr = relaxed / max(sys_n, 1), relaxed / max(gold_n, 1)
    vp, vr = value_ok / max(sys_n, 1), value_ok / max(gold_n, 1)
    res = {"strict": (sp, sr, f1(sp, sr)), "relaxed": (rp, rr, f1(rp, rr)),
           "value_f1": f1(vp, vr), "type_acc": type_ok / max(relaxed, 1),
           "gold": gold_n, "system": sys_n, "seconds": elapsed}
    print(f"\n== {name}: {len(docs)} documents, {gold_n} gold timexes, {sys_n} found, "
          f"{elapsed:.2f}s")
    for k in ("strict", "relaxed"):
        p, r, f = res[k]
        print(f"  {k:<8} P {p:.3f}  R {r:.3f}  F1 {f:.3f}")
    print(f"  value F1 {res['value_f1']:.3f}   type accuracy {res['type_acc']:.3f}")
    if errors:
        print(f"  {errors} most frequent error kinds:")
        for kind, n in kinds.most_common(errors):
            print(f"    {n:4d}  {kind}")
    return res


def corpora(dirs: list[Path]) -> dict[str, list[tuple[str, TimeML]]]:
    """Documents by corpus: the directory holding the file (TimeBank, AQUAINT)."""
    out: dict[str, list[tuple[str, TimeML]]] = {}
    for f in sorted(f for d in dirs for f in d.rglob("*.tml")):
        doc = parse_timeml(f.read_text(encoding="utf-8"))
        out.setdefault(f.parent.name, []).append((f.stem, doc))
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("dirs", nargs="*", type=Path, default=[DEFAULT])
    ap.add_argument("--task", choices=("a", "b", "ab"), default="ab",
                    help="a: time expressions, b: events, ab: both (default)")
    ap.add_argument("--errors", type=int, default=20,
                    help="how many error kinds (Task A) and missed/spurious words (Task B)")
    ap.add_argument("--no-dateparser", action="store_true")
    args = ap.parse_args()
    by_corpus = corpora(args.dirs)
    if not by_corpus:
        print(f"no .tml files under {', '.join(map(str, args.dirs))}", file=sys.stderr)
        return 2
    if "a" in args.task:
        docs = [(d.text, d.dct, d.timexes) for ds in by_corpus.values() for _, d in ds]

        def ours(text: str, dct: str | None) -> list[tuple[int, int, str, str]]:
            return [(t.start, t.end, t.type, t.value)
                    for t in tag(text, dct and dct[:10], "en")]

        score("timeline", docs, ours, args.errors)
        if not args.no_dateparser:
            score("dateparser.search_dates", docs, dateparser_tag, min(args.errors, 5))
    if "b" in args.task:
        task_b(by_corpus, args.errors)
    return 0


if __name__ == "__main__":
    sys.exit(main())
