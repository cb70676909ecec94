"""Incidents: link events reported by several documents into one incident,
and reconcile their figures without ever resolving a disagreement silently."""

from eventledger.stages.incidents.link import IncidentLinker, IncidentStore, reconcile_figures

__all__ = ["IncidentLinker", "IncidentStore", "reconcile_figures"]
