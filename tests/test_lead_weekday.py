"""Issue 19, linking undated documents: a weekday written next to a year-less date in a
report's lead ("во вторник, 17 ноября") is evidence for the year, so a report that shares
no dated event with its story is dated by it, within the story's time. The texts are
written for this test; no fixture is read."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

EN_BID = (" date 2031-03-04 Harlow Foods bids for Pemberly Dairies\n\n"
          "LONDON (Reuters) - Harlow Foods offered on Monday to buy Pemberly Dairies for 900 "
          "million pounds in cash, the companies said.\n")
EN_BOARD = (" date 2031-03-21 Pemberly board backs Harlow offer\n\n"
            "LONDON (Reuters) - The board of Pemberly Dairies on Thursday recommended the "
            "improved offer from Harlow Foods to its shareholders.\n")
RU_RAISE = ("Harlow Foods повысила предложение о покупке Pemberly Dairies\n\n"
            "Harlow Foods во вторник, 18 марта, повысила предложение о покупке Pemberly "
            "Dairies до 950 млн фунтов, говорится в сообщении компании.\n")


def _dates(cli: Any, src: Path) -> dict[str, tuple[str | None, str]]:
    assert cli("run", str(src))[0] == 0
    docs = json.loads(cli("show", "--all", "--format", "json")[1])["documents"]
    return {d["path"].rsplit("/", 1)[-1]: (d["date"], d.get("date_basis", "")) for d in docs}


def test_a_lead_weekday_dates_the_report_in_its_storys_year(cli: Any, tmp_path: Path) -> None:
    """18 March is a Tuesday in 2031 (and in no year next to it): the Russian report of the
    raised offer is dated that day, though no event of it is one its siblings date."""
    src = tmp_path / "docs"
    src.mkdir()
    for name, text in (("01_bid.txt", EN_BID), ("02_board.txt", EN_BOARD),
                       ("03_raise.txt", RU_RAISE)):
        (src / name).write_text(text, encoding="utf-8")
    assert _dates(cli, src)["03_raise.txt"][0] == "2031-03-18"


def test_a_weekday_that_fits_no_year_near_the_story_dates_nothing(cli: Any,
                                                                    tmp_path: Path) -> None:
    """"во вторник, 20 марта": 20 March is a Wednesday in 2030, a Thursday in 2031 and a
    Saturday in 2032; no year by the story's fits, so the report stays undated rather than
    guessed."""
    src = tmp_path / "docs"
    src.mkdir()
    (src / "01_bid.txt").write_text(EN_BID, encoding="utf-8")
    (src / "02_board.txt").write_text(EN_BOARD, encoding="utf-8")
    (src / "03_raise.txt").write_text(RU_RAISE.replace("18 марта", "20 марта"),
                                      encoding="utf-8")
    assert _dates(cli, src)["03_raise.txt"][0] is None
