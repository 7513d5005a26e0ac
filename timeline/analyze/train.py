"""Training the analysis model from treebank sentences (pure; the script does the I/O).

Deterministic: ties are broken by tag or string order, folds are taken by sentence index,
tables are written with sorted keys, and crfsuite's L-BFGS has no random start, so the same
data gives the same files.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from timeline.analyze.conllu import GoldSentence
from timeline.analyze.morph import MAX_SUFFIX, Morphology, parse_feats
from timeline.analyze.resources import irregular_verbs, raw
from timeline.analyze.stems import respeller
from timeline.analyze.tagger import features

FORMAT = 3  # 3: an optional word-class lexicon ("lexicon") beside the tables


def tagdict(
    sents: Sequence[GoldSentence], min_count: int = 5, min_ratio: float = 0.98
) -> dict[str, str]:
    """Forms (case kept) seen at least min_count times, nearly always with one tag."""
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for s in sents:
        for t in s.tokens:
            counts[t.form][t.upos] += 1
    out = {}
    for form, c in counts.items():
        tag, n = min(c.items(), key=lambda kv: (-kv[1], kv[0]))
        total = sum(c.values())
        if total >= min_count and n / total >= min_ratio:
            out[form] = tag
    return out


def ambiguity(sents: Sequence[GoldSentence]) -> dict[str, str]:
    """Each lower-cased form's set of tags in the sentences, as 'ADJ|NOUN'."""
    tags: dict[str, set[str]] = defaultdict(set)
    for s in sents:
        for t in s.tokens:
            tags[t.form.lower()].add(t.upos)
    return {w: "|".join(sorted(ts)) for w, ts in sorted(tags.items())}


def listed_classes(lang: str, lexicon: Mapping[str, str] | None = None) -> dict[str, str]:
    """Classes a word has outside the training data, features apart from training's: an
    external lexicon's word classes (``lexicon``: lower-cased form -> 'NOUN|VERB') and the
    irregular verb forms of the word lists ('irr', a feature of its own: a listed irregular
    form is a verb far more surely than a lexicon's VERB entry is). Space-separated."""
    out = dict(lexicon or {})
    for w in irregular_verbs(lang):
        out[w] = f"{out[w]} irr" if w in out else "irr"
    return out


def pack_lexicon(lexicon: Mapping[str, str]) -> dict[str, str]:
    """A lexicon as {class: 'word word ...'}: a tenth of the size of form -> class."""
    by: dict[str, list[str]] = defaultdict(list)
    for w in sorted(lexicon):
        by[lexicon[w]].append(w)
    return {c: " ".join(ws) for c, ws in sorted(by.items())}


def unpack_lexicon(packed: Mapping[str, str]) -> dict[str, str]:
    return {w: c for c, ws in packed.items() for w in ws.split(" ") if w}


def crf_data(
    sents: Sequence[GoldSentence], known: dict[str, str], lang: str, folds: int = 5,
    lexicon: Mapping[str, str] | None = None,
) -> Iterator[tuple[list[list[str]], list[str]]]:
    """(features, tags) of each training sentence.


    The ambiguity class of a training word is computed without the fold the word is in
    (jackknifing): computed on all the data, a word seen once would carry its own tag as a
    feature, the CRF would learn to trust it, and unknown words at run time would suffer.
    """
    listed = listed_classes(lang, lexicon)
    prefix_min = PREFIX_MIN.get(lang, 0)
    classes = [
        ambiguity([s for j, s in enumerate(sents) if j % folds != k]) for k in range(folds)
    ]
    for j, s in enumerate(sents):
        words = [t.form for t in s.tokens]
        yield (features(words, known, classes[j % folds], listed, None, prefix_min),
               [t.upos for t in s.tokens])


PREFIX_MIN = {"en": 5}  # tagger.features: a language not named keeps prefixes on every word

CRF_PARAMS = {"c1": 0.1, "c2": 0.01, "max_iterations": 150, "feature.possible_transitions": True}


def _majority(c: Counter[Any]) -> Any:
    return min(c.items(), key=lambda kv: (-kv[1], str(kv[0])))[0]


def _rule(low: str, lemma: str) -> tuple[int, str]:
    n = 0
    for a, b in zip(low, lemma, strict=False):
        if a != b:
            break
        n += 1
    return len(low) - n, lemma[n:]


def train_morphology(sents: Sequence[GoldSentence]) -> dict[str, Any]:
    """Lexicon and suffix tables for lemmas and features (JSON-ready)."""
    lex: dict[str, dict[str, Counter[tuple[str, str]]]] = defaultdict(lambda: defaultdict(Counter))
    lrules: dict[str, dict[str, Counter[tuple[int, str]]]] = defaultdict(
        lambda: defaultdict(Counter)
    )
    frules: dict[str, dict[str, Counter[str]]] = defaultdict(lambda: defaultdict(Counter))
    for s in sents:
        for t in s.tokens:
            low = t.form.lower()
            feats = "|".join(f"{k}={v}" for k, v in parse_feats(t.feats))
            lex[low][t.upos][(t.lemma, feats)] += 1
            base = t.form if t.upos == "PROPN" else low
            rule = _rule(base, t.lemma if t.upos == "PROPN" else t.lemma.lower())
            for k in range(1, min(MAX_SUFFIX, len(low) - 1) + 1):
                if rule[0] <= k:  # the ending covers what the rule cuts (see _covered)
                    lrules[t.upos][low[-k:]][rule] += 1
                frules[t.upos][low[-k:]][feats] += 1
    return {
        "lex": {
            w: {u: list(_majority(c)) for u, c in sorted(d.items())} for w, d in sorted(lex.items())
        },
        "lemma_suffix": {
            u: {s: list(_majority(c)) for s, c in sorted(d.items()) if sum(c.values()) >= 2}
            for u, d in sorted(lrules.items())
        },
        "feat_suffix": {
            u: {s: _majority(c) for s, c in sorted(d.items()) if sum(c.values()) >= 2}
            for u, d in sorted(frules.items())
        },
    }


def lemma_exceptions(morph: Mapping[str, Any],
                     lemmas: Mapping[str, Mapping[str, str]]) -> dict[str, dict[str, str]]:
    """The lemmas an external lexicon gives (tag -> form -> lemma) where the treebank's
    suffix rules would give another, for forms the treebank never had under that tag:
    "declined" takes the rule of "-ined" ("joined" -> "join") and the lexicon's "decline";
    "hoped" the rule of "-ped" ("stopped") and "hope". Only the disagreements are kept."""
    rules = Morphology({}, {u: {s: (int(c), a) for s, (c, a) in d.items()}
                            for u, d in morph["lemma_suffix"].items()}, {})
    lex = morph["lex"]
    out: dict[str, dict[str, str]] = {}
    for upos, forms in sorted(lemmas.items()):
        got = {f: lemma for f, lemma in sorted(forms.items())
               if upos not in lex.get(f, {}) and rules.analyse(f, f, upos)[0] != lemma}
        if got:
            out[upos] = got
    return out


def verb_lemmas(sents: Sequence[GoldSentence]) -> list[str]:
    """The verb lemmas of the treebank that are surely verbs: the infinitive is written
    somewhere in it, or at least two tokens carry the lemma (a lemma seen once and never
    written is as likely a slip of the annotation: GSD dev lemmatises "sirvieran" as
    "sirvir"). The stem respeller (``stems``) turns rule lemmas into these."""
    forms = {t.form.lower() for s in sents for t in s.tokens}
    count = Counter(t.lemma.lower() for s in sents for t in s.tokens
                    if t.upos in ("VERB", "AUX"))
    return sorted(w for w, n in count.items() if n >= 2 or w in forms)


def tables(sents: Sequence[GoldSentence], lang: str,
           lexicon: Mapping[str, str] | None = None,
           lemmas: Mapping[str, Mapping[str, str]] | None = None) -> dict[str, Any]:
    """Everything of a language's model but the CRF weights, as a JSON-ready dict."""
    morph = train_morphology(sents)
    extra = {"lemma_exceptions": lemma_exceptions(morph, lemmas)} if lemmas else {}
    if respeller(raw(lang), ()) is not None:  # only a language with stem alternations
        extra["verb_lemmas"] = verb_lemmas(sents)
    return {"format": FORMAT, "lang": lang, "tagdict": tagdict(sents),
            "ambiguity": ambiguity(sents), "lexicon": pack_lexicon(lexicon or {}),
            "prefix_min": PREFIX_MIN.get(lang, 0), **morph, **extra}
