"""Cross-document incident linking.

Each linkable event of a new document is compared with incidents already in
the ledger that pass the blocking query (date window by precision, distance
or same facility; indexed in the store, so the cost of adding one document
does not grow with the database). A candidate must have a compatible type
and no contradicting evidence (two precise, different days are two
incidents), an overlapping date, and the same facility, the same gazetteer
place, or (merely nearby, inside the blocking radius) a person both reports
name; the best-scoring one (weights: facility, then date, place and actors,
then type and figures) absorbs the event and records which fields agreed.
Otherwise the event starts a new incident. Events without a date never link;
a no-date mode for benchmarks on corpora without publication dates (ECB+) is
a constructor option, off in the ledger.

An event of a syndicated copy joins the incident of the same event in the
story it copies (same type and sentence), whatever its own date or place
resolution says: a reprint is not a second report. A new revision of a
document first takes the events of its older revisions out of their
incidents.

Negated, hypothetical and future events never form incidents. Historical
events (an earlier attack quoted as background) do only when their date and
place resolve: two outlets quoting one past attack then share one incident,
whose figures show how each quoted it.
"""

from __future__ import annotations

import functools
import re
from collections import defaultdict
from datetime import date
from typing import TYPE_CHECKING, Any, Protocol

from eventledger.models import (
    Event,
    Figure,
    Incident,
    IncidentFigure,
    Place,
    When,
)
from eventledger.stages.incidents.syndication import normalise
from eventledger.stages.incidents.tolls import (
    Groups,
    _point,  # noqa: F401  (re-exported for callers of the old location)
    _value,
    reconcile_figures,
    reconcile_values,
)

if TYPE_CHECKING:
    from eventledger.config import Settings

__all__ = [
    "IncidentLinker",
    "IncidentStore",
    "actors_agree",
    "build_sources",
    "person_names",
    "reconcile_figures",
    "reconcile_values",
    "text_overlap",
]

MAX_SIBLING_COPIES = 3

LINKABLE = frozenset({"asserted", "historical"})
# ACLED types that one strike can be coded as from two angles (the shelling
# and the civilians it hit); they merge only at the same facility.
VIOLENT = frozenset({"Battles", "Explosions/Remote violence", "Violence against civilians"})
WEIGHTS = {"type": 1, "date": 2, "facility": 3, "place": 2, "actors": 2, "figures": 1}
# Actor roles whose names identify an incident (not its weapon or facility).
PEOPLE_ROLES = frozenset({"perpetrator", "target", "victim"})
# Capitalised words that head generic actor phrases or captions, never a name.
NOT_NAMES = frozenset(
    """a an the his her their its this that these those one two three four five six seven
    eight nine ten multiple several many some police officers officer teen teens man woman
    men women boy girl child children people residents witnesses forces troops army soldiers
    view photo video update breaking news report reports sources officials authorities
    street avenue road boulevard county city state department office center centre
    hospital school university foundation conference guild association company inc
    monday tuesday wednesday thursday friday saturday sunday january february march april
    may june july august september october november december mr mrs ms dr sgt lt""".split()
)
# No-date mode: the share of content words two events' evidence (trigger and
# sentence) must have in common (Jaccard) when no person links them. Chosen on
# the dev splits as the lowest of 0.1..0.6 that keeps ECB+ dev document B³
# precision at 0.95 or more (ECB+'s two incidents per topic share vocabulary).
NO_DATE_MIN_TEXT = 0.6
# Function words left out of that comparison.
FUNCTION_WORDS = frozenset(
    """the a an of to in and or on at for with by from was were is are be been has have had
    that this it its as he she they his her their said says after before who which would
    will not but""".split()
)
# A capitalised name word, with an Arabic article prefix allowed ("al-Bashir").
_NAME_TOKEN = re.compile(r"(?:(?:al|el|ad|as|ash|at|an|ar|az)-)?[A-Z][a-z]+(?:['-][A-Za-z]+)*")
# Lower-case particles inside a name ("Omar bin Laden", "Vincent van Gogh").
NAME_PARTICLES = frozenset("bin ibn abu bint van von de da di del der dos du la le".split())


class IncidentStore(Protocol):
    """What the linker needs from storage (injected; see storage.Ledger)."""

    def events_of(self, document_id: str) -> list[Event]: ...
    def figures_of_events(self, event_ids: list[str]) -> list[Figure]: ...
    def incident_candidates_in_area(
        self, *, date_start: str | None, date_end: str | None, country: str, window_days: int
    ) -> list[Incident]: ...
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
    def save_incident(self, incident: Incident, *, added: list[str] | None = None) -> None: ...
    def delete_incident(self, incident_id: str) -> None: ...
    def incidents_of_events(self, event_ids: list[str]) -> list[Incident]: ...
    def incidents_of_type(self, type_: str) -> list[Incident]: ...
    def previous_revisions(self, document_id: str) -> list[str]: ...
    def sources_of(self, document_ids: list[str]) -> dict[str, dict[str, Any]]: ...


@functools.lru_cache(maxsize=4096)
def _folded(text: str) -> str:
    """A text casefolded, kept: each merge into a story's incident asks again for
    every member's text (the same string objects, from the store's cache)."""
    return text.casefold()


def _original(members: list[dict[str, Any]]) -> dict[str, Any]:
    """The document a story started from: the one whose outlet the others credit,
    else the earliest published (full timestamps only), else the first stored."""
    # Fold each text once: a story reprinted n times would otherwise fold n² texts.
    folded = [(m, _folded(m.get("text") or "")) for m in members]
    for m in sorted(members, key=lambda m: m["pk"]):
        outlet = (m.get("outlet") or "").casefold()
        if outlet and len(members) > 1 and all(outlet in t for o, t in folded if o is not m):
            return m
    timed = [m for m in members if m.get("published") and "T" in m["published"]]
    if len(timed) == len(members):
        return min(members, key=lambda m: (m["published"], m["pk"]))
    return min(members, key=lambda m: m["pk"])


def build_sources(info: dict[str, dict[str, Any]], document_ids: list[str]) -> list[dict[str, Any]]:
    """Incident `sources`: one entry per story, with its documents, outlets and original."""
    by_source: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for doc_id in document_ids:
        meta = info.get(doc_id, {"source_id": doc_id, "pk": 0})
        by_source[meta.get("source_id") or doc_id].append({**meta, "id": doc_id})
    out = []
    for source_id, members in by_source.items():
        out.append(
            {
                "source_id": source_id,
                "document_ids": [m["id"] for m in members],
                "outlets": list(dict.fromkeys(m.get("outlet") or "?" for m in members)),
                "original": _original(members)["id"],
            }
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


def _blockable(event: Event) -> bool:
    place, when = event.place, event.date
    has_point = place is not None and place.lat is not None
    has_facility = place is not None and place.facility is not None
    return when is not None and when.start is not None and (has_point or has_facility)


def _evidence_words(event: Event) -> list[str]:
    return normalise(" ".join([event.trigger, *(e.text for e in event.evidence)]))


def _area_only(event: Event) -> bool:
    """Dated to the day and placed at a gazetteer area with no point and no facility."""
    place, when = event.place, event.date
    return bool(
        when
        and when.start
        and when.precision == "day"
        and place
        and place.lat is None
        and not place.facility
        and place.geonames_id
        and place.country
    )


def person_names(event: Event) -> frozenset[str]:
    """Surnames of the people an event names: the last word of a run of two or more
    capitalised words in a perpetrator, target or victim ("Mark Mata" -> "mata").

    A single capitalised word ("Police", "Anderson") is not enough on its own: a
    name shared by two reports must be unlikely to be a coincidence.
    """
    out = set()
    for actor in event.actors:
        if actor.role not in PEOPLE_ROLES:
            continue
        run: list[str] = []
        for tok in [*(actor.normalized or actor.name).split(), ""]:
            if _NAME_TOKEN.fullmatch(tok) and tok.casefold() not in NOT_NAMES:
                run.append(tok)
                continue
            if run and tok in NAME_PARTICLES:
                continue  # the name goes on after the particle
            if len(run) >= 2:
                out.add(run[-1].casefold())
            run = []
    return frozenset(out)


def _name_words(event: Event) -> frozenset[str]:
    """Every capitalised, non-generic word of the event's people, casefolded."""
    return frozenset(
        tok.casefold()
        for actor in event.actors
        if actor.role in PEOPLE_ROLES
        for tok in (actor.normalized or actor.name).split()
        if _NAME_TOKEN.fullmatch(tok) and tok.casefold() not in NOT_NAMES
    )


def actors_agree(a: list[Event], b: list[Event]) -> bool:
    """True when a full name on one side ("Mark Mata") is named on the other ("Mata")."""
    names_a = frozenset().union(*map(person_names, a)) if a else frozenset()
    names_b = frozenset().union(*map(person_names, b)) if b else frozenset()
    words_a = frozenset().union(*map(_name_words, a)) if a else frozenset()
    words_b = frozenset().union(*map(_name_words, b)) if b else frozenset()
    return bool(names_a & words_b or names_b & words_a)


def _content_words(events: list[Event]) -> set[str]:
    return {
        w
        for e in events
        for w in _evidence_words(e)
        if len(w) > 2 and not w.isdigit() and w not in FUNCTION_WORDS
    }


def text_overlap(a: list[Event], b: list[Event]) -> float:
    """Jaccard share of the content words of two sides' evidence (trigger and sentence)."""
    wa, wb = _content_words(a), _content_words(b)
    return len(wa & wb) / len(wa | wb) if wa and wb else 0.0


class IncidentLinker:
    """Link the events of one stored document into incidents."""

    def __init__(self, settings: Settings, store: IncidentStore, *, undated: bool = False) -> None:
        """`undated`: the benchmark-only no-date mode (see `_undated_candidate`); the
        ledger itself never links an event that has no date."""
        self.store = store
        self._known: dict[str, list[Figure]] = {}  # event id -> figures, for the document in hand
        self.max_km = settings.link_max_km
        self.max_days = settings.link_max_days
        self.undated = undated

    def link_document(
        self,
        document_id: str,
        copies_of: list[str] = (),
        *,
        events: list[Event] | None = None,
        figures: list[Figure] | None = None,
    ) -> list[Incident]:
        """Link one stored document's events; `copies_of`: documents it is a syndicated copy of.

        `events`/`figures`: the document's records as just stored, when the
        caller has them, so they are not read back from the store.
        """
        touched: dict[str, Incident] = {}
        self._known = {}
        if figures is not None:
            for f in figures:
                if f.event_id is not None:
                    self._known.setdefault(f.event_id, []).append(f)
            for e in events or ():
                self._known.setdefault(e.id, [])
        self._retire_revisions(document_id, touched)
        # Copies of one story already share their incidents, so a few earlier
        # copies show where this one belongs; reading all of them would make
        # each new reprint cost more than the last.
        siblings = [
            e for d in list(copies_of)[:MAX_SIBLING_COPIES] for e in self.store.events_of(d)
        ]
        if events is None:
            events = self.store.events_of(document_id)
        for event in events:
            if event.factuality not in LINKABLE:
                continue
            if event.factuality == "historical" and not _blockable(event):
                continue  # a past attack without date and place is a mention, not an incident
            incident, why = self._copy_target(event, siblings)
            if incident is None:
                incident = self._best_candidate(event)
                if incident is not None:
                    why = ", ".join(self._agreement(event, incident))
            if incident is None and self.undated:
                incident = self._undated_candidate(event)
                why = "no-date mode: type, place, actors or evidence words"
            if incident is None:
                incident = Incident(
                    id=f"inc-{event.id}",
                    type=event.type,
                    event_ids=[],
                    document_ids=[],
                    date=event.date,
                    place=event.place,
                )
                if event.factuality == "historical":
                    incident.why.append(f"{event.id}: historical mention")
            else:
                incident.why.append(f"{event.id}: {why}")
            if event.document_id not in incident.document_ids:
                incident.document_ids.append(event.document_id)
            if event.id in incident.event_ids:
                self._refresh(incident)
                self.store.save_incident(incident)
            else:
                incident.event_ids.append(event.id)
                self._extend(incident, event)
                self.store.save_incident(incident, added=[event.id])
            touched[incident.id] = incident
        return list(touched.values())

    def _sources(self, incident: Incident) -> tuple[dict[str, str], dict[str, str | None]]:
        """Rebuild the incident's `sources`; return each document's story (source id)
        and publication date (for the latest statement of each claimant)."""
        info = self.store.sources_of(incident.document_ids)
        incident.sources = build_sources(info, incident.document_ids)
        return (
            {d: m["source_id"] for d, m in info.items()},
            {d: m.get("published") for d, m in info.items()},
        )

    def _extend(self, incident: Incident, event: Event) -> None:
        """Add a new event's figures to the incident's reconciled ones.

        The incident's values are every report of its events in event order
        (see `_refresh`), so the new event's figures go after them: the same
        result as reconciling all the figures again, without reading them.
        """
        source_of, published_of = self._sources(incident)
        groups: Groups = defaultdict(list)
        for fig in incident.figures:
            groups[(fig.kind, fig.group)].extend(fig.values)
        for f in self._figures_of(event):
            if f.scope == "incident":
                groups[(f.kind, f.group)].append(_value(f))
        incident.figures = reconcile_values(groups, source_of, published_of)

    def _figures_of(self, event: Event) -> list[Figure]:
        """The event's figures: in memory for the document being linked, else read."""
        known = self._known.get(event.id)
        return self.store.figures_of_events([event.id]) if known is None else known

    def _refresh(self, incident: Incident) -> None:
        """Recompute sources and reconciled figures from the incident's events and documents."""
        source_of, published_of = self._sources(incident)
        # Figures of the document being linked are in memory; read only the
        # others, and keep the events' order so reconciliation is stable.
        by_event = dict(self._known)
        rest = [e for e in incident.event_ids if e not in by_event]
        for f in self.store.figures_of_events(rest) if rest else ():
            by_event.setdefault(f.event_id, []).append(f)
        figures = [f for e in incident.event_ids for f in by_event.get(e, ())]
        incident.figures = reconcile_figures(figures, source_of, published_of)

    def _retire_revisions(self, document_id: str, touched: dict[str, Incident]) -> None:
        """Take the events of this document's older revisions out of their incidents."""
        old_docs = self.store.previous_revisions(document_id)
        if not old_docs:
            return
        old_events = {e.id for d in old_docs for e in self.store.events_of(d)}
        for incident in self.store.incidents_of_events(sorted(old_events)):
            gone = [e for e in incident.event_ids if e in old_events]
            incident.event_ids = [e for e in incident.event_ids if e not in old_events]
            incident.document_ids = [d for d in incident.document_ids if d not in old_docs]
            if not incident.event_ids:
                self.store.delete_incident(incident.id)
                continue
            incident.why.append(f"{', '.join(gone)}: removed, document revised by {document_id}")
            self._refresh(incident)
            self.store.save_incident(incident)
            touched[incident.id] = incident

    def _copy_target(self, event: Event, siblings: list[Event]) -> tuple[Incident | None, str]:
        """The incident of the same event in the story this document copies, if any.

        Same type and factuality, no conflicting precise dates, and most of the
        words of the shorter event's evidence (trigger and its sentence) shared.
        """
        words = set(_evidence_words(event))
        for other in siblings:
            if other.type != event.type or other.factuality != event.factuality:
                continue
            if _dates_conflict(event.date, other.date):
                continue
            theirs = set(_evidence_words(other))
            if not words or not theirs or len(words & theirs) < 0.5 * min(len(words), len(theirs)):
                continue
            found = self.store.incidents_of_events([other.id])
            if found:
                return found[0], f"syndicated copy of {other.document_id} ({other.id})"
        return None, ""

    def _best_candidate(self, event: Event) -> Incident | None:
        place, when = event.place, event.date
        area = _area_only(event)
        if not (area or _blockable(event)) or place is None or when is None:
            return None  # cannot block honestly: a report without date and place stays alone
        if area:
            # A region-level place (no point, no facility): only the same
            # gazetteer area, the same type and the same precise day will do.
            candidates = [
                inc
                for inc in self.store.incident_candidates_in_area(
                    date_start=when.start,
                    date_end=when.end or when.start,
                    country=place.country or "",
                    window_days=0,
                )
                if inc.type == event.type
                and inc.date is not None
                and inc.date.precision == "day"
                and inc.date.start == when.start
            ]
        else:
            candidates = self.store.incident_candidates(
                date_start=when.start,
                date_end=when.end or when.start,
                lat=place.lat,
                lon=place.lon,
                facility=place.facility,
                max_km=self.max_km,
                window_days=self.max_days,
            )
        best, best_score = None, 0
        for inc in candidates:
            if event.document_id in inc.document_ids:
                continue
            if _dates_conflict(when, inc.date):
                continue
            agreed = set(self._agreement(event, inc))
            # Precision first: the date must overlap and the place must be the
            # same facility or the same gazetteer place; merely nearby (inside
            # the blocking radius) needs a person named by both reports.
            # Two violent types from two angles need the same facility.
            if "date" not in agreed or not {"facility", "place", "actors"} & agreed:
                continue
            if "type" not in agreed and not (
                "facility" in agreed and {event.type, inc.type} <= VIOLENT
            ):
                continue
            score = sum(WEIGHTS[a] for a in agreed)
            if score > best_score:
                best, best_score = inc, score
        return best

    def _undated_candidate(self, event: Event) -> Incident | None:
        """No-date mode, for corpora without publication dates (ECB+): an event may
        join an incident of the same type at the same place (gazetteer id, facility
        or place name) that names one of its people or whose evidence shares most of
        its words (`NO_DATE_MIN_TEXT`), whatever the dates say unless they conflict.
        Reads every incident of the type: benchmark-sized only.
        """
        keys = _place_keys(event.place)
        if not keys:
            return None
        for inc in self.store.incidents_of_type(event.type):
            if event.document_id in inc.document_ids or _dates_conflict(event.date, inc.date):
                continue
            if not keys & _place_keys(inc.place):
                continue
            theirs = self._events_of_incident(inc)
            if actors_agree([event], theirs) or text_overlap([event], theirs) >= NO_DATE_MIN_TEXT:
                return inc
        return None

    def _agreement(self, event: Event, inc: Incident) -> list[str]:
        agreed = ["type"] if event.type == inc.type else []
        a, b = event.place, inc.place
        if a and b:
            if a.facility and b.facility and a.facility.casefold() == b.facility.casefold():
                agreed.append("facility")
            if a.geonames_id and a.geonames_id == b.geonames_id:
                agreed.append("place")
        if event.date and inc.date and event.date.start and inc.date.start:
            if _overlap(event.date, inc.date):
                agreed.append("date")
        if event.actors and actors_agree([event], self._events_of_incident(inc)):
            agreed.append("actors")
        if _figures_agree(self._figures_of(event), inc.figures):
            agreed.append("figures")
        return agreed

    def _events_of_incident(self, inc: Incident) -> list[Event]:
        """The incident's events, read through its documents (a handful per incident)."""
        wanted = set(inc.event_ids)
        return [e for d in inc.document_ids for e in self.store.events_of(d) if e.id in wanted]


def _place_keys(place: Place | None) -> set[str]:
    """What makes two places the same in the no-date mode: gazetteer id, facility, name."""
    if place is None:
        return set()
    keys = set()
    if place.geonames_id:
        keys.add(f"id:{place.geonames_id}")
    if place.facility:
        keys.add(f"facility:{place.facility.casefold()}")
    if place.name:
        keys.add(f"name:{place.name.casefold()}")
    return keys


def _figures_agree(figures: list[Figure], reconciled: list[IncidentFigure]) -> bool:
    """True when some count of the event overlaps a count the incident already holds."""
    held = {(f.kind, f.group): f for f in reconciled}
    for f in figures:
        inc = held.get((f.kind, f.group))
        if inc is None or f.min is None:
            continue
        hi = f.max if f.max is not None else float("inf")
        for v in inc.values:
            vlo = v.min if v.min is not None else 0
            vhi = v.max if v.max is not None else float("inf")
            if f.min <= vhi and vlo <= hi:
                return True
    return False


def _overlap(a: When, b: When) -> bool:
    a0, a1 = date.fromisoformat(a.start), date.fromisoformat(a.end or a.start)  # type: ignore[arg-type]
    b0, b1 = date.fromisoformat(b.start), date.fromisoformat(b.end or b.start)  # type: ignore[arg-type]
    return a0 <= b1 and b0 <= a1
