"""GET /api/tolls: reported cumulative tolls as series per kind, group and claimant."""

from __future__ import annotations

import hashlib

import pytest
from fastapi.testclient import TestClient

from eventledger.api import create_app
from eventledger.models import Article, Figure
from eventledger.pipeline import Document
from eventledger.storage import Ledger
from eventledger.storage.queries import Queries

CLAIMANT = "<script>alert(1)</script> Ministry"
REPORTS = [
    # (document id, published, text, [(phrase, kind, min, max, scope, as_of, claimant)])
    (
        "t-late",
        "2024-03-20",
        "The ministry said between 15,000 and 15,500 people have been killed. "
        "A tally put 40 medics detained.",
        [
            ("between 15,000 and 15,500 people", "killed", 15000, 15500, "cumulative",
             "2024-03-20", CLAIMANT),
            ("40 medics", "detained", 40, 40, "cumulative", None, "a tally"),
        ],
    ),
    (
        "t-early",
        "2024-03-10",
        "The ministry said more than 14,000 people have been killed; a strike killed 12.",
        [
            ("more than 14,000 people", "killed", 14001, None, "cumulative", "2024-03-10",
             CLAIMANT.lower()),
            ("killed 12", "killed", 12, 12, "incident", None, CLAIMANT),
        ],
    ),
]  # fmt: skip


def _store(ledger: Ledger, doc_id: str, published: str, text: str, figures: list) -> None:
    article = Article(
        id=doc_id,
        key=doc_id,
        text=text,
        published=published,
        text_hash=hashlib.sha256(text.encode()).hexdigest(),
    )
    doc = Document(article)
    for phrase, kind, low, high, scope, as_of, claimant in figures:
        start = text.index(phrase)
        doc.figures.append(
            Figure(
                id=doc.new_id("fig"),
                document_id=doc_id,
                kind=kind,
                group=None,
                min=low,
                max=high,
                approximate=False,
                text=phrase,
                scope=scope,
                as_of=as_of,
                claimant={"name": claimant, "type": "health_authority"},
                evidence=[doc.evidence(start, start + len(phrase))],
            )
        )
    assert ledger.store(doc)


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> str:
    db = str(tmp_path_factory.mktemp("tolls") / "tolls.db")
    ledger = Ledger(db)
    for report in REPORTS:
        _store(ledger, *report)
    ledger.close()
    return db


@pytest.fixture(scope="module")
def client(db):
    queries = Queries(db)
    yield TestClient(create_app(queries))
    queries.close()


def _strip(items: list[dict]) -> list[dict]:
    """The series with only the export's point fields."""
    keys = ("as_of", "min", "max", "document_id", "figure_id")
    return [{**t, "series": [{k: p[k] for k in keys} for p in t["series"]]} for t in items]


def _points(body: dict) -> list[tuple[str, str | None]]:
    return [(t["kind"], p["as_of"]) for t in body["items"] for p in t["series"]]


def test_tolls_returns_one_series_per_claimant_ordered_by_as_of(client):
    response = client.get("/api/tolls")
    assert response.status_code == 200
    # The claimant name is article text: the JSON carries it escaped, never as raw markup.
    assert "<script>" not in response.text
    body = response.json()
    killed = [t for t in body["items"] if t["kind"] == "killed"]
    assert len(killed) == 1, "names differing only in case are one claimant"
    series = killed[0]["series"]
    # Named as the first stored report names it (t-late is stored first).
    assert killed[0]["claimant"] == CLAIMANT
    assert [(p["as_of"], p["min"], p["max"]) for p in series] == [
        ("2024-03-10", 14001, None),
        ("2024-03-20", 15000, 15500),
    ]
    for point in series:
        span = point["evidence"][0]
        text = next(r[2] for r in REPORTS if r[0] == point["document_id"])
        assert text[span["start"] : span["end"]] == point["text"]
    # The per-incident figure ("killed 12") is not a toll.
    assert body["total"] == 3 and sorted(_points(body), key=str) == sorted(
        [("killed", "2024-03-10"), ("killed", "2024-03-20"), ("detained", None)], key=str
    )


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"kind": "detained"}, [("detained", None)]),
        ({"claimant": "SCRIPT>ALERT"}, [("killed", "2024-03-10"), ("killed", "2024-03-20")]),
        ({"claimant": "tally"}, [("detained", None)]),
        ({"date_from": "2024-03-11"}, [("killed", "2024-03-20")]),
        ({"date_to": "2024-03-10"}, [("killed", "2024-03-10")]),
        ({"date_from": "2024-03-01", "date_to": "2024-03-31", "kind": "injured"}, []),
        ({"limit": 1}, [("killed", "2024-03-10")]),
    ],
)
def test_tolls_filters(client, params, expected):
    response = client.get("/api/tolls", params=params)
    assert response.status_code == 200, response.text
    body = response.json()
    assert _points(body) == expected
    if "limit" not in params:
        assert body["total"] == len(expected)


def test_tolls_are_the_export_tolls(client, db):
    ledger = Ledger(db)
    expected = ledger.export()["tolls"]
    ledger.close()
    assert _strip(client.get("/api/tolls").json()["items"]) == expected


def test_tolls_match_the_export_on_the_examples(example_db, example_export):
    """The endpoint's series are the export's `tolls`, with text and evidence added per point."""
    queries = Queries(str(example_db))
    try:
        body = TestClient(create_app(queries)).get("/api/tolls").json()
    finally:
        queries.close()
    assert example_export["tolls"], "the examples hold no cumulative figure: nothing compared"
    assert _strip(body["items"]) == example_export["tolls"]


def test_openapi_lists_tolls(client):
    schema = client.get("/api/openapi.json").json()
    params = {p["name"] for p in schema["paths"]["/api/tolls"]["get"]["parameters"]}
    assert {"kind", "claimant", "date_from", "date_to", "limit"} <= params
