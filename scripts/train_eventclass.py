"""Train the English event class model (timeline/analyze/classmodel.py) on TimeBank only.

    python scripts/train_eventclass.py [TIMEBANK_DIR] [--cv-only] [--c2 1.0 ...]

Every mention the detector (timeline.analyze.events) finds in a TimeBank document that
overlaps a gold EVENT is one training item: its features (classmodel.features, the rules'
class among them), the gold class its label; with --none a mention no gold EVENT overlaps
is one too, labelled NONE (the detector then drops what the model reads as no event; never
a curated event noun). The rules' class is a feature learnt on the same corpus (the
[classes] table of eventnouns.toml), so on its own training documents it would look
better than it is on unseen text: each document's rules' class is computed with a table
learnt on the other folds (stacking), as it will be on news the table never saw.

5-fold cross-validation by document (sorted file names, document k in fold k % 5) scores
the rules and the model on each held-out fold as the TempEval-3 scorer does (class F1:
micro, over all of the detector's mentions and all gold events), for each L2 weight (and,
with --none, each margin for dropping a mention read as no event) given; the setting is
chosen by ``choose`` and the model trained on all of TimeBank with it, written to
timeline/analyze/models/en.eventclass.json.gz (deterministic bytes: sorted input, a fixed
iteration count, L-BFGS from zero weights: no random start to seed). The shipped model:

    python scripts/train_eventclass.py --c2 10 --none --margin 0 0.5

AQUAINT is never read.
"""

from __future__ import annotations

import argparse
import collections
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import pycrfsuite
from eval_events import Event, Tally, _partner, figures, parse_timeml, tally
from seed_eventnouns import CONTEXT_SHARE, MIN_CONTEXT

from timeline.analyze import analyze, classmodel, eventclass, events

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "timeline" / "analyze" / "models" / classmodel.FILE.format(lang="en")
FOLDS = 5
ITERATIONS = 150
TIE = 0.002  # class F1 differences under this are fold noise (choose)
CLASSES = ("OCCURRENCE", "REPORTING", "I_ACTION", "I_STATE", "ASPECTUAL", "PERCEPTION",
           "STATE")


class Recorder:
    """Stands in for the classifier while mentions are found: keeps each mention's
    features and answers with the rules' class, so the mentions are the rules' own."""

    def __init__(self) -> None:
        self.feats: list[list[str]] = []
        self.flags: list[tuple[bool, bool]] = []  # (droppable, bare) as events.py says

    def decide(self, feats: Sequence[str], droppable: bool = True, bare: bool = False) -> str:
        self.feats.append(list(feats))
        self.flags.append((droppable, bare))
        return next(f[2:] for f in feats if f.startswith("r="))


def class_table(docs: Sequence[tuple]) -> tuple[dict[str, str], dict[str, str]]:
    """The [classes] table and the event nouns' classes as scripts/seed_eventnouns.py
    learns them, from the given (analysed, gold) documents only."""
    table: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    nouns: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    for analysed, gold, _events in docs:
        for tok in analysed.tokens:
            cls = gold.get((tok.start, tok.end))
            if cls is None:
                continue
            for k in eventclass.keys_of(analysed, tok):
                table[k][cls] += 1
            if tok.upos == "NOUN":
                nouns[tok.lemma.lower()][cls] += 1
    base: dict[str, str] = {}
    out: dict[str, str] = {}
    for k, c in sorted(table.items()):
        cls, n = min(c.items(), key=lambda kv: (-kv[1], kv[0] != "OCCURRENCE", kv[0]))
        if k.count(" ") == 1:
            base[k] = out[k] = cls
        elif not (c.total() < MIN_CONTEXT or n < CONTEXT_SHARE * c.total()
                  or base.get(k.rsplit(" ", 1)[0]) == cls):
            out[k] = cls
    return out, {w: c.most_common(1)[0][0] for w, c in sorted(nouns.items())}


def items(docs: Sequence[tuple], fold_of: Sequence[int]) -> list[list[tuple]]:
    """Per document: (mention, features, gold class or None) for each detector mention,
    the rules' class read with the table of the other folds."""
    base = events.lexicon("en")
    tables = [class_table([d for d, f in zip(docs, fold_of, strict=True) if f != k])
              for k in range(FOLDS)]
    out = []
    for (analysed, _gold, gold_events), k in zip(docs, fold_of, strict=True):
        table, noun_cls = tables[k]
        rec = Recorder()
        lex = base._replace(table=table, classifier=rec,
                            nouns={w: noun_cls.get(w, "") for w in base.nouns})
        ms = events.mentions_with(analysed, lex)
        assert len(ms) == len(rec.feats)
        row = []
        for m, feats, flags in zip(ms, rec.feats, rec.flags, strict=True):
            g = _partner(Event(m.start, m.end), gold_events)
            row.append(((m, flags), feats, (g.cls or "OCCURRENCE") if g else None))
        out.append(row)
    return out


def train(rows: Sequence[list[tuple]], c2: float, none: bool = False):
    trainer = pycrfsuite.Trainer(verbose=False)
    for row in rows:
        for _m, feats, label in row:
            if label is not None or none:
                trainer.append([feats], [label or classmodel.NONE])
    trainer.set_params({"c1": 0.0, "c2": c2, "max_iterations": ITERATIONS,
                        "feature.possible_transitions": False})
    with tempfile.TemporaryDirectory() as tmp:
        path = str(Path(tmp) / "m.crfsuite")
        trainer.train(path)
        tagger = pycrfsuite.Tagger()
        tagger.open(path)
        state = tagger.info().state_features
        tagger.close()
    weights: dict[str, dict[str, float]] = collections.defaultdict(dict)
    for (attr, label), w in state.items():
        if abs(w) >= 1e-4:
            weights[attr][label] = w
    classes = [*CLASSES, classmodel.NONE] if none else list(CLASSES)
    return classmodel.from_data({"format": classmodel.FORMAT, "classes": classes,
                                 "weights": weights}), weights


def decide(m: tuple, scored: tuple, margin: float) -> str:
    """What classmodel.Classifier.decide says of a mention, from its scores and the flags
    events.py passed it: a curated event noun or a participle before its noun is never
    dropped (events._droppable), a bare verb never I_ACTION or ASPECTUAL."""
    model, scores = scored
    droppable, bare = m[1]
    got = model.pick(scores, margin if droppable else float("inf"))
    return "OCCURRENCE" if bare and got in eventclass.NEEDS_EVENT else got


def score(docs: Sequence[tuple], rows: Sequence[list[tuple]], pick) -> Tally:
    t = Tally()
    for (analysed, _gold, gold_events), row in zip(docs, rows, strict=True):
        system = [Event(m[0].start, m[0].end, c) for m, feats, _label in row
                  if (c := pick(m, feats)) != classmodel.NONE]
        tally(analysed.text, gold_events, system, t)
    return t


def per_class(t: Tally) -> str:
    names = sorted({g for g, _ in t.confusion} | {s for _, s in t.confusion})
    out = []
    for c in names:
        hit = t.confusion[(c, c)]
        p = hit / max(sum(n for (_, s), n in t.confusion.items() if s == c), 1)
        r = hit / max(sum(n for (g, _), n in t.confusion.items() if g == c), 1)
        out.append(f"{c[:10]} P {p:.3f} R {r:.3f} F1 {2 * p * r / max(p + r, 1e-9):.3f}")
    return "\n      ".join(out)


def choose(tried: Sequence[tuple[float, float, float, float]]):
    """(class F1, relaxed F1, c2, margin) of the setting to ship: the best CV class F1;
    of those within TIE of it (fold noise), the one that keeps most events (relaxed F1):
    a timeline needs its events more than a class on a dropped one."""
    if not tried:
        return None
    top = max(t[0] for t in tried)
    return max((t for t in tried if t[0] >= top - TIE), key=lambda t: (t[1], t[0]))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    default = next((p / "shared/eval/tempeval3/train/TimeBank" for p in ROOT.parents
                    if (p / "shared/eval/tempeval3/train/TimeBank").is_dir()), None)
    ap.add_argument("src", nargs="?", type=Path, default=default)
    ap.add_argument("--c2", type=float, nargs="+", default=[1.0])
    ap.add_argument("--none", action="store_true",
                    help="also learn NONE (a mention no gold EVENT overlaps) and drop those")
    ap.add_argument("--margin", type=float, nargs="+", default=[0.0],
                    help="with --none: NONE must beat the best class by this much")
    ap.add_argument("--cv-only", action="store_true", help="cross-validate, write nothing")
    args = ap.parse_args()
    if args.src is None or args.src.name != "TimeBank" or not args.src.is_dir():
        print(f"train_eventclass: need the TimeBank directory, got {args.src}",
              file=sys.stderr)
        return 2
    docs = []
    for f in sorted(args.src.glob("*.tml")):
        doc = parse_timeml(f.read_text(encoding="utf-8"))
        gold = {(e.start, e.end): e.cls or "OCCURRENCE" for e in doc.events}
        docs.append((analyze(doc.text, "en"), gold, doc.events))
    fold_of = [k % FOLDS for k in range(len(docs))]
    rows = items(docs, fold_of)
    rules = score(docs, rows, lambda _m, feats: feats[1][2:])
    res = figures(rules)
    print(f"TimeBank {len(docs)} documents, {FOLDS}-fold by document")
    print(f"  rules (table from the other folds): class accuracy {res['class'][0]:.4f} "
          f"F1 {res['class'][1]:.4f}\n      {per_class(rules)}")
    print(f"      relaxed P/R/F1 {res['relaxed'][0]:.4f} {res['relaxed'][1]:.4f} "
          f"{res['relaxed'][2]:.4f}")
    tried: list[tuple[float, float, float, float]] = []
    for c2 in args.c2:
        scored: list[list[tuple]] = [[] for _ in docs]
        for k in range(FOLDS):
            model, _w = train([r for r, f in zip(rows, fold_of, strict=True) if f != k], c2,
                              args.none)
            for i, row in enumerate(rows):
                if fold_of[i] == k:
                    scored[i] = [(m, (model, model.scores(feats)), lab)
                                 for m, feats, lab in row]
        for margin in args.margin if args.none else [0.0]:
            t = score(docs, scored, lambda m, ms, margin=margin: decide(m, ms, margin))
            res = figures(t)
            print(f"  model c2={c2} margin={margin}: class accuracy {res['class'][0]:.4f} "
                  f"F1 {res['class'][1]:.4f} relaxed P/R/F1 {res['relaxed'][0]:.4f} "
                  f"{res['relaxed'][1]:.4f} {res['relaxed'][2]:.4f}\n      {per_class(t)}")
            tried.append((res["class"][1], res["relaxed"][2], c2, margin))
    best = choose(tried)
    if args.cv_only or best is None:
        return 0
    class_f1, relaxed, c2, margin = best
    _model, weights = train(rows, c2, args.none)
    meta = {"trained_on": "TempEval-3 train: TimeBank", "c2": c2, "margin": margin,
            "iterations": ITERATIONS, "cv_class_f1": round(class_f1, 4),
            "cv_relaxed_f1": round(relaxed, 4)}
    OUT.write_bytes(classmodel.dumps(_model.classes, weights, meta, margin))
    print(f"chose c2={c2} margin={margin} (CV class F1 {class_f1:.4f}, relaxed F1 "
          f"{relaxed:.4f}) -> {OUT.relative_to(ROOT)} ({OUT.stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
