from __future__ import annotations

import pytest

from eventledger.models import Actor, Event, Evidence
from eventledger.pipeline import build_stage
from eventledger.stages.events.roles_model import (
    MODEL,
    RolesModel,
    RolesModelV2,
    candidates,
    predict_roles,
)
from eventledger.stages.events.textmodel import load_model

REPORT = (
    "Gunmen blew up the water pumping station in Karvan with dynamite on Sunday. "
    "Police said the attackers fled towards the hills."
)


@pytest.fixture(scope="module")
def stage(settings) -> RolesModel:
    return RolesModel(settings)


@pytest.fixture(scope="module")
def stage2(settings) -> RolesModelV2:
    return RolesModelV2(settings)


def _attack(doc, trigger: str, type_: str = "Explosions/Remote violence") -> Event:
    start = doc.text.index(trigger)
    return Event(
        id="e1", document_id=doc.id, type=type_, subtype="Remote explosive/landmine/IED",
        trigger=trigger, evidence=[Evidence.of(doc.id, doc.text, start, start + len(trigger))],
    )  # fmt: skip


def _phrases(doc) -> set[str]:
    out = set()
    for offset, sdoc in doc.paragraphs:
        for sent in sdoc.sents:
            for a, b, _kind in candidates(sent):
                span = sdoc[a:b]
                out.add(doc.text[offset + span.start_char : offset + span.end_char])
    return out


def test_candidates_are_noun_phrases_with_and_without_their_complements(make_doc):
    doc = make_doc("Members of the Popular Front shot the former judge Andrew Holloway in a cafe.")
    phrases = _phrases(doc)
    assert {"Members", "Members of the Popular Front", "the Popular Front"} <= phrases
    # a title runs into the name: the name alone is a candidate too
    assert "Andrew Holloway" in phrases
    assert "shot" not in phrases


def test_the_shipped_model_reads_the_roles_of_a_report_of_our_own(make_doc):
    doc = make_doc(REPORT)
    found = {doc.text[s:e]: label for label, _p, s, e in predict_roles(load_model(MODEL), doc)}
    assert found.get("dynamite") == "weapon"
    assert found.get("water pumping station") == "target"
    assert found.get("Gunmen") == "perpetrator"
    assert "Sunday" not in found
    assert "Karvan" not in found  # a place is no argument


def test_the_stage_adds_the_arguments_to_the_attack_marked_as_the_models(stage, make_doc):
    doc = make_doc(REPORT)
    doc.events = [_attack(doc, "blew up")]
    stage(doc)
    actors = {(a.role, a.name, a.source) for a in doc.events[0].actors}
    assert ("weapon", "dynamite", "model") in actors
    assert ("target", "water pumping station", "model") in actors


def test_a_phrase_the_rules_hold_is_confirmed_not_added_again(stage, make_doc):
    doc = make_doc(REPORT)
    ev = _attack(doc, "blew up")
    start = doc.text.index("Gunmen")
    ev.actors = [
        Actor("perpetrator", "Gunmen", evidence=[Evidence.of(doc.id, doc.text, start, start + 6)])
    ]
    doc.events = [ev]
    stage(doc)
    perps = [a for a in ev.actors if a.role == "perpetrator"]
    # the rules' actor is kept as it was, marked as confirmed, never as the model's own
    assert [(a.name, a.source) for a in perps] == [("Gunmen", "rules+model")]
    assert not perps[0].model_only


def test_a_phrase_the_rules_hold_in_another_role_gains_no_second_one(stage, make_doc):
    # the model reads "water pumping station" as a target; held as the
    # perpetrator (however wrongly), it is not made a target as well
    doc = make_doc(REPORT)
    ev = _attack(doc, "blew up")
    start = doc.text.index("water pumping station")
    ev.actors = [
        Actor(
            "perpetrator",
            "water pumping station",
            evidence=[Evidence.of(doc.id, doc.text, start, start + 21)],
        )
    ]
    doc.events = [ev]
    stage(doc)
    assert [a.role for a in ev.actors if a.name == "water pumping station"] == ["perpetrator"]


@pytest.mark.parametrize(
    ("type_", "factuality"),
    [("Battles", "asserted"), ("Explosions/Remote violence", "hypothetical")],
)
def test_battles_and_untold_events_gain_nothing(stage, make_doc, type_, factuality):
    doc = make_doc(REPORT)
    ev = _attack(doc, "blew up", type_)
    ev.factuality = factuality
    doc.events = [ev]
    stage(doc)
    assert ev.actors == []


def test_a_report_with_no_event_gains_nothing(stage, make_doc):
    doc = make_doc(REPORT)
    doc.events = []
    assert stage(doc).events == []


@pytest.mark.parametrize(
    ("name", "cls"),
    [("events.roles_model.v1", RolesModel), ("events.roles_model.v2", RolesModelV2)],
)
def test_the_stage_is_registered_with_its_version(settings, name, cls):
    assert type(build_stage(name, settings)) is cls


def test_the_default_pipeline_runs_v2_right_after_the_rules(settings):
    at = settings.pipeline.index("events.rules.v1")
    assert settings.pipeline[at + 1] == "events.roles_model.v2"
    assert "events.roles_model.v1" not in settings.pipeline


# An attack, a background attack told in passing, then a sentence that names the
# perpetrators and the weapon again.
BACKGROUND = (
    "Gunmen blew up the water pumping station in Karvan on Sunday. "
    "A bombing in March had damaged the town's clinic. "
    "Police said the gunmen used dynamite."
)


def _told_then_background(stage, make_doc) -> tuple[Event, Event]:
    """The asserted attack and the background one of BACKGROUND, after `stage`."""
    doc = make_doc(BACKGROUND)
    main, past = _attack(doc, "blew up"), _attack(doc, "bombing")
    past.id, past.factuality = "e2", "historical"
    doc.events = [main, past]
    stage(doc)
    return main, past


def test_v2_gives_the_arguments_to_the_asserted_attack_not_a_background_one(
    stage, stage2, make_doc
):
    main, past = _told_then_background(stage2, make_doc)
    assert ("weapon", "dynamite") in {(a.role, a.name) for a in main.actors}
    assert past.actors == []
    # v1 gave the phrases after the background attack to it, the one told last before them
    _, past = _told_then_background(stage, make_doc)
    assert ("weapon", "dynamite") in {(a.role, a.name) for a in past.actors}


def test_v2_gives_a_background_attack_the_arguments_when_the_report_asserts_none(stage2, make_doc):
    doc = make_doc(BACKGROUND)
    past = _attack(doc, "bombing")
    past.factuality = "historical"
    doc.events = [past]
    stage2(doc)
    assert ("weapon", "dynamite") in {(a.role, a.name) for a in past.actors}


def test_v2_adds_a_perpetrator_named_twice_once(stage, stage2, make_doc):
    text = "Gunmen blew up the water pumping station in Karvan. Police said the gunmen fled."
    perps = {}
    for name, st in (("v1", stage), ("v2", stage2)):
        doc = make_doc(text)
        doc.events = [_attack(doc, "blew up")]
        st(doc)
        perps[name] = [a.name for a in doc.events[0].actors if a.role == "perpetrator"]
    assert perps["v2"] == ["Gunmen"]
    assert perps["v1"] == ["Gunmen", "gunmen"]  # v1: the same men, two actors


@pytest.mark.parametrize(
    ("type_", "subtype", "trigger"),
    [
        ("Strategic developments", "Arrests", "arrested"),
        ("Protests", "Peaceful protest", "marched"),
    ],
)
def test_v2_gives_no_argument_to_an_arrest_or_a_protest(
    stage, stage2, make_doc, type_, subtype, trigger
):
    text = (
        "Police arrested the student leader Andrew Holloway in Karvan on Sunday. "
        "Students marched to the courthouse and rebels later bombed the bridge with dynamite."
    )
    gained = {}
    for name, st in (("v1", stage), ("v2", stage2)):
        doc = make_doc(text)
        ev = _attack(doc, trigger, type_)
        ev.subtype = subtype
        doc.events = [ev]
        st(doc)
        gained[name] = {a.name for a in ev.actors}
    assert gained["v2"] == set()
    assert "dynamite" in gained["v1"]


def test_v2_keeps_the_rules_actors_and_the_events_own_fields(stage2, make_doc):
    doc = make_doc(REPORT)
    ev = _attack(doc, "blew up")
    start = doc.text.index("Gunmen")
    rules_actor = Actor(
        "perpetrator", "Gunmen", evidence=[Evidence.of(doc.id, doc.text, start, start + 6)]
    )
    ev.actors = [rules_actor]
    doc.events = [ev]
    before = (ev.type, ev.subtype, ev.factuality, ev.date, ev.place, ev.health_care)
    stage2(doc)
    assert (ev.type, ev.subtype, ev.factuality, ev.date, ev.place, ev.health_care) == before
    assert ev.actors[0] is rules_actor and rules_actor.name == "Gunmen"
    assert all(a.model_only for a in ev.actors[1:]) and len(ev.actors) > 1


def test_scoring_a_document_at_once_gives_each_phrase_its_own_scores(make_doc):
    # predict_roles scores every candidate of a document in one go
    # (`scores_many`); each row must be what `scores_of` gives the phrase alone,
    # an unknown-only row included (the bias)
    from eventledger.stages.events.roles_model import sentence_verbs, span_features

    model = load_model(MODEL)
    doc = make_doc(REPORT)
    rows = [
        span_features(s.span, a, b, kind, i, sentence_verbs(s.span))
        for i, s in enumerate(doc.sentences)
        for a, b, kind in candidates(s.span)
    ]
    rows.insert(1, ["w=no-such-feature"])
    rows.append([])
    together = model.scores_many(rows)
    assert together.shape == (len(rows), model.b.shape[0])
    for row, got in zip(rows, together, strict=True):
        assert got == pytest.approx(model.scores_of(row), rel=1e-5, abs=1e-4)  # float32 sums


def test_a_place_the_report_names_is_no_victim(stage, make_doc):
    from eventledger.models import Place
    from eventledger.pipeline import Mention

    doc = make_doc(
        "Gunmen stormed a government hospital in the northwestern city of Dera Ismail Khan "
        "on Tuesday night, killing a security guard and wounding a doctor, police said."
    )
    doc.events = [_attack(doc, "stormed", "Violence against civilians")]
    name = "Dera Ismail Khan"
    start = doc.text.index(name)
    doc.places = [Mention(start, start + len(name), Place(name=name, lat=1.0, lon=2.0), 0)]
    stage(doc)
    assert not [a for a in doc.events[0].actors if a.name == name]


def test_those_an_attack_befalls_are_never_the_models_doers(stage, make_doc):
    doc = make_doc(
        "Suspected separatist fighters attacked a health centre on Monday, killing a nurse. "
        "The official said the attackers accused the staff of treating soldiers."
    )
    doc.events = [_attack(doc, "attacked", "Violence against civilians")]
    stage(doc)
    assert not [
        a.name for a in doc.events[0].actors if a.role == "perpetrator" and "staff" in a.name
    ]


def test_v2_gives_the_asserted_attack_nothing_from_a_sentence_of_another_time(stage2, make_doc):
    # the phrases of a sentence that tells only a background attack are that
    # attack's, not the one told before it
    doc = make_doc(
        "Gunmen blew up the water pumping station in Karvan on Sunday. "
        "Rebel commanders had bombed the town's clinic with mortars in March."
    )
    main, past = _attack(doc, "blew up"), _attack(doc, "bombed")
    past.id, past.factuality = "e2", "historical"
    doc.events = [main, past]
    found = predict_roles(stage2.model, doc)
    later = doc.text.index("Rebel")
    assert any(start >= later for _, _, start, _ in found)  # the model reads that sentence
    stage2(doc)
    assert all(v.start < later for a in main.actors for v in a.evidence)
