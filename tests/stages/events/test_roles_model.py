from __future__ import annotations

import pytest

from eventledger.models import Actor, Event, Evidence
from eventledger.pipeline import build_stage
from eventledger.stages.events.roles_model import (
    MODEL,
    RolesModel,
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
    assert [(a.name, a.source) for a in perps] == [("Gunmen", "model")]


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


def test_the_stage_is_registered_with_its_version(settings):
    assert isinstance(build_stage("events.roles_model.v1", settings), RolesModel)
