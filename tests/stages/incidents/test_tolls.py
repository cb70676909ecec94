"""The toll rule: totals apart from subgroups, the latest statement per claimant,
low <= best <= high, and disagreement only between independent claimants."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given
from hypothesis import strategies as st

from eventledger.models import Figure
from eventledger.stages.incidents.tolls import (
    _value,
    reconcile_figures,
    reconcile_values,
    values_by_group,
)


def _fig(doc, n, lo, hi, who=None, *, group=None, part_of=None, best=None, kind="killed"):
    return Figure(
        id=f"{doc}:fig{n}",
        document_id=doc,
        kind=kind,
        group=group,
        min=lo,
        max=hi,
        approximate=False,
        text=str(lo),
        best=best,
        claimant={"name": who, "type": "health_authority"} if who else None,
        part_of=part_of,
    )


def _total(figures):
    (total,) = [f for f in figures if not f.subgroup]
    return total


def test_tolls_a_subgroup_never_counts_as_the_total():
    # "at least 15 killed, including four children"; another outlet: "at least 20 killed"
    figs = [
        _fig("a", 1, 15, None),
        _fig("a", 2, 4, 4, part_of="a:fig1"),
        _fig("b", 1, 20, None),
    ]
    out = reconcile_figures(figs)
    total = _total(out)
    assert (total.low, total.best, total.high) == (15, 15, None)
    assert [v.figure_id for v in total.values] == ["a:fig1", "b:fig1"]
    (part,) = [f for f in out if f.subgroup]
    assert (part.best, part.values[0].part_of) == (4, "a:fig1")


def test_tolls_a_subgroup_of_a_named_group_stays_under_its_kind():
    figs = [
        _fig("a", 1, 12, 12),
        _fig("a", 2, 3, 3, group="health_workers", part_of="a:fig1"),
    ]
    out = reconcile_figures(figs)
    assert [(f.group, f.best, f.subgroup) for f in out] == [
        (None, 12, False),
        ("health_workers", 3, True),
    ]


@pytest.mark.parametrize(
    ("published", "counted"),
    [
        ({"a": "2024-03-12", "b": "2024-03-13"}, 15),  # b is later: its 15 counts
        ({"a": "2024-03-14", "b": "2024-03-13"}, 10),  # a was published later
        ({"a": "2024-03-14", "b": None}, 15),  # a date missing: report order
        (None, 15),
    ],
)
def test_tolls_the_latest_statement_of_a_claimant_counts(published, counted):
    figs = [_fig("a", 1, 10, 10, "Ministry of Health"), _fig("b", 1, 15, 15, "ministry of health")]
    (out,) = reconcile_figures(figs, published_of=published)
    assert (out.low, out.best, out.high, out.disagreement) == (counted, counted, counted, False)
    superseded = [v.figure_id for v in out.values if v.superseded_by]
    assert superseded == (["b:fig1"] if counted == 10 else ["a:fig1"])
    assert len(out.values) == 2  # the earlier statement is kept


def test_tolls_inside_one_report_a_claimants_largest_count_is_the_latest():
    # "The toll rose to 16, the governor said. He had earlier given 13."
    figs = [_fig("a", 1, 16, 16, "governor"), _fig("a", 2, 13, 13, "governor")]
    (out,) = reconcile_figures(figs)
    assert (out.best, out.disagreement) == (16, False)
    assert [v.superseded_by for v in out.values] == [None, "a:fig1"]


@pytest.mark.parametrize(
    ("names", "same"),
    [
        (("Ministry of Health", "the health ministry"), True),
        (("Zelensky", "Ukrainian President Volodymyr Zelensky"), True),
        (("the Health Ministry's spokesman", "health ministry spokesman"), True),
        (("UN OCHA", "Ministry of Health"), False),
        (("Smith", "John Smith", "Jane Smith"), False),  # two longer names: no guess
    ],
)
def test_tolls_forms_of_one_claimants_name_are_one_claimant(names, same):
    figs = [_fig(f"d{n}", 1, 10 + n, 10 + n, who) for n, who in enumerate(names)]
    (out,) = reconcile_figures(figs)
    counted = [v for v in out.values if v.superseded_by is None]
    if same:
        assert (len(counted), out.disagreement) == (1, False)
    else:
        assert counted[0].figure_id == "d0:fig1" and out.disagreement


def test_tolls_a_repeated_statement_is_not_superseded():
    figs = [_fig("wire", 1, 11, None, "director"), _fig("copy", 1, 11, None, "director")]
    (out,) = reconcile_figures(figs, {"wire": "wire", "copy": "wire"})
    assert [v.superseded_by for v in out.values] == [None, None]
    assert (out.low, out.best, out.disagreement) == (11, 11, False)


@pytest.mark.parametrize(
    ("who", "source_of", "disagree"),
    [
        (("Ministry of Health", "UN OCHA"), None, True),  # two claimants, two counts
        ((None, None), None, True),  # two outlets' own counts
        ((None, None), {"a": "a", "b": "a"}, False),  # b is a syndicated copy of a
        (("Ministry of Health", "Ministry of Health"), None, False),  # one claimant updating
    ],
)
def test_tolls_disagreement_is_between_independent_claimants(who, source_of, disagree):
    figs = [_fig("a", 1, 12, 12, who[0]), _fig("b", 1, 15, 15, who[1])]
    (out,) = reconcile_figures(figs, source_of)
    assert out.disagreement is disagree
    assert {v.document_id: v.claimant for v in out.values}.keys() == {"a", "b"}


def test_tolls_a_report_with_only_an_upper_bound_keeps_low_below_best():
    # "nearly 100" -> [None, 99], best 99; "up to 50" -> [0, 50]
    (out,) = reconcile_figures([_fig("a", 1, None, 99, best=99), _fig("b", 1, 0, 50)])
    assert (out.low, out.best, out.high) == (0, 25, 99)


_bound = st.one_of(st.none(), st.integers(0, 500).map(float))


@st.composite
def _figures(draw):
    figs = []
    for i in range(draw(st.integers(1, 6))):
        lo, hi, best = draw(_bound), draw(_bound), draw(_bound)
        who = draw(st.sampled_from([None, "ministry", "un", "police"]))
        part = draw(st.sampled_from([None, "d0:fig0"])) if i else None
        doc = draw(st.sampled_from(["d0", "d1", "d2"]))
        group = draw(st.sampled_from([None, None, "civilians", "children"]))
        figs.append(_fig(doc, i, lo, hi, who, best=best, part_of=part, group=group))
    return figs


@given(
    _figures(),
    st.dictionaries(st.sampled_from(["d0", "d1", "d2"]), st.sampled_from(["d0", "d1"])),
    st.dictionaries(st.sampled_from(["d0", "d1", "d2"]), st.sampled_from(["2024-01-01", None])),
)
def test_tolls_low_best_high_are_ordered(figs, source_of, published_of):
    for out in reconcile_figures(figs, source_of, published_of):
        numbers = [x for x in (out.low, out.best, out.high) if x is not None]
        assert numbers == sorted(numbers)
        if out.best is not None:
            assert out.low is not None
        assert sum(v.superseded_by is None for v in out.values) >= 1


@given(
    _figures(),
    _figures(),
    st.dictionaries(st.sampled_from(["d0", "d1", "d2"]), st.sampled_from(["2024-01-01", None])),
)
def test_tolls_adding_reports_to_a_reconciled_toll_equals_reconciling_all(first, more, published):
    # What the linker does on a merge: the stored values, then the new event's figures.
    more = [dataclasses.replace(f, id=f"{f.id}b") for f in more]
    groups = values_by_group(reconcile_figures(first, published_of=published))
    for f in more:
        groups[(f.kind, f.group)].append(_value(f))
    assert reconcile_values(groups, published_of=published) == reconcile_figures(
        first + more, published_of=published
    )


def test_tolls_a_civilians_total_is_a_statement_of_the_total_too():
    # "16 people were killed", one outlet; "17 civilians were killed", another
    figs = [_fig("a", 1, 16, 16, "prosecutor"), _fig("b", 1, 17, 17, group="civilians")]
    out = reconcile_figures(figs)
    total = next(f for f in out if f.group is None)
    assert [v.figure_id for v in total.values] == ["a:fig1", "b:fig1"]
    assert total.disagreement
    civ = next(f for f in out if f.group == "civilians")
    assert [v.figure_id for v in civ.values] == ["b:fig1"]
    # a civilians subgroup ("including five civilians") is no statement of the total
    figs = [_fig("a", 1, 16, 16), _fig("a", 2, 5, 5, group="civilians", part_of="a:fig1")]
    total = next(f for f in reconcile_figures(figs) if f.group is None)
    assert [v.figure_id for v in total.values] == ["a:fig1"]


@pytest.mark.parametrize(
    ("a", "b", "disagree"),
    [
        ((30, 30), (30, None), False),  # "30" and "at least 30": one meets the other's bound
        ((15, None), (20, None), True),  # "at least 15" and "at least 20"
        ((12, 12), (15, 15), True),
        ((10, 20), (10, 10), True),  # "10 to 20" and "10": their point values differ
    ],
)
def test_tolls_disagreement_is_a_different_bound_or_point(a, b, disagree):
    figs = [_fig("a", 1, *a, "police"), _fig("b", 1, *b, "residents")]
    (out,) = reconcile_figures(figs)
    assert out.disagreement is disagree
