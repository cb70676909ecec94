"""Response schemas for OpenAPI (the records themselves are docs/format.md's JSON)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

__all__ = ["ErrorBody", "ErrorDetail", "PageOut", "SubmitIn", "SubmitOut", "TollsOut"]


class PageOut(BaseModel):
    items: list[dict[str, Any]]
    total: int = Field(description="records the filters match")
    limit: int
    offset: int


class TollsOut(BaseModel):
    items: list[dict[str, Any]] = Field(description="{kind, group, claimant, series: [points]}")
    total: int = Field(description="points the filters match (at most `limit` are returned)")
    limit: int


class ErrorDetail(BaseModel):
    code: str
    message: str
    detail: Any = None


class ErrorBody(BaseModel):
    error: ErrorDetail


class SubmitIn(BaseModel):
    """One article to ingest: its text and what is known about it."""

    text: str = Field(min_length=1)
    title: str | None = Field(default=None, max_length=1000)
    url: str | None = Field(default=None, max_length=2000)
    outlet: str | None = Field(default=None, max_length=300)
    published: str | None = Field(default=None, pattern=r"^\d{4}-\d{2}-\d{2}([T ].*)?$")
    id: str | None = Field(default=None, max_length=200)


class SubmitOut(BaseModel):
    stored: int
    unchanged: int
    rejected: list[dict[str, str]]
    document_ids: list[str]


ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorBody, "description": "no such record"},
    422: {"model": ErrorBody, "description": "invalid parameters"},
}
