"""Incremental story linking: the name index, the candidate rule, and what a run re-links."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from conftest import FIXTURES

from tests.storesql import rows, value
from timeline import linking, segment
from timeline.cli import story_phase
from timeline.store import connect


def _seg(doc: str, names: tuple[str, ...], lang: str = "en") -> segment.Segment:
    return segment.Segment(doc, 0, 0, 1, (), names, names, lang)


def test_a_name_in_many_segments_still_links_when_it_is_among_their_rarest() -> None:
    # 400 reports of one happening share two names and nothing rarer: far beyond the
    # 150 postings a name may generate on its own, yet they are one story
    names = ("valdo", "quile", "#34")
    segs = [_seg(f"d{i:03d}", names) for i in range(400)]
    assert len(set(segment.stories(segs).values())) == 1
    # the common names of a report with rarer ones do not search: it is found through these
    df = {"valdo": 400, "quile": 400, "#34": 400, "rarex": 2, "rarey": 3}
    assert linking.generating(frozenset(df), df) == {"rarex", "rarey"}
    assert linking.generating(frozenset({"valdo", "quile", "#34"}), df) == {"quile", "valdo"}


def test_the_candidate_rule_is_symmetric_and_holds_across_languages() -> None:
    df = {"~vld": 2, "~qls": 2, "valdo": 1, "вальдо": 1}
    en = linking.keys_of("en", ("valdo", "~vld", "~qls"))
    ru = linking.keys_of("ru", ("вальдо", "~vld", "~qls"))
    assert linking.candidate(en, ru, df) and linking.candidate(ru, en, df)
    idf = linking.idf_of({**df, "": 2}, 2)
    assert linking.score(en, ru, idf, None, None, **segment.LINK) is not None


def _run(cli: Any, folder: Path, db: Path) -> None:
    code, _out, err = cli("--db", str(db), "run", str(folder))
    assert code == 0, err


def test_a_run_relinks_only_the_stories_a_new_document_touches(cli: Any, tmp_path: Path,
                                                                 monkeypatch: Any) -> None:
    docs, db = tmp_path / "docs", tmp_path / "t.db"
    shutil.copytree(FIXTURES, docs)
    _run(cli, docs, db)
    n_docs = value(cli.db(db), "SELECT count(*) FROM documents")
    indexed = value(cli.db(db), "SELECT count(DISTINCT document) FROM name_index")
    assert indexed == n_docs
    seen: list[story_phase.Linked] = []
    whole = story_phase._whole
    monkeypatch.setattr(story_phase, "_whole", lambda *a: seen.append(None) or whole(*a))
    link = story_phase.link
    monkeypatch.setattr(story_phase, "link", lambda *a: seen.append(link(*a)) or seen[-1])
    one = sorted(FIXTURES.rglob("*.txt"))[0]
    (docs / "again.txt").write_text(one.read_text(encoding="utf-8") + "\nOne more line.\n",
                                    encoding="utf-8")
    _run(cli, docs, db)
    assert None not in seen  # linked from the index, not by the whole pass
    linked = seen[-1]
    assert linked is not None and 1 < len(linked.affected) < n_docs // 2
    # the copy joined its original's story, and the documents re-linked are that story's
    stories = {s for (d, _i), s in linked.story_of.items() if d in linked.affected}
    assert all(d in linked.affected for (d, _i), s in linked.story_of.items() if s in stories)


def test_rebuild_fills_the_name_index_again_from_the_segment_cache(cli: Any,
                                                                   tmp_path: Path) -> None:
    docs, db = tmp_path / "docs", tmp_path / "t.db"
    shutil.copytree(FIXTURES / "company", docs)
    _run(cli, docs, db)
    before = sorted(rows(cli.db(db), "SELECT * FROM name_index"))
    with connect(cli.db(db)) as store:
        store.conn.execute("DELETE FROM name_index")
    code, _out, err = cli("--db", str(db), "rebuild")
    assert code == 0, err
    assert sorted(rows(cli.db(db), "SELECT * FROM name_index")) == before != []
