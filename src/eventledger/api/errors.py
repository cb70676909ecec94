"""One JSON error shape for every error: {"error": {"code", "message", "detail"}}."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from eventledger.api.limits import SECURITY_HEADERS
from eventledger.api.responses import SafeJSONResponse
from eventledger.errors import EventLedgerError

__all__ = ["ApiError", "error_body", "install_error_handlers"]

log = logging.getLogger("eventledger.api")

STATUS_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    413: "payload_too_large",
    422: "validation_error",
    500: "internal_error",
}

HtmlErrors = Callable[[Request, int, str, str], Response]


class ApiError(Exception):
    """An error the API answers with `status` and the one error shape."""

    def __init__(self, status: int, message: str, detail: Any = None, code: str | None = None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.detail = detail
        self.code = code or STATUS_CODES.get(status, "error")


def error_body(code: str, message: str, detail: Any = None) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "detail": detail}}


def _wants_html(request: Request) -> bool:
    """Pages outside /api answer errors as HTML; the API always answers JSON."""
    return not request.url.path.startswith("/api") and "text/html" in request.headers.get(
        "accept", ""
    )


def install_error_handlers(app: FastAPI, html_errors: HtmlErrors | None = None) -> None:
    """Turn every error (HTTP, validation, library, unexpected) into the one shape."""

    def respond(request: Request, status: int, code: str, message: str, detail: Any) -> Response:
        if html_errors is not None and _wants_html(request):
            return html_errors(request, status, code, message)
        return SafeJSONResponse(error_body(code, message, detail), status_code=status)

    async def api_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, ApiError)
        return respond(request, exc.status, exc.code, exc.message, exc.detail)

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        code = STATUS_CODES.get(exc.status_code, "error")
        return respond(request, exc.status_code, code, str(exc.detail), None)

    async def validation_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        detail = [
            {"loc": list(e.get("loc", ())), "msg": e.get("msg"), "type": e.get("type")}
            for e in exc.errors()
        ]
        # The message names the fields at fault, so the HTML error page says it too.
        fields = ", ".join(
            dict.fromkeys(f"{d['loc'][-1]} ({d['msg']})" for d in detail if d["loc"])
        )
        message = f"the request is not valid: {fields}" if fields else "the request is not valid"
        return respond(request, 422, "validation_error", message, detail)

    async def library_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, EventLedgerError)
        log.error("library error on %s: %s", request.url.path, exc)
        return respond(request, 500, "storage_error", f"[{exc.code}] {exc}", None)

    async def unexpected(request: Request, exc: Exception) -> Response:
        # The message of an unexpected error may hold internals: log it, say little.
        log.exception("unexpected error on %s", request.url.path)
        response = respond(
            request, 500, "internal_error", "the server failed on this request", type(exc).__name__
        )
        # Starlette sends a 500 from outside every middleware: the headers go on here.
        response.headers.update(SECURITY_HEADERS)
        return response

    app.add_exception_handler(ApiError, api_error)
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(EventLedgerError, library_error)
    app.add_exception_handler(Exception, unexpected)
