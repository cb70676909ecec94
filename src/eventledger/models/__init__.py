"""The domain records of the ledger: pure data, no I/O.

Every record that is published carries `evidence`: a list of spans into the
cleaned text of one document. `Evidence.text == document.text[start:end]`
always holds; `Evidence.of(...)` is the one way stages build them.
"""

from __future__ import annotations

import copy
import dataclasses
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "Actor",
    "Article",
    "Claim",
    "Evidence",
    "Event",
    "Figure",
    "FigureValue",
    "Incident",
    "IncidentFigure",
    "Place",
    "Removed",
    "Speaker",
    "When",
    "to_dict",
]


def to_dict(record: Any) -> dict[str, Any]:
    """A record as plain JSON-ready data (nested records become dicts).

    The same result as `dataclasses.asdict`, several times faster: asdict
    deep-copies every leaf value, and records are encoded on the ingest path
    (each stored record, each incident saved after a merge).
    """
    return _record(record)


# Field names per record class, read once.
_FIELD_NAMES: dict[type, tuple[str, ...]] = {}
_LEAVES = frozenset({str, int, float, bool, type(None)})


def _record(record: Any) -> dict[str, Any]:
    cls = type(record)
    names = _FIELD_NAMES.get(cls)
    if names is None:
        names = _FIELD_NAMES[cls] = tuple(f.name for f in dataclasses.fields(cls))
    return {name: _plain(getattr(record, name)) for name in names}


def _plain(value: Any) -> Any:
    kind = type(value)
    if kind in _LEAVES:
        return value
    if kind is list:
        return [_plain(v) for v in value]
    if kind is dict:
        return {k: _plain(v) for k, v in value.items()}
    if kind is tuple:
        return tuple(_plain(v) for v in value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return _record(value)
    return copy.deepcopy(value)  # anything else: as asdict does


@dataclass(frozen=True, slots=True)
class Evidence:
    """A span of a document's cleaned text that supports a field."""

    document_id: str
    start: int
    end: int
    text: str

    @classmethod
    def of(cls, document_id: str, text: str, start: int, end: int) -> Evidence:
        """Cut the evidence out of `text` so that its text always matches the offsets."""
        if not 0 <= start <= end <= len(text):
            raise ValueError(f"evidence span {start}:{end} outside text of length {len(text)}")
        return cls(document_id, start, end, text[start:end])


@dataclass(slots=True)
class Removed:
    """A line that cleaning took out of the body, and why."""

    text: str
    reason: str
    line: int  # 1-based line number in the text before cleaning


@dataclass(slots=True)
class Article:
    """One revision of one news report: metadata plus the cleaned text."""

    id: str  # unique per revision; what every record's `document_id` names
    key: str  # identity of the article across revisions (given id, url or content hash)
    text: str
    revision: int = 1
    url: str | None = None
    title: str | None = None
    outlet: str | None = None
    published: str | None = None  # ISO 8601 date or date-time, as given
    published_source: str | None = None  # metadata | dateline | flag | None
    language: str | None = None
    removed: list[Removed] = field(default_factory=list)
    source: str | None = None  # file (and line/record) it came from
    text_hash: str = ""
    encoding: str | None = None  # how its bytes were decoded; None when it came as text
    encoding_confidence: float | None = None  # 1.0 for UTF-8, lower for a guessed encoding


@dataclass(slots=True)
class Speaker:
    name: str
    normalized: str | None = None
    type: str = "unknown"  # government, military, health_authority, un_agency, ngo, ...
    role: str | None = None
    affiliation: str | None = None
    evidence: list[Evidence] = field(default_factory=list)


@dataclass(slots=True)
class Claim:
    """Who said what: speaker, cue, stance and content, each with evidence."""

    id: str
    document_id: str
    speaker: Speaker | None
    cue: str
    stance: str  # assert, deny, accuse, vow, warn, urge, confirm, estimate, report
    content: str
    direct: bool
    evidence: list[Evidence] = field(default_factory=list)
    cue_evidence: Evidence | None = None
    content_evidence: Evidence | None = None
    # The whole source noun phrase ("Len Burman, head of the Tax Policy
    # Center"), where speaker.evidence[0] is the tight mention.
    source_evidence: Evidence | None = None
    channel: str | None = None  # media outlet credited ("told AP"), not the speaker
    denies: str | None = None  # id of the claim this one denies


@dataclass(slots=True)
class Figure:
    """A count of people (or things) with its kind, group, scope and claimant."""

    id: str
    document_id: str
    kind: str  # killed, injured, missing, hostages, detained, displaced, trapped, present, other
    group: str | None
    min: float | None
    max: float | None  # None: no upper bound ("at least 12")
    approximate: bool
    text: str
    scope: str = "incident"  # incident | cumulative
    as_of: str | None = None
    best: float | None = None  # the single value ACLED's codebook would record
    claimant: dict[str, Any] | None = None  # {"name", "type"} or None: never a guess
    claim_id: str | None = None
    event_id: str | None = None
    # Id of the total this figure is a subgroup of ("including three
    # paramedics", "five of them children"); a subgroup is never a total.
    part_of: str | None = None
    evidence: list[Evidence] = field(default_factory=list)


@dataclass(slots=True)
class When:
    """A resolved date range with honest precision."""

    start: str | None  # ISO date
    end: str | None
    precision: str | None  # day, week, month, year; None when unresolved
    text: str
    rule: str
    reason: str | None = None  # why it could not be resolved
    attachment: str | None = None  # sentence | context: where the event found it
    evidence: list[Evidence] = field(default_factory=list)


@dataclass(slots=True)
class Place:
    """A place (and facility) with coordinates and a precision code.

    `precision` is UCDP's where_prec (1 exact location ... 7 country or
    worse); `geo_precision` is ACLED's 1-3 derived from it. Unresolved places
    keep lat/lon null and say why in `reason`.
    """

    name: str | None
    facility: str | None = None
    lat: float | None = None
    lon: float | None = None
    admin1: str | None = None
    country: str | None = None
    precision: int | None = None
    geo_precision: int | None = None
    geonames_id: int | None = None
    reason: str | None = None
    attachment: str | None = None  # sentence | context: where the event found it
    evidence: list[Evidence] = field(default_factory=list)


@dataclass(slots=True)
class Actor:
    role: str  # perpetrator, target, victim, facility, weapon
    name: str
    normalized: str | None = None
    type: str | None = None
    evidence: list[Evidence] = field(default_factory=list)
    # What found it: None for the rules (the event's own clause or sentence);
    # "model" when the trained argument stage (events.roles_model.v1/v2) found it
    # anywhere in the report and the rules did not; "rules+model" for the rules'
    # own that the model confirmed.
    source: str | None = None
    # A perpetrator the report names only as accused ("the army blamed the RSF
    # for the attack"), with who accuses it as written (None: the report does
    # not say, "the attack was blamed on the RSF").
    alleged: bool = False
    claimant: str | None = None

    @property
    def model_only(self) -> bool:
        """Whether only the trained argument stage found it: the stages after that one
        (health-care coding, incident linking) leave it aside, so that adding
        arguments changes none of their decisions."""
        return self.source == "model"


@dataclass(slots=True)
class Event:
    id: str
    document_id: str
    type: str  # ACLED event type
    subtype: str | None
    trigger: str
    factuality: str = "asserted"  # asserted, negated, hypothetical, future, historical
    health_care: dict[str, Any] | None = None
    plover: dict[str, Any] | None = None
    date: When | None = None
    place: Place | None = None
    actors: list[Actor] = field(default_factory=list)
    figure_ids: list[str] = field(default_factory=list)
    claim_ids: list[str] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)


@dataclass(slots=True)
class FigureValue:
    min: float | None
    max: float | None
    claimant: dict[str, Any] | None
    document_id: str
    figure_id: str
    best: float | None = None  # the report's own point value ("dozens": 12), for `best`
    part_of: str | None = None  # the figure's `part_of`: id of the total it is a subgroup of
    # Id of the same claimant's later statement that replaces this one; kept, not counted.
    superseded_by: str | None = None


@dataclass(slots=True)
class IncidentFigure:
    kind: str
    group: str | None
    values: list[FigureValue]
    low: float | None
    best: float | None
    high: float | None
    disagreement: bool
    # True when every value is a subgroup of a total ("including three
    # paramedics"): shown under its kind's totals, never the incident's total.
    subgroup: bool = False


@dataclass(slots=True)
class Incident:
    id: str
    type: str
    event_ids: list[str]
    document_ids: list[str]
    date: When | None = None
    place: Place | None = None
    figures: list[IncidentFigure] = field(default_factory=list)
    sources: list[dict[str, Any]] = field(default_factory=list)  # outlets per distinct source
    why: list[str] = field(default_factory=list)  # which fields agreed for each merge
