from __future__ import annotations

import pytest

from eventledger.errors import ConfigError
from eventledger.models import Actor, Article, Claim, Event, Figure, Speaker
from eventledger.pipeline import Document
from eventledger.stages.actors import TYPES, ActorDictionary, ActorNormalizer


@pytest.fixture(scope="module")
def dictionary():
    return ActorDictionary.load()


@pytest.mark.parametrize(
    "name",
    [
        "RSF",
        "Rapid Support Forces",
        "the Rapid Support Forces",
        "the paramilitary force",
        "The Paramilitary RSF",
        "rapid support forces fighters",
    ],
)
def test_aliases_normalise_to_one_actor(dictionary, name):
    assert dictionary.classify(name) == ("Rapid Support Forces", "armed_group")


@pytest.mark.parametrize(
    ("name", "canonical", "kind"),
    [
        ("Doctors Without Borders", "Médecins Sans Frontières", "ngo"),
        ("MSF", "Médecins Sans Frontières", "ngo"),
        ("the Red Cross", "International Committee of the Red Cross", "ngo"),
        ("IDF", "Israel Defense Forces", "military"),
        ("SAF", "Sudanese Armed Forces", "military"),
        ("the WHO", "World Health Organization", "un_agency"),
        ("OCHA", "UN Office for the Coordination of Humanitarian Affairs", "un_agency"),
        ("AFP", "Agence France-Presse", "media"),
        ("Sudan's health ministry", "Sudan Federal Ministry of Health", "health_authority"),
        # the longest alias inside the name wins over a shorter one
        ("the UN children's agency", "UNICEF", "un_agency"),
    ],
)
def test_dictionary_lookup(dictionary, name, canonical, kind):
    assert dictionary.classify(name) == (canonical, kind)


@pytest.mark.parametrize(
    ("name", "role", "affiliation", "kind"),
    [
        ("the health ministry", None, None, "health_authority"),
        ("the Ministry of Health in Darfur", None, None, "health_authority"),
        ("the state health office", None, None, "health_authority"),
        ("the army", None, None, "military"),
        ("Zamoran troops", None, None, "military"),
        ("the interior ministry", None, None, "government"),
        ("the governor", None, None, "government"),
        ("the Zamoran regime", None, None, "government"),
        ("the ruling junta", None, None, "government"),
        ("suspected Zamoran militants", None, None, "armed_group"),
        ("rebel forces", None, None, "armed_group"),
        ("the Zamoran People's Liberation Army", None, None, "armed_group"),
        ("the opposition Zamora Union forces", None, None, "armed_group"),
        ("local resistance fighters", None, None, "armed_group"),
        ("the opposition leader", None, None, "unknown"),
        ("a local militia", None, None, "armed_group"),
        ("the United Nations mission in Zamora", None, None, "un_agency"),
        ("Ahmed Ali", "nurse", None, "hospital_staff"),
        ("a hospital director", None, None, "hospital_staff"),
        ("Mariam Osman", "resident", "town", "witness"),
        ("a survivor", None, None, "witness"),
        ("Youssef Haddad", "official", "health ministry", "health_authority"),
        ("Lina Karam", "official", "Doctors Without Borders", "ngo"),
        ("Omar Tahir", None, None, "unknown"),
    ],
)
def test_type_heuristics(dictionary, name, role, affiliation, kind):
    assert dictionary.classify(name, role, affiliation)[1] == kind
    assert kind in TYPES


def test_person_keeps_own_name(dictionary):
    assert (
        dictionary.classify("Youssef Haddad", "official", "health ministry")[0] == "Youssef Haddad"
    )


def test_unknown_type_in_data_is_an_error():
    with pytest.raises(ConfigError, match="expected one of"):
        ActorDictionary([{"name": "X", "aliases": [], "type": "rebels"}], "test")


def test_stage_fills_speakers_actors_and_claimants(settings):
    doc = Document(Article(id="d", key="d", text="RSF fighters shelled it, the ministry said."))
    speaker = Speaker(name="the health ministry")
    claim = Claim(
        id="d:cl1",
        document_id="d",
        speaker=speaker,
        cue="said",
        stance="assert",
        content="...",
        direct=False,
    )
    doc.claims = [claim]
    doc.events = [
        Event(
            id="d:ev1",
            document_id="d",
            type="Explosions/Remote violence",
            subtype=None,
            trigger="shelled",
            actors=[Actor(role="perpetrator", name="RSF fighters")],
        )
    ]
    doc.figures = [
        Figure(
            id="d:fig1",
            document_id="d",
            kind="killed",
            group=None,
            min=5,
            max=5,
            approximate=False,
            text="5",
            claimant={"name": "the health ministry", "type": "unknown"},
            claim_id="d:cl1",
        ),
        Figure(
            id="d:fig2",
            document_id="d",
            kind="injured",
            group=None,
            min=2,
            max=2,
            approximate=False,
            text="2",
            claimant=None,
        ),
    ]
    ActorNormalizer(settings)(doc)
    assert (speaker.normalized, speaker.type) == ("health ministry", "health_authority")
    actor = doc.events[0].actors[0]
    assert (actor.normalized, actor.type) == ("Rapid Support Forces", "armed_group")
    assert doc.figures[0].claimant == {
        "name": "health ministry",
        "type": "health_authority",
        "as_written": "the health ministry",
    }
    assert doc.figures[1].claimant is None  # no claim: never a guessed claimant
