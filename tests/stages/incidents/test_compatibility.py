"""Dates and places compared at the precision each report reached (issue 15)."""

from __future__ import annotations

import pytest

from eventledger.models import Place, When
from eventledger.stages.incidents.compatibility import (
    dates_compatible,
    days_apart,
    facilities_match,
    places_compatible,
)


def _day(day, rule="absolute"):
    return When(start=day, end=day, precision="day", text=day, rule=rule)


MAY = When(start="2024-05-01", end="2024-05-31", precision="month", text="May", rule="month")


@pytest.mark.parametrize(
    ("a", "b", "compatible"),
    [
        (_day("2024-05-10"), _day("2024-05-10"), True),
        (_day("2024-05-10"), _day("2024-05-11"), False),  # two stated days: two attacks
        # "Friday evening" in a Saturday report against "on Saturday" in another
        (_day("2024-05-10", "weekday-past"), _day("2024-05-11", "weekday-past"), True),
        (_day("2024-05-10"), _day("2024-05-11", "overnight"), True),
        (_day("2024-05-10", "weekday-past"), _day("2024-05-12", "weekday-past"), False),
        # a statement two days later, dated to the day it was made
        (_day("2024-05-10"), _day("2024-05-12", "today"), True),
        # a Wednesday briefing on a Saturday attack: the telling's day bounds the
        # attack's from above, within the week before it
        (_day("2024-05-11"), _day("2024-05-15", "weekday-same-as-publication"), True),
        (_day("2024-05-10"), _day("2024-05-17", "today"), True),
        (_day("2024-05-10"), _day("2024-05-18", "today"), False),
        (_day("2024-05-12", "today"), _day("2024-05-13"), False),  # never before the attack
        (MAY, _day("2024-05-10"), True),  # a month contains its days
        (MAY, _day("2024-06-02"), False),
        (None, _day("2024-05-10"), True),  # no date: nothing to contradict
    ],
)
def test_dates_compatible(a, b, compatible):
    assert dates_compatible(a, b, max_days=2) is compatible
    assert dates_compatible(b, a, max_days=2) is compatible


TOWN = Place(name="Qarya", lat=15.40, lon=32.50, admin1="North Province", country="SD",
             precision=1, geonames_id=1001)  # fmt: skip
OTHER_TOWN = Place(name="Bilad", lat=17.90, lon=33.90, admin1="North Province", country="SD",
                   precision=1, geonames_id=1002)  # fmt: skip
REGION = Place(name="North Province", lat=16.0, lon=33.0, admin1="North Province",
               country="SD", precision=4)  # fmt: skip
COUNTRY = Place(name="Sudan", country="SD", precision=6)
ABROAD = Place(name="Chad", country="TD", precision=6)


@pytest.mark.parametrize(
    ("a", "b", "compatible"),
    [
        (TOWN, COUNTRY, True),  # a town lies in its country
        (TOWN, REGION, True),  # and in its admin-1 region
        (Place(name=None, facility="Al-Amal Clinic"), TOWN, True),  # a facility in a town
        (TOWN, ABROAD, False),
        (TOWN, OTHER_TOWN, False),  # two towns about 300 km apart
        (REGION, Place(name="South Province", admin1="South Province", country="SD"), False),
        (
            Place(name="Qarya", facility="Al-Noor Hospital", country="SD"),
            Place(name="Qarya", facility="Al-Salam Hospital", country="SD"),
            False,  # two named hospitals of one town are two places
        ),
        (None, TOWN, True),
    ],
)
def test_places_compatible(a, b, compatible):
    assert places_compatible(a, b, far_km=50) is compatible
    assert places_compatible(b, a, far_km=50) is compatible


@pytest.mark.parametrize(
    ("a", "b", "match"),
    [
        ("Al-Rahma Hospital", "Al Rahmah Hospital", True),  # transliterations
        ("the Friendship Maternity Hospital", "the Friendship Hospital", True),  # forms
        ("El-Shifaa clinic", "Al Shifa Clinic", True),
        ("the Qarya Al-Noor hospital", "Al-Noor Hospital", True),  # the town's name added
        ("Kamal Adwan Hospital", "Kamal Udwan hospital", True),  # vowels of a transliteration
        ("Al-Noor Hospital", "Al-Nour Hospital", True),
        ("Al-Noor Hospital", "Al-Salam Hospital", False),
        # one short word's consonants say too little: Al-Nasr and Nasser are two
        ("Al-Nasr Hospital", "Nasser Hospital", False),
        ("the hospital", "Al-Noor Hospital", None),  # says only what kind of place
        ("the Sudanese hospital", "Al-Noor Hospital", None),  # and where
    ],
)
def test_facilities_match(a, b, match):
    pa, pb = Place(name="Qarya", facility=a), Place(name=None, facility=b)
    assert facilities_match(pa, pb) is match


def test_a_day_of_the_telling_may_follow_the_event():
    from eventledger.models import When
    from eventledger.stages.incidents.compatibility import dates_compatible, is_exact_day

    told = When(
        "2024-03-12", "2024-03-12", "day", "on Tuesday", "weekday-past", attachment="telling"
    )
    event = When("2024-03-10", "2024-03-10", "day", "March 10", "absolute", attachment="sentence")
    assert not is_exact_day(told)
    assert dates_compatible(told, event, 2)
    later = When("2024-03-15", "2024-03-15", "day", "March 15", "absolute", attachment="sentence")
    assert not dates_compatible(told, later, 2)  # never days after the telling


@pytest.mark.parametrize(
    ("a", "b", "days"),
    [
        (_day("2024-05-10"), _day("2024-05-10"), 0),
        (_day("2024-05-10"), _day("2024-05-14", "today"), 4),  # slack not counted
        (MAY, _day("2024-05-20"), 0),  # inside the month
        (MAY, _day("2024-06-03"), 3),
        (None, _day("2024-05-10"), 0),
    ],
)
def test_days_apart(a, b, days):
    assert days_apart(a, b) == days
    assert days_apart(b, a) == days
