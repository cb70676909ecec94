"""Figures read from the bundled example articles: every count form the
ledger must handle, with its bounds, ACLED best value and kind."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="module")
def figures_by_doc(example_export):
    keys = {d["id"]: d["key"] for d in example_export["documents"]}
    out: dict[str, list[dict]] = {}
    for f in example_export["figures"]:
        out.setdefault(keys[f["document_id"]], []).append(f)
    return out


def _find(figures_by_doc, key_part, text):
    for key, figs in figures_by_doc.items():
        if key_part in key:
            for f in figs:
                if f["text"] == text:
                    return f
    raise AssertionError(f"no figure {text!r} in a document whose key holds {key_part!r}")


@pytest.mark.parametrize(
    ("key", "text", "kind", "bounds", "best", "approximate"),
    [
        # digits
        ("lw-2024-0312", "22 patients", "present", (22, 22), 22, False),
        # words
        ("smp-20240313", "two nurses", "killed", (2, 2), 2, False),
        ("smp-20240313", "Seven civilians", "killed", (7, 7), 7, False),
        # a subset takes the kind of its head count
        ("smp-20240313", "three of them children", "killed", (3, 3), 3, False),
        # qualifiers and ranges
        ("smp-20240313", "More than 14,000 people", "killed", (14001, None), 14000, True),
        ("glc-20240319", "at least 12 people", "killed", (12, None), 12, False),
        ("nhp-18032024", "up to 50 patients", "present", (0, 50), None, True),
        ("glc-20240319", "between 20 and 30 of them", "injured", (20, 30), 20, False),
        # vague quantities: documented range, ACLED's best value
        ("eg-2024-03-14", "dozens of dead", "killed", (24, 99), 12, True),
        ("smp-20240313", "Hundreds of families", "displaced", (200, 999), 100, True),
        ("glc-20240319", "thousands of people", "displaced", (2000, 9999), 1000, True),
        # "a nurse": one person
        ("sln-0316-nyala", "a nurse", "hostages", (1, 1), 1, False),
    ],
)
def test_example_figure_forms(figures_by_doc, key, text, kind, bounds, best, approximate):
    f = _find(figures_by_doc, key, text)
    assert f["kind"] == kind
    assert (f["min"], f["max"]) == bounds
    assert f["best"] == best
    assert f["approximate"] is approximate


def test_example_cumulative_toll_is_not_an_incident_count(figures_by_doc):
    f = _find(figures_by_doc, "smp-20240313", "More than 14,000 people")
    assert f["scope"] == "cumulative" and f["as_of"]
