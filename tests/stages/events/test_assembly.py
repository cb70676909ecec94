"""Document-level event assembly (stages/events/assembly.py) through the whole
pipeline, with sentences written for these tests: one attack, one record, with
its place, date and perpetrator taken by structure."""

from __future__ import annotations

import pytest

from eventledger.models import Place, When
from eventledger.pipeline import Document, Mention
from eventledger.pipeline.engine import Pipeline
from eventledger.stages.events.assembly import (
    Focus,
    dateline_end,
    dates_agree,
    pick_place,
    places_agree,
    refine_to_focus,
)


@pytest.fixture(scope="module")
def run(settings):
    pipeline = Pipeline.from_settings(settings)

    def go(text: str, published: str = "2024-03-14") -> Document:
        from eventledger.models import Article

        return pipeline(Document(Article(id="t", key="t", text=text, published=published)))

    return go


def open_text(*paragraphs: str) -> str:
    return "\n\n".join(paragraphs)


def _asserted(doc: Document):
    return [e for e in doc.events if e.factuality == "asserted"]


def test_one_attack_told_three_times_is_one_record(run):
    doc = run(
        "Drones struck the Al-Karama Hospital in Kharkiv on Sunday, killing four patients.\n\n"
        "The attack destroyed the emergency ward, the hospital director said.\n\n"
        "Witnesses said the second strike hit rescuers who had rushed to the scene."
    )
    (event,) = _asserted(doc)
    assert event.date.start == "2024-03-10"
    assert event.place.name == "Kharkiv" and event.place.facility == "Al-Karama Hospital"
    assert event.health_care is not None


def test_two_towns_on_two_days_stay_two_events(run):
    doc = run(
        "An air strike killed six people in Kharkiv on Monday.\n\n"
        "On Wednesday, shelling killed three people in Odesa."
    )
    places = sorted(e.place.name for e in _asserted(doc))
    assert places == ["Kharkiv", "Odesa"]


@pytest.mark.parametrize(
    "text",
    [
        "Resident doctors went on an indefinite strike on Monday over unpaid wages.",
        "The union said nurses would begin a 56-day strike in May.",
        "The town, under siege since May, has run out of food and fuel.",
        "Residents of the besieged city queued for water on Tuesday.",
        "New sanctions targeting the commander were announced on Friday.",
        "It was the heaviest bombardment in months, residents said.",
        "The union will announce the day the strike will begin.",
        "It follows a two-month strike by the nurses that ended in June.",
    ],
)
def test_states_strikes_sanctions_and_comparisons_are_no_events(run, text):
    assert run(text).events == []


@pytest.mark.parametrize(
    ("text", "perpetrator"),
    [
        ("A junta air strike killed 12 villagers near Mandalay on Tuesday.", "junta"),
        ("A Russian missile hit a market in Kharkiv, killing 16 people.", "Russian"),
        ("Paramilitary drones struck the hospital on Sunday.", "Paramilitary"),
        ("Israeli strikes killed 20 people in Rafah on Monday.", "Israeli"),
    ],
)
def test_attacker_written_as_a_modifier_is_the_perpetrator(run, text, perpetrator):
    (event,) = _asserted(run(text))
    assert [a.name for a in event.actors if a.role == "perpetrator"] == [perpetrator]


def test_victims_and_speakers_are_never_perpetrators(run):
    doc = run("The camps were attacked on Friday, leaving 28 people dead, the coordinator said.")
    (event,) = _asserted(doc)
    assert [a for a in event.actors if a.role == "perpetrator"] == []


def test_speech_date_loses_to_the_event_date(run):
    doc = run("Gunmen killed two nurses late on Saturday, a doctor said on Sunday.")
    (event,) = _asserted(doc)
    assert event.date.start == "2024-03-09"


def test_since_is_never_the_event_date(run):
    doc = run("Shelling killed three civilians in Kharkiv, a city bombarded since March.")
    (event,) = _asserted(doc)
    assert event.date is None


def test_dateline_city_does_not_place_a_strike_elsewhere(run):
    doc = run(
        "AMMAN: An air strike killed nine people in the northern city of Aleppo on Monday, "
        "a monitor said."
    )
    (event,) = _asserted(doc)
    assert event.place.name == "Aleppo" and event.place.country == "SY"


def test_city_of_phrase_and_named_region_are_places(run):
    doc = run("Shelling killed two medics in the northern city of Chernihiv on Friday.")
    (event,) = _asserted(doc)
    assert (event.place.name, event.place.country, event.place.precision) == (
        "Chernihiv",
        "UA",
        1,
    )


def test_region_gets_its_representative_point(run):
    doc = run("Gunmen killed three aid workers in Ethiopia's Amhara region on Friday.")
    (event,) = _asserted(doc)
    assert event.place.admin1 and "Amhara" in event.place.admin1
    assert event.place.precision == 4 and event.place.lat is not None


def test_country_alone_places_with_no_coordinates(run):
    (event,) = _asserted(run("Gunmen killed three aid workers in Ethiopia on Friday."))
    assert event.place.country == "ET" and event.place.lat is None


@pytest.mark.parametrize(
    ("text", "body"),
    [
        ("WASHINGTON: The US said ...", "The US"),
        ("HALBA - Students were ...", "Students"),
        ("GENEVA/ADEN, YEMEN, MAY 2, 2024 — Following", "Following"),
        ("Headline\nJune 2, 2024\nKampala [Uganda], June 2 : Three", "Three"),
        ("HALBA, March 18.\nThe army said ...", "The army"),
        ("KANO, Nigeria, June 30 (Reuters) - Suicide bombers", "Suicide bombers"),
        ("BUNIA, Democratic Republic of Congo, Nov 2 (Reuters) - Militiamen", "Militiamen"),
        ("SARAJEVO, Bosnia and Herzegovina (AP) - Police said", "Police said"),
        ("HALBA, March 18. /WIRE/. The army said ...", "The army"),
        # a press release's dateline, day before month
        ("Agency condemns attack\n\nGeneva, 3 February 2025 – The agency", "The agency"),
        ("Doctors, 3 nurses – and more", None),
        # a headline with its topic is no dateline; the dateline under it is
        ("Ukraine: Missile strike hits clinic\n\nKYIV, Ukraine (AP) — A missile", "A missile"),
        ("Sudan: Shelling kills four in Omdurman\n\nThe shells hit the market.", None),
        # a country's letters as a headline's topic
        ("DRC: Rebels seize town\n\nGOMA, Congo (Reuters) - Rebels seized", "Rebels seized"),
        ("Israeli forces killed 28 - the ministry said", None),
        ("The strike hit the camp and the city of El Fasher.\nMore text.", None),
    ],
)
def test_dateline_end_is_where_the_body_starts(text, body):
    assert dateline_end(text) == (text.index(body) if body else 0)


def _place(name, **kw) -> Place:
    return Place(name=name, **kw)


@pytest.mark.parametrize(
    ("a", "b", "agree"),
    [
        (_place("Kharkiv", lat=50.0, lon=36.2, precision=1), _place("Kharkiv", lat=50.0, lon=36.25, precision=1), True),
        (_place("Kharkiv", lat=50.0, lon=36.2, precision=1), _place("Odesa", lat=46.5, lon=30.7, precision=1), False),
        (_place("Ukraine", country="UA", precision=6), _place("Odesa", lat=46.5, lon=30.7, country="UA", precision=1), True),
        (_place("Syria", country="SY", precision=6), _place("Odesa", lat=46.5, lon=30.7, country="UA", precision=1), False),
        (_place("Rafah", facility="Al-Najjar Hospital", lat=31.3, lon=34.2, precision=2),
         _place("Rafah", facility="Kuwaiti Hospital", lat=31.3, lon=34.2, precision=2), False),
        (_place("Deir Hafa village"), _place("Deir Hafa", country="SY", precision=None), True),
        # one hospital in two transliterations
        (_place("Gaza City", facility="Al-Ahli al-Arabi Hospital", lat=31.5, lon=34.46, precision=2),
         _place("Gaza City", facility="Ahli Arab hospital", lat=31.5, lon=34.46, precision=2), True),
        # a facility named only by its town is any facility of that town
        (_place("Beni", facility="Beni health centre", lat=0.5, lon=29.5, precision=2),
         _place("Beni", facility="Mamove health centre", lat=0.5, lon=29.5, precision=2), True),
        (None, _place("Odesa", lat=46.5, lon=30.7, precision=1), True),
    ],
)  # fmt: skip
def test_places_agree(a, b, agree):
    assert places_agree(a, b) is agree
    assert places_agree(b, a) is agree


def _when(start, end, precision) -> When:
    return When(start, end, precision, "x", "test")


@pytest.mark.parametrize(
    ("a", "b", "agree"),
    [
        (_when("2024-03-10", "2024-03-10", "day"), _when("2024-03-10", "2024-03-10", "day"), True),
        (_when("2024-03-10", "2024-03-10", "day"), _when("2024-03-12", "2024-03-12", "day"), False),
        (
            _when("2024-03-01", "2024-03-31", "month"),
            _when("2024-03-12", "2024-03-12", "day"),
            True,
        ),
        (None, _when("2024-03-12", "2024-03-12", "day"), True),
    ],
)
def test_dates_agree(a, b, agree):
    assert dates_agree(a, b) is agree
    assert dates_agree(b, a) is agree


def test_coarse_place_takes_the_report_focus_town_in_the_same_country():
    town = Place("Kharkiv", lat=50.0, lon=36.2, country="UA", precision=1)
    country = Mention(40, 47, Place("Ukraine", country="UA", precision=6), 0)
    focus = Focus([town])
    place = refine_to_focus(pick_place([(country, True, True, 0)], 0), focus)
    assert (place.name, place.attachment, place.lat) == ("Kharkiv", "document", 50.0)
    # a focus town in another country never places it
    other = Mention(40, 46, Place("Syria", country="SY", precision=6), 0)
    assert refine_to_focus(pick_place([(other, True, True, 0)], 0), focus).name == "Syria"


def test_a_denial_is_speech_not_obstruction(run):
    doc = run("The army denied striking the hospital in Rafah on Monday.")
    assert all(e.subtype != "Other" for e in doc.events)


def test_denied_access_to_a_hospital_is_obstruction(run):
    doc = run("Soldiers denied ambulances access to the hospital in Hebron on Monday.")
    assert [e.subtype for e in doc.events] == ["Other"]
    assert doc.events[0].health_care is not None


def test_attack_during_the_reopening_of_a_hospital_is_health_care(run):
    doc = run("Gunmen killed two reporters on Tuesday during the reopening of the city hospital.")
    (event,) = _asserted(doc)
    assert event.health_care is not None and "facility" in event.health_care["resources"]


def test_school_staff_are_not_health_workers(run):
    doc = run("Bandits abducted 40 pupils and three staff members from a school on Thursday.")
    (event,) = _asserted(doc)
    assert event.health_care is None


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("A strike hit a clinic on Sunday, a nurse said on Monday.", "2024-03-10"),
        (
            "Two people were killed at the clinic, according to a report seen on Wednesday. "
            "The strike on the clinic came on Monday night.",
            "2024-03-11",
        ),
        # the only date there is, though a verb of report governs it
        ("A strike on the clinic killed two, officials said on Monday.", "2024-03-11"),
    ],
)
def test_a_date_of_the_telling_is_never_the_event_date(run, text, day):
    (event,) = _asserted(run(text))
    assert (event.date.start if event.date else None) == day


@pytest.mark.parametrize(
    ("text", "perpetrator"),
    [
        ("The militia carried out a two-day attack on the camps near Goma.", "militia"),
        ("Rebels launched an assault on the town of Beni on Friday.", "Rebels"),
        ("The attack blamed on ADF rebels killed 20 people near Beni.", "ADF rebels"),
    ],
)
def test_perpetrator_of_a_light_verb_or_of_blame(run, text, perpetrator):
    (event,) = _asserted(run(text))
    names = [a.name for a in event.actors if a.role == "perpetrator"]
    assert any(perpetrator in n for n in names), names


def test_what_footage_shows_is_no_event(run):
    doc = run("He had filmed footage of looting, arson and murder during the war.")
    assert _asserted(doc) == []


def test_facility_in_the_trigger_clause_joins_the_town(run):
    doc = run("On Tuesday an air strike hit the Al-Nour Hospital, in the city of Aleppo.")
    (event,) = _asserted(doc)
    assert (event.place.name, event.place.facility) == ("Aleppo", "Al-Nour Hospital")
    assert event.place.precision == 2 and event.place.lat is not None


def test_region_spelt_otherwise_by_the_gazetteer_is_found(run):
    doc = run("A junta air strike killed 30 villagers in Magwe Region, Myanmar, on Tuesday.")
    (event,) = _asserted(doc)
    assert event.place.precision == 4 and event.place.country == "MM"


def test_the_day_of_the_telling_yields_to_the_event_day_told_later(run):
    doc = run(
        "Rebels killed 20 villagers near Beni, local officials said on Monday.\n\n"
        "The attack, which occurred on Friday, also destroyed a clinic."
    )
    (event,) = _asserted(doc)
    assert event.date.start == "2024-03-08" and event.date.attachment != "telling"


def test_only_the_telling_dates_it_and_says_so(run):
    doc = run("Rebels killed 20 villagers near Beni, local officials said on Monday.")
    (event,) = _asserted(doc)
    assert (event.date.start, event.date.attachment) == ("2024-03-11", "telling")


def test_a_word_that_cannot_stand_alone_never_hosts_others(run):
    doc = run("The patient was hit in the shoulder.\n\nThe army said it had detained four people.")
    assert [e.subtype for e in _asserted(doc)] == ["Arrests"]
    assert _asserted(doc)[0].health_care is None


def test_a_comparison_with_recent_months_tells_no_past_event(run):
    doc = run(
        "Shelling wounded 32 people in Kharkiv on Tuesday, one of the highest tolls "
        "from a single attack in recent months."
    )
    assert [e.factuality for e in doc.events] == ["asserted"]


def test_a_name_given_as_a_region_elsewhere_is_that_region(run):
    doc = run(
        "Junta jets bombed a village in Mandalay Region, Myanmar, on Tuesday.\n\n"
        "The air strike in Mandalay killed 30 villagers, residents said."
    )
    precisions = {m.value.name: m.value.precision for m in doc.places if m.value.country == "MM"}
    assert precisions.get("Mandalay") == precisions.get("Mandalay Region") == 4


def test_the_latest_attack_is_told_and_burning_does_not_retype_it(run):
    doc = run(
        "At least 29 people were killed in the latest attack blamed on ADF rebels near Beni, "
        "officials said. The rebels also burned houses."
    )
    (event,) = _asserted(doc)
    assert event.subtype == "Attack"
    assert any("ADF" in a.name for a in event.actors if a.role == "perpetrator")


def test_a_dateline_place_never_keeps_two_mentions_of_one_attack_apart():
    dateline = Place(
        "Amman", lat=31.95, lon=35.93, country="JO", precision=1, attachment="dateline"
    )
    town = Place("Aleppo", lat=36.2, lon=37.16, country="SY", precision=1, attachment="sentence")
    assert places_agree(dateline, town)


def test_a_country_in_the_clause_yields_to_the_village_of_the_paragraph(run):
    doc = run(
        "Gunmen stormed the school in Kafr Amal, a quiet village near the border, at dawn "
        "on Thursday.\n\nBy the time the attack was over, 80 pupils had been kidnapped "
        "in Syria's worst mass abduction."
    )
    names = {e.place.name for e in _asserted(doc) if e.place}
    assert "Kafr Amal" in names


def test_one_facility_named_through_an_organisation_alias_is_one():
    a = Place("Kharkiv", facility="MSF hospital", lat=50.0, lon=36.2, precision=2)
    b = Place(
        "Kharkiv", facility="Doctors Without Borders hospital", lat=50.0, lon=36.2, precision=2
    )
    c = Place("Kharkiv", facility="Red Cross hospital", lat=50.0, lon=36.2, precision=2)
    assert places_agree(a, b)
    assert not places_agree(a, c)


def test_a_shooting_and_the_arrest_that_day_stay_two_events(run):
    doc = run(
        "Gunmen shot dead two guards at a clinic in Kharkiv on Monday.\n\n"
        "Police arrested three suspects in Kharkiv on Monday, officials said."
    )
    assert sorted(e.subtype for e in _asserted(doc)) == ["Arrests", "Attack"]


def test_shots_fired_and_the_abduction_that_day_are_one_event(run):
    doc = run(
        "Gunmen fired into the air at a school in Kharkiv on Monday.\n\n"
        "On Monday, the gunmen abducted 40 pupils from the school in Kharkiv."
    )
    assert [e.subtype for e in _asserted(doc)] == ["Abduction/forced disappearance"]


def test_an_attack_months_before_the_news_is_background(run):
    doc = run(
        "Gunmen attacked the clinic in Halba on Friday, killing 12 patients, the health "
        "office said. Government forces also shelled the town in November, killing five "
        "civilians.",
        published="2025-06-27",
    )
    told = {e.subtype or e.type: e.factuality for e in doc.events}
    assert told == {"Attack": "asserted", "Shelling/artillery/missile attack": "historical"}
    # alone, the old attack is the report's news
    doc = run(
        "Government forces shelled the town of Halba in November, killing five civilians, "
        "a monitor said in a report published on Friday.",
        published="2025-06-27",
    )
    assert [e.factuality for e in doc.events] == ["asserted"]


def test_a_retrospective_tells_its_attack_once(run):
    doc = run(
        "KABUL -- Ten years ago, on the night of October 3, 2015, the trauma hospital in "
        "Kunduz came under US airstrikes. The attack killed 42 people, including 24 patients.",
        published="2025-10-03",
    )
    (event,) = doc.events
    assert event.factuality == "asserted" and event.date.start == "2015-10-03"
    assert [a.name for a in event.actors if a.role == "perpetrator"] == ["US"]


def test_a_town_owned_by_its_country_in_a_facility_phrase(run):
    # a typographic apostrophe, as wire copy writes it
    doc = run(
        "The bombing of the Al-Noor Hospital in Yemen\u2019s Hajjah province on August 15 "
        "killed 19 people."
    )
    (event,) = doc.events
    assert (event.place.name, event.place.country) == ("Hajjah", "YE")
    assert event.place.facility == "Al-Noor Hospital"


@pytest.mark.parametrize("marker", ["READ:", "Read more:", "RELATED -", "Also read |"])
def test_a_link_to_another_story_is_no_event(run, marker):
    doc = run(
        "Drones struck a clinic in Kharkiv on Sunday, killing four patients.\n\n"
        f"{marker} Attack on a maternity hospital in Odesa condemned by the WHO\n\n"
        "The regional governor said rescuers were still at the scene."
    )
    assert [e.place.name for e in doc.events] == ["Kharkiv"]


def test_a_date_of_what_followed_the_attack_is_not_its_date(run):
    # Thursday is the evacuation's day; the strike came before it
    doc = run(
        "The charity said it was evacuating its staff from the north on Thursday after an "
        "air strike hit a clinic it supports in Halba, killing 19 people.\n\n"
        "On Tuesday an air strike hit the clinic in Halba, the charity said."
    )
    (event,) = _asserted(doc)
    assert event.date.start == "2024-03-12"
    # when the main clause tells the attack too, its date is the attack's
    doc = run(
        "Several reporters were shot and wounded on Tuesday after gunmen opened fire on "
        "them outside the hospital in Halba."
    )
    (event,) = _asserted(doc)
    assert event.date.start == "2024-03-12"


def test_plural_attacks_launched_by_a_named_force_are_an_event(run):
    doc = run("The rebels launched coordinated ground and aerial assaults on Friday on Halba.")
    (event,) = _asserted(doc)
    assert [a.name for a in event.actors if a.role == "perpetrator"] == ["The rebels"]
    # a plural with no doer stays a description of the war
    doc = run("Assaults on towns in the north have grown more frequent, the report said.")
    assert _asserted(doc) == []


@pytest.mark.parametrize(
    "text",
    [
        "HALBA, Lebanon - A shell killed two nurses at the gate of the Al-Amal Hospital in "
        "Halba on Monday, the director said.",
        "KHAN YUNIS, Gaza Strip - An air strike on a residential building in Khan Yunis on "
        "Monday killed 12 people, the civil defence said.",
    ],
)
def test_a_dateline_town_is_no_perpetrator(run, text):
    (event,) = _asserted(doc := run(text))
    assert [a.name for a in event.actors if a.role == "perpetrator"] == []
    assert dateline_end(doc.text) > 0
    assert event.place.name in ("Halba", "Khan Yunis")


@pytest.mark.parametrize(
    "tail",
    [
        "many of the injured were evacuated to hospitals in Tripoli",
        "the wounded were taken to a clinic in Tripoli, 80 kilometres away",
    ],
)
def test_where_the_wounded_were_taken_is_not_the_attack_place(run, tail):
    doc = run(f"Gunmen attacked a village in northern Lebanon on Saturday, and {tail}.")
    (event,) = _asserted(doc)
    assert event.place is None or event.place.name != "Tripoli"


def test_places_agree_a_camp_placed_at_its_town_is_not_the_town():
    town = Place(name="El Fasher", lat=13.63, lon=25.35, precision=1, country="SD", geonames_id=1)
    camp = Place(name="Umm Kadada camp", lat=13.63, lon=25.35, precision=2, country="SD")
    assert places_agree(camp, town) is False and places_agree(town, camp) is False
    # the same camp, named again, is the same place
    again = Place(name="Umm Kadada", lat=13.63, lon=25.35, precision=2, country="SD")
    assert places_agree(camp, again) is True


def test_a_place_the_gazetteer_lacks_is_placed_in_the_one_area_the_report_names():
    district = Mention(60, 76, Place("Mohmand district", reason="not in gazetteer"), 1)
    province = Mention(
        20, 47, Place("Khyber Pakhtunkhwa province", lat=34.05, lon=71.8, admin1="KP",
                      country="PK", precision=4), 0,
    )  # fmt: skip
    place = pick_place([(district, True, True, 0), (province, False, False, 40)], 0)
    assert (place.name, place.country, place.precision, place.lat) == (
        "Mohmand district",
        "PK",
        4,
        34.05,
    )
    assert "not in the gazetteer" in place.reason
    # a region is never placed inside a province
    region = Mention(60, 73, Place("Darfur region", reason="not in gazetteer"), 1)
    assert pick_place([(region, True, True, 0), (province, False, False, 40)], 0).lat is None
    # two areas named: which one holds it is not told
    other = Mention(90, 100, Place("Kunar province", lat=34.9, lon=71.1, admin1="KN",
                                   country="AF", precision=4), 2)  # fmt: skip
    place = pick_place(
        [(district, True, True, 0), (province, False, False, 40), (other, False, False, 30)], 0
    )
    assert place.lat is None


def test_a_date_before_a_trailing_attribution_dates_the_attack(run):
    # the small model hangs "on Friday" from "told"; it stands before the speaker
    doc = run(
        "Gunmen killed four people in the village of Kuda, in Madagali district, Adamawa "
        "state, on Friday, residents told AFP.\n\n"
        "It was the second attack on the area this month.",
        published="2024-05-13",
    )
    (event,) = _asserted(doc)
    assert event.date.start == "2024-05-10" and event.date.precision == "day"


def test_a_date_before_the_attribution_at_the_start_is_the_telling(settings):
    import spacy

    from eventledger.stages.events.assembly import speech_governed

    nlp = spacy.load(settings.nlp_model)
    told = nlp("On Monday, police said gunmen had killed four people in the market.")
    content = nlp(
        "Gunmen killed four people in the village of Kuda, in Madagali district, Adamawa "
        "state, on Friday, residents told AFP."
    )
    assert told[1].text == "Monday" and speech_governed(told[1])
    assert content[18].text == "Friday" and content[18].head.head.lemma_ == "tell"
    assert not speech_governed(content[18])


def test_beheadings_are_killings(run):
    doc = run(
        "Insurgents beheaded six men in the village of Ancuabe on Tuesday, residents said.",
        published="2024-05-09",
    )
    (event,) = _asserted(doc)
    assert event.subtype == "Attack"
    assert any(a.role == "perpetrator" and a.name.lower() == "insurgents" for a in event.actors)
    (fig,) = [f for f in doc.figures if f.best == 6]
    assert fig.kind == "killed"


def test_a_dateline_under_a_headline_and_a_byline_is_found():
    text = (
        "Gunmen kill nine in raid on market\n\nBy Ada Obi\n\n"
        "MAIDUGURI, Nigeria — Gunmen stormed a market in a village on Sunday."
    )
    assert text[dateline_end(text) :].startswith("Gunmen stormed")


def test_an_undated_abduction_told_later_is_the_attack_that_abducted(run):
    doc = run(
        "Armed bandits stormed a village in Katsina State late on Sunday, killing eight "
        "residents and abducting dozens of women, police said on Monday.\n\n"
        "A resident said 27 people were kidnapped, most of them women.",
        published="2024-02-12",
    )
    (event,) = _asserted(doc)
    assert event.subtype == "Attack"  # people were killed: ACLED's Attack, not Abduction
    assert event.date.start == "2024-02-11"


@pytest.mark.parametrize(
    ("text", "doer"),
    [
        (
            "Fighters from the Eastern Front attacked the village of Wad Ashib on Monday, "
            "killing 14 people.",
            "Fighters from the Eastern Front",
        ),
        (
            "Militants loyal to the Islamic State group stormed a church in the town of Mbau "
            "on Sunday, killing six worshippers.",
            "Militants loyal to the Islamic State group",
        ),
        (
            "Members of a local militia killed three farmers in a village on Friday.",
            "Members of a local militia",
        ),
        # no group named: the doer alone
        ("Gunmen of unknown affiliation killed five people in a village on Saturday.", "Gunmen"),
    ],
)
def test_a_generic_doer_keeps_the_group_it_belongs_to(run, text, doer):
    (event,) = _asserted(run(text, published="2024-05-14"))
    assert [a.name for a in event.actors if a.role == "perpetrator"] == [doer]


def test_dissidents_blamed_for_the_attack_are_its_alleged_perpetrator(run):
    doc = run(
        "An ambulance carrying a wounded soldier was attacked with explosives on Thursday "
        "near Suárez, in the department of Cauca. The driver and a nurse were injured.\n\n"
        "The ombudsman's office blamed dissidents of the former FARC guerrilla group for "
        "the attack.",
        published="2024-08-16",
    )
    (event,) = _asserted(doc)
    (doer,) = [a for a in event.actors if a.role == "perpetrator"]
    assert doer.name == "dissidents of the former FARC guerrilla group" and doer.alleged


def test_a_province_level_headline_joins_one_town_not_a_second(run):
    doc = run(
        "Barrel bombs hit hospital in Idlib countryside\n\n"
        "Government helicopters dropped barrel bombs on a hospital in the town of Kafr Nabl "
        "in southern Idlib on Saturday morning, a medical charity said. Two nurses were "
        "wounded in the attack.\n\n"
        "A war monitor said warplanes also struck the nearby town of Maarat al-Numan, "
        "killing six civilians.",
        published="2019-05-26",
    )
    places = sorted(e.place.name for e in _asserted(doc))
    assert places == ["Kafr Nabl", "Maarat al-Numan"]


def test_the_fighting_that_continues_is_no_event(run):
    doc = run(
        "Gunmen killed three aid workers in a village near Mekele on Friday, their "
        "employer said.\n\n"
        "The fighting continues seven months after it began.",
        published="2021-06-26",
    )
    (event,) = _asserted(doc)
    assert event.subtype == "Attack"


def test_a_facility_named_by_its_town_is_the_named_one_told_later(run):
    doc = run(
        "Rebels kill 18 in attack on Beni health centre\n\n"
        "At least 18 people were killed overnight when suspected rebels attacked the "
        "Mamove health centre in Beni territory, local officials said on Tuesday.\n\n"
        '"The assailants burned the health centre and killed patients in their beds," a '
        "civil society leader said.",
        published="2023-11-22",
    )
    (event,) = _asserted(doc)
    assert event.subtype == "Attack"
    doers = [a.name for a in event.actors if a.role == "perpetrator"]
    assert "suspected rebels" in doers and not any(d.startswith("when") for d in doers)


def test_who_launched_the_weapon_is_the_doer(run):
    (event,) = _asserted(
        run(
            "A drone launched by the Eastern Front struck a hospital in the city of Taiz on "
            "Tuesday, wounding five medical staff, an official said.",
            published="2024-12-04",
        )
    )
    assert [a.name for a in event.actors if a.role == "perpetrator"] == ["the Eastern Front"]


def test_an_attack_claimed_by_a_group_names_it(run):
    (event,) = _asserted(
        run(
            "Jihadists killed 40 civilians in the town of Djibo on Sunday, sources said.\n\n"
            "The attack was claimed by the Group for the Support of Islam and Muslims (JNIM).",
            published="2023-05-30",
        )
    )
    doers = [a.name for a in event.actors if a.role == "perpetrator"]
    assert "the Group for the Support of Islam and Muslims (JNIM)" in doers


def test_a_mob_is_the_doer_of_its_deed_and_tear_gas_is_no_attack(run):
    doc = run(
        "A mob set fire to a primary health centre and several houses in a district of "
        "Manipur on Wednesday night, police said. No one was injured.\n\n"
        "Security forces fired tear gas to disperse the crowd.",
        published="2024-06-07",
    )
    (event,) = _asserted(doc)
    assert [a.name for a in event.actors if a.role == "perpetrator"] == ["A mob"]
    targets = [a.name for a in event.actors if a.role == "target"]
    assert "a primary health centre" in targets
    assert not {"Wednesday night", "No one", "tear gas"} & set(targets)


def test_a_hospital_without_its_town_in_the_clause_is_placed_at_the_town_beside_it(run):
    (event,) = _asserted(
        run(
            "Soldiers raided the Ibn Rushd hospital in the West Bank city of Jenin on Tuesday "
            "and detained two paramedics, the Red Crescent said.",
            published="2024-01-31",
        )
    )
    assert (event.place.name, event.place.facility) == ("Jenin", "Ibn Rushd hospital")


def test_an_ambush_that_kills_only_soldiers_is_a_battle(run):
    (event,) = _asserted(
        run(
            "Militants ambushed an army convoy near the town of Kaya on Sunday, killing 11 "
            "soldiers, security sources said.",
            published="2024-03-08",
        )
    )
    assert (event.type, event.subtype) == ("Battles", "Armed clash")


def test_a_device_that_destroyed_an_ambulance_is_an_attack_on_health_care(run):
    (event,) = _asserted(
        run(
            "An explosive device destroyed an ambulance on the road near the town of Kaya on "
            "Monday, injuring the driver.",
            published="2024-03-08",
        )
    )
    assert event.subtype == "Remote explosive/landmine/IED"
    assert event.health_care is not None and "transport" in event.health_care["resources"]


def test_a_village_near_which_an_attack_happened_places_it_in_its_region(run):
    doc = run(
        "Mali: On 2 March, militants ambushed a convoy near Dounkala, in the Mopti region, "
        "killing 11 soldiers. On 5 March, gunmen abducted a nurse from a health centre in "
        "Ansongo, Gao region.",
        published="2024-03-08",
    )
    places = sorted((e.place.name, e.place.precision) for e in _asserted(doc))
    assert places == [("Ansongo", 1), ("Dounkala", 4)]


def test_a_daily_roundup_keeps_each_region_s_attack_apart(run):
    doc = run(
        "Russian attacks kill five across Ukraine\n\n"
        "KYIV (Reuters) - Russian attacks killed at least five civilians across Ukraine "
        "over the past day, regional officials said on Sunday.\n\n"
        "In the southern Kherson region, Russian shelling killed two people in the city of "
        "Kherson, Governor Oleksandr Prokudin said.\n\n"
        "A drone strike on the city of Sumy killed one man, the regional administration "
        "said.\n\n"
        "In the Donetsk region, one person was killed in Kostiantynivka, the governor said.",
        published="2024-07-14",
    )
    places = sorted((e.place.name, e.place.admin1) for e in _asserted(doc))
    assert [p for p, _ in places] == ["Kherson", "Kostiantynivka", "Sumy"]
    # the Kostiantynivka of the Donetsk region its sentence names, not a namesake
    assert dict(places)["Kostiantynivka"].startswith("Donetsk")
    # the day's sum across the country is no toll of Kherson's shelling
    totals = [f for f in doc.figures if f.best == 5]
    assert totals and all(f.event_id is None for f in totals)
    assert [f.scope for f in totals if "civilians" in f.text] == ["cumulative"]


def test_a_shooting_across_the_street_is_no_roundup(run):
    (event,) = _asserted(
        run("Gunmen killed a shopkeeper across the street from the market in Kaya on Monday.")
    )
    assert event.subtype == "Attack"


@pytest.mark.parametrize(
    ("second", "doer"),
    [
        ("The coalition said in a statement that its aircraft had hit the building by mistake.",
         "The coalition"),
        ("The army said it had struck a militant commander in the area.", "The army"),
    ],
)  # fmt: skip
def test_a_speaker_that_owns_the_deed_is_its_doer(run, second, doer):
    (event,) = _asserted(
        run(
            "An air strike hit a hospital in the town of Abs on Monday, killing 11 people, "
            f"a medical charity said.\n\n{second}",
            published="2016-08-16",
        )
    )
    assert doer in [a.name for a in event.actors if a.role == "perpetrator"]


def test_a_flood_that_killed_is_no_attack(run):
    doc = run(
        "Floods killed 30 people and displaced thousands in northern Nigeria this week, the "
        "emergency agency said on Friday.",
        published="2024-05-17",
    )
    assert _asserted(doc) == []


@pytest.mark.parametrize(
    "text",
    [
        "A fire at a textile factory in Dhaka killed 12 workers on Sunday, firefighters said.",
        "The central bank's decision struck a blow to investors on Monday.",
        "The two parties struck a deal in Nairobi on Monday after weeks of talks.",
    ],
)
def test_an_accident_or_an_idiom_is_no_attack(run, text):
    assert _asserted(run(text, published="2024-05-14")) == []


def test_a_fire_someone_set_that_killed_is_still_an_attack(run):
    doc = run(
        "A fire set by militants killed 12 people in a village near Beni on Sunday.",
        published="2024-05-14",
    )
    assert len(_asserted(doc)) == 1


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


@pytest.mark.parametrize(
    "text",
    [
        "A suicide bomber blew himself up at a restaurant in Mogadishu on Friday, "
        "killing 20 people and wounding dozens, police and a hospital official said.",
        "A strike on a house in Khan Younis killed five members of one family on "
        "Tuesday, medics said.",
        "Shelling killed four people at a market in Taiz on Monday, according to local doctors.",
    ],
)
def test_care_staff_who_tell_of_an_attack_make_it_no_health_care_attack(run, text):
    (event,) = _asserted(run(text))
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
        # a shot at nothing, and a death whose telling is withheld
        "The striker fired wide twice before half-time, and the visitors scored late.",
        "Hezbollah announced the death of one of its fighters, from the town of Qana, "
        "without saying where or how he was killed.",
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


@pytest.mark.parametrize("dateline", ["", "GAZA, July 9 (Reuters) - "])
def test_a_roundup_told_as_the_subject_of_said_is_no_attack(run, dateline):
    # "Israeli air strikes killed ..., officials said": the small model parses
    # "killed" as a reduced relative of "strikes", the subject of "said"
    doc = run(
        "Israeli strikes kill 38 across Gaza\n\n"
        + dateline
        + "Israeli air strikes killed at least 38 Palestinians across the Gaza Strip on "
        "Tuesday, including 14 people sheltering in a school in the Nuseirat refugee camp, "
        "local health officials said.\n\n"
        "In Khan Younis, in the south of the enclave, a strike on a house killed five "
        "members of one family, medics said.",
        published="2024-07-10",
    )
    assert [e.place.name for e in _asserted(doc)] == ["Khan Younis"]
    (total,) = [f for f in doc.figures if f.text == "at least 38 Palestinians"]
    assert total.scope == "cumulative"


def test_a_dateline_on_its_own_places_no_past_attack(run):
    doc = run(
        "Drone strike on bus kills 30\n\n"
        "ADDIS ABABA, Oct 15 - A drone strike hit a minibus near the town of Debre Markos "
        "on Saturday, killing at least 30 people, two witnesses told Reuters.\n\n"
        "The United Nations said last month that at least 183 people had been killed in "
        "the region in July alone.",
        published="2023-10-16",
    )
    places = {e.factuality: e.place and e.place.name for e in doc.events}
    assert places.get("asserted") == "Debre Markos"
    assert places.get("historical") != "ADDIS ABABA"


def test_people_seized_are_abducted_where_they_were_seized_on_the_day_told(run):
    doc = run(
        "Gunmen kidnap 20 medical students\n\n"
        "ABUJA, Aug 18 (Reuters) - Gunmen abducted 20 medical students travelling by road "
        "to a conference in the eastern city of Enugu, police said on Sunday.\n\n"
        "The students were seized on Thursday near the town of Otukpo in Benue state, a "
        "police spokeswoman said.",
        published="2024-08-18",
    )
    (event,) = _asserted(doc)
    assert event.subtype == "Abduction/forced disappearance"
    assert event.date.start == "2024-08-15"  # the day they were seized, not the telling
    assert event.place is None or event.place.name != "Enugu"  # where they were going


@pytest.mark.parametrize(
    ("text", "abduction"),
    [
        ("Gunmen seized two nurses at the clinic on Monday.", True),
        ("Fighters seized the town and its weapons depot on Monday.", False),
    ],
)
def test_seizing_people_is_an_abduction_and_seizing_a_town_is_not(run, text, abduction):
    subtypes = [e.subtype for e in run(text).events]
    assert ("Abduction/forced disappearance" in subtypes) is abduction


def test_strikes_on_two_kinds_of_site_are_two_attacks(run):
    doc = run(
        "An Israeli air strike on a school in the Nuseirat camp killed 14 people on "
        "Tuesday, medics said.\n\n"
        "The strike on the school also wounded dozens, according to doctors at Al-Awda "
        "Hospital, where the casualties were taken.\n\n"
        "Later on Tuesday, a strike on a house killed five members of one family, "
        "medics said.",
        published="2024-07-10",
    )
    assert len(_asserted(doc)) == 2


def test_a_report_that_opens_on_a_deed_of_last_year_is_its_news(run):
    doc = run(
        "UN says troops killed 500 in Moura\n\n"
        "Troops and foreign fighters executed at least 500 people during an operation in "
        "the town of Moura in March last year, a United Nations report said on Friday.",
        published="2023-05-12",
    )
    (event,) = _asserted(doc)
    assert (event.date.start, event.date.precision) == ("2022-03-01", "month")


def test_a_dateline_town_of_another_province_never_places_an_attack_in_a_province(run):
    doc = run(
        "Rebels kill two soldiers in attack on army base\n\n"
        "Bogota, Colombia - Two soldiers were killed and six wounded when dissidents of the "
        "former FARC rebel group attacked an army base in the southwestern department of "
        "Cauca with drones and explosives, the army said on Friday.\n\n"
        "The army said the dissidents, who reject the 2016 peace deal, had used drones to "
        "drop explosives on the base.",
        published="2024-06-07",
    )
    (event,) = doc.events  # the peace deal's year makes no past attack of the drones
    assert event.factuality == "asserted"
    assert event.place.name == "Cauca" and event.place.precision == 4


def test_a_sum_of_attacks_told_as_several_is_no_attack_of_its_own(run):
    doc = run(
        "Jihadists kill dozens in two attacks in Burkina Faso\n\n"
        "OUAGADOUGOU (AFP) - Suspected jihadists killed at least 30 civilians in two "
        "separate attacks in northern Burkina Faso over the weekend, local sources said on "
        "Monday.\n\n"
        "In the first attack, gunmen on motorbikes raided the village of Taaka in Seno "
        "province on Saturday, killing 18 people, a local official said.\n\n"
        "On Sunday, another group attacked a market in the town of Dori, killing 12 "
        "traders, a security source said.",
        published="2024-06-10",
    )
    events = _asserted(doc)
    assert sorted(e.date.start for e in events) == ["2024-06-08", "2024-06-09"]
    # "Taaka" is also one of Dhaka's names: a Burkinabe village is not placed in Asia
    assert all(e.place is None or e.place.country in (None, "BF") for e in events)
    (total,) = [f for f in doc.figures if f.text == "at least 30 civilians"]
    assert total.scope == "cumulative"


def test_the_toll_s_day_and_the_strike_s_day_are_told_apart(run):
    doc = run(
        "Death toll from Kramatorsk restaurant strike rises to 12\n\n"
        "KYIV, June 29 (Reuters) - The death toll from a Russian missile strike on a busy "
        "restaurant in the eastern Ukrainian city of Kramatorsk rose to 12 on Thursday, "
        "officials said.\n\n"
        "At least 60 people were wounded in Tuesday evening's strike on the restaurant, "
        "the regional governor said.",
        published="2023-06-29",
    )
    (event,) = _asserted(doc)
    assert event.date.start == "2023-06-27"
    assert event.subtype == "Shelling/artillery/missile attack"  # the missile, not "strike"


def test_a_series_of_attacks_in_one_town_on_one_day_keeps_its_toll(run):
    doc = run(
        "Suicide bombers killed at least 18 people in a series of attacks in the "
        "northeastern town of Gwoza on Saturday, the state emergency agency said.\n\n"
        "The first bomber detonated explosives at a wedding, the agency said.",
        published="2024-06-30",
    )
    assert _asserted(doc)
    (toll,) = [f for f in doc.figures if f.text == "at least 18 people"]
    assert toll.scope == "incident" and toll.event_id is not None


def test_ambulances_kept_from_the_wounded_in_a_raid_are_part_of_the_raid(run):
    doc = run(
        "Israeli forces killed five Palestinians during a raid on the Nur Shams refugee "
        "camp near the city of Tulkarm on Thursday, the health ministry said. Medics said "
        "ambulances were prevented from reaching the wounded.",
        published="2024-04-18",
    )
    (event,) = _asserted(doc)
    assert "access obstructed" in event.health_care["indicators"]


def test_a_facility_told_with_no_town_is_at_the_town_the_report_was_filed_from(run):
    doc = run(
        "DEIR AL-BALAH, Gaza Strip (AP) — An Israeli strike hit a tent camp in the courtyard "
        "of Al-Aqsa Martyrs Hospital in central Gaza early Monday, killing four people, "
        "hospital officials said.",
        published="2024-08-05",
    )
    (event,) = _asserted(doc)
    assert event.place.facility == "Al-Aqsa Martyrs Hospital"
    assert (event.place.name, event.place.precision) == ("Deir Al-Balah", 2)


def test_an_earlier_toll_is_no_earlier_attack(run):
    doc = run(
        "More than 115 people were killed in a gang attack on the town of Pont-Sonde last "
        "week, the United Nations said on Monday, revising up an earlier toll of 70.",
        published="2024-10-07",
    )
    assert [e.factuality for e in doc.events] == ["asserted"]


@pytest.mark.parametrize(
    ("text", "events"),
    [
        (
            "Many of the patients arrive with gunshot wounds and injuries from shelling, the "
            "charity's coordinator said.",
            0,
        ),
        ("Five people suffered injuries from the shelling of the market on Monday.", 1),
    ],
)
def test_wounds_from_shelling_name_a_kind_of_wound_not_an_attack(run, text, events):
    assert len(_asserted(run(text))) == events


def test_a_separate_incident_borrows_no_place_of_the_attack_told_before(run):
    doc = run(
        "Gunmen on Sunday night attacked the General Hospital in Kajuru, Kaduna State, and "
        "abducted two nurses, the state commissioner said on Monday.\n\n"
        "In a separate incident on Saturday, bandits killed four farmers in a village, he said.",
        published="2024-03-11",
    )
    farmers = [e for e in _asserted(doc) if e.date and e.date.start == "2024-03-09"]
    assert len(farmers) == 1
    assert farmers[0].place is None or farmers[0].place.facility is None


def test_a_nuclear_strike_threshold_is_no_strike(run):
    doc = run("Putin signed a decree lowering the threshold for a nuclear strike on Tuesday.")
    assert _asserted(doc) == []


def test_an_attack_told_by_distance_and_direction_from_a_town_is_placed_there(run):
    doc = run(
        "A South Sudanese aid worker was killed when gunmen ambushed a humanitarian convoy "
        "on the road about 40 km (25 miles) north of the town of Bor in Jonglei state on "
        "Wednesday, the United Nations said.",
        published="2024-03-14",
    )
    (event,) = _asserted(doc)
    assert event.place.name == "Bor" and event.place.precision == 2
    assert event.place.lat == pytest.approx(6.2089 + 40 / 111.2, abs=0.02)


@pytest.mark.parametrize(
    ("text", "published", "field", "expected"),
    [
        # an area the gazetteer lacks holds the town told with it
        (
            "Separatists abduct 40 in Anglophone region\n\n"
            "Armed separatists kidnapped about 40 people in the town of Mamfe in Cameroon's "
            "Southwest region on Sunday, local officials said. Some of those abducted were "
            "later released, but at least 30 were still being held on Monday.",
            "2024-06-10",
            "place.name",
            "Mamfe",
        ),
        # the day a siege was ended is not the day it began
        (
            "Somali security forces ended a siege by al Shabaab militants at a hotel in "
            "Mogadishu on Monday, after an attack that killed nine people, police said.\n\n"
            "The attackers set off a car bomb at the gate of the hotel on Sunday evening and "
            "then stormed the building, a police officer said.",
            "2024-02-26",
            "date.start",
            "2024-02-25",
        ),
        # a warehouse of weapons is no health resource
        (
            "A Russian missile strike on the port of Odesa killed eight people late on Monday, "
            "officials said. Russia's defence ministry said it had struck a warehouse storing "
            "weapons supplied by the West.",
            "2024-03-14",
            "health_care",
            None,
        ),
        # a town the gazetteer lacks lies in the country named nearest it
        (
            "Israel strikes southern Lebanon\n\n"
            "An Israeli strike on a house in the southern Lebanese town of Aitaroun killed "
            "three people, Lebanon's state news agency NNA reported.",
            "2024-08-10",
            "place.country",
            "LB",
        ),
        # aid workers and a doctor who tell of a strike make it no health-care attack
        (
            "An air strike killed at least 56 people in a camp for displaced people on Friday "
            "night, according to two aid workers and a doctor at a hospital in Shire, where "
            "the wounded were taken.",
            "2022-01-08",
            "health_care",
            None,
        ),
    ],
)
def test_one_attack_told_so_has(run, text, published, field, expected):
    (event,) = _asserted(run(text, published=published))
    value = event
    for name in field.split("."):
        value = getattr(value, name)
    assert value == expected


def test_a_day_that_modifies_the_attack_is_its_own_not_the_tellings(settings):
    import spacy

    from eventledger.stages.events.assembly import speech_governed

    nlp = spacy.load(settings.nlp_model)
    doc = nlp("The agency strongly condemns yesterday's missile attack on a hospital.")
    day = next(t for t in doc if t.lower_ == "yesterday")
    assert day.head.lower_ == "attack" and not speech_governed(day)


@pytest.mark.parametrize(
    ("text", "name", "elsewhere"),
    [
        # where the people fled to is not where the attack was
        ("Thousands of residents fled towards the town of Sake.", "Sake", True),
        ("Hundreds took refuge in Kaya after the attack.", "Kaya", True),
        # where they fled from may be
        ("Families fleeing the fighting in Bor were attacked.", "Bor", False),
    ],
)
def test_where_people_fled_to_is_told_elsewhere(text, name, elsewhere):
    from eventledger.stages.events.assembly import told_elsewhere

    at = text.index(name)
    assert told_elsewhere(text, at, at + len(name)) is elsewhere


def test_a_killing_then_an_abduction_is_an_attack(run):
    # the headline's killing, the lede's shooting and attack, then the abduction: the
    # killing told first still makes the whole an attack (ACLED codes an abduction
    # as such only without other violence)
    doc = run(
        "Nurse killed as gunmen attack clinic in Cameroon\n\n"
        "A nurse was shot dead and a patient was abducted when suspected separatist "
        "fighters attacked a health centre in Kumbo, in Cameroon's North-West region, on "
        "Monday, a hospital official said."
    )
    assert [e.subtype for e in _asserted(doc)] == ["Attack"]


def test_a_facility_in_a_countrys_capital_is_at_the_capital(run):
    doc = run(
        "Armed gangs stormed and set fire to the Bernard Mevs hospital in Haiti's capital on "
        "Monday, hospital officials said.",
        published="2024-03-05",
    )
    (event,) = _asserted(doc)
    assert (event.place.name, event.place.facility, event.place.precision) == (
        "Port-au-Prince",
        "Bernard Mevs hospital",
        2,
    )


def test_a_facility_told_with_no_town_is_in_the_area_its_report_names(run):
    doc = run(
        "A drone strike on a health centre in Ethiopia's Amhara region killed at least eight "
        "people on Tuesday, a local official said. The strike hit the Bikolo health centre in "
        "the West Gojjam zone in the afternoon.",
        published="2024-03-05",
    )
    (event,) = _asserted(doc)
    assert (event.place.facility, event.place.country, event.place.precision) == (
        "Bikolo health centre",
        "ET",
        4,
    )
    assert event.place.lat is not None


def test_tear_gas_shells_fired_at_the_mob_that_attacked_make_no_second_event(run):
    # crowd control's munitions are no shelling, the police firing them no doers,
    # and "the mob" they disperse is the attack's doer, not a riot of its own
    doc = run(
        "Three people were killed and several houses set on fire when a mob attacked a village "
        "in Manipur's Bishnupur district on Tuesday night, police said. Security forces fired "
        "tear gas shells to disperse the mob.",
        published="2024-03-14",
    )
    (event,) = _asserted(doc)
    assert event.subtype != "Shelling/artillery/missile attack"
    assert "Security forces" not in [a.name for a in event.actors if a.role == "perpetrator"]
    assert (event.place.name, event.place.country, event.place.precision) == (
        "Bishnupur district",
        "IN",
        3,
    )


@pytest.mark.parametrize(
    ("text", "town"),
    [
        ("YAOUNDE, Cameroon (AP) - Separatist fighters attacked the Bali district hospital in "
         "Cameroon's North-West region on Tuesday, abducting a nurse, officials said.", "Bali"),
        ("KYIV (Reuters) - Russian shelling hit the Kharkiv regional hospital on Wednesday, "
         "killing three people, officials said.", "Kharkiv"),
    ],
)  # fmt: skip
def test_a_facility_named_after_its_town_is_at_that_town(run, text, town):
    doc = run("Hospital attacked\n\n" + text, published="2024-03-14")
    (event,) = _asserted(doc)
    assert (event.place.name, event.place.precision) == (town, 2)
    assert event.place.facility is not None and event.place.facility.startswith(town)


def test_a_hospital_of_a_city_named_with_its_kind_is_no_town_of_its_first_word(run):
    doc = run(
        "GAZA (Reuters) - An explosion tore through the Gaza City hospital on Tuesday, killing "
        "dozens of people, health officials said.",
        published="2024-03-14",
    )
    (event,) = _asserted(doc)
    assert event.place.name != "Gaza"


def test_a_doctors_group_that_tells_of_a_village_attack_codes_no_health_care(run):
    doc = run(
        "CAIRO (AP) - Sudan's paramilitary Rapid Support Forces attacked a village in the central "
        "province of Gezira, killing at least 40 people, a doctors' group and activists said "
        "Thursday.\n\nThe attack on the village took place on Wednesday, the Sudan Doctors "
        "Network said. It said the dead included women and children.",
        published="2024-03-14",
    )
    (event,) = _asserted(doc)
    assert not event.health_care
    assert "Sudan's paramilitary" not in [a.name for a in event.actors if a.role == "perpetrator"]


def test_missiles_air_defence_shot_down_are_no_attack_of_their_own(run):
    doc = run(
        "KYIV (Reuters) - A Russian missile strike on the central Ukrainian city of Dnipro on "
        "Friday killed four people, the regional governor said.\n\nUkraine's air force said it "
        "had shot down 12 of 15 missiles launched by Russia overnight.",
        published="2024-03-14",
    )
    (event,) = _asserted(doc)
    assert event.place.name == "Dnipro"


def test_a_town_named_before_its_region_is_the_town(run):
    # the region named later ("in the Kharkiv region this week") does not make
    # the lede's town the region, nor the attack another town's
    doc = run(
        "KHARKIV, Ukraine - A Russian guided bomb struck a children's hospital in Kharkiv on "
        "Monday afternoon, injuring seven people, the city's mayor said.\n\n"
        "It was the second attack on a medical facility in the Kharkiv region this week. On "
        "Saturday, a drone hit an ambulance in the town of Kupiansk, wounding two paramedics.",
        published="2024-03-14",
    )
    hospital = next(e for e in _asserted(doc) if e.date.start == "2024-03-11")
    assert (hospital.place.name, hospital.place.precision) == ("Kharkiv", 1)


@pytest.mark.parametrize(
    "text",
    [
        # an accident: a fire that broke out, an oxygen cylinder that exploded
        "Fire at city hospital kills 12 patients\n\n"
        "A fire that broke out at a hospital's intensive care unit killed at least 12 patients "
        "and injured 30 others, the interior ministry said on Sunday. The fire was caused by an "
        "exploding oxygen cylinder, a medical source said.",
        # hospitals turning patients away on a doctors' strike
        "Doctors begin indefinite strike\n\n"
        "ABUJA (Reuters) - Resident doctors in public hospitals began an indefinite strike on "
        "Monday to demand payment of salary arrears, their union said. Hospitals across the "
        "country were forced to turn away patients.",
        # a trial's case, told by the prosecutors
        "BANGUI (Reuters) - A special court on Friday sentenced a former militia leader to life "
        "in prison for his role in the 2019 killing of 46 civilians.\n\nProsecutors said fighters "
        "under his command stormed the hospital and shot patients in their beds.",
        # a war's toll, and the attack it began after
        "CAIRO (Reuters) - Negotiators resumed indirect talks in Cairo on Sunday, Egyptian "
        "sources said.\n\nMore than 35,000 Palestinians have been killed in the Israeli "
        "offensive, according to Gaza's health ministry, which launched after Hamas-led "
        "militants attacked Israel on Oct. 7, killing about 1,200 people.",
    ],
)
def test_accidents_strikes_and_deeds_a_trial_or_a_war_recalls_are_no_news(run, text):
    assert _asserted(run(text, published="2024-03-14")) == []


def test_an_anniversary_recalls_the_attack_without_the_day_of_the_marking(run):
    doc = run(
        "Ten years after the strike, the charity calls for accountability\n\n"
        "The charity marked on Saturday the tenth anniversary of the air strike that destroyed "
        'its trauma hospital in Kunduz, Afghanistan, killing 42 people. "Patients burned in '
        'their beds," its president said.',
        published="2024-03-14",
    )
    strike = next(e for e in doc.events if e.trigger == "air strike")
    assert strike.factuality == "historical" and strike.date is None
    assert "burned" not in [e.trigger for e in _asserted(doc)]


@pytest.mark.parametrize(
    ("text", "country", "precision"),
    [
        # "the Saba news agency" is an outlet, and "Saba said" who spoke: neither is
        # the namesake town abroad
        ("ADEN, Yemen - A ballistic missile struck a camp for displaced people in Yemen's Marib "
         "province on Sunday, killing four people, the government's Saba news agency reported."
         "\n\nThe missile hit the camp shortly after dawn, Saba said, citing a local official.",
         "YE", 4),
        # the talks' town is not where the attack was; "the department of Arauca" is
        ("BOGOTA, Colombia - Rebels attacked a military base with explosives in the northeastern "
         "department of Arauca on Tuesday, killing two soldiers, the army said.\n\nThe attack in "
         "the municipality of Puerto Jordan came a day after the government and the rebels "
         "resumed peace talks in Caracas.", "CO", 4),
        # a province the gazetteer places wins over a region it lacks, and over the country
        ("ERBIL, Iraq (AP) - A drone struck the Khor Mor gas field in Iraq's semi-autonomous "
         "Kurdish region late Wednesday, killing four workers, officials said. The interior "
         "ministry said the drone hit a storage area at the field in Sulaymaniyah province at "
         "around 11 p.m.", "IQ", 4),
        # "Sagaing region's Kani township" is never the namesake abroad
        ("Air strike hits hospital\n\nFour people were killed on Thursday when a Myanmar military "
         "jet bombed a hospital in Sagaing region's Kani township, a local resistance group said.",
         "MM", 4),
    ],
)  # fmt: skip
def test_the_attack_lies_in_the_country_and_area_its_report_places_it(
    run, text, country, precision
):
    (event,) = _asserted(run(text, published="2024-03-14"))
    assert (event.place.country, event.place.precision) == (country, precision)
    assert event.place.lat is not None
