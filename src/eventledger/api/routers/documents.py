"""Documents: list (without text), one document with text and evidence, and token-gated submit."""

from __future__ import annotations

import hmac
from typing import Annotated, Any

from fastapi import APIRouter, Header, Query, Request

from eventledger.api.deps import DATE, LimitDep, OffsetDep, QueriesDep
from eventledger.api.errors import ApiError
from eventledger.api.responses import SafeJSONResponse, page_response
from eventledger.api.schemas import ERRORS, ErrorBody, PageOut, SubmitIn, SubmitOut
from eventledger.storage.queries import FilterError

router = APIRouter(prefix="/api/documents", tags=["documents"], responses=ERRORS)


@router.get("", response_model=PageOut)
def list_documents(
    queries: QueriesDep,
    q: Annotated[
        str | None, Query(max_length=200, description="words in the title or text (or their start)")
    ] = None,
    outlet: Annotated[str | None, Query(max_length=300)] = None,
    date_from: Annotated[str | None, Query(pattern=DATE)] = None,
    date_to: Annotated[str | None, Query(pattern=DATE)] = None,
    limit: LimitDep = 50,
    offset: OffsetDep = 0,
) -> Any:
    """Current revisions, newest publication first; `length` instead of the text."""
    try:
        page = queries.documents(
            q=q, outlet=outlet, date_from=date_from, date_to=date_to, limit=limit, offset=offset
        )
    except FilterError as exc:
        raise ApiError(422, str(exc), [{"loc": ["query", exc.field], "msg": str(exc)}]) from exc
    return page_response(page)


@router.get("/{document_id}")
def get_document(document_id: str, queries: QueriesDep) -> Any:
    """One revision with its text and every evidence span recorded in it."""
    found = queries.document(document_id)
    if found is None:
        raise ApiError(404, f"no document {document_id!r}")
    found["evidence"] = queries.evidence_rows(document_id=document_id)
    return SafeJSONResponse(found)


@router.post(
    "",
    response_model=SubmitOut,
    status_code=201,
    responses={
        401: {"model": ErrorBody, "description": "missing or wrong token"},
        403: {"model": ErrorBody, "description": "submission is disabled"},
        413: {"model": ErrorBody, "description": "body too large"},
    },
)
def submit_document(
    article: SubmitIn,
    request: Request,
    authorization: Annotated[str | None, Header()] = None,
) -> Any:
    """Ingest one article (Authorization: Bearer <api_token>); disabled when no token is set."""
    state = request.app.state
    token: str = state.api_token
    if not token or state.ingest is None:
        raise ApiError(403, "submitting articles is disabled: set the api_token setting")
    # Only the documented form, "Bearer <token>" (the scheme in any case): a bare token is refused.
    scheme, _, given = (authorization or "").strip().partition(" ")
    given = given.strip()
    if (
        scheme.lower() != "bearer"
        or not given
        or not hmac.compare_digest(given.encode(), token.encode())
    ):
        raise ApiError(401, "missing or wrong token: send Authorization: Bearer <api_token>")
    if len(article.text) > state.max_article_chars:
        raise ApiError(
            413,
            f"the article has {len(article.text)} characters; at most "
            f"{state.max_article_chars} are accepted",
        )
    return state.ingest(article.model_dump())
