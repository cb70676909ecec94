"""Parquet: one row per event, nested actors, figures and evidence kept as lists of structs.

Needs pyarrow (`pip install 'eventledger[parquet]'`); imported only when written.
"""

from __future__ import annotations

from typing import Any, BinaryIO

from eventledger.errors import ConfigError

__all__ = ["PARQUET_COLUMNS", "parquet_table", "write_parquet"]

PARQUET_COLUMNS = (
    "id",
    "document_id",
    "incident_id",
    "review_status",
    "type",
    "subtype",
    "trigger",
    "factuality",
    "health_care",
    "plover_event",
    "plover_mode",
    "date_start",
    "date_end",
    "date_precision",
    "date_reason",
    "place_name",
    "place_facility",
    "place_admin1",
    "place_country",
    "place_lat",
    "place_lon",
    "place_precision",
    "place_reason",
    "actors",
    "figures",
    "evidence",
)


def _pyarrow() -> Any:
    try:
        import pyarrow
        import pyarrow.parquet
    except ImportError as exc:
        raise ConfigError(
            "the parquet export needs pyarrow: pip install 'eventledger[parquet]'"
        ) from exc
    return pyarrow


def _schema(pa: Any) -> Any:
    evidence = pa.list_(
        pa.struct(
            [
                ("document_id", pa.string()),
                ("start", pa.int64()),
                ("end", pa.int64()),
                ("text", pa.string()),
            ]
        )
    )
    actor = pa.struct(
        [
            ("role", pa.string()),
            ("name", pa.string()),
            ("normalized", pa.string()),
            ("type", pa.string()),
            ("source", pa.string()),
        ]
    )
    figure = pa.struct(
        [
            ("id", pa.string()),
            ("kind", pa.string()),
            ("group", pa.string()),
            ("min", pa.float64()),
            ("max", pa.float64()),
            ("best", pa.float64()),
            ("approximate", pa.bool_()),
            ("scope", pa.string()),
            ("claimant", pa.string()),
            ("text", pa.string()),
        ]
    )
    string = pa.string()
    types = {
        "health_care": pa.list_(string),
        "place_lat": pa.float64(),
        "place_lon": pa.float64(),
        "place_precision": pa.int64(),
        "actors": pa.list_(actor),
        "figures": pa.list_(figure),
        "evidence": evidence,
    }
    return pa.schema([(c, types.get(c, string)) for c in PARQUET_COLUMNS])


def _float(value: Any) -> float | None:
    return None if value is None else float(value)


def parquet_table(data: dict[str, Any]) -> Any:
    """The events as a pyarrow Table with columns PARQUET_COLUMNS."""
    pa = _pyarrow()
    figures_of: dict[str, list[dict[str, Any]]] = {}
    for figure in data.get("figures", []):
        if figure.get("event_id"):
            figures_of.setdefault(figure["event_id"], []).append(figure)
    incident_of = {e: i["id"] for i in data.get("incidents", []) for e in i.get("event_ids", [])}
    rows = []
    for event in data.get("events", []):
        when = event.get("date") or {}
        place = event.get("place") or {}
        plover = event.get("plover") or {}
        health = event.get("health_care")
        rows.append(
            {
                "id": event["id"],
                "document_id": event["document_id"],
                "incident_id": incident_of.get(event["id"]),
                "review_status": event.get("review_status", "machine"),
                "type": event["type"],
                "subtype": event.get("subtype"),
                "trigger": event.get("trigger"),
                "factuality": event.get("factuality"),
                "health_care": None if health is None else list(health.get("attack_types") or []),
                "plover_event": plover.get("event"),
                "plover_mode": plover.get("mode"),
                "date_start": when.get("start"),
                "date_end": when.get("end"),
                "date_precision": when.get("precision"),
                "date_reason": when.get("reason"),
                "place_name": place.get("name"),
                "place_facility": place.get("facility"),
                "place_admin1": place.get("admin1"),
                "place_country": place.get("country"),
                "place_lat": _float(place.get("lat")),
                "place_lon": _float(place.get("lon")),
                "place_precision": place.get("precision"),
                "place_reason": place.get("reason"),
                "actors": [
                    {k: a.get(k) for k in ("role", "name", "normalized", "type", "source")}
                    for a in event.get("actors", [])
                ],
                "figures": [
                    {
                        "id": f["id"],
                        "kind": f["kind"],
                        "group": f.get("group"),
                        "min": _float(f.get("min")),
                        "max": _float(f.get("max")),
                        "best": _float(f.get("best")),
                        "approximate": bool(f.get("approximate")),
                        "scope": f.get("scope"),
                        "claimant": (f.get("claimant") or {}).get("name"),
                        "text": f.get("text"),
                    }
                    for f in figures_of.get(event["id"], [])
                ],
                "evidence": event.get("evidence", []),
            }
        )
    return pa.Table.from_pylist(rows, schema=_schema(pa))


def write_parquet(data: dict[str, Any], out: BinaryIO) -> None:
    """The events table as one Parquet file written to a binary stream."""
    table = parquet_table(data)
    import pyarrow.parquet as pq

    pq.write_table(table, out)
