"""The facts the log records: small frozen classes, one per kind of observation.

Every event has a `type` name and a schema `version` (class variables), a `stream` it is about,
and a deterministic `event_id` computed from its identity fields. Appending the same fact twice
therefore yields the same id, which the store turns into a no-op: idempotence comes for free.

Derived facts (timexes, mentions, dates, events of the timeline) are keyed: each has a `key`
naming the thing it describes and a `prev` field holding the event id of the assertion it
supersedes. Re-asserting a fact after it changed back is thus a *new* event, never a silent
no-op, and the projection keeps exactly the newest assertion per key.
"""

from __future__ import annotations

import functools
import hashlib
import json
import operator
import string
from collections.abc import Callable
from json.encoder import c_make_encoder, encode_basestring  # type: ignore[attr-defined]
from typing import Any, ClassVar

import attrs

REGISTRY: dict[str, type[Any]] = {}
UPCASTERS: dict[tuple[str, int], Callable[[dict[str, Any]], dict[str, Any]]] = {}


class EventError(Exception):
    """A log row that this version of timeline cannot read."""


def event(cls: type[Any]) -> type[Any]:
    """Register an event class so rows of its type can be read back."""
    REGISTRY[cls.type] = cls
    return cls


_ENCODER = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False)
_FIELDS: dict[type[Any], tuple[str, ...]] = {}
# The C encoder `_ENCODER.encode` builds afresh for every call, made once: the same bytes
# (same separators, key order, NaN spelling), at half the cost per payload, which an append
# pays once per event (store.Store.append). No circular-reference check: payloads are
# frozen records, never cyclic.
_C_ENCODE = None if c_make_encoder is None else c_make_encoder(
    None, _ENCODER.default, encode_basestring, None, _ENCODER.key_separator,
    _ENCODER.item_separator, True, False, True)


def canonical_json(data: Any) -> str:
    """One spelling per value, so equal payloads hash equally."""
    if _C_ENCODE is None:
        return _ENCODER.encode(data)
    return "".join(_C_ENCODE(data, 0))


def _field_names(cls: type[Any]) -> tuple[str, ...]:
    names = _FIELDS.get(cls)
    if names is None:
        names = _FIELDS[cls] = tuple(a.name for a in attrs.fields(cls))
    return names


@functools.cache
def _identity_is_payload(cls: type[Any]) -> bool:
    """When the identity fields are all the fields, the payload's canonical JSON is the
    identity blob: one encoding per event instead of two on the append path."""
    return cls.id_fields is None or set(cls.id_fields) == set(_field_names(cls))


def to_data(ev: Any) -> dict[str, Any]:
    return {n: getattr(ev, n) for n in _field_names(type(ev))}


def event_id(ev: Any, blob: str | None = None, data: dict[str, Any] | None = None) -> str:
    """sha256 of type, stream and the identity fields; `blob`/`data` are the canonical JSON
    and the payload when the caller has them already."""
    fields = None if _identity_is_payload(type(ev)) else ev.id_fields
    if fields is not None or blob is None:
        data = data if data is not None else to_data(ev)
        blob = canonical_json(data if fields is None else {k: data[k] for k in fields})
    key = f"{ev.type}\x1f{ev.stream}\x1f{blob}"
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def fact_key(ev: Any) -> str:
    """The key of a derived fact: its class's `key_format` over its fields. A format string,
    not code, so the projections can compile the same key to SQL for bulk replays."""
    fmt, get = _key_format(type(ev))
    return fmt.format(*get(ev))


@functools.cache
def _key_format(cls: type[Any]) -> tuple[str, Callable[[Any], tuple[Any, ...]]]:
    """The key format with its fields by position, and a getter of those fields: the same
    string as `format_map` over every field, without a dict of them for every key."""
    parts, names = [], []
    for literal, name, spec, conversion in string.Formatter().parse(cls.key_format):
        parts.append(literal.replace("{", "{{").replace("}", "}}"))
        if name is None:
            continue
        if name not in _field_names(cls):
            raise KeyError(name)
        parts.append("{" + str(len(names)) + (f"!{conversion}" if conversion else "")
                     + (f":{spec}" if spec else "") + "}")
        names.append(name)
    get = operator.attrgetter(*names) if names else (lambda _ev: ())
    one = len(names) == 1
    return "".join(parts), ((lambda ev: (get(ev),)) if one else get)


def from_data(type_: str, version: int, data: dict[str, Any], seq: int | None = None) -> Any:
    """Rebuild an event from a log row, upcasting old versions, refusing unknown ones."""
    where = f" at seq {seq}" if seq is not None else ""
    cls = REGISTRY.get(type_)
    if cls is None:
        raise EventError(f"unknown event type {type_!r}{where}; is this log from a newer timeline?")
    while version < cls.version:
        up = UPCASTERS.get((type_, version))
        if up is None:
            raise EventError(f"no upcaster for {type_} v{version}{where}")
        data, version = up(data), version + 1
    if version > cls.version:
        raise EventError(
            f"{type_} v{version}{where} is newer than this timeline understands (v{cls.version})"
        )
    try:
        return cls(**data)
    except TypeError as exc:
        raise EventError(f"malformed {type_} payload{where}: {exc}") from None


def _frozen(cls: type[Any]) -> type[Any]:
    return event(attrs.frozen(kw_only=True)(cls))


# ---------------------------------------------------------------- runs


@_frozen
class RunStarted:
    type: ClassVar[str] = "RunStarted"
    version: ClassVar[int] = 1
    id_fields: ClassVar[tuple[str, ...] | None] = None
    run_id: str
    started_at: str
    engine: str
    paths: list[str] = attrs.field(factory=list)

    @property
    def stream(self) -> str:
        return f"run:{self.run_id}"


@_frozen
class RunFinished:
    type: ClassVar[str] = "RunFinished"
    version: ClassVar[int] = 1
    id_fields: ClassVar[tuple[str, ...] | None] = None
    run_id: str
    finished_at: str
    counts: dict[str, int] = attrs.field(factory=dict)

    @property
    def stream(self) -> str:
        return f"run:{self.run_id}"


# ---------------------------------------------------------------- documents


@_frozen
class DocumentIngested:
    """A document's full decoded text; the log is the only copy the engine relies on."""

    type: ClassVar[str] = "DocumentIngested"
    version: ClassVar[int] = 1
    # Content alone identifies a document: the same text under another path is no news.
    id_fields: ClassVar[tuple[str, ...] | None] = ("document",)
    document: str  # sha256 of the normalized text
    path: str
    sha256: str  # of the raw bytes as read
    size: int
    encoding: str
    language: str
    language_basis: str  # detected | forced
    header: dict[str, str]
    title: str
    body_start: int  # offset of the body in `text`
    text: str

    @property
    def stream(self) -> str:
        return f"doc:{self.document}"


@_frozen
class DocumentRevised:
    """New content at a known path; the previous version stays in the log."""

    type: ClassVar[str] = "DocumentRevised"
    version: ClassVar[int] = 1
    id_fields: ClassVar[tuple[str, ...] | None] = ("document", "previous")
    document: str
    previous: str
    path: str
    sha256: str
    size: int
    encoding: str
    language: str
    language_basis: str
    header: dict[str, str]
    title: str
    body_start: int
    text: str

    @property
    def stream(self) -> str:
        return f"doc:{self.document}"


@_frozen
class DocumentRejected:
    type: ClassVar[str] = "DocumentRejected"
    version: ClassVar[int] = 1
    id_fields: ClassVar[tuple[str, ...] | None] = ("path", "reason", "sha256")
    path: str
    reason: str
    sha256: str | None = None

    @property
    def stream(self) -> str:
        return f"path:{self.path}"


@_frozen
class DocumentFailed:
    """A document our own code could not process: an unexpected exception, or more time
    than the per-document budget allows, in one stage. The rest of its batch lands; the
    same content is not tried again under the same engine (nor, when it was too slow,
    under a budget no larger), and a new engine version retries it."""

    type: ClassVar[str] = "DocumentFailed"
    version: ClassVar[int] = 1
    id_fields: ClassVar[tuple[str, ...] | None] = None
    path: str
    sha256: str | None  # of the raw bytes, when they were read
    document: str | None  # the document id, when parsing got that far
    stage: str  # parse | tag | segment | date | anchor | analyze | extract
    error: str  # the exception type, or "TooSlow"
    message: str  # short, one line
    engine: str
    budget: float | None = None  # seconds allowed, for a document that was too slow

    @property
    def reason(self) -> str:
        """The one line shown on stderr and kept in the rejections table."""
        if self.error == "TooSlow":
            return f"too slow: {self.message}"
        return f"internal error in {self.stage}: {self.error}: {self.message}"

    @property
    def stream(self) -> str:
        return f"path:{self.path}"


# ---------------------------------------------------------------- derived, keyed facts


@_frozen
class DocumentDated:
    """A document's date; `readings` (version 2) are the dates that competed, each with its
    votes and the contradictions it left (timeline.datecheck), the winner first."""

    type: ClassVar[str] = "DocumentDated"
    version: ClassVar[int] = 2
    id_fields: ClassVar[tuple[str, ...] | None] = None
    table: ClassVar[str] = "document_dates"
    document: str
    date: str | None
    basis: str  # header | inferred | unknown
    evidence: str | None
    confidence: float
    engine: str
    prev: str | None = None
    readings: list[dict[str, Any]] = attrs.field(factory=list)

    key_format: ClassVar[str] = "{document}"

    @property
    def key(self) -> str:
        return fact_key(self)

    @property
    def stream(self) -> str:
        return f"doc:{self.document}"


@_frozen
class TimexFound:
    type: ClassVar[str] = "TimexFound"
    version: ClassVar[int] = 1
    id_fields: ClassVar[tuple[str, ...] | None] = None
    table: ClassVar[str] = "timexes"
    document: str
    start: int
    end: int
    text: str
    timex_type: str
    value: str
    mod: str | None = None
    begin: str | None = None
    end_value: str | None = None
    anchor: str | None = None
    relation: dict[str, Any] | None = None
    dct: str | None = None
    engine: str = ""
    prev: str | None = None

    key_format: ClassVar[str] = "{document}:{start}:{end}"

    @property
    def key(self) -> str:
        return fact_key(self)

    @property
    def stream(self) -> str:
        return f"doc:{self.document}"


@_frozen
class MentionFound:
    """An event mention: a kind's trigger or any other eventive predicate (kind "")."""

    type: ClassVar[str] = "MentionFound"
    version: ClassVar[int] = 2
    id_fields: ClassVar[tuple[str, ...] | None] = None
    table: ClassVar[str] = "mentions"
    document: str
    start: int  # trigger span
    end: int
    trigger: str
    kind: str
    status: str  # occurred | planned | reported | negated | hypothetical
    sentence_start: int
    sentence_end: int
    quote: str
    block: int
    story: str
    time: dict[str, Any] | None = None
    participants: list[str] = attrs.field(factory=list)
    place: str | None = None
    attributes: dict[str, Any] = attrs.field(factory=dict)
    cues: list[dict[str, Any]] = attrs.field(factory=list)
    part: int = 0  # a second mention of the same trigger ("... in X and in Y": two visits)
    # v2: the kind as a label, or the lemma when no kind names it; TimeML attributes of the
    # predicate at its head ("" when the analysis does not cover its language)
    label: str = ""
    event_class: str = ""  # OCCURRENCE, REPORTING, STATE, I_ACTION, I_STATE, ASPECTUAL, ...
    tense: str = ""
    aspect: str = ""
    polarity: str = ""  # POS | NEG
    modality: str = ""  # the modal as written ("would", "podría", "может")
    pos: str = ""  # VERB | NOUN | ADJECTIVE
    lemma: str = ""
    engine: str = ""
    prev: str | None = None

    key_format: ClassVar[str] = "{document}:{start}:{end}:{part}"

    @property
    def key(self) -> str:
        return fact_key(self)

    @property
    def stream(self) -> str:
        return f"doc:{self.document}"


@_frozen
class EventFormed:
    type: ClassVar[str] = "EventFormed"
    version: ClassVar[int] = 3
    id_fields: ClassVar[tuple[str, ...] | None] = None
    table: ClassVar[str] = "events"
    event: str
    story: str
    kind: str
    title: str
    start: str | None
    end: str | None
    granularity: str | None
    status: str
    rank: int | None
    place: str | None
    participants: list[str]
    # document, quote, start, end; v2: lang, title if known; v3: no quote when it is the
    # sentence the offsets give, cut at QUOTE_CHARS (the document's text holds it: the
    # projection takes it from there), which was two thirds of the payload
    sources: list[dict[str, Any]]
    # v2: the kind or the lemma; TimeML class; salience (timeline.salience: shown when >= 3)
    label: str = ""
    event_class: str = ""
    salience: int = 0
    # what merging its documents rests on (timeline.evidence.agreement): the predicate, the
    # words, whether time and place agree, the participants several documents name; empty
    # when one document tells it (absent from records written before it existed)
    evidence: dict[str, Any] = attrs.field(factory=dict)
    # the running counts reports revise day by day (timeline.series): [{attribute, points:
    # [{date, value, documents}]}]; empty when there is none (absent from older records)
    series: list[dict[str, Any]] = attrs.field(factory=list)
    engine: str = ""
    prev: str | None = None

    key_format: ClassVar[str] = "{event}"

    @property
    def key(self) -> str:
        return fact_key(self)

    @property
    def stream(self) -> str:
        return f"event:{self.event}"


@_frozen
class OrderAsserted:
    type: ClassVar[str] = "OrderAsserted"
    version: ClassVar[int] = 1
    id_fields: ClassVar[tuple[str, ...] | None] = None
    table: ClassVar[str] = "constraints"
    before: str
    after: str
    cue: str
    document: str | None
    accepted: bool = True
    engine: str = ""
    prev: str | None = None

    key_format: ClassVar[str] = "{before}<{after}:{cue}:{document}"

    @property
    def key(self) -> str:
        return fact_key(self)

    @property
    def stream(self) -> str:
        return f"event:{self.before}"


@_frozen
class ConflictFound:
    type: ClassVar[str] = "ConflictFound"
    version: ClassVar[int] = 1
    id_fields: ClassVar[tuple[str, ...] | None] = None
    table: ClassVar[str] = "conflicts"
    event: str
    attribute: str
    values: list[dict[str, Any]]
    engine: str = ""
    prev: str | None = None

    key_format: ClassVar[str] = "{event}:{attribute}"

    @property
    def key(self) -> str:
        return fact_key(self)

    @property
    def stream(self) -> str:
        return f"event:{self.event}"


@_frozen
class EntityMentioned:
    """A name in a document and the entity it names (`entities.link`); `local` is the key
    of the name it stands for in its own document ("Kim" there: Kim Jong Un)."""

    type: ClassVar[str] = "EntityMentioned"
    version: ClassVar[int] = 1
    id_fields: ClassVar[tuple[str, ...] | None] = None
    table: ClassVar[str] = "entity_mentions"
    document: str
    start: int
    end: int
    text: str
    label: str  # PERSON | ORG | PLACE | OTHER
    language: str
    local: str
    entity: str
    engine: str = ""
    prev: str | None = None

    key_format: ClassVar[str] = "{document}:{start}:{end}"

    @property
    def key(self) -> str:
        return fact_key(self)

    @property
    def stream(self) -> str:
        return f"doc:{self.document}"


@_frozen
class EntitiesMentioned:
    """The names of one document and the entities they name, in one record. Until this
    record the log held an EntityMentioned per name, whose bytes were mostly its document
    id, engine and bookkeeping: a quarter of a run's records. Each name is
    [start, end, text, label, local, entity], as in EntityMentioned."""

    type: ClassVar[str] = "EntitiesMentioned"
    version: ClassVar[int] = 1
    id_fields: ClassVar[tuple[str, ...] | None] = None
    table: ClassVar[str] = "entity_mentions"
    document: str
    language: str
    names: list[list[Any]]
    engine: str = ""
    prev: str | None = None

    key_format: ClassVar[str] = "{document}"

    @property
    def key(self) -> str:
        return fact_key(self)

    @property
    def stream(self) -> str:
        return f"doc:{self.document}"


@_frozen
class EntityFound:
    """A person, organisation or place across the corpus, with every spelling it is named by."""

    type: ClassVar[str] = "EntityFound"
    version: ClassVar[int] = 1
    id_fields: ClassVar[tuple[str, ...] | None] = None
    table: ClassVar[str] = "entities"
    entity: str
    name: str
    entity_type: str
    aliases: list[str]
    mentions: int
    documents: int
    languages: list[str]
    engine: str = ""
    prev: str | None = None

    key_format: ClassVar[str] = "{entity}"

    @property
    def key(self) -> str:
        return fact_key(self)

    @property
    def stream(self) -> str:
        return f"entity:{self.entity}"


@_frozen
class EventsMerged:
    """Events that were apart are one now: `merged` lie in `event`, which kept its id
    (timeline.identity). `evidence` names the fields the merged events agreed on."""

    type: ClassVar[str] = "EventsMerged"
    version: ClassVar[int] = 1
    id_fields: ClassVar[tuple[str, ...] | None] = None
    event: str
    merged: list[str]
    story: str
    evidence: dict[str, Any] = attrs.field(factory=dict)
    engine: str = ""

    @property
    def stream(self) -> str:
        return f"event:{self.event}"


@_frozen
class EventSplit:
    """An event told as one is several now: `event` kept its id in one part, `into` are the
    parts that took new ids (timeline.identity)."""

    type: ClassVar[str] = "EventSplit"
    version: ClassVar[int] = 1
    id_fields: ClassVar[tuple[str, ...] | None] = None
    event: str
    into: list[str]
    story: str
    engine: str = ""

    @property
    def stream(self) -> str:
        return f"event:{self.event}"


@_frozen
class FactRetracted:
    """A derived fact that no longer holds (its document was revised, an event was re-merged)."""

    type: ClassVar[str] = "FactRetracted"
    version: ClassVar[int] = 1
    id_fields: ClassVar[tuple[str, ...] | None] = None
    fact_type: str
    key: str
    prev: str
    engine: str = ""

    @property
    def stream(self) -> str:
        return f"retract:{self.fact_type}"


# v1 mentions were all kinds' mentions; v1 events all kinds' events, every one shown
UPCASTERS[("MentionFound", 1)] = lambda d: {**d, "label": d.get("kind", "")}
# v1 dates kept no competing readings
UPCASTERS[("DocumentDated", 1)] = lambda d: {**d, "readings": []}
VISIBLE_V1 = 4  # timeline.salience.VISIBLE: what `show` lists
UPCASTERS[("EventFormed", 1)] = lambda d: {**d, "label": d.get("kind", ""),
                                           "salience": VISIBLE_V1}

# v2 sources all carry their quote, which v3 reads as it stands
UPCASTERS[("EventFormed", 2)] = lambda d: d
QUOTE_CHARS = 400  # a quote is its sentence up to this many characters (extract.mentions)


def sources_by_offsets(sources: list[dict[str, Any]], texts: dict[str, str]
                       ) -> list[dict[str, Any]]:
    """Sources without the quotes that their documents' texts give (EventFormed v3)."""
    out = []
    for s in sources:
        text = texts.get(s["document"])
        if text is not None and s.get("quote") == text[s["start"]:s["end"]][:QUOTE_CHARS]:
            s = {k: v for k, v in s.items() if k != "quote"}
        out.append(s)
    return out


KEYED: dict[str, type[Any]] = {
    cls.type: cls
    for cls in (DocumentDated, TimexFound, MentionFound, EventFormed, OrderAsserted, ConflictFound,
                EntityMentioned, EntitiesMentioned, EntityFound)
}


def comparable(data: dict[str, Any]) -> dict[str, Any]:
    """A keyed fact's payload without bookkeeping: what decides whether it changed."""
    return {k: v for k, v in data.items() if k not in ("engine", "prev")}
