"""The lowercased copies of record text that the list filters match (columns since 0006).

Each takes a record as its JSON dict (what `data` holds), so the ledger's
writes and migration 0006's backfill compute the same value. A filter
lowercases its value the same way (`str.lower`) and matches it as a
substring of the key.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

__all__ = ["claimant_key", "health_care", "incident_claimant_key", "place_key", "speaker_key"]


def _name(value: Any) -> str | None:
    name = (value or {}).get("name") if isinstance(value, dict) else None
    return name.lower() if isinstance(name, str) and name else None


def place_key(place: dict[str, Any] | None) -> str | None:
    """Place name, facility and admin-1, lowercased, one per line; None without any."""
    if not place:
        return None
    parts = [place.get(k) for k in ("name", "facility", "admin1")]
    found = [p.lower() for p in parts if isinstance(p, str) and p]
    return "\n".join(found) or None


def claimant_key(figure: dict[str, Any]) -> str | None:
    """A figure's claimant name, lowercased."""
    return _name(figure.get("claimant"))


def incident_claimant_key(figure_keys: Iterable[str | None]) -> str | None:
    """An incident's claimant key (since 0009): the claimant keys of its events'
    figures, each once, sorted, one per line; None without any."""
    found = sorted({k for key in figure_keys if key for k in key.split("\n") if k})
    return "\n".join(found) or None


def speaker_key(claim: dict[str, Any]) -> str | None:
    """A claim's speaker name, lowercased."""
    return _name(claim.get("speaker"))


def health_care(event: dict[str, Any]) -> bool:
    """Whether the event is an attack on health care (it carries health-care details)."""
    return event.get("health_care") is not None
