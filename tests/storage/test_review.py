"""Users, append-only decisions, anchors and the reviewed overlay (storage.review)."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy.exc import DBAPIError

from eventledger.errors import NotFound, ReviewError
from eventledger.models import Article, Event, Evidence, Figure, Place, When
from eventledger.pipeline import Document
from eventledger.storage import Ledger, tables
from eventledger.storage.anchors import anchors, sentence_around
from eventledger.storage.review import Review, User, fold, hash_token

TEXT = (
    "Shells hit the market in Northtown on Monday. "
    "A drone struck a clinic in Easton, killing four nurses, the council said."
)
CODER = User("ana", "coder", "2024")
VIEWER = User("vic", "viewer", "2024")


def _doc(text: str = TEXT, doc_id: str = "d1", key: str = "k1", revision: int = 1) -> Document:
    article = Article(
        id=doc_id,
        key=key,
        text=text,
        revision=revision,
        published="2024-03-14",
        text_hash=hashlib.sha256(text.encode()).hexdigest(),
    )
    doc = Document(article)
    for n, trigger in enumerate(("Shells hit", "drone struck"), start=1):
        if trigger not in text:
            continue
        start = text.index(trigger)
        doc.events.append(
            Event(
                id=f"{doc_id}:ev{n}",
                document_id=doc_id,
                type="Explosions/Remote violence",
                subtype="Shelling/artillery/missile attack",
                trigger=trigger,
                date=When("2024-03-11", "2024-03-11", "day", "Monday", "weekday"),
                place=Place("Easton", lat=10.0, lon=20.0, country="LB", precision=4),
                evidence=[Evidence.of(doc_id, text, start, start + len(trigger))],
            )
        )
    if "four nurses" in text:
        start = text.index("four nurses")
        doc.figures.append(
            Figure(
                f"{doc_id}:fig1",
                doc_id,
                "killed",
                "health_workers",
                4,
                4,
                False,
                "four nurses",
                event_id=doc.events[-1].id,
                evidence=[Evidence.of(doc_id, text, start, start + 11)],
            )
        )
    return doc


@pytest.fixture
def ledger(tmp_path: Path):
    ledger = Ledger(str(tmp_path / "l.db"))
    ledger.store(_doc())
    yield ledger
    ledger.close()


@pytest.fixture
def review(ledger):
    review = Review(ledger.url)
    yield review
    review.close()


def test_user_add_keeps_only_the_token_hash(ledger, review, tmp_path: Path) -> None:
    token = review.add_user("ana", "coder")
    assert len(token) >= 40
    with sqlite3.connect(tmp_path / "l.db") as conn:
        rows = conn.execute("SELECT name, role, token_hash FROM users").fetchall()
    assert rows == [("ana", "coder", hash_token(token))]
    assert token not in repr(rows)
    assert review.user_for_token(token) == User("ana", "coder", review.users()[0].created)
    assert review.user_for_token(token + "x") is None
    assert review.user_for_token("") is None


@pytest.mark.parametrize(("name", "role"), [("ana", "boss"), ("", "coder"), ("a b", "coder")])
def test_user_add_refuses_a_bad_role_or_name(review, name: str, role: str) -> None:
    with pytest.raises(ReviewError):
        review.add_user(name, role)


def test_user_add_twice_and_remove_unknown_are_errors(review) -> None:
    review.add_user("ana", "admin")
    with pytest.raises(ReviewError, match="exists"):
        review.add_user("ana", "coder")
    review.remove_user("ana")
    assert review.users() == []
    with pytest.raises(NotFound):
        review.remove_user("ana")


@pytest.mark.parametrize(
    "statement", ["UPDATE decisions SET reason = 'changed'", "DELETE FROM decisions"]
)
def test_decisions_table_is_append_only(ledger, review, statement: str) -> None:
    review.decide(CODER, "event", "d1:ev1", "accept", reason="checked")
    engine = review._engine
    with pytest.raises(DBAPIError, match="append-only"), engine.begin() as conn:
        conn.exec_driver_sql(statement)
    assert [d["reason"] for d in review.decisions()] == ["checked"]


def test_edit_overlays_the_reviewed_value_and_keeps_the_machine_record(ledger, review) -> None:
    place = {"name": "Westville", "lat": 11.5, "lon": 21.5, "precision": 1, "country": "LB"}
    decision = review.decide(
        CODER, "event", "d1:ev2", "edit", field="place", value=place, reason="wrong town"
    )
    assert decision["before"]["name"] == "Easton"
    assert {k: decision["after"][k] for k in place} == place
    assert decision["after"]["geo_precision"] == 1
    machine = ledger.events_of("d1")[1]
    assert machine.place.name == "Easton"
    (seen,) = review.overlay("event", [{"id": "d1:ev2", **_as_dict(machine)}])
    assert seen["place"]["name"] == "Westville" and seen["place"]["lat"] == 11.5
    assert seen["place"]["evidence"] == _as_dict(machine)["place"]["evidence"]
    assert seen["review"]["status"] == "edited"
    assert seen["review"]["fields"]["place"]["name"] == "Easton"
    (other,) = review.overlay("event", [_as_dict(ledger.events_of("d1")[0])])
    assert other["review"]["status"] == "machine" and other["place"]["name"] == "Easton"


def test_latest_decision_gives_the_status(ledger, review) -> None:
    review.decide(CODER, "figure", "d1:fig1", "edit", field="value", value={"min": 5, "max": 5})
    review.decide(CODER, "figure", "d1:fig1", "reject", reason="not this attack")
    assert review.statuses("figure", ["d1:fig1"]) == {"d1:fig1": "rejected"}
    assert [d["action"] for d in review.history("figure", "d1:fig1")] == ["edit", "reject"]


@pytest.mark.parametrize(
    ("kind", "record", "action", "field"),
    [
        ("event", "d1:ev1", "edit", "trigger"),
        ("claim", "d1:cl1", "accept", None),
        ("event", "d1:ev9", "accept", None),
        ("event", "d1:ev1", "merge", None),
        ("event", "d1:ev1", "accept", "type"),
    ],
)
def test_decide_refuses_what_cannot_be_decided(review, kind, record, action, field) -> None:
    with pytest.raises(ReviewError):
        review.decide(CODER, kind, record, action, field=field, value="x")
    assert review.decisions() == []


def test_a_viewer_cannot_decide(review) -> None:
    with pytest.raises(ReviewError, match="viewer"):
        review.decide(VIEWER, "event", "d1:ev1", "accept")


def test_decision_follows_the_record_when_a_rerun_renumbers_it(ledger, review) -> None:
    review.decide(CODER, "event", "d1:ev2", "reject", reason="duplicate")
    rerun = _doc()
    rerun.events.reverse()  # a newer pipeline finds them in another order
    for n, event in enumerate(rerun.events, start=1):
        event.id = f"d1:ev{n}"
    rerun.figures[0].event_id = "d1:ev1"
    ledger.replace_records(rerun)
    statuses = review.statuses("event", ["d1:ev1", "d1:ev2"])
    assert statuses == {"d1:ev1": "rejected", "d1:ev2": "machine"}
    assert review.orphaned() == []


def test_decision_on_a_rewritten_sentence_is_listed_as_orphaned(ledger, review) -> None:
    review.decide(CODER, "figure", "d1:fig1", "accept")
    review.decide(CODER, "event", "d1:ev1", "accept")
    revised = TEXT.replace("killing four nurses", "killing two doctors")
    ledger.store(_doc(revised, doc_id="k1.r2", revision=2))
    gone = review.orphaned()
    assert [(d["record_kind"], d["record_id"]) for d in gone] == [("figure", "d1:fig1")]
    # The untouched first sentence keeps its decision in the new revision.
    assert review.statuses("event", ["k1.r2:ev1"]) == {"k1.r2:ev1": "accepted"}


def test_anchor_is_the_sentence_and_the_span_not_the_record_id() -> None:
    a = {"id": "x:ev1", "evidence": [{"start": 51, "end": 63}]}
    b = {"id": "y:ev7", "evidence": [{"start": 51, "end": 63}]}
    assert anchors("k", "event", [a], TEXT) == anchors("k", "event", [b], TEXT)
    assert anchors("k", "event", [a], TEXT) != anchors("k2", "event", [a], TEXT)
    assert anchors("k", "event", [a, b], TEXT)[1].endswith("#2")
    assert sentence_around(TEXT, 51, 63).startswith("A drone struck a clinic")


def test_fold_without_decisions_is_the_machine_record() -> None:
    record = {"id": "e", "type": "Battles", "subtype": None}
    folded = fold("event", record, [])
    assert folded["type"] == "Battles" and folded["review"]["status"] == "machine"
    assert "review" not in record


def _as_dict(event: Event) -> dict:
    from eventledger.models import to_dict

    return to_dict(event)


def test_tables_declare_the_review_tables() -> None:
    assert {"users", "decisions"} <= set(tables.metadata.tables)


@pytest.mark.parametrize(
    ("kind", "field", "value"),
    [
        ("event", "date", {"start": "2024-02-30"}),
        ("event", "date", {"start": "2024-03-02", "end": "2024-03-01"}),
        ("event", "date", {"start": "2024-03-02", "precision": "hour"}),
        ("event", "place", {"lat": 95, "lon": 10, "precision": 1}),
        ("event", "place", {"lat": 10, "lon": 10, "precision": 9}),
        ("event", "place", {"lat": 10, "lon": 10, "precision": 1, "country": "Lebanon"}),
        ("event", "type", "Battles"),
        ("figure", "value", {"min": 5, "max": 2}),
        ("figure", "value", {"min": -1}),
        ("figure", "value", {"min": None, "max": None}),
        ("figure", "scope", "weekly"),
    ],
)
def test_check_value_refuses_values_that_do_not_fit(kind, field, value) -> None:
    from eventledger.storage.review import check_value

    with pytest.raises(ReviewError):
        check_value(kind, field, value)


@pytest.mark.parametrize(
    ("kind", "field", "value", "stored"),
    [
        ("event", "date", {"start": "2024-03-02"}, {"start": "2024-03-02", "end": "2024-03-02", "precision": "day"}),
        ("event", "perpetrator", {"name": " Army "}, {"name": "Army"}),
        ("event", "perpetrator", "", None),
        ("event", "health_care", True, {"attack_types": [], "resources": []}),
        ("figure", "value", {"min": 12}, {"min": 12, "max": 12}),
        ("figure", "value", {"min": 12, "max": None}, {"min": 12, "max": None}),
        ("figure", "claimant", "Civil defence", {"name": "Civil defence", "type": None}),
    ],
)  # fmt: skip
def test_check_value_stores_each_field_in_one_shape(kind, field, value, stored) -> None:
    from eventledger.storage.review import check_value

    assert check_value(kind, field, value) == stored


def _scan_sentence(text: str, start: int, end: int) -> str:
    # the definition anchors were first written with: scan for the last boundary
    # before the span (anchors stored by migration 0007 used it)
    from eventledger.storage.anchors import _BOUNDARY

    begin = 0
    for match in _BOUNDARY.finditer(text, 0, start):
        begin = match.end()
    stop = _BOUNDARY.search(text, end)
    return " ".join(text[begin : stop.start() + 1 if stop else len(text)].split())


@given(st.text(alphabet='ab .!?\n"\u201d)', max_size=40), st.data())
def test_the_sentence_of_a_span_is_found_by_lookup_as_by_scanning(text, data):
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    assert sentence_around(text, start, end) == _scan_sentence(text, start, end)
