"""ASGI middleware: refuse request bodies over a size limit (413), add security headers, and
answer a path with a trailing slash as the path without it."""

from __future__ import annotations

import json
from typing import Any

from starlette.exceptions import HTTPException

__all__ = ["SECURITY_HEADERS", "BodyLimit", "HeadAsGet", "SecurityHeaders", "TrailingSlash"]

Scope = dict[str, Any]

# No inline script or style: article text that slipped through escaping still cannot run.
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)

# On every response, errors included (docs/api.md, "Safety").
SECURITY_HEADERS = {
    "content-security-policy": CSP,
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
}
_RAW_HEADERS = [(k.encode(), v.encode()) for k, v in SECURITY_HEADERS.items()]


class _TooLarge(HTTPException):
    """Raised while a body streams in; an HTTPException so that body parsers pass it on."""

    def __init__(self, max_bytes: int) -> None:
        super().__init__(413, f"the request body is larger than {max_bytes} bytes")


class BodyLimit:
    """Answer 413 (the one error shape) when a body is, or grows, larger than `max_bytes`."""

    def __init__(self, app: Any, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def _refuse(self, send: Any) -> None:
        body = json.dumps(
            {
                "error": {
                    "code": "payload_too_large",
                    "message": f"the request body is larger than {self.max_bytes} bytes",
                    "detail": {"max_bytes": self.max_bytes},
                }
            }
        ).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                    (b"connection", b"close"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length")
        if declared is not None:
            try:
                too_large = int(declared) > self.max_bytes
            except ValueError:
                too_large = True
            if too_large:
                await self._refuse(send)
                return
        seen = 0
        started = False

        async def counted_receive() -> Any:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    raise _TooLarge(self.max_bytes)
            return message

        async def tracked_send(message: Any) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counted_receive, tracked_send)
        except _TooLarge:
            if not started:
                await self._refuse(send)


class SecurityHeaders:
    """Add CSP, nosniff, no-referrer and frame denial to every response.

    The outermost middleware, so the 413 of `BodyLimit` gets them too; a 500
    is sent by Starlette outside every middleware, so its handler sets them
    itself (`api.errors`).
    """

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Any) -> None:
            if message["type"] == "http.response.start":
                # Replaced, never doubled: an error handler may have set them already.
                headers = [
                    (k, v)
                    for k, v in message.get("headers") or []
                    if k.lower().decode("latin-1") not in SECURITY_HEADERS
                ]
                message = {**message, "headers": headers + _RAW_HEADERS}
            await send(message)

        await self.app(scope, receive, with_headers)


class TrailingSlash:
    """Route `/api/incidents/` as `/api/incidents`, answering it directly.

    Starlette would redirect instead, to an absolute URL built from the
    request's Host header: a foreign Host would send the client elsewhere.
    No redirect is ever built from the request's host (the app turns
    Starlette's off).
    """

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            path = scope.get("path") or "/"
            if len(path) > 1 and path.endswith("/"):
                stripped = path.rstrip("/") or "/"
                scope = {**scope, "path": stripped}
                raw = scope.get("raw_path")
                if raw:
                    scope["raw_path"] = raw.rstrip(b"/") or b"/"
        await self.app(scope, receive, send)


class HeadAsGet:
    """Answer HEAD as GET would, headers and status alike, without the body."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope.get("method") != "HEAD":
            await self.app(scope, receive, send)
            return

        async def without_body(message: Any) -> None:
            if message["type"] == "http.response.body":
                message = {**message, "body": b""}
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, without_body)
