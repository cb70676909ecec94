"""Incident tolls: reconcile the figures of an incident's reports into one
low/best/high per (kind, group), keeping every value with its claimant."""

from __future__ import annotations

import statistics
from collections import defaultdict
from typing import Any

from eventledger.models import Figure, FigureValue, IncidentFigure

__all__ = ["Groups", "reconcile_figures", "reconcile_values"]


def _point(v: FigureValue) -> float | None:
    """One number standing for a reported value, for the `best` rule."""
    if v.best is not None:
        return v.best
    if v.min is not None and v.max is not None:
        return (v.min + v.max) / 2
    return v.min if v.min is not None else v.max


Groups = dict[tuple[str, str | None], list[FigureValue]]


def _value(f: Figure) -> FigureValue:
    return FigureValue(f.min, f.max, f.claimant, f.document_id, f.id, f.best)


def reconcile_figures(
    figures: list[Figure], source_of: dict[str, str] | None = None
) -> list[IncidentFigure]:
    """Per (kind, group): every value with its claimant and document.

    Rule (documented in docs/format.md): `low` is the smallest lower bound,
    `high` the largest upper bound (null when any report is open-ended, e.g.
    "more than 14,000"), `best` the median of the point values of the
    distinct (source, value) pairs (lower median, so a tie leans
    conservative); `disagreement` is true when two independent sources report
    different ranges. `source_of` maps a document to its story (syndicated
    copies share one); without it every document is its own source.
    """
    groups: Groups = defaultdict(list)
    for f in figures:
        if f.scope == "incident":
            groups[(f.kind, f.group)].append(_value(f))
    return reconcile_values(groups, source_of)


def reconcile_values(
    groups: Groups, source_of: dict[str, str] | None = None
) -> list[IncidentFigure]:
    """`reconcile_figures` on values already grouped by (kind, group), in report order."""
    source_of = source_of or {}
    out = []
    for (kind, group), values in sorted(groups.items(), key=lambda kv: (kv[0][0], kv[0][1] or "")):
        lows = [v.min for v in values if v.min is not None]
        highs = [v.max for v in values]
        # A copy repeating its original's value adds no weight to `best`.
        distinct = {(source_of.get(v.document_id, v.document_id), v.min, v.max): v for v in values}
        points = sorted(p for p in (_point(v) for v in distinct.values()) if p is not None)
        sources_by_range: dict[tuple[Any, Any], set[str]] = defaultdict(set)
        for src, lo, hi in distinct:
            sources_by_range[(lo, hi)].add(src)
        all_sources = set().union(*sources_by_range.values())
        disagreement = len(sources_by_range) > 1 and len(all_sources) > 1
        out.append(
            IncidentFigure(
                kind=kind,
                group=group,
                values=list(values),
                low=min(lows) if lows else None,
                best=statistics.median_low(points) if points else None,
                high=None if any(h is None for h in highs) else max(highs),  # type: ignore[type-var]
                disagreement=disagreement,
            )
        )
    return out
