"""Toll chart geometry: marks by kind of value, log scale when values span decades, no guessing."""

from __future__ import annotations

import pytest

from eventledger.web.svg import evidence_href, toll_geometry, value_text


def _point(as_of, low, high, doc="d:1", start=3, end=9):
    return {
        "as_of": as_of,
        "min": low,
        "max": high,
        "document_id": doc,
        "figure_id": f"{doc}:fig1",
        "text": "x",
        "evidence": [{"document_id": doc, "start": start, "end": end, "text": "x"}],
    }


@pytest.mark.parametrize(
    ("low", "high", "text"),
    [
        (12, 12, "12"),
        (20, 30, "20–30"),
        (14001, None, "at least 14,001"),
        (None, 30, "at most 30"),
        (None, None, "unknown"),
        (2.5, 2.5, "2.5"),
    ],
)
def test_value_text(low, high, text):
    assert value_text(_point("2024-01-01", low, high)) == text


def test_evidence_href_quotes_the_id_and_names_the_span_anchor():
    assert evidence_href(_point(None, 1, 1, doc="a/b?c", start=4, end=7)) == (
        "/documents/a%2Fb%3Fc#e0-4-7"
    )


@pytest.mark.parametrize(
    ("low", "high", "mark"),
    [(12, 12, "exact"), (20, 30, "range"), (14001, None, "open"), (None, 30, "upto")],
)
def test_each_value_gets_its_mark(low, high, mark):
    chart = toll_geometry([{"kind": "killed", "group": None, "claimant": "m", "series": [
        _point("2024-01-01", 1, 1), _point("2024-02-01", low, high)]}])  # fmt: skip
    assert [m["mark"] for m in chart["series"][0]["marks"]] == ["exact", mark]
    if mark == "range":
        top = chart["series"][0]["marks"][1]
        assert top["y_top"] < top["y"]  # the bar rises from min to max


def test_points_without_date_or_value_are_listed_not_plotted():
    series = [_point(None, 5, 5), _point("2024-01-03", None, None), _point("2024-01-02", 4, 4)]
    chart = toll_geometry([{"kind": "killed", "group": None, "claimant": None, "series": series}])
    assert [m["as_of"] for m in chart["series"][0]["marks"]] == ["2024-01-02"]
    assert sorted(u["why"] for u in chart["unplotted"]) == ["no as_of date", "no value"]
    assert chart["series"][0]["claimant"] == "no claimant"


@pytest.mark.parametrize(("values", "scale"), [((20, 30), "linear"), ((20, 14001), "log")])
def test_scale_turns_log_when_values_span_two_decades(values, scale):
    tolls = [
        {
            "kind": "killed",
            "group": None,
            "claimant": f"c{n}",
            "series": [_point("2024-01-01", v, v)],
        }
        for n, v in enumerate(values)
    ]
    chart = toll_geometry(tolls)
    assert chart["scale"] == scale
    low, high = (s["marks"][0]["y"] for s in chart["series"])
    assert chart["top"] <= high < low <= chart["bottom"]


def test_empty_chart_has_no_series():
    chart = toll_geometry([])
    assert chart["series"] == [] and chart["unplotted"] == []
