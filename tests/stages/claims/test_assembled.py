"""claims.model.v3: v2's claims, with half-tagged attributions completed from the parse."""

from __future__ import annotations

import pytest

from eventledger.pipeline import build_stage
from eventledger.stages.claims import CompletedClaimExtractor, TaggedClaimExtractor


@pytest.fixture(scope="module")
def both(settings, make_doc):
    v2 = build_stage("claims.model.v2", settings)
    v3 = build_stage("claims.model.v3", settings)

    def run(text: str):
        return v2(make_doc(text)).claims, v3(make_doc(text)).claims

    return run


def _spans(claim):
    return tuple(
        ev.text if ev is not None else None
        for ev in (claim.source_evidence, claim.cue_evidence, claim.content_evidence)
    )


def test_v3_and_v2_still_build(settings):
    assert isinstance(build_stage("claims.model.v3", settings), CompletedClaimExtractor)
    v2 = build_stage("claims.model.v2", settings)
    assert isinstance(v2, TaggedClaimExtractor)
    assert not isinstance(v2, CompletedClaimExtractor)


def test_a_tagged_cue_takes_its_object_from_the_parse(both):
    # The tagger draws the source and the cue but no content here.
    v2, v3 = both("Senator Dana Reyes questioned the integrity of the count.")
    assert v2 == []
    (claim,) = v3
    assert _spans(claim) == ("Senator Dana Reyes", "questioned", "the integrity of the count")
    assert claim.speaker.name == "Senator Dana Reyes"


def test_a_subject_that_names_no_one_makes_no_claim(both, settings, make_doc):
    # "refused" is tagged with its content, but no source; the parse's subject
    # is a noun phrase that names no speaker.
    text = "Militiamen at the bridge searched the trucks and refused to let the drivers cross."
    _, v3 = both(text)
    assert v3 == []
    stage = build_stage("claims.model.v3", settings)
    doc = make_doc(text)
    start = text.index("Militiamen at the bridge")
    assert not stage._names_someone(doc, (start, start + len("Militiamen at the bridge")))
    named = "Governor Ada Obi"
    doc = make_doc(f"{named} refused to sign the order.")
    assert stage._names_someone(doc, (0, len(named)))


def test_a_rule_content_holding_its_cue_gives_way_to_the_tagged_one(both):
    v2, v3 = both("The council approved a budget, which the mayor says will fund new clinics.")
    says = [c for c in v2 if c.cue == "says"]
    assert says[0].content_evidence.text == "which the mayor says will fund new clinics"
    (claim,) = [c for c in v3 if c.cue == "says"]
    assert _spans(claim) == ("the mayor", "says", "will fund new clinics")
    assert claim.content == "will fund new clinics"


def test_a_count_keeps_the_content_that_holds_it(both):
    # Cutting the content to the tagged piece would leave "12" out of it.
    _, v3 = both("The council approved a budget, which 12 council members say will fund clinics.")
    (claim,) = [c for c in v3 if c.cue == "say"]
    assert claim.content_evidence.text.startswith("which 12 council members say")
    assert claim.speaker.name == "12 council members"


def test_an_indirect_rule_claim_the_tagger_does_not_see_is_dropped(both):
    v2, v3 = both("It is necessary to show that the fund has nothing to hide.")
    assert [c.cue for c in v2] == ["show"]
    assert v3 == []


def test_a_rule_claim_with_a_count_stays(both):
    _, v3 = both("The ministry has confirmed 14 strikes on clinics this month.")
    (claim,) = v3
    assert _spans(claim) == ("The ministry", "has confirmed", "14 strikes on clinics")


def test_a_quote_cut_in_two_gives_two_claims_of_one_speaker(both):
    text = '"We will stay," the mayor said, "and we will rebuild the school before winter."'
    _, v3 = both(text)
    assert [c.content_evidence.text for c in v3] == [
        '"We will stay,"',
        '"and we will rebuild the school before winter."',
    ]
    assert {c.speaker.name for c in v3} == {"the mayor"}
    assert {c.cue_evidence.text for c in v3} == {"said"}
    for c in v3:
        for ev in (*c.evidence, c.cue_evidence, c.content_evidence, c.source_evidence):
            assert ev.text == text[ev.start : ev.end]


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ('"The water is gone," the engineer said, "and the pumps have failed."', True),
        # the addressee between cue and quote: not an adjacent second piece
        ('"The water is gone," the engineer told reporters, "and the pumps failed."', False),
    ],
)
def test_the_tagged_piece_right_after_source_and_cue_is_a_second_claim(
    settings, make_doc, text, found
):
    stage = build_stage("claims.model.v3", settings)
    doc = stage(make_doc(text))
    first = doc.claims[0]
    assert first.content_evidence.text == '"The water is gone,"'
    doc.claims = [first]
    start = text.index('"and')
    spans = {"source": [], "cue": [], "content": [(start, len(text))]}
    pieces = stage._second_pieces(doc, spans)
    if not found:
        assert pieces == []
        return
    (piece,) = pieces
    assert piece.content_evidence.text == text[start:]
    assert piece.speaker.name == first.speaker.name
    assert piece.cue_evidence == first.cue_evidence
    assert piece.id != first.id


def test_a_source_that_ends_its_sentence_leaves_the_full_stop_out(settings, make_doc, monkeypatch):
    from eventledger.stages.claims import assembled

    text = '"The clinic will open again," said Amina Bello.'
    quote = text.index(",") + 2
    name = text.index("Amina")
    # The tagger's spans, with the full stop inside the source as it sometimes draws it.
    spans = {
        "source": [(name, len(text))],
        "cue": [(quote + 1, quote + 5)],
        "content": [(0, quote)],
    }
    monkeypatch.setattr(assembled, "tagged_spans", lambda doc, tagger: spans)
    stage = build_stage("claims.model.v3", settings)
    (claim,) = stage(make_doc(text)).claims
    assert claim.cue_evidence.text == "said"
    assert claim.source_evidence.text == "Amina Bello"


@pytest.mark.parametrize(
    ("source", "trimmed"),
    [
        ("Amina Bello.", True),
        ("officials.", True),
        ("Martin Luther King Jr.", False),
        ("the U.S.", False),
        ("Acme Inc.", False),
        ("NATO.", False),
        ("Amina Bello", False),
    ],
)
def test_which_full_stops_a_source_gives_up(source, trimmed):
    from eventledger.stages.claims.assembled import _ends_sentence

    assert _ends_sentence(source) is trimmed


def test_v4_is_v3_with_the_bilstm_tagger(settings):
    from eventledger.stages.claims.assembled import NeuralClaimExtractor
    from eventledger.stages.claims.lstm import load_lstm_tagger

    v4 = build_stage("claims.model.v4", settings)
    assert isinstance(v4, NeuralClaimExtractor)
    assert isinstance(v4, CompletedClaimExtractor)
    assert v4.tagger is load_lstm_tagger()
    assert build_stage("claims.model.v3", settings).tagger is not v4.tagger


def test_v4_completes_a_cue_its_tagger_draws_without_content(settings, make_doc):
    # the BiLSTM draws "According to" and its source but no content; the claim
    # still has the clause, as v3's has
    v4 = build_stage("claims.model.v4", settings)
    text = "According to the district governor, the convoy was stopped at the border."
    (claim,) = v4(make_doc(text)).claims
    assert _spans(claim) == (
        "the district governor",
        "According to",
        "the convoy was stopped at the border",
    )
    assert claim.speaker.name == "the district governor"


@pytest.mark.parametrize("name", ["claims.model.v3", "claims.model.v5"])
def test_a_verb_of_violence_is_no_cue_in_a_conflict_headline(settings, make_doc, name):
    stage = build_stage(name, settings)
    doc = stage(make_doc("Militants attack military base in Niger, killing 17 soldiers"))
    assert [c.cue for c in doc.claims] == []
    # what a critic attacks a policy for is still a claim
    doc = stage(make_doc("The senator attacked the minister over the failed talks."))
    assert [c.cue for c in doc.claims] == ["attacked"]
