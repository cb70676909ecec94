"""Reads of the ledger that count: a statement its claimant replaced counts no more."""

from __future__ import annotations

from eventledger.models import Figure, Incident, When
from eventledger.stages.incidents.tolls import reconcile_figures
from eventledger.storage import Ledger
from eventledger.storage.queries import Queries


def test_running_totals_count_a_claimants_latest_statement(tmp_path):
    # The ministry said 10 killed, then corrected itself to 8 a day later.
    figures = [
        Figure("a:fig1", "a", "killed", None, 10, 10, False, "10", claimant={"name": "Ministry"}),
        Figure("b:fig1", "b", "killed", None, 8, 8, False, "8", claimant={"name": "Ministry"}),
    ]
    incident = Incident(
        id="inc-1",
        type="Explosions/Remote violence",
        event_ids=[],
        document_ids=["a", "b"],
        date=When("2024-03-12", "2024-03-12", "day", "Tuesday", "weekday"),
        figures=reconcile_figures(figures, published_of={"a": "2024-03-12", "b": "2024-03-13"}),
    )
    db = str(tmp_path / "l.db")
    with Ledger(db) as ledger:
        ledger.save_incident(incident)
    queries = Queries(db)
    try:
        (series,) = queries.running_totals()["series"]
    finally:
        queries.close()
    assert series == {"claimant": "Ministry", "points": [{"date": "2024-03-12", "total": 8.0}]}


def test_country_filter_is_the_code_exactly_for_incidents_events_and_ids(example_db):
    from eventledger.storage.queries import Filters

    queries = Queries(str(example_db))
    try:
        f = Filters.from_params(country="lb")
        incidents = queries.incidents(f, limit=500).items
        assert incidents and {i["place"]["country"] for i in incidents} == {"LB"}
        assert queries.incident_ids(f) == [i["id"] for i in incidents]
        events = queries.events(f, limit=500).items
        assert events and {e["place"]["country"] for e in events} == {"LB"}
        assert len(queries.incident_ids(Filters())) == queries.incidents(limit=500).total
    finally:
        queries.close()
