"""ACLED-compatible CSV: one row per incident, in the 31 columns of ACLED's codebook.

docs/exports.md lists how each column is filled and what ACLED codes the
ledger cannot supply (source scale, militia subtypes).
"""

from __future__ import annotations

import csv
import time
from typing import Any, TextIO

from eventledger.export.formats import REVIEW_COLUMN, escape_cell
from eventledger.export.rows import (
    acled_region,
    actors_in,
    country,
    event_sentence,
    events_of,
    fatalities,
    revision_time,
    sources,
)

__all__ = ["ACLED_COLUMNS", "acled_rows", "write_acled"]

ACLED_COLUMNS = (
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "disorder_type",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "interaction",
    "civilian_targeting",
    "iso",
    "region",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "source_scale",
    "notes",
    "fatalities",
    "tags",
    "timestamp",
)

# ACLED's time_precision: 1 the day is known, 2 the week, 3 the month. A year
# is coarser than ACLED records: such rows keep the date empty.
TIME_PRECISION = {"day": 1, "week": 2, "month": 3}

DISORDER = {
    "Battles": "Political violence",
    "Explosions/Remote violence": "Political violence",
    "Violence against civilians": "Political violence",
    "Riots": "Political violence",
    "Protests": "Demonstrations",
    "Strategic developments": "Strategic developments",
}

# The ledger's actor types -> ACLED's inter labels. An `armed_group` could be
# a rebel group or a political or identity militia: ACLED tells them apart,
# the ledger does not, so its inter stays empty rather than guessed.
INTER = {
    "government": "State forces",
    "military": "State forces",
    "armed_group": "",
    "health_authority": "Civilians",
    "hospital_staff": "Civilians",
    "ngo": "Civilians",
    "un_agency": "External/Other forces",
    "witness": "Civilians",
}


def _actor(event: dict[str, Any], roles: tuple[str, ...]) -> dict[str, Any] | None:
    return next(iter(actors_in(event, roles)), None)


def _name(actor: dict[str, Any] | None) -> str:
    if actor is None:
        return ""
    return actor.get("normalized") or actor.get("name") or ""


def acled_rows(data: dict[str, Any], *, timestamp: int | None = None) -> list[dict[str, Any]]:
    """One dict per incident with at least one asserted event, keyed by ACLED_COLUMNS.

    `timestamp` (Unix time; default now) dates the rows whose documents carry
    no publication date; the others carry their incident's revision time.
    """
    stamp = int(time.time()) if timestamp is None else timestamp
    events = {e["id"]: e for e in data.get("events", [])}
    documents = {d["id"]: d for d in data.get("documents", [])}
    rows = []
    for incident in data.get("incidents", []):
        reportable = events_of(incident, events)
        if not reportable:
            continue
        first = reportable[0]
        when = incident.get("date") or {}
        place = incident.get("place") or {}
        precision = TIME_PRECISION.get(when.get("precision") or "")
        date = when.get("start") if precision else None
        perpetrator = _actor(first, ("perpetrator",))
        victim = _actor(first, ("victim", "target"))
        nation = country(place.get("country"))
        inter1 = INTER.get((perpetrator or {}).get("type") or "", "") if perpetrator else ""
        if first["type"] == "Violence against civilians" and victim is not None:
            actor2 = f"Civilians ({nation['name']})" if nation else "Civilians"
            inter2 = "Civilians"
        else:
            actor2 = _name(victim)
            inter2 = INTER.get((victim or {}).get("type") or "", "") if victim else ""
        interaction = (
            f"{inter1}-{inter2}" if inter1 and inter2 else (f"{inter1} only" if inter1 else "")
        )
        health = [
            t for e in reportable for t in ((e.get("health_care") or {}).get("attack_types") or [])
        ]
        tags = [f"health care: {t}" for t in dict.fromkeys(health)]
        if place.get("facility"):
            tags.append(f"facility: {place['facility']}")
        rows.append(
            {
                "event_id_cnty": incident["id"],
                "event_date": date,
                "year": int(date[:4]) if date else None,
                "time_precision": precision,
                "disorder_type": DISORDER.get(first["type"]),
                "event_type": first["type"],
                "sub_event_type": first.get("subtype"),
                "actor1": _name(perpetrator),
                "assoc_actor_1": None,
                "inter1": inter1,
                "actor2": actor2,
                "assoc_actor_2": None,
                "inter2": inter2,
                "interaction": interaction,
                "civilian_targeting": "Civilian targeting"
                if first["type"] == "Violence against civilians"
                else None,
                "iso": nation.get("isonumeric"),
                "region": acled_region(place.get("country")),
                "country": nation.get("name") or place.get("country"),
                "admin1": place.get("admin1"),
                "admin2": None,
                "admin3": None,
                "location": place.get("name"),
                "latitude": place.get("lat"),
                "longitude": place.get("lon"),
                "geo_precision": place.get("geo_precision"),
                "source": "; ".join(sources(incident, documents)),
                "source_scale": None,
                "notes": event_sentence(first, documents),
                "fatalities": fatalities(incident) or 0,
                "tags": "; ".join(tags),
                "timestamp": revision_time(incident, documents) or stamp,
                "review_status": incident.get("review_status", "machine"),
            }
        )
    return rows


def write_acled(data: dict[str, Any], out: TextIO, *, timestamp: int | None = None) -> None:
    """ACLED-compatible CSV (ACLED_COLUMNS), text cells guarded against formula injection."""
    writer = csv.writer(out, lineterminator="\n")
    # After ACLED's 31 columns, the ledger's own: the row's review (issue 16).
    columns = (*ACLED_COLUMNS, REVIEW_COLUMN)
    writer.writerow(columns)
    for row in acled_rows(data, timestamp=timestamp):
        writer.writerow(["" if row[c] is None else escape_cell(row[c]) for c in columns])
