"""claims.model.v5: v4's BiLSTM tagger, with a combination that publishes more of its spans."""

from __future__ import annotations

import pytest

from eventledger.pipeline import build_stage
from eventledger.stages.claims import RetunedClaimExtractor
from eventledger.stages.claims.assembled import NeuralClaimExtractor


@pytest.fixture(scope="module")
def both(claims_side_by_side):
    return claims_side_by_side("claims.model.v4", "claims.model.v5")


def test_v5_injects_v4s_tagger_and_v6_runs_it_by_default(settings):
    # v6 gives v5's claims for less (docs/models.md): v5 itself is not in the pipeline
    assert "claims.model.v6" in settings.pipeline
    assert "claims.model.v5" not in settings.pipeline
    v5 = build_stage("claims.model.v5", settings)
    assert isinstance(v5, RetunedClaimExtractor)
    assert isinstance(v5, NeuralClaimExtractor)
    assert v5.tagger is build_stage("claims.model.v4", settings).tagger


def test_a_negated_cue_is_a_claim(both, claim_spans):
    v4, v5 = both("The council has not accepted that the water plant was hit.")
    assert v4 == []
    (claim,) = v5
    assert claim_spans(claim) == ("The council", "has not accepted", "that the water plant was hit")
    assert claim.speaker.name == "The council"


@pytest.mark.parametrize(
    "text",
    [
        "The army did not say who fired the shells.",
        "The ministry would not say whether the nurses had been freed.",
    ],
)
def test_a_cue_saying_nothing_was_said_is_no_claim(both, text):
    assert both(text) == ([], [])


def test_an_unresolved_pronoun_keeps_its_source_with_no_speaker(both, claim_spans):
    # "he" opens the report: no named claim before it to resolve it to.
    v4, v5 = both("Asked about the raid, he insisted the clinic had sheltered no fighters.")
    assert [claim_spans(c) for c in v4] == [
        ("he", "insisted", "the clinic had sheltered no fighters")
    ]
    asked = [c for c in v5 if c.cue_evidence.text == "Asked about"]
    assert [(claim_spans(c), c.speaker) for c in asked] == [
        (("he", "Asked about", "the raid"), None)
    ]
    assert any(claim_spans(c) == claim_spans(v4[0]) for c in v5)


def test_a_subject_that_names_no_one_still_makes_no_claim(both):
    assert both("Soldiers at the gate searched the ambulances and questioned the drivers.") == (
        [],
        [],
    )


def test_a_tagged_content_after_another_cue_piece_is_the_speakers_too(both, claim_spans):
    text = '"We will rebuild the ward," the mayor told reporters on Sunday, "whatever it costs us."'
    v4, v5 = both(text)
    assert [claim_spans(c)[2] for c in v4] == ['"We will rebuild the ward,"']
    assert [claim_spans(c)[2] for c in v5] == [
        '"We will rebuild the ward,"',
        '"whatever it costs us."',
    ]
    assert {(c.speaker.name, c.cue_evidence.text) for c in v5} == {("the mayor", "told")}


def test_an_apposition_after_the_attribution_is_no_claim(both, claim_spans):
    text = (
        "Gunmen seized two nurses near the market on Friday, a relief group said, "
        "the third such attack this month."
    )
    v4, v5 = both(text)
    assert "the third such attack this month" in [claim_spans(c)[2] for c in v4]
    assert [claim_spans(c)[2] for c in v5] == ["Gunmen seized two nurses near the market on Friday"]


def test_an_unseen_claim_inside_another_claims_content_is_dropped(both, claim_spans):
    # the rules find "a survey shows" (v3 keeps it for its count); the tagger, like
    # PolNeAR's annotators, marks only the outer attribution
    text = "The mayor said a survey shows 40 homes were destroyed in the shelling."
    v4, v5 = both(text)
    outer = ("The mayor", "said", "a survey shows 40 homes were destroyed in the shelling")
    assert [claim_spans(c) for c in v4] == [
        outer,
        ("a survey", "shows", "40 homes were destroyed in the shelling"),
    ]
    assert [claim_spans(c) for c in v5] == [outer]


def test_a_rule_claim_with_a_count_outside_any_content_stays(both, claim_spans):
    v4, v5 = both("The ministry has confirmed 14 strikes on clinics.")
    assert [claim_spans(c) for c in v5] == [claim_spans(c) for c in v4] != []


@pytest.mark.parametrize(
    "text",
    [
        "A shell killed two nurses at the gate of the hospital on Monday, the hospital's "
        "medical director said, as artillery fire hit the city for a third day.",
        "Gunmen abducted three aid workers near the camp, the agency said, while fighting "
        "raged in the hills to the north.",
    ],
)
def test_a_clause_that_sets_the_scene_after_the_cue_is_the_reporters(settings, make_doc, text):
    claims = build_stage("claims.model.v6", settings)(make_doc(text)).claims
    scene = text.split("said, ")[1]
    assert claims
    assert all(scene[:15] not in (c.content or "") for c in claims)
    assert all(not (c.content_evidence.text or "").startswith(("as ", "while ")) for c in claims)


def test_a_tagged_relative_pronoun_is_no_claim_of_its_own(settings, make_doc):
    doc = build_stage("claims.model.v6", settings)(
        make_doc(
            "The Rapid Support Forces, which the group blamed for the attack, denied "
            "responsibility."
        )
    )
    assert all((c.content or "").strip().lower() not in ("which", "who") for c in doc.claims)


def test_a_headline_of_the_feared_dead_makes_no_claim(settings, make_doc):
    stage = build_stage("claims.model.v6", settings)
    assert stage(make_doc("Dozens feared dead after drone strike on Sudan market")).claims == []


def test_a_tagged_content_running_back_into_the_sentence_before_is_not_taken(settings, make_doc):
    doc = build_stage("claims.model.v6", settings)(
        make_doc(
            "The prosecutors' office said it had opened an investigation into the killing of "
            "the reporter, who ran a local news website. At least five journalists have been "
            "killed in the country this year, according to press freedom groups."
        )
    )
    (according,) = [c for c in doc.claims if c.cue == "according to"]
    assert according.content.startswith("At least five journalists")


def test_a_headlines_topic_before_its_colon_is_no_speaker(settings, make_doc):
    # "Colombia: ..." names what the story is about; "Police: ..." who says it
    places = build_stage("places.ranked.v2", settings)
    claims = build_stage("claims.model.v6", settings)
    doc = claims(
        places(
            make_doc(
                "Colombia: ELN attack on army base kills two soldiers\n\n"
                "Rebels attacked a military base in the northeastern department of Arauca on "
                "Tuesday, killing two soldiers, the army said."
            )
        )
    )
    assert [c.speaker.name for c in doc.claims if c.speaker] == ["the army"]


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        ("A bomb struck a hospital on Monday, injuring seven people, the city's mayor Ihor "
         "Terekhov said.", "the city's mayor Ihor Terekhov"),
        # the parse hangs the title and the name on the counted children
        ("A guided bomb struck a children's hospital on Monday afternoon, injuring seven people "
         "including three children, the city's mayor Ihor Terekhov said.", "Ihor Terekhov"),
    ],
)  # fmt: skip
def test_a_title_runs_into_the_speakers_name(settings, make_doc, text, speaker):
    doc = build_stage("claims.model.v6", settings)(make_doc(text))
    assert [c.speaker.name for c in doc.claims if c.speaker] == [speaker]
