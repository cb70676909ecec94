"""Article text is untrusted: HTML and script in titles and bodies come out inert everywhere."""

from __future__ import annotations

import json
import re

import pytest
from fastapi.testclient import TestClient

from eventledger.cli.serve import build_app

PAYLOAD = '<script>alert("x")</script>'
TITLE = f'Strike on <b>clinic</b> {PAYLOAD} "quoted" & more'
TEXT = (
    f"GAZA CITY — An airstrike hit Al-Shifa Hospital in Gaza City on Monday, killing 12 people "
    f"<img src=x onerror=alert(1)>, the health ministry said. {PAYLOAD}\n\n"
    f'"We saw <iframe src=//evil> the ward collapse," said Dr Amal Nasser, a surgeon.\n'
)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory, settings):
    from eventledger.batch.local import ingest
    from eventledger.storage import Ledger

    folder = tmp_path_factory.mktemp("hostile")
    record = {
        "id": "hostile-1",
        "title": TITLE,
        "outlet": "<i>Outlet</i>",
        "published": "2024-03-12",
        "url": "https://example.org/a?x=<script>",
        "text": TEXT,
    }
    (folder / "in.jsonl").write_text(json.dumps(record) + "\n", "utf-8")
    db = folder / "hostile.db"
    ledger = Ledger(str(db))
    report = ingest([folder / "in.jsonl"], ledger, settings)
    ledger.close()
    assert report.stored == 1
    app = build_app(str(db), settings, api_token="")
    return TestClient(app)


def _incident_ids(client) -> list[str]:
    return [i["id"] for i in client.get("/api/incidents").json()["items"]]


def test_the_article_produced_records(hostile):
    assert _incident_ids(hostile), "no incident: the page tests below would check nothing"


@pytest.mark.parametrize("path", ["/api/documents/hostile-1", "/api/documents", "/api/claims"])
def test_api_json_has_no_raw_markup_but_round_trips(hostile, path):
    response = hostile.get(path)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "<" not in response.text and ">" not in response.text
    if path == "/api/documents/hostile-1":
        body = response.json()
        assert body["title"] == TITLE
        assert PAYLOAD in body["text"] and "<img src=x onerror=alert(1)>" in body["text"]


def _pages(client) -> list[str]:
    return [
        "/",
        "/documents/hostile-1",
        *(f"/incidents/{i}" for i in _incident_ids(client)),
        "/map",
        "/chart",
        "/?q=" + PAYLOAD,
        "/?place=%3Cscript%3E",
    ]


def test_html_pages_escape_article_text(hostile):
    for path in _pages(hostile):
        response = hostile.get(path)
        assert response.status_code == 200, path
        html = response.text
        assert "<script>alert" not in html, path
        assert "<img src=x" not in html and "<iframe" not in html, path
        assert "<b>clinic</b>" not in html and "<i>Outlet</i>" not in html, path
        # The only script tag is the app's own static file.
        assert re.findall(r"<script[^>]*>", html) == ['<script src="/static/app.js" defer>'], path
        assert "default-src 'none'" in response.headers["content-security-policy"]


def test_document_page_shows_the_escaped_text(hostile):
    html = hostile.get("/documents/hostile-1").text
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


def test_source_url_is_an_escaped_link_that_opens_apart(hostile):
    page = hostile.get("/documents/hostile-1").text
    links = re.findall(r'<a class="url" href="([^"]*)" rel="([^"]*)"', page)
    assert links == [("https://example.org/a?x=&lt;script&gt;", "noopener noreferrer")]
    incident = hostile.get(f"/incidents/{_incident_ids(hostile)[0]}").text
    assert 'href="https://example.org/a?x=&lt;script&gt;" rel="noopener noreferrer"' in incident


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JAVASCRIPT:alert(1)",
        "data:text/html,<script>x</script>",
        "//evil.example/",
    ],
)
def test_source_url_that_is_not_http_is_shown_as_text(tmp_path, settings, url):
    from eventledger.models import Article
    from eventledger.pipeline import Document
    from eventledger.storage import Ledger

    db = tmp_path / "u.db"
    with Ledger(str(db)) as ledger:
        ledger.store(Document(Article(id="u1", key="u1", text="A report.", url=url)))
    page = TestClient(build_app(str(db), settings, api_token="")).get("/documents/u1").text
    assert '<a class="url"' not in page and 'href="javascript' not in page.lower()
    assert '<span class="url">' in page
