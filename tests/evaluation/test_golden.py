"""The accuracy gate: the example articles scored against the hand-written
golden expectations must not fall below the floors in tests/golden/gate.json."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from eventledger.evaluation import score_against_golden
from eventledger.evaluation.golden import names_agree

GOLDEN = Path(__file__).resolve().parent.parent / "golden"
FLOORS = {
    k: v for k, v in json.loads((GOLDEN / "gate.json").read_text()).items() if not k.startswith("_")
}


@pytest.fixture(scope="module")
def scores(example_export):
    return score_against_golden(example_export, json.loads((GOLDEN / "examples.json").read_text()))


def test_every_golden_article_was_ingested(scores):
    assert scores["missing_documents"] == []


@pytest.mark.parametrize("metric", sorted(FLOORS))
def test_accuracy_floor(scores, metric):
    kind, name = metric.split(".", 1)
    value = (
        scores[kind][name]
        if kind in ("figures", "events", "claims")
        else scores["attributes"][metric]
    )
    assert value >= FLOORS[metric], f"{metric} fell to {value} (floor {FLOORS[metric]})"


def test_golden_quotes_occur_in_the_stored_texts(example_export):
    """The golden file must describe the articles as stored (cleaned)."""
    texts = {d["key"]: d["text"] for d in example_export["documents"]}
    missing = []
    for art in json.loads((GOLDEN / "examples.json").read_text()):
        for fig in art["figures"]:
            if fig["text"] not in texts[art["key"]]:
                missing.append(fig["text"])
    assert missing == []


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("the health ministry", "Ministry of Health", True),
        ("Dr Samir Abu Khalil", "Samir Abu Khalil", True),
        ("civil defence", "health ministry", False),
        (None, None, True),
        ("army", None, False),
    ],
)
def test_names_agree(a, b, same):
    assert names_agree(a, b) is same


def test_scoring_penalises_a_wrong_export(example_export):
    """A ledger with every figure's bounds shifted must score far lower."""
    import copy

    golden = json.loads((GOLDEN / "examples.json").read_text())
    broken = copy.deepcopy(example_export)
    for f in broken["figures"]:
        f["min"] = (f["min"] or 0) + 1000
    good = score_against_golden(example_export, golden)["figures"]["f1"]
    bad = score_against_golden(broken, golden)["figures"]["f1"]
    assert bad < good / 4
