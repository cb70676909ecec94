"""The shipped attribution tagger, on sentences written for these tests."""

from __future__ import annotations

import pytest

from eventledger.stages.claims.tagger import KINDS, MODEL_VERSION, load_tagger


@pytest.fixture(scope="module")
def tagged(annotator):
    tagger = load_tagger()

    def run(text: str) -> dict[str, list[str]]:
        sdoc = annotator.nlp(text)
        (spans,) = tagger.tag([sdoc])
        return {k: [sdoc[a:b].text for a, b in spans[k]] for k in KINDS}

    return run


def test_the_model_loads_once_and_knows_its_version():
    assert load_tagger() is load_tagger()
    tagger = load_tagger()
    assert tagger.meta["version"] == MODEL_VERSION
    assert "say" in tagger.cue_words
    assert set(tagger.meta["dev_exact_f1"]) == set(KINDS)


def test_a_reported_statement_with_an_apposition():
    out = tagged(
        "Maria Lopez, a spokeswoman for the agency, said that the clinic would reopen next week."
    )
    assert out["source"] == ["Maria Lopez, a spokeswoman for the agency"]
    assert out["cue"] == ["said"]
    assert out["content"] == ["that the clinic would reopen next week"]


def test_an_inverted_direct_quote():
    out = tagged('"We have no fuel left for the generators," the hospital director told reporters.')
    assert out["source"] == ["the hospital director"]
    assert out["cue"] == ["told reporters"] or out["cue"] == ["told"]
    assert out["content"] == ['"We have no fuel left for the generators,"']


def test_according_to_is_one_cue():
    out = tagged("According to the regional governor, four bridges were destroyed overnight.")
    assert out["cue"] == ["According to"]
    assert out["source"] == ["the regional governor"]
    assert out["content"] == ["four bridges were destroyed overnight"]


def test_a_sentence_without_attribution_has_no_cue():
    out = tagged("The bridge over the river was destroyed overnight.")
    assert out["cue"] == [] and out["source"] == []
