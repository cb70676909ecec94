"""Dates stage: temporal expressions resolved against the publication date."""

from eventledger.stages.dates.rules import (
    Dateline,
    DateRules,
    Resolution,
    parse_published,
    read_dateline,
    resolve_expression,
    resolve_text,
)

__all__ = [
    "DateRules",
    "Dateline",
    "Resolution",
    "parse_published",
    "read_dateline",
    "resolve_expression",
    "resolve_text",
]
