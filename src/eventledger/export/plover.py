"""PLOVER JSON Lines: one record per asserted event, with PLOVER's standard field names.

Core fields follow the PLOVER manual (id, date, event, mode, context, source,
target, dead, injured, country, admin1, lat, lon, text); the fields that
start with `x_` are eventledger's own (evidence, precision, incident id).
"""

from __future__ import annotations

import json
from typing import Any, TextIO

from eventledger.export.rows import actors_in, country, event_sentence, number

__all__ = ["PLOVER_FIELDS", "plover_records", "write_plover"]

PLOVER_FIELDS = (
    "id",
    "date",
    "event",
    "mode",
    "context",
    "source",
    "target",
    "dead",
    "injured",
    "country",
    "admin1",
    "placename",
    "lat",
    "lon",
    "text",
    "story_id",
    "publication_date",
    "source_url",
    "language",
    "x_incident_id",
    "x_date_precision",
    "x_geo_precision",
    "x_evidence",
    "x_review_status",  # machine | accepted | edited | rejected (issue 16)
)


def _names(event: dict[str, Any], roles: tuple[str, ...]) -> list[str]:
    return list(dict.fromkeys(a.get("normalized") or a["name"] for a in actors_in(event, roles)))


def _count(figures: list[dict[str, Any]], kind: str) -> int | float | None:
    """The largest total of `kind` (a subgroup, "including three paramedics", is no total)."""
    values = [
        f.get("best")
        for f in figures
        if f.get("kind") == kind and f.get("best") is not None and not f.get("part_of")
    ]
    return number(max(values)) if values else None


def plover_records(data: dict[str, Any]) -> list[dict[str, Any]]:
    """One PLOVER record per asserted event that has a PLOVER category."""
    documents = {d["id"]: d for d in data.get("documents", [])}
    figures_of: dict[str, list[dict[str, Any]]] = {}
    for figure in data.get("figures", []):
        if figure.get("event_id"):
            figures_of.setdefault(figure["event_id"], []).append(figure)
    incident_of = {e: i["id"] for i in data.get("incidents", []) for e in i.get("event_ids", [])}
    records = []
    for event in data.get("events", []):
        plover = event.get("plover") or {}
        if event.get("factuality", "asserted") != "asserted" or not plover.get("event"):
            continue
        when = event.get("date") or {}
        place = event.get("place") or {}
        doc = documents.get(event["document_id"], {})
        figures = figures_of.get(event["id"], [])
        context = ["health"] if event.get("health_care") else []
        record = {
            "id": event["id"],
            "date": when.get("start"),
            "event": plover["event"],
            "mode": plover.get("mode"),
            "context": context,
            "source": _names(event, ("perpetrator",)),
            "target": _names(event, ("target", "victim")),
            "dead": _count(figures, "killed"),
            "injured": _count(figures, "injured"),
            "country": country(place.get("country")).get("iso3") or place.get("country"),
            "admin1": place.get("admin1"),
            "placename": place.get("name"),
            "lat": place.get("lat"),
            "lon": place.get("lon"),
            "text": event_sentence(event, documents),
            "story_id": event["document_id"],
            "publication_date": doc.get("published"),
            "source_url": doc.get("url"),
            "language": doc.get("language") or "en",
            "x_incident_id": incident_of.get(event["id"]),
            "x_date_precision": when.get("precision"),
            "x_geo_precision": place.get("precision"),
            "x_evidence": event.get("evidence", []),
            "x_review_status": event.get("review_status", "machine"),
        }
        records.append(record)
    return records


def write_plover(data: dict[str, Any], out: TextIO) -> None:
    """One PLOVER JSON object (PLOVER_FIELDS, in order) per line."""
    for record in plover_records(data):
        out.write(json.dumps(record, ensure_ascii=False, allow_nan=False))
        out.write("\n")
