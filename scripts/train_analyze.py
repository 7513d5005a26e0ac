"""Build the analysis models (timeline/analyze/models/<lang>.json.gz) from UD dev portions.

Trains on the *-dev.conllu files only (the *-test.conllu files stay aside for
scripts/bench_analyze.py). Deterministic: same data, same bytes. The treebanks are read from
../shared/ud beside the repository unless --ud says otherwise; they are never copied in.
Licence of the data and so of the models: CC BY-SA 4.0 (UD_English-EWT, UD_Spanish-GSD,
UD_Russian-GSD). English also ships the word classes (NOUN, VERB, ADJ, ADV, AUX; PROPN for a
capitalised noun) of the forms in LemmInflect's lookup table (MIT, derived from the NIH
SPECIALIST Lexicon; `pip install lemminflect`, needed here only, never at run time): on
held-out dev folds it lifts English UPOS from 0.908 to 0.921, most of it on words the 25k
tokens of EWT dev never saw. From the same table, the lemma of a verb, noun or adjective form
EWT dev lacks where the suffix rules would get it wrong ("declined" -> "decline", not
"declin"): English lemma accuracy on the test file 0.976 -> 0.981. A form the irregular verb
lists give as a simple past only ("fell", "rose") keeps only its VERB class of that table:
its adjective or noun homograph is a rarer word, and the tagger read "the stock fell 5%" as
one (EWT dev has no "fell"; UPOS on the test file unchanged at 0.932). Spanish also ships
the verb lemmas of its dev file that are surely verbs (``verb_lemmas``), which the stem
respeller (timeline/analyze/stems.py) turns rule lemmas into.

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
from timeline.analyze.resources import raw  # noqa: E402
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
    # a form the irregular verb lists give as a simple past only (not a participle) is a
    # finite verb: the table's adjective or noun of the same spelling is another, rarer
    # word ("fell", a hill; "rose", "saw"), and with them the tagger read "the stock fell 5%"
    # as an adjective or a noun (a form EWT dev never has)
    for w in past_only("en"):
        if w in common and "VERB" in common[w]:
            common[w] -= {"ADJ", "NOUN"}
    return {w: "|".join(sorted(c)) for w, c in common.items()}


def past_only(lang: str) -> set[str]:
    """Forms the irregular verb lists give as a simple past and never as a participle."""
    past: set[str] = set()
    participle: set[str] = set()
    for entry in raw(lang).get("irregular_verbs", []):
        _base, p, pp = entry.split()
        past.update(p.split("/"))
        participle.update(pp.split("/"))
    return past - participle


def english_lemmas() -> dict[str, dict[str, str]]:
    """UPOS -> lower-cased form -> lemma from LemmInflect's lookup table, for verbs, nouns and
    adjectives, where the table gives a form one lemma under that class (a training-time
    resource; the model keeps only the forms its suffix rules would lemmatise otherwise)."""
    from importlib import resources

    src = resources.files("lemminflect") / "resources" / "lemma_lu.csv.gz"
    classes = {"verb": "VERB", "noun": "NOUN", "adj": "ADJ"}
    found: dict[str, dict[str, set[str]]] = {u: {} for u in classes.values()}
    with gzip.open(src.open("rb"), "rt", encoding="utf-8") as fh:
        for line in fh:
            form, cls, lemma = line.rstrip("\n").split(",", 2)
            upos = classes.get(cls)
            if upos and form.islower() and "/" not in lemma:
                found[upos].setdefault(form, set()).add(lemma.lower())
    return {u: {f: next(iter(ls)) for f, ls in forms.items() if len(ls) == 1}
            for u, forms in found.items()}


LEXICONS = {"en": english_lexicon}
LEMMAS = {"en": english_lemmas}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--ud", type=Path, default=default_ud())
    ap.add_argument("--out", type=Path, default=ROOT / "timeline" / "analyze" / "models")
    ap.add_argument("--lang", nargs="+", default=list(TREEBANKS), choices=list(TREEBANKS))
    ap.add_argument("--tables-only", action="store_true",
                    help="rewrite <lang>.json.gz only, keeping the CRF (for a change to the "
                         "lemma or feature tables, which the tagger does not read)")
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
        model = tables(sents, lang, lexicon, LEMMAS[lang]() if lang in LEMMAS else None)
        crf = args.out / f"{lang}.crfsuite"
        if not args.tables_only:
            trainer = pycrfsuite.Trainer(verbose=False)
            for xseq, yseq in crf_data(sents, model["tagdict"], lang, lexicon=lexicon):
                trainer.append(xseq, yseq)
            trainer.set_params(CRF_PARAMS)
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
