"""UCDP GED-compatible CSV: one row per incident with at least one death, in GED's 49 columns.

UCDP's own ids (conflict, dyad, side) name entries of UCDP's registers that
the ledger does not hold: those columns stay empty. The country's
Gleditsch-Ward number comes from data/exchange_codes.toml.
"""

from __future__ import annotations

import csv
import math
from datetime import date
from typing import Any, TextIO

from eventledger.export.formats import REVIEW_COLUMN, escape_cell
from eventledger.export.rows import (
    actors_in,
    country,
    events_of,
    figure_total,
    gleditsch_ward,
    sources,
    total_figure,
)
from eventledger.models import groups

__all__ = ["CIVILIAN_GROUPS", "UCDP_COLUMNS", "estimates", "ucdp_rows", "write_ucdp"]

UCDP_COLUMNS = (
    "id",
    "relid",
    "year",
    "active_year",
    "code_status",
    "type_of_violence",
    "conflict_dset_id",
    "conflict_new_id",
    "conflict_name",
    "dyad_dset_id",
    "dyad_new_id",
    "dyad_name",
    "side_a_dset_id",
    "side_a_new_id",
    "side_a",
    "side_b_dset_id",
    "side_b_new_id",
    "side_b",
    "number_of_sources",
    "source_article",
    "source_office",
    "source_date",
    "source_headline",
    "source_original",
    "where_prec",
    "where_coordinates",
    "where_description",
    "adm_1",
    "adm_2",
    "latitude",
    "longitude",
    "geom_wkt",
    "priogrid_gid",
    "country",
    "country_id",
    "region",
    "event_clarity",
    "date_prec",
    "date_start",
    "date_end",
    "deaths_a",
    "deaths_b",
    "deaths_civilians",
    "deaths_unknown",
    "best",
    "high",
    "low",
    "gwnoa",
    "gwnob",
)

# Figure groups whose dead are civilians; the dead of other groups (fighters,
# on a side the text rarely names) and of no group are "unknown".
CIVILIAN_GROUPS = groups.CIVILIAN_GROUPS

STATE = {"government", "military"}

# UCDP regions; GeoNames continents map onto them except the Middle East,
# which UCDP draws across Asia and Africa.
MIDDLE_EAST = {
    "BH", "CY", "EG", "IR", "IQ", "IL", "JO", "KW", "LB", "OM", "PS", "QA", "SA", "SY", "TR",
    "AE", "YE",
}  # fmt: skip
CONTINENT_REGION = {
    "AF": "Africa",
    "AS": "Asia",
    "EU": "Europe",
    "NA": "Americas",
    "SA": "Americas",
    "OC": "Asia",
}


def _date_prec(when: dict[str, Any]) -> int | None:
    """GED's date_prec: 1 a day, 2 a span of 2-6 days, 3 a week, 4 a month, 5 a year."""
    precision = when.get("precision")
    if not precision or not when.get("start"):
        return None
    if precision == "day":
        start = date.fromisoformat(when["start"][:10])
        end = date.fromisoformat((when.get("end") or when["start"])[:10])
        return 1 if start == end else 2 if (end - start).days <= 6 else 4
    return {"week": 3, "month": 4, "year": 5}.get(precision)


def _violence(events: list[dict[str, Any]]) -> int | None:
    """GED's type_of_violence: 1 state-based, 2 non-state, 3 one-sided; None if unclear."""
    first = events[0]
    if first["type"] == "Violence against civilians":
        return 3
    if first["type"] == "Battles":
        types = {a.get("type") for e in events for a in e.get("actors", [])}
        return 1 if types & STATE else 2
    return None  # remote violence: one-sided or state-based depends on a target the text rarely settles


def priogrid(lat: float | None, lon: float | None) -> int | None:
    """The PRIO-GRID cell (0.5 degrees, numbered from the south-west corner) of a point."""
    if lat is None or lon is None:
        return None
    row = min(int(math.floor((lat + 90) / 0.5)), 359)
    col = min(int(math.floor((lon + 180) / 0.5)), 719)
    return row * 720 + col + 1


def estimates(total: dict[str, Any]) -> tuple[int, int, int]:
    """GED's (low, best, high) from an incident's total figure, whole and ordered.

    low and best round down, high up; an open-ended total ("at least 15")
    has no high of its own, so high is the largest number its counted
    statements give. low <= best <= high always holds.
    """
    best = math.floor(total["best"])
    low = math.floor(total["low"]) if total.get("low") is not None else best
    if total.get("high") is not None:
        high = math.ceil(total["high"])
    else:
        counted = [v for v in total.get("values", []) if not v.get("superseded_by")]
        known = [x for v in counted for x in (v.get("min"), v.get("best")) if x is not None]
        high = math.ceil(max(known, default=best))
    return min(low, best), best, max(high, best)


def ucdp_rows(data: dict[str, Any]) -> list[dict[str, Any]]:
    """One dict per incident with an asserted event and at least one death, keyed by UCDP_COLUMNS."""
    events = {e["id"]: e for e in data.get("events", [])}
    documents = {d["id"]: d for d in data.get("documents", [])}
    rows = []
    for incident in data.get("incidents", []):
        reportable = events_of(incident, events)
        killed = [f for f in incident.get("figures", []) if f.get("kind") == "killed"]
        total = total_figure(incident, "killed")
        if not reportable or total is None or math.floor(total["best"]) < 1:
            continue  # GED records only events with at least one death
        low, best, high = estimates(total)
        when = incident.get("date") or {}
        place = incident.get("place") or {}
        nation = country(place.get("country"))
        code = (place.get("country") or "").upper()
        region = (
            "Middle East"
            if code in MIDDLE_EAST
            else CONTINENT_REGION.get(nation.get("continentcode", ""))
        )
        docs = [documents.get(d, {}) for d in incident.get("document_ids", [])]
        civilians = min(figure_total(incident, "killed", CIVILIAN_GROUPS) or 0, best)
        claimants = {
            (v.get("claimant") or {}).get("name")
            for f in killed
            for v in f.get("values", [])
            if v.get("claimant")
        }
        lat, lon = place.get("lat"), place.get("lon")
        start = (when.get("start") or "")[:10] or None
        rows.append(
            {
                "id": incident["id"],
                "review_status": incident.get("review_status", "machine"),
                "year": int(start[:4]) if start else None,
                "type_of_violence": _violence(reportable),
                "side_a": next(
                    (
                        a.get("normalized") or a["name"]
                        for a in actors_in(reportable[0], ("perpetrator",))
                    ),
                    None,
                ),
                "number_of_sources": len(docs),
                "source_article": "; ".join(
                    ", ".join(x for x in (d.get("outlet"), d.get("published"), d.get("title")) if x)
                    for d in docs
                ),
                "source_office": "; ".join(sources(incident, documents)),
                "source_date": "; ".join(d.get("published") or "" for d in docs),
                "source_headline": "; ".join(d.get("title") or "" for d in docs),
                "source_original": "; ".join(sorted(c for c in claimants if c)),
                "where_prec": place.get("precision"),
                "where_coordinates": place.get("name"),
                "where_description": ", ".join(
                    x for x in (place.get("facility"), place.get("name")) if x
                ),
                "adm_1": place.get("admin1"),
                "latitude": lat,
                "longitude": lon,
                "geom_wkt": f"POINT ({lon} {lat})" if lat is not None and lon is not None else None,
                "priogrid_gid": priogrid(lat, lon),
                "country": nation.get("name") or place.get("country"),
                "country_id": gleditsch_ward(code),
                "region": region,
                "event_clarity": 1,
                "date_prec": _date_prec(when),
                "date_start": start,
                "date_end": (when.get("end") or "")[:10] or start,
                "deaths_civilians": civilians,
                "deaths_unknown": best - civilians,
                "best": best,
                "high": high,
                "low": low,
            }
        )
    return rows


def write_ucdp(data: dict[str, Any], out: TextIO) -> None:
    """UCDP GED-compatible CSV (UCDP_COLUMNS), text cells guarded against formula injection."""
    writer = csv.writer(out, lineterminator="\n")
    # After GED's 49 columns, the ledger's own: the row's review (issue 16).
    columns = (*UCDP_COLUMNS, REVIEW_COLUMN)
    writer.writerow(columns)
    for row in ucdp_rows(data):
        writer.writerow(["" if row.get(c) is None else escape_cell(row[c]) for c in columns])
