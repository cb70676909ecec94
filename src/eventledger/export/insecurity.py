"""Insecurity Insight-style CSV: their 35 attack-on-health-care columns plus their HXL tag row.

One row per incident with an asserted attack on health care. Insecurity
Insight's coders fill several columns from knowledge the articles rarely
state (kidnapping outcomes, violence contexts); those cells stay empty.
"""

from __future__ import annotations

import csv
from typing import Any, TextIO

from eventledger.export.formats import REVIEW_COLUMN, escape_cell
from eventledger.export.rows import actors_in, country, event_sentence, events_of, figure_total
from eventledger.models import groups

__all__ = ["INSECURITY_COLUMNS", "INSECURITY_HXL", "insecurity_rows", "write_insecurity"]

# (column, HXL tag) as in Insecurity Insight's 2016-2023 attacks on health care
# workbook; their sheet has no tag for three columns either.
_COLUMNS = (
    ("Date", "#date"),
    ("Event Description", ""),
    ("Country", "#country +name"),
    ("Country ISO", "#country +ISO"),
    ("Admin 1", "#admin1"),
    ("Latitude", "#lat"),
    ("Longitude", "#long"),
    ("Geo Precision", ""),
    ("Reported Perpetrator", "#group +perp"),
    ("Reported Perpetrator Name", "#group +perp +name"),
    ("Weapon Carried/Used", "#weapons"),
    ("Location", "#loc"),
    (
        "Number of Attacks on Health Facilities Reporting Destruction",
        "#indicator +health_facility +destroyed +num",
    ),
    (
        "Number of Attacks on Health Facilities Reporting Damaged",
        "#indicator +health_facility +damaged +num",
    ),
    ("Forceful Entry into Health Facility", "#indicator +health_facility +armed_entry +num"),
    ("Occupation of Health Facility", "#indicator +health_facility +occupy"),
    ("Health Transportation Destroyed", "#indicator +health_transport +destroyed +num"),
    ("Health Transportation Damaged", "#indicator +health_transport +damaged +num"),
    ("Health Transportation Stolen/Hijacked", "#indicator +health_transport +abducted +num"),
    (
        "Looting/Theft/Robbery/Burglary of Health Supplies",
        "#indicator +health_supplies +taken +num",
    ),
    ("Access Denied or Obstructed", "#indicator +health_obstruction"),
    ("Health Workers Killed", "#affected +healthworker +killed"),
    ("Health Workers Injured", "#affected +healthworker +injured"),
    ("Health Workers Kidnapped", "#affected +healthworker +kidnapped"),
    ("Health Workers Arrested", "#affected +healthworker +arrested"),
    ("Known Kidnapping or Arrest Outcome", ""),
    ("Health Workers Threatened", "#affected +healthworker +threatened"),
    ("Health Workers Assaulted", "#affected +healthworker +assaulted"),
    ("Health Workers Sexually Assaulted", "#affected +healthworker +SGBV"),
    ("Conflict-Related Violence", "#affected +conflict"),
    ("Political-Related Violence", "#affected +political"),
    ("COVID-19-Related Violence", "#affected +COVID"),
    ("Ebola-Related Violence", "#affected +Ebola"),
    ("Vaccination-Related Violence", "#affected +Vaccine"),
    ("SiND Event ID", ""),
)
INSECURITY_COLUMNS = tuple(c for c, _ in _COLUMNS)
INSECURITY_HXL = tuple(t for _, t in _COLUMNS)

# The ledger's place precision (UCDP where_prec 1-7) -> their "Geo Precision" labels.
GEO_PRECISION = {
    1: "(2) 25 km Precision",
    2: "(2) 25 km Precision",
    3: "(3) District, Communicipality or Commune",
    4: "(4) Province, State, Governorate",
    5: "(5) Linear Feature e.g. Along Road/River",
    6: "(6) Country",
    7: "(6) Country",
}
PERPETRATOR = {
    "military": "Armed Forces of Government/Self-Declared Government",
    "government": "Government/Self-Declared Government",
    "armed_group": "NSA",
}
# PLOVER modes the events stage assigns -> their weapon vocabulary.
WEAPON = {
    "aerial": "Aerial Bomb: Plane",
    "heavy-weapons": "Shelling",
    "firearms": "Firearms",
}
# The figure groups their health-worker columns count (the vocabulary the
# figures stage writes; see models/groups.py).
HEALTH_WORKERS = frozenset({groups.HEALTH_WORKERS})
# Their health-worker columns -> the figure kind that counts them.
HEALTH_WORKER_KINDS = {
    "Health Workers Killed": "killed",
    "Health Workers Injured": "injured",
    "Health Workers Kidnapped": "hostages",
    "Health Workers Arrested": "detained",
}


def _count(incident: dict[str, Any], kind: str) -> int:
    """Health workers counted under `kind`: their figure (a total or a subgroup), else 0."""
    return figure_total(incident, kind, HEALTH_WORKERS) or 0


def insecurity_rows(data: dict[str, Any]) -> list[dict[str, Any]]:
    """One dict per incident with an asserted attack on health care, keyed by INSECURITY_COLUMNS."""
    events = {e["id"]: e for e in data.get("events", [])}
    documents = {d["id"]: d for d in data.get("documents", [])}
    rows = []
    for incident in data.get("incidents", []):
        health = [e for e in events_of(incident, events) if e.get("health_care")]
        if not health:
            continue
        first = health[0]
        place = incident.get("place") or {}
        nation = country(place.get("country"))
        when = incident.get("date") or {}
        perpetrator = next(iter(actors_in(first, ("perpetrator",))), None)
        resources = {r for e in health for r in (e["health_care"].get("resources") or [])}
        attack_types = {t for e in health for t in (e["health_care"].get("attack_types") or [])}
        destroyed = any("destr" in (e.get("trigger") or "").lower() for e in health)
        rows.append(
            {
                # Only a resolved day is a date here; coarser dates stay empty.
                "Date": when.get("start") if when.get("precision") == "day" else None,
                "Event Description": event_sentence(first, documents),
                "Country": nation.get("name") or place.get("country"),
                "Country ISO": nation.get("iso3"),
                "Admin 1": place.get("admin1"),
                "Latitude": place.get("lat"),
                "Longitude": place.get("lon"),
                "Geo Precision": GEO_PRECISION.get(place.get("precision") or 0),
                "Reported Perpetrator": PERPETRATOR.get((perpetrator or {}).get("type") or "")
                if perpetrator
                else "No Information",
                "Reported Perpetrator Name": (perpetrator or {}).get("normalized")
                or (perpetrator or {}).get("name"),
                "Weapon Carried/Used": WEAPON.get((first.get("plover") or {}).get("mode") or ""),
                "Location": "Health Building" if "facility" in resources else None,
                "Number of Attacks on Health Facilities Reporting Destruction": int(
                    "facility" in resources and destroyed
                ),
                "Number of Attacks on Health Facilities Reporting Damaged": int(
                    "facility" in resources and not destroyed
                ),
                "Occupation of Health Facility": int(
                    any("occup" in t or "militar" in t for t in attack_types)
                ),
                "Health Transportation Damaged": int("transport" in resources),
                **{c: _count(incident, kind) for c, kind in HEALTH_WORKER_KINDS.items()},
                "Conflict-Related Violence": "ConflictEvent",
                REVIEW_COLUMN: incident.get("review_status", "machine"),
            }
        )
    return rows


def write_insecurity(data: dict[str, Any], out: TextIO) -> None:
    """Header row, HXL tag row, then one row per health-care incident."""
    writer = csv.writer(out, lineterminator="\n")
    # After their 35 columns, the ledger's own: the row's review (issue 16).
    columns = (*INSECURITY_COLUMNS, REVIEW_COLUMN)
    writer.writerow(columns)
    writer.writerow((*INSECURITY_HXL, "#status +review"))
    for row in insecurity_rows(data):
        writer.writerow(["" if row.get(c) is None else escape_cell(row[c]) for c in columns])
