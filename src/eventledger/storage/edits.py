"""The fields a coder may edit: the shape each edit's value takes, and how an edit
lays over a machine record (a copy: the record itself is never changed).

`check_value` turns what a form or an API body sent into the stored shape
(ReviewError when it does not fit); `fold` lays a record's decisions over it.
"""

from __future__ import annotations

import copy
import re
from typing import Any

from eventledger.errors import ReviewError

__all__ = ["EDITABLE", "VERDICTS", "check_value", "fold", "machine_value"]

# The fields a coder may edit, per record kind (docs/api.md gives each value's shape).
EDITABLE = {
    "event": ("type", "date", "place", "perpetrator", "health_care"),
    "figure": ("value", "group", "scope", "claimant"),
    "claim": (),
}
# review_status after each kind of decision on a record.
VERDICTS = {"accept": "accepted", "reject": "rejected", "edit": "edited"}


def machine_value(kind: str, record: dict[str, Any], field: str) -> Any:
    """The value a field has in a record, in the shape its edits take."""
    if kind == "event":
        if field == "type":
            return {"type": record.get("type"), "subtype": record.get("subtype")}
        if field == "perpetrator":
            names = [
                a.get("name") for a in record.get("actors") or [] if a["role"] == "perpetrator"
            ]
            return {"name": names[0]} if names else None
        value = record.get(field)
        if field == "date" and value:
            return {k: value.get(k) for k in ("start", "end", "precision")}
        if field == "place" and value:
            return {k: v for k, v in value.items() if k not in ("evidence", "attachment")}
        return copy.deepcopy(value)
    if field == "value":
        return {"min": record.get("min"), "max": record.get("max")}
    return copy.deepcopy(record.get(field))


def _apply(kind: str, record: dict[str, Any], field: str, value: Any) -> None:
    """Lay an edit's value over a record (a copy: the machine's record is kept)."""
    if kind == "event":
        if field == "type":
            record["type"], record["subtype"] = value["type"], value.get("subtype")
        elif field == "date":
            record["date"] = {
                **(record.get("date") or {"text": "", "evidence": []}),
                **value,
                "rule": "reviewed",
                "reason": None,
            }
        elif field == "place":
            machine = record.get("place") or {}
            record["place"] = {
                "name": None,
                "facility": None,
                "admin1": None,
                "country": None,
                "geo_precision": None,
                "geonames_id": None,
                "reason": None,
                **value,
                "attachment": machine.get("attachment"),
                "evidence": machine.get("evidence", []),
            }
        elif field == "perpetrator":
            actors = [a for a in record.get("actors") or [] if a["role"] != "perpetrator"]
            if value:
                actors.insert(
                    0,
                    {
                        "role": "perpetrator",
                        "name": value["name"],
                        "normalized": value["name"],
                        "type": value.get("type"),
                        "evidence": [],
                    },
                )
            record["actors"] = actors
        else:
            record[field] = value
    elif kind == "figure" and field == "value":
        record["min"], record["max"] = value["min"], value["max"]
        record["best"] = value.get("best", value["min"] if value["min"] == value["max"] else None)
        record["approximate"] = False
    else:
        record[field] = value


def fold(kind: str, record: dict[str, Any], decisions: list[dict[str, Any]]) -> dict[str, Any]:
    """The record as reviewed: each field's latest edit laid over a copy, and `review`
    ({status, fields: {field: machine value}, decisions, history}). The latest
    accept, reject or edit gives the status; none gives "machine"."""
    out = copy.deepcopy(record) if decisions else dict(record)
    status = "machine"
    machine: dict[str, Any] = {}
    for d in decisions:
        if d["action"] not in VERDICTS:
            continue
        status = VERDICTS[d["action"]]
        if d["action"] == "edit" and d.get("field"):
            machine.setdefault(d["field"], machine_value(kind, record, d["field"]))
            _apply(kind, out, d["field"], d["after"])
    out["review"] = {
        "status": status,
        "fields": machine,
        "decisions": len(decisions),
        "history": f"/api/{kind}s/{record.get('id')}/history",
    }
    return out


_PRECISIONS = ("day", "week", "month", "year")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _text(value: Any, what: str, *, limit: int = 300) -> str:
    if not isinstance(value, str) or not value.strip() or len(value) > limit:
        raise ReviewError(f"{what} must be text of 1 to {limit} characters")
    return value.strip()


def _number(value: Any, what: str, lo: float, hi: float) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not lo <= value <= hi:
        raise ReviewError(f"{what} must be a number from {lo:g} to {hi:g}")
    return value


def _day(value: Any, what: str) -> str:
    from datetime import date

    if not isinstance(value, str) or not _DATE.fullmatch(value):
        raise ReviewError(f"{what} must be a date written YYYY-MM-DD")
    try:
        date.fromisoformat(value)
    except ValueError as exc:
        raise ReviewError(f"{what} {value!r} is not a day of the calendar") from exc
    return value


def check_value(kind: str, field: str, value: Any) -> Any:
    """An edit's value in its stored shape (docs/api.md, "Review"); ReviewError if it
    does not fit the field."""
    if kind == "event" and field == "type":
        if not isinstance(value, dict):
            raise ReviewError('type: send {"type": "...", "subtype": "..." or null}')
        subtype = value.get("subtype")
        return {
            "type": _text(value.get("type"), "type", limit=100),
            "subtype": None if subtype in (None, "") else _text(subtype, "subtype", limit=100),
        }
    if kind == "event" and field == "date":
        if not isinstance(value, dict):
            raise ReviewError('date: send {"start": "YYYY-MM-DD", "end": ..., "precision": "day"}')
        start = _day(value.get("start"), "date start")
        end = _day(value.get("end") or start, "date end")
        if end < start:
            raise ReviewError(f"date end {end} is before its start {start}")
        precision = value.get("precision") or "day"
        if precision not in _PRECISIONS:
            raise ReviewError(f"date precision: choose {', '.join(_PRECISIONS)}")
        return {"start": start, "end": end, "precision": precision}
    if kind == "event" and field == "place":
        if not isinstance(value, dict):
            raise ReviewError('place: send {"name", "lat", "lon", "precision"} (see docs/api.md)')
        precision = int(_number(value.get("precision"), "place precision (UCDP where_prec)", 1, 7))
        place = {
            "name": None if not value.get("name") else _text(value["name"], "place name"),
            "facility": None
            if not value.get("facility")
            else _text(value["facility"], "place facility"),
            "lat": _number(value.get("lat"), "latitude", -90, 90),
            "lon": _number(value.get("lon"), "longitude", -180, 180),
            "precision": precision,
            # ACLED's geo_precision from UCDP's where_prec (as places.resolver derives it).
            "geo_precision": {1: 1, 2: 2, 3: 3, 4: 3}.get(precision),
            "admin1": None if not value.get("admin1") else _text(value["admin1"], "admin-1"),
            "country": None,
            "geonames_id": None,
        }
        country = value.get("country")
        if country:
            if not isinstance(country, str) or not re.fullmatch(r"[A-Za-z]{2}", country):
                raise ReviewError("place country must be an ISO 3166 code such as LB")
            place["country"] = country.upper()
        if value.get("geonames_id") is not None:
            place["geonames_id"] = int(_number(value["geonames_id"], "geonames_id", 1, 2**53))
        return place
    if kind == "event" and field == "perpetrator":
        if value is None or value == "" or (isinstance(value, dict) and not value.get("name")):
            return None
        name = value.get("name") if isinstance(value, dict) else value
        return {"name": _text(name, "perpetrator name", limit=200)}
    if kind == "event" and field == "health_care":
        if value is None or value is False:
            return None
        if value is True:
            return {"attack_types": [], "resources": []}
        if not isinstance(value, dict):
            raise ReviewError(
                'health_care: send null, or {"attack_types": [...], "resources": [...]}'
            )
        out = {}
        for key in ("attack_types", "resources"):
            items = value.get(key) or []
            if not isinstance(items, list):
                raise ReviewError(f"health_care {key} must be a list of words")
            out[key] = [_text(i, f"health_care {key}", limit=100) for i in items]
        return out
    if kind == "figure" and field == "value":
        if not isinstance(value, dict):
            raise ReviewError('value: send {"min": number, "max": number or null}')
        lo = value.get("min")
        hi = value.get("max", lo)
        lo = None if lo is None else _number(lo, "min", 0, 1e9)
        hi = None if hi is None else _number(hi, "max", 0, 1e9)
        if lo is None and hi is None:
            raise ReviewError("value: give min, max or both")
        if lo is not None and hi is not None and hi < lo:
            raise ReviewError(f"value: max {hi:g} is below min {lo:g}")
        return {"min": lo, "max": hi}
    if kind == "figure" and field == "group":
        return None if value in (None, "") else _text(value, "group", limit=100)
    if kind == "figure" and field == "scope":
        if value not in ("incident", "cumulative"):
            raise ReviewError("scope: choose incident or cumulative")
        return value
    if kind == "figure" and field == "claimant":
        if value in (None, "") or (isinstance(value, dict) and not value.get("name")):
            return None
        name = value.get("name") if isinstance(value, dict) else value
        kind_ = value.get("type") if isinstance(value, dict) else None
        return {
            "name": _text(name, "claimant name", limit=200),
            "type": None if not kind_ else _text(kind_, "claimant type", limit=60),
        }
    raise ReviewError(f"field {field!r} of a {kind} cannot be edited")
