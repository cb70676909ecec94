"""Incidents and exports as reviewed: the coders' decisions laid over the machine's records.

Events, figures and claims are folded by `Review.overlay` (the latest
decision on each field). An incident then shows its figures' reviewed
values (a rejected figure, or one edited to the cumulative scope, leaves the
incident's toll; a figure whose group was edited moves to that group), its
toll reckoned again by the usual rule (stages.incidents.tolls) where a value
changed, and a `review` status of its own:

- rejected: every one of its events was rejected;
- edited: an event or figure of it was edited, or a coder merged or split it;
- accepted: every event not rejected was accepted;
- machine: otherwise.

An edit of an event's type, date or place is the incident's too (the
latest such edit among its events wins): the coder corrected the fact the
incident was drawn from.
"""

from __future__ import annotations

import copy
from collections import defaultdict
from typing import Any

from eventledger.models import FigureValue, to_dict
from eventledger.stages.incidents.tolls import reconcile_values
from eventledger.storage.edits import fold
from eventledger.storage.review import Review

__all__ = ["incident_status", "overlay_export", "overlay_incidents"]

_VERDICTS = {"accept": "accepted", "reject": "rejected", "edit": "edited"}
# The event fields an incident shares with the events it was drawn from.
_INCIDENT_FIELDS = ("type", "date", "place")


def _apply_incident(incident: dict[str, Any], field: str, value: Any) -> None:
    """Lay an event's edit of type, date or place over its incident (a copy)."""
    if field == "type":
        incident["type"] = value["type"]
        return
    folded = fold(
        "event",
        {"id": "", field: incident.get(field)},
        [{"action": "edit", "field": field, "after": value}],
    )
    incident[field] = folded[field]


def incident_status(event_statuses: list[str], figure_statuses: list[str], decided: bool) -> str:
    """An incident's review_status from its events' and figures' (see the module doc)."""
    if event_statuses and all(s == "rejected" for s in event_statuses):
        return "rejected"
    if decided or "edited" in event_statuses or "edited" in figure_statuses:
        return "edited"
    kept = [s for s in event_statuses if s != "rejected"]
    if kept and all(s == "accepted" for s in kept):
        return "accepted"
    return "machine"


def _value_record(value: dict[str, Any], figure: dict[str, Any] | None) -> dict[str, Any]:
    """A figure record for `fold`, from an incident's value and (if read) its figure."""
    base = {"kind": None, "group": None, "scope": "incident"} | (figure or {})
    return {
        **base,
        "id": value["figure_id"],
        "min": value.get("min"),
        "max": value.get("max"),
        "best": value.get("best"),
        "claimant": value.get("claimant"),
    }


def _incident_figures(
    incident: dict[str, Any],
    folded: dict[str, dict[str, Any]],
    published_of: dict[str, str | None],
) -> list[dict[str, Any]]:
    """The incident's figures with reviewed values, reckoned again where one changed."""
    source_of = {
        d: s.get("source_id")
        for s in incident.get("sources") or []
        for d in s.get("document_ids", [])
    }
    groups: dict[tuple[str, str | None], list[FigureValue]] = defaultdict(list)
    changed = False
    for fig in incident.get("figures") or []:
        for v in fig["values"]:
            rec = folded.get(v["figure_id"])
            status = (rec or {}).get("review", {}).get("status", "machine")
            if status == "machine" or rec is None:
                groups[(fig["kind"], fig.get("group"))].append(_plain_value(v))
                continue
            changed = True
            if status == "rejected" or rec.get("scope") == "cumulative":
                continue
            value = _plain_value(v)
            value.min, value.max, value.best = rec["min"], rec["max"], rec.get("best")
            value.claimant = rec.get("claimant")
            groups[(fig["kind"], rec.get("group"))].append(value)
    if not changed:
        return incident.get("figures") or []
    figures = [to_dict(f) for f in reconcile_values(groups, source_of, published_of)]
    for fig in figures:
        for v in fig["values"]:
            rec = folded.get(v["figure_id"])
            if rec is not None and rec["review"]["status"] != "machine":
                v["review"] = rec["review"]
    return figures


def _plain_value(v: dict[str, Any]) -> FigureValue:
    return FigureValue(
        v.get("min"),
        v.get("max"),
        v.get("claimant"),
        v["document_id"],
        v["figure_id"],
        v.get("best"),
        v.get("part_of"),
    )


def overlay_incidents(
    review: Review,
    incidents: list[dict[str, Any]],
    *,
    published_of: dict[str, str | None] | None = None,
    figures: dict[str, dict[str, Any]] | None = None,
) -> list[dict[str, Any]]:
    """The incidents as reviewed (copies), each with `review` ({status, decisions, history})."""
    if not incidents:
        return incidents
    event_ids = [e for inc in incidents for e in inc.get("event_ids", [])]
    event_decisions = review.decisions_for("event", event_ids)
    statuses = {
        e: next(
            (
                _VERDICTS[d["action"]]
                for d in reversed(event_decisions.get(e, []))
                if d["action"] in _VERDICTS
            ),
            "machine",
        )
        for e in event_ids
    }
    value_ids = [
        v["figure_id"] for inc in incidents for f in inc.get("figures") or [] for v in f["values"]
    ]
    decided_values = review.decisions_for("figure", value_ids)
    incident_decisions: dict[str, int] = defaultdict(int)
    for d in review.decisions_for_incidents([inc["id"] for inc in incidents]):
        incident_decisions[d["record_id"]] += 1
    out = []
    for inc in incidents:
        inc = copy.copy(inc)
        folded = {
            v["figure_id"]: fold(
                "figure",
                _value_record(v, (figures or {}).get(v["figure_id"])),
                decided_values[v["figure_id"]],
            )
            for f in inc.get("figures") or []
            for v in f["values"]
            if v["figure_id"] in decided_values
        }
        if folded:
            inc["figures"] = _incident_figures(inc, folded, published_of or {})
        edits = sorted(
            (
                d
                for e in inc.get("event_ids", [])
                for d in event_decisions.get(e, [])
                if d["action"] == "edit" and d["field"] in _INCIDENT_FIELDS
            ),
            key=lambda d: d["id"],
        )
        for d in edits:
            _apply_incident(inc, d["field"], d["after"])
        figure_statuses = [r["review"]["status"] for r in folded.values()]
        own = incident_decisions.get(inc["id"], 0)
        inc["review"] = {
            "status": incident_status(
                [statuses.get(e, "machine") for e in inc.get("event_ids", [])],
                figure_statuses,
                own > 0,
            ),
            "decisions": own,
            "history": f"/api/incidents/{inc['id']}/history",
        }
        out.append(inc)
    return out


def overlay_export(review: Review, data: dict[str, Any], *, reviewed_only: bool = False) -> dict:
    """A ledger export (`Ledger.export`) as reviewed: every event, figure, claim and
    incident with `review_status`; with `reviewed_only`, only the accepted and
    edited ones (and the documents they rest on)."""
    out = dict(data)
    for key, kind in (("events", "event"), ("figures", "figure"), ("claims", "claim")):
        out[key] = review.overlay(kind, data.get(key, []))
    figures = {f["id"]: f for f in data.get("figures", [])}
    published = {d["id"]: d.get("published") for d in data.get("documents", [])}
    out["incidents"] = overlay_incidents(
        review, data.get("incidents", []), published_of=published, figures=figures
    )
    for key in ("events", "figures", "claims", "incidents"):
        for record in out[key]:
            record["review_status"] = record.pop("review")["status"]
    for incident in out["incidents"]:
        for fig in incident.get("figures") or []:
            for value in fig["values"]:
                if "review" in value:  # a reviewed value says so; the others are the machine's
                    value["review_status"] = value.pop("review")["status"]
    if reviewed_only:
        keep = ("accepted", "edited")
        for key in ("events", "figures", "claims", "incidents"):
            out[key] = [r for r in out[key] if r["review_status"] in keep]
        cited = {d for i in out["incidents"] for d in i.get("document_ids", [])}
        cited |= {r["document_id"] for k in ("events", "figures", "claims") for r in out[k]}
        out["documents"] = [d for d in data.get("documents", []) if d["id"] in cited]
        kept = {f["id"] for f in out["figures"]}
        out["tolls"] = [
            {**t, "series": [p for p in t["series"] if p["figure_id"] in kept]}
            for t in data.get("tolls", [])
        ]
        out["tolls"] = [t for t in out["tolls"] if t["series"]]
    return out
