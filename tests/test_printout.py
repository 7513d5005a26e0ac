"""`timeline show` as a person reads it: stories under their names, days under them, one line
an event fitted to the terminal's width, values in words, filters that say when they match
nothing. Checked on synthetic snapshots (what a line says) and on the fixtures at 80 and 200
columns (what a whole printout looks like)."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from conftest import FIXTURES, ROOT
from rich.console import Console

from timeline import printout, words

CODES = re.compile(r"\d{4}-\d\d-\d\dT[A-Z]{2}|\bP(?:T?\d|X)[A-Z0-9]*\b|\bAPPROX\b|"
                   r"\b(?:NI|MO|AF|EV|MI|DT|PXH)\b|\d{4}-W\d\d|\d{4}-(?:SP|SU|FA|WI)\b")
LONG = "Talks between the two delegations about the delivery of grain and fuel to the north"


@pytest.mark.parametrize(("value", "said"), [
    ("2013-03-18TNI", "2013-03-18 night"), ("2013-03-15T23:00", "2013-03-15 23:00"),
    ("2013-W12", "week 12 of 2013"), ("2023-SP", "spring 2023"), ("2013-01", "January 2013"),
    ("201", "the 2010s"), ("2023-Q1", "first quarter of 2023"), ("PT2H APPROX", "about two hours"),
    ("PXH", "several hours"), ("PT4H", "four hours"), ("P1Y6M", "one year and six months"),
    ("P3D MORE_THAN", "more than three days"), ("dinner", "dinner"),
    ("2023-01-15T10:33+05:45", "2023-01-15 10:33 +05:45"),
])
def test_values_are_said_in_words(value: str, said: str) -> None:
    assert words.value(value) == said


def test_headings_say_the_stretch() -> None:
    assert words.period("2013-W12") == "week 12 of 2013 (18–24 March)"
    assert words.period("2013-03-18TNI") == "2013-03-18, Monday"
    assert words.period(None) == "undated"
    assert words.time_of_day("2013-03-18TNI") == "night"
    assert words.time_of_day("2013-03-18") == ""


def _event(i: int, start: str | None, title: str = "Meeting", status: str = "occurred",
           kind: str = "meeting", story: str = "s1") -> dict[str, Any]:
    return {"id": f"ev-{i}", "story": story, "kind": kind, "title": title, "start": start,
            "end": None, "status": status, "rank": i,
            "sources": [{"document": f"d{i}", "quote": "q"}, {"document": "dx", "quote": "r"}]}


def _snap(events: list[dict[str, Any]], conflicts: list[Any] | None = None) -> dict[str, Any]:
    return {"documents": [], "events": events, "conflicts": conflicts or [], "constraints": []}


def test_a_line_fits_the_width_and_only_the_title_gives_way() -> None:
    snap = _snap([_event(1, "2023-09-13TAF", LONG, "planned")])
    narrow = [t.plain for t in printout.timeline_lines(snap, width=80, plain=True)]
    wide = [t.plain for t in printout.timeline_lines(snap, width=200, plain=True)]
    assert narrow[0] == wide[0] == "2023-09-13, Wednesday"
    assert len(narrow[1]) == 80 and "…" in narrow[1]
    assert narrow[1].endswith("planned · 2 sources") and "afternoon" in narrow[1]
    assert LONG in wide[1] and "…" not in wide[1] and len(wide[1]) < 200
    piped = [t.plain for t in printout.timeline_lines(snap, plain=True)]
    assert LONG in piped[1]  # no width: never cut


def test_conflicts_and_plans_are_said_in_words_and_colour() -> None:
    conflict = {"event": "ev-1", "attribute": "duration",
                "values": [{"value": "PT2H APPROX", "documents": ["a"]},
                           {"value": "PXH", "documents": ["b", "c"]}]}
    snap = _snap([_event(1, "2023-09-13"), _event(2, "2023-09-14", status="planned")],
                 [conflict])
    lines = printout.timeline_lines(snap, width=120, plain=False)
    text = [t.plain for t in lines]
    assert text[1].endswith("2 sources · disputed")
    assert text[2].strip() == ("! duration disputed: about two hours (1 document); several "
                               "hours (2 documents)")
    assert text[4].endswith("planned · 2 sources")
    styles = {str(s.style) for t in lines for s in t.spans}
    assert "bold red" in styles and "bold yellow" in styles
    plain = printout.timeline_lines(snap, width=120, plain=True)
    assert all(not t.spans and not t.style for t in plain)


def test_stories_do_not_interleave_and_are_named() -> None:
    snap = _snap([_event(1, "2023-09-14", story="b"), _event(2, "2023-09-13", story="a"),
                  _event(3, "2023-09-15", story="a")])
    text = [t.plain for t in printout.story_lines(snap, {"a": "Alpha", "b": "Beta"},
                                                  plain=True)]
    assert text[0] == "Alpha  2 events · story a"
    assert text.index("Beta  1 event · story b") > text.index("2023-09-15, Friday")


@pytest.fixture(scope="module")
def corpus_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from timeline.cli import main

    root = tmp_path_factory.mktemp("printout")
    for name in ("bailout", "geneva", "crash"):
        shutil.copytree(FIXTURES / name, root / "in" / name)
    assert main(["--db", str(root / "timeline.db"), "run", "--quiet", str(root / "in")]) == 0
    return root / "timeline.db"


def _show(capsys: pytest.CaptureFixture[str], db: Path, *args: str) -> tuple[int, str, str]:
    from timeline.cli import main

    code = main(["--db", str(db), "show", *args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("width", [80, 200])
def test_the_fixtures_read_like_a_timeline(capsys: pytest.CaptureFixture[str], corpus_db: Path,
                                          width: int) -> None:
    code, out, _ = _show(capsys, corpus_db, "--width", str(width))
    lines = out.splitlines()
    assert code == 0 and lines
    assert all(Console(width=1000).measure(line).maximum <= width for line in lines)
    assert not CODES.search(out), CODES.search(out)
    assert "documents" not in lines[0]  # the timeline first; documents only when asked
    from timeline.cli import main

    main(["--db", str(corpus_db), "stories", "--format", "json"])
    import json

    names = [r["name"] for r in json.loads(capsys.readouterr().out)]
    headings = [line for line in lines if not line.startswith(" ") and any(
        line.startswith(n[:width - 1].rstrip("…")) for n in names)]
    assert len(names) >= 3 and len(headings) == len(names)
    if width == 200:  # nothing had to be cut
        assert "…" not in out
    assert "documents" in _show(capsys, corpus_db, "--documents", "--width", str(width))[1]


@pytest.mark.parametrize(("args", "said"), [
    (["--story", "nothing like it"], "no story matches"),
    (["--kind", "talk"], "closest: talks"),
    (["--kind", "zzzz"], "kinds, e.g."),
    (["--entity", "Nobody Atall"], "no entity is named"),
    (["--since", "2013-13-45"], "not a real date"),
    (["--until", "2013-02-30"], "not a real date"),
    (["--since", "2014", "--until", "2013"], "--since is after --until"),
])
def test_filters_that_match_nothing_are_usage_errors(capsys: pytest.CaptureFixture[str],
                                                     corpus_db: Path, args: list[str],
                                                     said: str) -> None:
    code, out, err = _show(capsys, corpus_db, *args)
    assert code == 2 and out == "" and said in err and len(err.splitlines()) == 1


def test_lang_takes_a_language(capsys: pytest.CaptureFixture[str], corpus_db: Path) -> None:
    with pytest.raises(SystemExit) as exc:
        _show(capsys, corpus_db, "--lang", "xx")
    assert exc.value.code == 2 and "choose from" in capsys.readouterr().err


def test_since_and_until_read_the_interval(capsys: pytest.CaptureFixture[str],
                                           corpus_db: Path) -> None:
    import json

    events = json.loads(_show(capsys, corpus_db, "--format", "json", "--since", "2013-03-18",
                              "--until", "2013-03")[1])["events"]
    assert events and all("2013-03-18" <= e["start"][:10] <= "2013-03-31" for e in events)


def _pager_run(db: Path, env_extra: dict[str, str]) -> bytes:
    from tests.ptyrun import run_on_pty

    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR", "LESS")}
    env.update(TERM="xterm", COLUMNS="100", LINES="40", PYTHONPATH=str(ROOT),
               PAGER='echo "LESS=$LESS"; cat', **env_extra)
    code, out = run_on_pty(["--db", str(db), "show", "--pager"], env)
    assert code == 0
    return out


def test_the_pager_is_told_to_pass_colours(corpus_db: Path) -> None:
    out = _pager_run(corpus_db, {})
    assert b"LESS=FRX" in out and b"\x1b[1m" in out  # bold story names reach the pager
    assert b"LESS=X\r" in _pager_run(corpus_db, {"LESS": "X"})  # the user's choice stands


def test_log_stream_names_the_closest_streams(capsys: pytest.CaptureFixture[str],
                                              corpus_db: Path) -> None:
    from timeline.cli import main

    assert main(["--db", str(corpus_db), "log", "--format", "json"]) == 0
    import json

    stream = json.loads(capsys.readouterr().out)[-1]["stream"]
    assert main(["--db", str(corpus_db), "log", "--stream", stream, "--format", "json"]) == 0
    assert {r["stream"] for r in json.loads(capsys.readouterr().out)} == {stream}
    code = main(["--db", str(corpus_db), "log", "--stream", stream + "x"])
    out, err = capsys.readouterr()
    assert code == 2 and out == "" and f"closest: {stream}" in err and len(err.splitlines()) == 1
