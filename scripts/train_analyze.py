"""Build the analysis models (timeline/analyze/models/<lang>.json.gz) from UD dev portions.

Trains on the *-dev.conllu files only (the *-test.conllu files stay aside for
scripts/bench_analyze.py). Deterministic: same data, same bytes. The treebanks are read from
../shared/ud beside the repository unless --ud says otherwise; they are never copied in.
Licence of the data and so of the models: CC BY-SA 4.0 (UD_English-EWT, UD_Spanish-GSD,
UD_Russian-GSD). English also ships the word classes (NOUN, VERB, ADJ, ADV, AUX; PROPN for a
capitalised noun) of the forms in LemmInflect's lookup table (MIT, derived from the NIH
SPECIALIST Lexicon; `pip install lemminflect`, needed here only, never at run time): on
held-out dev folds it lifts English UPOS from 0.908 to 0.921, most of it on words the 25k
tokens of EWT dev never saw.

    python scripts/train_analyze.py [--ud DIR] [--lang en es ru]
"""

from __future__ import annotations

import argparse
import gzip
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pycrfsuite  # noqa: E402

from timeline.analyze.conllu import read_conllu  # noqa: E402
from timeline.analyze.model import dumps  # noqa: E402
from timeline.analyze.train import CRF_PARAMS, crf_data, tables  # noqa: E402

TREEBANKS = {"en": "en_ewt", "es": "es_gsd", "ru": "ru_gsd"}
# ../shared/ud beside the repository; a worktree one level further down finds it one higher
UD_CANDIDATES = (ROOT.parent / "shared" / "ud", ROOT.parent.parent / "shared" / "ud")


def default_ud() -> Path:
    return next((p for p in UD_CANDIDATES if p.is_dir()), UD_CANDIDATES[0])


def english_lexicon() -> dict[str, str]:
    """Lower-cased form -> 'ADJ|NOUN' from LemmInflect's lookup table (a training-time
    resource, read from the installed package). A form the table spells only capitalised
    is a PROPN ("Aachen"); one it also has in lower case keeps its common classes ("rose",
    not "Rose")."""
    from importlib import resources

    try:
        src = resources.files("lemminflect") / "resources" / "lemma_lu.csv.gz"
    except ModuleNotFoundError:
        raise SystemExit("train_analyze: English needs lemminflect (pip install lemminflect)"
                         ) from None
    common: dict[str, set[str]] = {}
    proper: set[str] = set()
    with gzip.open(src.open("rb"), "rt", encoding="utf-8") as fh:
        for line in fh:
            form, upos, _lemma = line.rstrip("\n").split(",", 2)
            if upos == "noun" and form[:1].isupper():
                proper.add(form.lower())
            else:
                common.setdefault(form.lower(), set()).add(upos.upper())
    for w in proper - set(common):
        common[w] = {"PROPN"}
    return {w: "|".join(sorted(c)) for w, c in common.items()}


LEXICONS = {"en": english_lexicon}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--ud", type=Path, default=default_ud())
    ap.add_argument("--out", type=Path, default=ROOT / "timeline" / "analyze" / "models")
    ap.add_argument("--lang", nargs="+", default=list(TREEBANKS), choices=list(TREEBANKS))
    args = ap.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    for lang in args.lang:
        path = args.ud / f"{TREEBANKS[lang]}-ud-dev.conllu"
        if not path.is_file():
            print(f"train_analyze: {path}: not found (give --ud DIR)", file=sys.stderr)
            return 2
        t0 = time.perf_counter()
        sents = list(read_conllu(path.read_text(encoding="utf-8")))
        lexicon = LEXICONS[lang]() if lang in LEXICONS else None
        model = tables(sents, lang, lexicon)
        trainer = pycrfsuite.Trainer(verbose=False)
        for xseq, yseq in crf_data(sents, model["tagdict"], lang, lexicon=lexicon):
            trainer.append(xseq, yseq)
        trainer.set_params(CRF_PARAMS)
        crf = args.out / f"{lang}.crfsuite"
        trainer.train(str(crf))
        data = dumps(model)
        (args.out / f"{lang}.json.gz").write_bytes(data)
        n = sum(len(s.tokens) for s in sents)
        print(f"{lang}: {len(sents)} sentences, {n} tokens -> {lang}.crfsuite "
              f"{crf.stat().st_size / 1e6:.2f} MB + {lang}.json.gz {len(data) / 1e6:.2f} MB "
              f"in {time.perf_counter() - t0:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
