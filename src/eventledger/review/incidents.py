"""A coder's merges and splits of incidents, and their replay after the machine re-links.

Incidents are the linker's work, rebuilt when documents come and go; a merge
or a split changes the incidents table as the linker would (the events and
the documents' records stay untouched) and appends a decision that names
the moved events by their anchors. `replay` applies those decisions again
after a reprocess or a revised article re-linked the events: a merge joins
the incidents that now hold its two sides; a split moves its event out
again only while that event still shares an incident with the events it was
split from. A decision none of whose events exists any more is listed, not
applied.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from eventledger.errors import NotFound, ReviewError
from eventledger.models import Incident
from eventledger.stages.incidents import IncidentLinker
from eventledger.storage import Ledger
from eventledger.storage.review import Review, User

__all__ = ["Replay", "merge", "replay", "split"]


def _require(user: User) -> None:
    if not user.can_write:
        raise ReviewError(f"user {user.name!r} is a {user.role}: only coders and admins decide")


def _incident(ledger: Ledger, incident_id: str) -> Incident:
    found = ledger.incident(incident_id)
    if found is None:
        raise NotFound(f"no incident {incident_id!r}")
    return found


def _join(ledger: Ledger, linker: IncidentLinker, keep: Incident, gone: Incident, why: str) -> None:
    keep.event_ids += [e for e in gone.event_ids if e not in keep.event_ids]
    keep.document_ids += [d for d in gone.document_ids if d not in keep.document_ids]
    keep.why.append(why)
    linker.refresh(keep)
    with ledger.unit():
        ledger.delete_incident(gone.id)
        ledger.save_incident(keep)


def _free_id(ledger: Ledger, event_id: str) -> str:
    base = f"inc-{event_id}"
    candidate, n = base, 1
    while ledger.incident(candidate) is not None:
        n += 1
        candidate = f"{base}.s{n}"
    return candidate


def _move_out(
    ledger: Ledger, linker: IncidentLinker, incident: Incident, event_id: str, why: str
) -> Incident:
    (event,) = ledger.events_by_id([event_id])
    incident.event_ids = [e for e in incident.event_ids if e != event_id]
    left = ledger.events_by_id(incident.event_ids)
    incident.document_ids = [
        d for d in incident.document_ids if any(e.document_id == d for e in left)
    ]
    if left:  # what it says now rests on the events it keeps
        incident.type, incident.date, incident.place = left[0].type, left[0].date, left[0].place
    incident.why.append(why)
    new = Incident(
        id=_free_id(ledger, event_id),
        type=event.type,
        event_ids=[event_id],
        document_ids=[event.document_id],
        date=event.date,
        place=event.place,
        why=[why],
    )
    linker.refresh(incident)
    linker.refresh(new)
    with ledger.unit():
        ledger.save_incident(incident)
        ledger.save_incident(new)
    return new


def merge(
    ledger: Ledger,
    linker: IncidentLinker,
    review: Review,
    user: User,
    incident_id: str,
    other_id: str,
    reason: str = "",
) -> dict[str, Any]:
    """Merge incident `other_id` into `incident_id`; the decision recorded."""
    _require(user)
    if incident_id == other_id:
        raise ReviewError("an incident cannot be merged with itself; name two incidents")
    keep, gone = _incident(ledger, incident_id), _incident(ledger, other_id)
    anchors = ledger.event_anchors(keep.event_ids + gone.event_ids)
    before = {
        "incidents": [keep.id, gone.id],
        "event_ids": [list(keep.event_ids), list(gone.event_ids)],
    }
    after = {
        "incident": keep.id,
        "into": [anchors.get(e, e) for e in keep.event_ids],
        "from": [anchors.get(e, e) for e in gone.event_ids],
    }
    _join(ledger, linker, keep, gone, f"merged with {gone.id} by {user.name}: {reason or '-'}")
    return review.append(
        user,
        kind="incident",
        record_id=keep.id,
        anchor=keep.id,
        action="merge",
        field="event_ids",
        before=before,
        after=after,
        reason=reason,
    )


def split(
    ledger: Ledger,
    linker: IncidentLinker,
    review: Review,
    user: User,
    incident_id: str,
    event_id: str,
    reason: str = "",
) -> dict[str, Any]:
    """Move one event out of an incident into a new incident; the decision recorded
    (its `after` names the new incident)."""
    _require(user)
    incident = _incident(ledger, incident_id)
    if event_id not in incident.event_ids:
        raise NotFound(f"incident {incident_id!r} holds no event {event_id!r}")
    if len(incident.event_ids) < 2:
        raise ReviewError(f"incident {incident_id!r} holds one event only: nothing to split")
    anchors = ledger.event_anchors(incident.event_ids)
    before = {"incident": incident.id, "event_ids": list(incident.event_ids)}
    rest = [anchors.get(e, e) for e in incident.event_ids if e != event_id]
    new = _move_out(
        ledger, linker, incident, event_id, f"{event_id}: split out by {user.name}: {reason or '-'}"
    )
    after = {
        "incident": incident.id,
        "new_incident": new.id,
        "event": anchors.get(event_id, event_id),
        "from": rest,
    }
    return review.append(
        user,
        kind="incident",
        record_id=incident.id,
        anchor=incident.id,
        action="split",
        field="event_ids",
        before=before,
        after=after,
        reason=reason,
    )


@dataclass(slots=True)
class Replay:
    applied: list[dict[str, Any]] = field(default_factory=list)
    unchanged: list[dict[str, Any]] = field(default_factory=list)  # holds already
    gone: list[dict[str, Any]] = field(default_factory=list)  # their events are gone


def _holder(ledger: Ledger, event_ids: list[str]) -> Incident | None:
    found = ledger.incidents_of_events(event_ids)
    return found[0] if found else None


def replay(ledger: Ledger, linker: IncidentLinker, review: Review) -> Replay:
    """Apply the merges and splits of `review` again, oldest first (see the module doc)."""
    out = Replay()
    for decision in review.decisions(kind="incident", actions=("merge", "split")):
        after = decision.get("after") or {}
        if decision["action"] == "merge":
            into = [
                e for ids in ledger.events_with_anchors(after.get("into", [])).values() for e in ids
            ]
            from_ = [
                e for ids in ledger.events_with_anchors(after.get("from", [])).values() for e in ids
            ]
            keep, gone = _holder(ledger, into), _holder(ledger, from_)
            if keep is None or gone is None:
                out.gone.append(decision)
            elif keep.id == gone.id:
                out.unchanged.append(decision)
            else:
                why = f"merged with {gone.id} (decision {decision['id']} by {decision['user']})"
                _join(ledger, linker, keep, gone, why)
                out.applied.append(decision)
            continue
        moved = ledger.events_with_anchors([after.get("event", "")]).get(after.get("event", ""))
        if not moved:
            out.gone.append(decision)
            continue
        incident = _holder(ledger, moved[:1])
        from_ = {
            e for ids in ledger.events_with_anchors(after.get("from", [])).values() for e in ids
        }
        if incident is None or not from_ & set(incident.event_ids) or len(incident.event_ids) < 2:
            out.unchanged.append(decision)
            continue
        why = f"{moved[0]}: split out (decision {decision['id']} by {decision['user']})"
        _move_out(ledger, linker, incident, moved[0], why)
        out.applied.append(decision)
    return out
