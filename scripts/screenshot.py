"""Regenerate docs/timeline-page.png, the picture of the timeline page the README shows.

    python scripts/screenshot.py [--out docs/timeline-page.png]

Builds a scratch database from fixtures/, writes the page with `timeline html`, opens it
in Chromium through Playwright (pip install '.[browser]'; Debian's chromium, or
$TIMELINE_CHROMIUM), fits the largest story, opens the panel of an event its sources
disagree on, and saves the screenshot. Exit 1 with one line when no browser can be driven.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
from contextlib import redirect_stdout
from io import StringIO
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


def build_page(work: Path) -> tuple[Path, dict]:
    from timeline.cli import main

    shutil.copytree(ROOT / "fixtures", work / "fixtures")
    os.chdir(work)
    assert main(["run", "fixtures/", "--quiet"]) == 0
    assert main(["html", "-o", "page"]) == 0
    buf = StringIO()
    with redirect_stdout(buf):
        main(["show", "--format", "json"])
    return work / "page" / "index.html", json.loads(buf.getvalue())


def shoot(page_path: Path, snap: dict, out: Path) -> None:
    from playwright.sync_api import sync_playwright

    exe = os.environ.get("TIMELINE_CHROMIUM") or next(
        (p for p in map(shutil.which, BROWSERS) if p), None)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=exe, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1400, "height": 820})
        page.goto(page_path.as_uri())
        page.locator(".lane-label").first.click()  # fit the largest story
        hit = next((c["event"] for c in snap["conflicts"]), snap["events"][0]["id"])
        page.locator(f'#chart-svg [data-event="{hit}"] .mark').click()
        page.screenshot(path=str(out))
        browser.close()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=str(ROOT / "docs" / "timeline-page.png"))
    args = ap.parse_args()
    out = Path(args.out).absolute()
    with tempfile.TemporaryDirectory() as tmp:
        page_path, snap = build_page(Path(tmp))
        try:
            shoot(page_path, snap, out)
        except Exception as exc:  # no Playwright, no browser
            print(f"screenshot: cannot drive a browser: {str(exc).splitlines()[0]}",
                  file=sys.stderr)
            return 1
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
