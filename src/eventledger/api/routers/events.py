"""Events of current revisions: filtered list and one event."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request

from eventledger.api.deps import FiltersDep, LimitDep, OffsetDep, QueriesDep
from eventledger.api.errors import ApiError
from eventledger.api.overlay import reviewed, reviewed_page
from eventledger.api.responses import page_response
from eventledger.api.schemas import ERRORS, PageOut

router = APIRouter(prefix="/api/events", tags=["events"], responses=ERRORS)


@router.get("", response_model=PageOut)
def list_events(
    request: Request,
    queries: QueriesDep,
    filters: FiltersDep,
    document_id: Annotated[str | None, Query(max_length=300)] = None,
    limit: LimitDep = 50,
    offset: OffsetDep = 0,
) -> Any:
    """Events matching the filters, newest first."""
    page = queries.events(filters, document_id=document_id, limit=limit, offset=offset)
    return page_response(reviewed_page(request, "event", page))


@router.get("/{event_id}")
def get_event(event_id: str, queries: QueriesDep, request: Request) -> dict[str, Any]:
    """One event (any revision), as reviewed."""
    found = queries.event(event_id)
    if found is None:
        raise ApiError(404, f"no event {event_id!r}")
    return reviewed(request, "event", [found])[0]
