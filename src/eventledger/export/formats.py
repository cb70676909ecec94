"""Write a ledger export (`Ledger.export()`) as JSON, JSON Lines or CSV."""

from __future__ import annotations

import csv
import json
from typing import Any, TextIO

__all__ = [
    "CSV_COLUMNS",
    "RECORD_KINDS",
    "REVIEW_COLUMN",
    "escape_cell",
    "write_csv",
    "write_decisions",
    "write_json",
    "write_jsonl",
]

# Every export row says how a coder reviewed it (issue 16): machine (no
# decision), accepted, edited or rejected. The exchange formats carry it as
# one column after their own.
REVIEW_COLUMN = "review_status"

# Export key -> the `record` value each JSON Lines line carries, in output order.
RECORD_KINDS = (
    ("documents", "document"),
    ("events", "event"),
    ("figures", "figure"),
    ("claims", "claim"),
    ("incidents", "incident"),
)

CSV_COLUMNS = (
    "id",
    "document_id",
    "incident_id",
    "type",
    "subtype",
    "factuality",
    "date_start",
    "date_end",
    "date_precision",
    "place_name",
    "place_facility",
    "place_lat",
    "place_lon",
    "place_country",
    "place_precision",
    "actors",
    "figures",
    REVIEW_COLUMN,
)

# A spreadsheet runs a cell that starts with one of these as a formula
# (OWASP "CSV injection"); tab and carriage return are on OWASP's list too.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _dumps(record: Any, indent: int | None = None) -> str:
    return json.dumps(record, ensure_ascii=False, allow_nan=False, indent=indent)


def write_json(data: dict[str, Any], out: TextIO) -> None:
    """The whole export as one JSON object."""
    out.write(_dumps(data, indent=2))
    out.write("\n")


def write_jsonl(data: dict[str, Any], out: TextIO) -> None:
    """One JSON object per line, each with a `record` field naming its kind."""
    for key, kind in RECORD_KINDS:
        for record in data.get(key, []):
            out.write(_dumps({"record": kind, **record}))
            out.write("\n")


def escape_cell(value: Any) -> Any:
    """A text cell that a spreadsheet would run as a formula gets a leading `'`."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _number(value: float | None) -> str:
    if value is None:
        return "?"
    return str(int(value)) if float(value).is_integer() else str(value)


def _actor_cell(actor: dict[str, Any]) -> str:
    """'role:name'; 'role (model):name' for an actor only the trained argument stage
    found (the role is a fixed word, so the first ':' still ends it)."""
    role = actor["role"] + (" (model)" if actor.get("source") == "model" else "")
    return f"{role}:{actor['name']}"


def _figure_summary(figure: dict[str, Any]) -> str:
    """ "killed civilians 12-15 (Ministry of Health)": kind, group, range, claimant."""
    low, high = figure.get("min"), figure.get("max")
    if low is not None and high is None:
        value = f"{_number(low)}+"
    elif low == high:
        value = _number(low)
    else:
        value = f"{_number(low)}-{_number(high)}"
    if figure.get("approximate"):
        value = "~" + value
    claimant = (figure.get("claimant") or {}).get("name") or "no claimant"
    parts = [figure["kind"], figure.get("group"), value, f"({claimant})"]
    return " ".join(p for p in parts if p)


def write_csv(data: dict[str, Any], out: TextIO) -> None:
    """One row per event (columns CSV_COLUMNS), with its incident, actors and figures."""
    incident_of = {e: i["id"] for i in data.get("incidents", []) for e in i.get("event_ids", [])}
    figures_of: dict[str, list[dict[str, Any]]] = {}
    by_id = {f["id"]: f for f in data.get("figures", [])}
    for figure in data.get("figures", []):
        if figure.get("event_id"):
            figures_of.setdefault(figure["event_id"], []).append(figure)
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for ev in data.get("events", []):
        date = ev.get("date") or {}
        place = ev.get("place") or {}
        figures = list(figures_of.get(ev["id"], []))
        seen = {f["id"] for f in figures}
        figures += [by_id[i] for i in ev.get("figure_ids", []) if i in by_id and i not in seen]
        row = (
            ev["id"],
            ev["document_id"],
            incident_of.get(ev["id"]),
            ev["type"],
            ev.get("subtype"),
            ev.get("factuality"),
            date.get("start"),
            date.get("end"),
            date.get("precision"),
            place.get("name"),
            place.get("facility"),
            place.get("lat"),
            place.get("lon"),
            place.get("country"),
            place.get("precision"),
            "; ".join(_actor_cell(a) for a in ev.get("actors", [])),
            "; ".join(_figure_summary(f) for f in figures),
            ev.get("review_status", "machine"),
        )
        writer.writerow(["" if v is None else escape_cell(v) for v in row])


DECISION_COLUMNS = (
    "id",
    "at",
    "user",
    "action",
    "record_kind",
    "record_id",
    "field",
    "before",
    "after",
    "reason",
)


def write_decisions(data: dict[str, Any], out: TextIO) -> None:
    """The coders' decisions (`data["decisions"]`), oldest first, as CSV: who changed
    what, when and why; `before` and `after` as JSON."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(DECISION_COLUMNS)
    for d in data.get("decisions", []):
        row = [
            d["id"],
            d["at"],
            d["user"],
            d["action"],
            d["record_kind"],
            d["record_id"],
            d.get("field"),
            None if d.get("before") is None else _dumps(d["before"]),
            None if d.get("after") is None else _dumps(d["after"]),
            d.get("reason"),
        ]
        writer.writerow(["" if v is None else escape_cell(v) for v in row])
