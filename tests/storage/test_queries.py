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


def _text_ledger(db: str, n: int) -> dict[str, str]:
    """n incidents, each of one report that mentions a market or a clinic; the
    first also told by a second report. Incident id -> the text of its reports."""
    from eventledger.models import Article, Event
    from eventledger.pipeline import Document

    told: dict[str, str] = {}
    with Ledger(db) as ledger:

        def report(doc_id: str, text: str, day: str) -> str:
            doc = Document(Article(id=doc_id, key=doc_id, text=text))
            doc.events = [
                Event(f"{doc_id}:ev1", doc_id, "Battles", None, "strike",
                      date=When(day, day, "day", day, "iso"))
            ]  # fmt: skip
            ledger.store(doc)
            return f"{doc_id}:ev1"

        for k in range(n):
            day = f"2024-{1 + k % 12:02d}-{1 + k % 28:02d}"
            text = f"Report {k}: a strike hit the {'clinic' if k % 3 else 'market'}."
            event = report(f"d{k}", text, day)
            incident = Incident(
                f"i{k}", "Battles", [event], [f"d{k}"], When(day, day, "day", day, "iso")
            )
            ledger.save_incident(incident)
            told[f"i{k}"] = text
        # A second report of i1 names the market too: i1 now matches, once.
        again = report(
            "again", "Witnesses at the market said the strike came at noon.", "2024-02-02"
        )
        first = Incident("i1", "Battles", ["d1:ev1", again], ["d1", "again"],
                         When("2024-02-02", "2024-02-02", "day", "x", "iso"))  # fmt: skip
        ledger.save_incident(first, added=[again])
        told["i1"] += " Witnesses at the market said the strike came at noon."
    return told


def test_text_filter_alone_pages_and_counts_the_incidents_of_matching_reports(tmp_path):
    db = str(tmp_path / "l.db")
    told = _text_ledger(db, 45)
    queries = Queries(db)
    try:
        everything = [i["id"] for i in queries.incidents(limit=500).items]
        for q in ("market", "mark", "strike market", "clinic", "noon witnesses", "absent"):
            words = q.split()
            expected = [
                i for i in everything if all(f" {w}" in " " + told[i].lower() for w in words)
            ]
            # i1's first report names a clinic, its second the market: both find it.
            assert ("i1" in expected) == (q != "absent")
            got = []
            for offset in range(0, 50, 7):
                page = queries.incidents(Filters(q=q), limit=7, offset=offset)
                assert page.total == len(expected), q
                got += [i["id"] for i in page.items]
            assert got == expected, q
            # With another filter the matches are found through the events: the same.
            both = queries.incidents(Filters(q=q, date_from="2024-01-01"), limit=500)
            assert [i["id"] for i in both.items] == expected
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


def _store_report(ledger, doc_id: str, *, care: bool, claimant: str | None) -> str:
    """One stored report of one event (an attack on health care or not), with one
    figure of that claimant when given; the event's id."""
    from eventledger.models import Article, Event
    from eventledger.pipeline import Document

    day = "2024-03-12"
    doc = Document(Article(id=doc_id, key=doc_id, text=f"Report {doc_id}: a strike."))
    event_id = f"{doc_id}:ev1"
    figures = []
    if claimant is not None:
        figures = [
            Figure(f"{doc_id}:fig1", doc_id, "killed", None, 3, 3, False, "3",
                   claimant={"name": claimant}, event_id=event_id)
        ]  # fmt: skip
    doc.events = [
        Event(event_id, doc_id, "Battles", None, "strike",
              health_care={"attack_types": ["heavy weapons"]} if care else None,
              date=When(day, day, "day", day, "iso"), figure_ids=[f.id for f in figures])
    ]  # fmt: skip
    doc.figures = figures
    ledger.store(doc)
    return event_id


def test_health_care_and_claimant_filters_hold_through_any_event_of_an_incident(tmp_path):
    # The filters are folded over each incident's events when it is saved
    # (0009): an event added later, a figure that no incident toll shows and
    # a relink that drops an event must all be reflected, and two filters
    # together must still hold on one event, not on two different ones.
    def incident(inc_id: str, events: list[str]) -> Incident:
        day = When("2024-03-12", "2024-03-12", "day", "x", "iso")
        return Incident(inc_id, "Battles", events, [e.split(":")[0] for e in events], day)

    db = str(tmp_path / "l.db")
    with Ledger(db) as ledger:
        plain = _store_report(ledger, "plain", care=False, claimant=None)
        ministry = _store_report(ledger, "ministry", care=False, claimant="Health Ministry")
        clinic = _store_report(ledger, "clinic", care=True, claimant=None)
        army = _store_report(ledger, "army", care=False, claimant="The Army")
        ward = _store_report(ledger, "ward", care=True, claimant="Civil Defence")
        # i-added: the ministry's figure first, an attack on a clinic added later.
        ledger.save_incident(incident("i-added", [ministry]))
        ledger.save_incident(incident("i-added", [ministry, clinic]), added=[clinic])
        # i-apart: health care in one event, the army's claim in another.
        ledger.save_incident(incident("i-apart", [clinic, army]))
        ledger.save_incident(incident("i-plain", [plain]))
        # i-both: one event attacks health care and carries the claimant.
        ledger.save_incident(incident("i-both", [ward]))
        # i-dropped: relinked without the event whose figure named the ministry.
        other = _store_report(ledger, "other", care=False, claimant="Health Ministry")
        ledger.save_incident(incident("i-dropped", [other, plain]))
        ledger.save_incident(incident("i-dropped", [plain]))
    queries = Queries(db)
    try:

        def found(**filters) -> set[str]:
            f = Filters(**filters)
            page = queries.incidents(f, limit=500)
            ids = {i["id"] for i in page.items}
            assert page.total == len(ids) and set(queries.incident_ids(f)) == ids
            return ids

        assert found(claimant="ministry") == {"i-added"}
        assert found(claimant="ARMY") == {"i-apart"}
        assert found(claimant="defence") == {"i-both"}
        assert found(claimant="nobody") == set()
        assert found(health_care=True) == {"i-added", "i-apart", "i-both"}
        assert found(health_care=True, claimant="army") == set()
        assert found(health_care=True, claimant="ministry") == set()
        assert found(health_care=True, claimant="civil") == {"i-both"}
        # A claimant with a line break never matches across two claimants.
        assert found(claimant="army\nhealth") == set()
    finally:
        queries.close()
