from __future__ import annotations

import pytest

from eventledger.stages.claims import ClaimExtractor


@pytest.fixture(scope="module")
def extract(settings, make_doc):
    stage = ClaimExtractor(settings)

    def run(text: str):
        return stage(make_doc(text))

    return run


def _assert_evidence_matches(doc):
    for claim in doc.claims:
        spans = [*claim.evidence, claim.cue_evidence, claim.content_evidence]
        if claim.speaker is not None:
            spans += claim.speaker.evidence
        for ev in spans:
            if ev is not None:
                assert ev.text == doc.text[ev.start : ev.end]


def _one(doc):
    assert len(doc.claims) == 1, [c.content for c in doc.claims]
    return doc.claims[0]


# -- direct quotes ---------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "contents", "speaker"),
    [
        (
            '"We have no fuel left for the generators," said Ahmed Ali. "Patients are dying."',
            ["We have no fuel left for the generators", "Patients are dying."],
            "Ahmed Ali",
        ),
        (
            "“We were sleeping when the shells hit,” said Mariam Osman, a resident of the town. "
            "“It was the worst night in the camp’s history.”",
            [
                "We were sleeping when the shells hit",
                "It was the worst night in the camp’s history.",
            ],
            "Mariam Osman",
        ),
        (
            "Ahmed Ali said: \"The hospitals' generators stopped after 48 hours' shelling.\"",
            ["The hospitals' generators stopped after 48 hours' shelling."],
            "Ahmed Ali",
        ),
        (
            '"The situation is catastrophic.\n\n"There is no water and no electricity," said Ahmed Ali, a nurse.',
            ['The situation is catastrophic.\n\n"There is no water and no electricity'],
            "Ahmed Ali",
        ),
        (
            "“They called the ward ‘a death trap’ for weeks,” said Ahmed Ali.",
            ["They called the ward ‘a death trap’ for weeks"],
            "Ahmed Ali",
        ),
    ],
    ids=["split-straight", "split-curly", "apostrophes", "multi-paragraph", "nested"],
)
def test_direct_quotes_keep_content_and_speaker(extract, text, contents, speaker):
    doc = extract(text)
    assert [c.content for c in doc.claims] == contents
    assert all(c.direct for c in doc.claims)
    assert {c.speaker.name for c in doc.claims} == {speaker}
    _assert_evidence_matches(doc)


def test_split_quote_second_part_keeps_the_cue(extract):
    doc = extract('"The wards are full," he said. "We are turning people away."')
    first, second = doc.claims
    assert second.cue == first.cue == "said"
    assert second.cue_evidence == first.cue_evidence
    assert second.speaker.evidence == first.speaker.evidence


def test_short_scare_quotes_are_not_claims(extract):
    doc = extract('The army described the area as a "safe zone" on Monday.')
    assert doc.claims == []


# -- indirect speech ---------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "speaker", "cue", "content"),
    [
        (
            "The ministry said that the hospital was hit.",
            "The ministry",
            "said",
            "the hospital was hit",
        ),
        ("The ministry said the hospital was hit.", "The ministry", "said", "the hospital was hit"),
        (
            "Five people were killed in the strike, the health ministry said.",
            "the health ministry",
            "said",
            "Five people were killed in the strike",
        ),
        (
            "According to the Sudan Doctors Network, the RSF shelled the market.",
            "the Sudan Doctors Network",
            "According to",
            "the RSF shelled the market",
        ),
        (
            "The RSF shelled the market, according to the Sudan Doctors Network.",
            "the Sudan Doctors Network",
            "according to",
            "The RSF shelled the market",
        ),
        (
            "Dr. Salma Idris told AFP that 12 people had died.",
            "Dr. Salma Idris",
            "told",
            "12 people had died",
        ),
        (
            "Health ministry spokesman Ashraf al-Qudra said on Wednesday that the hospital was out of service.",
            "Ashraf al-Qudra",
            "said",
            "the hospital was out of service",
        ),
        (
            "The director was quoted as saying the attack was deliberate.",
            "The director",
            "quoted as saying",
            "the attack was deliberate",
        ),
        (
            "The ministry accused the army of targeting the hospital.",
            "The ministry",
            "accused",
            "the army of targeting the hospital",
        ),
        ("The army denied targeting the hospital.", "The army", "denied", "targeting the hospital"),
        ("The RSF vowed to retake the city.", "The RSF", "vowed", "to retake the city"),
        (
            "The WHO warned that more hospitals could close.",
            "The WHO",
            "warned",
            "more hospitals could close",
        ),
        (
            "The WHO urged both sides to protect health workers.",
            "The WHO",
            "urged",
            "both sides to protect health workers",
        ),
        (
            "The ministry confirmed the deaths of three paramedics.",
            "The ministry",
            "confirmed",
            "the deaths of three paramedics",
        ),
        (
            "OCHA estimated that 40,000 people had fled.",
            "OCHA",
            "estimated",
            "40,000 people had fled",
        ),
        ("Residents reported heavy shelling overnight.", "Residents", "reported", "heavy shelling"),
        (
            "The governor added that the road was closed.",
            "The governor",
            "added",
            "the road was closed",
        ),
        (
            "The army claimed that the fighters used the clinic.",
            "The army",
            "claimed",
            "the fighters used the clinic",
        ),
        (
            "The director stated that the clinic had no power.",
            "The director",
            "stated",
            "the clinic had no power",
        ),
    ],
)
def test_indirect_speech_forms(extract, text, speaker, cue, content):
    claim = _one(extract(text))
    assert claim.speaker is not None and claim.speaker.name == speaker
    assert (claim.cue, claim.content, claim.direct) == (cue, content, False)
    assert claim.cue_evidence.text == cue
    # The evidence keeps the complementiser, as PolNeAR draws content spans.
    expected_ev = f"that {content}" if f" that {content}" in text else content
    assert claim.content_evidence.text == expected_ev


@pytest.mark.parametrize(
    ("text", "stance"),
    [
        ("The ministry said that the hospital was hit.", "assert"),
        ("The army denied that it had hit the hospital.", "deny"),
        ("The ministry accused the army of shelling the clinic.", "accuse"),
        ("The commander vowed to retake the town.", "vow"),
        ("The WHO warned that the clinic would close.", "warn"),
        ("UNICEF urged the parties to spare the children.", "urge"),
        ("The ministry confirmed that two medics died.", "confirm"),
        ("OCHA estimated that 40,000 people had fled.", "estimate"),
        ("Witnesses reported that drones struck the market.", "report"),
    ],
)
def test_stance_from_cue(extract, text, stance):
    assert _one(extract(text)).stance == stance


def test_statement_and_claims_that(extract):
    doc = extract("In a statement, the ministry condemned the attack on the clinic.")
    claim = _one(doc)
    assert claim.speaker.name == "the ministry"
    assert "attack on the clinic" in claim.content
    doc = extract("Hamas rejected claims that it used the hospital as a command centre.")
    nominal = [c for c in doc.claims if c.cue == "claims"]
    assert nominal and nominal[0].content == "it used the hospital as a command centre"
    assert nominal[0].speaker is None  # the claimant is not named


# -- speakers ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "name"),
    [
        # pronoun, next sentence
        (
            "Youssef Haddad said the hospital was hit. He added that two nurses died.",
            "Youssef Haddad",
        ),
        # pronoun, next paragraph, with an organisation in between
        (
            "Youssef Haddad said the hospital was hit. The army said it targeted fighters.\n\n"
            "He added that two nurses died.",
            "Youssef Haddad",
        ),
        # organisation pronoun skips the person in between
        (
            "The health ministry said the clinic closed. Youssef Haddad said nurses fled.\n\n"
            "It warned that more clinics could close.",
            "The health ministry",
        ),
        # "the official" takes the last speaker with that role
        (
            "Youssef Haddad, an official from the health ministry, said the hospital was hit.\n\n"
            "The official added that two nurses were among the dead.",
            "Youssef Haddad",
        ),
        # "the ministry" takes the last ministry
        (
            "The Sudanese health ministry said the clinic closed. The ministry added that staff fled.",
            "The Sudanese health ministry",
        ),
        # a named person introduced without a claim is still an antecedent
        (
            'Dr. Amal Nasser runs the clinic. "We have no fuel left for the generators," she said.',
            "Dr. Amal Nasser",
        ),
    ],
)
def test_speaker_resolution(extract, text, name):
    doc = extract(text)
    last = doc.claims[-1]
    assert last.speaker.name == name
    mention, *antecedent = last.speaker.evidence
    assert antecedent and antecedent[0].text == name
    assert mention.start > antecedent[0].start
    _assert_evidence_matches(doc)


@pytest.mark.parametrize(
    ("text", "name", "role", "affiliation"),
    [
        (
            "Youssef Haddad, an official from the health ministry, said the hospital was hit.",
            "Youssef Haddad",
            "official",
            "health ministry",
        ),
        (
            "Health ministry spokesman Ashraf al-Qudra said the hospital was out of service.",
            "Ashraf al-Qudra",
            "spokesman",
            "Health ministry",
        ),
        (
            "A spokesman for the army said the strike hit a depot.",
            "A spokesman for the army",
            "spokesman",
            "army",
        ),
        # an age and a count of children are no body the speaker speaks for
        (
            '"They shot everyone they saw," said Halima, a 34-year-old mother of five.',
            "Halima",
            "mother",
            None,
        ),
    ],
)
def test_apposition_and_role(extract, text, name, role, affiliation):
    sp = _one(extract(text)).speaker
    assert (sp.name, sp.role, sp.affiliation) == (name, role, affiliation)
    assert sp.evidence[0].text == name


# -- denials, media, precision -------------------------------------------------


def test_denial_linked_to_accusation(extract):
    doc = extract(
        "The ministry accused the army of targeting the hospital. "
        "The army denied targeting the hospital."
    )
    accusation, denial = doc.claims
    assert (accusation.stance, denial.stance) == ("accuse", "deny")
    assert denial.denies == accusation.id


def test_unrelated_denial_is_not_linked(extract):
    doc = extract(
        "The ministry accused the army of targeting the hospital. "
        "The mayor denied closing the bakery."
    )
    assert doc.claims[-1].stance == "deny"
    assert doc.claims[-1].denies is None


@pytest.mark.parametrize(
    ("text", "speaker", "channel"),
    [
        ("A nurse told AP that the ward was hit.", "A nurse", "Associated Press"),
        (
            "A witness told The Associated Press that soldiers entered the ward.",
            "A witness",
            "Associated Press",
        ),
        ("Dr. Salma Idris told Reuters that the clinic was shelled.", "Dr. Salma Idris", "Reuters"),
        ("Two health workers were killed, according to Reuters.", None, "Reuters"),
        (
            "The army said the strike was targeting fighters, according to Al Jazeera's reporting.",
            "The army",
            "Al Jazeera",
        ),
    ],
)
def test_media_credit_is_channel_not_speaker(extract, text, speaker, channel):
    claim = _one(extract(text))
    assert claim.channel == channel
    assert (claim.speaker.name if claim.speaker else None) == speaker
    _assert_evidence_matches(extract(text))


@pytest.mark.parametrize(
    "text",
    [
        "Shelling hit the town on Monday.",
        "The strike claimed 12 lives.",
        "The Associated Press could not independently verify the account.",
        "Two medics were killed when a drone struck the ambulance near the hospital.",
        "The attack added to tensions in the region.",
    ],
)
def test_no_claim_without_attribution(extract, text):
    assert extract(text).claims == []


def test_claim_records_are_complete(extract):
    doc = extract(
        "Youssef Haddad, an official from the health ministry, told AFP that 12 people had died. "
        '"The wards are full," he said.\n\n"We are turning people away."'
    )
    assert len(doc.claims) == 3
    for claim in doc.claims:
        assert claim.id.startswith("t1:cl") and claim.document_id == "t1"
        # Content is its evidence as read: no leading "that", no quotation marks.
        assert claim.content in claim.content_evidence.text
        ev = claim.evidence[0]
        assert ev.start <= claim.content_evidence.start and claim.content_evidence.end <= ev.end
    assert len({c.id for c in doc.claims}) == 3
    _assert_evidence_matches(doc)


# -- second pass: source phrases, transcripts, attitudes, outlets ---------


@pytest.mark.parametrize(
    ("text", "source", "name"),
    [
        (
            '"It is bad," said Len Burman, head of the centrist Tax Policy Center.',
            "Len Burman, head of the centrist Tax Policy Center",
            "Len Burman",
        ),
        (
            "Taxes would rise, Quentin Kidd, a political scientist at Newport University, said.",
            "Quentin Kidd, a political scientist at Newport University,",
            "Quentin Kidd",
        ),
        (
            "Rep. Trey Gowdy (R-S.C.) said the report was incomplete.",
            "Rep. Trey Gowdy (R-S.C.)",
            "Rep. Trey Gowdy",
        ),
    ],
)
def test_source_evidence_is_the_whole_noun_phrase(extract, text, source, name):
    claim = _one(extract(text))
    assert claim.source_evidence is not None
    assert claim.source_evidence.text == source
    assert claim.speaker is not None and claim.speaker.evidence[0].text.endswith(name)


def test_source_evidence_stops_before_the_cue(extract):
    doc = extract(
        "Attorney General Roy Cooper (D), McCrory's opponent in the election, "
        "said on Friday that the videos should be released."
    )
    claim = _one(doc)
    assert claim.source_evidence is not None
    assert claim.source_evidence.end <= claim.cue_evidence.start


@pytest.mark.parametrize(
    ("text", "speaker", "cue", "content"),
    [
        (
            '"Not a worthy representative for the nation." ― Oscar P. Quintero',
            "Oscar P. Quintero",
            "―",
            '"Not a worthy representative for the nation."',
        ),
        (
            '"PENCE: And that is why Donald Trump is on his way."',
            "PENCE",
            ":",
            "And that is why Donald Trump is on his way.",
        ),
    ],
)
def test_signed_quotes_and_transcript_turns(extract, text, speaker, cue, content):
    claim = _one(extract(text))
    assert claim.speaker is not None and claim.speaker.name == speaker
    assert claim.cue_evidence.text == cue
    assert claim.content_evidence.text == content


def test_a_colon_after_a_lower_case_word_is_no_transcript_turn(extract):
    assert extract("Note: the figures were updated on Monday.").claims == []


@pytest.mark.parametrize(
    ("text", "cue", "content"),
    [
        (
            "The governor bemoaned the unrest and said a curfew would continue.",
            "said",
            "a curfew would continue",
        ),
        ("The minister wants to reopen the crossing.", "wants", "to reopen the crossing"),
        (
            "Cruz called Trump a pathological liar.",
            "called",
            "Trump a pathological liar",
        ),
        (
            "But to prevent problems, he said, local officials should be vigilant.",
            "said",
            "local officials should be vigilant",
        ),
        (
            'He said the strike was "a clear violation of the law."',
            "said",
            'the strike was "a clear violation of the law."',
        ),
    ],
)
def test_more_indirect_cues(extract, text, cue, content):
    doc = extract(text)
    claim = _one(doc)
    assert claim.cue_evidence.text == cue
    assert claim.content_evidence.text == content
    _assert_evidence_matches(doc)


@pytest.mark.parametrize(
    "text",
    [
        "The ministry declined to comment on the report.",
        "Fighters refused to let the ambulances pass.",
        "The army did not say who the target was.",
        "The envoy was asked to leave the country.",
    ],
)
def test_acts_and_non_answers_are_not_claims(extract, text):
    assert extract(text).claims == []


def test_an_addressee_is_not_the_next_speaker(extract):
    doc = extract(
        "Dr Samir Abu Khalil said troops entered the compound. "
        '"They went room by room," he told Levant Wire by telephone. '
        "He added that three of those detained were nurses."
    )
    last = doc.claims[-1]
    assert last.cue == "added"
    assert last.speaker is not None and last.speaker.name == "Dr Samir Abu Khalil"


def test_the_articles_own_outlet_is_a_channel_not_a_speaker(make_doc, settings):
    from eventledger.stages.claims import ClaimExtractor

    doc = make_doc(
        "Dr Samir Abu Khalil said the wards were searched. "
        '"They went room by room," he told Harbour Ledger by telephone.'
    )
    doc.article.outlet = "Harbour Ledger"
    claims = ClaimExtractor(settings)(doc).claims
    told = [c for c in claims if c.direct]
    assert told and told[0].channel == "Harbour Ledger"
    assert told[0].speaker is not None and "Harbour" not in told[0].speaker.name


@pytest.mark.parametrize(
    ("text", "speaker", "opening"),
    [
        (
            "Victims of the shelling included four nurses and two drivers, "
            "the regional health office said.",
            "the regional health office",
            "Victims of the shelling",
        ),
        # the parse hangs "said" on the deed and its speakers on the killed
        (
            "A suicide bomber blew himself up at a restaurant late on Friday, killing 20 "
            "people and wounding dozens, police and a hospital official said on Saturday.",
            "police",
            "A suicide bomber blew himself up",
        ),
    ],
)
def test_a_final_speaker_the_parse_hung_on_the_content_is_the_speaker(
    extract, text, speaker, opening
):
    (claim,) = extract(text).claims
    assert claim.speaker.name == speaker
    assert claim.content.startswith(opening) and speaker not in claim.content


def test_a_claim_another_party_rejected_is_its_denial(extract):
    doc = extract(
        "The army said the clinic had been used as a weapons depot, a claim the "
        "health ministry rejected."
    )
    (denial,) = [c for c in doc.claims if c.stance == "deny"]
    assert denial.speaker.name == "the health ministry"
    assert denial.content == "the clinic had been used as a weapons depot"


def test_a_rejected_claim_without_a_speaker_of_its_own_is_the_clause_before_it(extract):
    doc = extract("Government troops shelled the camp, an accusation the army denied.")
    (denial,) = [c for c in doc.claims if c.stance == "deny"]
    assert denial.speaker.name == "the army"
    assert denial.content == "Government troops shelled the camp"


def test_a_second_subject_before_the_speaker_is_what_was_said(extract):
    doc = extract(
        "Israeli air strikes killed at least 38 Palestinians on Tuesday, health officials said."
    )
    (claim,) = doc.claims
    assert claim.speaker.name == "health officials"
    assert claim.content.startswith("Israeli air strikes killed at least 38")


@pytest.mark.parametrize(
    "text",
    [
        "The militia was accused of killing 15 villagers.",
        "The rebels have been blamed for the deaths of hundreds of civilians since 2017.",
        "Sudan's RSF accused of killing 15 in attack on hospital",
    ],
)
def test_the_accused_is_no_speaker(extract, text):
    assert [c for c in extract(text).claims if c.stance == "accuse"] == []


def test_an_accuser_still_accuses(extract):
    (claim,) = extract("Witnesses accused the militia of killing 15 villagers.").claims
    assert claim.stance == "accuse" and claim.speaker.name == "Witnesses"


@pytest.mark.parametrize("label", ["DRC", "KENYA", "SOUTH SUDAN"])
def test_a_headlines_country_label_is_no_speaker(extract, label):
    doc = extract(f"{label}: Rebels kill 18 in overnight attack on village")
    assert [c for c in doc.claims if c.cue == ":"] == []


def test_a_transcript_turn_still_speaks(extract):
    doc = extract("WALLACE: The governor said the convoy was attacked twice.")
    assert [c.speaker.name for c in doc.claims if c.cue == ":"] == ["WALLACE"]


@pytest.mark.parametrize(
    "text",
    [
        "The mayor said the bridge was shut.",
        "  Two lines,\nthen trailing spaces   \n\n\nand a last paragraph\u00a0 ",
        'NASSER: We stayed.\n\n"Quoted," she said.',
    ],
)
def test_a_paragraphs_length_is_its_texts_without_building_it(make_doc, text):
    from eventledger.stages.claims.rules import paragraph_length

    doc = make_doc(text)
    assert doc.paragraphs
    for offset, sdoc in doc.paragraphs:
        assert paragraph_length(sdoc) == len(sdoc.text)
        assert doc.text[offset : offset + paragraph_length(sdoc)] == sdoc.text
    assert paragraph_length(doc.paragraphs[0][1][:0].as_doc()) == 0


def test_a_verb_of_speech_parsed_as_a_third_conjunct_still_reports(extract):
    # "killed ... and injured ..., the head of the agency said": the small model
    # makes "said" a conjunct of the deeds
    doc = extract(
        "A drone attack on the hospital killed 70 people and injured 19 others, the "
        "head of the World Health Organization said on Sunday."
    )
    claim = _one(doc)
    assert claim.speaker.name == "the head of the World Health Organization"
    assert claim.content == "A drone attack on the hospital killed 70 people and injured 19 others"
    _assert_evidence_matches(doc)


def test_speakers_that_close_a_list_of_the_dead_speak(extract):
    # the small model makes the counted dead the subject of "said" and the
    # speakers more of the listed dead
    doc = extract(
        "An air strike hit a monastery early on Friday, killing at least 20 people who had "
        "sought shelter there, including four children, a resistance group and a local "
        "resident said."
    )
    claim = _one(doc)
    assert claim.speaker.name.startswith("a resistance group")
    assert "killing at least 20 people" in claim.content
    assert "resident" not in claim.content
    _assert_evidence_matches(doc)


def test_a_count_that_says_something_keeps_its_words(extract):
    doc = extract("Twenty residents said the soldiers had burned the clinic.")
    assert _one(doc).speaker.name == "Twenty residents"


def test_a_person_named_between_a_quote_and_its_cue_speaks(extract):
    # the small model parses "chief" as a verb and leaves "said" with no subject
    doc = extract('"Attacks on health care must stop," WHO chief Tedros Adhanom Ghebreyesus said.')
    assert _one(doc).speaker.name == "Tedros Adhanom Ghebreyesus"
    _assert_evidence_matches(doc)


def test_who_a_relative_clause_blames_is_the_noun_it_hangs_from(extract):
    doc = extract(
        "The Rapid Support Forces, which the group blamed for the attack, denied responsibility."
    )
    blamed = [c for c in doc.claims if c.cue == "blamed"]
    assert [c.content for c in blamed] == ["The Rapid Support Forces"]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        # a preposition in the name's own capitals belongs to the name
        ("An airstrike killed four workers, the charity Doctors Without Borders said.",
         "Doctors Without Borders"),
        ("Two reporters were detained, Reporters Without Borders said.",
         "Reporters Without Borders"),
        # a headline's capitalised place is no part of the speaker
        ("Four Workers Were Killed, Officials In Kabul Said.", "Officials"),
        # the name ends at the comma before its apposition; a bracket closes
        ("The UN agency for refugees, UNRWA, which runs the school, said it was hit twice.",
         "The UN agency for refugees"),
        ("The International Committee of the Red Cross (ICRC) said two medics were taken.",
         "The International Committee of the Red Cross (ICRC)"),
    ],
)  # fmt: skip
def test_where_a_speakers_name_begins_and_ends(extract, text, name):
    assert [c.speaker.name for c in extract(text).claims] == [name]
