"""Records as reviewed: the latest coder decision laid over what the API reads.

Each record read carries `review` ({status, fields, decisions, history});
the machine's values of edited fields are in `review.fields`. A server
started without a review desk (tests, `create_app` alone) answers the
machine's records unchanged.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from fastapi import Request

from eventledger.review.overlay import overlay_incidents

__all__ = ["reviewed", "reviewed_page"]


def reviewed(request: Request, kind: str, records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """`records` (events, figures, claims or incidents) as reviewed."""
    desk = getattr(request.app.state, "desk", None)
    if desk is None or not records:
        return records
    if kind == "incident":
        return overlay_incidents(desk.review, records)
    return desk.review.overlay(kind, records)


def reviewed_page(request: Request, kind: str, page: Any) -> Any:
    """A Page whose items are reviewed."""
    return dataclasses.replace(page, items=reviewed(request, kind, page.items))
