from __future__ import annotations

import pytest

from eventledger.models import Event
from eventledger.stages.events import SubtypeModel
from eventledger.stages.events.textmodel import load_model


@pytest.fixture(scope="module")
def stage(settings) -> SubtypeModel:
    return SubtypeModel(settings)


def _event(subtype: str, type_: str = "Violence against civilians") -> Event:
    return Event(
        id="e1", document_id="d1", type=type_, subtype=subtype, trigger="attacked",
        plover={"event": "ASSAULT", "mode": "firearms"},
    )  # fmt: skip


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("A man threw a hand grenade at the police post, wounding two officers.", "Grenade"),
        ("A suicide bomber blew himself up at the checkpoint.", "Suicide bomb"),
        ("Gunmen shot dead a shopkeeper in the market.", "Attack"),
        ("Fighter jets dropped bombs on the village overnight.", "Air/drone strike"),
    ],
)
def test_shipped_model_names_the_sub_type_of_own_sentences(text, label):
    probs = load_model("acled_subtype").predict(text)["subtype"]
    assert max(probs, key=lambda k: probs[k]) == label


def test_a_default_attack_takes_the_models_explosive_type(stage):
    ev = _event("Attack")
    stage.retype(ev, "A man threw a hand grenade at the police post, wounding two officers.")
    assert (ev.type, ev.subtype) == ("Explosions/Remote violence", "Grenade")
    assert ev.plover == {"event": "ASSAULT", "mode": "explosion"}


def test_an_ied_may_only_become_a_grenade_or_a_suicide_bomb(stage):
    ev = _event("Remote explosive/landmine/IED", "Explosions/Remote violence")
    stage.retype(ev, "Gunmen shot dead a shopkeeper in the market.")
    assert ev.subtype == "Remote explosive/landmine/IED"
    stage.retype(ev, "A suicide bomber blew himself up at the checkpoint.")
    assert ev.subtype == "Suicide bomb"


def test_a_type_the_rules_found_is_kept(stage, make_doc):
    doc = make_doc("A suicide bomber blew himself up at the checkpoint.")
    for subtype, type_ in (("Armed clash", "Battles"), ("Attack", "Violence against civilians")):
        ev = _event(subtype, type_)
        ev.evidence = [doc.evidence(0, len(doc.text))]
        doc.events.append(ev)
    stage(doc)
    assert [e.subtype for e in doc.events] == ["Armed clash", "Suicide bomb"]
