"""Learn the English event-noun seed list and verb classes from TimeBank (train side only,
never AQUAINT).

    python scripts/seed_eventnouns.py [TIMEBANK_DIR]

A noun lemma (as the analysis layer reads it) is kept when at least MIN_SEEN of its
occurrences are in TimeBank and more than half of them are gold EVENTs; its class is its
most frequent gold class, and one example form is kept for the test that loads the file.
The class table (timeline/analyze/eventclass.py) counts the gold class of every TimeBank
EVENT whose extent is one analysed token, by lemma and TimeML part of speech ("say VERB")
and by lemma, part of speech and the context the token governs ("agree VERB to"): an entry
is the most frequent class of at least MIN_CLASS events; a context entry is kept only with
MIN_CONTEXT events, CONTEXT_SHARE of them of one class, which differs from its lemma's. The table
decides before the hand class lists of eventmentions.toml, which serve the lemmas TimeBank
has too few of. The [rare] list holds the 'lemma POS' keys the detector finds at least
MIN_RARE times in TimeBank but that are gold EVENTs in fewer than RARE_SHARE of those
("include VERB", "investment NOUN", tagging slips such as "under VERB"); a noun of the hand
list in eventmentions.toml is never put there (the product wants "flight" or "bankruptcy"
whatever TimeBank's annotators did). Writes timeline/resources/en/eventnouns.toml.
"""

from __future__ import annotations

import collections
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from eval_events import parse_timeml

from timeline.analyze import analyze, eventclass, events

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "timeline" / "resources" / "en" / "eventnouns.toml"
MIN_SEEN = 2
MIN_CLASS = 1  # a lemma's TimeBank plurality beats the hand lists even on one event
MIN_CONTEXT = 4  # a context entry needs this many events ...
CONTEXT_SHARE = 2 / 3  # ... and this share of its most frequent class
MIN_RARE = 3  # detected at least this often in TimeBank ...
RARE_SHARE = 0.3  # ... and a gold EVENT in fewer than this share of those: not an event
SUFFIX_PRECISION = 0.42  # about half the detector's F1: a source less precise lowers it


def rare_lines(docs: list, nouns: dict[str, str]) -> list[str]:
    """The [rare] section: what the detector (with this run's nouns, no rare list) finds
    often in TimeBank that is seldom a gold EVENT there."""
    lex = events.lexicon("en")
    hand = {w.lower() for w in events.raw("en").get("nouns", [])}
    # independent of the files being rewritten: this run's nouns, the suffixes on, no rare
    # list, no class model (it would drop mentions)
    lex = lex._replace(nouns={**dict.fromkeys(hand, ""), **nouns}, rare=frozenset(),
                       suffixes=tuple(events.raw("en").get("suffixes", [])), classifier=None)
    found: collections.Counter[str] = collections.Counter()
    hits: collections.Counter[str] = collections.Counter()
    suffix = [0, 0]  # nouns only the deverbal suffixes make events: found, gold events
    for analysed, gold in docs:
        by_start = {t.start: t for t in analysed.tokens}
        for m in events.mentions_with(analysed, lex):
            k = eventclass.key(m.lemma.lower(), eventclass.kind(by_start[m.start]))
            found[k] += 1
            hits[k] += (m.start, m.end) in gold
            if m.pos == "NOUN" and m.lemma.lower() not in lex.nouns:
                suffix[0] += 1
                suffix[1] += (m.start, m.end) in gold
    out = ["", f"# 'lemma POS' found at least {MIN_RARE} times in TimeBank, a gold EVENT in "
               f"under {RARE_SHARE:.0%} of them:", "# not a mention (hand-listed nouns never)",
           "[rare]"]
    for k in sorted(found):
        lemma, pos = k.rsplit(" ", 1)
        if (found[k] >= MIN_RARE and hits[k] < RARE_SHARE * found[k] and '"' not in k
                and "\\" not in k and not (pos == "NOUN" and lemma in hand)):
            out.append(f'"{k}" = {{ found = {found[k]}, events = {hits[k]} }}')
    use = suffix[1] >= SUFFIX_PRECISION * suffix[0]
    out += ["", "# nouns that are events by their deverbal suffix alone, on TimeBank: used only",
            f"# when at least {SUFFIX_PRECISION:.0%} of them are gold EVENTs (below that they "
            "cost more F1 than they bring)", "[suffix_nouns]",
            f"found = {suffix[0]}", f"events = {suffix[1]}", f"use = {str(use).lower()}"]
    return out


def main() -> int:
    default = next((p / "shared/eval/tempeval3/train/TimeBank"
                    for p in ROOT.parents if (p / "shared/eval/tempeval3/train/TimeBank").is_dir()),
                   None)
    src = Path(sys.argv[1]) if len(sys.argv) > 1 else default
    if src is None or src.name != "TimeBank" or not src.is_dir():
        print(f"seed_eventnouns: need the TimeBank directory, got {src}", file=sys.stderr)
        return 2
    seen: collections.Counter[str] = collections.Counter()
    classes: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    forms: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    table: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    table_forms: dict[str, collections.Counter[str]] = collections.defaultdict(
        collections.Counter)
    docs = []
    for f in sorted(src.glob("*.tml")):
        doc = parse_timeml(f.read_text(encoding="utf-8"))
        gold = {(e.start, e.end): e.cls or "OCCURRENCE" for e in doc.events}
        analysed = analyze(doc.text, "en")
        docs.append((analysed, gold))
        for tok in analysed.tokens:
            cls = gold.get((tok.start, tok.end))
            if cls is not None:
                for k in eventclass.keys_of(analysed, tok):
                    table[k][cls] += 1
                    table_forms[k][tok.text.lower()] += 1
            if tok.upos != "NOUN":
                continue
            lemma = tok.lemma.lower()
            seen[lemma] += 1
            if (tok.start, tok.end) in gold:
                classes[lemma][gold[(tok.start, tok.end)]] += 1
                forms[lemma][tok.text.lower()] += 1
    kept = sorted(w for w, c in classes.items()
                  if c.total() >= MIN_SEEN and c.total() * 2 > seen[w] and '"' not in w)
    lines = ["# Event nouns learnt on TimeBank (train side of TempEval-3; never AQUAINT) by",
             "# scripts/seed_eventnouns.py: a noun lemma kept when it is a gold EVENT in more",
             f"# than half of its TimeBank occurrences (at least {MIN_SEEN} events). Regenerate,",
             "# do not edit. `example` is a form seen as an event; tests/test_event_mentions.py",
             "# checks each is found as a mention.", "", "[nouns]"]
    for w in kept:
        cls, _n = classes[w].most_common(1)[0]
        ex = forms[w].most_common(1)[0][0]
        lines.append(f'"{w}" = {{ class = "{cls}", events = {classes[w].total()}, '
                     f'seen = {seen[w]}, example = "{ex}" }}')
    lines += ["", "# 'lemma POS [context]' -> its most frequent TimeBank class (eventclass.py);",
              "# `example` a form seen as an event with that class", "[classes]"]
    base = {}
    for k, c in sorted(table.items()):
        # the most frequent class; a tie goes to OCCURRENCE, then to the first by name
        cls, n = min(c.items(), key=lambda kv: (-kv[1], kv[0] != "OCCURRENCE", kv[0]))
        if '"' in k or "\\" in k:
            continue
        if k.count(" ") == 1:
            if c.total() < MIN_CLASS:
                continue
            base[k] = cls
        elif (c.total() < MIN_CONTEXT or n < CONTEXT_SHARE * c.total()
              or base.get(k.rsplit(" ", 1)[0]) == cls):
            continue  # too little evidence, or the context changes nothing
        lines.append(f'"{k}" = {{ class = "{cls}", events = {c.total()}, share = {n}, '
                     f'example = "{table_forms[k].most_common(1)[0][0]}" }}')
    lines += rare_lines(docs, {w: classes[w].most_common(1)[0][0] for w in kept})
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(kept)} event nouns -> {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
