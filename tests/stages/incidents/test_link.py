from __future__ import annotations

import dataclasses

import pytest

from eventledger.config import Settings
from eventledger.models import Actor, Event, Evidence, Figure, Incident, Place, When
from eventledger.stages.incidents import IncidentLinker, reconcile_figures
from eventledger.stages.incidents.link import actors_agree, person_names, text_overlap


class MemoryStore:
    """The IncidentStore protocol over dicts; blocking by brute force is fine here."""

    def __init__(self):
        self.events: dict[str, Event] = {}
        self.figures: dict[str, Figure] = {}
        self.incidents: dict[str, Incident] = {}
        self.revisions: dict[str, list[str]] = {}  # document -> its older revisions
        self.source: dict[str, str] = {}  # document -> story it copies
        self.texts: dict[str, str] = {}  # document -> its text
        self.published: dict[str, str] = {}  # document -> its publication day

    def add(self, event: Event, *figures: Figure):
        self.events[event.id] = event
        for f in figures:
            self.figures[f.id] = dataclasses.replace(f, event_id=event.id)
            event.figure_ids.append(f.id)

    def events_of(self, document_id):
        return [e for e in self.events.values() if e.document_id == document_id]

    def figures_of_events(self, event_ids):
        return [f for f in self.figures.values() if f.event_id in event_ids]

    def incident_candidates(self, **_):
        return [
            dataclasses.replace(
                i, event_ids=list(i.event_ids), document_ids=list(i.document_ids), why=list(i.why)
            )
            for i in self.incidents.values()
        ]

    def incident_candidates_in_area(self, **_):
        return self.incident_candidates()

    def incident_candidates_in_window(self, **_):
        return self.incident_candidates()

    def recent_undated_incidents(self, **_):
        return [i for i in self.incident_candidates() if i.date is None or not i.date.start]

    def incidents_of_type(self, type_):
        return [i for i in self.incident_candidates() if i.type == type_]

    def save_incident(self, incident, *, added=None):
        self.incidents[incident.id] = incident

    def delete_incident(self, incident_id):
        del self.incidents[incident_id]

    def incidents_of_events(self, event_ids):
        return [i for i in self.incident_candidates() if set(i.event_ids) & set(event_ids)]

    def previous_revisions(self, document_id):
        return self.revisions.get(document_id, [])

    def sources_of(self, document_ids):
        return {
            d: {"source_id": self.source.get(d, d), "outlet": d.upper(),
                "published": self.published.get(d), "pk": n, "text": self.texts.get(d, "")}
            for n, d in enumerate(document_ids)
        }  # fmt: skip


def _when(day):
    return When(start=day, end=day, precision="day", text=day, rule="absolute")


HALBA = dict(name="Halba", lat=34.54, lon=36.08, geonames_id=274723, country="LB", precision=1)


def _event(
    doc,
    n,
    day,
    facility="Al-Amal Hospital",
    type_="Violence against civilians",
    factuality="asserted",
    subtype="Attack",
):
    return Event(
        id=f"{doc}:ev{n}",
        document_id=doc,
        type=type_,
        subtype=subtype,
        trigger="raided",
        factuality=factuality,
        date=_when(day) if day else None,
        place=Place(facility=facility, **HALBA),
    )


def _fig(doc, n, lo, hi, who):
    return Figure(
        id=f"{doc}:fig{n}",
        document_id=doc,
        kind="killed",
        group="patients",
        min=lo,
        max=hi,
        approximate=False,
        text=str(lo),
        claimant={"name": who, "type": "health_authority"} if who else None,
    )


@pytest.fixture()
def linker_and_store():
    store = MemoryStore()
    return IncidentLinker(Settings(), store), store


def test_two_reports_of_one_incident_merge_with_a_disagreement(linker_and_store):
    linker, store = linker_and_store
    store.add(_event("a", 1, "2024-03-12"), _fig("a", 1, 12, 12, "health ministry"))
    store.add(_event("b", 1, "2024-03-12"), _fig("b", 1, 15, None, "civil defence"))
    linker.link_document("a")
    linker.link_document("b")
    assert len(store.incidents) == 1
    inc = next(iter(store.incidents.values()))
    assert inc.document_ids == ["a", "b"]
    assert "facility" in inc.why[0] and "date" in inc.why[0]
    (fig,) = inc.figures
    assert fig.disagreement
    assert (fig.low, fig.high) == (12, None)  # one report is open-ended ("at least 15")
    assert {v.claimant["name"] for v in fig.values} == {"health ministry", "civil defence"}


def test_same_facility_on_two_precise_dates_stays_apart(linker_and_store):
    linker, store = linker_and_store
    store.add(_event("a", 1, "2024-03-12"))
    store.add(_event("b", 1, "2024-03-13"))
    linker.link_document("a")
    linker.link_document("b")
    assert len(store.incidents) == 2


@pytest.mark.parametrize("factuality", ["negated", "future", "hypothetical"])
def test_mentions_that_are_not_new_events_form_no_incident(linker_and_store, factuality):
    linker, store = linker_and_store
    store.add(_event("a", 1, "2024-03-12", factuality=factuality))
    assert linker.link_document("a") == []
    assert store.incidents == {}


def test_a_historical_mention_without_a_date_forms_no_incident(linker_and_store):
    linker, store = linker_and_store
    store.add(_event("a", 1, None, factuality="historical"))
    assert linker.link_document("a") == []


def test_one_past_attack_quoted_differently_is_one_figure_with_a_disagreement(linker_and_store):
    # "276 abducted" in one report, "300" in another: both background mentions
    linker, store = linker_and_store
    store.add(_event("a", 1, "2014-04-14", factuality="historical"), _fig("a", 1, 276, 276, None))
    store.add(_event("b", 1, "2014-04-14", factuality="historical"), _fig("b", 1, 300, 300, None))
    linker.link_document("a")
    linker.link_document("b")
    (inc,) = store.incidents.values()
    (fig,) = inc.figures
    assert fig.disagreement and (fig.low, fig.high) == (276, 300)
    assert "historical mention" in inc.why[0]


def test_values_of_a_syndicated_copy_are_not_a_disagreement():
    # Unattributed: each is its story's statement, and a copy speaks for its original.
    figs = [_fig("wire", 1, 12, 12, None), _fig("copy", 1, 14, 14, None)]
    (alone,) = reconcile_figures(figs)
    (as_copy,) = reconcile_figures(figs, {"wire": "wire", "copy": "wire"})
    assert alone.disagreement and not as_copy.disagreement
    assert len(as_copy.values) == 2  # every value is kept


def test_a_copy_joins_the_incident_of_its_original_even_without_its_own_place(linker_and_store):
    linker, store = linker_and_store
    store.add(_event("wire", 1, "2024-03-12"), _fig("wire", 1, 11, None, "director"))
    copy_event = _event("copy", 1, None)
    copy_event.place = None
    copy_event.evidence = []
    store.add(copy_event, _fig("copy", 1, 11, None, "director"))
    store.source["copy"] = "wire"
    linker.link_document("wire")
    linker.link_document("copy", ["wire"])
    (inc,) = store.incidents.values()
    assert inc.document_ids == ["wire", "copy"]
    assert "syndicated copy of wire" in inc.why[0]
    (source,) = inc.sources
    assert source["document_ids"] == ["wire", "copy"] and source["outlets"] == ["WIRE", "COPY"]
    assert not inc.figures[0].disagreement


def test_a_new_revision_takes_the_old_events_out_of_their_incident(linker_and_store):
    linker, store = linker_and_store
    store.add(_event("a", 1, "2024-03-12"), _fig("a", 1, 12, 12, "ministry"))
    store.add(_event("b", 1, "2024-03-12"), _fig("b", 1, 15, 15, "civil defence"))
    store.add(_event("b2", 1, "2024-03-12"), _fig("b2", 1, 12, 12, "civil defence"))
    store.revisions["b2"] = ["b"]
    for doc in ("a", "b", "b2"):
        linker.link_document(doc)
    (inc,) = store.incidents.values()
    assert inc.document_ids == ["a", "b2"]
    assert "b:ev1" not in inc.event_ids
    assert not inc.figures[0].disagreement  # the revised report now says 12 too


def test_a_lone_revised_incident_is_deleted(linker_and_store):
    linker, store = linker_and_store
    store.add(_event("b", 1, "2024-03-12"))
    store.add(_event("b2", 1, "2024-03-20"))
    store.revisions["b2"] = ["b"]
    linker.link_document("b")
    linker.link_document("b2")
    assert [i.event_ids for i in store.incidents.values()] == [["b2:ev1"]]


def test_an_event_without_a_date_stays_alone(linker_and_store):
    linker, store = linker_and_store
    store.add(_event("a", 1, "2024-03-12"))
    store.add(_event("b", 1, None))
    linker.link_document("a")
    linker.link_document("b")
    assert len(store.incidents) == 2


@pytest.mark.parametrize(
    ("other_type", "facility", "merged"),
    [
        ("Strategic developments", "Al-Amal Hospital", False),  # an order is not an attack
        ("Explosions/Remote violence", "Al-Amal Hospital", True),  # one strike, two codings
        ("Explosions/Remote violence", None, False),  # without the facility: too weak
    ],
)
def test_type_compatibility(linker_and_store, other_type, facility, merged):
    linker, store = linker_and_store
    store.add(_event("a", 1, "2024-03-12", facility=facility))
    store.add(_event("b", 1, "2024-03-12", facility=facility, type_=other_type))
    linker.link_document("a")
    linker.link_document("b")
    assert len(store.incidents) == (1 if merged else 2)


@pytest.mark.parametrize(
    ("subtype", "facility_b", "merged"),
    [
        ("Arrests", "Al-Amal Hospital", True),  # one raid, told by its detentions
        ("Arrests", "the Al Amal hospital", True),
        ("Arrests", "Al-Salam Hospital", False),  # another hospital
        ("Other", "Al-Amal Hospital", False),  # an evacuation order is no raid
    ],
)
def test_a_raid_told_as_arrests_joins_its_attack_at_one_facility(
    linker_and_store, subtype, facility_b, merged
):
    linker, store = linker_and_store
    store.add(_event("a", 1, "2024-03-12"))
    store.add(
        _event(
            "b", 1, "2024-03-12", facility=facility_b, type_="Strategic developments",
            subtype=subtype,
        )
    )  # fmt: skip
    linker.link_document("a")
    linker.link_document("b")
    assert len(store.incidents) == (1 if merged else 2)


@pytest.mark.parametrize(
    ("values", "low", "best", "high", "disagree"),
    [
        ([(2, 2), (2, 2)], 2, 2, 2, False),
        ([(12, 12), (15, 15)], 12, 12, 15, True),
        ([(20, 30), (25, 25)], 20, 25, 30, True),
        ([(14001, None)], 14001, 14001, None, False),
    ],
)
def test_reconcile_rule(values, low, best, high, disagree):
    figs = [_fig(f"d{i}", 1, lo, hi, None) for i, (lo, hi) in enumerate(values)]
    (out,) = reconcile_figures(figs)
    assert (out.low, out.best, out.high, out.disagreement) == (low, best, high, disagree)
    assert len(out.values) == len(values)


def test_cumulative_figures_are_not_incident_figures():
    f = _fig("a", 1, 14000, None, "ministry")
    f.scope = "cumulative"
    assert reconcile_figures([f]) == []


def _with_people(event, *names, role="target"):
    event.actors = [Actor(role=role, name=n) for n in names]
    return event


@pytest.mark.parametrize(
    ("name", "role", "expected"),
    [
        ("Mark Mata", "perpetrator", {"mata"}),
        ("5-year - old Mariah Davis", "victim", {"davis"}),
        ("Police", "perpetrator", set()),  # one generic word
        ("Anderson", "target", set()),  # a single name is not enough on its own
        ("Birch Street", "target", set()),  # a street, not a person
        ("the Israeli Army", "perpetrator", set()),
        ("Mark Mata", "weapon", set()),  # weapons and facilities are not people
        ("Omar Hassan al-Bashir", "perpetrator", {"al-bashir"}),
        ("Osama bin Laden", "perpetrator", {"laden"}),
    ],
)
def test_person_names(name, role, expected):
    event = _with_people(_event("a", 1, "2024-03-12"), name, role=role)
    assert person_names(event) == expected


def test_names_only_the_argument_model_found_link_nothing():
    """People the trained argument stage alone found anywhere in the report (source
    "model") are left out, so that stage never joins or splits incidents."""
    ea = _with_people(_event("a", 1, "2024-03-12"), "Mark Mata")
    eb = _with_people(_event("b", 1, "2024-03-12"), "Mata")
    assert actors_agree([ea], [eb])
    ea.actors[0].source = "model"
    assert person_names(ea) == frozenset()
    assert not actors_agree([ea], [eb])
    ea.actors[0].source = "rules+model"  # the rules' own, confirmed by the model
    assert person_names(ea) == {"mata"}


@pytest.mark.parametrize(
    ("a", "b", "agree"),
    [
        (["Mark Mata"], ["Mata"], True),  # full name on one side, surname on the other
        (["Mata"], ["Mark Mata"], True),
        (["Anderson"], ["Anderson"], False),  # no full name on either side
        (["Mark Mata"], ["John Smith"], False),
    ],
)
def test_actors_agree(a, b, agree):
    ea = _with_people(_event("a", 1, "2024-03-12"), *a)
    eb = _with_people(_event("b", 1, "2024-03-12"), *b)
    assert actors_agree([ea], [eb]) is agree


def _nearby(doc, geonames_id, *names, day="2024-03-12"):
    place = Place(name=f"town{geonames_id}", lat=34.5, lon=36.1, geonames_id=geonames_id,
                  country="LB", precision=1)  # fmt: skip
    event = _with_people(_event(doc, 1, day, facility=None), *names)
    event.place = place
    return event


@pytest.mark.parametrize(
    ("names_a", "names_b", "merged"),
    [
        (["Mark Mata"], ["Mata"], True),  # nearby places, one person named by both
        (["Mark Mata"], ["John Smith"], False),
        ([], [], False),  # nearby, same day and type, nobody named: too weak
    ],
)
def test_nearby_places_merge_only_on_a_shared_person(linker_and_store, names_a, names_b, merged):
    linker, store = linker_and_store
    store.add(_nearby("a", 1, *names_a))
    store.add(_nearby("b", 2, *names_b))
    linker.link_document("a")
    linker.link_document("b")
    assert len(store.incidents) == (1 if merged else 2)
    if merged:
        assert "actors" in next(iter(store.incidents.values())).why[0]


def _undated(doc, *names, place="Yida", day=None, text=None):
    event = _with_people(_event(doc, 1, day, facility=None), *names)
    event.place = Place(name=place)  # a place name the gazetteer did not resolve
    event.trigger = text or f"shelling reported by outlet{doc} correspondent{doc}"
    return event


BOMBING = "Sudanese warplanes bombed the Yida refugee camp in Unity state on Thursday"


@pytest.mark.parametrize(
    ("a", "b", "undated", "merged"),
    [
        (_undated("a", "Omar al-Bashir Ahmed"), _undated("b", "Ahmed"), True, True),
        (_undated("a", "Omar al-Bashir Ahmed"), _undated("b", "Ahmed"), False, False),
        (_undated("a", "Omar Ahmed"), _undated("b", "Ahmed", place="Jabalia"), True, False),
        (_undated("a", "Omar Ahmed"), _undated("b", "Ali Hassan"), True, False),
        # nobody named, but the evidence sentences say the same thing
        (_undated("a", text=BOMBING), _undated("b", text=BOMBING + " night"), True, True),
        (_undated("a", text=BOMBING), _undated("b", text=BOMBING, place="Jabalia"), True, False),
        # precise, different days stay apart even in the no-date mode
        (
            _undated("a", "Omar Ahmed", day="2011-11-10"),
            _undated("b", "Ahmed", day="2011-11-12"),
            True,
            False,
        ),
    ],
)
def test_no_date_mode(a, b, undated, merged):
    store = MemoryStore()
    linker = IncidentLinker(Settings(), store, undated=undated)
    store.add(a)
    store.add(b)
    linker.link_document("a")
    linker.link_document("b")
    assert len(store.incidents) == (1 if merged else 2)
    if merged:
        assert "no-date mode" in next(iter(store.incidents.values())).why[0]


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("bombed the camp", "bombed the camp", 1.0),
        ("bombed the camp", "shelled the market", 0.0),
        ("the bombed camp", "bombed a market", 1 / 3),  # function words do not count
    ],
)
def test_text_overlap(a, b, expected):
    ea, eb = _undated("a", text=a), _undated("b", text=b)
    assert text_overlap([ea], [eb]) == pytest.approx(expected)


# --- linking across outlets and days (issue 15) -----------------------------

QARYA = Place(name="Qarya", lat=15.40, lon=32.50, admin1="North Province", country="SD",
              precision=1, geonames_id=1001)  # fmt: skip
FAR_TOWN = Place(name="Bilad", lat=17.90, lon=33.90, admin1="North Province", country="SD",
                 precision=1, geonames_id=1002)  # fmt: skip
SUDAN = Place(name="Sudan", country="SD", precision=6)
RAID = (
    "Fighters of the Desert Lions militia stormed the Al-Rahma clinic in Qarya, "
    "shooting two nurses and looting the pharmacy. The Desert Lions denied it."
)
RAID_RETOLD = (
    "Two nurses were shot when Desert Lions fighters raided the Al Rahmah clinic "
    "in Qarya and looted its pharmacy, the aid group said."
)
MARKET = "Shelling hit the cattle market of Bilad as traders gathered before dawn."


def _report(store, doc, text, day=None, rule="absolute", place=QARYA, published=None):
    """A stored report of one attack whose evidence is its first sentence's verb."""
    trigger = next(w for w in ("stormed", "shot", "hit", "raided") if w in text)
    start = text.index(trigger)
    event = Event(
        id=f"{doc}:ev1", document_id=doc, type="Violence against civilians",
        subtype="Attack", trigger=trigger, place=place,
        date=When(start=day, end=day, precision="day", text=day, rule=rule) if day else None,
        evidence=[Evidence(doc, start, start + len(trigger), trigger)],
    )  # fmt: skip
    store.add(event)
    store.texts[doc] = text
    store.published[doc] = published or day
    return event


def _link(linker, *docs):
    for doc in docs:
        linker.link_document(doc)


@pytest.mark.parametrize(
    ("b_place", "b_day", "b_rule", "merged"),
    [
        (SUDAN, "2024-05-10", "absolute", True),  # a country contains the town
        (None, "2024-05-10", "absolute", True),  # a report that names no place
        (QARYA, "2024-05-11", "weekday-past", True),  # "Friday evening" seen from Saturday
        (QARYA, "2024-05-12", "weekday-same-as-publication", True),  # a statement 2 days on
        (QARYA, "2024-05-11", "absolute", False),  # two stated days are two attacks
        (FAR_TOWN, "2024-05-10", "absolute", False),  # two distant towns, whatever the text
        (SUDAN, "2024-05-14", "weekday-past", False),
    ],
)
def test_reports_of_one_attack_link_across_outlets_and_days(b_place, b_day, b_rule, merged):
    store = MemoryStore()
    linker = IncidentLinker(Settings(), store)
    _report(store, "a", RAID, "2024-05-10")
    _report(store, "b", RAID_RETOLD, b_day, b_rule, place=b_place)
    _link(linker, "a", "b")
    assert len(store.incidents) == (1 if merged else 2)
    if merged:
        (inc,) = store.incidents.values()
        assert "text" in inc.why[0]


def test_a_coarse_first_report_takes_the_precise_place_and_date_of_a_later_one():
    store = MemoryStore()
    linker = IncidentLinker(Settings(), store)
    _report(store, "a", RAID_RETOLD, "2024-05-11", "weekday-past", place=SUDAN)
    _report(store, "b", RAID, "2024-05-10")
    _link(linker, "a", "b")
    (inc,) = store.incidents.values()
    assert (inc.place.name, inc.date.start, inc.date.rule) == ("Qarya", "2024-05-10", "absolute")


@pytest.mark.parametrize(
    ("facility_b", "merged"),
    [
        ("Al Rahmah Clinic", True),  # one clinic, transliterated two ways
        ("the Al-Rahma Maternity Clinic", True),  # and named in a longer form
        ("Al-Salam Clinic", False),  # another clinic of the same town
    ],
)
def test_facility_names_that_differ_in_form(facility_b, merged):
    store = MemoryStore()
    linker = IncidentLinker(Settings(), store)
    # one sentence each, nothing else in common: the facility decides
    _report(store, "a", "Gunmen shot a guard.", "2024-05-10")
    _report(store, "b", "A clinic was hit.", "2024-05-10")
    store.events["a:ev1"].place = dataclasses.replace(QARYA, facility="Al-Rahma Clinic")
    store.events["b:ev1"].place = dataclasses.replace(QARYA, facility=facility_b)
    _link(linker, "a", "b")
    assert len(store.incidents) == (1 if merged else 2)
    if merged:
        assert "facility" in next(iter(store.incidents.values())).why[0]


def test_no_chain_of_weak_links_joins_two_precise_days():
    # an undated, country-level report reads like both; the two stated days differ
    store = MemoryStore()
    linker = IncidentLinker(Settings(), store)
    _report(store, "vague", RAID_RETOLD, None, place=SUDAN, published="2024-05-12")
    _report(store, "friday", RAID, "2024-05-10")
    _report(store, "saturday", RAID, "2024-05-11")
    _link(linker, "vague", "friday", "saturday")
    assert sorted(sorted(i.document_ids) for i in store.incidents.values()) == [
        ["friday", "vague"],
        ["saturday"],
    ]


@pytest.mark.parametrize(
    ("published", "merged"),
    [
        ("2024-05-12", True),  # an undated report of the same week
        ("2024-06-20", False),  # the same words six weeks later: not this attack
    ],
)
def test_an_undated_report_links_by_its_text_within_its_week(published, merged):
    store = MemoryStore()
    linker = IncidentLinker(Settings(), store)
    _report(store, "a", RAID, "2024-05-10")
    _report(store, "b", RAID_RETOLD, None, place=None, published=published)
    _link(linker, "a", "b")
    assert len(store.incidents) == (1 if merged else 2)


NURSE = "A nurse was shot in Qarya as she left work at a clinic, her brother told reporters."


@pytest.mark.parametrize(
    ("place", "merged"),
    [
        (QARYA, True),  # the same town in the same week: the lower bar
        (SUDAN, False),  # only the country: reading somewhat alike is not enough
    ],
)
def test_an_undated_report_of_the_same_town_needs_less_text(place, merged):
    store = MemoryStore()
    linker = IncidentLinker(Settings(), store)
    _report(store, "a", RAID, "2024-05-10")
    _report(store, "b", NURSE, None, place=place, published="2024-05-11")
    _link(linker, "a", "b")
    assert len(store.incidents) == (1 if merged else 2)


def test_reports_that_read_differently_stay_apart_on_a_coarse_place():
    store = MemoryStore()
    linker = IncidentLinker(Settings(), store)
    _report(store, "a", RAID, "2024-05-10")
    _report(store, "b", MARKET, "2024-05-10", place=SUDAN)
    _link(linker, "a", "b")
    assert len(store.incidents) == 2


def test_a_past_attack_named_without_a_point_joins_its_incident_but_founds_none(
    linker_and_store,
):
    # "the man shot in Halba last month", the town named but not pointed to:
    # the mention may join the incident it recalls, never found one
    linker, store = linker_and_store
    vague = _event("b", 1, "2024-03-12", facility=None, factuality="historical")
    vague.place = Place(name="Halba", country="LB", geonames_id=HALBA["geonames_id"])
    store.add(vague)
    assert linker.link_document("b") == []
    store.add(_event("a", 1, "2024-03-12"))
    (inc,) = linker.link_document("a")
    (joined,) = linker.link_document("b")
    assert joined.id == inc.id and joined.event_ids == ["a:ev1", "b:ev1"]


@pytest.mark.parametrize(
    ("text", "day", "merged"),
    [
        # a briefing four days after the attack, dated only by its own day
        (RAID_RETOLD, "2024-05-14", True),
        # the same town and the same days, but another story: a week's slack
        # is not enough on its own
        (NURSE, "2024-05-14", False),
        (RAID_RETOLD, "2024-05-18", False),  # past the week before the statement
    ],
)
def test_a_statement_days_later_links_only_when_the_reports_read_alike(text, day, merged):
    store = MemoryStore()
    linker = IncidentLinker(Settings(), store)
    _report(store, "a", RAID, "2024-05-10")
    _report(store, "b", text, day, "weekday-same-as-publication")
    _link(linker, "a", "b")
    assert len(store.incidents) == (1 if merged else 2)
    if merged:
        (inc,) = store.incidents.values()
        assert "date (week)" in inc.why[0] and "text" in inc.why[0]


def _camp_event(n, place, doer, facility=None):
    event = _event("a", n, "2024-03-08", facility=facility)
    event.place = Place(name=place, facility=facility, lat=13.63, lon=25.35, country="SD")
    event.actors = [Actor("perpetrator", doer)]
    return event


@pytest.mark.parametrize(("doer", "incidents"), [("the militia", 1), ("the army", 2)])
def test_one_report_one_day_one_point_one_pair_of_actors_is_one_incident(
    linker_and_store, doer, incidents
):
    # an assault on the camps and the city, and the camp attacked that day: ACLED's unit
    linker, store = linker_and_store
    store.add(_camp_event(1, "the city", "the militia"))
    store.add(_camp_event(2, "the camp", doer))
    linker.link_document("a")
    assert len(store.incidents) == incidents
