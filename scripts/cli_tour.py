"""Regenerate the command tour in README.md from a real run over fixtures/.

    python scripts/cli_tour.py

Runs every command in a scratch directory and replaces the part of README.md between the
`<!-- tour -->` markers with the commands and what they printed, so the README shows real
output, not a description of it.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
STEPS = [
    ("Ingest, derive, reconcile (exit 0; one line of summary on stderr)",
     "timeline run fixtures/"),
    ("Run it again: nothing new, nothing appended", "timeline run fixtures/"),
    ("The timeline: each story under its name, then by day, one line an event (on a "
     "terminal: in colour, fitted to its width; --documents lists the documents first)",
     "timeline show"),
    ("Filters say when they match nothing (exit 2)", "timeline show --kind talk"),
    ("Only some events, with their quotes", "timeline show --kind meal --sources"),
    ("The JSON contract (abridged here)", "timeline show --format json | head -c 1200"),
    ("A document's time expressions", "timeline show --timexes {doc}"),
    ("Documents", "timeline documents"),
    ("Tag a file without a database (JSON lines; --format timeml for TimeML)",
     "timeline tag --dct 2023-09-14 fixtures/001_6f5bc28211d38e7f.txt"),
    ("Read-only SQL with named parameters",
     "timeline query \"SELECT rank, date, kind, title, sources, conflicts FROM timeline "
     "WHERE story = :s\" -p s {story}"),
    ("Writing is refused (exit 2)", "timeline query \"DELETE FROM log\""),
    ("Full-text search over bodies and quotes", "timeline search \"lunch dumplings\""),
    ("Exports: json, csv, timesketch, timelinejs, ics, timeml",
     "timeline export --format ics --story {story} | head -n 24"),
    ("The past: the state after the first run",
     "timeline show --as-of {first_run} --format csv | head -n 5"),
    ("What changed between two points", "timeline diff --from {mid_seq}"),
    ("Runs", "timeline runs"),
    ("The raw log", "timeline log --type DocumentDated --format jsonl | head -n 2"),
    ("Counts", "timeline stats"),
    ("Check the hash chain, the triggers and the projections", "timeline verify"),
    ("The head, to keep somewhere else (check it later with verify --expect-head)",
     "timeline head"),
    ("Rebuild every projection from the log", "timeline rebuild"),
    ("Metadata for Datasette", "timeline datasette-metadata -o metadata.json"),
]


SVG = ROOT / "docs" / "terminal.svg"


def terminal_svg(work: Path, env: dict[str, str]) -> str:
    """docs/terminal.svg: `timeline show` as a terminal of 100 columns shows it, in colour
    (rich records the ANSI output and draws it), and the README line that shows it."""
    from rich.console import Console
    from rich.text import Text

    colour = {k: v for k, v in env.items() if k != "NO_COLOR"}
    colour.update(FORCE_COLOR="1", COLUMNS="100", TERM="xterm-256color")
    cmd = "timeline show --story nicos"
    shown = subprocess.run(cmd, shell=True, cwd=work, env=colour, capture_output=True,
                           text=True, check=True).stdout
    console = Console(record=True, width=100, file=io.StringIO(), force_terminal=True)
    console.print(Text.from_ansi(shown))
    console.save_svg(str(SVG), title=cmd)
    return f"![{cmd} in a terminal of 100 columns](docs/terminal.svg)"


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        shutil.copytree(ROOT / "fixtures", work / "fixtures")
        env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "120"}
        bindir = str(Path(sys.executable).parent)
        env["PATH"] = bindir + os.pathsep + env.get("PATH", "")

        def sh(cmd: str) -> tuple[int, str]:
            p = subprocess.run(cmd, shell=True, cwd=work, env=env, capture_output=True,
                               text=True)
            return p.returncode, (p.stdout + p.stderr).rstrip()

        # a first run with part of the corpus, so that --as-of and diff have history
        sh("timeline run --quiet " + " ".join(
            str(f.relative_to(work)) for f in sorted((work / "fixtures").glob("00[0-3]*.txt"))))
        first_run = sh("timeline query \"SELECT run_id FROM runs\" --format csv")[1] \
            .splitlines()[1]
        mid_seq = sh("timeline query \"SELECT max(seq) FROM log\" --format csv")[1] \
            .splitlines()[1]
        out = ["<!-- tour -->", ""]
        values: dict[str, str] = {"first_run": first_run, "mid_seq": mid_seq}
        for title, template in STEPS:
            cmd = template.format(**values)
            code, text = sh(cmd)
            if cmd.startswith("timeline run") and "story" not in values:
                values["story"] = sh("timeline query \"SELECT story FROM timeline "
                                     "WHERE kind = 'meal'\" --format csv")[1].splitlines()[1]
                values["doc"] = sh("timeline query \"SELECT substr(id, 1, 12) FROM documents "
                                   "WHERE path LIKE '%001_%'\" --format csv")[1].splitlines()[1]
            text = text.replace(str(work) + "/", "")
            out += [f"**{title}**", "", "```console", f"$ {cmd}", text,
                    *([f"# exit code {code}"] if code else []), "```", ""]
        out[2:2] = [terminal_svg(work, env), ""]
        out.append("<!-- /tour -->")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    start, end = readme.index("<!-- tour -->"), readme.index("<!-- /tour -->")
    readme = readme[:start] + "\n".join(out) + readme[end + len("<!-- /tour -->"):]
    (ROOT / "README.md").write_text(readme, encoding="utf-8")
    print(f"README.md: tour of {len(STEPS)} commands regenerated")
    return 0


if __name__ == "__main__":
    sys.exit(main())

