"""Request parameters shared by the routers: the ledger's queries, filters, pagination."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query, Request

from eventledger.api.errors import ApiError
from eventledger.storage.queries import MAX_LIMIT, MAX_OFFSET, FilterError, Filters, Queries

__all__ = [
    "DATE",
    "FiltersDep",
    "LimitDep",
    "OffsetDep",
    "QueriesDep",
    "filters",
    "no_nul_in_query",
    "queries",
]

DATE = r"^\d{4}-\d{2}-\d{2}$"


def queries(request: Request) -> Queries:
    """The read-only queries of the ledger this app serves."""
    return request.app.state.queries


def no_nul_in_query(request: Request) -> None:
    """422 for a NUL character in any query parameter: as a text filter it would
    match everything (SQLite ends the pattern there), and no field holds one."""
    bad = [k for k, v in request.query_params.multi_items() if "\x00" in k or "\x00" in v]
    if bad:
        names = ", ".join(dict.fromkeys(k.replace("\x00", "\\x00") for k in bad))
        raise ApiError(
            422,
            f"the query parameter(s) {names} hold a NUL character; remove it",
            [{"loc": ["query", k.replace("\x00", "\\x00")], "msg": "NUL character"} for k in bad],
        )


def filters(
    date_from: Annotated[
        str | None, Query(pattern=DATE, description="ISO date; ranges ending on or after it")
    ] = None,
    date_to: Annotated[
        str | None, Query(pattern=DATE, description="ISO date; ranges starting on or before it")
    ] = None,
    place: Annotated[
        str | None,
        Query(max_length=200, description="place name, facility or admin-1 (substring); or ISO2"),
    ] = None,
    bbox: Annotated[
        str | None, Query(max_length=100, description="west,south,east,north in degrees")
    ] = None,
    type: Annotated[str | None, Query(max_length=100, description="ACLED event type")] = None,
    health_care: Annotated[bool, Query(description="only attacks on health care")] = False,
    actor: Annotated[
        str | None, Query(max_length=200, description="actor name (substring)")
    ] = None,
    claimant: Annotated[
        str | None, Query(max_length=200, description="a figure's claimant (substring)")
    ] = None,
    q: Annotated[
        str | None,
        Query(
            max_length=200, description="words in a source's title or text (each word or its start)"
        ),
    ] = None,
    country: Annotated[
        str | None,
        Query(max_length=100, description="ISO 3166 alpha-2 country code, exactly"),
    ] = None,
) -> Filters:
    """The list filters from the query string; 422 (the one error shape) on a bad bbox or q."""
    try:
        return Filters.from_params(
            date_from=date_from,
            date_to=date_to,
            place=place,
            bbox=bbox,
            type=type,
            health_care=health_care,
            actor=actor,
            claimant=claimant,
            q=q,
            country=country,
        )
    except FilterError as exc:
        raise ApiError(422, str(exc), [{"loc": ["query", exc.field], "msg": str(exc)}]) from exc


QueriesDep = Annotated[Queries, Depends(queries)]
FiltersDep = Annotated[Filters, Depends(filters)]
LimitDep = Annotated[int, Query(ge=0, le=MAX_LIMIT, description=f"at most {MAX_LIMIT}")]
OffsetDep = Annotated[int, Query(ge=0, le=MAX_OFFSET)]
