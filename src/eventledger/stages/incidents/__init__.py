"""Incidents: find syndicated copies, link events reported by several documents
into one incident, and reconcile their figures without ever resolving a
disagreement silently."""

from eventledger.stages.incidents.link import (
    IncidentLinker,
    IncidentStore,
    build_sources,
    reconcile_figures,
)
from eventledger.stages.incidents.syndication import SyndicationIndex, fingerprint

__all__ = [
    "IncidentLinker",
    "IncidentStore",
    "SyndicationIndex",
    "build_sources",
    "fingerprint",
    "reconcile_figures",
]
