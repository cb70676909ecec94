"""Figures read through the whole pipeline (claims feed their claimants), with
sentences written for these tests."""

from __future__ import annotations

import pytest

from eventledger.models import Article
from eventledger.pipeline import Document
from eventledger.pipeline.engine import Pipeline


@pytest.fixture(scope="module")
def run(settings):
    pipeline = Pipeline.from_settings(settings)

    def go(text: str) -> Document:
        art = Article(id="t", key="t", text=text, published="2024-03-14")
        return pipeline(Document(art))

    return go


def test_named_source_wins_over_an_impersonal_one(run):
    doc = run(
        "It is estimated that at least 40 people were killed in the attack, "
        "according to local witnesses."
    )
    (fig,) = [f for f in doc.figures if f.min == 40]
    assert fig.claimant is not None and "witnesses" in fig.claimant["name"]


@pytest.mark.parametrize(
    "text",
    [
        "The strike was followed by several rounds of gunfire from a helicopter.",
        "The jet dropped two bombs on a house in the village.",
    ],
)
def test_things_are_not_counts_of_people(run, text):
    assert [f for f in run(text).figures if f.kind != "other"] == []


def test_a_superlative_so_far_is_no_running_total(run):
    doc = run("At least 50 villagers were killed on Tuesday in one of the deadliest raids so far.")
    (fig,) = [f for f in doc.figures if f.min == 50]
    assert fig.scope == "incident"


def test_a_tally_so_far_is_cumulative(run):
    doc = run("At least 300 civilians have been killed so far in the offensive.")
    (fig,) = [f for f in doc.figures if f.min == 300]
    assert fig.scope == "cumulative"


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Fatalities in the raid included three nurses and two children.", 3),
        ("The dead included nine aid workers, the agency said.", 9),
    ],
)
def test_counts_listed_among_the_dead_are_killed(run, text, value):
    (fig,) = [f for f in run(text).figures if f.min == value]
    assert fig.kind == "killed"


def test_the_source_that_puts_the_toll_at_a_number_claims_it(run):
    doc = run("Some early reports from the resistance committee put the death toll at 57.")
    (fig,) = [f for f in doc.figures if f.min == 57]
    assert fig.kind == "killed" and "resistance committee" in fig.claimant["name"]


def test_the_number_of_people_killed_rising_to_a_count_is_a_toll(run):
    doc = run("The number of people killed in the raid has risen to at least 40, officials said.")
    (fig,) = [f for f in doc.figures if f.min == 40]
    assert fig.kind == "killed" and fig.claimant is not None


def test_schoolchildren_are_counted_as_children(run):
    doc = run("Gunmen abducted more than 280 schoolchildren from a school on Thursday.")
    (fig,) = doc.figures
    assert (fig.group, fig.kind, fig.min) == ("children", "hostages", 281)


def test_rounded_up_and_kidnapped_are_hostages(run):
    doc = run("More than 280 pupils had been rounded up and kidnapped by the gunmen.")
    (fig,) = doc.figures
    assert fig.kind == "hostages"


def test_left_injured_counts_the_injured_not_the_displaced(run):
    doc = run("The attack also left at least seven journalists and two police officers injured.")
    assert {(f.min, f.kind) for f in doc.figures} == {(7, "injured"), (2, "injured")}


def test_others_counted_next_keep_the_source_of_the_count_before(run):
    doc = run(
        "Shelling killed at least four people, including a nurse, officials say. "
        "At least 12 others were injured."
    )
    (fig,) = [f for f in doc.figures if f.min == 12]
    assert fig.kind == "injured" and fig.claimant["as_written"] == "officials"


@pytest.mark.parametrize(
    ("text", "value", "claimant"),
    [
        # the clause hangs from "statement"; the speaker is the verb's subject
        (
            "The nurses' union said in a statement that six nurses were killed on Monday.",
            6,
            "union",
        ),
        # a dateline parsed as the subject is no speaker
        (
            "HALBA, Lebanon: The regional health office says at least 20 people have been "
            "killed in a strike on a clinic.",
            20,
            "health office",
        ),
        # headline style: the participle hangs from the object of "say"
        ("Police say four teachers killed in overnight raid.", 4, "Police"),
        # an elided count goes on from the one it is coordinated with
        (
            "Local monitors put the day's death toll at 40, with 30 killed in the market "
            "and 10 in the camp.",
            10,
            "monitors",
        ),
    ],
)
def test_figure_claimant_through_the_clause(run, text, value, claimant):
    (fig,) = [f for f in run(text).figures if f.min == value]
    assert fig.claimant is not None and claimant in fig.claimant["as_written"]


def test_who_puts_the_number_of_people_abducted_at_a_count_claims_it(run):
    doc = run("Villagers put the number of people abducted at 14, including two nurses.")
    (fig,) = [f for f in doc.figures if f.min == 14]
    assert fig.claimant is not None and fig.claimant["name"] == "Villagers"


@pytest.mark.parametrize(
    "text",
    [
        "Sudan's RSF accused of killing 15 in attack on hospital",
        "The militia has been accused of killing 15 villagers in the raid.",
    ],
)
def test_the_accused_does_not_claim_the_toll_it_is_accused_of(run, text):
    (fig,) = [f for f in run(text).figures if f.min == 15]
    assert fig.claimant is None


def test_it_that_puts_the_toll_at_a_number_is_the_source_told_before(run):
    doc = run(
        "The Syrian Civil Defence said its volunteers had pulled bodies from the rubble. "
        "It put the death toll at nine, with more than 70 injured."
    )
    figs = {f.min: f for f in doc.figures}
    assert "Civil Defence" in figs[9].claimant["name"]
    assert figs[71].claimant == figs[9].claimant


def test_a_school_named_after_a_person_is_no_one_he_can_be(run):
    doc = run(
        "Police spokesman Khalid Omar said the blast happened outside the Abdul Rahim "
        "Shahid high school. Several students were among the wounded, he said."
    )
    (fig,) = [f for f in doc.figures if "students" in f.text]
    assert fig.claimant is not None and "Khalid Omar" in fig.claimant["name"]


@pytest.mark.parametrize(
    ("text", "value", "scope"),
    [
        (
            "The death toll in Gaza from the war has passed 40,000, the ministry said.",
            40000,
            "cumulative",
        ),
        ("The ministry said 92,401 people had been wounded since Oct. 7.", 92401, "cumulative"),
        ("The death toll from the market bombing passes 30, police said.", 30, "incident"),
        # a comparison with a period is no count over it
        (
            "The bombing killed 9 people on Thursday, the deadliest attack on the town since "
            "the war began.",
            9,
            "incident",
        ),
        (
            "Attacks have killed 140 people in the province since the insurgency began.",
            140,
            "cumulative",
        ),
    ],
)
def test_a_running_total_and_an_updated_toll(run, text, value, scope):
    (fig,) = [f for f in run(text).figures if f.min == value]
    assert fig.scope == scope


@pytest.mark.parametrize(
    ("text", "share"),
    [
        ("Israeli strikes killed at least 40 people across the Gaza Strip on Saturday, health "
         "officials said, including 12 in a strike on a school in Gaza City.", 12),
        ("Russian drones killed at least 12 civilians across Ukraine on Sunday, including six in "
         "an attack on a block of flats, officials said.", 6),
        ("Gunmen killed 20 people in two villages on Sunday, including 15 at Kuriga, "
         "officials said.", 15),
    ],
)  # fmt: skip
def test_a_bare_share_after_including_is_part_of_the_total_by_its_teller(run, text, share):
    # the share one attack or one place took: that incident's toll
    doc = run(text)
    (part,) = [f for f in doc.figures if f.min == share]
    (total,) = [f for f in doc.figures if f.id == part.part_of]
    assert (part.kind, part.scope) == ("killed", "incident")
    assert part.claimant is not None and part.claimant["name"] == total.claimant["name"]


def test_who_puts_the_toll_at_a_number_after_confirming_the_attack_gives_it(run):
    doc = run("A security source confirmed the attack but put the toll at 14 dead.")
    (fig,) = [f for f in doc.figures if f.min == 14]
    assert fig.claimant is not None and fig.claimant["name"] == "A security source"


def test_a_dateline_town_before_a_colon_is_a_place_not_a_speaker(run):
    doc = run(
        "Pakistan: gunmen attack polio team\n\n"
        "PESHAWAR: Unidentified gunmen opened fire on a polio vaccination team on Wednesday "
        "morning, wounding two health workers, officials said."
    )
    assert "PESHAWAR" in [doc.text[m.start : m.end] for m in doc.places]
    assert [c.speaker.name for c in doc.claims if c.speaker] == ["officials"]
    (fig,) = [f for f in doc.figures if f.min == 2]
    assert fig.claimant["name"] == "officials"


def test_aid_workers_of_a_medical_charity_are_health_workers(run):
    doc = run(
        "Gunmen killed two aid workers from a medical charity and a driver in an ambush on "
        "Friday, the charity said."
    )
    (workers,) = [f for f in doc.figures if f.min == 2]
    assert workers.group == "health_workers"


def test_a_national_red_cross_society_is_not_the_icrc(run):
    doc = run(
        "An ambulance driver was killed on Tuesday when a drone struck his vehicle, the "
        "Lebanese Red Cross said."
    )
    (fig,) = [f for f in doc.figures if f.kind == "killed"]
    assert fig.claimant["name"] != "International Committee of the Red Cross"
