"""Entities: names linked within a document, across documents, languages and scripts."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from conftest import FIXTURES
from freezegun import freeze_time

from tests.storesql import rows, value
from timeline import entities, entity_keys
from timeline.schema import SCHEMA_VERSION


def _link(docs: dict[str, tuple[str, str]], stories: dict[str, set[str]] | None = None
          ) -> tuple[list[entities.Entity], dict[str, entities.Entity]]:
    found = [m for doc, (lang, text) in docs.items() for m in entities.mentions(doc, text, lang)]
    ents, _of = entities.link(found, stories)
    by_alias = {a: e for e in ents for a in e.aliases}
    return ents, by_alias


def test_surname_title_and_acronym_name_the_full_name_within_a_document() -> None:
    text = ("International Business Machines said on Monday that it would cut jobs. "
            "Chief executive Arvind Krishna told analysts the plan was on track. "
            "IBM shares rose after Krishna spoke, and President Krishna left early.")
    ms = entities.mentions("d1", text, "en")
    local = {m.text: m.local for m in ms}
    assert local["IBM"] == local["International Business Machines"]
    assert local["Krishna"] == local["Arvind Krishna"] == "arvind krishna"
    _ents, by = _link({"d1": ("en", text)})
    assert by["IBM"] is by["International Business Machines"]
    assert by["IBM"].name == "International Business Machines"


def test_two_people_of_one_family_name_in_one_document_stay_apart() -> None:
    text = ("Kim Jong Un arrived by train. His sister Kim Yo Jong travelled with him. "
            "Later Kim Jong Un met the governor.")
    _ents, by = _link({"d1": ("en", text)})
    assert by["Kim Jong Un"] is not by["Kim Yo Jong"]


def test_countries_translate_through_the_table_and_russian_inflections_fold() -> None:
    docs = {
        "en": ("en", "Officials of North Korea met in Geneva. The DPRK said talks went well."),
        "es": ("es", "El gobierno de Corea del Norte anunció el acuerdo en la capital."),
        "ru": ("ru", "Представители КНДР прибыли в город. "
                     "Делегация Северной Кореи уехала в среду."),
    }
    _ents, by = _link(docs)
    assert by["North Korea"] is by["DPRK"] is by["Corea del Norte"] is by["КНДР"]
    assert by["КНДР"] is by["Северной Кореи"]
    assert by["КНДР"].type == "PLACE" and by["КНДР"].name == "North Korea"
    assert set(by["КНДР"].languages) == {"en", "es", "ru"}
    assert entity_keys.word_key("Кима", "ru") == entity_keys.word_key("Ким", "ru")


def test_a_surname_alone_joins_the_one_full_name_it_ends_across_languages() -> None:
    docs = {
        "a": ("en", "President Joe Biden arrived in the city on Tuesday for talks."),
        "b": ("ru", "Переговоры Байдена с коллегой продолжались около четырех часов."),
        "c": ("en", "Reporters said Biden had called the meeting had been constructive."),
    }
    story = {d: {"s1"} for d in docs}
    _ents, by = _link(docs, story)
    assert by["Байдена"] is by["Joe Biden"] is by["Biden"]
    assert by["Joe Biden"].id.startswith("joe-biden-")
    # without a story in common, a Cyrillic surname is no evidence across scripts
    _ents, by = _link(docs, {"a": {"s1"}, "b": {"s2"}, "c": {"s1"}})
    assert by["Байдена"] is not by["Joe Biden"]


def test_a_surname_two_full_names_share_stays_apart_unless_one_dominates() -> None:
    docs = {
        "a": ("en", "Governor Maria Lopez opened the bridge on Sunday with engineers."),
        "b": ("en", "Senator Daniel Lopez resigned on Monday after the defeat of his team."),
        "c": ("en", "Reporters asked about the decision, and Lopez declined to answer."),
    }
    _ents, by = _link(docs)
    assert by["Lopez"] is not by["Maria Lopez"] and by["Lopez"] is not by["Daniel Lopez"]
    # the same surname in a document of the story that names only one of them
    _ents, by = _link(docs, {"a": {"s1"}, "b": {"s2"}, "c": {"s1"}})
    assert by["Lopez"] is by["Maria Lopez"]


def test_entity_ids_depend_on_the_name_not_on_the_corpus() -> None:
    one = {"a": ("en", "Prime Minister Kyriakos Mitsotakis visited the island on Friday.")}
    two = {**one, "b": ("en", "Kyriakos Mitsotakis said the fires were under control.")}
    ids1 = {e.name: e.id for e in _link(one)[0]}
    ids2 = {e.name: e.id for e in _link(two)[0]}
    assert ids1["Kyriakos Mitsotakis"] == ids2["Kyriakos Mitsotakis"]


@freeze_time("2026-01-02 03:04:05")
def test_run_lists_entities_across_languages_and_links_events(cli, tmp_path: Path) -> None:
    src = tmp_path / "geneva"
    shutil.copytree(FIXTURES / "geneva", src)
    code, _, err = cli("run", str(src))
    assert code == 0, err
    code, out, err = cli("entities", "--format", "json")
    assert code == 0, err
    rows = {r["name"]: r for r in json.loads(out)}
    putin = rows["Vladimir Putin"]
    assert putin["type"] == "PERSON" and putin["languages"] == ["en", "es", "ru"]
    assert {"Putin", "Путина", "Vladímir Putin"} <= set(putin["aliases"])
    assert putin["documents"] == 3
    code, out, _ = cli("entities", "--type", "person")
    assert code == 0 and "Joe Biden" in out and "Russia" not in out
    n = value(cli.db(), "SELECT count(*) FROM event_entities x JOIN entities e "
              "ON e.id = x.entity WHERE e.name = 'Joe Biden'")
    assert n >= 1
    log_n = value(cli.db(), "SELECT count(*) FROM log")
    code, out, _ = cli("verify")
    assert code == 0, out
    code, _, _ = cli("run", str(src))  # nothing new: nothing appended
    assert value(cli.db(), "SELECT count(*) FROM log") == log_n


@freeze_time("2026-01-02 03:04:05")
@pytest.mark.sqlite_only(
    "migrates an old SQLite file in place (PostgreSQL stores are not migrated)")
def test_a_database_of_schema_2_gains_the_entity_tables(cli, tmp_path: Path) -> None:
    src = tmp_path / "geneva"
    shutil.copytree(FIXTURES / "geneva", src)
    assert cli("run", str(src))[0] == 0
    with sqlite3.connect("timeline.db") as conn:
        conn.executescript("DROP VIEW event_entities; DROP TABLE entities; "
                           "DROP TABLE entity_mentions; PRAGMA user_version = 2;")
    code, _, err = cli("run", str(src))
    assert code == 0, err
    with sqlite3.connect("timeline.db") as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert conn.execute("SELECT count(*) FROM event_entities").fetchone()[0] == 0
    assert cli("rebuild")[0] == 0
    code, out, _ = cli("entities", "--format", "csv")
    assert code == 0 and "Joe Biden" in out


def test_timeline_task_anchor_dates() -> None:
    from timeline.timeline_task import anchor

    assert anchor("2023-09-13") == "2023-09-13"
    assert anchor("2023-09-13T10:30") == "2023-09-13"
    assert anchor("2023-09") == "2023-09-XX"
    assert anchor("2023") == "2023-XX-XX"
    assert anchor("2023-W37") == "2023-XX-XX"
    assert anchor("2023-Q1") == "2023-XX-XX"
    assert anchor(None) == "XXXX-XX-XX" and anchor("PAST_REF") == "XXXX-XX-XX"


@freeze_time("2026-01-02 03:04:05")
def test_show_and_export_one_entity_across_stories(cli, tmp_path: Path) -> None:
    import re

    src = tmp_path / "corpus"
    shutil.copytree(FIXTURES / "geneva", src / "geneva")
    shutil.copytree(FIXTURES / "bailout", src / "bailout")
    assert cli("run", str(src))[0] == 0
    code, by_alias, err = cli("show", "--entity", "ВЛАДИМИР ПУТИН", "--format", "json")
    assert code == 0, err
    code, by_accent, _ = cli("show", "--entity", "vladimir putin", "--format", "json")
    assert by_alias == by_accent
    events = json.loads(by_alias)["events"]
    assert events and all(e["story"] for e in events)
    starts = [e["start"] for e in events if e["start"]]
    assert starts == sorted(starts)
    code, text, _ = cli("show", "--entity", "putin")
    assert code == 0 and text.startswith("Vladimir Putin (PERSON): ")
    code, _, err = cli("show", "--entity", "Vladimir Putni")
    assert code == 2 and "close: Vladimir Putin" in err
    code, out, err = cli("export", "--format", "timeline-task", "--entity", "Путин")
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0] == "Vladimir Putin" and len(lines) == len(events) + 1
    for line in lines[1:]:
        pos, day, *ids = line.split("\t")
        assert pos.isdigit() and re.fullmatch(r"(\d{4}|XXXX)-(\d\d|XX)-(\d\d|XX)", day)
        assert all(re.fullmatch(r"[\w.-]+-\d+-\d+", i) for i in ids)
    assert any(i.startswith(("01_vstrecha-", "02_cumbre-", "03_summit-"))
               for line in lines[1:] for i in line.split("\t")[2:])
    assert cli("export", "--format", "timeline-task")[0] == 2  # no entity given


@freeze_time("2026-01-02 03:04:05")
def test_stories_have_readable_names_and_show_story_finds_them(cli, tmp_path: Path) -> None:
    src = tmp_path / "corpus"
    for name in ("bridge", "runoff"):
        shutil.copytree(FIXTURES / name, src / name)
    assert cli("run", str(src))[0] == 0
    code, out, err = cli("stories", "--format", "json")
    assert code == 0, err
    rows = json.loads(out)
    assert len(rows) == 2
    by_docs = {r["documents"] for r in rows}
    assert by_docs == {3, 4}
    runoff = next(r for r in rows if r["documents"] == 4)
    assert "Sergio Massa" in runoff["name"] and ": election" in runoff["name"]
    assert runoff["first"] <= runoff["last"] and runoff["languages"] == ["en", "es", "ru"]
    assert runoff["events"] > 0
    code, by_name, _ = cli("show", "--story", runoff["name"].upper(), "--format", "json")
    assert code == 0
    code, by_id, _ = cli("show", "--story", runoff["id"][:5], "--format", "json")
    assert by_name == by_id
    assert {e["story"] for e in json.loads(by_id)["events"]} == {runoff["id"]}
    code, _, err = cli("show", "--story", "Sergio Mass: nothing")
    assert code == 2 and "close:" in err and "Sergio Massa" in err
    code, out, _ = cli("stories", "--format", "csv")
    assert code == 0 and "en; es; ru" in out
    code, out, _ = cli("show")  # one timeline per story, under its name
    headings = [line for line in out.splitlines() if " · story " in line]
    assert sorted(h.split("  ")[0] for h in headings) == sorted(r["name"] for r in rows)
    assert all(h.endswith(f" · story {r['id']}") for h, r in zip(
        sorted(headings), sorted(rows, key=lambda r: r["name"]), strict=True))
    code, out, _ = cli("show", "--story", runoff["id"])
    assert code == 0 and [h for h in out.splitlines() if " · story " in h] == [
        f"{runoff['name']}  {runoff['events']} events · story {runoff['id']}"]


@freeze_time("2026-01-02 03:04:05")
def test_a_revised_document_replaces_its_entity_mentions(cli, tmp_path: Path) -> None:
    src = tmp_path / "geneva"
    shutil.copytree(FIXTURES / "geneva", src)
    assert cli("run", str(src))[0] == 0
    with (src / "03_summit.txt").open("a", encoding="utf-8") as fh:
        fh.write("\nLater Biden spoke by phone with Chancellor Angela Merkel.\n")
    assert cli("run", str(src))[0] == 0
    stale = value(cli.db(), "SELECT count(*) FROM entity_mentions WHERE document NOT IN "
                  "(SELECT id FROM documents)")
    merkel = next(iter(rows(cli.db(), "SELECT documents FROM entities "
                                      "WHERE name = 'Angela Merkel'")), None)
    assert stale == 0 and merkel == (1,)
    code, out, _ = cli("verify")
    assert code == 0, out


def test_one_given_name_with_two_surnames_is_two_people_across_languages() -> None:
    """The same story, other languages, one word in common: still two people when the
    surnames differ, however alike the strings."""
    docs = {
        "a": ("en", "Harbour director Maren Tollefsen opened the quay on Friday."),
        "b": ("ru", "Профессор Марен Толлефдаль выступила в порту в пятницу."),
        "c": ("en", "Professor Ingvild Solheim spoke at the harbour on Friday."),
        "d": ("en", "Professor Ingvild Solberg spoke at the harbour on Friday."),
    }
    story = {d: {"s1"} for d in docs}
    _ents, by = _link(docs, story)
    assert by["Maren Tollefsen"] is not by["Марен Толлефдаль"]  # one consonant skeleton
    assert by["Ingvild Solheim"] is not by["Ingvild Solberg"]


def test_one_surname_spelled_two_ways_or_a_family_name_first_still_links() -> None:
    docs = {
        "a": ("en", "Harbour director Maren Tollefsen opened the quay on Friday."),
        "b": ("ru", "Директор порта Марен Толлефсен открыла причал в пятницу."),
        "c": ("es", "El director Gonzalo Marqués Ibáñez llegó el lunes."),
        "d": ("ru", "Директор Гонсало Маркес Ибаньес прибыл в понедельник."),
        "e": ("en", "North Korean leader Pak Sol Chon arrived by train. The mayor met Pak at "
                    "the station."),
        "f": ("ru", "Лидер Пак Сон Чхоль прибыл поездом. Мэр встретил Пака."),
    }
    story = {d: {"s1"} for d in docs}
    _ents, by = _link(docs, story)
    assert by["Maren Tollefsen"] is by["Марен Толлефсен"]
    assert by["Gonzalo Marqués Ibáñez"] is by["Гонсало Маркес Ибаньес"]
    assert by["Pak Sol Chon"] is by["Пак Сон Чхоль"] is by["Пака"] is by["Pak"]
    # without the family name written alone, the first word alone is no evidence
    del docs["e"], docs["f"]
    docs["e"] = ("en", "North Korean leader Pak Sol Chon arrived by train.")
    docs["f"] = ("ru", "Лидер Пак Сон Чхоль прибыл поездом.")
    _ents, by = _link(docs, story)
    assert by["Pak Sol Chon"] is not by["Пак Сон Чхоль"]


def test_capitals_translate_through_the_table_and_hold_no_other_place() -> None:
    docs = {
        "en": ("en", "The delegation flew to Moscow on Monday."),
        "es": ("es", "La delegación voló a Moscú el lunes."),
        "ru": ("ru", "Делегация прилетела в Москву в понедельник."),
    }
    _ents, by = _link(docs)
    assert by["Moscow"] is by["Moscú"] is by["Москву"]
    assert by["Москву"].name == "Moscow" and by["Москву"].type == "PLACE"
    # a country holds the towns a source may name instead; a capital does not
    assert entity_keys.contains_places("Russia", "en")
    assert not entity_keys.contains_places("Moscow", "en")
    assert not entity_keys.contains_places("Kazan", "en")


def test_a_name_a_dateline_writes_in_capitals_is_shown_as_the_text_writes_it() -> None:
    text = ("PORT ELDEN — The council opened the bridge on Monday. Residents of Port Elden "
            "crossed it in the afternoon. NATO sent an observer.")
    _ents, by = _link({"d1": ("en", text)})
    assert by["PORT ELDEN"] is by["Port Elden"]
    assert by["PORT ELDEN"].name == "Port Elden"
    assert by["NATO"].name == "NATO"


@pytest.mark.parametrize("lang", ["en", "es", "ru"])
def test_site_words_tell_a_site_from_a_town(lang: str) -> None:
    examples = entity_keys.resource(lang)["sites"]["examples"]
    assert examples
    for ex in examples:
        assert entity_keys.is_site(ex["place"]) is ex["site"], ex
