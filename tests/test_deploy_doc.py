"""docs/deploy.md stays true to the code where it quotes it: the privileges it tells the
owner to grant are the ones `timeline.store.postgres.grants` gives for the installed schema
(a table added to the schema and not to the page would leave the writer refused on it)."""

from __future__ import annotations

import re

from tests.conftest import ROOT
from timeline.store.postgres import grants


def test_the_grants_on_the_page_are_the_codes() -> None:
    page = (ROOT / "docs" / "deploy.md").read_text(encoding="utf-8")
    blocks = [b for b in re.findall(r"```sql\n(.*?)```", page, re.S) if "GRANT" in b]
    assert len(blocks) == 1
    assert blocks[0].split() == grants("timeline_writer", "timeline_reader").split()
