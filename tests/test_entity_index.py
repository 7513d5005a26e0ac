"""Incremental entity linking: the entity index, the scope rule, and that a sequence of runs
ends with the entities (and ids) one run over the same files finds."""

from __future__ import annotations

import json
import shutil
import sqlite3
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import FIXTURES

from tests.storesql import rows as sql
from timeline import entities, entity_scope
from timeline.cli import entity_phase
from timeline.schema import SCHEMA_VERSION
from timeline.store import connect

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))
import corpus


def _m(doc: str, i: int, text: str, local: str, label: str = "PERSON",
       lang: str = "en") -> entities.Mention:
    return entities.Mention(doc, i, i + len(text), text, label, lang, local)


def test_the_scope_relation_is_symmetric() -> None:
    keys = ["kim jong un", "kim", "un", "jong", "ким чен ын", "kim dae jung", "putin",
            "vladimir putin", "путин", "@russia", "joe biden", "biden", "байден",
            "international business machines", "machines"]
    for a in keys:
        for b in keys:
            ab = bool(set(entity_scope.probes(a)) & set(entity_scope.terms(b)))
            ba = bool(set(entity_scope.probes(b)) & set(entity_scope.terms(a)))
            assert ab == ba, (a, b)
    assert entity_scope.terms("@russia") == entity_scope.probes("@russia") == []


def test_linking_each_scope_alone_gives_the_whole_pass() -> None:
    """The components of the scope relation never interact in `entities.link`."""
    found = [_m("a", 0, "Kim Jong Un", "kim jong un"), _m("a", 20, "Kim", "kim jong un"),
             _m("b", 0, "Kim", "kim"), _m("c", 0, "Ким Чен Ын", "ким чен ын", lang="ru"),
             _m("d", 0, "Vladimir Putin", "vladimir putin"), _m("e", 0, "Putin", "putin"),
             _m("e", 9, "Russia", "@russia", "PLACE"), _m("f", 0, "Kim Dae Jung",
                                                          "kim dae jung")]
    stories = {d: {"s1"} for d in "abcdef"}
    whole, of = entities.link(found, stories)
    index = {t: {k for m in found for k in [m.local] if t in entity_scope.terms(k)}
             for m in found for t in entity_scope.terms(m.local)}

    def lookup(terms: set[str]) -> set[str]:
        return set().union(*(index.get(t, set()) for t in terms))

    parts: list[entities.Entity] = []
    left = {m.local for m in found}
    while left:
        scope = entity_scope.closure({min(left)}, lookup)
        left -= scope
        got, part_of = entities.link([m for m in found if m.local in scope], stories)
        parts += got
        assert all(of[k] == v for k, v in part_of.items())
    assert sorted(parts, key=lambda e: (-e.mentions, e.id)) == whole


def _snapshot(cli: Any, db: Path) -> dict[str, Any]:
    code, out, err = cli("--db", str(db), "entities", "--format", "json")
    assert code == 0, err
    ents = json.loads(out)
    rows = sorted(sql(cli.db(db),
        'SELECT d.path, m.start, m."end", m.text, m.label, m.local, m.entity FROM '
        "entity_mentions m JOIN documents d ON d.id = m.document"))
    found = sorted(sql(cli.db(db), "SELECT id, name, type, aliases, mentions, documents, "
                                   "languages FROM entities"))
    shown = {}
    for e in ents[:5]:
        code, out, err = cli("--db", str(db), "show", "--entity", e["name"], "--format", "json")
        assert code == 0, err
        shown[e["name"]] = sorted((s["document"], s["start"]) for ev in json.loads(out)["events"]
                                  for s in ev["sources"])
    return {"entities": ents, "mentions": [(Path(r[0]).name, *r[1:]) for r in rows],
            "rows": found, "shown": shown}


def _steps(cli: Any, tmp_path: Path, monkeypatch: Any, files: list[Path]) -> None:
    """Runs that add files a few at a time and revise one (its old version leaves the
    corpus), against one run over the files they end with; every run after the first
    links incrementally."""
    passes: list[str] = []
    whole, incremental = entity_phase._whole, entity_phase._incremental
    monkeypatch.setattr(entity_phase, "_whole",
                        lambda *a: passes.append("whole") or whole(*a))
    monkeypatch.setattr(entity_phase, "_incremental",
                        lambda *a: passes.append("incremental") or incremental(*a))
    inbox, db = tmp_path / "inbox", tmp_path / "steps.db"
    inbox.mkdir()
    start = len(files) * 2 // 3

    def put(f: Path) -> None:
        shutil.copy(f, inbox / f"{f.parent.name}_{f.name}")

    def run() -> None:
        code, _out, err = cli("--db", str(db), "run", str(inbox))
        assert code in (0, 1), err

    for f in files[:start]:
        put(f)
    run()
    for i in range(start, len(files), 3):
        for f in files[i:i + 3]:
            put(f)
        run()
    revised = sorted(inbox.iterdir())[1]
    revised.write_text(revised.read_text(encoding="utf-8") +
                       "\nLater, Marta Quilez of Valdora Shipping said the talks resumed.\n",
                       encoding="utf-8")
    run()
    assert passes[0] == "whole" and set(passes[1:]) == {"incremental"}
    together, db_one = tmp_path / "together", tmp_path / "one.db"
    shutil.copytree(inbox, together)
    code, _out, err = cli("--db", str(db_one), "run", str(together))
    assert code in (0, 1), err
    assert _snapshot(cli, db) == _snapshot(cli, db_one)


def test_incremental_entity_linking_equals_one_run_over_the_fixtures(
        cli: Any, tmp_path: Path, monkeypatch: Any) -> None:
    _steps(cli, tmp_path, monkeypatch, sorted(FIXTURES.rglob("*.txt")))


@pytest.mark.skipif(not corpus.EVAL.is_dir(), reason="needs ../shared/eval (TempEval-3 train)")
def test_incremental_entity_linking_equals_one_run_over_a_corpus(
        cli: Any, tmp_path: Path, monkeypatch: Any) -> None:
    docs = tmp_path / "corpus"
    files = corpus.write(docs, 160)
    _steps(cli, tmp_path, monkeypatch, files[-60:])


def test_rebuild_fills_the_entity_index_again(cli: Any, tmp_path: Path) -> None:
    docs, db = tmp_path / "docs", tmp_path / "t.db"
    shutil.copytree(FIXTURES / "company", docs)
    code, _out, err = cli("--db", str(db), "run", str(docs))
    assert code == 0, err
    before = sorted(sql(cli.db(db), "SELECT * FROM entity_index"))
    keys = {k for (k,) in sql(cli.db(db), "SELECT DISTINCT local FROM entity_mentions")}
    assert keys and keys <= {k for t, k in before if t == ""}
    assert ("#filled", entity_scope.VERSION) in before
    with connect(cli.db(db)) as store:
        store.conn.execute("DELETE FROM entity_index")
    code, _out, err = cli("--db", str(db), "rebuild")
    assert code == 0, err
    assert sorted(sql(cli.db(db), "SELECT * FROM entity_index")) == before


def test_a_database_without_the_index_links_everything_once(cli: Any, tmp_path: Path,
                                                            monkeypatch: Any) -> None:
    docs, db = tmp_path / "docs", tmp_path / "t.db"
    shutil.copytree(FIXTURES / "company", docs)
    code, _out, err = cli("--db", str(db), "run", str(docs))
    assert code == 0, err
    with connect(cli.db(db)) as store:
        store.conn.execute("DELETE FROM entity_index")
    passes: list[str] = []
    whole = entity_phase._whole
    monkeypatch.setattr(entity_phase, "_whole", lambda *a: passes.append("whole") or whole(*a))
    (docs / "more.txt").write_text(next(iter(sorted(docs.iterdir()))).read_text(
        encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    code, _out, err = cli("--db", str(db), "run", str(docs))
    assert code == 0, err
    assert passes == ["whole"]
    assert sql(cli.db(db), "SELECT 1 FROM entity_index WHERE term = '#filled'")


@pytest.mark.sqlite_only("migrates an SQLite file in place")
def test_a_database_of_schema_6_gains_the_entity_index(cli: Any, tmp_path: Path,
                                                       monkeypatch: Any) -> None:
    docs, db = tmp_path / "docs", tmp_path / "t.db"
    shutil.copytree(FIXTURES / "company", docs)
    assert cli("--db", str(db), "run", str(docs))[0] == 0
    con = sqlite3.connect(db)
    want = sorted(con.execute("SELECT * FROM entities"))
    con.executescript("DROP TABLE entity_index; DROP INDEX entity_mentions_local; "
                      "PRAGMA user_version = 6;")
    passes: list[str] = []
    whole = entity_phase._whole
    monkeypatch.setattr(entity_phase, "_whole", lambda *a: passes.append("whole") or whole(*a))
    (docs / "more.txt").write_text(next(iter(sorted(docs.iterdir()))).read_text(
        encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    code, _out, err = cli("--db", str(db), "run", str(docs))
    assert code == 0, err
    assert con.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert con.execute("SELECT 1 FROM sqlite_master WHERE name = 'entity_mentions_local'"
                       ).fetchone()
    assert passes == ["whole"]  # the migrated index is empty: filled by the whole pass
    assert {k for (k,) in con.execute("SELECT DISTINCT local FROM entity_mentions")} <= {
        k for (k,) in con.execute("SELECT key FROM entity_index WHERE term = ''")}
    assert {r[0] for r in want} <= {r[0] for r in con.execute("SELECT id FROM entities")}
    con.close()
