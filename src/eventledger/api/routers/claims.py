"""Claims of current revisions: list by speaker, stance, document or words, and one claim."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request

from eventledger.api.deps import LimitDep, OffsetDep, QueriesDep
from eventledger.api.errors import ApiError
from eventledger.api.overlay import reviewed, reviewed_page
from eventledger.api.responses import page_response
from eventledger.api.schemas import ERRORS, PageOut

router = APIRouter(prefix="/api/claims", tags=["claims"], responses=ERRORS)


@router.get("", response_model=PageOut)
def list_claims(
    request: Request,
    queries: QueriesDep,
    speaker: Annotated[str | None, Query(max_length=200)] = None,
    stance: Annotated[str | None, Query(max_length=40)] = None,
    document_id: Annotated[str | None, Query(max_length=300)] = None,
    q: Annotated[str | None, Query(max_length=200)] = None,
    limit: LimitDep = 50,
    offset: OffsetDep = 0,
) -> Any:
    """Claims in insertion order."""
    page = queries.claims(
        speaker=speaker, stance=stance, document_id=document_id, q=q, limit=limit, offset=offset
    )
    return page_response(reviewed_page(request, "claim", page))


@router.get("/{claim_id}")
def get_claim(claim_id: str, queries: QueriesDep, request: Request) -> dict[str, Any]:
    found = queries.claim(claim_id)
    if found is None:
        raise ApiError(404, f"no claim {claim_id!r}")
    return reviewed(request, "claim", [found])[0]
