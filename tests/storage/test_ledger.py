"""Ledger: store and read back, revisions, all-or-nothing writes, incident blocking."""

from __future__ import annotations

import dataclasses
import hashlib
import sqlite3
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from eventledger.errors import StorageError
from eventledger.models import (
    Actor,
    Article,
    Claim,
    Event,
    Evidence,
    Figure,
    Incident,
    Place,
    Removed,
    Speaker,
    When,
)
from eventledger.pipeline import Document, Failure
from eventledger.storage import Ledger

TEXT = (
    "On Tuesday an air strike hit Nasser Hospital in Khan Younis, killing at least 12 "
    "civilians, the ministry said."
)
TABLES = ("documents", "claims", "figures", "events", "evidence", "failures")


def _span(doc: Document, phrase: str) -> Evidence:
    start = doc.text.index(phrase)
    return doc.evidence(start, start + len(phrase))


def build(text: str = TEXT, doc_id: str = "a1", key: str = "k1", revision: int = 1) -> Document:
    """A document with one claim, one figure and one event, all with evidence."""
    article = Article(
        id=doc_id,
        key=key,
        text=text,
        revision=revision,
        url="https://example.org/a",
        title="Strike on hospital",
        outlet="Example News",
        published="2024-03-14",
        published_source="metadata",
        language="en",
        removed=[Removed("Share this article", "boilerplate", 3)],
        source="examples/a.txt",
        text_hash=hashlib.sha256(text.encode()).hexdigest(),
    )
    doc = Document(article)
    claim = Claim(
        id=doc.new_id("cl"),
        document_id=doc_id,
        speaker=Speaker("the ministry", type="health_authority", evidence=[_span(doc, "ministry")]),
        cue="said",
        stance="assert",
        content="killing at least 12 civilians",
        direct=False,
        evidence=[_span(doc, "the ministry said")],
        cue_evidence=_span(doc, "said"),
        content_evidence=_span(doc, "killing at least 12 civilians"),
    )
    figure = Figure(
        id=doc.new_id("fig"),
        document_id=doc_id,
        kind="killed",
        group="civilians",
        min=12,
        max=None,
        approximate=False,
        text="at least 12 civilians",
        best=12,
        claimant={"name": "the ministry", "type": "health_authority"},
        claim_id=claim.id,
        event_id=f"{doc_id}:ev1",
        evidence=[_span(doc, "at least 12 civilians")],
    )
    event = Event(
        id=doc.new_id("ev"),
        document_id=doc_id,
        type="Violence against civilians",
        subtype="Air/drone strike",
        trigger="strike",
        health_care={"facility_type": "hospital"},
        date=When(
            "2024-03-12",
            "2024-03-12",
            "day",
            "Tuesday",
            "weekday",
            evidence=[_span(doc, "Tuesday")],
        ),
        place=Place(
            "Khan Younis",
            facility="Nasser Hospital",
            lat=31.344,
            lon=34.303,
            country="Palestine",
            precision=1,
            geo_precision=1,
            evidence=[_span(doc, "Nasser Hospital in Khan Younis")],
        ),
        actors=[Actor("target", "Nasser Hospital", evidence=[_span(doc, "Nasser Hospital")])],
        figure_ids=[figure.id],
        claim_ids=[claim.id],
        evidence=[_span(doc, "an air strike hit Nasser Hospital")],
    )
    doc.claims, doc.figures, doc.events = [claim], [figure], [event]
    return doc


def row_counts(path: Path) -> dict[str, int]:
    with sqlite3.connect(path) as conn:
        return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "ledger.db"


@pytest.fixture
def ledger(db: Path):
    with Ledger(str(db)) as opened:
        yield opened


def test_store_reads_back_unchanged(ledger: Ledger) -> None:
    doc = build()
    ledger.store(doc)
    assert ledger.documents() == [doc.article]
    assert ledger.claims() == doc.claims
    assert ledger.figures() == doc.figures
    assert ledger.events() == doc.events
    assert ledger.events_of("a1") == doc.events
    assert ledger.figures_of_events(["a1:ev1", "other"]) == doc.figures


def test_store_writes_one_evidence_row_per_span(ledger: Ledger, db: Path) -> None:
    ledger.store(build())
    with sqlite3.connect(db) as conn:
        rows = conn.execute(
            'SELECT record_kind, field, start, "end" FROM evidence ORDER BY pk'
        ).fetchall()
    # claim: speaker, evidence, cue, content; figure: 1; event: date, place, actor, evidence
    assert len(rows) == 9
    assert ("claim", "speaker.evidence[0]") in {(r[0], r[1]) for r in rows}
    assert ("event", "date.evidence[0]") in {(r[0], r[1]) for r in rows}
    assert all(TEXT[start:end] for _, _, start, end in rows)


def test_store_keeps_failures_and_rejections(ledger: Ledger) -> None:
    doc = build()
    doc.failures.append(Failure("places.gazetteer.v1", "KeyError: 'x'"))
    ledger.store(doc)
    ledger.record_rejection("in/b.bin", "E103", "binary input")
    assert [(f["document_id"], f["stage"]) for f in ledger.failures()] == [
        ("a1", "places.gazetteer.v1")
    ]
    assert [(r["source"], r["code"]) for r in ledger.rejections()] == [("in/b.bin", "E103")]
    assert ledger.summary() == {
        "documents": 1,
        "revisions": 1,
        "events": 1,
        "figures": 1,
        "claims": 1,
        "incidents": 0,
        "failures": 1,
        "rejections": 1,
    }


def test_plan_same_key_and_text_is_none(ledger: Ledger) -> None:
    doc = build()
    assert ledger.plan(doc.article) == 1
    ledger.store(doc)
    assert ledger.plan(build().article) is None
    with pytest.raises(StorageError, match="stored already"):
        ledger.store(build())


def test_changed_text_is_revision_two_and_old_one_kept(ledger: Ledger) -> None:
    ledger.store(build())
    changed = TEXT + " The toll may rise."
    assert ledger.plan(build(changed).article) == 2
    new = build(changed, doc_id="a1@r2", revision=2)
    ledger.store(new)
    assert [a.id for a in ledger.documents()] == ["a1@r2"]
    assert [(a.id, a.revision) for a in ledger.documents(all_revisions=True)] == [
        ("a1", 1),
        ("a1@r2", 2),
    ]
    assert [e.id for e in ledger.events()] == ["a1@r2:ev1"]
    current = ledger.export()
    assert [d["id"] for d in current["documents"]] == ["a1@r2"]
    assert {f["document_id"] for f in current["figures"]} == {"a1@r2"}
    everything = ledger.export(all_revisions=True)
    assert [(d["id"], d["superseded"]) for d in everything["documents"]] == [
        ("a1", True),
        ("a1@r2", False),
    ]
    assert {f["document_id"] for f in everything["figures"]} == {"a1", "a1@r2"}
    # Going back to the first text adds nothing: it is stored already.
    assert ledger.plan(build().article) is None


def test_store_refuses_a_revision_plan_did_not_give(ledger: Ledger, db: Path) -> None:
    ledger.store(build())
    with pytest.raises(StorageError, match="expects revision 2"):
        ledger.store(build(TEXT + " More.", doc_id="a1@r3", revision=3))
    assert row_counts(db)["documents"] == 1


def _break_claim_speaker(doc: Document) -> None:
    doc.claims[0].speaker.evidence = [Evidence("a1", 0, 2, "XX")]


def _break_event_date(doc: Document) -> None:
    doc.events[0].date.evidence = [Evidence("a1", 3, 10, "Monday!")]


def _break_figure_document(doc: Document) -> None:
    doc.figures[0].evidence = [Evidence.of("other", doc.text, 0, 2)]


def _break_event_range(doc: Document) -> None:
    doc.events[0].evidence = [Evidence("a1", len(doc.text) - 1, len(doc.text) + 5, ".")]


def _break_record_document(doc: Document) -> None:
    doc.events[0] = dataclasses.replace(doc.events[0], document_id="b9")


@pytest.mark.parametrize(
    "breaker",
    [
        _break_claim_speaker,
        _break_event_date,
        _break_figure_document,
        _break_event_range,
        _break_record_document,
    ],
)
def test_evidence_mismatch_writes_nothing(ledger: Ledger, db: Path, breaker) -> None:
    doc = build()
    breaker(doc)
    with pytest.raises(StorageError, match="nothing was written"):
        ledger.store(doc)
    assert row_counts(db) == dict.fromkeys(TABLES, 0)


def _duplicate_figure_id(doc: Document) -> None:
    doc.figures.append(dataclasses.replace(doc.figures[0]))


def _nan_figure(doc: Document) -> None:
    doc.figures[0].min = float("nan")


@pytest.mark.parametrize("breaker", [_duplicate_figure_id, _nan_figure])
def test_failure_in_the_middle_of_store_writes_nothing(ledger: Ledger, db: Path, breaker) -> None:
    doc = build()
    doc.failures.append(Failure("x.v1", "boom"))
    breaker(doc)
    with pytest.raises(StorageError):
        ledger.store(doc)
    assert row_counts(db) == dict.fromkeys(TABLES, 0)
    # The failed write left the ledger usable, and the same document can follow.
    ledger.store(build())
    assert row_counts(db)["documents"] == 1


def test_missing_folder_is_a_storage_error(tmp_path: Path) -> None:
    with pytest.raises(StorageError, match="does not exist"):
        Ledger(str(tmp_path / "nope" / "ledger.db"))


# --- round trip over generated records ----------------------------------

WORDS = st.text(st.characters(blacklist_categories=("Cs",)), max_size=12)
NUMBERS = st.none() | st.integers(0, 10**6) | st.floats(0, 1e6, allow_nan=False)


@st.composite
def documents_with_records(draw) -> Document:
    text = draw(st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=80))
    doc = Document(Article(id="g1", key="g", text=text))

    def span() -> Evidence:
        start = draw(st.integers(0, len(text)))
        return doc.evidence(start, draw(st.integers(start, len(text))))

    spans = st.builds(lambda _: span(), st.none())
    for _ in range(draw(st.integers(0, 3))):
        doc.figures.append(
            Figure(
                id=doc.new_id("fig"),
                document_id="g1",
                kind=draw(st.sampled_from(["killed", "injured", "missing", "other"])),
                group=draw(st.none() | WORDS),
                min=draw(NUMBERS),
                max=draw(NUMBERS),
                approximate=draw(st.booleans()),
                text=draw(WORDS),
                scope=draw(st.sampled_from(["incident", "cumulative"])),
                as_of=draw(st.none() | WORDS),
                best=draw(NUMBERS),
                claimant=draw(
                    st.none() | st.fixed_dictionaries({"name": WORDS, "type": st.none() | WORDS})
                ),
                claim_id=draw(st.none() | WORDS),
                evidence=draw(st.lists(spans, max_size=3)),
            )
        )
    for _ in range(draw(st.integers(0, 3))):
        speaker = draw(
            st.none()
            | st.builds(
                Speaker,
                name=WORDS,
                normalized=st.none() | WORDS,
                type=WORDS,
                role=st.none() | WORDS,
                affiliation=st.none() | WORDS,
                evidence=st.lists(spans, max_size=2),
            )
        )
        doc.claims.append(
            Claim(
                id=doc.new_id("cl"),
                document_id="g1",
                speaker=speaker,
                cue=draw(WORDS),
                stance=draw(st.sampled_from(["assert", "deny", "accuse", "estimate"])),
                content=draw(WORDS),
                direct=draw(st.booleans()),
                evidence=draw(st.lists(spans, max_size=2)),
                cue_evidence=draw(st.none() | spans),
                content_evidence=draw(st.none() | spans),
                channel=draw(st.none() | WORDS),
                denies=draw(st.none() | WORDS),
            )
        )
    return doc


@settings(max_examples=60, deadline=None)
@given(documents_with_records())
def test_generated_records_round_trip_unchanged(doc: Document) -> None:
    with Ledger("sqlite://") as ledger:
        ledger.store(doc)
        assert ledger.figures() == doc.figures
        assert ledger.claims() == doc.claims
        assert ledger.documents()[0].text == doc.text


# --- incidents ----------------------------------------------------------


def _incident(
    iid: str,
    start: str | None,
    end: str | None = None,
    lat: float | None = None,
    lon: float | None = None,
    facility: str | None = None,
) -> Incident:
    date = When(start, end or start, "day", "", "test") if start else None
    place = Place("somewhere", facility=facility, lat=lat, lon=lon)
    return Incident(iid, "Violence against civilians", [], [], date=date, place=place)


@pytest.fixture
def incidents(ledger: Ledger) -> Ledger:
    for incident in (
        _incident("A", "2024-03-12", lat=31.344, lon=34.303, facility="Nasser Hospital"),
        _incident("B", "2024-04-20", lat=31.344, lon=34.303, facility="Nasser Hospital"),
        _incident("C", "2024-03-12", lat=31.60, lon=34.30, facility="Al-Amal Hospital"),
        _incident("D", "2024-03-13", facility="Nasser Hospital"),
        _incident("E", "2022-01-01", "2024-12-31", lat=31.35, lon=34.31),
        _incident("F", "2024-03-12", lat=-16.5, lon=179.95),
        _incident("G", None, lat=31.344, lon=34.303, facility="Nasser Hospital"),
        _incident("M", "2024-02-15", "2024-03-14", facility="Kamal Adwan Hospital"),
    ):
        ledger.save_incident(incident)
    return ledger


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        # near A (and inside E's long range), by distance only
        ({"date_start": "2024-03-13", "lat": 31.35, "lon": 34.30}, {"A", "E"}),
        # same facility (any case), no coordinates
        ({"date_start": "2024-03-13", "facility": "NASSER hospital"}, {"A", "D"}),
        # outside the date window of A and D; E's range still covers it
        ({"date_start": "2024-03-20", "lat": 31.35, "lon": 34.30}, {"E"}),
        ({"date_start": "2024-03-20", "facility": "Nasser Hospital"}, set()),
        ({"date_start": "2024-03-20", "facility": "Nasser Hospital", "window_days": 8}, {"A", "D"}),
        # C is about 28 km north: outside 25 km, inside 40 km
        ({"date_start": "2024-03-12", "lat": 31.344, "lon": 34.303, "max_km": 40}, {"A", "C", "E"}),
        # a range: overlaps B's day
        (
            {"date_start": "2024-04-01", "date_end": "2024-04-30", "facility": "nasser hospital"},
            {"B"},
        ),
        # a month-long range that started well before the window
        ({"date_start": "2024-03-15", "facility": "kamal adwan hospital"}, {"M"}),
        ({"date_start": "2024-03-17", "facility": "kamal adwan hospital"}, set()),
        # across the antimeridian
        ({"date_start": "2024-03-12", "lat": -16.5, "lon": -179.98}, {"F"}),
        # no date: no candidates, never the whole ledger
        ({"date_start": None, "lat": 31.344, "lon": 34.303, "facility": "Nasser Hospital"}, set()),
        # neither place nor facility
        ({"date_start": "2024-03-12"}, set()),
    ],
)
def test_incident_candidates_block_by_date_and_place(
    incidents: Ledger, query: dict, expected: set[str]
) -> None:
    args = {
        "date_end": None,
        "lat": None,
        "lon": None,
        "facility": None,
        "max_km": 25.0,
        "window_days": 2,
    }
    found = incidents.incident_candidates(**{**args, **query})
    assert {i.id for i in found} == expected


def _placed(iid: str, start: str | None, country: str | None, lat: float | None = None) -> Incident:
    incident = _incident(iid, start, lat=lat, lon=None if lat is None else 34.3)
    incident.place.country = country  # type: ignore[union-attr]
    return incident


@pytest.fixture
def areas(ledger: Ledger) -> Ledger:
    for incident in (
        _placed("PS-town", "2024-03-12", "PS", lat=31.3),
        _placed("PS-area", "2024-03-12", "PS"),
        _placed("nowhere", "2024-03-13", None),
        _placed("LB-area", "2024-03-12", "LB"),
        _placed("PS-later", "2024-04-20", "PS"),
        _placed("PS-undated", None, "PS"),
        _placed("undated-nowhere", None, None),
        _placed("LB-undated", None, "LB"),
    ):
        ledger.save_incident(incident)
    return ledger


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        # an area holds its own incidents and those placed in no country yet
        ({"country": "PS"}, {"PS-town", "PS-area", "nowhere"}),
        ({"country": "PS", "unplaced_only": True}, {"PS-area", "nowhere"}),
        ({"country": "LB"}, {"LB-area", "nowhere"}),
    ],
)
def test_incident_candidates_in_area(areas: Ledger, query: dict, expected: set[str]) -> None:
    args = {"date_start": "2024-03-12", "date_end": None, "window_days": 2}
    found = areas.incident_candidates_in_area(**{**args, **query})
    assert {i.id for i in found} == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, {"PS-town", "PS-area", "nowhere", "LB-area"}),
        ({"unplaced_only": True}, {"PS-area", "nowhere", "LB-area"}),
        ({"date_start": None}, set()),  # no date: never the whole ledger
    ],
)
def test_incident_candidates_in_window(areas: Ledger, query: dict, expected: set[str]) -> None:
    args = {"date_start": "2024-03-12", "date_end": None, "window_days": 2}
    found = areas.incident_candidates_in_window(**{**args, **query})
    assert {i.id for i in found} == expected


@pytest.mark.parametrize(
    ("country", "within", "expected"),
    [
        ("PS", 100, {"PS-undated", "undated-nowhere"}),
        (None, 100, {"PS-undated", "undated-nowhere", "LB-undated"}),
        (None, 2, {"undated-nowhere", "LB-undated"}),  # only the latest stored are read
    ],
)
def test_recent_undated_incidents(
    areas: Ledger, country: str | None, within: int, expected: set[str]
) -> None:
    found = areas.recent_undated_incidents(country=country, within=within)
    assert {i.id for i in found} == expected


def test_save_incident_replaces_by_id_with_its_links(ledger: Ledger) -> None:
    ledger.store(build())
    ledger.store(build(TEXT + " Update.", doc_id="b1", key="k2"))
    first = _incident("I1", "2024-03-12", lat=31.344, lon=34.303)
    first.event_ids, first.document_ids = ["a1:ev1"], ["a1"]
    ledger.save_incident(first)
    second = dataclasses.replace(first, event_ids=["a1:ev1", "b1:ev1"], document_ids=["a1", "b1"])
    ledger.save_incident(second)
    assert ledger.incidents() == [second]
    exported = ledger.export()["incidents"][0]
    assert {e["document_id"] for e in exported["evidence"]} == {"a1", "b1"}
    assert all(
        e["text"] == TEXT[e["start"] : e["end"]]
        for e in exported["evidence"]
        if e["document_id"] == "a1"
    )


def test_save_incident_with_unknown_event_is_refused(ledger: Ledger) -> None:
    incident = _incident("I1", "2024-03-12")
    incident.event_ids = ["nowhere:ev1"]
    with pytest.raises(StorageError, match="I1"):
        ledger.save_incident(incident)
    assert ledger.incidents() == []
