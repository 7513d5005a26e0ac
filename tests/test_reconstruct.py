"""Acceptance: the timelines reconstructed from the fixture stories.

The assertions name what a reader of the articles knows (a meeting on the 13th, lunch
against dinner), never internal ids; the engine itself knows none of these texts.
"""

from __future__ import annotations

import codecs
import json
import shutil
from pathlib import Path
from typing import Any

from conftest import FIXTURES, SEEDS


def _run(cli: Any, *paths: Path) -> dict[str, Any]:
    code, _, err = cli("run", *map(str, paths))
    assert code == 0, err
    code, out, _ = cli("show", "--format", "json")
    return json.loads(out)


def _by_name(snap: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {Path(d["path"]).name.removeprefix("x_"): d for d in snap["documents"]}


def _languages(snap: dict[str, Any], e: dict[str, Any]) -> set[str]:
    """The languages of the documents an event is told in."""
    by_id = {d["id"]: d["language"] for d in snap["documents"]}
    return {by_id[s["document"]] for s in e["sources"]}


def _story_of(snap: dict[str, Any], needle: str) -> str:
    """The story of the events whose sources quote `needle`."""
    stories = {e["story"] for e in snap["events"] for s in e["sources"] if needle in s["quote"]}
    assert len(stories) == 1, stories
    return stories.pop()


def _one(events: list[dict[str, Any]], **want: Any) -> dict[str, Any]:
    found = [e for e in events if all(
        (v(e[k]) if callable(v) else e[k] == v) for k, v in want.items())]
    assert len(found) == 1, (want, [(e["kind"], e["start"], e["status"], e["place"])
                                    for e in events])
    return found[0]


def check_summit(snap: dict[str, Any]) -> None:
    docs = _by_name(snap)
    dates = {name[:3]: (d["date"], d["date_basis"]) for name, d in docs.items()}
    assert dates["000"] == ("2023-09-13", "inferred")
    assert dates["001"] == ("2023-09-14", "inferred")
    assert dates["004"][0] in ("2023-09-13", "2023-09-14")
    for d in docs.values():
        assert d["date_evidence"]
    summit = _story_of(snap, "met on Wednesday")
    evs = [e for e in snap["events"] if e["story"] == summit]
    day = "2023-09-13"
    arrival = _one(evs, kind="arrival", start=day)
    tour = _one(evs, kind="visit", start=day, status="occurred")
    talks = _one(evs, kind="talks", start=day)
    assert len({s["document"] for s in talks["sources"]}) >= 3
    meal = _one(evs, kind="meal", start=day)
    departure = _one(evs, kind="departure", start=day)
    launch = _one(evs, kind="launch", start=day)
    komsomolsk = _one(evs, kind="visit", status="planned",
                      place=lambda p: bool(p) and "Komsomolsk" in p)
    assert komsomolsk["start"] == "2023-09-14"
    _one(evs, kind="visit", status="planned", place=lambda p: bool(p) and "Vladivostok" in p)
    older = [e for e in evs if e["start"] and e["start"] < "2023"]
    assert older and all(e["start"].startswith("2019") for e in older)
    chain = [launch, arrival, tour, talks, meal, departure, komsomolsk]
    ranks = [e["rank"] for e in chain]
    assert ranks == sorted(ranks) and len(set(ranks)) == len(ranks), ranks
    assert max(e["rank"] for e in older) < launch["rank"]
    conflicts = {(c["event"], c["attribute"]): c for c in snap["conflicts"]}
    meal_values = {v["value"] for v in conflicts[(meal["id"], "meal")]["values"]}
    assert meal_values == {"lunch", "dinner"}
    durations = {v["value"].split()[0] for v in conflicts[(talks["id"], "duration")]["values"]}
    assert {"PT2H", "PT4H"} <= durations
    # nothing from the NATO story, the Mongolia story or the sidebar in the summit story
    for e in evs:
        for s in e["sources"]:
            for foreign in ("NATO", "Armenia", "Mongolia", "Tsydinov", "Алматы", "погоды",
                            "USD", "Казахстан"):
                assert foreign not in s["quote"], (e["kind"], s["quote"])


def test_seed_articles(cli: Any, seeds: Path) -> None:
    check_summit(_run(cli, seeds))


def test_seed_articles_renamed_reencoded_and_without_headers(cli: Any, tmp_path: Path) -> None:
    d = tmp_path / "messy"
    d.mkdir()
    for f in SEEDS:
        text = f.read_text(encoding="utf-8")
        if text.startswith(" date "):
            text = text[len(" date 2023-09-14 "):]
        target = d / f"x_{f.name}"
        if "Путин" in text:
            target.write_bytes(text.encode("cp1251", errors="replace"))
        elif f.name.startswith("001"):
            target.write_bytes(codecs.BOM_UTF16_LE + text.replace("\n", "\r\n").encode(
                "utf-16-le"))
        else:
            target.write_text(text, encoding="utf-8")
    snap = _run(cli, d)
    assert all(doc["date_basis"] == "inferred" for doc in snap["documents"])
    summit = _story_of(snap, "met on Wednesday")
    evs = [e for e in snap["events"] if e["story"] == summit]
    talks = _one(evs, kind="talks", start="2023-09-13")
    assert len({s["document"] for s in talks["sources"]}) >= 3
    _one(evs, kind="visit", status="planned", start="2023-09-14",
         place=lambda p: bool(p) and "Komsomolsk" in p)


def test_bridge_announcement_without_its_header_is_dated_by_its_weekdays(cli: Any,
                                                                         tmp_path: Path) -> None:
    """"will open on Friday" (the 8th) allows any date of the week before; "said on Monday"
    and "will close on Saturday" (the 9th) are closest together on Monday the 4th."""
    d = tmp_path / "bridge"
    shutil.copytree(FIXTURES / "bridge", d)
    first = d / "01_announcement.txt"
    first.write_text(first.read_text(encoding="utf-8").replace(" date 2024-03-04\n", ""),
                     encoding="utf-8")
    docs = _by_name(_run(cli, d))
    assert (docs["01_announcement.txt"]["date"], docs["01_announcement.txt"]["date_basis"]) \
        == ("2024-03-04", "inferred")


def test_bridge_story_plan_that_happened(cli: Any) -> None:
    snap = _run(cli, FIXTURES / "bridge")
    docs = _by_name(snap)
    assert docs["03_traffic.txt"]["date"] == "2024-03-09"
    assert docs["03_traffic.txt"]["date_basis"] == "inferred"
    opening = _one(snap["events"], kind="opening", start="2024-03-08")
    assert opening["status"] == "occurred"  # planned on the 4th, done on the 8th
    assert len({s["document"] for s in opening["sources"]}) == 3
    assert {docs[n]["language"] for n in docs} == {"en", "es"}
    closure = _one(snap["events"], kind="closure")
    assert closure["start"] == "2024-03-09" and closure["status"] == "occurred"
    assert opening["rank"] < closure["rank"]
    later = _one(snap["events"], kind="opening", status="planned")
    assert later["start"] == "2024-04"


def test_storm_story_across_languages(cli: Any) -> None:
    snap = _run(cli, FIXTURES / "storm")
    docs = _by_name(snap)
    assert docs["02_reopens.txt"]["date"] == "2024-01-16"
    closure = _one(snap["events"], kind="closure")
    assert closure["start"] == "2024-01-14"
    assert {docs[n]["language"] for n in docs} == {"ru", "en"}
    assert len({s["document"] for s in closure["sources"]}) == 2  # "два дня" after it, in English
    opening = _one(snap["events"], kind="opening")
    assert opening["start"] == "2024-01-16" and opening["status"] == "occurred"
    assert closure["rank"] < opening["rank"]


def test_bailout_story_without_any_header(cli: Any) -> None:
    """Three languages, no header anywhere: a year-less dateline takes its year from the
    past the article reports; the other two articles are dated by the events they share."""
    snap = _run(cli, FIXTURES / "bailout")
    docs = _by_name(snap)
    assert {d["language"] for d in docs.values()} == {"en", "es", "ru"}
    for d in docs.values():
        assert (d["date"], d["date_basis"]) == ("2013-03-20", "inferred"), d
    assert "2012" in docs["03_parlament.txt"]["date_evidence"]
    evs = snap["events"]

    vote = _one(evs, kind="decision")  # the parliament rejected the deal on Tuesday
    assert vote["start"] == "2013-03-19" and _languages(snap, vote) == {"en", "es", "ru"}
    flight = _one(evs, kind="departure")  # Moscow, Moscú, Москву: one place
    assert flight["start"].startswith("2013-03-20")
    assert _languages(snap, flight) == {"en", "es", "ru"}
    deal = _one(evs, kind="agreement", status="occurred")  # "a deal was struck early Saturday"
    assert deal["start"] == "2013-03-16"
    assert not [e for e in evs if e["kind"] == "attack"]  # ...is no strike
    assert not [e for e in evs if (e["start"] or "").startswith("1974")]  # "since 1974"


def test_shooting_story_dates_the_capture_from_the_court_day(cli: Any) -> None:
    snap = _run(cli, FIXTURES / "shooting")
    docs = _by_name(snap)
    assert docs["01_court.txt"]["date_basis"] == "header"
    assert (docs["02_tribunal.txt"]["date"], docs["02_tribunal.txt"]["date_basis"]) == \
        ("2013-03-18", "inferred")
    evs = snap["events"]
    court = _one(evs, kind="ruling", status="occurred")
    assert court["start"] == "2013-03-18" and len({s["document"] for s in court["sources"]}) == 2
    assert _one(evs, kind="ruling", status="planned")["start"] == "2013-04-02"
    # "appeared in court Monday, two days after he was captured"
    assert _one(evs, kind="arrest")["start"] == "2013-03-16"
    assert _one(evs, kind="attack")["start"].startswith("2013-03-15")
    vigil = _one(evs, kind="ceremony", status="planned")
    assert vigil["start"].startswith("2013-03-19")
    assert len({s["document"] for s in vigil["sources"]}) == 2
    # "the worst violence since the 1980s" dates no statement
    assert not [e for e in evs if (e["start"] or "").startswith("198")]


def test_wildfire_story_one_header_three_languages(cli: Any) -> None:
    """One English header; the Spanish report is dated by the events it shares, the Russian
    one keeps its dateline's day ("14 августа") and takes the year from its siblings."""
    snap = _run(cli, FIXTURES / "wildfire")
    docs = _by_name(snap)
    assert {n: d["date"] for n, d in docs.items()} == dict.fromkeys(docs, "2024-08-14")
    assert "14 августа" in docs["03_pozhar.txt"]["date_evidence"]
    evs = snap["events"]
    for kind, day, status in [("disaster", "2024-08-12", "occurred"),
                              ("visit", "2024-08-13", "occurred"),
                              ("meeting", "2024-08-15", "planned")]:
        e = _one(evs, kind=kind, status=status)
        assert e["start"].startswith(day), (kind, e["start"])
        assert _languages(snap, e) == {"en", "es", "ru"}, kind
    # "a children's hospital was evacuated on Tuesday night", in all three
    hospital = _one(evs, kind="evacuation", start=lambda v: (v or "").startswith("2024-08-13"))
    assert len({s["document"] for s in hospital["sources"]}) == 3


def test_runoff_story_keeps_the_rounds_of_an_election_apart(cli: Any) -> None:
    """Two elections a month apart, the first round and the runoff: the words next to the
    triggers (runoff, segunda vuelta, втором туре) keep them apart, so the undated Russian
    result is dated by the runoff its siblings date, not by the first round it recalls."""
    snap = _run(cli, FIXTURES / "runoff")
    docs = _by_name(snap)
    assert docs["01_first_round.txt"]["date_basis"] == "header"  # " date" under the headline
    assert (docs["03_result.txt"]["date"], docs["03_result.txt"]["date_basis"]) == \
        ("2023-11-19", "inferred")
    evs = snap["events"]
    runoff = _one(evs, kind="election", start="2023-11-19")
    assert _languages(snap, runoff) == {"en", "es", "ru"}
    first = [e for e in evs if e["kind"] == "election" and e["start"] == "2023-10-22"]
    assert first and all(e["id"] != runoff["id"] for e in first)
    assert _languages(snap, _one(evs, kind="victory", start="2023-11-19")) == {"en", "ru"}
    assert (_one(evs, kind="debate")["start"] or "").startswith("2023-11-12")
    assert not [e for e in evs if e["place"] == "Massa"]  # "acusó a Massa": a person


def test_crash_story_counts_days_from_the_crash(cli: Any) -> None:
    """A plane crash on Sunday. The Spanish report has no date: "recuperaron este lunes" the
    boxes of the plane that "se estrelló el domingo" dates it Monday. The Russian report,
    a month later, finds the boxes "на следующий день после катастрофы": the day after the
    crash the others date, the same recovery as the Spanish one."""
    snap = _run(cli, FIXTURES / "crash")
    docs = _by_name(snap)
    assert (docs["02_cajas.txt"]["date"], docs["02_cajas.txt"]["date_basis"]) == \
        ("2023-01-16", "inferred")
    evs = snap["events"]
    assert _languages(snap, _one(evs, kind="disaster", start="2023-01-15")) == {"en", "es", "ru"}
    assert _languages(snap, _one(evs, kind="recovery")) == {"es", "ru"}
    assert _one(evs, kind="recovery")["start"] == "2023-01-16"
    # "took off from Kathmandu at 10:33 a.m." in a report dated Monday: Sunday's 10:33
    assert _one(evs, kind="departure", start=lambda v: "T10:33" in (v or "")
                and v.startswith("2023-01-15"))
    assert not [e for e in evs if e["kind"] == "attack"]  # "crashes ..., killing at least 68"


def test_geneva_story_links_languages_by_skeletons(cli: Any) -> None:
    """Байден ~ Biden, Путин ~ Putin: the Russian report shares no name stem with the others,
    only spellings of the same names; it still joins their story and dates them."""
    snap = _run(cli, FIXTURES / "geneva")
    docs = _by_name(snap)
    assert len({e["story"] for e in snap["events"]}) == 1
    assert docs["01_vstrecha.txt"]["date_basis"] == "header"
    for name in ("02_cumbre.txt", "03_summit.txt"):
        assert (docs[name]["date"], docs[name]["date_basis"]) == ("2021-06-16", "inferred")
    meeting = _one(snap["events"], kind="meeting")
    assert meeting["start"] == "2021-06-16"
    assert len({s["document"] for s in meeting["sources"]}) == 3


def test_stories_stay_apart_in_one_corpus(cli: Any, tmp_path: Path) -> None:
    mixed = tmp_path / "all"
    shutil.copytree(FIXTURES, mixed)
    snap = _run(cli, mixed)
    check_summit(snap)
    bridge = _story_of(snap, "inauguró este viernes el nuevo puente")
    storm = _story_of(snap, "снегопада")
    summit = _story_of(snap, "met on Wednesday")
    bailout = _story_of(snap, "parliament on Tuesday rejected")
    shooting = _story_of(snap, "appeared in court Monday")
    wildfire = _story_of(snap, "broke out on Monday afternoon")
    runoff = _story_of(snap, "face each other in a runoff")
    crash = _story_of(snap, "crashed into a river gorge")
    # another Putin summit, two years earlier: its undated reports share names with the seeds
    # too, but join the story dated near them, not the one dated two years later
    geneva = _story_of(snap, "lakeside villa in Geneva")
    # a company covered over nearly three years: one story of its own
    company = _story_of(snap, "Bergen start-up")
    assert len({bridge, storm, summit, bailout, shooting, wildfire, runoff, crash, geneva,
                company}) == 10
    docs = _by_name(snap)
    assert {docs[n]["date"] for n in ("01_vstrecha.txt", "02_cumbre.txt", "03_summit.txt")} \
        <= {"2021-06-16", "2021-06-17"}


def test_rerun_appends_nothing_and_ids_are_stable(cli: Any, seeds: Path) -> None:
    first = _run(cli, seeds)
    second = _run(cli, seeds)
    assert first == second


def test_incremental_runs_equal_one_run(cli: Any, tmp_path: Path, monkeypatch: Any) -> None:
    """Adding documents run by run reconstructs only the stories they touch, yet ends where
    one run over everything ends: the same documents, events, orders and conflicts. Ids are
    kept across runs (timeline.identity), so a story or event may keep the id it had before
    the documents that founded it in the single run arrived: the two are compared up to a
    renaming of ids, which must be one to one."""
    all_files = sorted(FIXTURES.rglob("*.txt"))
    together = tmp_path / "together"
    shutil.copytree(FIXTURES, together)
    one = _run(cli, together)
    steps = tmp_path / "steps"
    steps.mkdir()
    monkeypatch.chdir(steps)
    inbox = steps / "inbox"
    inbox.mkdir()
    for i, f in enumerate(all_files):
        rel = f.relative_to(FIXTURES)
        (inbox / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(f, inbox / rel)
        if i % 3 == 2 or i == len(all_files) - 1:
            last = _run(cli, inbox)

    def strip(snap: dict[str, Any]) -> dict[str, Any]:
        for d in snap["documents"]:
            d["path"] = d["path"].split("/", 1)[1]  # together/... vs inbox/...
        return _ids_by_content(snap)

    assert strip(last) == strip(one)


def _ids_by_content(snap: dict[str, Any]) -> dict[str, Any]:
    """The snapshot with each story named by its documents and each event by its story,
    kind and sources: what an id stands for, whatever history chose it."""
    path = {d["id"]: d["path"] for d in snap["documents"]}
    docs_of: dict[str, set[str]] = {}
    for e in snap["events"]:
        docs_of.setdefault(e["story"], set()).update(path[s["document"]] for s in e["sources"])
    story = {s: "|".join(sorted(ds)) for s, ds in docs_of.items()}
    event = {e["id"]: repr((story[e["story"]], e["kind"], e["label"], e["status"], sorted(
        (path[s["document"]], s["start"]) for s in e["sources"]))) for e in snap["events"]}
    assert len(set(event.values())) == len(event) and len(set(story.values())) == len(story)
    events = sorted(({**e, "id": event[e["id"]], "story": story[e["story"]]}
                     for e in snap["events"]), key=lambda e: e["id"])
    return {**snap, "events": events,
            "constraints": sorted(({**c, "before": event[c["before"]],
                                    "after": event[c["after"]]} for c in snap["constraints"]),
                                  key=repr),
            "conflicts": sorted(({**c, "event": event[c["event"]]} for c in snap["conflicts"]),
                                key=repr)}
