"""Stories that hold: similarity that fades with the distance in time, not a hard window."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from conftest import FIXTURES
from freezegun import freeze_time

from timeline import ingest, segment


def _segments(paths: list[Path]) -> tuple[list[segment.Segment], dict[str, str | None]]:
    segs, dates = [], {}
    for p in paths:
        parsed = ingest.parse(p.name, p.read_bytes())
        segs += segment.segments(p.name, parsed.text, parsed.body_start, parsed.language)
        dates[p.name] = parsed.header.get("date")
    return segs, dates


def _partition(story_of: dict[tuple[str, int], str]) -> set[frozenset[str]]:
    """Documents grouped by the story of their lead segment."""
    groups: dict[str, set[str]] = {}
    for (doc, index), story in story_of.items():
        if index == 0:
            groups.setdefault(story, set()).add(doc)
    return {frozenset(g) for g in groups.values()}


def test_decay_fades_with_time_and_keeps_the_score_at_zero_distance() -> None:
    assert segment.decay(0.5, 0, 90) == 0.5
    assert segment.decay(0.5, 30, 90) > segment.decay(0.5, 120, 90) > segment.decay(0.5, 800, 90)
    assert segment.decay(1.0, 800, 90) < 0.1  # years apart: no link, however alike


def _seg(doc: str, names: tuple[str, ...]) -> segment.Segment:
    return segment.Segment(doc, 0, 0, 1, (), names, names, "en")


def test_steady_coverage_chains_while_a_gap_of_years_splits() -> None:
    names = ("halvo", "marin", "robot", "ingri", "berge")
    steps = {f"d{i}": f"2021-{1 + 2 * i:02d}-01" for i in range(6)}  # every two months
    segs = [_seg(d, names) for d in steps]
    assert len(set(segment.stories(segs, dates=steps).values())) == 1
    apart = {"a": "2021-06-16", "b": "2023-09-13"}  # the same names, two years apart
    segs = [_seg(d, names) for d in apart]
    assert len(set(segment.stories(segs, dates=apart).values())) == 2


def test_the_long_running_company_corpus_is_one_story_as_its_gold_listing_says() -> None:
    folder = FIXTURES / "company"
    gold = json.loads((folder / "gold.json").read_text(encoding="utf-8"))
    paths = sorted(folder.glob("*.txt"))
    assert len(paths) >= 12
    segs, dates = _segments(paths)
    assert {d[:4] for d in dates.values() if d} == {"2021", "2022", "2023"}
    got = _partition(segment.stories(segs, dates=dates))
    assert got == {frozenset(s) for s in gold["stories"]}


def test_the_company_beside_every_other_fixture_keeps_to_itself() -> None:
    paths = sorted(FIXTURES.rglob("*.txt"))
    segs, dates = _segments(paths)
    got = _partition(segment.stories(segs, dates=dates))
    company = {p.name for p in (FIXTURES / "company").glob("*.txt")}
    assert frozenset(company) in got


@freeze_time("2026-01-02 03:04:05")
def test_stories_lists_the_company_as_one_story_over_three_years(cli, tmp_path: Path) -> None:
    shutil.copytree(FIXTURES / "company", tmp_path / "company")
    assert cli("run", str(tmp_path / "company"))[0] == 0
    code, out, err = cli("stories", "--format", "json")
    assert code == 0, err
    (story,) = json.loads(out)
    assert story["first"][:4] == "2021" and story["last"][:4] == "2023"
    assert story["languages"] == ["en", "es"]
    assert "Halvorsen Marine Robotics" in story["name"]


def test_story_ids_come_from_the_earliest_evidence() -> None:
    names = ("ortiz", "harbo", "bridg", "elden")
    dates = {"a": "2024-03-04", "b": "2024-03-08"}
    before = segment.stories([_seg("a", names), _seg("b", names)], dates=dates)
    # b revised (a new document id, one name more) and an unrelated article arrives
    dates2 = {"a": "2024-03-04", "b2": "2024-03-08", "z": "2024-03-05"}
    after = segment.stories([_seg("a", names), _seg("b2", (*names, "ferry")),
                             _seg("z", ("valdo", "quile", "ferry"))], dates=dates2)
    assert after[("a", 0)] == after[("b2", 0)] == before[("a", 0)]
    assert after[("z", 0)] != after[("a", 0)]
    # the founding article revised without changing its main names keeps the id too
    again = segment.stories([_seg("a2", (*names, "ferry", "ortiz")), _seg("b", names)],
                            dates=dates | {"a2": "2024-03-04"})
    assert again[("a2", 0)] == before[("a", 0)]


@freeze_time("2026-01-02 03:04:05")
def test_revising_a_later_article_keeps_the_story_id(cli, tmp_path: Path) -> None:
    src = tmp_path / "bridge"
    shutil.copytree(FIXTURES / "bridge", src)
    assert cli("run", str(src))[0] == 0
    (before,) = json.loads(cli("stories", "--format", "json")[1])
    with (src / "03_traffic.txt").open("a", encoding="utf-8") as fh:
        fh.write("\nA second toll booth is planned for the bridge.\n")
    assert cli("run", str(src))[0] == 0
    (after,) = json.loads(cli("stories", "--format", "json")[1])
    assert after["id"] == before["id"]
    code, out, _ = cli("show", "--story", before["id"], "--format", "json")
    assert code == 0 and json.loads(out)["events"]


def _story_texts(texts: dict[str, tuple[str, str]]) -> set[frozenset[str]]:
    segs = [s for doc, (lang, text) in texts.items()
            for s in segment.segments(doc, text, 0, lang)]
    return _partition(segment.stories(segs))


def test_one_given_name_with_two_surnames_joins_no_stories() -> None:
    """Two full names that share only a given name are two people: no evidence of one story
    (with a figure in common, as any two reports may have)."""
    texts = {
        "a": ("en", "Harbour director Maren Tollefsen opened the new quay in Brekkvik on "
                    "Friday. The quay cost 40 million, Tollefsen said."),
        "b": ("en", "Chess champion Maren Vikstrom won the final round in Lysaker on Sunday. "
                    "She won 40 games this year, Vikstrom said."),
    }
    assert _story_texts(texts) == {frozenset({"a"}), frozenset({"b"})}


def test_one_full_name_with_a_surname_alone_still_joins_stories() -> None:
    texts = {
        "a": ("en", "Harbour director Maren Tollefsen opened the new quay in Brekkvik on "
                    "Friday."),
        "b": ("en", "The quay in Brekkvik was late, Tollefsen told the council on Monday."),
        "c": ("ru", "Директор порта Марен Толлефсен открыла новый причал в Брекквике."),
        "d": ("en", "Critics of Maren Tollefsen said the quay cost too much."),
    }
    assert _story_texts(texts) == {frozenset(texts)}


def test_a_family_name_written_first_still_links_across_languages() -> None:
    texts = {
        "a": ("en", "Leader Pak Sung Chol arrived in Vostrava by train. Pak met the mayor."),
        "b": ("ru", "Лидер Пак Сын Чхоль прибыл в Востраву поездом. Мэр встретил Пака на вокзале."),
    }
    assert _story_texts(texts) == {frozenset(texts)}


def test_a_story_name_is_at_a_site_and_in_a_town() -> None:
    from collections import Counter

    from timeline.story_names import story_name

    def named(place: str) -> str:
        events = [{"kind": "meeting", "label": "meeting", "source_count": 2,
                   "start": "2024-05-02", "place": place}]
        return story_name(events, {"s": Counter({"p": 2})}, {"p": ("Ana Ruiz", "PERSON")},
                          "s", {})

    assert named("Vostochny Cosmodrome") == "Ana Ruiz: meeting at Vostochny Cosmodrome"
    assert named("Port Elden") == "Ana Ruiz: meeting in Port Elden"
