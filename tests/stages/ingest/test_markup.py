from __future__ import annotations

import pytest

from eventledger.stages.ingest import html_to_text, read_page

PARAS = [
    "An airstrike hit a clinic in the north of the city on Tuesday, killing at least four people, the health ministry said.",
    "Witnesses said the building was destroyed and that ambulances could not reach it for hours after the attack.",
    "The ministry called for an independent investigation into the strike and said staff were among the dead.",
]
PAGE = (
    "<html><head><title>Strike hits clinic - Daily Post</title>"
    '<meta property="og:site_name" content="Daily Post">'
    '<meta property="article:published_time" content="2024-03-12T10:00:00Z">'
    '<link rel="canonical" href="https://example.org/a/1"></head><body>'
    '<nav><a href="/">Home</a> <a href="/world">World</a></nav><article>'
    + "".join(f"<p>{p}</p>" for p in PARAS)
    + "</article><footer>Contact us</footer></body></html>"
)


def test_read_page_extracts_main_text_and_metadata() -> None:
    page = read_page(PAGE)
    assert page.text == "\n\n".join(PARAS)
    assert (page.title, page.outlet, page.published, page.url) == (
        "Strike hits clinic",
        "Daily Post",
        "2024-03-12",
        "https://example.org/a/1",
    )


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ("<p>Four killed.</p><p>Ward <b>burned</b>.</p>", "Four killed.\n\nWard burned."),
        ("<p>line one<br>line two</p>", "line one\nline two"),
        ("<div><p>Truncated entry with no end", "Truncated entry with no end"),
        ("<p>Text</p><script>var x = 1;</script><!-- note -->", "Text"),
        ('<?xml version="1.0" encoding="utf-8"?><p>Declared</p>', "Declared"),
        ("", ""),
        ("<p>  </p>", ""),
    ],
)
def test_html_to_text_on_fragments(html: str, expected: str) -> None:
    assert html_to_text(html) == expected


def test_html_to_text_keeps_text_of_truncated_page() -> None:
    cut = PAGE[: PAGE.index(PARAS[2]) + 40]
    text = html_to_text(cut)
    assert PARAS[0] in text
    assert PARAS[2][:40] in text


@pytest.mark.parametrize("depth", [300, 5000, 30000])
@pytest.mark.parametrize("reader", ["html_to_text", "read_page"])
def test_deeply_nested_html_keeps_its_text(depth, reader):
    from eventledger.stages.ingest import markup

    body = (
        "<p>An airstrike hit a clinic in the north of the city on Tuesday.</p>"
        "<p>Four people were killed &amp; six wounded.<br>Ambulances came late.</p>"
    )
    page = (
        "<html><head><title>Deep</title><script>var hidden = 1;</script></head><body>"
        + "<div>" * depth
        + body
        + "</div>" * depth
        + "</body></html>"
    )
    result = getattr(markup, reader)(page)
    text = result if isinstance(result, str) else result.text
    assert text == (
        "An airstrike hit a clinic in the north of the city on Tuesday.\n\n"
        "Four people were killed & six wounded.\nAmbulances came late."
    )
