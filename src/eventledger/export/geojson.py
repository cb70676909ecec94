"""GeoJSON (RFC 7946): one Feature per incident; unlocated incidents keep a null geometry."""

from __future__ import annotations

import json
from typing import Any, TextIO

from eventledger.export.rows import fatalities, sources

__all__ = ["GEOJSON_PROPERTIES", "geojson_collection", "write_geojson"]

GEOJSON_PROPERTIES = (
    "id",
    "type",
    "date_start",
    "date_end",
    "date_precision",
    "place",
    "facility",
    "admin1",
    "country",
    "place_precision",
    "place_reason",
    "fatalities",
    "figures",
    "sources",
    "event_ids",
    "document_ids",
    "review_status",
)


def geojson_collection(data: dict[str, Any]) -> dict[str, Any]:
    """The incidents as a FeatureCollection; properties are GEOJSON_PROPERTIES."""
    documents = {d["id"]: d for d in data.get("documents", [])}
    features = []
    for incident in data.get("incidents", []):
        when = incident.get("date") or {}
        place = incident.get("place") or {}
        lat, lon = place.get("lat"), place.get("lon")
        # RFC 7946 allows a null geometry: an unlocated incident is kept, not
        # dropped and not put on a guessed point.
        geometry = (
            {"type": "Point", "coordinates": [lon, lat]}
            if lat is not None and lon is not None
            else None
        )
        features.append(
            {
                "type": "Feature",
                "id": incident["id"],
                "geometry": geometry,
                "properties": {
                    "id": incident["id"],
                    "type": incident["type"],
                    "date_start": when.get("start"),
                    "date_end": when.get("end"),
                    "date_precision": when.get("precision"),
                    "place": place.get("name"),
                    "facility": place.get("facility"),
                    "admin1": place.get("admin1"),
                    "country": place.get("country"),
                    "place_precision": place.get("precision"),
                    "place_reason": place.get("reason"),
                    "fatalities": fatalities(incident),
                    "figures": incident.get("figures", []),
                    "sources": sources(incident, documents),
                    "event_ids": incident.get("event_ids", []),
                    "document_ids": incident.get("document_ids", []),
                    "review_status": incident.get("review_status", "machine"),
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}


def write_geojson(data: dict[str, Any], out: TextIO) -> None:
    """The FeatureCollection as one JSON document."""
    out.write(json.dumps(geojson_collection(data), ensure_ascii=False, allow_nan=False))
    out.write("\n")
