from __future__ import annotations

import pytest

from eventledger.evaluation.kairos import event_class, gold_of, rebuild, score, trigger_class


def _doc():
    # a small hand-made document in the WikiEvents layout
    return {
        "doc_id": "d",
        "sentences": [
            [[["Rebels", 0, 6], ["attacked", 7, 15], ["Goma", 16, 20], [".", 20, 21]], "x"],
            [[["Two", 22, 25], ["died", 26, 30], [".", 30, 31]], "y"],
        ],
        "entity_mentions": [
            {"id": "T1", "start": 0, "end": 1, "text": "Rebels"},
            {"id": "T2", "start": 2, "end": 3, "text": "Goma"},
            {"id": "T3", "start": 4, "end": 5, "text": "Two"},
            {"id": "T4", "start": 0, "end": 1, "text": "Rebels"},
        ],
        "event_mentions": [
            {
                "event_type": "Conflict.Attack.Unspecified",
                "trigger": {"start": 1, "end": 2},
                "arguments": [
                    {"entity_id": "T1", "role": "Attacker"},
                    {"entity_id": "T2", "role": "Place"},
                ],
            },
            {
                "event_type": "Life.Die.Unspecified",
                "trigger": {"start": 5, "end": 6},
                "arguments": [{"entity_id": "T3", "role": "Victim"}],
            },
            {"event_type": "Contact.Contact.Broadcast", "trigger": {"start": 0, "end": 1}},
        ],
    }


def test_rebuild_keeps_tokens_at_known_offsets():
    text, spans = rebuild(_doc())
    assert text == "Rebels attacked Goma.\n\nTwo died."
    assert [text[a:b] for a, b in spans] == ["Rebels", "attacked", "Goma", ".", "Two", "died", "."]


@pytest.mark.parametrize(
    ("word", "cls"),
    [("killed", "Life.Die"), ("wounding", "Life.Injure"), ("shelling", "Conflict.Attack")],
)
def test_trigger_class(word, cls):
    assert trigger_class(word) == cls


def test_event_class_skips_unscored_types():
    assert event_class("Conflict.Attack.DetonateExplode") == "Conflict.Attack"
    assert event_class("Contact.Contact.Broadcast") is None


def test_score_head_word_matching():
    gold = gold_of(_doc(), {"d": [["T1", "T4"]]})["events"]
    pred = [
        {"cls": "Conflict.Attack", "tok": 1, "args": [
            {"role": "Attacker", "tok": 0},  # right
            {"role": "Target", "tok": 2},  # wrong role (gold says Place)
        ]},
        {"cls": "Life.Injure", "tok": 5, "args": []},  # wrong class
    ]  # fmt: skip
    s = score(gold, pred)
    assert s["trigger"] == [1, 2, 2]
    assert s["argument_head"] == [1, 2, 3]
