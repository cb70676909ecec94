"""Cross-document incident linking (first version).

Each asserted event of a new document is compared with incidents already in
the ledger that pass the blocking query (date window by precision, distance
or same facility; indexed in the store, so the cost of adding one document
does not grow with the database). A candidate must have a compatible type
and no contradicting evidence; the best-scoring one absorbs the event and
records which fields agreed. Otherwise the event starts a new incident.

Historical, negated, hypothetical and future events never form incidents:
they are mentions, not new events.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from datetime import date
from typing import TYPE_CHECKING, Protocol

from eventledger.models import Event, Figure, FigureValue, Incident, IncidentFigure, When

if TYPE_CHECKING:
    from eventledger.config import Settings

__all__ = ["IncidentLinker", "IncidentStore", "reconcile_figures"]

LINKABLE = frozenset({"asserted"})


class IncidentStore(Protocol):
    """What the linker needs from storage (injected; see storage.Ledger)."""

    def events_of(self, document_id: str) -> list[Event]: ...
    def figures_of_events(self, event_ids: list[str]) -> list[Figure]: ...
    def incident_candidates(
        self,
        *,
        date_start: str | None,
        date_end: str | None,
        lat: float | None,
        lon: float | None,
        facility: str | None,
        max_km: float,
        window_days: int,
    ) -> list[Incident]: ...
    def save_incident(self, incident: Incident) -> None: ...


def _point(f: Figure) -> float | None:
    """One number standing for a reported value, for the `best` rule."""
    if f.best is not None:
        return f.best
    if f.min is not None and f.max is not None:
        return (f.min + f.max) / 2
    return f.min if f.min is not None else f.max


def reconcile_figures(figures: list[Figure]) -> list[IncidentFigure]:
    """Per (kind, group): every value with its claimant and document.

    Rule (documented in docs/format.md): `low` is the smallest lower bound,
    `high` the largest upper bound (null when any report is open-ended, e.g.
    "more than 14,000"), `best` the median of the reports' point values
    (lower median, so a tie leans conservative); `disagreement` is true when
    the reported ranges differ at all.
    """
    groups: dict[tuple[str, str | None], list[Figure]] = defaultdict(list)
    for f in figures:
        if f.scope == "incident":
            groups[(f.kind, f.group)].append(f)
    out = []
    for (kind, group), figs in sorted(groups.items(), key=lambda kv: (kv[0][0], kv[0][1] or "")):
        values = [FigureValue(f.min, f.max, f.claimant, f.document_id, f.id) for f in figs]
        lows = [v.min for v in values if v.min is not None]
        highs = [v.max for v in values]
        points = sorted(p for p in (_point(f) for f in figs) if p is not None)
        out.append(
            IncidentFigure(
                kind=kind,
                group=group,
                values=values,
                low=min(lows) if lows else None,
                best=statistics.median_low(points) if points else None,
                high=None if any(h is None for h in highs) else max(highs),  # type: ignore[type-var]
                disagreement=len({(v.min, v.max) for v in values}) > 1,
            )
        )
    return out


def _dates_conflict(a: When | None, b: When | None) -> bool:
    """Two precise, different days are two incidents."""
    return bool(
        a
        and b
        and a.precision == "day"
        and b.precision == "day"
        and a.start
        and b.start
        and a.start != b.start
    )


def _compatible(event: Event, incident: Incident) -> bool:
    if event.health_care and incident.type == event.type:
        return True
    return incident.type == event.type


class IncidentLinker:
    """Link the events of one stored document into incidents."""

    def __init__(self, settings: Settings, store: IncidentStore) -> None:
        self.store = store
        self.max_km = settings.link_max_km
        self.max_days = settings.link_max_days

    def link_document(self, document_id: str) -> list[Incident]:
        touched: list[Incident] = []
        for event in self.store.events_of(document_id):
            if event.factuality not in LINKABLE:
                continue
            incident = self._best_candidate(event)
            if incident is None:
                incident = Incident(
                    id=f"inc-{event.id}",
                    type=event.type,
                    event_ids=[],
                    document_ids=[],
                    date=event.date,
                    place=event.place,
                )
            else:
                incident.why.append(f"{event.id}: {', '.join(self._agreement(event, incident))}")
            if event.id not in incident.event_ids:
                incident.event_ids.append(event.id)
            if event.document_id not in incident.document_ids:
                incident.document_ids.append(event.document_id)
            incident.figures = reconcile_figures(self.store.figures_of_events(incident.event_ids))
            self.store.save_incident(incident)
            touched.append(incident)
        return touched

    def _best_candidate(self, event: Event) -> Incident | None:
        place, when = event.place, event.date
        has_point = place is not None and place.lat is not None
        has_facility = place is not None and place.facility is not None
        if when is None or when.start is None or not (has_point or has_facility):
            return None  # cannot block honestly: a report without date and place stays alone
        candidates = self.store.incident_candidates(
            date_start=when.start,
            date_end=when.end or when.start,
            lat=place.lat if place else None,
            lon=place.lon if place else None,
            facility=place.facility if place else None,
            max_km=self.max_km,
            window_days=self.max_days,
        )
        best, best_score = None, 0
        for inc in candidates:
            if event.document_id in inc.document_ids or not _compatible(event, inc):
                continue
            if _dates_conflict(when, inc.date):
                continue
            agreed = self._agreement(event, inc)
            # Precision first: the date must overlap and the place must be the
            # same facility or the same gazetteer place, not merely nearby.
            if "date" not in agreed or not {"facility", "place"} & set(agreed):
                continue
            if len(agreed) > best_score:
                best, best_score = inc, len(agreed)
        return best

    @staticmethod
    def _agreement(event: Event, inc: Incident) -> list[str]:
        agreed = ["type"] if event.type == inc.type else []
        a, b = event.place, inc.place
        if a and b:
            if a.facility and b.facility and a.facility.lower() == b.facility.lower():
                agreed.append("facility")
            if a.geonames_id and a.geonames_id == b.geonames_id:
                agreed.append("place")
        if event.date and inc.date and event.date.start and inc.date.start:
            if _overlap(event.date, inc.date):
                agreed.append("date")
        return agreed


def _overlap(a: When, b: When) -> bool:
    a0, a1 = date.fromisoformat(a.start), date.fromisoformat(a.end or a.start)  # type: ignore[arg-type]
    b0, b1 = date.fromisoformat(b.start), date.fromisoformat(b.end or b.start)  # type: ignore[arg-type]
    return a0 <= b1 and b0 <= a1
