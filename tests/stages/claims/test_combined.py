"""claims.model.v1: the rules' claims with the shipped tagger's span boundaries."""

from __future__ import annotations

import pytest

from eventledger.pipeline import build_stage
from eventledger.stages.claims import ClaimExtractor, TaggedClaimExtractor
from eventledger.stages.claims.tagger import MODEL_VERSION


@pytest.fixture(scope="module")
def both(settings, make_doc):
    rules = ClaimExtractor(settings)
    model = TaggedClaimExtractor(settings)

    def run(text: str):
        return rules(make_doc(text)).claims, model(make_doc(text)).claims

    return run


def _spans_match_text(claims, text):
    for c in claims:
        for ev in [*c.evidence, c.cue_evidence, c.content_evidence, c.source_evidence]:
            if ev is not None:
                assert ev.text == text[ev.start : ev.end]


def test_the_stage_is_registered_under_the_model_version(settings):
    stage = build_stage(f"claims.model.v{MODEL_VERSION}", settings)
    assert isinstance(stage, TaggedClaimExtractor)


def test_rule_claims_keep_speaker_and_stance_with_tagged_boundaries(both):
    text = "Maria Lopez, a spokeswoman for the agency, said that the clinic would reopen next week."
    rules, model = both(text)
    assert len(model) == len(rules) == 1
    r, m = rules[0], model[0]
    assert m.speaker.name == r.speaker.name
    assert m.stance == r.stance
    assert m.source_evidence.text == "Maria Lopez, a spokeswoman for the agency"
    assert m.cue_evidence.text == "said"
    assert m.content_evidence.text == "that the clinic would reopen next week"
    assert m.content == "the clinic would reopen next week"
    _spans_match_text(model, text)


def test_a_pronoun_source_the_rules_miss_takes_the_last_named_speaker(both):
    text = (
        "Governor Ana Reyes said the roads would stay closed. "
        "She has repeatedly opposed plans to reopen the border crossing this month."
    )
    rules, model = both(text)
    new = [c for c in model if c.cue_evidence.start > text.index("She")]
    assert not [c for c in rules if c.cue_evidence.start > text.index("She")]
    assert len(new) == 1
    assert new[0].speaker.name == "Governor Ana Reyes"
    assert new[0].speaker.evidence[0].text == "She"
    assert "opposed" in new[0].cue_evidence.text
    _spans_match_text(model, text)


def test_no_claim_without_a_source_to_name(both):
    text = "Plans to reopen the border crossing were opposed this month."
    _, model = both(text)
    assert all(c.speaker is not None for c in model)
