"""The UI in a real browser: Playwright driving Debian's Chromium against `eventledger serve`.

Skips when playwright or /usr/bin/chromium is missing. Leaves a screenshot of
an incident page in tests/artifacts/ (git-ignored).
"""

from __future__ import annotations

from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
if not CHROMIUM.exists():
    pytest.skip("no /usr/bin/chromium (apt-get install chromium)", allow_module_level=True)


@pytest.fixture(scope="module")
def server(example_db, serving):
    with serving(str(example_db)) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def page(browser):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.errors = errors  # type: ignore[attr-defined]
    yield page
    page.close()


def test_list_to_incident_to_highlighted_evidence(server, page):
    page.goto(server + "/?health_care=true")
    rows = page.locator("#incidents tbody tr")
    assert rows.count() > 0
    page.locator("#incidents tbody tr a").first.click()
    page.wait_for_selector("#figures")
    link = page.locator("a.ev").first
    target = link.get_attribute("href")
    link.click()
    page.wait_for_selector("mark.active")
    active = page.locator("mark.active")
    assert active.count() >= 1
    assert target.lstrip("#") in active.first.get_attribute("data-ev").split()
    assert active.first.is_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "incident.png"), full_page=False)
    assert page.errors == []


def test_filters_narrow_the_list(server, page):
    page.goto(server + "/")
    total = int(page.locator("#total").inner_text())
    page.check("input[name=health_care]")
    page.select_option("select[name=type]", "Violence against civilians")
    page.click("form.filters button")
    page.wait_for_load_state()
    assert "health_care=true" in page.url
    narrowed = int(page.locator("#total").inner_text())
    assert 0 < narrowed < total


@pytest.mark.parametrize(
    ("path", "selector", "shape"),
    [
        ("/map", "#map", "circle.incident"),
        ("/chart", "#tolls-chart", "a.toll-point"),
        ("/chart", "#chart", "polyline.series"),
    ],
)
def test_map_and_chart_render(server, page, path, selector, shape):
    page.goto(server + path)
    box = page.locator(selector).bounding_box()
    assert box is not None and box["width"] > 300 and box["height"] > 150
    assert page.locator(f"{selector} {shape}").count() > 0
    if path == "/map":
        assert page.locator("#map path.country").count() > 100
    if selector == "#tolls-chart":
        # Reported tolls come first, above the per-incident running totals.
        assert box["y"] < page.locator("#chart").bounding_box()["y"]
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{path.strip('/')}.png"), full_page=path == "/chart")
    assert page.errors == []


def test_toll_point_opens_its_evidence(server, page):
    page.goto(server + "/chart")
    point = page.locator("#tolls-chart a.toll-point").first
    target = point.get_attribute("href").split("#", 1)[1]
    point.click()
    page.wait_for_selector("mark.active")
    assert "/documents/" in page.url
    active = page.locator("mark.active").first
    assert target in active.get_attribute("data-ev").split() and active.is_visible()


def _first_incident_with(export: dict, predicate) -> dict:
    return next(i for i in export["incidents"] if predicate(i))


def _pages(export: dict) -> dict[str, str]:
    """Every kind of page, by name: list, incident, document, map, chart, error."""
    from urllib.parse import quote

    incident = _first_incident_with(export, lambda i: len(i["sources"]) > 1 and i["figures"])
    return {
        "list": "/",
        "incident": "/incidents/" + quote(incident["id"], safe=""),
        "document": "/documents/" + quote(incident["document_ids"][0], safe=""),
        "map": "/map",
        "chart": "/chart",
        "error": "/incidents/no-such-incident",
    }


@pytest.fixture(scope="module")
def phone(browser):
    """A page as wide as a phone's screen (390 CSS pixels)."""
    page = browser.new_page(viewport={"width": 390, "height": 844})
    yield page
    page.close()


def test_incident_page_opens_with_its_summary_and_the_tab_says_it(server, page, example_export):
    incident = _first_incident_with(
        example_export, lambda i: len(i["sources"]) > 1 and i["figures"]
    )
    page.goto(server + _pages(example_export)["incident"])
    summary = page.locator("h1#summary").inner_text()
    assert page.title().startswith(summary)
    country = incident["place"]["country"]
    # What, where with the country's name (not its code), when, the toll, the sources.
    assert "(" in summary and f"({country})" not in summary
    assert "Mar 2024" in summary and "killed" in summary
    assert f"{len(incident['sources'])} sources" in summary
    # The summary is the first thing on the page after the navigation.
    first = page.locator("main > *").first
    assert first.get_attribute("id") == "summary"


@pytest.mark.parametrize("name", ["list", "incident", "document", "map", "chart", "error"])
def test_page_fits_a_phone_screen(server, phone, example_export, name):
    response = phone.goto(server + _pages(example_export)[name])
    assert response is not None
    # Nothing wider than the screen: no sideways scrolling of the page itself.
    scroll = phone.evaluate("document.documentElement.scrollWidth")
    assert scroll <= 390, f"{name} is {scroll}px wide on a 390px screen"
    for table in phone.locator("table").all():
        box = table.bounding_box()
        if box is not None:
            assert box["x"] >= 0 and box["x"] + box["width"] <= 390 + 0.5


def _serious_violations(page) -> list[str]:
    """axe-core's serious and critical violations on the page as it is now."""
    axe = pytest.importorskip("axe_playwright_python.sync_playwright", reason="no axe-core")
    results = axe.Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def test_axe_flags_a_page_with_a_serious_violation(page):
    page.set_content("<html><body><img src='x.png'></body></html>")
    found = _serious_violations(page)
    assert any(v.startswith("image-alt") for v in found)
    assert any(v.startswith("html-has-lang") for v in found)


@pytest.mark.parametrize("name", ["list", "incident", "document", "map", "chart", "error"])
@pytest.mark.parametrize("width", [1400, 390])
def test_page_has_no_serious_accessibility_violation(server, page, example_export, name, width):
    page.set_viewport_size({"width": width, "height": 1000})
    try:
        response = page.goto(server + _pages(example_export)[name])
        assert response is not None
        assert response.status == (404 if name == "error" else 200)
        found = _serious_violations(page)
    finally:
        page.set_viewport_size({"width": 1400, "height": 1000})
    assert found == [], "\n".join(found)


def test_a_column_heading_sorts_the_list_and_the_download_keeps_the_filters(server, page):
    page.goto(server + "/?health_care=true")
    page.get_by_role("link", name="Country", exact=True).click()
    page.wait_for_load_state()
    assert "sort=country" in page.url and "health_care=true" in page.url
    heading = page.locator("th", has_text="Country")
    assert heading.get_attribute("aria-sort") == "ascending"
    # Sorted by the country's code (the name shows, the code is in its tooltip).
    codes = [a.get_attribute("title") for a in page.locator('td[data-label="Country"] abbr').all()]
    assert codes == sorted(codes) and codes
    href = page.locator("a.download", has_text="CSV").get_attribute("href")
    assert href.startswith("/api/export?") and "health_care=true" in href
    # The file itself: as many incidents as the list counts.
    response = page.request.get(server + href.replace("format=csv", "format=json"))
    assert response.ok
    total = int(page.locator("#total").inner_text())
    assert len(response.json()["incidents"]) == total
