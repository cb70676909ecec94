"""The FastAPI application: read endpoints, one error shape, size limit, security headers."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from fastapi import APIRouter, Depends, FastAPI

from eventledger.api.deps import no_nul_in_query
from eventledger.api.errors import HtmlErrors, install_error_handlers
from eventledger.api.limits import BodyLimit, HeadAsGet, SecurityHeaders, TrailingSlash
from eventledger.api.responses import SafeJSONResponse
from eventledger.api.routers import (
    claims,
    decisions,
    documents,
    events,
    exports,
    figures,
    incidents,
    tolls,
)
from eventledger.review.desk import Desk
from eventledger.storage.queries import Queries

__all__ = ["create_app"]

Ingest = Callable[[dict[str, Any]], dict[str, Any]]
# The export (Ledger.export's shape) of these incidents and the records they rest on.
Export = Callable[[list[str]], dict[str, Any]]


def create_app(
    queries: Queries,
    *,
    api_token: str = "",
    ingest: Ingest | None = None,
    export: Export | None = None,
    max_request_bytes: int = 1_000_000,
    max_article_chars: int = 200_000,
    routers: Iterable[APIRouter] = (),
    html_errors: HtmlErrors | None = None,
    desk: Desk | None = None,
) -> FastAPI:
    """An app serving `queries` read-only; POST /api/documents only with a token and
    `ingest`; downloads (/api/export) when given `export`; decisions only with a
    `desk` and a coder's token."""
    app = FastAPI(
        title="eventledger",
        summary="Incidents, events, figures and claims, each traced to its evidence.",
        version="1",
        openapi_url="/api/openapi.json",
        # Swagger UI and ReDoc load scripts from a CDN: offline they cannot work.
        docs_url=None,
        redoc_url=None,
        default_response_class=SafeJSONResponse,
        # Never redirect to the request's Host: TrailingSlash answers "/x/" as "/x".
        redirect_slashes=False,
        dependencies=[Depends(no_nul_in_query)],
    )
    app.state.queries = queries
    app.state.api_token = api_token
    app.state.ingest = ingest
    app.state.export = export
    app.state.max_article_chars = max_article_chars
    app.state.desk = desk
    # decisions first: its /api/{kind}/{id}/history must not be read as a record id.
    for module in (decisions, incidents, events, figures, claims, documents, tolls, exports):
        app.include_router(module.router)
    for router in routers:
        app.include_router(router)
    install_error_handlers(app, html_errors)
    # The last added is the outermost: the 413 of BodyLimit gets the headers too.
    app.add_middleware(TrailingSlash)
    app.add_middleware(HeadAsGet)
    app.add_middleware(BodyLimit, max_bytes=max_request_bytes)
    app.add_middleware(SecurityHeaders)
    return app
