from __future__ import annotations

import pytest

from eventledger.evaluation.runner import sentence_case


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("the army said. guerrillas attacked.", "The army said. Guerrillas attacked."),
        ("what? no!  it burned", "What? No!  It burned"),
        ("one\n  two", "One\n  Two"),
    ],
)
def test_sentence_case_changes_only_first_letters(text, expected):
    got = sentence_case(text)
    assert got == expected
    assert len(got) == len(text)
