"""Every read endpoint and filter of the API, on the example articles' ledger."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from eventledger.api import create_app
from eventledger.storage.queries import Queries


@pytest.fixture(scope="module")
def client(example_db):
    queries = Queries(str(example_db))
    yield TestClient(create_app(queries))
    queries.close()


@pytest.fixture(scope="module")
def export(example_export):
    return example_export


def _ids(response) -> list[str]:
    assert response.status_code == 200, response.text
    return [item["id"] for item in response.json()["items"]]


def _all(client, path: str, **params) -> list[dict]:
    response = client.get(path, params={**params, "limit": 500})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["total"] == len(body["items"])
    return body["items"]


@pytest.mark.parametrize(
    ("path", "key"),
    [
        ("/api/incidents", "incidents"),
        ("/api/events", "events"),
        ("/api/figures", "figures"),
        ("/api/claims", "claims"),
        ("/api/documents", "documents"),
    ],
)
def test_list_returns_every_current_record(client, export, path, key):
    got = {item["id"] for item in _all(client, path)}
    assert got == {record["id"] for record in export[key]}


@pytest.mark.parametrize(
    ("path", "key"),
    [
        ("/api/incidents/{}", "incidents"),
        ("/api/events/{}", "events"),
        ("/api/figures/{}", "figures"),
        ("/api/claims/{}", "claims"),
        ("/api/documents/{}", "documents"),
    ],
)
def test_single_record_by_id(client, export, path, key):
    record = export[key][-1]
    response = client.get(path.format(record["id"]))
    assert response.status_code == 200
    body = response.json()
    if key == "incidents":
        assert body["incident"]["id"] == record["id"]
        assert {d["id"] for d in body["documents"]} == set(record["document_ids"])
        assert {e["id"] for e in body["events"]} <= set(record["event_ids"])
    elif key == "documents":
        assert body["text"] == record["text"]
        for span in body["evidence"]:
            assert 0 <= span["start"] <= span["end"] <= len(body["text"])
    else:
        assert body == record


def test_pagination_walks_the_whole_list_without_overlap(client, export):
    seen: list[str] = []
    offset = 0
    while True:
        page = client.get("/api/incidents", params={"limit": 7, "offset": offset}).json()
        assert page["limit"] == 7 and page["total"] == len(export["incidents"])
        if not page["items"]:
            break
        seen += [i["id"] for i in page["items"]]
        offset += 7
    assert len(seen) == len(set(seen)) == len(export["incidents"])


def _events_by_id(export):
    return {e["id"]: e for e in export["events"]}


def _expected_incidents(export, keep) -> set[str]:
    events = _events_by_id(export)
    return {
        inc["id"]
        for inc in export["incidents"]
        if keep(inc, [events[e] for e in inc["event_ids"] if e in events])
    }


def _claimants(export):
    by_event: dict[str, set[str]] = {}
    for f in export["figures"]:
        if f.get("event_id") and f.get("claimant"):
            by_event.setdefault(f["event_id"], set()).add(f["claimant"]["name"].lower())
    return by_event


@pytest.mark.parametrize(
    ("params", "keep"),
    [
        ({"health_care": "true"}, lambda inc, evs: any(e["health_care"] for e in evs)),
        ({"type": "Battles"}, lambda inc, evs: inc["type"] == "Battles"),
        (
            {"date_from": "2024-03-17", "date_to": "2024-03-17"},
            lambda inc, evs: (
                bool(inc.get("date") and inc["date"]["start"])
                and inc["date"]["start"][:10] <= "2024-03-17" <= (inc["date"]["end"] or "")[:10]
            ),
        ),
        (
            {"place": "izium"},
            lambda inc, evs: (
                "izium"
                in " ".join(
                    str((inc.get("place") or {}).get(k) or "")
                    for k in ("name", "facility", "admin1")
                ).lower()
            ),
        ),
        (
            {"bbox": "30,40,40,55"},
            lambda inc, evs: (
                (inc.get("place") or {}).get("lat") is not None
                and 40 <= inc["place"]["lat"] <= 55
                and 30 <= inc["place"]["lon"] <= 40
            ),
        ),
    ],
)
def test_incident_filters_match_the_records(client, export, params, keep):
    expected = _expected_incidents(export, keep)
    assert expected, f"the examples hold no incident for {params}; the test would prove nothing"
    got = {i["id"] for i in _all(client, "/api/incidents", **params)}
    assert got == expected
    assert len(got) < len(export["incidents"])


def test_incident_filter_by_claimant(client, export):
    claimants = _claimants(export)
    linked = [e for inc in export["incidents"] for e in inc["event_ids"]]
    name = sorted(n for e in linked for n in claimants.get(e, set()) if n.isascii())[0]

    def claimed(inc, evs):
        return any(name in n for e in evs for n in claimants.get(e["id"], set()))

    expected = _expected_incidents(export, claimed)
    got = {i["id"] for i in _all(client, "/api/incidents", claimant=name.upper())}
    assert got == expected and got


def test_incident_filter_by_actor(client, export):
    events = [e for e in export["events"] if e["actors"]]
    name = events[0]["actors"][0]["name"]
    got = {e["id"] for e in _all(client, "/api/events", actor=name)}
    assert events[0]["id"] in got
    assert all(
        any(
            name.lower() in (a["name"] + " " + (a["normalized"] or "")).lower() for a in e["actors"]
        )
        or name.lower() in str(e["actors"]).lower()
        for e in _all(client, "/api/events", actor=name)
    )
    incidents = {i["id"] for i in _all(client, "/api/incidents", actor=name)}
    assert any(
        events[0]["id"] in i["event_ids"] for i in export["incidents"] if i["id"] in incidents
    )


def _has_words(text: str, *words: str) -> bool:
    """Every word begins a word of `text` (the full-text index's rule)."""
    return all(re.search(rf"(?<![^\W_]){w}", text.lower()) for w in words)


@pytest.mark.parametrize("q", ["hospital", "Hospital", "hosp", "hospital strike", "strike hosp"])
def test_full_text_search_finds_documents_holding_every_word(client, export, q):
    words = q.lower().split()
    docs = {
        d["id"]
        for d in export["documents"]
        if _has_words(d["text"] + " " + (d["title"] or ""), *words)
    }
    assert docs or len(words) > 1  # the examples have a hospital
    assert {d["id"] for d in _all(client, "/api/documents", q=q)} == docs
    # Events (and so incidents) match through their document.
    current = {d["id"] for d in export["documents"] if not d.get("superseded")}
    events = {e["id"] for e in export["events"] if e["document_id"] in docs & current}
    assert {e["id"] for e in _all(client, "/api/events", q=q)} == events


@pytest.mark.parametrize(
    "q",
    ['"hospital', "hospital*", "(hospital)", "hospital^", "-hospital", "+hospital:", "'hospital'"],
)
def test_full_text_search_ignores_query_syntax(client, q):
    # Quotes, stars, brackets, colons and signs are FTS5 / tsquery syntax: never a 500.
    expected = {d["id"] for d in _all(client, "/api/documents", q="hospital")}
    assert {d["id"] for d in _all(client, "/api/documents", q=q)} == expected
    assert _all(client, "/api/incidents", q=q) == _all(client, "/api/incidents", q="hospital")


@pytest.mark.parametrize("path", ["/api/documents", "/api/incidents", "/api/events"])
@pytest.mark.parametrize("q", ["Müller", "北京", "٣ killed", "NEAR(a b)", "a AND NOT b", "x" * 200])
def test_text_filter_in_any_script_or_fts_syntax_answers(client, path, q):
    assert client.get(path, params={"q": q}).status_code == 200


@pytest.mark.parametrize("path", ["/api/documents", "/api/incidents", "/api/events"])
@pytest.mark.parametrize("q", ["%", "_", '"', "*", "()", "%_%_%_%", " - ", "w " * 33])
def test_text_filter_without_a_word_is_a_422_naming_q(client, path, q):
    response = client.get(path, params={"q": q})
    assert response.status_code == 422
    assert response.json()["error"]["detail"][0]["loc"] == ["query", "q"]


@pytest.mark.parametrize(
    ("path", "params", "check"),
    [
        ("/api/figures", {"kind": "killed"}, lambda r: r["kind"] == "killed"),
        ("/api/claims", {"stance": "assert"}, lambda r: r["stance"] == "assert"),
        (
            "/api/claims",
            {"speaker": "ministry"},
            lambda r: "ministry" in ((r.get("speaker") or {}).get("name") or "").lower(),
        ),
        ("/api/events", {"type": "Battles"}, lambda r: r["type"] == "Battles"),
        ("/api/events", {"health_care": "true"}, lambda r: r["health_care"] is not None),
    ],
)
def test_record_filters(client, path, params, check):
    items = _all(client, path, **params)
    everything = _all(client, path)
    assert items and len(items) < len(everything)
    assert all(check(r) for r in items)
    assert sum(check(r) for r in everything) == len(items)


def test_records_of_one_document(client, export):
    doc_id = export["documents"][0]["id"]
    for path, key in (
        ("/api/events", "events"),
        ("/api/figures", "figures"),
        ("/api/claims", "claims"),
    ):
        expected = {r["id"] for r in export[key] if r["document_id"] == doc_id}
        assert {r["id"] for r in _all(client, path, document_id=doc_id)} == expected


def test_openapi_schema_lists_every_resource(client):
    schema = client.get("/api/openapi.json").json()
    for path in ("/api/incidents", "/api/events", "/api/figures", "/api/claims", "/api/documents"):
        assert path in schema["paths"]
        assert path + "/{" in "".join(schema["paths"])
    assert "post" in schema["paths"]["/api/documents"]
