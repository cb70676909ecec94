from __future__ import annotations

import pytest

from eventledger.pipeline import Pipeline
from eventledger.stages.events import AcledWide, EventRules
from eventledger.stages.figures import FigureRules


@pytest.fixture(scope="module")
def stages(settings):
    return FigureRules(settings), EventRules(settings), AcledWide(settings)


@pytest.fixture(scope="module")
def wide(stages, make_doc):
    """The document's events after the rules and the wide stage."""
    figures, rules, stage = stages

    def run(text):
        return stage(rules(figures(make_doc(text)))).events

    return run


@pytest.fixture(scope="module")
def rules_only(stages, make_doc):
    figures, rules, _ = stages

    def run(text):
        return rules(figures(make_doc(text))).events

    return run


def _first(events):
    told = [e for e in events if e.factuality == "asserted"] or events
    return told[0] if told else None


@pytest.mark.parametrize(
    ("text", "subtype", "type_"),
    [
        # Battles: who took the place decides
        ("Army troops recaptured the river town from the rebels on Sunday.",
         "Government regains territory", "Battles"),
        ("Insurgents seized control of the northern district after a night of fighting.",
         "Non-state actor overtakes territory", "Battles"),
        ("Militia fighters took over three villages near the border.",
         "Non-state actor overtakes territory", "Battles"),
        ("The rebels withdrew from the mining town under a deal with the army.",
         "Non-violent transfer of territory", "Strategic developments"),
        # Strategic developments
        ("Bomb disposal experts defused an IED left on the main road.",
         "Disrupted weapons use", "Strategic developments"),
        ("Police seized six rifles and a box of ammunition from a farmhouse.",
         "Disrupted weapons use", "Strategic developments"),
        ("Air defences shot down two drones over the port.",
         "Disrupted weapons use", "Strategic developments"),
        ("The army set up a new military base outside the valley town.",
         "Headquarters or base established", "Strategic developments"),
        ("The government deployed two thousand troops to the eastern province.",
         "Change to group/activity", "Strategic developments"),
        ("The two armed groups signed a ceasefire agreement in the capital on Friday.",
         "Agreement", "Strategic developments"),
        ("The warring parties swapped forty prisoners at the frontline crossing.",
         "Agreement", "Strategic developments"),
        # Explosions and violence against civilians
        ("A man threw a grenade into a crowded cafe, wounding six people.",
         "Grenade", "Explosions/Remote violence"),
        ("Two people were hurt in a grenade attack on a shop.",
         "Grenade", "Explosions/Remote violence"),
        ("Helicopters dropped barrels of chlorine gas on the suburb, residents said.",
         "Chemical weapon", "Explosions/Remote violence"),
        ("Soldiers raped two women during a raid on the village.",
         "Sexual violence", "Violence against civilians"),
        # Riots
        ("An angry mob beat a suspected thief to death in the market.",
         "Mob violence", "Riots"),
        ("Protesters threw stones at the police and set fire to cars.",
         "Violent demonstration", "Riots"),
        # Protests
        ("Police fired tear gas to disperse hundreds of protesters outside parliament.",
         "Protest with intervention", "Protests"),
        ("Security forces opened fire on the demonstrators, killing four of them.",
         "Excessive force against protesters", "Protests"),
        ("Thousands of teachers held a peaceful protest over pay in the capital.",
         "Peaceful protest", "Protests"),
    ],
)  # fmt: skip
def test_the_first_event_takes_acleds_sub_event_type(wide, text, subtype, type_):
    ev = _first(wide(text))
    assert ev is not None
    assert (ev.subtype, ev.type) == (subtype, type_)
    assert ev.plover and ev.plover.get("event")


@pytest.mark.parametrize(
    "text",
    [
        "The two armed groups signed a ceasefire agreement in the capital on Friday.",
        "Army troops recaptured the river town from the rebels on Sunday.",
        "The army set up a new military base outside the valley town.",
    ],
)
def test_the_default_rules_tell_none_of_these(rules_only, text):
    # the wide stage adds them; the default pipeline stays on attacks
    assert [e.subtype for e in rules_only(text)] == []


def test_an_attack_on_a_checkpoint_is_an_armed_clash(wide):
    ev = _first(wide("Gunmen attacked an army checkpoint on the highway overnight."))
    assert (ev.type, ev.subtype) == ("Battles", "Armed clash")


def test_an_attack_on_villagers_stays_an_attack(wide):
    ev = _first(wide("Gunmen attacked villagers returning from the market, killing three."))
    assert ev.subtype == "Attack"


def test_a_ceasefire_broken_by_shelling_is_shelling(wide):
    # the shelling is the main clause; the ceasefire only what it broke
    ev = _first(wide("Heavy shelling hit the town on Monday, breaking a week-long ceasefire."))
    assert ev.subtype == "Shelling/artillery/missile attack"


def test_a_ceasefire_agreed_after_fighting_is_the_agreement(wide):
    events = wide("Both armies agreed to a ceasefire after two weeks of fighting, an officer said.")
    assert _first(events).subtype == "Agreement"
    assert "Armed clash" in [e.subtype for e in events]  # the fighting is kept


def test_a_protest_planned_or_a_riot_squad_tells_no_protest(wide):
    assert wide("Police arrested ten activists ahead of a planned protest.")[0].subtype == "Arrests"
    assert [e.subtype for e in wide("Riot police guarded the ministry all day.")] == []


def test_a_protest_about_a_killing_stays_peaceful(wide):
    ev = _first(wide("Students marched peacefully in a protest over the killing of a teenager."))
    assert ev.subtype == "Peaceful protest"


def test_a_month_named_march_is_no_protest(wide):
    ev = _first(wide("A roadside bomb killed two soldiers on 12 March near the border."))
    assert ev.subtype != "Peaceful protest"


def test_a_chemical_leak_is_no_chemical_weapon(wide):
    events = wide("Toxic gas leaked from a fertiliser plant, and forty workers were hurt.")
    assert "Chemical weapon" not in [e.subtype for e in events]


def test_a_weapon_seized_is_no_bomb_told(wide):
    # the rules read "landmines" as a bomb; seized, it is a disrupted weapon
    ev = _first(wide("Soldiers seized four landmines and a detonator in a cave."))
    assert ev.subtype == "Disrupted weapons use"


def test_a_new_event_has_its_evidence_and_doer(wide):
    ev = _first(wide("Army troops recaptured the river town from the rebels on Sunday."))
    assert ev.trigger == "recaptured"
    assert ev.evidence and ev.evidence[0].text == "recaptured"
    assert [a.name for a in ev.actors if a.role == "perpetrator"] == ["Army troops"]
    assert ev.id


def test_a_negated_or_future_deal_is_not_asserted(wide):
    events = wide("The rebels will sign a peace agreement next week.")
    assert [e.factuality for e in events if e.subtype == "Agreement"] == ["future"]


def test_the_stage_is_registered_and_not_in_the_default_pipeline(settings):
    assert "events.acled_wide.v1" not in settings.pipeline
    names = list(settings.pipeline)
    names.insert(names.index("events.rules.v1") + 1, "events.acled_wide.v1")
    pipeline = Pipeline.from_settings(settings.replace(pipeline=names))
    assert any(isinstance(s, AcledWide) for s in pipeline.stages)


@pytest.mark.parametrize(
    ("text", "subtype"),
    [
        ("Two rockets were fired by drones at the fuel depot.", "Air/drone strike"),
        ("The army drove the rebels out of two districts in the west.",
         "Government regains territory"),
        ("Dozens of former fighters have mobilized alongside the army in the north.",
         "Change to group/activity"),
        ("Soldiers found a hideout where the gang kept rifles and bullets.",
         "Disrupted weapons use"),
        ("Border guards intercepted twelve suspects near the crossing.", "Arrests"),
    ],
)  # fmt: skip
def test_more_of_acleds_types(wide, text, subtype):
    assert _first(wide(text)).subtype == subtype


def test_the_doer_of_a_new_event_is_its_whole_phrase(wide):
    ev = _first(wide("Dozens of former fighters have mobilized alongside the army in the north."))
    assert [a.name for a in ev.actors] == ["Dozens of former fighters"]
