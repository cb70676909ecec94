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


def _toll(claimant, values):
    return {
        "claimant": claimant,
        "kind": "killed",
        "group": None,
        "series": [_point(f"2024-03-{10 + n:02d}", v, v) for n, v in enumerate(values)],
    }


def test_many_claimants_keep_the_top_in_colour_and_group_the_rest():
    from eventledger.web.svg import OTHERS_COLOR, PALETTE, TOP_SERIES, toll_colors

    tolls = [_toll(f"claimant {n}", [n + 1, n + 2]) for n in range(TOP_SERIES + 5)]
    colors = toll_colors(tolls)
    # The largest values get the palette; the 5 smallest share the others' grey.
    assert [colors[i] for i in range(5)] == [OTHERS_COLOR] * 5
    assert {colors[i] for i in range(5, len(tolls))} <= set(PALETTE) - {OTHERS_COLOR}
    assert len({colors[i] for i in range(5, len(tolls))}) == TOP_SERIES
    chart = toll_geometry(tolls)
    assert chart["others"] == 5
    assert sum(1 for s in chart["series"] if s["others"]) == 5
    # Every point is still drawn: grouping never drops a value.
    assert sum(len(s["marks"]) for s in chart["series"]) == 2 * len(tolls)


def test_few_claimants_have_no_others():
    from eventledger.web.svg import toll_colors

    tolls = [_toll("a", [1]), _toll("b", [3])]
    assert toll_geometry(tolls)["others"] == 0
    assert toll_colors(tolls)[1] != toll_colors(tolls)[0]


def test_running_totals_add_the_others_up_into_one_line():
    from eventledger.web.svg import TOP_SERIES, chart_geometry

    series = [
        {"claimant": f"c{n}", "points": [{"date": "2024-03-01", "total": float(n + 1)},
                                         {"date": "2024-03-05", "total": float(n + 2)}]}
        for n in range(TOP_SERIES + 3)
    ]  # fmt: skip
    lines = chart_geometry({"series": series})["lines"]
    assert len(lines) == TOP_SERIES + 1
    others = lines[-1]
    assert others["others"] and others["claimant"] == "3 others"
    # c0, c1, c2 end at 2, 3, 4: the others' line ends at their sum.
    assert others["total"] == 9
    assert [line["claimant"] for line in lines[:2]] == [f"c{TOP_SERIES + 2}", f"c{TOP_SERIES + 1}"]


@pytest.mark.parametrize(
    ("precision", "halo"), [(1, False), (2, False), (3, True), (4, True), (6, True), (None, False)]
)
def test_map_marks_draw_area_level_places_with_a_halo(precision, halo):  # fmt: skip
    from eventledger.web.svg import map_marks, map_view

    view = map_view([{"id": "i", "lat": 34.5, "lon": 36.1, "precision": precision},
                     {"id": "j", "lat": 31.5, "lon": 34.4, "precision": 1}])  # fmt: skip
    marks = {m["id"]: m for m in map_marks(view)}
    assert (marks["i"]["halo"] is not None) == halo
    if halo:
        assert marks["i"]["halo"] > marks["i"]["r"]
    assert marks["j"]["halo"] is None


def test_map_marks_fan_out_incidents_at_one_spot():
    from eventledger.web.svg import map_marks, map_view

    view = map_view([{"id": k, "lat": 31.5, "lon": 34.4, "precision": 1} for k in "abc"])
    marks = map_marks(view)
    spots = {(round(m["x"], 6), round(m["y"], 6)) for m in marks}
    assert len(spots) == 3
    # Each stays within a few dots' radius of the place itself.
    assert all(
        abs(m["x"] - m["cx"]) <= 2 * m["r"] and abs(m["y"] - m["cy"]) <= 2 * m["r"] for m in marks
    )
