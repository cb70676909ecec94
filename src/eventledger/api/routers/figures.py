"""Figures of current revisions: list by kind, claimant, document or event, and one figure."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request

from eventledger.api.deps import LimitDep, OffsetDep, QueriesDep
from eventledger.api.errors import ApiError
from eventledger.api.overlay import reviewed, reviewed_page
from eventledger.api.responses import page_response
from eventledger.api.schemas import ERRORS, PageOut

router = APIRouter(prefix="/api/figures", tags=["figures"], responses=ERRORS)


@router.get("", response_model=PageOut)
def list_figures(
    request: Request,
    queries: QueriesDep,
    kind: Annotated[str | None, Query(max_length=40)] = None,
    claimant: Annotated[str | None, Query(max_length=200)] = None,
    document_id: Annotated[str | None, Query(max_length=300)] = None,
    event_id: Annotated[str | None, Query(max_length=300)] = None,
    limit: LimitDep = 50,
    offset: OffsetDep = 0,
) -> Any:
    """Figures in insertion order."""
    page = queries.figures(
        kind=kind,
        claimant=claimant,
        document_id=document_id,
        event_id=event_id,
        limit=limit,
        offset=offset,
    )
    return page_response(reviewed_page(request, "figure", page))


@router.get("/{figure_id}")
def get_figure(figure_id: str, queries: QueriesDep, request: Request) -> dict[str, Any]:
    found = queries.figure(figure_id)
    if found is None:
        raise ApiError(404, f"no figure {figure_id!r}")
    return reviewed(request, "figure", [found])[0]
