"""Review over the API: bearer tokens and roles, decisions, the reviewed overlay, history."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from eventledger.cli.serve import build_app
from eventledger.storage.review import Review

ARTICLES = {
    "a.txt": (
        "Title: Strike\nId: rv-a\nPublished: 2024-03-14\n\n"
        "An air strike hit the Al-Noor Hospital in Halba on Tuesday, killing five nurses, "
        "the health ministry said.\n\n"
        "Gunmen abducted two doctors in Tripoli on Monday, police said.\n"
    ),
    "b.txt": (
        "Title: Shelling\nId: rv-b\nPublished: 2024-03-20\n\n"
        "Shelling killed three farmers in Sidon on Sunday, the army said.\n"
    ),
}


@pytest.fixture(scope="module")
def ledger_db(tmp_path_factory, settings) -> Path:
    from eventledger.batch.local import ingest
    from eventledger.storage import Ledger

    folder = tmp_path_factory.mktemp("review")
    for name, text in ARTICLES.items():
        (folder / name).write_text(text)
    db = folder / "review.db"
    ledger = Ledger(str(db))
    report = ingest([folder / n for n in ARTICLES], ledger, settings)
    ledger.close()
    assert report.stored == 2
    return db


@pytest.fixture
def db(ledger_db, tmp_path) -> str:
    """A copy of the ingested ledger for one test (decisions cannot be taken back)."""
    import sqlite3

    copy = tmp_path / "copy.db"
    with sqlite3.connect(ledger_db) as src, sqlite3.connect(copy) as dst:
        src.backup(dst)
    return str(copy)


@pytest.fixture
def client(db, settings):
    return TestClient(build_app(db, settings, api_token=""))


def _token(db: str, name: str, role: str) -> dict[str, str]:
    review = Review(db)
    try:
        return {"Authorization": f"Bearer {review.add_user(name, role)}"}
    finally:
        review.close()


def _incident_of(client, event_id: str) -> dict:
    items = client.get("/api/incidents", params={"limit": 500}).json()["items"]
    return next(i for i in items if event_id in i["event_ids"])


ACCEPT = {"action": "accept", "reason": "checked against the source"}


def test_writes_are_refused_while_no_user_exists(client) -> None:
    answer = client.post("/api/events/rv-a:ev1/decisions", json=ACCEPT)
    assert answer.status_code == 403
    assert "read-only" in answer.json()["error"]["message"]


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/api/events/rv-a:ev1/decisions", ACCEPT),
        ("/api/figures/rv-a:fig1/decisions", {"action": "reject"}),
        ("/api/claims/rv-a:cl1/decisions", {"action": "reject"}),
        ("/api/incidents/inc-rv-a:ev1/merge", {"other": "inc-rv-b:ev1"}),
        ("/api/incidents/inc-rv-a:ev1/split", {"event_id": "rv-a:ev1"}),
    ],
)
def test_a_viewer_cannot_write(client, db, path, body) -> None:
    viewer = _token(db, "vic", "viewer")
    answer = client.post(path, json=body, headers=viewer)
    assert answer.status_code == 403, answer.text
    assert answer.json()["error"]["code"] == "forbidden"
    assert client.get("/api/decisions").json()["total"] == 0


@pytest.mark.parametrize(
    "headers",
    [{}, {"Authorization": "Bearer nope"}, {"Authorization": "Token {token}"}, {"X-Token": "{token}"}],
)  # fmt: skip
def test_a_write_needs_the_bearer_form_of_a_valid_token(client, db, headers) -> None:
    token = _token(db, "ana", "coder")["Authorization"].split()[1]
    sent = {k: v.format(token=token) for k, v in headers.items()}
    answer = client.post("/api/events/rv-a:ev1/decisions", json=ACCEPT, headers=sent)
    assert answer.status_code == 401
    assert client.get(f"/api/events/rv-a:ev1?token={token}").json()["review"]["status"] == "machine"


def test_coder_accepts_and_the_event_reads_accepted_with_history(client, db) -> None:
    coder = _token(db, "ana", "coder")
    answer = client.post("/api/events/rv-a:ev1/decisions", json=ACCEPT, headers=coder)
    assert answer.status_code == 201, answer.text
    decision = answer.json()
    assert (decision["user"], decision["action"], decision["record_id"]) == (
        "ana",
        "accept",
        "rv-a:ev1",
    )
    event = client.get("/api/events/rv-a:ev1").json()
    assert event["review"]["status"] == "accepted"
    history = client.get(event["review"]["history"]).json()
    assert [d["id"] for d in history["items"]] == [decision["id"]]
    assert _incident_of(client, "rv-a:ev1")["review"]["status"] == "accepted"


def test_edit_a_place_shows_the_reviewed_place_and_keeps_the_machine_one(client, db) -> None:
    coder = _token(db, "ana", "admin")
    machine = client.get("/api/events/rv-a:ev1").json()["place"]
    place = {"name": "Qubayat", "lat": 34.57, "lon": 36.28, "precision": 1, "country": "LB"}
    answer = client.post(
        "/api/events/rv-a:ev1/decisions",
        json={"action": "edit", "field": "place", "value": place, "reason": "the hospital's town"},
        headers=coder,
    )
    assert answer.status_code == 201, answer.text
    assert answer.json()["before"]["name"] == machine["name"]
    event = client.get("/api/events/rv-a:ev1").json()
    assert (event["place"]["name"], event["place"]["lat"]) == ("Qubayat", 34.57)
    assert event["review"]["fields"]["place"]["name"] == machine["name"]
    incident = client.get(f"/api/incidents/{_incident_of(client, 'rv-a:ev1')['id']}").json()
    assert incident["incident"]["place"]["name"] == "Qubayat"
    assert incident["incident"]["review"]["status"] == "edited"
    # The machine's record is untouched in the ledger.
    review = Review(db)
    try:
        data, _ = review.record("event", "rv-a:ev1")
    finally:
        review.close()
    assert data["place"]["name"] == machine["name"]


def test_edit_a_toll_changes_the_incident_range(client, db) -> None:
    coder = _token(db, "ana", "coder")
    answer = client.post(
        "/api/figures/rv-a:fig1/decisions",
        json={"action": "edit", "field": "value", "value": {"min": 7, "max": 9}},
        headers=coder,
    )
    assert answer.status_code == 201, answer.text
    assert client.get("/api/figures/rv-a:fig1").json()["min"] == 7
    incident = _incident_of(client, "rv-a:ev1")
    (killed,) = [f for f in incident["figures"] if f["kind"] == "killed"]
    assert (killed["low"], killed["high"]) == (7, 9)
    assert killed["values"][0]["review"]["status"] == "edited"


@pytest.mark.parametrize(
    ("path", "body", "status"),
    [
        ("/api/events/rv-a:ev1/decisions", {"action": "edit", "field": "trigger", "value": "x"}, 422),
        ("/api/events/rv-a:ev1/decisions", {"action": "edit", "field": "date", "value": {"start": "2024-13-01"}}, 422),
        ("/api/events/rv-a:ev1/decisions", {"action": "delete"}, 422),
        ("/api/events/nope/decisions", ACCEPT, 404),
        ("/api/incidents/inc-rv-a:ev1/merge", {"other": "inc-rv-a:ev1"}, 422),
        ("/api/incidents/inc-rv-a:ev1/merge", {"other": "nope"}, 404),
        ("/api/incidents/inc-rv-b:ev1/split", {"event_id": "rv-b:ev1"}, 422),
    ],
)  # fmt: skip
def test_bad_decisions_get_the_one_error_shape(client, db, path, body, status) -> None:
    coder = _token(db, "ana", "coder")
    answer = client.post(path, json=body, headers=coder)
    assert answer.status_code == status, answer.text
    assert set(answer.json()["error"]) == {"code", "message", "detail"}
    assert client.get("/api/decisions").json()["total"] == 0


def test_merge_then_split_move_events_between_incidents(client, db) -> None:
    coder = _token(db, "ana", "coder")
    total = client.get("/api/incidents").json()["total"]
    a, b = _incident_of(client, "rv-a:ev1")["id"], _incident_of(client, "rv-b:ev1")["id"]
    merged = client.post(
        f"/api/incidents/{a}/merge", json={"other": b, "reason": "one attack"}, headers=coder
    )
    assert merged.status_code == 201, merged.text
    assert client.get("/api/incidents").json()["total"] == total - 1
    assert set(_incident_of(client, "rv-b:ev1")["event_ids"]) >= {"rv-a:ev1", "rv-b:ev1"}
    assert client.get(f"/api/incidents/{b}").status_code == 404
    split = client.post(f"/api/incidents/{a}/split", json={"event_id": "rv-b:ev1"}, headers=coder)
    assert split.status_code == 201, split.text
    new = split.json()["after"]["new_incident"]
    assert client.get(f"/api/incidents/{new}").json()["incident"]["event_ids"] == ["rv-b:ev1"]
    assert client.get("/api/incidents").json()["total"] == total
    history = client.get(f"/api/incidents/{a}/history").json()["items"]
    assert [d["action"] for d in history] == ["merge", "split"]


def test_place_candidates_come_from_the_gazetteer(client) -> None:
    found = client.get("/api/places", params={"name": "Tripoli"}).json()["items"]
    assert found and all(c["name"] == "Tripoli" for c in found[:1])
    assert {"LB", "LY"} <= {c["country"] for c in found}
    assert all(1 <= c["precision"] <= 7 for c in found)
