"""Decoding, headers, HTML and language: pure functions over bytes."""

from __future__ import annotations

import codecs

import pytest

from timeline import ingest
from timeline.lexicon import detect_language


def test_header_on_the_same_line_as_the_text() -> None:
    p = ingest.parse("a.txt", b" date 2023-09-14 Russian President met Kim.\n\nMore text.")
    assert p.header == {"date": "2023-09-14"}
    assert p.text[p.body_start:].startswith("Russian President")
    assert p.title == "Russian President met Kim."


@pytest.mark.parametrize("head", ["Date: 2023-09-14", "date: 2023-09-14", "DATE 2023-09-14",
                                  "date 14.09.2023", "Date: 14 September 2023"])
def test_header_forms(head: str) -> None:
    p = ingest.parse("a.txt", f"{head}\ntitle: A title\nBody text here.".encode())
    assert p.header["date"] == "2023-09-14"
    assert p.header["title"] == "A title"
    assert p.title == "A title"
    assert p.text[p.body_start:] == "Body text here."


def test_date_line_under_the_headline() -> None:
    p = ingest.parse("a.txt", b"Milei wins runoff\n date 2023-11-20\n\nJavier Milei won on Sunday.")
    assert p.header == {"date": "2023-11-20"}
    assert p.title == "Milei wins runoff"  # the headline stays the content's first line
    assert p.text[p.body_start:].startswith("Milei wins runoff")
    # a sentence that mentions a date is no header, nor is a date line deep in the text
    prose = ingest.parse("b.txt", b"Headline\n\nThe date 2023-11-20 was set.\nMore.")
    assert "date" not in prose.header
    deep = ingest.parse("c.txt", b"a\nb\nc\nd\ne\nf\n date 2023-11-20\n")
    assert "date" not in deep.header


@pytest.mark.parametrize(("raw", "problem"), [
    (b"", "empty"),
    (b"   \n\n ", "empty"),
    (b"\x00\x01\x02binary\x00", "binary"),
    (b" date 2023-13-45 text", "not a real date"),
    (b" date 9999-01-01 text", "out of range"),
    (bytes(range(128, 256)) * 4, "undecodable"),
])
def test_bad_input_is_rejected_with_a_reason(raw: bytes, problem: str) -> None:
    with pytest.raises(ingest.IngestError, match=problem):
        ingest.parse("x.txt", raw)


def test_size_limit() -> None:
    with pytest.raises(ingest.IngestError, match="too large"):
        ingest.parse("x.txt", b"a" * 101, max_bytes=100)


def test_encodings_decode_to_the_same_document() -> None:
    text = "Путин и Ким провели переговоры в среду.\n"
    utf8 = ingest.parse("a.txt", text.encode("utf-8"))
    utf16 = ingest.parse("b.txt", codecs.BOM_UTF16_LE + text.encode("utf-16-le"))
    cp1251 = ingest.parse("c.txt", text.encode("cp1251"))
    crlf = ingest.parse("d.txt", text.replace("\n", "\r\n").encode("utf-8"))
    assert utf8.document == utf16.document == cp1251.document == crlf.document
    assert cp1251.warning and "cp1251" in cp1251.warning
    assert utf8.warning is None
    assert {utf8.language, cp1251.language} == {"ru"}


def test_html_is_stripped_and_meta_date_read() -> None:
    page = (b"<html><head><title>Summit</title><meta property='article:published_time' "
            b"content='2023-09-14T08:00:00Z'><script>var x = '2019';</script></head><body>"
            + b"<div>" * 3000 + b"<p>Leaders met on Wednesday.</p>" + b"</div>" * 3000
            + b"</body></html>")
    p = ingest.parse("page.html", page)
    assert p.header["date"] == "2023-09-14T08:00"
    assert p.title == "Summit"
    assert "Leaders met on Wednesday." in p.text
    assert "var x" not in p.text and "<p>" not in p.text


@pytest.mark.parametrize(("text", "lang"), [
    ("The two leaders met on Wednesday and they talked about the war.", "en"),
    ("Los dos líderes se reunieron el miércoles y hablaron de la guerra.", "es"),
    ("Два лидера встретились в среду и обсудили ситуацию в регионе.", "ru"),
    ("12345 67890", "und"),
    # languages we only tell apart, so that dateparser, not a grammar of ours, reads them
    ("Le nouveau pont a été inauguré vendredi matin par la maire, après quatre ans de travaux.",
     "fr"),
    ("Die Bürgermeisterin hat am Freitag die neue Brücke eröffnet und den Verkehr freigegeben.",
     "de"),
    ("Il presidente della Repubblica ha detto che il governo non ha ancora deciso sulla data.",
     "it"),
    ("O presidente disse que o governo vai investir mais em educação e saúde no próximo ano.",
     "pt"),
    ("Президент України заявив, що Україна отримала нову допомогу від партнерів, і це важливо.",
     "uk"),
])
def test_language_detection(text: str, lang: str) -> None:
    assert detect_language(text) == lang


def test_forced_language() -> None:
    p = ingest.parse("a.txt", b"The leaders met.", lang="es")
    assert (p.language, p.language_basis) == ("es", "forced")


def test_timeml_input_is_read_as_tempeval_systems_see_it() -> None:
    tml = (b'<?xml version="1.0" ?>\n<TimeML>\n<DOCID>X1</DOCID>\n<DCT><TIMEX3 tid="t0" '
           b'type="DATE" value="1998-08-07" functionInDocument="CREATION_TIME">08/07/98'
           b'</TIMEX3></DCT>\n<TITLE>Bombs &amp; embassies</TITLE>\n<TEXT>\nBombs exploded '
           b'<TIMEX3 tid="t1" type="DATE" value="1998-08-07">Friday</TIMEX3>, '
           b'<EVENT eid="e1">killing</EVENT> dozens.\n</TEXT>\n</TimeML>\n')
    p = ingest.parse("doc.tml", tml)
    assert p.header["date"] == "1998-08-07"
    assert p.title == "Bombs & embassies"
    assert p.text.strip() == "Bombs exploded Friday, killing dozens."
