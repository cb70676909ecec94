"""The /chart page: reported cumulative tolls first, per-incident running totals below."""

from __future__ import annotations

import hashlib
import re

import pytest
from fastapi.testclient import TestClient

from eventledger.cli.serve import build_app
from eventledger.models import Article, Figure
from eventledger.pipeline import Document
from eventledger.storage import Ledger

CLAIMANT = '<script>alert("x")</script> & Ministry'
# (document id, published, text, phrase, min, max, as_of): two reports of one claimant.
REPORTS = [
    ("c-early", "2024-03-10", "Officials said more than 14,000 people have been killed.",
     "more than 14,000 people", 14001, None, "2024-03-10"),
    ("c-late", "2024-03-20", "Officials said between 15,000 and 15,500 people were killed.",
     "between 15,000 and 15,500 people", 15000, 15500, "2024-03-20"),
]  # fmt: skip
UNDATED = ("c-undated", None, "A tally put 40 medics detained.", "40 medics", 40, 40, None)


def _span(text: str, phrase: str) -> tuple[int, int]:
    start = text.index(phrase)
    return start, start + len(phrase)


def _store(ledger: Ledger, doc_id, published, text, phrase, low, high, as_of, kind, claimant):
    doc = Document(
        Article(
            id=doc_id,
            key=doc_id,
            text=text,
            published=published,
            text_hash=hashlib.sha256(text.encode()).hexdigest(),
        )
    )
    start, end = _span(text, phrase)
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
            scope="cumulative",
            as_of=as_of,
            claimant={"name": claimant, "type": "health_authority"},
            evidence=[doc.evidence(start, end)],
        )
    )
    assert ledger.store(doc)


@pytest.fixture(scope="module")
def client(tmp_path_factory, settings):
    db = str(tmp_path_factory.mktemp("chart") / "chart.db")
    ledger = Ledger(db)
    for report in REPORTS:
        _store(ledger, *report, kind="killed", claimant=CLAIMANT)
    _store(ledger, *UNDATED, kind="detained", claimant="a tally")
    ledger.close()
    return TestClient(build_app(db, settings, api_token=""))


def _reported(page: str) -> str:
    """The reported-tolls section of the page."""
    return page[page.index('<section id="reported">') : page.index('<section id="running">')]


def _marks(section: str) -> list[tuple[str, str]]:
    """(mark class, href) of every plotted toll point."""
    return re.findall(r'<a class="toll-point (\w+)" href="([^"]+)"', section)


def test_chart_plots_the_series_and_links_each_point_to_its_evidence(client):
    page = client.get("/chart").text
    section = _reported(page)
    assert 'id="tolls-chart"' in section
    expected = [
        ("open", "/documents/c-early#e0-{}-{}".format(*_span(REPORTS[0][2], REPORTS[0][3]))),
        ("range", "/documents/c-late#e0-{}-{}".format(*_span(REPORTS[1][2], REPORTS[1][3]))),
    ]
    assert _marks(section) == expected
    # One line joins the two reports: later and higher (SVG y grows downwards).
    (points,) = re.findall(r'<polyline class="toll-line"[^>]* points="([^"]+)"', section)
    (x1, y1), (x2, y2) = (tuple(map(float, p.split(","))) for p in points.split())
    assert x1 < x2 and y2 < y1
    # The open-ended value carries an upward mark, the range a vertical bar.
    assert re.search(
        r'class="toll-point open"[^<]*<title>[^<]*</title>\s*<path d="M[\d.]+ [\d.]+v-', section
    )
    assert re.search(r'class="toll-point range"[^<]*<title>[^<]*</title>\s*<rect ', section)
    # The undated point is listed, never plotted at a guessed date.
    assert "undated (not plotted)" in section and "40 medics" in section


@pytest.mark.parametrize(("doc_id", "report"), [(r[0], r) for r in REPORTS])
def test_each_evidence_link_lands_on_an_anchor_of_the_document_page(client, doc_id, report):
    start, end = _span(report[2], report[3])
    page = client.get(f"/documents/{doc_id}").text
    assert f'id="e0-{start}-{end}"' in page


def test_chart_escapes_the_claimant(client):
    response = client.get("/chart")
    page = response.text
    assert "<script>alert" not in page
    assert re.findall(r"<script[^>]*>", page) == ['<script src="/static/app.js" defer>']
    # The name shows as text: in the legend, the point's tooltip and the table.
    shown = "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; Ministry"
    assert _reported(page).count(shown) >= 3
    assert "default-src 'none'" in response.headers["content-security-policy"]


@pytest.mark.parametrize(
    ("query", "marks"),
    [
        ("", ["open", "range"]),
        ("?date_from=2024-03-15", ["range"]),
        ("?date_to=2024-03-15", ["open"]),
        ("?claimant=MINISTRY", ["open", "range"]),
        ("?claimant=tally", []),
        ("?kind=injured", []),
        ("?kind=killed&type=Battles", ["open", "range"]),  # incident filters leave tolls alone
    ],
)
def test_chart_filters_the_tolls(client, query, marks):
    response = client.get("/chart" + query)
    assert response.status_code == 200
    section = _reported(response.text)
    assert [m for m, _ in _marks(section)] == marks
    if not marks:
        assert 'id="tolls-empty"' in section


def test_running_totals_stay_below_and_say_what_they_are(example_db, settings):
    page = TestClient(build_app(str(example_db), settings, api_token="")).get("/chart").text
    assert page.index('id="tolls-chart"') < page.index('id="chart"')
    running = page[page.index('<section id="running">') :]
    assert "Running totals of per-incident figures" in running and "Not a reported toll" in running
    assert 'class="series"' in running


def test_many_claimants_stay_readable_top_in_the_legend_the_rest_grouped(tmp_path, settings):
    from eventledger.web.svg import TOP_SERIES

    db = str(tmp_path / "many.db")
    ledger = Ledger(db)
    claimants = [f"Claimant {n:02d}" for n in range(TOP_SERIES + 4)]
    for n, who in enumerate(claimants):
        for day, value in ((10, 100 + n), (20, 200 + n)):
            text = f"Officials said {value} people were killed."
            _store(ledger, f"d{n}-{day}", f"2024-03-{day}", text, f"{value} people",
                   value, value, f"2024-03-{day}", kind="killed", claimant=who)  # fmt: skip
    ledger.close()
    page = TestClient(build_app(db, settings, api_token="")).get("/chart").text
    section = _reported(page)
    legend = section[
        section.index('id="tolls-legend"') : section.index(
            "</ul>", section.index('id="tolls-legend"')
        )
    ]
    named = re.findall(r"</svg> (Claimant \d\d) ·", legend)
    # The claimants with the largest values are named; the four smallest are grouped.
    assert named == [f"Claimant {n:02d}" for n in range(TOP_SERIES + 3, 3, -1)]
    assert "4 other series" in legend
    assert section.count('<polyline class="toll-line"') == TOP_SERIES
    # Every point of every claimant is still drawn and linked to its evidence.
    assert len(_marks(section)) == 2 * len(claimants)
    table = section[section.index('id="toll-points-table"') :]
    assert all(who in table for who in claimants)
