"""claims.model.v2: the rules' claims with the shipped tagger's span boundaries."""

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
    text = "Rebel commander Abu Salem has vowed to retake the town."
    rules, model = both(text)
    assert len(model) == len(rules) == 1
    r, m = rules[0], model[0]
    assert r.cue_evidence.text == "vowed"
    assert m.cue_evidence.text == "has vowed"
    assert (m.speaker.name, m.stance, m.content) == (r.speaker.name, r.stance, r.content)
    _spans_match_text(model, text)


def test_a_content_boundary_from_the_tagger(both):
    text = "Maria Lopez, a spokeswoman for the agency, said that the clinic would reopen next week."
    _, model = both(text)
    (m,) = model
    assert m.source_evidence.text == "Maria Lopez, a spokeswoman for the agency,"
    assert m.content_evidence.text == "that the clinic would reopen next week"
    assert m.content == "the clinic would reopen next week"


def test_a_cue_the_rules_miss_becomes_a_claim(both):
    text = "Senator Tom Okafor slammed the decision as reckless and dangerous."
    rules, model = both(text)
    assert rules == []
    (m,) = model
    assert m.speaker.name == "Senator Tom Okafor"
    assert m.cue_evidence.text == "slammed"
    assert m.content_evidence.text == "the decision as reckless and dangerous"
    assert not m.direct
    _spans_match_text(model, text)


def test_a_pronoun_source_takes_the_last_named_speaker(settings, make_doc):
    stage = TaggedClaimExtractor(settings)
    text = (
        "Senator Tom Okafor spoke in the capital on Monday. "
        "Governor Ana Reyes said the roads would stay closed. "
        "She slammed the decision as reckless."
    )
    doc = stage(make_doc(text))
    new = [c for c in doc.claims if c.cue_evidence.text == "slammed"]
    assert len(new) == 1
    assert new[0].speaker.name == "Governor Ana Reyes"
    assert new[0].speaker.evidence[0].text == "She"
    _spans_match_text(doc.claims, text)


def test_a_negated_cue_makes_no_claim(both):
    _, model = both("The army did not say who the target was.")
    assert model == []


def test_a_quotation_after_an_indirect_claim_goes_on_with_its_speaker(both):
    text = (
        "Governor Ana Reyes said the roads would stay closed. "
        '"We will not reopen them until the shelling stops. The bridges are too damaged."'
    )
    rules, model = both(text)
    assert len(rules) == 1  # the rules carry a quote on only after another quote
    first, carried = model
    assert carried.speaker.name == first.speaker.name == "Governor Ana Reyes"
    assert carried.content_evidence.text == text[text.index('"') :]
    assert carried.direct and carried.cue_evidence == first.cue_evidence
    assert carried.source_evidence == first.source_evidence
    _spans_match_text(model, text)


def test_a_quotation_with_no_claim_before_it_gets_no_speaker(both):
    text = (
        "The market was hit at noon and burned for hours. "
        '"Everyone ran toward the river and nobody stopped to help."'
    )
    _, model = both(text)
    assert model == []


def test_unheld_skips_spans_overlapping_what_is_held_as_it_grows(make_doc):
    from eventledger.stages.claims.combined import unheld

    text = "The mayor spoke. The clinic closed. The clinic reopened."
    doc = make_doc(text)
    first, second, third = (text.index(w) for w in ("The mayor", "The clinic closed", "reopened"))
    spans = [
        (first, first + 9),
        (second, second + 10),
        (second + 4, second + 17),
        (third, third + 8),
    ]
    held = [doc.evidence(first, first + 3)]
    seen = []
    for span, sentence in unheld(doc, spans, held):
        seen.append((doc.text[span[0] : span[1]], doc.text[sentence.start : sentence.end].strip()))
        held.append(doc.evidence(*span))  # a span taken hides the ones overlapping it
    assert seen == [
        ("The clinic", "The clinic closed."),
        ("reopened", "The clinic reopened."),
    ]
