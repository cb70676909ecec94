"""Reported cumulative tolls: one time series per kind, group and claimant."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from eventledger.api.deps import DATE, QueriesDep
from eventledger.api.schemas import ERRORS, TollsOut
from eventledger.storage.queries import MAX_TOLL_POINTS

router = APIRouter(prefix="/api/tolls", tags=["tolls"], responses=ERRORS)


@router.get("", response_model=TollsOut)
def list_tolls(
    queries: QueriesDep,
    kind: Annotated[str | None, Query(max_length=40, description="figure kind, exactly")] = None,
    claimant: Annotated[
        str | None, Query(max_length=200, description="the claimant's name (substring)")
    ] = None,
    date_from: Annotated[
        str | None, Query(pattern=DATE, description="ISO date; points as of this day or later")
    ] = None,
    date_to: Annotated[
        str | None, Query(pattern=DATE, description="ISO date; points as of this day or earlier")
    ] = None,
    limit: Annotated[
        int, Query(ge=0, le=MAX_TOLL_POINTS, description=f"at most {MAX_TOLL_POINTS} points")
    ] = MAX_TOLL_POINTS,
) -> Any:
    """Series of cumulative figures, ordered by kind, group and claimant; points by as_of."""
    page = queries.tolls(
        kind=kind, claimant=claimant, date_from=date_from, date_to=date_to, limit=limit
    )
    return {"items": page.items, "total": page.total, "limit": page.limit}
