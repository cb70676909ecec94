"""Evidence on a page: each span and ¶ link says in words which field it proves, escaped."""

from __future__ import annotations

from eventledger.web.evidence import evidence_links, field_spans

HOSTILE = '<img src=x onerror="alert(1)">'
EVENT = {
    "id": "d1:ev1",
    "trigger": "airstrike",
    "type": "Explosions/Remote violence",
    "actors": [{"role": "perpetrator", "name": HOSTILE, "normalized": HOSTILE}],
}


def _row(field, start, end, record_id="d1:ev1", kind="event", doc="d1"):
    return {
        "record_id": record_id,
        "record_kind": kind,
        "field": field,
        "start": start,
        "end": end,
        "document_id": doc,
    }


def test_spans_and_links_name_the_field_in_words():
    rows = [_row("date.evidence[0]", 0, 5), _row("actors[0].evidence[0]", 6, 9)]
    spans, links = field_spans(rows, {"d1": 0}, records={"d1:ev1": EVENT})
    assert [s.label for s in spans[0]] == [
        "event “airstrike”: the date",
        f"event “airstrike”: perpetrator: {HOSTILE}",
    ]
    html = str(evidence_links(links)("d1:ev1", "actors"))
    assert html.count('<a class="ev"') == 1
    assert "<img" not in html and "&lt;img src=x onerror=&#34;alert(1)&#34;&gt;" in html
    assert 'title="evidence of perpetrator: ' in html and 'aria-label="evidence of ' in html


def test_a_span_on_another_page_links_there_and_is_not_marked_here():
    rows = [_row("date.evidence[0]", 0, 5, doc="d2")]
    spans, links = field_spans(
        rows, {"d1": 0, "d2": 25}, records={}, shown={"d1"}, page_of=lambda n: "?source_offset=20"
    )
    assert spans == {}
    assert links["d1:ev1"] == [
        {"field": "date.evidence[0]", "label": "the date", "href": "?source_offset=20#e25-0-5"}
    ]
