"""Text profiles of reports: crude lemmas, names weigh more, common words less."""

from __future__ import annotations

import pytest

from eventledger.stages.incidents.similarity import cosine, lemma, profile, shared_terms


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("attacks", "attack"),
        ("shelled", "shell"),
        ("bombing", "bomb"),
        ("Rahma's", "rahma"),
        ("militias", "militia"),
        ("class", "class"),  # a double s is not a plural
    ],
)
def test_lemma(word, expected):
    assert lemma(word) == expected


TANKER = "A fuel tanker exploded near the Wadi Halfa ferry port, the governor said."
TANKER_AGAIN = "The governor of the Wadi Halfa district said the fuel tanker blew up at the port."
VOTE = "Parliament postponed the vote on the budget until the end of the session."


@pytest.mark.parametrize(
    ("a", "b", "low", "high"),
    [
        (TANKER, TANKER, 0.999, 1.001),
        (TANKER, TANKER_AGAIN, 0.4, 0.99),  # one event in other words
        (TANKER, VOTE, 0.0, 0.05),
        ("", TANKER, 0.0, 0.0),
    ],
)
def test_cosine(a, b, low, high):
    assert low <= cosine(profile(a), profile(b)) <= high


def test_words_every_attack_report_uses_weigh_less_than_a_name():
    generic = "Gunmen killed people in an attack on the hospital, officials said."
    named = "Gunmen killed people in an attack on Tessaoua, officials said."
    other = "Residents said people were killed in an attack near Tessaoua."
    # `other` shares the generic words with both, and the name with one only
    assert cosine(profile(named), profile(other)) > cosine(profile(generic), profile(other))
    assert shared_terms(profile(named), profile(other), 1) == ["tessaoua"]
