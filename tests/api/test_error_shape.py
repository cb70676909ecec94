"""Every error the API answers has one shape: {"error": {"code", "message", "detail"}}."""

from __future__ import annotations

import shutil
import sqlite3

import pytest
from fastapi.testclient import TestClient

from eventledger.api import create_app
from eventledger.storage.queries import Queries

TOKEN = "s3cret-token"


def _submitted(fields: dict) -> dict:
    return {"stored": 1, "unchanged": 0, "rejected": [], "document_ids": ["x"]}


@pytest.fixture(scope="module")
def client(example_db):
    queries = Queries(str(example_db))
    app = create_app(queries, api_token=TOKEN, ingest=_submitted, max_request_bytes=10_000)
    yield TestClient(app, raise_server_exceptions=False)
    queries.close()


def _check_shape(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "detail"}
    assert body["error"]["code"] == code
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    return body["error"]


@pytest.mark.parametrize(
    ("method", "path", "kwargs", "status", "code"),
    [
        ("get", "/api/incidents/no-such-incident", {}, 404, "not_found"),
        ("get", "/api/events/no-such-event", {}, 404, "not_found"),
        ("get", "/api/figures/nope", {}, 404, "not_found"),
        ("get", "/api/claims/nope", {}, 404, "not_found"),
        ("get", "/api/documents/nope", {}, 404, "not_found"),
        ("get", "/api/no-such-route", {}, 404, "not_found"),
        ("get", "/api/incidents?limit=100000", {}, 422, "validation_error"),
        ("get", "/api/incidents?offset=-1", {}, 422, "validation_error"),
        ("get", "/api/incidents?date_from=yesterday", {}, 422, "validation_error"),
        ("get", "/api/incidents?bbox=1,2,3", {}, 422, "validation_error"),
        ("get", "/api/incidents?bbox=0,95,10,99", {}, 422, "validation_error"),
        ("get", "/api/incidents?health_care=perhaps", {}, 422, "validation_error"),
        ("get", "/api/tolls?date_to=2024-3-1", {}, 422, "validation_error"),
        ("get", "/api/tolls?limit=5001", {}, 422, "validation_error"),
        ("delete", "/api/incidents", {}, 405, "method_not_allowed"),
        ("post", "/api/documents", {"json": {"text": "x"}}, 401, "unauthorized"),
        (
            "post",
            "/api/documents",
            {"json": {"text": "x"}, "headers": {"Authorization": "Bearer wrong"}},
            401,
            "unauthorized",
        ),
        (
            "post",
            "/api/documents",
            {"json": {"title": "no text"}, "headers": {"Authorization": f"Bearer {TOKEN}"}},
            422,
            "validation_error",
        ),
        (
            "post",
            "/api/documents",
            {"json": {"text": "x" * 20_000}, "headers": {"Authorization": f"Bearer {TOKEN}"}},
            413,
            "payload_too_large",
        ),
    ],
)
def test_error_shape(client, method, path, kwargs, status, code):
    _check_shape(getattr(client, method)(path, **kwargs), status, code)


def test_validation_detail_names_the_parameter(client):
    error = _check_shape(client.get("/api/events?limit=9999"), 422, "validation_error")
    assert any(d["loc"][-1] == "limit" for d in error["detail"])


def test_streamed_body_over_the_limit_is_413(client):
    def chunks():
        for _ in range(20):
            yield b"x" * 1000

    response = client.post(
        "/api/documents",
        content=chunks(),
        headers={"Authorization": f"Bearer {TOKEN}", "content-type": "application/json"},
    )
    _check_shape(response, 413, "payload_too_large")


def test_submission_with_token_runs_ingest(client):
    response = client.post(
        "/api/documents",
        json={"text": "An airstrike hit a clinic."},
        headers={"Authorization": f"Bearer {TOKEN}"},
    )
    assert response.status_code == 201
    assert response.json()["stored"] == 1


def test_submission_is_disabled_without_a_token(example_db):
    queries = Queries(str(example_db))
    client = TestClient(create_app(queries, ingest=_submitted), raise_server_exceptions=False)
    _check_shape(client.post("/api/documents", json={"text": "x"}), 403, "forbidden")
    queries.close()


def test_server_error_has_the_shape_and_hides_internals(example_db, tmp_path):
    broken = tmp_path / "broken.db"
    shutil.copy(example_db, broken)
    queries = Queries(str(broken))
    with sqlite3.connect(broken) as conn:
        conn.execute("DROP TABLE incident_events")
        conn.execute("DROP TABLE incidents")
    client = TestClient(create_app(queries), raise_server_exceptions=False)
    error = _check_shape(client.get("/api/incidents"), 500, "internal_error")
    assert "incidents" not in error["message"]  # no SQL or table names leak out
    queries.close()


@pytest.mark.parametrize("path", ["incidents", "events", "figures", "claims", "documents"])
@pytest.mark.parametrize("value", [2**63, 2**64, 10**40])
def test_out_of_range_offset_is_422_naming_it(client, path, value):
    error = _check_shape(client.get(f"/api/{path}?offset={value}"), 422, "validation_error")
    assert [d["loc"][-1] for d in error["detail"]] == ["offset"]


def test_largest_offset_is_an_empty_page(client):
    response = client.get(f"/api/incidents?offset={2**63 - 1}")
    assert response.status_code == 200 and response.json()["items"] == []


def _check_security_headers(response) -> None:
    assert response.headers["content-security-policy"].startswith("default-src 'none'")
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "no-referrer"
    assert response.headers["x-frame-options"] == "DENY"
    # set once, never doubled
    assert len(response.headers.get_list("content-security-policy")) == 1


@pytest.mark.parametrize(
    ("method", "path", "kwargs", "status"),
    [
        ("get", "/api/incidents", {}, 200),
        ("get", "/api/incidents/nope", {}, 404),
        ("get", "/api/incidents?offset=99999999999999999999", {}, 422),
        ("post", "/api/documents", {"content": b"x" * 20_000}, 413),
        (
            "post",
            "/api/documents",
            {"content": iter([b"x" * 1000] * 20), "headers": {"content-type": "application/json"}},
            413,
        ),
    ],
)
def test_security_headers_on_every_response(client, method, path, kwargs, status):
    if "headers" in kwargs or "content" in kwargs:
        kwargs = {
            **kwargs,
            "headers": {**kwargs.get("headers", {}), "Authorization": f"Bearer {TOKEN}"},
        }
    response = getattr(client, method)(path, **kwargs)
    assert response.status_code == status
    _check_security_headers(response)


def test_security_headers_on_a_server_error(example_db, tmp_path):
    broken = tmp_path / "broken.db"
    shutil.copy(example_db, broken)
    queries = Queries(str(broken))
    with sqlite3.connect(broken) as conn:
        conn.execute("DROP TABLE incidents")
    client = TestClient(create_app(queries), raise_server_exceptions=False)
    response = client.get("/api/incidents")
    assert response.status_code == 500
    _check_security_headers(response)
    queries.close()


@pytest.mark.parametrize(
    "path", ["/api/incidents/", "/api/events/", "/api/documents/?limit=1", "/api/incidents//"]
)
def test_trailing_slash_answers_directly_whatever_the_host(client, path):
    response = client.get(path, headers={"host": "evil.example"}, follow_redirects=False)
    assert response.status_code == 200, response.headers
    assert "location" not in response.headers
    assert "items" in response.json()


def test_no_redirect_names_a_foreign_host(client):
    for path in ("/api/incidents/", "/api/tolls/", "/api/openapi.json/"):
        response = client.get(path, headers={"host": "evil.example"}, follow_redirects=False)
        assert "evil.example" not in response.headers.get("location", "")
        assert response.status_code < 300 or response.status_code >= 400


@pytest.mark.parametrize(
    "path",
    [
        "/api/incidents?q=%00",
        "/api/incidents?place=Gaza%00",
        "/api/incidents?actor=%00&q=x",
        "/api/documents?q=%00",
        "/api/documents?outlet=%00",
        "/api/claims?speaker=%00",
        "/api/events?document_id=%00",
        "/api/tolls?claimant=%00",
    ],
)
def test_nul_in_a_query_parameter_is_422(client, path):
    error = _check_shape(client.get(path), 422, "validation_error")
    name = path.split("?")[1].split("=")[0]
    assert [d["loc"][-1] for d in error["detail"]] == [name]


@pytest.mark.parametrize(
    "authorization",
    [TOKEN, f"Token {TOKEN}", f"Basic {TOKEN}", f"Bearer{TOKEN}", "Bearer ", f" {TOKEN}"],
)
def test_only_the_bearer_form_of_the_token_is_accepted(client, authorization):
    response = client.post(
        "/api/documents", json={"text": "A strike."}, headers={"Authorization": authorization}
    )
    _check_shape(response, 401, "unauthorized")


@pytest.mark.parametrize(
    "authorization", [f"Bearer {TOKEN}", f"bearer {TOKEN}", f"Bearer  {TOKEN} "]
)
def test_bearer_token_is_accepted(client, authorization):
    response = client.post(
        "/api/documents", json={"text": "A strike."}, headers={"Authorization": authorization}
    )
    assert response.status_code == 201


@pytest.mark.parametrize(
    "path", ["/api/incidents", "/api/incidents/nope", "/api/events?limit=1", "/api/openapi.json"]
)
def test_head_answers_like_get(client, path):
    get, head = client.get(path), client.head(path)
    assert head.status_code == get.status_code
    assert head.content == b""
    assert head.headers["content-type"] == get.headers["content-type"]
    assert head.headers["content-length"] == get.headers["content-length"]
    _check_security_headers(head)
