"""The timeline page in a real browser (Playwright driving Chromium): every event is drawn,
a click opens its panel with sources and conflicts, the filters and zoom work, no script
error. Skipped, with the reason, when Playwright or a Chromium is not installed, unless
TIMELINE_REQUIRE_BROWSER is set (`.ci/run` sets it, after installing both: Debian's chromium
and the `browser` extra), so CI cannot pass without having run it."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import FIXTURES

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


def chromium_path() -> str | None:
    """A Chromium to drive: $TIMELINE_CHROMIUM, else the system's; None means Playwright's
    own build, if it has one."""
    if os.environ.get("TIMELINE_CHROMIUM"):
        return os.environ["TIMELINE_CHROMIUM"]
    return next((p for p in map(shutil.which, BROWSERS) if p), None)


def _skip(reason: str) -> None:
    if os.environ.get("TIMELINE_REQUIRE_BROWSER"):
        pytest.fail(f"TIMELINE_REQUIRE_BROWSER is set but {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    try:
        from playwright import sync_api
    except ImportError:
        _skip("Playwright is not installed (pip install '.[browser]')")
    with sync_api.sync_playwright() as p:
        try:
            b = p.chromium.launch(executable_path=chromium_path(), args=["--no-sandbox"])
        except Exception as exc:  # no browser: Playwright says so in a long message
            _skip(f"no Chromium to drive (apt-get install chromium): "
                  f"{str(exc).splitlines()[0]}")
        yield b
        b.close()


@pytest.fixture
def page_file(cli: Any, tmp_path: Path) -> tuple[Path, dict[str, Any]]:
    corpus = tmp_path / "corpus"
    shutil.copytree(FIXTURES, corpus)
    assert cli("run", str(corpus))[0] == 0
    code, _, err = cli("html", "-o", "page")
    assert code == 0, err
    snap = json.loads(cli("show", "--format", "json")[1])
    return tmp_path / "page" / "index.html", snap


def test_page_in_a_browser(browser: Any, page_file: tuple[Path, dict[str, Any]],
                           tmp_path: Path) -> None:
    path, snap = page_file
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(path.as_uri())

    marks = page.locator("#chart-svg [data-event]")
    assert marks.count() == len(snap["events"])  # every event is drawn, undated ones too
    drawn = {marks.nth(i).get_attribute("data-event") for i in range(marks.count())}
    assert drawn == {e["id"] for e in snap["events"]}
    assert page.locator("#list li[data-event]").count() == len(snap["events"])
    planned = [e for e in snap["events"] if e["status"] == "planned"]
    assert page.locator("#chart-svg .ev.planned").count() == len(planned)

    # click an event the sources disagree on: its panel shows who says what
    conflict = snap["conflicts"][0]
    event = next(e for e in snap["events"] if e["id"] == conflict["event"])
    page.locator(f'#chart-svg [data-event="{event["id"]}"] .mark').click()
    assert page.locator("#panel").is_visible()
    assert page.locator("#panel-title").inner_text() == event["title"]
    panel = page.locator("#panel").inner_text()
    assert "Conflicting values" in panel and conflict["attribute"] in panel
    assert page.locator("#panel .sources li").count() == len(event["sources"])
    assert event["sources"][0]["quote"][:40] in panel
    links = page.locator("#panel .sources a")
    assert links.count() == len(event["sources"])
    target = links.first.get_attribute("href")
    assert (path.parent / target).resolve().is_file()

    # the kind filter leaves that kind only, in the chart and the list
    kind = event["kind"]
    page.select_option("#f-kind", kind)
    n = sum(1 for e in snap["events"] if e["kind"] == kind)
    assert page.locator("#chart-svg [data-event]").count() == n
    assert page.locator("#list li[data-event]:visible").count() == n
    page.select_option("#f-kind", "")
    # zoom in: fewer ticks' worth of time on screen, every event still in the chart
    before = page.locator(".tick text").first.text_content()
    page.click("#zoom-in")
    page.click("#zoom-in")
    assert page.locator(".tick text").first.text_content() != before
    assert page.locator("#chart-svg [data-event]").count() == len(snap["events"])

    page.screenshot(path=str(tmp_path / "page.png"))
    assert (tmp_path / "page.png").stat().st_size > 10_000
    assert not errors, errors
    assert all(u.startswith("file:") for u in requests), requests  # no network
    page.close()
