"""Learn the English event-noun seed list and verb classes from TimeBank (train side only,
never AQUAINT).

    python scripts/seed_eventnouns.py [TIMEBANK_DIR]

A noun lemma (as the analysis layer reads it) is kept when at least MIN_SEEN of its
occurrences are in TimeBank and more than half of them are gold EVENTs; its class is its
most frequent gold class, and one example form is kept for the test that loads the file.
A verb lemma gets a learnt class when it is a gold EVENT at least MIN_VERB times and its
most frequent class, not OCCURRENCE, covers more than half of them (the hand class lists in
eventmentions.toml take precedence). Writes timeline/resources/en/eventnouns.toml.
"""

from __future__ import annotations

import collections
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from eval_events import parse_timeml

from timeline.analyze import analyze

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "timeline" / "resources" / "en" / "eventnouns.toml"
MIN_SEEN = 2
MIN_VERB = 3


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
    verbs: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    verb_forms: dict[str, collections.Counter[str]] = collections.defaultdict(
        collections.Counter)
    for f in sorted(src.glob("*.tml")):
        doc = parse_timeml(f.read_text(encoding="utf-8"))
        gold = {(e.start, e.end): e.cls or "OCCURRENCE" for e in doc.events}
        for tok in analyze(doc.text, "en").tokens:
            if tok.upos == "VERB" and (tok.start, tok.end) in gold:
                verbs[tok.lemma.lower()][gold[(tok.start, tok.end)]] += 1
                verb_forms[tok.lemma.lower()][tok.text.lower()] += 1
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
    lines += ["", "# verb lemma -> its most frequent TimeBank class (when not OCCURRENCE)",
              "[verbs]"]
    for w, c in sorted(verbs.items()):
        cls, n = c.most_common(1)[0]
        if c.total() >= MIN_VERB and cls != "OCCURRENCE" and n * 2 > c.total() and '"' not in w:
            lines.append(f'"{w}" = {{ class = "{cls}", events = {c.total()}, share = {n}, '
                         f'example = "{verb_forms[w].most_common(1)[0][0]}" }}')
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(kept)} event nouns -> {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
