"""Review: coders' decisions on events, figures, claims and incidents, and their history.

Every write needs a coder's or admin's bearer token (api.auth); a viewer's
token gets 403. Decisions are appended, never changed: an answer is the
decision as recorded, with its id.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, Field

from eventledger.api.auth import WriterDep, desk_of
from eventledger.api.deps import LimitDep, OffsetDep
from eventledger.api.errors import ApiError
from eventledger.api.schemas import ERRORS, ErrorBody
from eventledger.errors import NotFound, ReviewError

router = APIRouter(prefix="/api", tags=["review"], responses=ERRORS)

WRITE_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorBody, "description": "missing or wrong token"},
    403: {"model": ErrorBody, "description": "a viewer, or no user exists (read-only)"},
}


class DecisionIn(BaseModel):
    """accept or reject a record, or edit one field of it (docs/api.md gives each value)."""

    action: Literal["accept", "reject", "edit"]
    field: str | None = Field(default=None, max_length=100)
    value: Any = None
    reason: str = Field(default="", max_length=2000)


class MergeIn(BaseModel):
    other: str = Field(
        min_length=1, max_length=300, description="the incident merged into this one"
    )
    reason: str = Field(default="", max_length=2000)


class SplitIn(BaseModel):
    event_id: str = Field(min_length=1, max_length=300, description="the event moved out")
    reason: str = Field(default="", max_length=2000)


def _translate(exc: ReviewError) -> ApiError:
    """A review error as the one error shape: 404 for what is not there, else 422."""
    return ApiError(404 if isinstance(exc, NotFound) else 422, str(exc))


def _decide(request: Request, user, kind: str, record_id: str, body: DecisionIn) -> Any:
    try:
        return desk_of(request).decide(
            user,
            kind,
            record_id,
            body.action,
            field=body.field,
            value=body.value,
            reason=body.reason,
        )
    except ReviewError as exc:
        raise _translate(exc) from exc


@router.post("/events/{event_id}/decisions", status_code=201, responses=WRITE_ERRORS)
def decide_event(event_id: str, body: DecisionIn, request: Request, user: WriterDep) -> Any:
    """Accept, reject, or edit an event's type, date, place, perpetrator or health_care."""
    return _decide(request, user, "event", event_id, body)


@router.post("/figures/{figure_id}/decisions", status_code=201, responses=WRITE_ERRORS)
def decide_figure(figure_id: str, body: DecisionIn, request: Request, user: WriterDep) -> Any:
    """Accept, reject, or edit a figure's value, group, scope or claimant."""
    return _decide(request, user, "figure", figure_id, body)


@router.post("/claims/{claim_id}/decisions", status_code=201, responses=WRITE_ERRORS)
def decide_claim(claim_id: str, body: DecisionIn, request: Request, user: WriterDep) -> Any:
    """Accept or reject a claim."""
    return _decide(request, user, "claim", claim_id, body)


@router.post("/incidents/{incident_id}/merge", status_code=201, responses=WRITE_ERRORS)
def merge_incidents(incident_id: str, body: MergeIn, request: Request, user: WriterDep) -> Any:
    """Merge incident `other` into this one (its events and sources join this one)."""
    try:
        return desk_of(request).merge(user, incident_id, body.other, body.reason)
    except ReviewError as exc:
        raise _translate(exc) from exc


@router.post("/incidents/{incident_id}/split", status_code=201, responses=WRITE_ERRORS)
def split_incident(incident_id: str, body: SplitIn, request: Request, user: WriterDep) -> Any:
    """Move one event out of this incident into a new one (`after.new_incident`)."""
    try:
        return desk_of(request).split(user, incident_id, body.event_id, body.reason)
    except ReviewError as exc:
        raise _translate(exc) from exc


@router.get("/{kind}/{record_id}/history")
def history(
    kind: Literal["events", "figures", "claims", "incidents"], record_id: str, request: Request
) -> Any:
    """Every decision on a record, oldest first (an event, figure or claim's follow it
    across re-runs of the pipeline)."""
    try:
        items = desk_of(request).review.history(kind[:-1], record_id)
    except ReviewError as exc:
        raise _translate(exc) from exc
    return {"items": items, "total": len(items)}


@router.get("/decisions")
def list_decisions(
    request: Request,
    orphaned: Annotated[
        bool, Query(description="only those whose record is gone (after a re-run or revision)")
    ] = False,
    limit: LimitDep = 50,
    offset: OffsetDep = 0,
) -> Any:
    """The decisions, oldest first: who changed what, when and why."""
    review = desk_of(request).review
    if orphaned:
        found = review.orphaned()
        return {"items": found[offset : offset + limit], "total": len(found), "limit": limit,
                "offset": offset}  # fmt: skip
    return {
        "items": review.decisions(limit=limit, offset=offset),
        "total": review.count(),
        "limit": limit,
        "offset": offset,
    }


@router.get("/places")
def place_candidates(
    request: Request, name: Annotated[str, Query(min_length=1, max_length=200)]
) -> Any:
    """The gazetteer's places by this name (most populous first), in the shape a place
    edit takes: pick one and send it as an event's `place`."""
    items = desk_of(request).place_candidates(name)
    return {"items": items, "total": len(items)}
