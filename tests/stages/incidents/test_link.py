from __future__ import annotations

import dataclasses

import pytest

from eventledger.config import Settings
from eventledger.models import Event, Figure, Incident, Place, When
from eventledger.stages.incidents import IncidentLinker, reconcile_figures


class MemoryStore:
    """The IncidentStore protocol over dicts; blocking by brute force is fine here."""

    def __init__(self):
        self.events: dict[str, Event] = {}
        self.figures: dict[str, Figure] = {}
        self.incidents: dict[str, Incident] = {}

    def add(self, event: Event, *figures: Figure):
        self.events[event.id] = event
        for f in figures:
            self.figures[f.id] = dataclasses.replace(f, event_id=event.id)
            event.figure_ids.append(f.id)

    def events_of(self, document_id):
        return [e for e in self.events.values() if e.document_id == document_id]

    def figures_of_events(self, event_ids):
        return [f for f in self.figures.values() if f.event_id in event_ids]

    def incident_candidates(self, **_):
        return [
            dataclasses.replace(
                i, event_ids=list(i.event_ids), document_ids=list(i.document_ids), why=list(i.why)
            )
            for i in self.incidents.values()
        ]

    def save_incident(self, incident):
        self.incidents[incident.id] = incident


def _when(day):
    return When(start=day, end=day, precision="day", text=day, rule="absolute")


HALBA = dict(name="Halba", lat=34.54, lon=36.08, geonames_id=274723, country="LB", precision=1)


def _event(
    doc,
    n,
    day,
    facility="Al-Amal Hospital",
    type_="Violence against civilians",
    factuality="asserted",
):
    return Event(
        id=f"{doc}:ev{n}",
        document_id=doc,
        type=type_,
        subtype="Attack",
        trigger="raided",
        factuality=factuality,
        date=_when(day) if day else None,
        place=Place(facility=facility, **HALBA),
    )


def _fig(doc, n, lo, hi, who):
    return Figure(
        id=f"{doc}:fig{n}",
        document_id=doc,
        kind="killed",
        group="patients",
        min=lo,
        max=hi,
        approximate=False,
        text=str(lo),
        claimant={"name": who, "type": "health_authority"} if who else None,
    )


@pytest.fixture()
def linker_and_store():
    store = MemoryStore()
    return IncidentLinker(Settings(), store), store


def test_two_reports_of_one_incident_merge_with_a_disagreement(linker_and_store):
    linker, store = linker_and_store
    store.add(_event("a", 1, "2024-03-12"), _fig("a", 1, 12, 12, "health ministry"))
    store.add(_event("b", 1, "2024-03-12"), _fig("b", 1, 15, None, "civil defence"))
    linker.link_document("a")
    linker.link_document("b")
    assert len(store.incidents) == 1
    inc = next(iter(store.incidents.values()))
    assert inc.document_ids == ["a", "b"]
    assert "facility" in inc.why[0] and "date" in inc.why[0]
    (fig,) = inc.figures
    assert fig.disagreement
    assert (fig.low, fig.high) == (12, None)  # one report is open-ended ("at least 15")
    assert {v.claimant["name"] for v in fig.values} == {"health ministry", "civil defence"}


def test_same_facility_on_two_precise_dates_stays_apart(linker_and_store):
    linker, store = linker_and_store
    store.add(_event("a", 1, "2024-03-12"))
    store.add(_event("b", 1, "2024-03-13"))
    linker.link_document("a")
    linker.link_document("b")
    assert len(store.incidents) == 2


@pytest.mark.parametrize("factuality", ["historical", "negated", "future", "hypothetical"])
def test_mentions_that_are_not_new_events_form_no_incident(linker_and_store, factuality):
    linker, store = linker_and_store
    store.add(_event("a", 1, "2024-03-12", factuality=factuality))
    assert linker.link_document("a") == []
    assert store.incidents == {}


def test_an_event_without_a_date_stays_alone(linker_and_store):
    linker, store = linker_and_store
    store.add(_event("a", 1, "2024-03-12"))
    store.add(_event("b", 1, None))
    linker.link_document("a")
    linker.link_document("b")
    assert len(store.incidents) == 2


def test_different_types_do_not_merge(linker_and_store):
    linker, store = linker_and_store
    store.add(_event("a", 1, "2024-03-12"))
    store.add(_event("b", 1, "2024-03-12", type_="Explosions/Remote violence"))
    linker.link_document("a")
    linker.link_document("b")
    assert len(store.incidents) == 2


@pytest.mark.parametrize(
    ("values", "low", "best", "high", "disagree"),
    [
        ([(2, 2), (2, 2)], 2, 2, 2, False),
        ([(12, 12), (15, 15)], 12, 12, 15, True),
        ([(20, 30), (25, 25)], 20, 25, 30, True),
        ([(14001, None)], 14001, 14001, None, False),
    ],
)
def test_reconcile_rule(values, low, best, high, disagree):
    figs = [_fig(f"d{i}", 1, lo, hi, None) for i, (lo, hi) in enumerate(values)]
    (out,) = reconcile_figures(figs)
    assert (out.low, out.best, out.high, out.disagreement) == (low, best, high, disagree)
    assert len(out.values) == len(values)


def test_cumulative_figures_are_not_incident_figures():
    f = _fig("a", 1, 14000, None, "ministry")
    f.scope = "cumulative"
    assert reconcile_figures([f]) == []
