"""Events read through the whole pipeline (places, dates, claims and figures
feed them), on short reports written for these tests."""

from __future__ import annotations

import pytest

from eventledger.models import Article
from eventledger.pipeline import Document
from eventledger.pipeline.engine import Pipeline


@pytest.fixture(scope="module")
def run(settings):
    pipeline = Pipeline.from_settings(settings)

    def go(text: str, published: str = "2024-03-14") -> Document:
        return pipeline(Document(Article(id="t", key="t", text=text, published=published)))

    return go


def open_text(*paragraphs: str) -> str:
    return "\n\n".join(paragraphs)


def _asserted(doc: Document) -> list:
    return [e for e in doc.events if e.factuality == "asserted"]


def test_a_dated_roundup_keeps_its_attacks_apart_and_its_sum_cumulative(run):
    doc = run(
        "Russian drones kill 12 across Ukraine\n\n"
        "KYIV, March 3 (Reuters) - Russian drones killed at least 12 civilians across "
        "Ukraine on Sunday, including six in a strike on an apartment block in Odesa, "
        "officials said.\n\n"
        "The strike on the building also wounded 20 people, according to doctors at a "
        "city hospital.\n\n"
        "In Kharkiv, in the northeast, a drone hit a petrol station, killing two "
        "workers, the regional governor said."
    )
    assert sorted(e.place.name for e in _asserted(doc)) == ["Kharkiv", "Odesa"]
    (total,) = [f for f in doc.figures if f.text == "at least 12 civilians"]
    assert total.scope == "cumulative"


@pytest.mark.parametrize(
    "text",
    [
        "Shelling hit a market in Taiz on Monday, killing five people, according to "
        "doctors at Al-Thawra Hospital, where the wounded were taken.",
        "Shelling hit a market in Taiz on Monday, killing five people, a doctor at "
        "Al-Thawra Hospital said.",
        "Shelling hit a market in Taiz on Monday, killing five people. The bodies were "
        "counted at Al-Thawra Hospital, where the wounded were being treated.",
    ],
)
def test_the_hospital_that_counts_or_treats_the_casualties_was_not_hit(run, text):
    (event,) = _asserted(run(text))
    assert event.place.facility is None and event.health_care is None
    assert event.place.name == "Taiz"


def test_a_nurse_who_tells_of_a_strike_is_not_among_its_dead(run):
    doc = run(
        "An air strike hit a truck near the town of Dessie on Friday, killing 12 "
        "people, two residents and a nurse told AFP."
    )
    (event,) = _asserted(doc)
    assert event.health_care is None
    assert [f.min for f in doc.figures if f.kind == "killed"] == [12]


def test_a_place_where_an_attack_took_place_is_no_target(run):
    doc = run(
        "A bomb attack in Nigeria killed nine people on Thursday. The attack took "
        "place at a market in Damboa, police said."
    )
    (event,) = _asserted(doc)
    assert "place" not in [a.name for a in event.actors if a.role == "target"]
    assert event.place.name == "Damboa"


def test_a_suburb_of_a_city_places_the_attack_in_the_suburb(run):
    doc = run(
        "Gunmen attacked a clinic in the Port-au-Prince suburb of Petion-Ville on "
        "Tuesday, killing a guard, police said."
    )
    (event,) = _asserted(doc)
    assert event.place.country == "HT" and event.place.name == "Petion-Ville"


def test_a_district_owned_by_its_state_is_the_district_not_the_state_capital(run):
    doc = run(
        "Insurgents raided a health centre in Borno State's Konduga district on "
        "Wednesday and abducted three nurses, officials said."
    )
    (event,) = _asserted(doc)
    assert event.place.name == "Konduga district" and event.place.precision == 3
    assert abs(event.place.lat - 11.65) < 0.1


@pytest.mark.parametrize(
    ("text", "city"),
    [
        (
            "Gunmen attacked a hotel in the Somali capital on Friday, killing nine people.",
            "Mogadishu",
        ),
        ("A car bomb exploded in Iraq's capital on Monday, killing five people.", "Baghdad"),
    ],
)
def test_a_countrys_capital_is_its_capital_city(run, text, city):
    (event,) = _asserted(run(text))
    assert event.place.name == city and event.place.precision == 1


def test_a_spot_the_gazetteer_lacks_is_placed_near_the_town_the_report_is_about(run):
    doc = run(
        "Bomber kills 20 at Mogadishu restaurant\n\n"
        "MOGADISHU, Somalia, Aug 3 - A suicide bomber blew himself up at a beach restaurant in "
        "Mogadishu late on Friday, killing 20 people, police said.\n\n"
        "Gunmen then stormed the restaurant at Lido beach and fought security forces "
        "for hours, police said."
    )
    (event,) = _asserted(doc)
    assert event.place.lat is not None and abs(event.place.lat - 2.04) < 0.1
    assert event.place.precision in (1, 2)


def test_a_hospital_official_who_tells_of_a_bombing_makes_it_no_health_care_attack(run):
    doc = run(
        "A suicide bomber blew himself up at a restaurant in Mogadishu on Friday, "
        "killing 20 people and wounding dozens, police and a hospital official said."
    )
    (event,) = _asserted(doc)
    assert event.health_care is None


@pytest.mark.parametrize(
    "text",
    [
        # no violence told: a warning about a health system, a labour strike policed
        open_text(
            "WHO warns of cholera surge in Sudan as health system collapses",
            "GENEVA, Sept 3 - The World Health Organization warned on Tuesday that a "
            "cholera outbreak in Sudan had killed at least 388 people since July, and that "
            "more than 70% of hospitals in conflict areas were no longer functioning.",
            '"Health workers are exhausted and supplies are running out," WHO '
            "representative Ali Hassan told reporters in Geneva.",
        ),
        open_text(
            "Doctors strike over unpaid salaries in Kenya",
            "NAIROBI, March 15 - Thousands of doctors in Kenya's public hospitals went on "
            "strike on Friday to demand unpaid salaries, a union official said.",
            "Police fired tear gas to disperse doctors marching to the health ministry in "
            "Nairobi, witnesses said. No injuries were reported.",
        ),
        # a trend, and a deed that befell no one
        "The truce has brought a sharp drop in air strikes and shelling since April, the "
        "UN envoy said.",
        "Debris from a downed drone fell on a residential building in Kyiv, but no one was "
        "injured, officials said.",
    ],
)
def test_reports_of_no_attack_publish_no_event(run, text):
    assert _asserted(run(text)) == []


def test_a_deed_a_court_found_is_history_not_news(run):
    doc = run(
        "A special court on Tuesday sentenced a former militia commander to 20 years in "
        "prison for the killing of 46 villagers in the town of Bambari in 2015. The court "
        "found that fighters under his command had attacked the town's hospital."
    )
    assert _asserted(doc) == []
    assert [e.factuality for e in doc.events if e.trigger == "attacked"] == ["historical"]


def test_a_digest_entry_is_placed_in_the_country_it_opens_with(run):
    doc = run(
        "Weekly security update\n\n"
        "South Sudan: On 4 March, gunmen ambushed a convoy near Yei, killing a driver.\n\n"
        "Mali: On 7 March, an explosive device hit a vehicle of an aid group on the road "
        "between Gao and Ansongo."
    )
    places = {e.place.country: e.place for e in _asserted(doc)}
    assert set(places) == {"SS", "ML"}
    assert places["ML"].name == "Gao" and places["ML"].precision == 2


def test_a_dateline_that_gives_only_the_day_is_when_it_was_filed_not_the_attack(run):
    doc = run(
        open_text(
            "Army drone attack on Khartoum market kills dozens",
            "Sept 12 - At least 40 people were killed when a drone struck a market in the "
            "south of Khartoum on Sunday morning, medics and residents said.",
        ),
        published="2023-09-12",
    )
    (event,) = _asserted(doc)
    assert event.date.start == "2023-09-10"
    assert all(not a.name.startswith("Sept") for a in event.actors)


@pytest.mark.parametrize(
    "text",
    [
        "A Russian guided bomb hit a hospital in Kupiansk on Monday, killing a patient.",
        "A glide bomb struck a school in Kharkiv on Monday, wounding 12 people.",
    ],
)
def test_a_bomb_named_as_dropped_from_the_air_is_an_air_strike(run, text):
    (event,) = _asserted(run(text))
    assert event.subtype == "Air/drone strike"


def test_a_facility_the_attack_was_near_is_its_vicinity_not_its_target(run):
    doc = run(
        "Two paramedics were killed on Sunday when an Israeli strike hit their ambulance "
        "near Al-Shifa Hospital in Gaza City, the Red Crescent said."
    )
    (event,) = _asserted(doc)
    assert "facility damaged" not in event.health_care["indicators"]
    assert not [a for a in event.actors if a.role == "facility"]


def test_a_region_the_gazetteer_lacks_takes_no_town_of_another_attack(run):
    doc = run(
        open_text(
            "Gunmen kill 12 worshippers at Burkina mosque",
            "OUAGADOUGOU, Dec 4 (Reuters) - Gunmen killed 12 worshippers at a mosque in "
            "northern Burkina Faso on Sunday, sources said.",
            "The attack occurred in the village of Natiaboani in the Eastern region, two "
            "sources said.",
            "A day earlier, jihadists killed five soldiers in an ambush near the town of "
            "Fada N'Gourma, the army said.",
        ),
        published="2023-12-04",
    )
    (mosque,) = [e for e in _asserted(doc) if e.date.start == "2023-12-03"]
    assert mosque.place.lat is None and mosque.place.country == "BF"


def test_a_neighbourhood_of_a_city_lies_in_that_city_not_in_a_namesake_abroad(run):
    doc = run(
        open_text(
            "Drone strike on Sudan market kills 43, activists say",
            "KHARTOUM, Sept 11 (Reuters) - A drone strike on a crowded market in the "
            "southern Khartoum neighbourhood of Mayo killed at least 43 people on Sunday, a "
            "local volunteer group said.",
        )
    )
    (event,) = _asserted(doc)
    assert event.place.country == "SD" and abs(event.place.lat - 15.55) < 0.3
    (mayo,) = [m.value for m in doc.places if doc.text[m.start : m.end] == "Mayo"]
    assert mayo.country == "SD"


@pytest.mark.parametrize(
    "text",
    [
        "The striker fired wide twice before half-time, and the visitors scored late.",
        "Hezbollah announced the death of one of its fighters, from the town of Qana, "
        "without saying where or how he was killed.",
    ],
)
def test_no_deed_told_is_no_event(run, text):
    assert _asserted(run(text)) == []


def test_two_doers_in_one_sentence_are_two_attacks(run):
    doc = run(
        open_text(
            "Russian attacks kill four in Kherson and Donetsk regions, officials say",
            "KYIV, June 5 (Reuters) - Russian shelling killed two people in the southern "
            "city of Kherson on Wednesday, regional governor Oleksandr Prokudin said, while "
            "a drone attack on a village in the Donetsk region killed two more.",
            "In Kherson, a shell hit a bus stop, killing a man and a woman, Prokudin said.",
            "In the Donetsk region, a Russian drone struck a car in the village of "
            "Ivanopillia, killing a married couple, the regional governor said.",
        ),
        published="2024-06-05",
    )
    events = _asserted(doc)
    assert sorted(e.place.name for e in events) == ["Ivanopillia", "Kherson"]
    (kherson,) = [e for e in events if e.place.name == "Kherson"]
    assert kherson.subtype == "Shelling/artillery/missile attack"


def test_a_disaster_report_publishes_no_attack(run):
    doc = run(
        open_text(
            "Earthquake of magnitude 6.1 strikes Indonesia's Aceh province, killing 24",
            "A magnitude 6.1 earthquake struck Aceh province on Tuesday, leaving 24 dead "
            "and over 200 injured. Soldiers and police helped villagers search the rubble.",
            "Twelve people were killed and 70 others were injured in the district of Bener "
            "Meriah, where houses collapsed. The injured were treated at the district "
            "hospital, a doctor said.",
        )
    )
    assert doc.events == []


def test_an_attack_told_in_a_disaster_report_is_still_an_attack(run):
    doc = run(
        open_text(
            "Floods kill 30 in Nigeria's Borno state",
            "Floods killed 30 people in Borno state on Monday, officials said.",
            "Separately, gunmen killed five farmers in a village near Maiduguri on Tuesday, "
            "police said.",
        )
    )
    assert [e.trigger for e in _asserted(doc)] == ["killed"]


def test_the_dateline_city_is_no_ones_victim(run):
    doc = run(
        open_text(
            "Attack on Ethiopian health centre kills nurse, says WHO",
            "ADDIS ABABA, Jan 30 - Armed men attacked a health centre in the Oromia region "
            "town of Nekemte on Friday, killing a nurse and wounding two patients, the World "
            "Health Organization said on Monday.",
        )
    )
    (event,) = _asserted(doc)
    assert not [a for a in event.actors if a.name.isupper()]


def test_the_town_reinforcements_came_from_is_not_where_the_ambush_was(run):
    doc = run(
        open_text(
            "Jihadists kill 12 soldiers in Niger",
            "NIAMEY, March 22 (Reuters) - Suspected jihadists killed twelve Nigerien "
            "soldiers in an ambush on an army patrol in the Tillaberi region on Tuesday, the "
            "defence ministry said, adding that reinforcements were sent from the town of "
            "Banibangou.",
        ),
        published="2021-03-24",
    )
    (event,) = _asserted(doc)
    assert event.place.name != "Banibangou"


def test_a_rally_an_attack_hit_is_its_target_not_a_protest(run):
    doc = run(
        open_text(
            "Pakistan: suicide bomber kills 54 at political rally",
            "PESHAWAR, July 31 (AP) - A suicide bomber struck a rally of a pro-Taliban party "
            "in northwest Pakistan on Sunday, killing 54 people, officials said on Monday, "
            "raising the death toll from 44.",
        ),
        published="2023-07-31",
    )
    assert [e.subtype for e in _asserted(doc)] == ["Suicide bomb"]


def test_where_the_attackers_crossed_from_and_the_wounded_were_treated_place_nothing(run):
    doc = run(
        open_text(
            "Suspected militants kill 4 in bus attack in Kenya",
            "NAIROBI (AP) - Suspected al-Shabaab militants opened fire on a passenger bus in "
            "Kenya's northeastern Mandera county on Tuesday, killing four people, police said.",
            "The attackers, who police said crossed from neighbouring Somalia, then set the "
            "bus on fire near the town of Elwak.",
        ),
        published="2023-01-10",
    )
    assert {e.place.country for e in _asserted(doc)} == {"KE"}
    doc = run(
        "An air strike hit a market in Yemen's northern Saada province on Sunday, killing "
        "seven civilians. The Red Cross said its team had treated 15 wounded people at a "
        "hospital it supports in Saada city."
    )
    (event,) = _asserted(doc)
    assert event.place.precision == 4
