"""Reads of the ledger that count: a statement its claimant replaced counts no more."""

from __future__ import annotations

from eventledger.models import Figure, Incident, When
from eventledger.stages.incidents.tolls import reconcile_figures
from eventledger.storage import Ledger
from eventledger.storage.queries import Filters, Queries


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


def _health_ledger(db: str, n: int) -> list[str]:
    """n incidents of one event each, all but every tenth an attack on health care;
    the ids the health-care filter must answer, newest first."""
    from eventledger.models import Article, Event
    from eventledger.pipeline import Document

    expected = []
    with Ledger(db) as ledger:
        for k in range(n):
            day = f"2024-{1 + k % 12:02d}-{1 + k % 28:02d}"
            text = f"Report {k}: a strike hit the clinic."
            doc = Document(Article(id=f"d{k}", key=f"d{k}", text=text))
            care = {"attack_types": ["heavy weapons"]} if k % 10 else None
            doc.events = [
                Event(f"d{k}:ev1", f"d{k}", "Battles", None, "strike", health_care=care,
                      date=When(day, day, "day", day, "iso"))
            ]  # fmt: skip
            ledger.store(doc)
            ledger.save_incident(
                Incident(f"i{k}", "Battles", [f"d{k}:ev1"], [f"d{k}"], When(day, day, "day", day, "iso"))
            )  # fmt: skip
            if care:
                expected.append((day, k))
    return [f"i{k}" for _, k in sorted(expected, key=lambda e: (-int(e[0].replace("-", "")), e[1]))]


def test_incident_pages_are_alike_whichever_way_the_matches_are_read(tmp_path):
    # Early pages of a filter most incidents match are read in date order,
    # later ones by sorting the matches: every page holds what it must.
    db = str(tmp_path / "l.db")
    expected = _health_ledger(db, 60)
    queries = Queries(db)
    try:
        f = Filters(health_care=True)
        got = []
        for offset in range(0, 60, 10):
            page = queries.incidents(f, limit=10, offset=offset)
            assert page.total == len(expected) == 54
            got += [i["id"] for i in page.items]
        assert got == expected
    finally:
        queries.close()


def test_incident_sort_keys_are_a_closed_list(example_db):
    import pytest

    from eventledger.storage.queries import SORTS, FilterError

    queries = Queries(str(example_db))
    try:
        for sort in SORTS:
            page = queries.incidents(sort=sort, limit=500)
            assert page.total == len(page.items) > 0
        with pytest.raises(FilterError) as caught:
            queries.incidents(sort="pk desc")
    finally:
        queries.close()
    assert caught.value.field == "sort"


def test_incident_sort_pages_walk_the_whole_order(example_db):
    queries = Queries(str(example_db))
    try:
        whole = [i["id"] for i in queries.incidents(sort="place", limit=500).items]
        paged = [
            i["id"]
            for offset in range(0, len(whole), 4)
            for i in queries.incidents(sort="place", limit=4, offset=offset).items
        ]
        names = [
            ((i.get("place") or {}).get("name") or "~").lower()
            for i in queries.incidents(sort="place", limit=500).items
        ]
    finally:
        queries.close()
    assert paged == whole
    assert names == sorted(names)


def test_incidents_of_a_document_and_events_by_id(example_db, example_export):
    queries = Queries(str(example_db))
    try:
        for doc in example_export["documents"]:
            found = {i["id"] for i in queries.incidents_of_document(doc["id"])}
            expected = {
                i["id"] for i in example_export["incidents"] if doc["id"] in i["document_ids"]
            }
            assert found == expected
        some = [e["id"] for e in example_export["events"][:5]]
        assert set(queries.events_by_id([*some, "no-such-event"])) == set(some)
    finally:
        queries.close()


def test_event_documents_and_events_of_some_documents(example_db, example_export):
    events = example_export["events"]
    queries = Queries(str(example_db))
    try:
        ids = [e["id"] for e in events]
        assert queries.event_documents([*ids, "nope"]) == {
            e["id"]: e["document_id"] for e in events
        }
        doc = events[0]["document_id"]
        mine = queries.events_by_id(ids, document_ids=[doc])
        assert set(mine) == {e["id"] for e in events if e["document_id"] == doc}
    finally:
        queries.close()
