"""Dates stage: temporal expressions resolved against the publication date."""

from eventledger.stages.dates.rules import (
    DateRules,
    Resolution,
    parse_published,
    resolve_expression,
    resolve_text,
)

__all__ = ["DateRules", "Resolution", "parse_published", "resolve_expression", "resolve_text"]
