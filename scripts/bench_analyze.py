"""Measure timeline.analyze on the held-aside UD test files, next to a baseline, in one run.

Per language: tokens/s per core for the whole layer (tokenise + tag + lemma + features +
names, one process, model already loaded; load time printed apart; CPU time of this process,
so other load on a shared machine does not count; the test file is analysed again and again
until a pass holds at least --min-tokens tokens, and the median of --passes such passes is
reported, with the pass's token count: one pass over a file of 12k tokens takes a tenth of a
second, too short to tell a change from noise), UPOS, lemma and feature
accuracy on gold tokens (so tokenisation errors do not mix in), tokenisation F1 against the
gold tokens separately, and the baseline (most frequent tag per word in the dev file, unknown
words NOUN or PROPN by capitalisation; lemma = lower-cased form). With --simplemma, the
lemma accuracy of simplemma on the same tokens, for comparison. With --errors N, the N most
frequent lemma errors of each language (form, gold lemma, ours, count).

    python scripts/bench_analyze.py [--ud DIR] [--lang en es ru] [--simplemma] [--errors N]
                                    [--min-tokens N] [--passes N]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from train_analyze import TREEBANKS, default_ud  # noqa: E402

from timeline.analyze import analyze, annotate  # noqa: E402
from timeline.analyze.conllu import GoldSentence, gold_spans, read_conllu  # noqa: E402
from timeline.analyze.morph import parse_feats  # noqa: E402
from timeline.analyze.tokenize import tokenize  # noqa: E402


def baseline(dev: list[GoldSentence]) -> dict[str, str]:
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for s in dev:
        for t in s.tokens:
            counts[t.form][t.upos] += 1
    return {w: min(c.items(), key=lambda kv: (-kv[1], kv[0]))[0] for w, c in counts.items()}


def baseline_tag(words: list[str], table: dict[str, str]) -> list[str]:
    return [table.get(w) or ("PROPN" if w[:1].isupper() else "NOUN") for w in words]


def accuracy(test: list[GoldSentence], lang: str, table: dict[str, str],
             errors: Counter[tuple[str, str, str]] | None = None) -> dict[str, float]:
    """Scores on gold tokens; ``errors`` (if given) counts each (form, gold lemma, ours)
    lemma error, forms lower-cased."""
    n = upos = lemma = feats = base = base_lemma = 0
    for s in test:
        words = [t.form for t in s.tokens]
        for gold, (u, lem, f), b in zip(
            s.tokens, annotate(words, lang), baseline_tag(words, table), strict=True
        ):
            n += 1
            upos += u == gold.upos
            ok = lem.lower() == gold.lemma.lower()
            lemma += ok
            if not ok and errors is not None:
                errors[(gold.form.lower(), gold.lemma.lower(), lem.lower())] += 1
            feats += f == parse_feats(gold.feats)
            base += b == gold.upos
            base_lemma += gold.form.lower() == gold.lemma.lower()
    return {"n": n, "upos": upos / n, "lemma": lemma / n, "feats": feats / n,
            "base_upos": base / n, "base_lemma": base_lemma / n}


def simplemma_accuracy(test: list[GoldSentence], lang: str) -> float:
    import simplemma

    n = ok = 0
    for s in test:
        for t in s.tokens:
            n += 1
            ok += simplemma.lemmatize(t.form, lang=lang).lower() == t.lemma.lower()
    return ok / n


def token_f1(test: list[GoldSentence], lang: str) -> float:
    tp = pred = gold = 0
    for s in test:
        g = set(gold_spans(s))
        p = set(tokenize(s.text, lang))
        tp += len(g & p)
        pred += len(p)
        gold += len(g)
    prec, rec = tp / pred, tp / gold
    return 2 * prec * rec / (prec + rec)


def speed(
    test: list[GoldSentence], lang: str, table: dict[str, str], min_tokens: int = 200_000,
    passes: int = 5,
) -> tuple[float, float, float, float, int]:
    """(load s, first-pass tokens/s, median tokens/s, baseline tokens/s, tokens a pass) on
    20-sentence documents.

    Load is the model files (and for Russian pymorphy3's dictionary). The first pass over
    the file ("cold") fills the per-word memos (features, lemma/feature analyses, pymorphy3
    answers); then ``passes`` passes, each over the file repeated until it holds at least
    ``min_tokens`` tokens, and their median ("tok/s", warm) is the steady state of a long
    batch of news.
    """
    docs = [" ".join(s.text for s in test[i : i + 20]) for i in range(0, len(test), 20)]
    t0 = time.process_time()
    analyze("", lang)
    if lang == "ru":  # pymorphy3's dictionary loads on the first unseen verb: count it here
        from timeline.analyze.russian import _analyzer

        _analyzer()
    load = time.process_time() - t0
    t0 = time.process_time()
    once = sum(len(analyze(d, lang).tokens) for d in docs)
    cold = once / (time.process_time() - t0)
    batch = docs * max(1, -(-min_tokens // once))
    rates = []
    for _ in range(passes):
        t0 = time.process_time()
        ntok = sum(len(analyze(d, lang).tokens) for d in batch)
        rates.append(ntok / (time.process_time() - t0))
    sents = [[t.form for t in s.tokens] for s in test]
    t0 = time.process_time()
    nb = sum(len(baseline_tag(w, table)) for w in sents)
    return load, cold, statistics.median(rates), nb / (time.process_time() - t0), ntok


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--ud", type=Path, default=default_ud())
    ap.add_argument("--lang", nargs="+", default=list(TREEBANKS), choices=list(TREEBANKS))
    ap.add_argument("--simplemma", action="store_true")
    ap.add_argument("--errors", type=int, default=0, metavar="N",
                    help="list the N most frequent lemma errors of each language")
    ap.add_argument("--min-tokens", type=int, default=200_000,
                    help="tokens a timed pass holds at least (the file repeated)")
    ap.add_argument("--passes", type=int, default=5, help="timed passes (median reported)")
    args = ap.parse_args(argv)
    head = (f"{'lang':4} {'tokens':>6} {'cold/s':>8} {'tok/s':>8} {'pass':>7} {'load s':>6} "
            f"{'tokF1':>6} "
            f"{'UPOS':>6} {'lemma':>6} {'feats':>6} | "
            f"{'base UPOS':>9} {'base lemma':>10} {'base tok/s':>10}")
    if args.simplemma:
        head += f" {'simplemma':>9}"
    print(head)
    listed: list[tuple[str, Counter[tuple[str, str, str]]]] = []
    for lang in args.lang:
        read = {}
        for part in ("dev", "test"):
            path = args.ud / f"{TREEBANKS[lang]}-ud-{part}.conllu"
            if not path.is_file():
                print(f"bench_analyze: {path}: not found (give --ud DIR)", file=sys.stderr)
                return 2
            read[part] = list(read_conllu(path.read_text(encoding="utf-8")))
        table = baseline(read["dev"])
        load, cold, tps, base_tps, ntok = speed(read["test"], lang, table, args.min_tokens,
                                                args.passes)
        errors: Counter[tuple[str, str, str]] = Counter()
        acc = accuracy(read["test"], lang, table, errors)
        f1 = token_f1(read["test"], lang)
        row = (f"{lang:4} {acc['n']:6d} {cold:8.0f} {tps:8.0f} {ntok:7d} {load:6.2f} {f1:6.3f} "
               f"{acc['upos']:6.3f} {acc['lemma']:6.3f} {acc['feats']:6.3f} | "
               f"{acc['base_upos']:9.3f} {acc['base_lemma']:10.3f} {base_tps:10.0f}")
        if args.simplemma:
            row += f" {simplemma_accuracy(read['test'], lang):9.3f}"
        print(row, flush=True)
        if args.errors:
            listed.append((lang, errors))
    for lang, errors in listed:
        print(f"{lang}: the {args.errors} most frequent lemma errors (form gold>ours count):")
        print("  " + "; ".join(f"{f} {g}>{o} {n}" for (f, g, o), n in
                               sorted(errors.items(), key=lambda kv: (-kv[1], kv[0]))
                               [: args.errors]))
    print("accuracy on gold tokens of the UD test files (lemma compared case-insensitively);"
          " trained on the dev files only")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
