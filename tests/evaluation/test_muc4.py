from __future__ import annotations

import json

import pytest

from eventledger.evaluation.muc4 import muc_type, parse_casualties, read_gold

# A hand-written key in the MUC-4 layout (not copied from the data set).
_KEY = """\
0.  MESSAGE: ID                    TST9-MUC4-0001
1.  MESSAGE: TEMPLATE              1
4.  INCIDENT: TYPE                 ATTACK
19. HUM TGT: DESCRIPTION           "PEASANTS"
                                   "SOLDIER"
21. HUM TGT: NUMBER                4: "PEASANTS"
                                   1: "SOLDIER"
23. HUM TGT: EFFECT OF INCIDENT    DEATH: "PEASANTS"
                                   INJURY: "SOLDIER"

0.  MESSAGE: ID                    TST9-MUC4-0001
1.  MESSAGE: TEMPLATE              2 (OPTIONAL)
21. HUM TGT: NUMBER                ?2 - 3: "GUARDS"
23. HUM TGT: EFFECT OF INCIDENT    DEATH / INJURY: "GUARDS"

0.  MESSAGE: ID                    TST9-MUC4-0002
1.  MESSAGE: TEMPLATE              1
21. HUM TGT: NUMBER                PLURAL: "JUDGES"
23. HUM TGT: EFFECT OF INCIDENT    DEATH: "JUDGES"

0.  MESSAGE: ID                    TST9-MUC4-0003
1.  MESSAGE: TEMPLATE              *
"""


def test_parse_casualties_sums_numbers_by_effect():
    got = parse_casualties(_KEY)
    # 4 peasants + the lower end of "2 - 3" guards (first alternative: DEATH)
    assert got == {"TST9-MUC4-0001": {"killed": 6, "injured": 1}}


@pytest.mark.parametrize(
    ("event", "expected"),
    [
        ({"subtype": "Air/drone strike"}, "bombing"),
        ({"subtype": "Remote explosive/landmine/IED"}, "bombing"),
        ({"subtype": "Abduction/forced disappearance"}, "kidnapping"),
        ({"subtype": "Looting/property destruction", "plover": {"mode": "arson"}}, "arson"),
        ({"subtype": "Looting/property destruction", "plover": {"mode": "seize"}}, "robbery"),
        ({"subtype": "Attack"}, "attack"),
        ({"subtype": "Armed clash"}, "attack"),
    ],
)
def test_muc_type(event, expected):
    assert muc_type(event) == expected


def test_read_gold_pools_templates_per_document(tmp_path):
    rec = {
        "docid": "X-1",
        "doctext": "guerrillas bombed the bank",
        "templates": [
            {"incident_type": "attack / bombing", "PerpInd": [[["guerrillas", 0]]], "Target": []},
            {
                "incident_type": "arson",
                "PerpInd": [[["guerrillas", 0]]],
                "Target": [[["bank", 22]]],
            },
        ],
    }
    path = tmp_path / "dev.json"
    path.write_text(json.dumps(rec) + "\n")
    gold = read_gold(path)["X-1"]
    assert gold["types"] == {"attack", "bombing", "arson"}
    assert gold["roles"]["PerpInd"] == [["guerrillas"]]
    assert gold["roles"]["Target"] == [["bank"]]
