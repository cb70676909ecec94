"""The review desk a server holds: who is signed in, and every write a coder makes.

One `Desk` per served ledger. Reads of decisions go to `Review`; merges and
splits open the ledger (one at a time: they read, then rewrite incidents);
a place given by name is looked up in the gazetteer the pipeline uses.
"""

from __future__ import annotations

import threading
from typing import Any

from eventledger.errors import NotFound, ReviewError
from eventledger.review.incidents import merge, split
from eventledger.review.overlay import overlay_incidents
from eventledger.storage.review import Review, User

__all__ = ["Desk"]

# A review queue reads at most this many incidents to fill one page: it skips the
# reviewed ones, and a ledger that is mostly reviewed must not be read whole.
QUEUE_SCAN = 5000


class Desk:
    """Users, decisions and the writes of one ledger for the API and the web UI."""

    def __init__(self, url: str, settings: Any) -> None:
        self.url = url
        self.settings = settings
        self.review = Review(url)
        self._lock = threading.Lock()
        self._gazetteer: Any = None

    def close(self) -> None:
        self.review.close()

    # --- who -----------------------------------------------------------------

    def read_only(self) -> bool:
        """True while no user exists: nobody may write."""
        return not self.review.has_users()

    def user_for_token(self, token: str) -> User | None:
        return self.review.user_for_token(token)

    # --- decisions -------------------------------------------------------------

    def decide(
        self,
        user: User,
        kind: str,
        record_id: str,
        action: str,
        *,
        field: str | None = None,
        value: Any = None,
        reason: str = "",
    ) -> dict[str, Any]:
        """Accept, reject or edit an event, figure or claim (see Review.decide); a
        place given by name alone is the gazetteer's candidate by that name."""
        if kind == "event" and field == "place" and isinstance(value, dict):
            value = self._place(value)
        return self.review.decide(
            user, kind, record_id, action, field=field, value=value, reason=reason
        )

    def merge(self, user: User, incident_id: str, other_id: str, reason: str = "") -> dict:
        with self._lock:
            ledger, linker = self._ledger()
            try:
                return merge(ledger, linker, self.review, user, incident_id, other_id, reason)
            finally:
                ledger.close()

    def split(self, user: User, incident_id: str, event_id: str, reason: str = "") -> dict:
        with self._lock:
            ledger, linker = self._ledger()
            try:
                return split(ledger, linker, self.review, user, incident_id, event_id, reason)
            finally:
                ledger.close()

    def _ledger(self):
        from eventledger.stages.incidents import IncidentLinker
        from eventledger.storage import Ledger

        ledger = Ledger(self.url)
        return ledger, IncidentLinker(self.settings, ledger)

    # --- places ----------------------------------------------------------------

    def place_candidates(self, name: str, *, limit: int = 10) -> list[dict[str, Any]]:
        """The gazetteer's places by this name, most populous first, as edit values."""
        from eventledger.stages.places.resolver import where_prec

        if not name.strip():
            return []
        with self._lock:
            if self._gazetteer is None:
                from eventledger.stages.places.gazetteer import Gazetteer

                self._gazetteer = Gazetteer.open(self.settings)
            gazetteer = self._gazetteer
        found = []
        for c in gazetteer.lookup(name.strip())[:limit]:
            found.append(
                {
                    "name": c.name,
                    "lat": c.lat,
                    "lon": c.lon,
                    "country": c.country,
                    "admin1": gazetteer.admin1_name(c.country, c.admin1),
                    "precision": where_prec(c.feature),
                    "geonames_id": c.geonameid,
                    "feature": c.feature,
                    "population": c.population,
                }
            )
        return found

    def _place(self, value: dict[str, Any]) -> dict[str, Any]:
        """A place edit as sent: coordinates as given, or a gazetteer candidate by
        name (and geonames_id, to choose among places of one name)."""
        if value.get("lat") not in (None, "") and value.get("lon") not in (None, ""):
            return value
        name = value.get("name")
        if not isinstance(name, str) or not name.strip():
            raise ReviewError("place: give coordinates and a precision, or a place name")
        candidates = self.place_candidates(name)
        wanted = value.get("geonames_id")
        if wanted not in (None, ""):
            candidates = [c for c in candidates if str(c["geonames_id"]) == str(wanted)]
        if not candidates:
            raise NotFound(
                f"the gazetteer has no place named {name!r}"
                + (f" with geonames_id {wanted}" if wanted not in (None, "") else "")
                + "; give coordinates and a precision instead"
            )
        chosen = candidates[0]
        return {
            **{k: chosen[k] for k in ("name", "lat", "lon", "country", "admin1", "precision")},
            "geonames_id": chosen["geonames_id"],
            "facility": value.get("facility") or None,
        }

    # --- what awaits review ------------------------------------------------------

    def queue(self, queries: Any, filters: Any, *, limit: int, offset: int) -> dict[str, Any]:
        """Incidents matching `filters` that no coder decided on yet, newest first:
        {items, limit, offset, scanned, more}. Reads at most QUEUE_SCAN incidents."""
        items: list[dict[str, Any]] = []
        skipped = 0
        scanned = 0
        more = False
        while scanned < QUEUE_SCAN:
            page = queries.incidents(filters, limit=200, offset=scanned)
            if not page.items:
                break
            scanned += len(page.items)
            for inc in overlay_incidents(self.review, page.items):
                if inc["review"]["status"] != "machine" or inc["review"]["decisions"]:
                    continue
                if skipped < offset:
                    skipped += 1
                    continue
                if len(items) == limit:
                    more = True
                    break
                items.append(inc)
            if more or scanned >= page.total:
                break
        return {"items": items, "limit": limit, "offset": offset, "scanned": scanned, "more": more}
