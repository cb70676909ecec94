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


def test_a_reported_statement_with_an_apposition(tagged):
    out = tagged(
        "Maria Lopez, a spokeswoman for the agency, said that the clinic would reopen next week."
    )
    # PolNeAR's source spans keep the comma that closes the apposition
    assert out["source"] == ["Maria Lopez, a spokeswoman for the agency,"]
    assert out["cue"] == ["said"]
    assert out["content"] == ["that the clinic would reopen next week"]


def test_an_inverted_direct_quote(tagged):
    out = tagged('"We have no fuel left for the generators," the hospital director told reporters.')
    assert out["source"] == ["the hospital director"]
    assert out["cue"] == ["told"]
    assert out["content"] == ['"We have no fuel left for the generators,"']


def test_according_to_is_one_cue_with_its_source(tagged):
    out = tagged("According to the regional governor, four bridges were destroyed overnight.")
    assert out["cue"] == ["According to"]
    assert out["source"] == ["the regional governor"]


def test_a_multi_word_cue_keeps_its_auxiliary_and_adverb(tagged):
    out = tagged("The opposition party has long opposed the new budget plan.")
    assert out["source"] == ["The opposition party"]
    assert out["cue"] == ["has long opposed"]
    assert out["content"] == ["the new budget plan"]


def test_an_embedded_belief_is_content_of_the_reporting_verb(tagged):
    out = tagged(
        "Local officials believe the militia has withdrawn from the town, a spokesman said."
    )
    assert out["cue"] == ["said"]
    assert "a spokesman" in out["source"]
    assert out["content"] == ["the militia has withdrawn from the town"]


def test_a_sentence_without_attribution_has_no_spans(tagged):
    out = tagged("The bridge over the river was destroyed overnight.")
    assert out == {"source": [], "cue": [], "content": []}


def test_paragraphs_tagged_together_match_each_alone(annotator):
    tagger = load_tagger()
    texts = [
        "The mayor has accused the army of shelling the market.",
        "",
        '"We will rebuild," she said.',
    ]
    sdocs = [annotator.nlp(t) for t in texts]
    together = tagger.tag(sdocs)
    assert together == [tagger.tag([d])[0] for d in sdocs]
    assert together[1] == {k: [] for k in KINDS}
    assert together[0]["cue"] == [(2, 4)]  # "has accused"


def test_cue_words_learned_from_training_data_are_in_the_model():
    # not in data/cues.toml: learned from PolNeAR train (training.learn_cue_words)
    assert {"describe", "express"} <= load_tagger().cue_words


def test_a_cue_outside_the_rules_lexicon_with_its_source_and_content(tagged):
    out = tagged("The health minister described the evacuation as chaotic and dangerous.")
    assert out["source"] == ["The health minister"]
    assert out["cue"] == ["described"]
    assert out["content"] == ["the evacuation as chaotic and dangerous"]


def test_a_noun_cue_keeps_its_light_verb_and_the_that_clause(tagged):
    out = tagged("Local doctors expressed concern that the clinic would run out of insulin.")
    assert out["cue"] == ["expressed concern"]
    assert out["content"] == ["that the clinic would run out of insulin"]
