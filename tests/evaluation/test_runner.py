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


@pytest.fixture(scope="module")
def case_model():
    from eventledger.evaluation.runner import CaseModel

    # a tiny stand-in for spaCy's en_lexeme_prob table; -20 is its floor
    return CaseModel(
        {"the": -3.0, "The": -6.0, "army": -10.0, "Army": -11.0, "fmln": -19.0,
         "FMLN": -18.0, "Oscar": -12.0, "oscar": -14.0, "marti": -20.0, "x": -20.0,
         "and": -4.0, "was": -5.0, "killed": -9.0, "front": -9.0}
    )  # fmt: skip


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("the army and the fmln", "The army and the FMLN"),
        ("oscar romero was killed", "Oscar Romero was killed"),  # romero: unknown, a name
        ("farabundo marti front", "Farabundo Marti front"),  # marti at the floor: unknown
    ],
)
def test_case_model_restores_case_and_keeps_offsets(case_model, text, expected):
    got = case_model(text)
    assert got == expected
    assert len(got) == len(text)
