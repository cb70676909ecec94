"""Coreference scores against values worked out by hand."""

from __future__ import annotations

import pytest

from eventledger.evaluation.coref import b_cubed, ceaf_e, conll_f1, muc

KEY = {"a": 1, "b": 1, "c": 1, "d": 2, "e": 2}
# key {a,b,c} {d,e}; response {a,b} {c,d,e}
SPLIT = {"a": "x", "b": "x", "c": "y", "d": "y", "e": "y"}
SINGLETONS = {i: i for i in KEY}


@pytest.mark.parametrize(
    ("metric", "response", "precision", "recall"),
    [
        (b_cubed, SPLIT, 11 / 15, 11 / 15),
        (muc, SPLIT, 2 / 3, 2 / 3),
        (ceaf_e, SPLIT, 0.8, 0.8),
        (b_cubed, SINGLETONS, 1.0, (1 / 3 * 3 + 1 / 2 * 2) / 5),
        (muc, SINGLETONS, 0.0, 0.0),
        (b_cubed, KEY, 1.0, 1.0),
        (ceaf_e, KEY, 1.0, 1.0),
    ],
)
def test_scores(metric, response, precision, recall):
    s = metric(KEY, response)
    assert s.precision == pytest.approx(precision)
    assert s.recall == pytest.approx(recall)


def test_conll_is_the_mean_of_three():
    s = conll_f1(KEY, SPLIT)
    assert s["conll_f1"] == pytest.approx((s["muc_f1"] + s["b3_f1"] + s["ceafe_f1"]) / 3)
    assert conll_f1(KEY, KEY)["conll_f1"] == pytest.approx(1.0)


def test_items_must_match():
    with pytest.raises(ValueError):
        b_cubed(KEY, {"a": 1})
