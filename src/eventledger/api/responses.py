"""A JSON response safe to embed anywhere: <, > and & are written as \\u escapes."""

from __future__ import annotations

import json
from typing import Any

from fastapi.responses import JSONResponse

__all__ = ["SafeJSONResponse", "page_response"]


class SafeJSONResponse(JSONResponse):
    """JSON whose text holds no raw <, > or &: article text cannot close a script tag."""

    def render(self, content: Any) -> bytes:
        text = json.dumps(content, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
        text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
        return text.encode("utf-8")


def page_response(page: Any) -> SafeJSONResponse:
    """A list answer, `{"items", "total", "limit", "offset"}`, written as is.

    The records are JSON read from the ledger: returned as a response, they
    skip FastAPI's response-model pass (validating and re-encoding every
    value of 50 records costs more than the query). The route keeps its
    `response_model` for the OpenAPI schema.
    """
    return SafeJSONResponse(
        {"items": page.items, "total": page.total, "limit": page.limit, "offset": page.offset}
    )
