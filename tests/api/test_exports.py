"""GET /api/export: the incidents the list's filters match, as a file in an export format."""

from __future__ import annotations

import csv
import io
import json

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from eventledger.cli.main import app as cli
from eventledger.cli.serve import build_app


@pytest.fixture(scope="module")
def client(example_db, settings):
    return TestClient(build_app(str(example_db), settings, api_token=""))


def _country(incident: dict) -> str | None:
    return (incident.get("place") or {}).get("country")


@pytest.mark.parametrize(
    ("params", "keep"),
    [
        ({}, lambda i: True),
        ({"country": "sd"}, lambda i: _country(i) == "SD"),
        ({"country": "LB", "type": "Battles"}, lambda i: _country(i) == "LB" and i["type"] == "Battles"),
        ({"date_from": "2024-03-14", "date_to": "2024-03-15"},
         lambda i: i["date"] and i["date"]["end"] >= "2024-03-14" and i["date"]["start"] <= "2024-03-15"),
    ],
)  # fmt: skip
def test_json_download_holds_the_matching_incidents(client, example_export, params, keep):
    response = client.get("/api/export", params={"format": "json", **params})
    assert response.status_code == 200, response.text
    assert "attachment" in response.headers["content-disposition"]
    got = {i["id"] for i in response.json()["incidents"]}
    expected = {i["id"] for i in example_export["incidents"] if keep(i)}
    assert got == expected and expected


def test_csv_download_is_the_cli_export_with_the_same_filters(client, example_db):
    response = client.get(
        "/api/export", params={"format": "csv", "health_care": "true", "country": "LB"}
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    result = CliRunner().invoke(
        cli,
        ["export", "--db", str(example_db), "--format", "csv", "--health-care", "--country", "LB"],
    )
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(response.text)))
    assert rows == list(csv.reader(io.StringIO(result.stdout)))
    assert len(rows) > 1  # a header and at least one event


def test_acled_download_has_only_the_matching_rows(client):
    every = list(csv.DictReader(io.StringIO(client.get("/api/export?format=acled").text)))
    some = client.get("/api/export", params={"format": "acled", "country": "SD"}).text
    rows = list(csv.DictReader(io.StringIO(some)))
    assert rows and all(r["country"] == "Sudan" for r in rows)
    assert len(rows) < len(every)


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"format": "parquet"}, "format"),
        ({"format": "csv", "country": "Lebanon"}, "country"),
        ({"format": "csv", "date_from": "12 March"}, "date_from"),
    ],
)
def test_bad_download_parameter_is_a_422_naming_it(client, params, field):
    response = client.get("/api/export", params=params)
    assert response.status_code == 422
    assert field in json.dumps(response.json())


def test_without_an_exporter_there_is_no_download(example_db):
    from eventledger.api import create_app
    from eventledger.storage.queries import Queries

    queries = Queries(str(example_db))
    try:
        response = TestClient(create_app(queries)).get("/api/export")
    finally:
        queries.close()
    assert response.status_code == 404


def test_download_of_no_matching_incident_is_a_header_only(client):
    response = client.get("/api/export", params={"format": "csv", "country": "ZZ"})
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.text)))
    full = list(csv.reader(io.StringIO(client.get("/api/export?format=csv").text)))
    assert rows == full[:1] and len(full) > 1
