"""Every value the engine stores is a real TIMEX3 value; impossible dates never raise."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from timeline import events as ev
from timeline import ingest, lexicon, pipeline
from timeline.temporal import tag
from timeline.temporal.values import coerce, day_exists, is_valid, parse_day

ROOT = Path(__file__).resolve().parents[1]

VALID = [
    ("2024", "DATE"), ("2024-02", "DATE"), ("2024-02-29", "DATE"), ("2024-W01", "DATE"),
    ("2020-W53", "DATE"), ("2024-W10-3", "DATE"), ("2024-W10-WE", "DATE"), ("2024-Q4", "DATE"),
    ("2024-H2", "DATE"), ("2024-SP", "DATE"), ("2024-SU", "DATE"), ("2024-FA", "DATE"),
    ("2024-WI", "DATE"), ("199", "DATE"), ("19", "DATE"), ("XXXX", "DATE"),
    ("XXXX-04-30", "DATE"), ("XXXX-02-29", "DATE"), ("XXXX-XX-XX", "DATE"),
    ("XXXX-WXX", "DATE"), ("XXXX-WXX-3", "DATE"), ("XXXX-WXX-WE", "DATE"),
    ("XXXX-QX", "DATE"), ("XXXX-Q2", "DATE"), ("XXXX-H1", "DATE"), ("XXXX-SU", "DATE"),
    ("2024-WXX", "DATE"), ("PRESENT_REF", "DATE"), ("PAST_REF", "DATE"),
    ("FUTURE_REF", "TIME"), ("2024-03-10T10:30", "TIME"), ("2024-03-10T24:00", "TIME"),
    ("2023-09-14T14:58Z", "TIME"),
    ("2024-03-10T10:30:15", "TIME"), ("2024-03-10T10", "TIME"), ("2024-03-10TMO", "TIME"),
    ("2024-03-10TAF", "TIME"), ("2024-03-10TEV", "TIME"), ("2024-03-10TNI", "TIME"),
    ("XXXX-XX-XXT22:00", "TIME"), ("XXXX-WXX-5TNI", "TIME"), ("P3D", "DURATION"),
    ("P1Y6M", "DURATION"), ("PT5H30M", "DURATION"), ("P2DT12H", "DURATION"),
    ("PXY", "DURATION"), ("PXD", "DURATION"), ("PXH", "DURATION"), ("PXDE", "DURATION"),
    ("P1Q", "DURATION"), ("P1.5Y", "DURATION"), ("PT1M30S", "DURATION"), ("P1W", "SET"),
    ("XXXX-WXX-1", "SET"), ("XXXX-XX-XXTMO", "SET"), ("XXXX-07", "SET"), ("P1D", None),
]

INVALID = [
    ("", None), ("2024-02-30", "DATE"), ("2023-02-29", "DATE"), ("2019-04-31", "DATE"),
    ("XXXX-04-31", "DATE"), ("XXXX-02-30", "DATE"), ("2019-13", "DATE"), ("2019-00", "DATE"),
    ("2019-01-00", "DATE"), ("0000", "DATE"), ("2021-W53", "DATE"), ("2024-W00", "DATE"),
    ("2024-Q5", "DATE"), ("2024-H3", "DATE"), ("2024-AU", "DATE"),
    ("2024-03-10T25:00", "TIME"), ("2024-03-10T24:30", "TIME"), ("2024-03-10T10:60", "TIME"),
    ("2024-03-10TXX", "TIME"), ("2024-02-30T10:00", "TIME"), ("2024-04T22:00", "TIME"),
    ("2024-03-10", "TIME"), ("P3D", "DATE"), ("2024", "DURATION"), ("P", "DURATION"),
    ("PT", "DURATION"), ("P3", "DURATION"), ("P3DT", "DURATION"), ("PDY", "DURATION"),
    ("2024-03-10\"><script>", "DATE"), ("yesterday", "DATE"), ("PRESENT_REF", "DURATION"),
    ("2024-02-30", None), ("2024", "FOO"),
]


@pytest.mark.parametrize(("value", "type_"), VALID)
def test_valid_values(value: str, type_: str | None) -> None:
    assert is_valid(value, type_)


@pytest.mark.parametrize(("value", "type_"), INVALID)
def test_invalid_values(value: str, type_: str | None) -> None:
    assert not is_valid(value, type_)


@pytest.mark.parametrize(("value", "type_", "want"), [
    ("2024-02-30", "DATE", ("DATE", "2024-02")),
    ("2024-02-30T10:00", "TIME", ("DATE", "2024-02")),
    ("2019-13", "DATE", ("DATE", "2019")),
    ("2019-04-31", None, ("DATE", "2019-04")),
    ("2024-03-10T25:00", "TIME", ("DATE", "2024-03-10")),
    ("2024-03-10", "DATE", ("DATE", "2024-03-10")),
    ("PXH", None, ("DURATION", "PXH")),
    ("P3X", "DURATION", None),
    ("yesterday", "DATE", None),
    ("", "DATE", None),
    ("2024-03-10", "DURATION", None),
])
def test_coerce_keeps_the_valid_part(value: str, type_: str | None,
                                     want: tuple[str, str] | None) -> None:
    assert coerce(value, type_) == want


def test_day_exists_and_parse_day() -> None:
    assert day_exists(None, 2, 29) and not day_exists(None, 4, 31)
    assert day_exists(2024, 2, 29) and not day_exists(2023, 2, 29)
    assert parse_day("2023-09-14") == dt.date(2023, 9, 14)
    for bad in ("2023-02-30", "yesterday", "2023-09-14<x>", "2023-9-14", "", None):
        assert parse_day(bad) is None


# ------------------------------------------------------------------ impossible dates


@pytest.mark.parametrize(("lang", "text", "span"), [
    ("en", "They met on April 31, officials said.", "April 31"),
    ("en", "The talks collapsed on June 31.", "June 31"),
    ("en", "He left on September 31.", "September 31"),
    ("en", "She resigned on November 31.", "November 31"),
    ("en", "The vote was held on February 30.", "February 30"),
    ("es", "Se reunieron el 31 de abril en Madrid.", "el 31 de abril"),
    ("es", "La huelga terminó el 31 de junio.", "el 31 de junio"),
    ("ru", "Они встретились 31 апреля в Москве.", "31 апреля"),
    ("ru", "Забастовка закончилась 31 сентября.", "31 сентября"),
])
@pytest.mark.parametrize("dct", ["2024-03-10", "2023-06-01", "2023-12-31", None])
def test_year_less_impossible_day_is_the_month(lang: str, text: str, span: str,
                                               dct: str | None) -> None:
    found = tag(text, dct, lang)
    hit = [t for t in found if t.text == span]
    assert len(hit) == 1, found
    assert hit[0].type == "DATE"
    assert len(hit[0].value) == 7 and hit[0].value.endswith(hit[0].value[5:7])
    assert (hit[0].value[:4] == "XXXX") == (dct is None)
    assert all(is_valid(t.value, t.type) for t in found)


@pytest.mark.parametrize(("lang", "text", "want"), [
    ("en", "On February 30, 2024 it rained.", "2024-02"),
    ("en", "On 2019-04-31 it rained.", "2019-04"),
    ("en", "On 31.04.2019 it rained.", "2019-04"),
    ("en", "On February 29, 2023 it rained.", "2023-02"),
    ("es", "El 30 de febrero de 2024 llovió.", "2024-02"),
    ("ru", "31.04.2019 шел дождь.", "2019-04"),
    ("ru", "30 февраля 2024 года шел дождь.", "2024-02"),
])
def test_impossible_day_with_a_year_is_the_month(lang: str, text: str, want: str) -> None:
    for dct in ("2024-03-10", None):
        values = [t.value for t in tag(text, dct, lang)]
        assert want in values, values


def test_a_leap_day_goes_to_a_leap_year() -> None:
    # written in a common year, "February 29" is the leap day on the tense's side
    assert [t.value for t in tag("He was born on February 29.", "2025-01-10")] == ["2024-02-29"]
    got = [t.value for t in tag("The vote will be on February 29.", "2026-12-01")]
    assert got == ["2028-02-29"]


def test_an_impossible_day_lends_no_day_to_a_clock_time() -> None:
    found = tag("The talks ended on April 31 at 10 p.m.", None)
    assert [(t.text, t.value) for t in found] == [("April 31", "XXXX-04"),
                                                  ("10 p.m.", "XXXX-XX-XXT22:00")]


def test_an_invalid_reference_date_anchors_nothing() -> None:
    assert tag("They met on Monday.", "2023-02-30") == tag("They met on Monday.", None)


# ------------------------------------------------------------------ every value we produce


def _resource_examples() -> list[tuple[str, str, str | None]]:
    out = []
    for lang in lexicon.languages():
        for entries in lexicon.temporal(lang).values():
            if not isinstance(entries, list):
                continue
            for entry in entries:
                if isinstance(entry, dict):
                    out.extend((lang, ex["text"], ex.get("ref"))
                               for ex in entry.get("examples", []))
    return out


def test_every_resource_example_and_fixture_value_is_valid() -> None:
    cases = [(lang, text, ref) for lang, text, ref in _resource_examples()]
    cases += [(lang, text, None) for lang, text, _ in _resource_examples()]
    for path in sorted((ROOT / "fixtures").rglob("*.*")):
        p = ingest.parse(str(path), path.read_bytes())
        cases += [(p.language, p.text, p.header.get("date")), (p.language, p.text, None)]
    assert len(cases) > 900
    bad = []
    for lang, text, ref in cases:
        for t in tag(text, ref, lang):
            if not is_valid(t.value, t.type):
                bad.append((text[:40], t.type, t.value))
            bad += [(text[:40], "bound", v) for v in (t.begin, t.end_value)
                    if v is not None and not is_valid(v)]
    assert not bad


# ------------------------------------------------------------------ the fact boundary


def _doc(text: str, lang: str = "en", date: str | None = "2024-06-01") -> pipeline.Doc:
    header = {"date": date} if date else {}
    return pipeline.Doc(f"doc-{abs(hash(text))}", "a.txt", lang, header, text, 0)


def test_timex_facts_store_impossible_dates_as_months() -> None:
    facts = pipeline.timex_facts(_doc("They met on April 31 and on February 30, 2024."),
                                 "2024-06-01", "e")
    assert [(f.text, f.value) for f in facts] == [("April 31", "2024-04"),
                                                  ("February 30, 2024", "2024-02")]


def test_valid_timex_coerces_or_drops() -> None:
    base: dict[str, Any] = {"start": 0, "end": 3, "text": "x", "mod": None, "anchor": None,
                            "relation": None}
    got = pipeline.valid_timex({**base, "timex_type": "TIME", "value": "2024-02-30T10:00",
                                "begin": "2024-02-28", "end_value": "2024-02-30"})
    assert got is not None
    assert (got["timex_type"], got["value"], got["begin"], got["end_value"]) == \
        ("DATE", "2024-02", "2024-02-28", "2024-02")
    assert pipeline.valid_timex({**base, "timex_type": "DATE", "value": "soon",
                                 "begin": None, "end_value": None}) is None
    ok = {**base, "timex_type": "DATE", "value": "2024-02-29", "begin": None,
          "end_value": None}
    assert pipeline.valid_timex(ok) is ok


def test_reconstruction_of_impossible_dates_stores_valid_values() -> None:
    docs = [_doc("Officials said the two leaders met on April 31 in Geneva. The summit "
                 "ended on June 31 and talks resumed on 2019-04-31.", date="2024-07-02"),
            _doc("Se reunieron el 31 de abril en Madrid, dijo el ministro.", "es", None),
            _doc("Они встретились 31 апреля в Москве, сообщил министр.", "ru", "2024-05-05")]
    timexes = {d.id: [ev.to_data(f) for f in
                      pipeline.timex_facts(d, pipeline.header_date(d), "e")] for d in docs}
    r = pipeline.reconstruct(docs, timexes)
    facts = pipeline.reconstruction_facts(r, "e")
    for t in facts["TimexFound"]:
        assert is_valid(t.value, t.timex_type)
    for m in facts["MentionFound"]:
        if m.time:
            assert is_valid(m.time["value"], m.time["type"]), m.time
    for e in facts["EventFormed"]:
        assert e.start is None or is_valid(e.start)
        assert e.end is None or is_valid(e.end)
    assert any(t.value == "2024-04" for t in facts["TimexFound"])


# ------------------------------------------------------------------ exports are total


MALFORMED = ["2024-02-30", "2019-13", "", "XXXX-XX-XX", "2024-01-31T24:00",
             "2024-12-31T24:00", "9999-12-31T24:00", "9999-12-31", "9999-12", "0000-01-01",
             "2024-03T10:00", "2024-03-10T25:61", "2019-04-31T10:00", "garbage", None]
EVERY_VALUE = [v for v, _ in VALID] + [v for v, _ in INVALID] + MALFORMED


def _snap(values: list[Any]) -> dict[str, Any]:
    doc = {"id": "d1", "path": "a.txt", "title": "A", "language": "en", "date": "2024-03-10",
           "date_basis": "header", "date_evidence": None}
    events = []
    for i, v in enumerate(values):
        end = values[(i * 7 + 3) % len(values)]  # every value is an end too, in odd pairs
        events.append({"id": f"ev-{i:03d}", "story": "s1", "kind": "meeting",
                       "title": f"Meeting {i}", "start": v, "end": end,
                       "granularity": None, "status": "planned" if i % 2 else "occurred",
                       "rank": i, "place": "Geneva" if i % 3 else None,
                       "participants": ["Kim"],
                       "sources": [{"document": "d1", "quote": "They met.", "start": 0,
                                    "end": 9}]})
    return {"documents": [doc], "events": events, "conflicts": [], "constraints": []}


def test_every_value_through_every_exporter() -> None:
    import json
    import xml.etree.ElementTree as ET

    from icalendar import Calendar

    from timeline import export, render

    snap = _snap(EVERY_VALUE)
    n = len(snap["events"])
    assert json.loads(render.to_json(snap))["events"][0]["start"] == EVERY_VALUE[0]
    assert export.to_csv(snap).count("ev-") == n
    text, skipped = export.to_timesketch(snap)
    lines = [json.loads(x) for x in text.splitlines()]
    placed = {x["event_id"] for x in lines}
    assert placed.isdisjoint(skipped) and len(placed) + len(skipped) == n
    for x in lines:  # floating unless the value gives a zone ("...T10:33Z")
        zoned = dt.datetime.fromisoformat(x["datetime"]).tzinfo is not None
        assert zoned == x["timex_value"].endswith("Z")
        assert (x["time_zone"] == "UTC") if zoned else x["time_zone"] == export.FLOATING
        assert x["interval_start"] <= x["interval_end"]
    text, skipped = export.to_timelinejs(snap)
    tl = json.loads(text)["events"]
    assert len(tl) + len(skipped) == n
    for item in tl:
        d = item["start_date"]
        dt.date(int(d["year"]), int(d.get("month", 1)), int(d.get("day", 1)))  # a real date
    ics, skipped = export.to_ics(snap, "2024-03-10T12:00:00+00:00")
    vevents = list(Calendar.from_ical(ics).walk("VEVENT"))
    assert len(vevents) + len(skipped) == n
    for ve in vevents:
        if "DTEND" in ve:
            assert ve["DTEND"].dt > ve["DTSTART"].dt
    for date in EVERY_VALUE:
        timexes = [{"start": 0, "end": 4, "text": "They", "type": t, "value": v, "mod": m}
                   for v in EVERY_VALUE for t, m in (("DATE", None), ("TIME", "START"),
                                                     ("DURATION", 'x"><y'), ("SET", None))]
        doc = {"id": "d1", "text": "They met on April 31.", "date": date}
        root = ET.fromstring(export.to_timeml(doc, timexes, [{"start": 5, "end": 8,
                                                               "kind": "meeting"}]))
        for tx in root.iter("TIMEX3"):
            assert is_valid(tx.get("value"), tx.get("type")), tx.attrib


@pytest.mark.parametrize(("value", "when"), [
    ("2024-02-30", "2024-02-01T00:00:00"),
    ("2019-13", "2019-01-01T00:00:00"),
    ("2024-02-29T24:00", "2024-03-01T00:00:00"),
    ("9999-12-31T24:00", "9999-12-31T00:00:00"),
    ("2024-03-10T25:00", "2024-03-10T00:00:00"),
    ("2024-W10", "2024-03-04T00:00:00"),  # the week's Monday, not the year
])
def test_an_unplaceable_value_is_carried_as_its_valid_part(value: str, when: str) -> None:
    from icalendar import Calendar

    from timeline import export

    snap = _snap([value])
    text, skipped = export.to_timesketch(snap)
    assert not skipped and text.count(f'"datetime": "{when}"') == 2  # the event, its source
    ics, skipped = export.to_ics(snap, "2024-03-10T12:00:00+00:00")
    (ve,) = Calendar.from_ical(ics).walk("VEVENT")
    assert not skipped and ve["DTSTART"].dt.isoformat()[:10] == when[:10]


@pytest.mark.parametrize("value", ["", None, "garbage", "XXXX-XX-XX", "0000-01-01", "PXD"])
def test_a_value_without_a_year_is_skipped_not_raised(value: str | None) -> None:
    from timeline import export

    snap = _snap([value])
    for out in (export.to_timesketch(snap), export.to_timelinejs(snap),
                export.to_ics(snap, "2024-03-10T12:00:00+00:00")):
        assert out[1] == ["ev-000"]


# ------------------------------------------------------------------ tag --dct


@pytest.mark.parametrize("dct", ["2023-02-30", "yesterday", "2023-09-14<x>",
                                 '2023-09-14"><script>alert(1)</script>', "2023-9-14", "",
                                 "2023-09-14\x1b]8;;http://x\x07\n2023-09-15"])
def test_tag_refuses_a_dct_that_is_not_a_real_date(cli: Any, tmp_path: Path, dct: str) -> None:
    f = tmp_path / "a.txt"
    f.write_text("They met on Monday.\n", encoding="utf-8")
    code, out, err = cli("tag", "--format", "timeml", "--dct", dct, str(f))
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and "--dct" in err and "\x1b" not in err


def test_tag_timeml_carries_only_the_date(cli: Any, tmp_path: Path) -> None:
    import xml.etree.ElementTree as ET

    f = tmp_path / "a.txt"
    f.write_text("They met on Monday and again on April 31.\n", encoding="utf-8")
    code, out, _ = cli("tag", "--format", "timeml", "--dct", "2023-09-14", str(f))
    assert code == 0
    root = ET.fromstring(out)
    dct = root.find("DCT/TIMEX3")
    assert dct is not None and dct.get("value") == "2023-09-14" and dct.text == "2023-09-14"
    assert [(t.text, t.get("value")) for t in root.iter("TIMEX3")][1:] == [
        ("Monday", "2023-09-11"), ("April 31", "2023-04")]


def test_tag_takes_no_impossible_timeml_dct(cli: Any, tmp_path: Path) -> None:
    bad = tmp_path / "bad.tml"
    bad.write_text('<TimeML><DCT><TIMEX3 tid="t0" type="DATE" value="2019-02-30">x</TIMEX3>'
                   "</DCT><TEXT>They met on Monday.</TEXT></TimeML>", encoding="utf-8")
    good = tmp_path / "good.txt"
    good.write_text("date 2023-09-14\n\nThey met on Monday.\n", encoding="utf-8")
    code, out, err = cli("tag", str(bad), str(good))
    # TimeML's DCT is checked as the header is: an impossible one dates nothing
    assert code == 0, err
    got = [(Path(x["file"]).name, x["value"]) for x in map(json.loads, out.splitlines())]
    assert ("bad.tml", "XXXX-WXX-1") in got and ("good.txt", "2023-09-11") in got
    assert not any(v.startswith("2019") for _, v in got)


def test_reconstruction_reads_no_invalid_value_an_older_engine_stored() -> None:
    doc = _doc("The deal was signed on February 30, 2024 in Paris, officials said.",
               date="2024-05-02")
    stored = [{**ev.to_data(f), "value": "2024-02-30", "relation": None}
              for f in pipeline.timex_facts(doc, "2024-05-02", "old")]
    assert stored
    facts = pipeline.reconstruction_facts(pipeline.reconstruct([doc], {doc.id: stored}), "e")
    assert [t.value for t in facts["TimexFound"]] == ["2024-02"]
    assert all(e.start is None or is_valid(e.start) for e in facts["EventFormed"])
