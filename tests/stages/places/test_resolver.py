from __future__ import annotations

import pytest

from eventledger.stages.places import Gazetteer, PlaceResolver, geo_precision, where_prec
from eventledger.stages.places.resolver import (
    CONTINENT_ONLY,
    COUNTRY_ONLY,
    DEMONYM,
    GAZA_STRIP,
)

from .test_gazetteer import TINY_DUMP, row


@pytest.fixture(scope="module")
def resolver(tmp_path_factory) -> PlaceResolver:
    return _tiny_resolver(tmp_path_factory, TINY_DUMP)


def _rows(*rows: str) -> str:
    """GeoNames dump text of these rows."""
    return "\n".join(rows) + "\n"


def _tiny_resolver(tmp_path_factory, dump_text: str) -> PlaceResolver:
    """A resolver over a gazetteer built from GeoNames dump rows (no cities file)."""
    folder = tmp_path_factory.mktemp("gaz")
    dump = folder / "tiny.txt"
    dump.write_text(dump_text, encoding="utf-8")
    gaz = Gazetteer.build(folder / "gazetteer.sqlite", cities=False)
    gaz.add_dump(dump)
    return PlaceResolver(gazetteer=gaz)


def _place(doc, evidence_text):
    hits = [m.value for m in doc.places if m.value.evidence[0].text == evidence_text]
    assert hits, f"{evidence_text!r} not in {[m.value.evidence[0].text for m in doc.places]}"
    return hits[0]


@pytest.mark.parametrize(
    ("text", "evidence", "name", "country", "admin1", "precision"),
    [
        # variants
        (
            "Shelling was reported in Jabaliya in northern Gaza on Monday.",
            "Jabaliya",
            "Jabaliya",
            "PS",
            "Gaza Strip",
            1,
        ),
        (
            "Tanks entered Khan Younis, Gaza health officials said.",
            "Khan Younis",
            "Khan Younis",
            "PS",
            "Gaza Strip",
            1,
        ),
        # Rafah decided by country focus, both ways, and by an explicit parent
        (
            "Israeli strikes hit Rafah and Jabalia in the Gaza Strip.",
            "Rafah",
            "Rafah",
            "PS",
            "Gaza Strip",
            1,
        ),
        (
            "Egyptian officials in Rafah said Egypt would keep the crossing closed.",
            "Rafah",
            "Rafah",
            "EG",
            None,
            1,
        ),
        ("Shelling hit Rafah, Gaza on Monday.", "Rafah", "Rafah", "PS", "Gaza Strip", 1),
        # admin hierarchy
        (
            "RSF fighters shelled El Fasher, in North Darfur, killing 12.",
            "El Fasher",
            "El Fasher",
            "SD",
            "North Darfur",
            1,
        ),
        # near a town
        ("A drone strike near Halba in Lebanon killed two.", "near Halba", "Halba", "LB", None, 2),
    ],
)
def test_places_resolve(make_doc, resolver, text, evidence, name, country, admin1, precision):
    place = _place(resolver(make_doc(text)), evidence)
    assert (place.name, place.country, place.precision) == (name, country, precision)
    if admin1 is not None:
        assert place.admin1 == admin1
    assert place.lat is not None and place.lon is not None and place.reason is None
    assert place.geo_precision == geo_precision(precision)


def test_places_facility_in_gazetteer_gets_its_own_point(make_doc, resolver):
    text = "An air strike hit the Al-Awda Hospital in Jabalia, the ministry said."
    doc = resolver(make_doc(text))
    place = _place(doc, "Al-Awda Hospital in Jabalia")
    assert (place.name, place.facility, place.precision) == ("Jabalia", "Al-Awda Hospital", 1)
    assert (place.lat, place.lon) == (31.53, 34.49)
    # the town inside the facility mention is not a second mention
    assert [m.value.name for m in doc.places].count("Jabalia") == 1


def test_places_unknown_facility_located_at_its_town(make_doc, resolver):
    doc = resolver(make_doc("Troops raided the Kamal Adwan Hospital in Jabalia overnight."))
    place = _place(doc, "Kamal Adwan Hospital in Jabalia")
    assert (place.name, place.facility, place.country) == ("Jabalia", "Kamal Adwan Hospital", "PS")
    assert (place.precision, place.geo_precision) == (2, 2)
    assert (place.lat, place.lon) == (31.5272, 34.48347)


@pytest.mark.parametrize(
    "text", ["Aid agencies warned of famine in Sudan.", "Two medics died in Lebanon."]
)
def test_places_country_only_never_gets_coordinates(make_doc, resolver, text):
    (m,) = resolver(make_doc(text)).places
    place = m.value
    assert place.country in {"SD", "LB"}
    assert (place.lat, place.lon, place.precision, place.geo_precision) == (None, None, 6, None)
    assert place.reason == COUNTRY_ONLY


def test_places_rafah_without_focus_is_ambiguous(make_doc, resolver):
    place = _place(resolver(make_doc("Fighting was reported in Rafah.")), "Rafah")
    assert place.lat is None and place.country is None
    assert "ambiguous" in place.reason and "PS" in place.reason and "EG" in place.reason


def test_places_unknown_name_unresolved_with_reason(make_doc, resolver):
    place = _place(resolver(make_doc("Protesters marched in London on Saturday.")), "London")
    assert (place.lat, place.lon, place.precision) == (None, None, None)
    assert place.reason == "not in gazetteer"


def test_places_evidence_matches_text(make_doc, resolver):
    text = "Shelling hit Rafah, Gaza.\n\nA drone struck near Halba in Lebanon."
    doc = resolver(make_doc(text))
    assert doc.places
    for m in doc.places:
        ev = m.value.evidence[0]
        assert ev.text == text[ev.start : ev.end]
        assert (ev.start, ev.end) == (m.start, m.end)
        assert m.value.attachment is None


@pytest.mark.parametrize(
    ("feature", "near", "prec", "acled"),
    [
        ("PPL", False, 1, 1),
        ("HSP", True, 2, 2),
        ("ADM2", False, 3, 3),
        ("ADM1", False, 4, 3),
        ("RGN", False, 5, None),
        ("PCLI", False, 6, None),
        ("SEA", False, 7, None),
    ],
)
def test_where_prec_and_geo_precision(feature, near, prec, acled):
    assert where_prec(feature, near) == prec
    assert geo_precision(prec) == acled


@pytest.mark.parametrize(
    ("text", "evidence", "precision", "admin1", "reason"),
    [
        (
            "Strikes across Gaza killed 30 people, the ministry said.",
            "Gaza",
            4,
            "Gaza Strip",
            GAZA_STRIP,
        ),
        ("Tanks pushed deeper into northern Gaza.", "Gaza", 4, "Gaza Strip", GAZA_STRIP),
        ("A strike hit a school in Gaza City on Monday.", "Gaza City", 1, "Gaza Strip", None),
    ],
)
def test_places_gaza_strip_or_gaza_city(
    make_doc, resolver, text, evidence, precision, admin1, reason
):
    place = _place(resolver(make_doc(text)), evidence)
    assert (place.country, place.precision, place.admin1, place.reason) == (
        "PS",
        precision,
        admin1,
        reason,
    )
    if precision == 4:  # the Strip: the centroid of its towns, as an area's point
        assert 31.2 < place.lat < 31.6 and 34.2 < place.lon < 34.6
    else:
        assert (place.lat, place.lon) == (31.50161, 34.46672)


def test_places_admin1_gets_its_geonames_point_when_known(make_doc, resolver):
    place = _place(
        resolver(make_doc("Fighting spread across North Darfur, Sudan.")), "North Darfur"
    )
    assert (place.country, place.admin1, place.precision, place.geo_precision) == (
        "SD",
        "North Darfur",
        4,
        3,
    )
    assert (place.lat, place.lon, place.reason) == (15.0, 25.0, None)


def test_places_admin1_carries_its_representative_point(make_doc, resolver):
    place = _place(resolver(make_doc("Aid trucks reached the Gaza Strip.")), "Gaza Strip")
    assert (place.precision, place.geo_precision, place.country) == (4, 3, "PS")
    assert 31.2 < place.lat < 31.6 and 34.2 < place.lon < 34.6


def test_places_unnamed_facility_is_located_at_the_town_named_before(make_doc, resolver):
    text = (
        "Shelling hit El Fasher, in North Darfur, on Monday. "
        "The main hospital in the north of the city was damaged."
    )
    doc = resolver(make_doc(text))
    place = _place(doc, "main hospital in the north of the city")
    assert (place.name, place.facility, place.country) == (
        "El Fasher",
        "main hospital in the north of the city",
        "SD",
    )
    assert (place.precision, place.geo_precision) == (2, 2)
    assert (place.lat, place.lon) == (13.62793, 25.34936)
    assert "El Fasher" in place.reason and "not at the facility" in place.reason


def test_places_unnamed_facility_without_town_is_unresolved(make_doc, resolver):
    place = _place(
        resolver(make_doc("The main hospital in the south of the town was hit.")),
        "main hospital in the south of the town",
    )
    assert (place.lat, place.precision) == (None, None)
    assert "no town named before it" in place.reason


@pytest.mark.parametrize(
    "text",
    [
        "Israeli strikes hit Rafah in the Gaza Strip and Beit Lahia on Monday.",
        "Troops stormed Jabalia and Beit Lahia in the Gaza Strip overnight.",
    ],
)
def test_places_detects_toponyms_the_tagger_misses_after_and(make_doc, resolver, text):
    names = {m.value.name for m in resolver(make_doc(text)).places}
    assert "Beit Lahia" in names


def test_places_resolve_spans_uses_document_context(make_doc, resolver):
    text = "Israeli strikes hit Jabalia in the Gaza Strip. Later, fighting reached Rafah."
    doc = make_doc(text)
    start = text.index("Rafah")
    (place,) = resolver.resolve_spans(doc, [(start, start + 5)])
    assert (place.country, place.precision) == ("PS", 1)
    assert place.evidence[0].text == "Rafah"


def test_places_country_carries_its_geonames_id_without_coordinates(make_doc, resolver):
    (m,) = resolver(make_doc("Two medics died in Syria.")).places
    assert (m.value.geonames_id, m.value.lat, m.value.precision) == (163843, None, 6)


# Same-named towns for spatial minimality: Paris, Texas is the bigger one, but
# Puryear (no admin-1 code, so it adds no admin focus) lies beside Paris, Tennessee.
SPATIAL_DUMP = _rows(
    row(4717560, "Paris", [], 33.66094, -95.55551, "P", "PPLA2", "US", "TX", 24782),
    row(4647963, "Paris", [], 36.302, -88.32671, "P", "PPLA2", "US", "TN", 10156),
    row(4653007, "Puryear", [], 36.44506, -88.33533, "P", "PPL", "US", "", 671),
    row(5881192, "Nuli", [], -14.3, -170.7, "P", "PPL", "AS", "", 300),
)


@pytest.fixture(scope="module")
def spatial(tmp_path_factory) -> PlaceResolver:
    return _tiny_resolver(tmp_path_factory, TINY_DUMP + SPATIAL_DUMP)


def _resolve_span(resolver, make_doc, text, phrase):
    start = text.index(phrase)
    (place,) = resolver.resolve_spans(make_doc(text), [(start, start + len(phrase))])
    return place


@pytest.mark.parametrize(
    ("text", "admin1"),
    [
        ("The driver was taken to Paris after the crash.", "Texas"),
        ("The crash happened in Puryear. The driver was taken to Paris.", "Tennessee"),
    ],
)
def test_places_same_name_candidate_nearest_the_other_places_wins(spatial, make_doc, text, admin1):
    place = _resolve_span(spatial, make_doc, text, "Paris")
    assert (place.country, place.admin1, place.precision) == ("US", admin1, 1)


@pytest.mark.parametrize(("abbr", "state", "gid"), [("Tenn.", "Tennessee", 4662168)])
def test_places_ap_state_abbreviation_is_the_state(spatial, make_doc, abbr, state, gid):
    place = _resolve_span(spatial, make_doc, f"A fire in Paris, {abbr}, killed two.", abbr)
    assert (place.admin1, place.country, place.precision, place.geonames_id) == (
        state,
        "US",
        4,
        gid,
    )


def test_places_ap_state_abbreviation_decides_the_town(spatial, make_doc):
    place = _resolve_span(
        spatial, make_doc, "Storms hit Paris on Monday, Tenn. officials said.", "Paris"
    )
    assert place.admin1 == "Tennessee"


@pytest.mark.parametrize(
    ("text", "phrase", "country", "gid", "precision", "reason"),
    [
        ("Turkish troops entered the town.", "Turkish", "TR", 298795, 6, DEMONYM),
        ("Aid to Africa fell by a third.", "Africa", None, 6255146, 7, CONTINENT_ONLY),
    ],
)
def test_places_demonyms_and_continents_name_the_area_without_a_point(
    spatial, make_doc, text, phrase, country, gid, precision, reason
):
    place = _resolve_span(spatial, make_doc, text, phrase)
    assert (place.country, place.geonames_id, place.precision, place.reason) == (
        country,
        gid,
        precision,
        reason,
    )
    assert place.lat is None and place.lon is None


def test_places_small_only_candidate_outside_a_strong_focus_is_left_unresolved(spatial, make_doc):
    text = "Strikes in Palestine hit Khan Younis in the Gaza Strip. Shelling then reached Nuli."
    place = _resolve_span(spatial, make_doc, text, "Nuli")
    assert place.lat is None
    assert "outside the document's focus" in place.reason


def test_places_small_only_candidate_is_kept_without_a_rival_focus(spatial, make_doc):
    place = _resolve_span(spatial, make_doc, "Storms hit Nuli.", "Nuli")
    assert (place.country, place.precision) == ("AS", 1)


@pytest.mark.parametrize(
    "text",
    [
        "Officials in the Paris-based agency said the clinic was hit.",
        "The London-headquartered charity said the clinic was hit.",
    ],
)
def test_places_a_city_before_based_is_no_place_of_the_story(make_doc, resolver, text):
    doc = resolver(make_doc(text))
    assert [m.value.name for m in doc.places] == []


# A village or camp the gazetteer lacks takes the point of the town the report
# says it is near, at precision 2; only the report's own words place it.
@pytest.mark.parametrize(
    ("text", "evidence", "km_from_town", "bearing_ok"),
    [
        (
            "Gunmen stormed Umm Kadada camp, near El Fasher, Sudan's army said.",
            "Umm Kadada camp",
            0,
            None,
        ),
        ("In Sudan, gunmen stormed Umm Kadada camp outside El Fasher.", "Umm Kadada camp", 0, None),
        (
            "Shells fell on Wadi Tibra village, 8 km from Halba in Lebanon.",
            "Wadi Tibra village",
            0,
            None,
        ),
        # moved by the distance and direction the report gives
        (
            "In Lebanon, shells fell on the village of Kafr Sulma, 20 km north of Halba.",
            "Kafr Sulma",
            20,
            "N",
        ),
        (
            "In Lebanon, shells fell on the village of Kafr Sulma, 12 miles south-east of Halba.",
            "Kafr Sulma",
            19.3,
            "SE",
        ),
    ],
)
def test_places_unknown_village_placed_near_the_town_named_with_it(
    make_doc, resolver, text, evidence, km_from_town, bearing_ok
):
    from eventledger.stages.places.resolver import _km

    doc = resolver(make_doc(text))
    place = _place(doc, evidence)
    name = "El Fasher" if "Fasher" in text else "Halba"
    town = resolver.gazetteer.lookup(name)[0]  # named in the text, a mention or not
    assert (place.precision, place.geo_precision, place.country) == (2, 2, town.country)
    assert "not in the gazetteer" in place.reason and name in place.reason
    assert _km(place.lat, place.lon, town.lat, town.lon) == pytest.approx(km_from_town, abs=0.5)
    if bearing_ok == "N":
        assert place.lat > town.lat and place.lon == pytest.approx(town.lon, abs=1e-3)
    if bearing_ok == "SE":
        assert place.lat < town.lat and place.lon > town.lon


def test_places_nearby_town_places_every_mention_of_the_camp(make_doc, resolver):
    text = (
        "In Sudan, militias attacked the Umm Kadada and Abu Jiddo camps and the nearby city "
        "of El Fasher on Friday.\n\nA clinic in Umm Kadada camp was burned."
    )
    doc = resolver(make_doc(text))
    place = _place(doc, "Umm Kadada camp")
    fasher = _place(doc, "El Fasher")
    assert (place.lat, place.lon, place.precision) == (fasher.lat, fasher.lon, 2)


@pytest.mark.parametrize(
    "text",
    [
        # too far without a direction: somewhere on a circle, no point
        "In Lebanon, shells fell on Wadi Tibra village, 60 km from Halba.",
        # a town named in the sentence, but not as near the village
        "In Lebanon, shells fell on Wadi Tibra village; the wounded reached Halba by night.",
    ],
)
def test_places_unknown_village_without_a_near_cue_stays_unresolved(make_doc, resolver, text):
    place = _place(resolver(make_doc(text)), "Wadi Tibra village")
    assert (place.lat, place.lon, place.precision) == (None, None, None)
    assert place.reason == "not in gazetteer"


def test_places_bare_name_of_a_named_camp_is_trusted(make_doc, resolver):
    text = (
        "In Sudan, gunmen stormed Umm Kadada camp, near El Fasher.\n\n"
        "Their clinic in Umm Kadada was burned."
    )
    doc = resolver(make_doc(text))
    bare = [m.value for m in doc.places if m.value.evidence[0].text == "Umm Kadada"]
    assert bare and bare[0].precision == 2 and bare[0].lat == _place(doc, "Umm Kadada camp").lat


@pytest.fixture(scope="module")
def congo_resolver(tmp_path_factory) -> PlaceResolver:
    folder = tmp_path_factory.mktemp("gaz-cd")
    dump = folder / "cd.txt"
    rows = [
        row(5001, "Beni", [], 0.49113, 29.47306, "P", "PPL", "CD", "11", 231000),
        row(5002, "Beni", [], -14.0, -65.5, "A", "ADM1", "BO", "02", 0),
    ]
    dump.write_text("\n".join(rows) + "\n", encoding="utf-8")
    gaz = Gazetteer.build(folder / "gazetteer.sqlite", cities=False)
    gaz.add_dump(dump)
    return PlaceResolver(gazetteer=gaz)


def test_places_congo_alone_is_the_democratic_republic(congo_resolver):
    assert congo_resolver.gazetteer.country_code("Congo") == "CD"
    assert congo_resolver.gazetteer.country_code("Congo Republic") == "CG"


def test_places_town_in_the_storys_country_beats_a_division_abroad(make_doc, congo_resolver):
    text = (
        "BENI, Congo (Reuters) - Rebels killed 18 people in a raid on the village of "
        "Mukondi, about 30 km north of Beni, officials in Congo said."
    )
    doc = congo_resolver(make_doc(text))
    beni = _place(doc, "BENI")
    assert (beni.country, beni.precision) == ("CD", 1)
    village = _place(doc, "Mukondi")
    assert (village.country, village.precision) == ("CD", 2)
    assert village.lat == pytest.approx(0.49113 + 30 / 111.2, abs=0.01)


def test_places_near_the_town_of_is_near(make_doc, resolver):
    place = _place(
        resolver(make_doc("An airstrike hit a camp near the town of Halba in Lebanon.")),
        "near the town of Halba",
    )
    assert (place.name, place.precision) == ("Halba", 2)


def test_places_a_country_before_hospital_names_no_facility(make_doc, resolver):
    doc = resolver(make_doc("Drone strike on Lebanon hospital kills nine in Halba."))
    assert not [m for m in doc.places if m.value.facility]
    assert _place(doc, "Lebanon").country == "LB"


def test_places_a_town_in_a_division_without_a_comma_is_placed_in_it(make_doc, resolver):
    place = _place(
        resolver(make_doc("Gunmen raided the village of Umm Kadada in North Darfur on Monday.")),
        "Umm Kadada",
    )
    assert (place.admin1, place.precision, place.country) == ("North Darfur", 4, "SD")
    assert "not in the gazetteer" in place.reason


def test_places_in_a_common_word_is_no_parent(make_doc, resolver):
    # "in Halba" is a town, not a division holding the village
    place = _place(
        resolver(make_doc("Shells hit Wadi Tibra village in Halba in Lebanon.")),
        "Wadi Tibra village",
    )
    assert place.reason == "not in gazetteer"  # not "located at Halba, the area named with it"


def test_places_one_sense_per_report_for_a_name_placed_once(make_doc, resolver):
    text = "Attack on clinic in Umm Kadada\n\nGunmen raided a clinic in Umm Kadada, North Darfur."
    doc = resolver(make_doc(text))
    both = [m.value for m in doc.places if m.value.name == "Umm Kadada"]
    assert len(both) == 2
    assert all((v.admin1, v.precision) == ("North Darfur", 4) for v in both)


# Two invented towns whose names are also surnames: one in Texas, one in
# Tennessee (beside Puryear).
SURNAME_TOWNS_DUMP = _rows(
    row(4653007, "Puryear", [], 36.44506, -88.33533, "P", "PPL", "US", "TN", 671),
    row(9990001, "Brandle", [], 33.2, -97.1, "P", "PPL", "US", "TX", 900),
    row(9990002, "Calder", [], 36.3, -88.3, "P", "PPL", "US", "TN", 900),
)


@pytest.fixture(scope="module")
def surname_towns(tmp_path_factory) -> PlaceResolver:
    return _tiny_resolver(tmp_path_factory, TINY_DUMP + SURNAME_TOWNS_DUMP)


@pytest.mark.parametrize(
    ("text", "name", "kept"),
    [
        # the person named in full, then by surname: not the Texas town
        (
            "Marcus Brandle, 17, was shot in an alley in Puryear, Tenn. "
            "A revolver was in Brandle's hand.",
            "Brandle",
            False,
        ),
        # a town of the story's own state named like a person stays a place
        (
            "Marcus Calder, 17, was shot in an alley in Puryear, Tenn. "
            "A revolver was in Calder's hand.",
            "Calder",
            True,
        ),
    ],
)
def test_places_a_surname_resolved_outside_the_story_region_is_the_person(
    surname_towns, make_doc, text, name, kept
):
    doc = make_doc(text)
    surname_towns(doc)
    found = [m.value for m in doc.places if m.value.name == name]
    assert bool(found) is kept
    assert any(m.value.name == "Puryear" for m in doc.places)


CITY_DUMP = _rows(
    row(9100001, "Tarvonne", ["Tarvonia"], 15.6, 32.4, "P", "PPL", "SD", "03", 400000),
    row(9100002, "Meskala", [], 12.1, 30.2, "P", "PPL", "SD", "03", 4000),
)


@pytest.fixture(scope="module")
def cities(tmp_path_factory) -> PlaceResolver:
    return _tiny_resolver(tmp_path_factory, TINY_DUMP + CITY_DUMP)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        # "in <Name>" in a story that names no country: a big city by its own name
        ("Fighting in Tarvonne killed at least 15 civilians on Tuesday.", "Tarvonne"),
        # a city's alternate name is not trusted that way
        ("A senior official in Tarvonia said the strike killed two fighters.", None),
    ],
)
def test_places_in_a_big_city_is_trusted_without_a_story_country(cities, make_doc, text, name):
    doc = cities(make_doc(text))
    assert [m.value.name for m in doc.places if m.value.lat is not None][:1] == (
        [name] if name else []
    )


def test_places_a_small_town_is_no_big_city(cities):
    from eventledger.models import Place

    town = Place("Meskala", lat=12.1, lon=30.2, country="SD", geonames_id=9100002)
    city = Place("Tarvonne", lat=15.6, lon=32.4, country="SD", geonames_id=9100001)
    assert (cities._a_city("Meskala", town), cities._a_city("Tarvonne", city)) == (False, True)


def test_places_in_a_city_opening_the_sentence(cities, make_doc):
    doc = cities(make_doc("In Tarvonne, a missile hit a residential building, killing six people."))
    assert [m.value.name for m in doc.places if m.value.lat is not None] == ["Tarvonne"]


def test_places_a_country_after_a_direction_word(resolver, make_doc):
    doc = resolver(make_doc("Jihadists attacked a convoy near a small town in central Mali."))
    assert [(m.value.name, m.value.precision) for m in doc.places if m.value.country == "ML"] == [
        ("Mali", 6)
    ]


SAHEL_DUMP = _rows(
    # real names the small model tags PERSON or leaves untagged in the sentences below
    row(9100101, "Gao", [], 16.27, -0.04, "P", "PPLA", "ML", "07", 86000),
    row(9100103, "Gao", [], 11.5, -1.3, "P", "PPL", "BF", "01", 26000),
    row(9100102, "Torodi", [], 13.12, 1.8, "P", "PPL", "NE", "06", 6000),
    # a town of the division GeoNames spells "Sagain"
    row(9100104, "Monywa", [], 22.11, 95.13, "P", "PPLA", "MM", "10", 200000),
)


@pytest.fixture(scope="module")
def sahel(tmp_path_factory) -> PlaceResolver:
    return _tiny_resolver(tmp_path_factory, TINY_DUMP + SAHEL_DUMP)


@pytest.mark.parametrize(
    ("text", "town", "country"),
    [
        # the small model tags "Mali" PERSON here: the possessive still names the
        # country the story is about, and the town found by "in <Name>" lies in it
        (
            "The shelling of the hospital in Gao on Sunday killed four patients, "
            "Mali's health ministry said.",
            "Gao",
            "ML",
        ),
        # "Niger" is also a Nigerian state: no focus of its own, but a town of Niger
        # found by "in <Name>" is trusted
        (
            "Gunmen killed five villagers in Torodi on Monday, Niger's defence ministry said.",
            "Torodi",
            "NE",
        ),
    ],
)
def test_places_a_countrys_possessive_gives_the_story_its_country(
    sahel, make_doc, text, town, country
):
    doc = sahel(make_doc(text))
    assert [(m.value.name, m.value.country) for m in doc.places if m.value.lat is not None] == [
        (town, country)
    ]


def test_places_a_possessive_that_is_no_country_gives_no_focus(sahel, make_doc):
    # Gao lies in Mali and in Burkina Faso, neither of which this story names
    doc = sahel(make_doc("Gunmen killed five villagers in Gao on Monday, Amadou's brother said."))
    assert [m.value.name for m in doc.places if m.value.lat is not None] == []


def test_places_a_village_missing_from_the_gazetteer_takes_its_region_spelt_otherwise(
    sahel, make_doc
):
    doc = sahel(
        make_doc(
            "Soldiers burned a clinic in Ngwe Taung village in Sagaing region on Monday, "
            "Myanmar's opposition government said."
        )
    )
    village = _place(doc, "Ngwe Taung village")
    assert (village.country, village.precision, village.lat is not None) == ("MM", 4, True)
    assert "not in the gazetteer" in village.reason


@pytest.mark.parametrize(
    ("text", "part", "country", "town_point"),
    [
        # a neighbourhood of a town: the town's point, not Mozambique's Gaza province
        (
            "An air strike hit a house in Gaza City's Zeitoun neighbourhood on Monday.",
            "Zeitoun neighbourhood",
            "PS",
            (31.50161, 34.46672),
        ),
        (
            "A shell hit a house in Tarvonne's Hay Salam district on Monday.",
            "Hay Salam district",
            "SD",
            (15.6, 32.4),
        ),
    ],
)
def test_places_a_part_of_a_town_is_placed_near_the_town(
    cities, make_doc, text, part, country, town_point
):
    place = _place(cities(make_doc(text)), part)
    assert (place.country, place.precision, (place.lat, place.lon)) == (country, 2, town_point)
    assert "the town it is part of" in place.reason


def test_places_a_part_of_a_town_the_gazetteer_lacks_stays_unresolved(cities, make_doc):
    # neither the district nor the town it names is known: no point, and no crash
    doc = cities(make_doc("A shell hit a house in Hay Salam district, Qorvantia, on Monday."))
    assert all(m.value.lat is None for m in doc.places)


@pytest.mark.parametrize(
    "text",
    [
        "A guided bomb hit a hospital in the centre of Gao on Sunday, Mali's army said.",
        "Shells fell on the outskirts of Gao on Sunday, Mali's army said.",
    ],
)
def test_places_a_part_of_a_town_named_before_it(sahel, make_doc, text):
    doc = sahel(make_doc(text))
    assert [m.value.name for m in doc.places if m.value.lat is not None] == ["Gao"]


IRAQ_DUMP = _rows(
    # an invented town of the division GeoNames spells "Salah ad Din" (IQ.18), and
    # a resort town that shares the division's other spelling in another (IQ.11)
    row(9100201, "Zarqan Dawar", [], 34.9, 44.6, "P", "PPL", "IQ", "18", 30000),
    row(9100202, "Salahuddin", [], 36.38, 44.2, "P", "PPL", "IQ", "11", 5000),
)


@pytest.fixture(scope="module")
def iraq(tmp_path_factory) -> PlaceResolver:
    return _tiny_resolver(tmp_path_factory, TINY_DUMP + IRAQ_DUMP)


def test_places_a_division_transliterated_otherwise_holds_its_town(iraq, make_doc):
    doc = iraq(
        make_doc(
            "A roadside bomb struck a minibus near the town of Zarqan Dawar in Iraq's "
            "Salahuddin province on Wednesday, killing four people."
        )
    )
    town = _place(doc, "near the town of Zarqan Dawar")
    assert (town.name, town.country, town.lat, town.precision) == ("Zarqan Dawar", "IQ", 34.9, 2)
    province = _place(doc, "Salahuddin province")
    # the division, not the resort town of the same spelling 250 km away
    assert (province.precision, province.admin1) == (4, "Salah ad Din")


@pytest.mark.parametrize(
    ("text", "facility"),
    [
        ("Armed men set fire to the Ndop district hospital on Monday.", "Ndop district hospital"),
        ("Gunmen stormed the Kumbo regional hospital at night.", "Kumbo regional hospital"),
    ],
)
def test_places_a_graded_public_hospital_is_a_facility(resolver, make_doc, text, facility):
    doc = resolver(make_doc(text))
    assert [m.value.facility for m in doc.places if m.value.facility] == [facility]


def test_places_a_township_of_a_region_is_inside_the_region(sahel, make_doc):
    # "of Sagaing region" says what holds the township; the region is never read
    # as a town named "Sagaing" (or "Sagain", a letter short)
    doc = sahel(
        make_doc(
            "An air strike hit a school in Nwe Kone village in the Htan Pin township of "
            "Sagaing region on Friday, Myanmar's opposition government said."
        )
    )
    region = _place(doc, "Sagaing region")
    assert (region.country, region.precision) == ("MM", 4)
    assert not [m for m in doc.places if m.value.name in ("Sagaing", "Sagain")]


@pytest.mark.parametrize("stage", ["places.gazetteer.v1", "places.ranked.v2"])
def test_places_the_town_of_a_name_is_the_town_not_its_province(make_doc, settings, stage):
    from eventledger.pipeline import build_stage

    doc = build_stage(stage, settings)(
        make_doc("An air strike hit a market in the town of Hajjah in Yemen on Saturday.")
    )
    hajjah = _place(doc, "Hajjah")
    assert (hajjah.precision, hajjah.country) == (1, "YE")


def test_places_a_namesake_far_from_where_the_report_puts_it_gives_way(make_doc, settings):
    from eventledger.stages.places import PlaceResolver

    # the gazetteer's Tin-Akof lies some 170 km from 30 km north of Djibo
    doc = PlaceResolver(settings)(
        make_doc(
            "Gunmen killed six worshippers in the village of Tin-Akof, about 30 km north of "
            "the town of Djibo in Burkina Faso, on Sunday."
        )
    )
    village = _place(doc, "Tin-Akof")
    assert village.precision == 2 and "from where the report puts it" in village.reason
    assert abs(village.lat - (14.09864 + 30 / 111.2)) < 0.05


def test_places_a_place_reckoned_from_a_town_is_near_the_town(make_doc, resolver):
    text = "Soldiers fired on farmers north-east of Khan Yunis in Gaza."
    place = _place(resolver(make_doc(text)), "north-east of Khan Yunis")
    assert (place.name, place.country, place.precision) == ("Khan Yunis", "PS", 2)


def test_places_a_country_named_in_the_sentence_holds_its_toponym(make_doc, resolver):
    text = (
        "Israeli strikes hit Khan Yunis and Jabalia in the Gaza Strip on Monday. "
        "In Egypt, border guards fired on smugglers near Rafah."
    )
    place = _place(resolver(make_doc(text)), "near Rafah")
    assert (place.country, place.geonames_id) == ("EG", 349114)
    # The story's lean decides where the sentence names no country.
    text = text.replace("In Egypt, border", "Border")
    assert _place(resolver(make_doc(text)), "near Rafah").country == "PS"


@pytest.mark.parametrize(
    ("text", "north", "east", "precision"),
    [
        ("Gunmen ambushed a convoy about 40 km (25 miles) north of the town of Halba.", 40, 0, 2),
        (
            "A strike hit a village 80 kilometres southwest of the town of Halba on Monday.",
            -56.6,
            -56.6,
            3,
        ),
        ("A strike hit a village 10 miles east of the city of Halba on Monday.", 0, 16.1, 2),
    ],
)
def test_a_point_told_by_distance_and_direction_from_a_town(
    make_doc, resolver, text, north, east, precision
):
    from math import cos, radians

    doc = resolver(make_doc(text))
    (place,) = [m.value for m in doc.places if m.value.evidence[0].text.endswith("Halba")]
    halba_lat, halba_lon = 34.54278, 36.07972
    assert place.lat - halba_lat == pytest.approx(north / 111.2, abs=0.01)
    km_east = (place.lon - halba_lon) * 111.2 * cos(radians(halba_lat))
    assert km_east == pytest.approx(east, abs=1.5)
    assert place.precision == precision and place.geonames_id is None


def test_a_town_told_plainly_keeps_its_own_point(make_doc, resolver):
    place = _place(
        resolver(make_doc("A strike hit Halba, 40 km from the border, on Monday.")), "Halba"
    )
    assert (place.lat, place.lon) == (34.54278, 36.07972)


ARTICLED_DUMP = _rows(
    # invented towns whose names open with an Arabic article
    row(9100301, "El Tarfa", ["Al-Tarfiya"], 13.6, 25.3, "P", "PPLA", "SD", "02", 250000),
    row(9100302, "Ad Dimra", [], 12.9, 24.8, "P", "PPL", "SD", "02", 20000),
)


@pytest.fixture(scope="module")
def articled(tmp_path_factory) -> PlaceResolver:
    return _tiny_resolver(tmp_path_factory, TINY_DUMP + ARTICLED_DUMP)


@pytest.mark.parametrize(
    ("text", "found"),
    [
        # the small model tags these PERSON or ORG: found by their article, kept
        # where the gazetteer knows them by that very name in the story's country
        ("In Sudan, the RSF shelled el-Tarfa on Friday, killing 12 people.", ["el-Tarfa"]),
        ("In Sudan, drones struck El-Tarfa and ad-Dimra overnight.", ["El-Tarfa", "ad-Dimra"]),
        # an alternate name is too loose, and a name after another is a person's
        ("In Sudan, the RSF shelled al-Tarfiya on Friday.", []),
        ("In Sudan, General Omar el-Tarfa said the army would hold the line.", []),
    ],
)
def test_places_a_town_named_with_its_arabic_article(articled, make_doc, text, found):
    doc = articled(make_doc(text))
    assert [m.value.evidence[0].text for m in doc.places if m.value.lat is not None] == found


def test_places_the_capital_of_a_province_is_no_town_named_by_its_first_word(resolver, make_doc):
    doc = resolver(make_doc("They also attacked the provincial capital of North Darfur province."))
    assert "North" not in [m.value.evidence[0].text for m in doc.places]


@pytest.mark.parametrize(
    "text",
    [
        # a force or an acronym after a country's possessive is no place in it
        "In Sudan, Sudan's paramilitary Rapid Support Forces attacked the camp.",
        "Sudan's RSF accused of killing 15 in attack on hospital",
    ],
)
def test_places_a_countrys_force_is_no_place(articled, make_doc, text):
    doc = articled(make_doc(text))
    assert {m.value.evidence[0].text for m in doc.places} <= {"Sudan"}


def test_places_a_nationality_before_the_kind_word_gives_the_country(articled, make_doc):
    doc = articled(make_doc("A strike hit a house in the southern Sudanese town of Um Kweika."))
    town = _place(doc, "Um Kweika")
    assert (town.country, town.lat) == ("SD", None)


def test_places_the_edge_of_a_town_is_the_town(articled, make_doc):
    doc = articled(make_doc("In Sudan, shells struck a camp on the western edge of El Tarfa."))
    assert "El Tarfa" in [m.value.evidence[0].text for m in doc.places if m.value.lat]


@pytest.mark.parametrize(
    ("text", "evidence"),
    [
        ("In Sudan, gunmen attacked a village in the Ad Dimra local government area.",
         "Ad Dimra local government area"),
        ("In Sudan, gunmen attacked a village in Ad Dimra LGA on Monday.", "Ad Dimra LGA"),
    ],
)  # fmt: skip
def test_places_a_local_government_area_is_a_district(articled, make_doc, text, evidence):
    area = _place(articled(make_doc(text)), evidence)
    assert (area.country, area.precision) == ("SD", 3)


def test_places_the_citys_district_is_in_the_town_told_before(articled, make_doc):
    doc = articled(
        make_doc(
            "In Sudan, a missile struck the city of El Tarfa on Friday. It hit the city's Kassala "
            "district shortly after noon."
        )
    )
    part, town = _place(doc, "Kassala district"), _place(doc, "El Tarfa")
    assert (part.lat, part.geonames_id, part.precision) == (town.lat, town.geonames_id, 2)


def test_places_a_town_in_a_countrys_division_after_a_comma(articled, make_doc):
    # "Kumbo, in Cameroon's North-West region": the division, not its owner, holds it
    doc = articled(make_doc("Gunmen attacked a clinic in Ad Dimra, in Sudan's Tarfa region."))
    town = _place(doc, "Ad Dimra")
    assert (town.country, town.lat) == ("SD", 12.9)


DIVISIONS_DUMP = _rows(
    # an invented admin-1 division GeoNames names with its kind first, and its seat
    row(9100401, "Departamento de Tarfal", [], 7.0, -71.0, "A", "ADM1", "CO", "03", 0),
    row(9100402, "Tarfal", [], 7.1, -70.8, "P", "PPLA", "CO", "03", 80000),
)


@pytest.fixture(scope="module")
def divisions(tmp_path_factory) -> PlaceResolver:
    return _tiny_resolver(tmp_path_factory, TINY_DUMP + DIVISIONS_DUMP)


@pytest.mark.parametrize(
    "text",
    [
        "Rebels attacked a base in the northeastern department of Tarfal on Tuesday.",
        "Rebels attacked a base in the province of Tarfal on Tuesday.",
    ],
)
def test_places_the_kind_of_division_before_its_name_is_the_division(divisions, make_doc, text):
    # "the department of X": the division (GeoNames: "Departamento de X"), not its seat
    area = _place(divisions(make_doc(text)), "Tarfal")
    assert (area.country, area.precision, area.admin1) == ("CO", 4, "Departamento de Tarfal")


def test_places_a_department_that_is_no_division_is_no_place(divisions, make_doc):
    doc = divisions(make_doc("The department of Health said the clinic in Tarfal was shut."))
    assert "Health" not in [m.value.evidence[0].text for m in doc.places]


def test_places_a_town_told_as_an_area_is_near_it(articled, make_doc):
    # "a village in the El Tarfa area": somewhere around the town, precision 2
    doc = articled(make_doc("In Sudan, gunmen attacked a village in the El Tarfa area on Sunday."))
    area = _place(doc, "El Tarfa")
    assert (area.country, area.precision) == ("SD", 2)
