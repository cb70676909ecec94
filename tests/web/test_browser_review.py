"""Review in a real browser: Playwright driving Debian's Chromium against `eventledger serve`.

Sign in, accept, edit a place, edit a toll, merge and split, and the review
queue's keys, on a copy of the example ledger with a coder added. Skips when
playwright or /usr/bin/chromium is missing. Leaves screenshots of the new
pages in tests/artifacts/ (git-ignored).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
if not CHROMIUM.exists():
    pytest.skip("no /usr/bin/chromium (apt-get install chromium)", allow_module_level=True)


@pytest.fixture(scope="module")
def ledger(example_db, tmp_path_factory) -> tuple[str, str]:
    """A copy of the example ledger with one coder; (path, the coder's token)."""
    from eventledger.storage.review import Review

    copy = tmp_path_factory.mktemp("browser-review") / "review.db"
    with sqlite3.connect(example_db) as src, sqlite3.connect(copy) as dst:
        src.backup(dst)
    review = Review(str(copy))
    try:
        return str(copy), review.add_user("coder1", "coder")
    finally:
        review.close()


@pytest.fixture(scope="module")
def server(ledger, serving):
    with serving(ledger[0]) as url:
        yield url


@pytest.fixture(scope="module")
def page(server, ledger):
    """A browser page signed in as the coder (the sign-in itself is the first test)."""
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.errors = errors  # type: ignore[attr-defined]
        yield page
        browser.close()


def _shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def _decisions(page, server) -> list[dict]:
    return page.request.get(server + "/api/decisions?limit=500").json()["items"]


def _incident_with_events(page, server, at_least: int) -> dict:
    items = page.request.get(server + "/api/incidents?limit=500").json()["items"]
    return next(i for i in items if len(i["event_ids"]) >= at_least)


def test_1_sign_in(server, page, ledger) -> None:
    page.goto(server + "/review")
    assert "/login" in page.url
    page.fill("#token", "wrong-token")
    with page.expect_navigation():
        page.click("form.login button")
    assert page.locator("#login-error").is_visible()
    _shot(page, "login")
    page.fill("#token", ledger[1])
    page.click("form.login button")
    page.wait_for_url("**/review")
    assert "coder1 (coder)" in page.locator("nav.account").inner_text()
    cookies = {c["name"]: c for c in page.context.cookies()}
    session = cookies["eventledger_session"]
    assert session["httpOnly"] and session["sameSite"] == "Strict"


def test_2_accept_an_event_on_the_incident_page(server, page) -> None:
    incident = _incident_with_events(page, server, 1)
    page.goto(f"{server}/incidents/{incident['id']}")
    row = page.locator("#review-events tbody tr").first
    row.locator("input[name=reason]").first.fill("checked against the article")
    with page.expect_navigation():
        row.locator("form.decide button[value=accept]").click()
    assert row.locator("td").nth(1).inner_text() == "accepted"
    assert page.locator("#events a.reviewed.accepted").count() >= 1
    last = _decisions(page, server)[-1]
    assert (last["action"], last["reason"]) == ("accept", "checked against the article")
    assert page.errors == []


def test_3_edit_a_place(server, page) -> None:
    incident = _incident_with_events(page, server, 1)
    page.goto(f"{server}/incidents/{incident['id']}")
    form = page.locator("#review-events form.edit-place").first
    form.locator("input[name=name]").fill("Reviewed Town")
    form.locator("input[name=lat]").fill("31.5")
    form.locator("input[name=lon]").fill("34.45")
    form.locator("select[name=precision]").select_option("2")
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    assert "Reviewed Town" in page.locator("#events").inner_text()
    mark = page.locator("#events a.reviewed.edited").first
    assert mark.is_visible()
    _shot(page, "incident-review")
    mark.click()
    page.wait_for_url("**/history/event/**")
    assert "Reviewed Town" in page.locator("#history").inner_text()
    _shot(page, "history")


def test_4_edit_a_toll(server, page) -> None:
    items = page.request.get(server + "/api/incidents?limit=500").json()["items"]
    incident = next(i for i in items if i["figures"])
    page.goto(f"{server}/incidents/{incident['id']}")
    form = page.locator("#review-figures form.edit-toll").first
    figure_id = page.locator("#review-figures tbody tr").first.get_attribute("data-figure")
    form.locator("input[name=min]").fill("41")
    form.locator("input[name=max]").fill("43")
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    figures = page.locator("#figures").inner_text()
    assert "41 to 43" in figures
    assert page.locator("#figures a.reviewed.edited").count() >= 1
    figure = page.request.get(f"{server}/api/figures/{figure_id}").json()
    assert (figure["min"], figure["max"], figure["review"]["status"]) == (41, 43, "edited")


def test_5_split_then_merge(server, page) -> None:
    incident = _incident_with_events(page, server, 2)
    total = page.request.get(server + "/api/incidents").json()["total"]
    page.goto(f"{server}/incidents/{incident['id']}")
    moved = incident["event_ids"][-1]
    page.locator("form.split select[name=event_id]").select_option(moved)
    with page.expect_navigation():
        page.locator("form.split button").click()
    new_id = page.locator("p.id code").first.inner_text()
    assert new_id != incident["id"]
    assert page.request.get(server + "/api/incidents").json()["total"] == total + 1
    page.locator("form.merge input[name=other]").fill(incident["id"])
    with page.expect_navigation():
        page.locator("form.merge button").click()
    assert page.request.get(server + "/api/incidents").json()["total"] == total
    assert [d["action"] for d in _decisions(page, server)][-2:] == ["split", "merge"]
    assert page.errors == []


def test_6_review_queue_keys(server, page) -> None:
    page.goto(server + "/review")
    rows = page.locator("#queue tr.queue-item")
    assert rows.count() >= 3
    _shot(page, "review-queue")
    first = rows.nth(0).get_attribute("data-incident")
    second = rows.nth(1).get_attribute("data-incident")
    third = rows.nth(2).get_attribute("data-incident")
    assert "selected" in rows.nth(0).get_attribute("class")
    with page.expect_navigation():
        page.keyboard.press("a")  # accept the first
    page.wait_for_selector("#queue tr.queue-item.selected")
    listed = page.locator("#queue tr.queue-item").evaluate_all(
        "rows => rows.map(r => r.dataset.incident)"
    )
    assert first not in listed and listed[0] == second
    page.keyboard.press("n")  # skip the (new) first, select the next
    assert page.locator("#queue tr.queue-item.selected").get_attribute("data-incident") == third
    with page.expect_navigation():
        page.keyboard.press("r")  # reject it
    page.wait_for_selector("#queue tr.queue-item")
    listed = page.locator("#queue tr.queue-item").evaluate_all(
        "rows => rows.map(r => r.dataset.incident)"
    )
    assert third not in listed and second in listed
    rejected = page.request.get(f"{server}/api/incidents/{third}").json()["incident"]
    assert rejected["review"]["status"] == "rejected"
    assert page.errors == []
