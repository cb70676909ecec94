"""Incidents: filtered list, and one incident with its events, figures, claims and sources."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request

from eventledger.api.deps import FiltersDep, LimitDep, OffsetDep, QueriesDep
from eventledger.api.errors import ApiError
from eventledger.api.overlay import reviewed, reviewed_page
from eventledger.api.responses import SafeJSONResponse, page_response
from eventledger.api.schemas import ERRORS, PageOut
from eventledger.storage.queries import MAX_LIMIT

router = APIRouter(prefix="/api/incidents", tags=["incidents"], responses=ERRORS)


@router.get("", response_model=PageOut)
def list_incidents(
    request: Request,
    queries: QueriesDep,
    filters: FiltersDep,
    limit: LimitDep = 50,
    offset: OffsetDep = 0,
) -> Any:
    """Incidents matching the filters, newest first."""
    page = queries.incidents(filters, limit=limit, offset=offset)
    return page_response(reviewed_page(request, "incident", page))


@router.get("/{incident_id}")
def get_incident(
    request: Request,
    incident_id: str,
    queries: QueriesDep,
    source_offset: OffsetDep = 0,
    source_limit: Annotated[
        int | None,
        Query(ge=0, le=MAX_LIMIT, description="at most this many sources (all if unset)"),
    ] = None,
) -> Any:
    """One incident with its events, figures, claims and source documents (with text);
    `documents_total` counts the sources, `source_offset`/`source_limit` page them."""
    found = queries.incident(incident_id, source_offset=source_offset, source_limit=source_limit)
    if found is None:
        raise ApiError(404, f"no incident {incident_id!r}")
    found["incident"] = reviewed(request, "incident", [found["incident"]])[0]
    for key, kind in (("events", "event"), ("figures", "figure"), ("claims", "claim")):
        found[key] = reviewed(request, kind, found[key])
    return SafeJSONResponse(found)
