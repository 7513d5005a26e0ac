"""The shipped models, loaded once, on first use: per language two files in models/.

<lang>.crfsuite holds the CRF weights (crfsuite's own binary format, read from memory);
<lang>.json.gz the tag dictionary, ambiguity classes, lemma/feature tables and, for English,
the word classes of an external lexicon and the lemmas it gives where the suffix rules are
wrong (gzipped JSON, not a pickle: safe to load, readable).
Built by ``scripts/train_analyze.py`` from the UD dev portions (CC BY-SA 4.0: UD_English-EWT,
UD_Spanish-GSD, UD_Russian-GSD) and, for English, LemmInflect's form/lemma/class table (MIT;
derived from the NIH SPECIALIST Lexicon), read at training time only.
"""

from __future__ import annotations

import functools
import gzip
import json
import struct
from importlib import resources
from typing import Any, NamedTuple

from timeline.analyze.morph import Feats, Morphology, parse_feats
from timeline.analyze.resources import irregular_verbs, raw
from timeline.analyze.russian import guesser, lemma_guesser, tag_checker
from timeline.analyze.stems import respeller
from timeline.analyze.tagger import Featurizer
from timeline.analyze.train import FORMAT, listed_classes, unpack_lexicon

MODEL_FILES = ("{lang}.crfsuite", "{lang}.json.gz")


class Model(NamedTuple):
    """What analysing a language needs, ready for lookups."""

    tagdict: dict[str, str]
    ambiguity: dict[str, str]
    listed: dict[str, str]
    crf: Any  # pycrfsuite.Tagger
    morph: Morphology
    crf_bytes: bytes  # crfsuite reads the model in place: the buffer must outlive the tagger
    memo: dict[tuple[str, str], tuple[str, Feats]]  # (word, tag) -> (lemma, features) (memo)
    prefix_min: int = 0  # tagger.features: shorter words carry no prefix features
    featurize: Any = None  # tagger.Featurizer: features as this model reads them (memo inside)
    # decode.Decoder: a document's tags at once, crfsuite's to the bit; None where the
    # crfsuite extension does not export its C functions (then crf.tag per sentence)
    decode: Any = None
    # russian.tag_checker: the dictionary's word on the tags of unseen words (None: none)
    check: Any = None


def model_file(name: str) -> Any:
    return resources.files("timeline.analyze") / "models" / name


def dumps(model: dict[str, Any]) -> bytes:
    """Deterministic bytes of a model (sorted keys, no timestamp in the gzip header)."""
    raw = json.dumps(model, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return gzip.compress(raw.encode("utf-8"), compresslevel=9, mtime=0)


def build(data: dict[str, Any], crf: bytes) -> Model:
    """Turn a model's JSON tables into lookup structures (features parsed once)."""
    if data.get("format") != FORMAT:
        raise ValueError(f"analysis model format {data.get('format')!r}, expected {FORMAT}")
    interned: dict[str, Feats] = {}

    def feats(value: str) -> Feats:
        got = interned.get(value)
        if got is None:
            got = interned[value] = parse_feats(value)
        return got

    lex = {
        w: {u: (lemma, feats(f)) for u, (lemma, f) in d.items()} for w, d in data["lex"].items()
    }
    for form, (lemma, f) in irregular_verbs(data["lang"]).items():
        lex.setdefault(form, {}).setdefault("VERB", (lemma, feats(f)))

    lemma_sfx = {
        u: {s: (int(cut), add) for s, (cut, add) in d.items()}
        for u, d in data["lemma_suffix"].items()
    }
    feat_sfx = {u: {s: feats(f) for s, f in d.items()} for u, d in data["feat_suffix"].items()}
    import pycrfsuite

    tagger = pycrfsuite.Tagger()
    tagger.open_inmemory(crf)
    morph = Morphology(lex, lemma_sfx, feat_sfx, guesser(data["lang"]),
                       data.get("lemma_exceptions", {}),
                       respeller(raw(data["lang"]), data.get("verb_lemmas", ())),
                       lemma_guesser(data["lang"]))
    listed = listed_classes(data["lang"], unpack_lexicon(data.get("lexicon", {})))
    prefix_min = int(data.get("prefix_min", 0))
    known = attributes(crf)
    featurize = Featurizer(data["tagdict"], data["ambiguity"], listed, prefix_min, known)
    return Model(data["tagdict"], data["ambiguity"], listed, tagger, morph, crf, {},
                 prefix_min, featurize, decoder(crf, featurize, tagger),
                 tag_checker(data["lang"]))


def decoder(crf: bytes, featurize: Featurizer, tagger: Any) -> Any:
    """A Decoder for the model, or None when crfsuite's C functions are out of reach or
    disagree with its tagger on a probe (a build laid out otherwise than crf1d.h)."""
    from timeline.analyze.decode import Decoder

    try:
        got = Decoder(crf, featurize)
    except (OSError, AttributeError, ImportError):
        return None
    probe = ["The", "talks", "on", "Monday", "ended", ",", "said", "Xq", "7", "de", "в", "."]
    if got(probe, [(0, 6), (6, len(probe))]) != [
            *tagger.tag(featurize(probe[:6])), *tagger.tag(featurize(probe[6:]))]:
        return None
    return got


def attributes(crf: bytes) -> frozenset[str]:
    """The attribute (feature string) names a crfsuite model weighs, read off its file.

    ``Tagger.info()`` gives them too, but by dumping the whole model to a temporary file
    and parsing it back (0.1 s a language); the names are the model's attribute
    dictionary, a CQDB chunk whose backward array lists each name's record (crfsuite's
    crf1dm.c and cqdb.c: little-endian uint32 fields, record = id, size, name, NUL).
    """
    off = struct.unpack_from("<4sI4sIIIIIIIII", crf, 0)[9]  # header: offset of the attrs
    return frozenset(b.decode("utf-8") for b in cqdb_strings(crf, off, "attribute"))


def cqdb_strings(crf: bytes, off: int, what: str) -> list[bytes]:
    """The strings of the CQDB chunk at `off` (the model's `what` dictionary: labels or
    attributes) in id order; decode.weights reads both through here too."""
    chunk, _size, _flag, _order, count, backward = struct.unpack_from("<4sIIIII", crf, off)
    if chunk != b"CQDB":
        raise ValueError(f"not a crfsuite model: no {what} dictionary where the header says")
    out = []
    for rec in struct.unpack_from(f"<{count}I", crf, off + backward):
        size = struct.unpack_from("<I", crf, off + rec + 4)[0]
        out.append(crf[off + rec + 8 : off + rec + 7 + size])
    return out


@functools.cache
def load(lang: str) -> Model:
    """The model of a language, read from the package on first use."""
    crf_name, tables_name = (f.format(lang=lang) for f in MODEL_FILES)
    tables = json.loads(gzip.decompress(model_file(tables_name).read_bytes()))
    return build(tables, model_file(crf_name).read_bytes())
