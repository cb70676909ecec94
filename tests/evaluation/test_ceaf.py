from __future__ import annotations

import pytest

from eventledger.evaluation.ceaf import ceaf_ree, match_entities, normalize_mention


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The Shining Path", "shining path"),
        ("  an  ARMY   patrol. ", "army patrol"),
        ("FMLN's urban commandos", "fmlns urban commandos"),
    ],
)
def test_normalize_mention_like_the_grit_scorer(text, expected):
    assert normalize_mention(text) == expected


@pytest.mark.parametrize(
    ("gold", "pred", "matched"),
    [
        # one gold entity with two coreferent mentions; either mention matches
        ([["shining path", "the terrorists"]], [["Terrorists"]], 1),
        # a predicted entity may match only one gold entity
        ([["bomb"], ["bomb", "dynamite"]], [["bomb"]], 1),
        # the alignment must reassign: pred 0 fits both gold, pred 1 only gold 0
        ([["a", "b"], ["b"]], [["b"], ["a"]], 2),
        # phi_strict: every predicted mention must belong to the gold entity
        ([["bomb"]], [["bomb", "car"]], 0),
        ([], [["x"]], 0),
        ([["x"]], [], 0),
    ],
)
def test_match_entities_hand_computed(gold, pred, matched):
    assert match_entities(gold, pred) == matched


def test_ceaf_ree_micro_average_hand_computed():
    gold = {
        "d1": {
            "PerpInd": [["urban guerrillas", "guerrillas"]],
            "PerpOrg": [["fmln"]],
            "Victim": [["jesuits"], ["maids"]],
        },
        "d2": {"Weapon": [["dynamite"]]},
    }
    pred = {
        "d1": {
            "PerpInd": [["guerrillas"]],
            "PerpOrg": [["army"]],
            "Victim": [["the Jesuits"]],
            "Target": [["embassy"]],
        },
    }
    s = ceaf_ree(gold, pred)
    # PerpInd 1/1 matched; PerpOrg 0/1; Victim 1 of 1 predicted, of 2 gold;
    # Target 0 of 1 predicted, 0 gold; Weapon 0 predicted, 1 gold (d2 has no prediction)
    assert (s["PerpInd"].matched, s["PerpInd"].predicted, s["PerpInd"].gold) == (1, 1, 1)
    assert s["Victim"].recall == pytest.approx(0.5)
    assert s["Target"].precision == 0.0
    micro = s["micro_avg"]
    assert (micro.matched, micro.predicted, micro.gold) == (2, 4, 5)
    p, r = 2 / 4, 2 / 5
    assert micro.f1 == pytest.approx(2 * p * r / (p + r))
