"""The review pages over HTTP: sign-in, CSRF, the rate limit, roles, the queue and the forms."""

from __future__ import annotations

import re
import sqlite3

import pytest
from fastapi.testclient import TestClient

from eventledger.cli.serve import build_app
from eventledger.storage.review import Review
from eventledger.web.auth import MAX_FAILURES


@pytest.fixture
def db(example_db, tmp_path) -> str:
    copy = tmp_path / "copy.db"
    with sqlite3.connect(example_db) as src, sqlite3.connect(copy) as dst:
        src.backup(dst)
    return str(copy)


@pytest.fixture
def client(db, settings):
    return TestClient(build_app(db, settings, api_token=""))


def _add(db: str, name: str, role: str) -> str:
    review = Review(db)
    try:
        return review.add_user(name, role)
    finally:
        review.close()


def _csrf(html: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', html).group(1)


def _login(client, token: str, next_page: str = "/review"):
    form = client.get("/login")
    return client.post(
        "/login",
        data={"csrf": _csrf(form.text), "token": token, "next": next_page},
        follow_redirects=False,
    )


def _incident(client, **params) -> dict:
    items = client.get("/api/incidents", params={"limit": 500, **params}).json()["items"]
    return next(i for i in items if len(i["event_ids"]) >= 2)


def _decisions(client) -> list[dict]:
    return client.get("/api/decisions", params={"limit": 500}).json()["items"]


def test_login_sets_an_httponly_strict_cookie_and_logout_ends_it(client, db) -> None:
    answer = _login(client, _add(db, "ana", "coder"))
    assert answer.status_code == 303 and answer.headers["location"] == "/review"
    cookie = next(c for c in answer.headers.get_list("set-cookie") if "eventledger_session" in c)
    assert "HttpOnly" in cookie and "samesite=strict" in cookie.lower()
    queue = client.get("/review")
    assert queue.status_code == 200 and "ana (coder)" in queue.text
    out = client.post("/logout", data={"csrf": _csrf(queue.text)}, follow_redirects=False)
    assert out.status_code == 303
    assert client.get("/review", follow_redirects=False).status_code == 303  # to /login


@pytest.mark.parametrize("token", ["", "not-a-token"])
def test_a_wrong_token_does_not_sign_in(client, db, token) -> None:
    _add(db, "ana", "coder")
    answer = _login(client, token)
    assert answer.status_code == 401 and "belongs to no user" in answer.text
    assert "eventledger_session" not in answer.headers.get("set-cookie", "")


def test_failed_logins_are_rate_limited(client, db) -> None:
    token = _add(db, "ana", "coder")
    for _ in range(MAX_FAILURES):
        assert _login(client, "wrong").status_code == 401
    assert _login(client, "wrong").status_code == 429
    # Even the right token waits out the window.
    assert _login(client, token).status_code == 429


def test_login_without_its_csrf_cookie_is_refused(client, db) -> None:
    token = _add(db, "ana", "coder")
    answer = client.post("/login", data={"csrf": "forged", "token": token})
    assert answer.status_code == 403


def test_login_never_redirects_off_the_site(client, db) -> None:
    answer = _login(client, _add(db, "ana", "coder"), next_page="//evil.example/")
    assert answer.headers["location"] == "/review"


def test_a_form_without_the_session_csrf_token_is_refused(client, db) -> None:
    _login(client, _add(db, "ana", "coder"))
    event = _incident(client)["event_ids"][0]
    form = {"kind": "event", "record_id": event, "action": "accept"}
    assert client.post("/review/decide", data={**form, "csrf": "forged"}).status_code == 403
    assert client.post("/review/decide", data=form).status_code == 403
    assert _decisions(client) == []


@pytest.mark.parametrize(
    ("path", "form"),
    [
        ("/review/decide", {"kind": "event", "action": "accept"}),
        ("/review/merge", {"other": "x"}),
        ("/review/split", {}),
    ],
)
def test_a_viewer_cannot_write_through_the_forms(client, db, path, form) -> None:
    _add(db, "ana", "coder")  # writes are possible on this ledger, just not for viewers
    _login(client, _add(db, "vic", "viewer"))
    incident = _incident(client)
    csrf = _csrf(client.get("/review").text)
    data = {"csrf": csrf, "record_id": incident["event_ids"][0], "incident_id": incident["id"],
            "event_id": incident["event_ids"][0], **form}  # fmt: skip
    assert client.post(path, data=data).status_code == 403
    assert _decisions(client) == []
    page = client.get(f"/incidents/{incident['id']}")
    assert 'id="review-events"' not in page.text


def test_nobody_signed_in_cannot_write(client, db) -> None:
    _add(db, "ana", "coder")
    incident = _incident(client)
    data = {"csrf": "x", "kind": "event", "record_id": incident["event_ids"][0], "action": "accept"}
    assert client.post("/review/decide", data=data).status_code == 401
    assert _decisions(client) == []


def test_accept_reject_and_edit_from_the_incident_page(client, db) -> None:
    _login(client, _add(db, "ana", "coder"))
    incident = _incident(client)
    page = client.get(f"/incidents/{incident['id']}")
    assert 'id="review-events"' in page.text and 'id="review-figures"' in page.text
    csrf = _csrf(page.text)
    first, second = incident["event_ids"][:2]
    back = f"/incidents/{incident['id']}"
    for event, action in ((first, "accept"), (second, "reject")):
        answer = client.post(
            "/review/decide",
            data={"csrf": csrf, "kind": "event", "record_id": event, "action": action,
                  "reason": "read the source", "next": back},
            follow_redirects=False,
        )  # fmt: skip
        assert answer.status_code == 303 and answer.headers["location"] == back
    place = {"csrf": csrf, "kind": "event", "record_id": first, "action": "edit",
             "field": "place", "name": "Somewhere", "lat": "12.5", "lon": "40.25",
             "precision": "2", "country": "ET", "next": back}  # fmt: skip
    assert client.post("/review/decide", data=place, follow_redirects=False).status_code == 303
    page = client.get(back)
    assert re.search(r'class="reviewed edited" href="/history/event/[^"]+"', page.text)
    assert "Somewhere" in page.text
    assert [d["action"] for d in _decisions(client)] == ["accept", "reject", "edit"]
    history = client.get(f"/history/event/{first}")
    assert history.status_code == 200 and "read the source" in history.text


def test_an_impossible_value_is_a_422_page(client, db) -> None:
    _login(client, _add(db, "ana", "coder"))
    incident = _incident(client)
    csrf = _csrf(client.get("/review").text)
    data = {"csrf": csrf, "kind": "event", "record_id": incident["event_ids"][0],
            "action": "edit", "field": "place", "lat": "95", "lon": "10", "precision": "1"}  # fmt: skip
    answer = client.post("/review/decide", data=data, headers={"accept": "text/html"})
    assert answer.status_code == 422 and "latitude" in answer.text
    assert _decisions(client) == []


def test_merge_and_split_from_the_forms(client, db) -> None:
    _login(client, _add(db, "ana", "coder"))
    incident = _incident(client)
    csrf = _csrf(client.get("/review").text)
    total = client.get("/api/incidents").json()["total"]
    moved = incident["event_ids"][-1]
    split = client.post(
        "/review/split",
        data={"csrf": csrf, "incident_id": incident["id"], "event_id": moved},
        follow_redirects=False,
    )
    assert split.status_code == 303
    new = split.headers["location"].rsplit("/", 1)[1]
    assert client.get("/api/incidents").json()["total"] == total + 1
    merge = client.post(
        "/review/merge",
        data={"csrf": csrf, "incident_id": incident["id"], "other": new.replace("%3A", ":")},
        follow_redirects=False,
    )
    assert merge.status_code == 303, merge.text
    assert client.get("/api/incidents").json()["total"] == total
    assert [d["action"] for d in _decisions(client)] == ["split", "merge"]


def test_the_queue_lists_what_awaits_review_newest_first_and_filters(client, db) -> None:
    _login(client, _add(db, "ana", "coder"))
    queue = client.get("/review")
    listed = re.findall(r'data-incident="([^"]+)"', queue.text)
    machine = [i["id"] for i in client.get("/api/incidents", params={"limit": 500}).json()["items"]]
    assert listed == machine[: len(listed)] and listed
    csrf = _csrf(queue.text)
    client.post("/review/decide", data={"csrf": csrf, "kind": "incident", "record_id": listed[0],
                                        "action": "accept"})  # fmt: skip
    after = re.findall(r'data-incident="([^"]+)"', client.get("/review").text)
    assert listed[0] not in after and after[0] == listed[1]
    health = re.findall(r'data-incident="([^"]+)"', client.get("/review?health_care=true").text)
    expected = client.get("/api/incidents", params={"health_care": "true", "limit": 500}).json()
    assert health and set(health) <= {i["id"] for i in expected["items"]}


def test_the_list_and_the_document_page_read_the_reviewed_values(client, db) -> None:
    _login(client, _add(db, "ana", "coder"))
    incident = _incident(client)
    event = client.get(f"/api/events/{incident['event_ids'][0]}").json()
    csrf = _csrf(client.get("/review").text)
    place = {"csrf": csrf, "kind": "event", "record_id": event["id"], "action": "edit",
             "field": "place", "name": "Placeworth", "lat": "1.5", "lon": "2.5",
             "precision": "1"}  # fmt: skip
    assert client.post("/review/decide", data=place, follow_redirects=False).status_code == 303
    assert "Placeworth" in client.get("/", params={"limit": 500}).text
    page = f"/documents/{event['document_id']}"
    reviewed_type = f"Protests: {event['trigger']}"
    assert reviewed_type not in client.get(page).text
    review = Review(db)
    try:
        (user,) = [u for u in review.users() if u.name == "ana"]
        review.decide(user, "event", event["id"], "edit", field="type",
                      value={"type": "Protests", "subtype": "Peaceful protest"})  # fmt: skip
    finally:
        review.close()
    assert reviewed_type in client.get(page).text
