"""Claims on the bundled example articles (ingested once per session by `example_export`).

Expectations were written by reading the articles, not copied from the output.
"""

from __future__ import annotations

import pytest


def _doc_id(export: dict, prefix: str) -> str:
    ids = [d["id"] for d in export["documents"] if d["id"].startswith(prefix)]
    assert len(ids) == 1, ids
    return ids[0]


def _claim(export: dict, doc_prefix: str, content_part: str) -> dict:
    doc_id = _doc_id(export, doc_prefix)
    found = [
        c for c in export["claims"] if c["document_id"] == doc_id and content_part in c["content"]
    ]
    assert len(found) == 1, [c["content"] for c in export["claims"] if c["document_id"] == doc_id]
    return found[0]


@pytest.mark.parametrize(
    ("doc_prefix", "content_part", "pronoun", "speaker"),
    [
        # "... the incubators," she said yesterday  -> Hospital director Dr Nour Saadeh
        ("mo-2024-03-17-rafah", "Without the generator", "she", "Dr Nour Saadeh"),
        # "Two midwives were lightly injured by flying glass, it said." -> the ministry
        ("mo-2024-03-17-rafah", "Two midwives were lightly injured", "it", "ministry"),
        # "It said its aircraft had struck ..." after "The army denied the accusation."
        ("mo-2024-03-17-rafah", "its aircraft had struck", "it", "army"),
    ],
)
def test_speakers_resolved_through_pronouns(
    example_export, doc_prefix, content_part, pronoun, speaker
):
    claim = _claim(example_export, doc_prefix, content_part)
    sp = claim["speaker"]
    mention, *antecedent = sp["evidence"]
    assert mention["text"].lower() == pronoun
    assert speaker.lower() in sp["name"].lower()
    # The name's own evidence comes from earlier in the text than the pronoun.
    assert antecedent and antecedent[0]["end"] <= mention["start"]
    assert speaker.lower() in antecedent[0]["text"].lower()


def test_denial_is_linked_to_the_accusation(example_export):
    # "The army denied the accusation." answers "The health ministry accused the army ..."
    denial = _claim(example_export, "mo-2024-03-17-rafah", "the accusation")
    accusation = _claim(example_export, "mo-2024-03-17-rafah", "deliberately targeting")
    assert denial["stance"] == "deny"
    assert "army" in denial["speaker"]["name"].lower()
    assert accusation["stance"] == "accuse"
    assert "ministry" in accusation["speaker"]["name"].lower()
    assert denial["denies"] == accusation["id"]


def test_figure_claimant_comes_from_the_surrounding_claim(example_export):
    # "Hospital director Dr Nour Saadeh said 31 women and 17 newborns had been inside"
    doc_id = _doc_id(example_export, "mo-2024-03-17-rafah")
    claim = _claim(example_export, "mo-2024-03-17-rafah", "31 women and 17 newborns")
    figures = [
        f for f in example_export["figures"] if f["document_id"] == doc_id and "31" in f["text"]
    ]
    assert figures
    for fig in figures:
        assert fig["claim_id"] == claim["id"]
        assert fig["claimant"]["name"] == claim["speaker"]["name"] == "Dr Nour Saadeh"


def test_figure_without_attribution_has_no_claimant(example_export):
    # "... after a strike destroyed the hospital's generator room and killed a security
    # guard": the lead sentence's toll is the ministry's accusation context, but a figure
    # outside every claim's content must keep claimant null.
    doc_id = _doc_id(example_export, "mo-2024-03-17-rafah")
    claims = {c["id"]: c for c in example_export["claims"] if c["document_id"] == doc_id}
    for fig in example_export["figures"]:
        if fig["document_id"] == doc_id and fig["claim_id"] is None:
            assert fig["claimant"] is None
        elif fig["document_id"] == doc_id:
            ev = claims[fig["claim_id"]]["content_evidence"]
            assert ev["start"] <= fig["evidence"][0]["start"] < ev["end"]


def test_media_credit_is_the_channel_not_the_speaker(example_export):
    # "“We had just opened the doors ...,” a doctor at the clinic told AFP."
    claims = [c for c in example_export["claims"] if "We had just opened the doors" in c["content"]]
    assert claims
    for claim in claims:
        assert claim["channel"] == "Agence France-Presse"
        assert "doctor" in claim["speaker"]["name"].lower()
        assert "afp" not in claim["speaker"]["name"].lower()
