"""The server-rendered pages over the example articles' ledger."""

from __future__ import annotations

import html
import re
import urllib.parse

import pytest
from fastapi.testclient import TestClient

from eventledger.cli.serve import build_app
from eventledger.web.highlight import Span, highlight


@pytest.fixture(scope="module")
def client(example_db, settings):
    return TestClient(build_app(str(example_db), settings, api_token=""))


@pytest.mark.parametrize(
    ("text", "spans", "expected"),
    [
        (
            "a <b> c",
            [Span(2, 5, "x")],
            'a <span class="anchor" id="e0-2-5"></span><mark data-ev="e0-2-5" title="x">&lt;b&gt;</mark> c',
        ),
        ("abcdef", [Span(0, 4, "x"), Span(2, 6, "y")], None),
        ("abc", [Span(1, 9, "out of range")], "abc"),
    ],
)
def test_highlight_escapes_and_marks(text, spans, expected):
    out = str(highlight(text, spans))
    if expected is not None:
        assert out == expected
    # Removing the tags and unescaping gives back the text, whatever the overlaps.
    assert html.unescape(re.sub(r"<[^>]+>", "", out)) == text


def test_highlight_overlap_marks_the_shared_part_with_both():
    out = str(highlight("abcdef", [Span(0, 4, "x"), Span(2, 6, "y")]))
    assert '<mark data-ev="e0-0-4 e0-2-6" title="x; y">cd</mark>' in out


def test_incident_list_shows_every_incident_and_filters(client, example_export):
    page = client.get("/?limit=500").text
    for inc in example_export["incidents"]:
        assert (
            f"/incidents/{inc['id']}".replace(":", "%3A") in page
            or f"/incidents/{inc['id']}" in page
        )
    filtered = client.get("/?limit=500&health_care=true").text
    assert filtered.count("<tr>") < page.count("<tr>")


def test_incident_list_counts_a_syndicated_copy_once(client, example_export):
    page = client.get("/?limit=500").text
    rows = re.finditer(
        r'<a href="/incidents/([^"]+)">.*?<td class="sources"[^>]*>(\d+)</td>', page, re.S
    )
    shown = {urllib.parse.unquote(html.unescape(m.group(1))): int(m.group(2)) for m in rows}
    assert shown == {i["id"]: len(i["sources"]) for i in example_export["incidents"]}
    assert any(len(i["sources"]) < len(i["document_ids"]) for i in example_export["incidents"])


def test_incident_page_links_every_field_to_a_mark(client, example_export):
    incident = next(i for i in example_export["incidents"] if i["figures"])
    page = client.get(f"/incidents/{incident['id']}").text
    targets = set(re.findall(r'href="#(e\d+-\d+-\d+)"', page))
    assert targets, "no evidence links"
    anchors = set(re.findall(r'id="(e\d+-\d+-\d+)"', page))
    assert targets <= anchors
    assert 'id="figures"' in page and 'id="src0"' in page


def test_incident_page_shows_what_agreed_for_each_linked_event(client, example_export):
    incident = next(i for i in example_export["incidents"] if i["why"])
    page = client.get(f"/incidents/{incident['id']}").text
    section = page[page.index('id="why"') :]
    for reason in incident["why"]:
        assert html.escape(reason) in section


def test_document_page_marks_are_the_evidence_text(client, example_export):
    doc = example_export["documents"][0]
    page = client.get(f"/documents/{doc['id']}").text
    for start, end, text in re.findall(r'id="e0-(\d+)-(\d+)"></span><mark[^>]*>([^<]*)<', page):
        assert doc["text"][int(start) : int(end)].startswith(html.unescape(text))


@pytest.mark.parametrize(("path", "marker"), [("/map", 'id="map"'), ("/chart", 'id="chart"')])
def test_map_and_chart_render_svg(client, path, marker):
    page = client.get(path).text
    assert marker in page
    if path == "/map":
        assert page.count('class="country"') > 100
        assert page.count('class="incident"') > 0


def test_unknown_page_is_an_html_404(client):
    response = client.get("/incidents/none", headers={"accept": "text/html"})
    assert response.status_code == 404 and "text/html" in response.headers["content-type"]


@pytest.mark.parametrize("query", [f"offset={2**63}", "offset=1" + "0" * 40, "limit=" + "9" * 30])
def test_incident_list_out_of_range_integer_is_422(client, query):
    response = client.get(f"/?{query}", headers={"accept": "text/html"})
    assert response.status_code == 422
    assert query.split("=")[0] in response.text


def test_incident_list_nul_in_a_filter_is_422(client):
    response = client.get("/?q=%00", headers={"accept": "text/html"})
    assert response.status_code == 422
    assert "NUL" in response.text


@pytest.mark.parametrize("q", ['"', "%", "*)"])
def test_incident_list_text_filter_without_a_word_is_422(client, q):
    response = client.get("/", params={"q": q}, headers={"accept": "text/html"})
    assert response.status_code == 422
    assert "no word to search for" in html.unescape(response.text)


@pytest.mark.parametrize("q", ["hosp", '"hospital"*', "NEAR(strike"])
def test_incident_list_text_filter_answers(client, q):
    assert client.get("/", params={"q": q}).status_code == 200


def test_head_answers_like_get_on_pages(client):
    get, head = client.get("/"), client.head("/")
    assert (head.status_code, head.content) == (get.status_code, b"")
    assert head.headers["content-type"] == get.headers["content-type"]


def _many_sources_ledger(db, n: int) -> str:
    """A ledger with one incident reported by `n` documents, one event each."""
    from eventledger.models import Article, Event, Incident, When
    from eventledger.pipeline import Document
    from eventledger.storage import Ledger

    when = When("2024-03-12", "2024-03-12", "day", "12 March", "iso")
    with Ledger(str(db)) as ledger:
        for k in range(n):
            text = f"Report {k}: an airstrike hit the market."
            doc = Document(Article(id=f"d{k}", key=f"d{k}", text=text, title=f"Report {k}"))
            start = text.index("airstrike")
            doc.events = [
                Event(f"d{k}:ev1", f"d{k}", "Explosions/Remote violence", None, "airstrike",
                      date=when, evidence=[doc.evidence(start, start + 9)])
            ]  # fmt: skip
            ledger.store(doc)
        ledger.save_incident(
            Incident("inc-many", "Explosions/Remote violence", [f"d{k}:ev1" for k in range(n)],
                     [f"d{k}" for k in range(n)], when)
        )  # fmt: skip
    return str(db)


def test_incident_page_shows_a_page_of_sources_with_a_link_to_the_next(tmp_path, settings):
    from eventledger.web.pages import SOURCES_PER_PAGE

    client = TestClient(build_app(_many_sources_ledger(tmp_path / "m.db", 45), settings))
    page = client.get("/incidents/inc-many").text
    shown = re.findall(r'<article class="source" id="src(\d+)">', page)
    assert shown == [str(n) for n in range(SOURCES_PER_PAGE)]
    assert f"Sources 1–{SOURCES_PER_PAGE} of 45" in page
    assert f'href="?source_offset={SOURCES_PER_PAGE}#sources" rel="next"' in page
    assert 'rel="prev"' not in page
    assert "45 sources, 20 to a page" in page
    # The events and their evidence links are those of the page's sources.
    assert page.count('<td data-label="Event">airstrike') == SOURCES_PER_PAGE
    assert 'href="#e19-' in page and "#e20-" not in page

    last = client.get("/incidents/inc-many", params={"source_offset": 40}).text
    assert re.findall(r'<article class="source" id="src(\d+)">', last) == [
        str(n) for n in range(40, 45)
    ]
    assert "Sources 41–45 of 45" in last
    assert 'rel="next"' not in last and 'href="?source_offset=20#sources" rel="prev"' in last
    assert '<mark data-ev="e44-' in last
    assert last.count('<td data-label="Event">airstrike') == 5 and 'href="#e44-' in last

    # Any offset: the sources shown are linked on the page itself.
    odd = client.get("/incidents/inc-many", params={"source_offset": 5}).text
    assert "Sources 6–25 of 45" in odd and 'href="#src10"' in odd
    assert 'href="?source_offset=0#sources" rel="prev"' in odd


def test_incident_api_pages_its_sources(tmp_path, settings):
    client = TestClient(build_app(_many_sources_ledger(tmp_path / "m.db", 7), settings))
    body = client.get("/api/incidents/inc-many", params={"source_offset": 5, "source_limit": 5})
    assert body.status_code == 200
    assert [d["id"] for d in body.json()["documents"]] == ["d5", "d6"]
    assert body.json()["documents_total"] == 7
    # The events are those of the page's sources; the incident record is whole.
    assert [e["document_id"] for e in body.json()["events"]] == ["d5", "d6"]
    assert len(body.json()["incident"]["document_ids"]) == 7
    every = client.get("/api/incidents/inc-many").json()
    assert [d["id"] for d in every["documents"]] == [f"d{k}" for k in range(7)]


# Codes as stored, which a reader should never meet on a page (they stay in tooltips).
INTERNAL = [
    re.compile(r"\bprecision \d"),
    re.compile(r"\bNone\b"),
    re.compile(r"\b[a-z]+_[a-z_]+\b"),  # health_workers, armed_group: a code, not a word
    re.compile(r"\bother :"),
    re.compile(r"\bev\d+\b|:ev\d"),
]


def _visible_text(page: str) -> str:
    """The page's text as a reader sees it: no tags, no attributes, no script; the
    sources' own text left out (it is the article's, whatever words it uses)."""
    page = re.sub(r'<div class="text">.*?</div>', " ", page, flags=re.S)
    page = re.sub(r"<(script|style|title)[^>]*>.*?</\1>", " ", page, flags=re.S)
    page = re.sub(r"<code>.*?</code>", " ", page, flags=re.S)  # the incident's id, on purpose
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


def _every_page(client, example_export) -> dict[str, str]:
    paths = {
        "/?limit=500": "list",
        "/map": "map",
        "/chart": "chart",
        "/chart?kind=injured": "chart",
    }
    for inc in example_export["incidents"]:
        paths["/incidents/" + urllib.parse.quote(inc["id"], safe="")] = "incident"
    for doc in example_export["documents"]:
        paths["/documents/" + urllib.parse.quote(doc["id"], safe="")] = "document"
    return {path: client.get(path).text for path in paths}


def test_no_page_shows_internal_values(client, example_export):
    pages = _every_page(client, example_export)
    assert len(pages) > 30
    found = [
        (path, pattern.pattern, m.group(0))
        for path, page in pages.items()
        for pattern in INTERNAL
        if (m := pattern.search(_visible_text(page)))
    ]
    assert found == []


def test_internal_value_check_can_fail():
    page = '<p>killed health_workers: 12 (precision 4) None</p><div class="text">None</div>'
    assert sum(bool(p.search(_visible_text(page))) for p in INTERNAL) == 3


def test_incident_page_title_is_its_summary(client, example_export):
    from eventledger.web.labels import incident_summary

    incident = next(i for i in example_export["incidents"] if len(i["sources"]) > 1)
    events = [e for e in example_export["events"] if e["id"] in incident["event_ids"]]
    page = client.get("/incidents/" + urllib.parse.quote(incident["id"], safe="")).text
    summary = incident_summary(incident, events)
    assert (
        f"<title>{html.escape(summary, quote=True).replace('&#x27;', '&#39;')} · eventledger</title>"
        in page
    )
    assert re.search(r'<h1 id="summary"[^>]*>([^<]*)</h1>', page).group(1) == html.escape(
        summary
    ).replace("&#x27;", "&#39;")
    assert f"{len(incident['sources'])} sources" in summary


def test_evidence_links_say_which_field_they_prove(client, example_export):
    incident = next(i for i in example_export["incidents"] if i["figures"] and i["place"])
    page = client.get("/incidents/" + urllib.parse.quote(incident["id"], safe="")).text
    proves = re.findall(r'<a class="ev" href="#e[\d-]+" title="evidence of ([^"]+)"', page)
    assert "the date" in proves and "the place" in proves and "what happened" in proves
    assert any(p.startswith("the count of ") for p in proves)
    marks = re.findall(r'<mark data-ev="[^"]+" title="([^"]+)"', page)
    assert marks and all(": " in m for m in marks)
    assert not any(re.search(r"evidence\[\d\]|actors\[", m) for m in marks)


def test_document_page_links_back_to_its_incidents(client, example_export):
    for doc in example_export["documents"]:
        page = client.get("/documents/" + urllib.parse.quote(doc["id"], safe="")).text
        section = page[
            page.index('id="doc-incidents"') : page.index("</ul>", page.index('id="doc-incidents"'))
        ]
        linked = {
            urllib.parse.unquote(html.unescape(m))
            for m in re.findall(r'href="/incidents/([^"]+)"', section)
        }
        expected = {i["id"] for i in example_export["incidents"] if doc["id"] in i["document_ids"]}
        assert linked == expected, doc["id"]


def test_incident_page_says_why_reports_were_linked_in_words(client, example_export):
    incident = next(i for i in example_export["incidents"] if any("text 0." in w for w in i["why"]))
    page = client.get("/incidents/" + urllib.parse.quote(incident["id"], safe="")).text
    section = _visible_text(
        page[page.index('id="why"') : page.index("</ul>", page.index('id="why"'))]
    )
    assert "Source " in section and "% similar wording" in section
    assert not re.search(r"text 0\.\d", section)


def _list_ids(page: str) -> list[str]:
    return [
        urllib.parse.unquote(html.unescape(m))
        for m in re.findall(r'<td data-label="What"><a href="/incidents/([^"]+)"', page)
    ]


@pytest.mark.parametrize(
    ("sort", "key"),
    [
        ("-date", lambda i: (i["date"] or {}).get("start") or ""),
        ("date", lambda i: (i["date"] or {}).get("start") or "9999"),
        ("type", lambda i: i["type"]),
        ("-type", lambda i: i["type"]),
        ("country", lambda i: (i["place"] or {}).get("country") or "~~"),
    ],
)
def test_incident_list_sorts_on_the_server(client, example_export, sort, key):
    ids = _list_ids(client.get("/", params={"sort": sort, "limit": 500}).text)
    by_id = {i["id"]: i for i in example_export["incidents"]}
    assert sorted(ids) == sorted(by_id)
    keys = [key(by_id[i]) for i in ids]
    assert keys == sorted(keys, reverse=sort.startswith("-"))


@pytest.mark.parametrize("sort", ["pk", "date; DROP TABLE incidents", "data", "--date"])
def test_incident_list_sort_outside_the_list_of_keys_is_422(client, sort):
    response = client.get("/", params={"sort": sort}, headers={"accept": "text/html"})
    assert response.status_code == 422 and "sort" in html.unescape(response.text)


def test_incident_list_has_country_perpetrator_and_toll_columns(client, example_export):
    page = client.get("/?limit=500").text
    headings = re.findall(r"<th scope=\"col\"[^>]*>(?:<a [^>]*>)?([^<]+)", page)
    assert headings == ["When", "What", "Where", "Country", "By", "Toll", "Sources"]
    countries = re.findall(r'<td data-label="Country">(?:<abbr title="([A-Z]{2})">([^<]+))?', page)
    assert ("LB", "Lebanon") in countries and ("SD", "Sudan") in countries
    tolls = _visible_text(" ".join(re.findall(r'<td data-label="Toll">.*?</td>', page, re.S)))
    assert "killed" in tolls and "health workers" in tolls
    perpetrators = {
        a["normalized"] or a["name"]
        for e in example_export["events"]
        for a in e["actors"]
        if a["role"] == "perpetrator" and e["factuality"] == "asserted"
    }
    by = _visible_text(" ".join(re.findall(r'<td data-label="By">.*?</td>', page, re.S)))
    assert perpetrators and any(p in by for p in perpetrators)


def test_download_links_keep_the_filters_and_the_sort_sticks(client):
    page = client.get(
        "/", params={"country": "LB", "health_care": "true", "sort": "type", "offset": 0}
    ).text
    links = [html.unescape(h) for h in re.findall(r'<a class="download" href="([^"]+)"', page)]
    assert len(links) == 2
    for link in links:
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(link).query)
        assert link.startswith("/api/export?")
        assert query["country"] == ["LB"] and query["health_care"] == ["true"]
        assert "offset" not in query and "sort" not in query
    assert {urllib.parse.parse_qs(urllib.parse.urlsplit(x).query)["format"][0] for x in links} == {
        "csv",
        "acled",
    }
    total = int(re.search(r'<span id="total">(\d+)</span>', page).group(1))
    rows = client.get(links[0]).text.strip().splitlines()
    assert total > 0 and len(rows) > 1


def test_country_filter_on_the_list(client, example_export):
    page = client.get("/", params={"country": "sd", "limit": 500}).text
    expected = {
        i["id"] for i in example_export["incidents"] if (i["place"] or {}).get("country") == "SD"
    }
    assert set(_list_ids(page)) == expected and expected


def test_map_draws_every_located_incident_and_areas_as_halos(client, example_export):
    page = client.get("/map").text
    located = [i for i in example_export["incidents"] if (i["place"] or {}).get("lat") is not None]
    drawn = {
        urllib.parse.unquote(html.unescape(m))
        for m in re.findall(r'<a href="/incidents/([^"]+)" aria-label=', page)
    }
    assert drawn == {i["id"] for i in located}
    areas = [i for i in located if (i["place"].get("precision") or 0) >= 3]
    assert page.count('<circle class="area"') == len(areas)
    assert page.count('class="incident area-point"') == len(areas)


def test_map_draws_a_province_level_incident_as_an_area(tmp_path, settings):
    from eventledger.models import Incident, Place, When
    from eventledger.storage import Ledger

    db = str(tmp_path / "areas.db")
    when = When("2024-03-12", "2024-03-12", "day", "12 March", "iso")
    with Ledger(db) as ledger:
        ledger.save_incident(
            Incident("inc-area", "Battles", [], [], when,
                     Place("Akkar", lat=34.5, lon=36.2, admin1="Akkar", country="LB", precision=4))
        )  # fmt: skip
        ledger.save_incident(
            Incident("inc-spot", "Battles", [], [], when,
                     Place("Halba", lat=34.54, lon=36.08, country="LB", precision=1))
        )  # fmt: skip
    page = TestClient(build_app(db, settings, api_token="")).get("/map").text
    assert page.count('<circle class="area"') == 1
    assert page.count('class="incident area-point"') == 1 and page.count('class="incident"') == 1
    assert 'aria-label="Battles · 12 Mar 2024 · Akkar (Lebanon) · province or region level"' in page


@pytest.mark.parametrize(
    ("query", "words"),
    [
        ("country=Lebanon", "country 'Lebanon' is not a two-letter ISO 3166 code"),
        ("date_from=2024-13-01", "date_from '2024-13-01' is not a date of the calendar"),
        ("date_to=2024-02-30", "date_to '2024-02-30' is not a date of the calendar"),
    ],
)
def test_incident_list_bad_filter_is_a_422_in_words(client, query, words):
    response = client.get(f"/?{query}", headers={"accept": "text/html"})
    assert response.status_code == 422
    assert words in html.unescape(response.text)


def _one_event_page(tmp_path, settings, text, actors_of) -> str:
    """The incident page of one report `text` whose one event ("hit", its 9th to 11th
    characters) has the actors `actors_of(doc)` gives."""
    from eventledger.models import Article, Event, Incident, When
    from eventledger.pipeline import Document
    from eventledger.storage import Ledger

    when = When("2024-03-12", "2024-03-12", "day", "12 March", "iso")
    db = tmp_path / "a.db"
    with Ledger(str(db)) as ledger:
        doc = Document(Article(id="d1", key="d1", text=text, title="Report"))
        doc.events = [
            Event("d1:ev1", "d1", "Explosions/Remote violence", None, "hit", date=when,
                  actors=actors_of(doc), evidence=[doc.evidence(8, 11)])
        ]  # fmt: skip
        ledger.store(doc)
        ledger.save_incident(
            Incident("inc-a", "Explosions/Remote violence", ["d1:ev1"], ["d1"], when)
        )
    return TestClient(build_app(str(db), settings)).get("/incidents/inc-a").text


def test_incident_page_says_who_accuses_an_alleged_perpetrator_escaped(tmp_path, settings):
    from eventledger.models import Actor

    text = "A drone hit the clinic. <b>Doctors</b> blamed the militia for the attack."
    start = text.index("militia")

    def actors_of(doc):
        return [Actor("perpetrator", "the militia", evidence=[doc.evidence(start, start + 7)],
                      alleged=True, claimant="<b>Doctors</b>")]  # fmt: skip

    page = _one_event_page(tmp_path, settings, text, actors_of)
    assert "(alleged by &lt;b&gt;Doctors&lt;/b&gt;)" in page
    assert "<b>Doctors</b>" not in page


def test_incident_page_marks_an_actor_only_the_argument_model_found(tmp_path, settings):
    from eventledger.models import Actor

    text = "A drone hit the clinic in Tarsa. Dr Ana Ruiz was among the wounded."
    start = text.index("Dr Ana Ruiz")

    def actors_of(doc):
        return [
            Actor("perpetrator", "A drone", evidence=[doc.evidence(0, 7)]),
            Actor("victim", "Dr Ana Ruiz", evidence=[doc.evidence(start, start + 11)],
                  source="model"),
        ]  # fmt: skip

    page = _one_event_page(tmp_path, settings, text, actors_of)
    assert page.count("(model)</em>") == 1
    assert page.index("Dr Ana Ruiz") < page.index("(model)</em>")
