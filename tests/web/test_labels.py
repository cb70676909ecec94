"""Human words for the ledger's codes, and the incident's one-line summary."""

from __future__ import annotations

import pytest

from eventledger.web import labels


def _value(low, high, claimant, doc):
    return {
        "min": low,
        "max": high,
        "claimant": {"name": claimant} if claimant else None,
        "document_id": doc,
    }


def _incident(**over):
    incident = {
        "id": "inc-1",
        "type": "Explosions/Remote violence",
        "date": {"start": "2024-03-12", "end": "2024-03-12", "precision": "day"},
        "place": {"name": "Halba", "facility": "Al-Amal Hospital", "country": "LB"},
        "figures": [
            {
                "kind": "killed",
                "group": None,
                "low": 15,
                "high": 20,
                "best": 15,
                "disagreement": True,
                "subgroup": False,
                "values": [
                    _value(15, 15, "the health ministry", "a"),
                    _value(20, 20, "civil defence", "b"),
                ],
            },
            {
                "kind": "injured",
                "group": "health_workers",
                "low": 3,
                "high": 3,
                "disagreement": False,
                "subgroup": True,
                "values": [_value(3, 3, None, "a")],
            },
        ],
        "sources": [{"source_id": s} for s in "abc"],
        "document_ids": ["a", "b", "c", "c-copy"],
    }
    return incident | over


EVENTS = [
    {
        "subtype": "Air/drone strike",
        "factuality": "asserted",
        "actors": [
            {"role": "perpetrator", "name": "the air force", "normalized": "Air Force"},
            {"role": "target", "name": "the hospital"},
        ],
    },
    {"subtype": "Air/drone strike", "factuality": "asserted", "actors": []},
    # An earlier event the reports mention does not speak for this one.
    {
        "subtype": "Armed clash",
        "factuality": "historical",
        "actors": [{"role": "perpetrator", "name": "Militia"}],
    },
]


def test_summary_says_what_where_when_who_toll_and_sources():
    assert labels.incident_summary(_incident(), EVENTS) == (
        "Air/drone strike on Al-Amal Hospital, Halba (Lebanon), 12 Mar 2024, by Air Force"
        " — 15 to 20 killed according to the health ministry, civil defence, 3 sources disagree"
    )


def test_summary_says_what_it_does_not_know():
    bare = _incident(date=None, place=None, figures=[], sources=[], document_ids=["a"])
    assert labels.incident_summary(bare, []) == (
        "Explosions/Remote violence, place not resolved, date not resolved, "
        "perpetrator not named — 1 source"
    )


def test_summary_counts_sources_that_agree():
    figures = [dict(_incident()["figures"][0], disagreement=False)]
    assert labels.incident_summary(_incident(figures=figures), EVENTS).endswith("3 sources agree")


@pytest.mark.parametrize(
    ("when", "text"),
    [
        ({"start": "2024-03-12", "end": "2024-03-12", "precision": "day"}, "12 Mar 2024"),
        ({"start": "2024-03-12", "end": "2024-03-14", "precision": "day"}, "12–14 Mar 2024"),
        ({"start": "2024-02-28", "end": "2024-03-02", "precision": "day"}, "28 Feb – 2 Mar 2024"),
        ({"start": "2023-12-30", "end": "2024-01-02"}, "30 Dec 2023 – 2 Jan 2024"),
        ({"start": "2024-03-11", "end": "2024-03-17", "precision": "week"}, "week of 11 Mar 2024"),
        ({"start": "2024-03-01", "end": "2024-03-31", "precision": "month"}, "Mar 2024"),
        ({"start": "2023-01-01", "end": "2023-12-31", "precision": "year"}, "2023"),
        ({"start": None, "reason": "no date"}, ""),
        (None, ""),
    ],
)
def test_date_text(when, text):
    assert labels.date_text(when) == text


@pytest.mark.parametrize(
    ("place", "text"),
    [
        ({"name": "Halba", "facility": "Al-Amal Hospital", "country": "LB"}, "Al-Amal Hospital, Halba (Lebanon)"),
        ({"name": "Halba", "country": "lb"}, "Halba (Lebanon)"),
        ({"name": None, "country": "SD"}, "Sudan"),
        ({"name": "Lebanon", "country": "LB"}, "Lebanon"),
        ({"name": "Somewhere", "country": "QQ"}, "Somewhere (QQ)"),
        ({"name": None, "reason": "not in gazetteer"}, ""),
        (None, ""),
    ],
)  # fmt: skip
def test_place_text_names_the_country(place, text):
    assert labels.place_text(place) == text


@pytest.mark.parametrize(
    ("low", "high", "kind", "group", "subgroup", "text"),
    [
        (15, 20, "killed", None, False, "15 to 20 killed"),
        (12, None, "killed", None, False, "at least 12 killed"),
        (None, 30, "injured", None, False, "at most 30 injured"),
        (2, 2, "hostages", "health_workers", False, "2 health workers held hostage"),
        (5, 5, "killed", "children", True, "of whom 5 children killed"),
        (1400, 1400, "other", None, False, "1,400 affected"),
        (None, None, "missing", None, False, "unknown missing"),
    ],
)
def test_toll_text_has_no_codes(low, high, kind, group, subgroup, text):
    assert labels.toll_text(low, high, kind, group, subgroup=subgroup) == text


@pytest.mark.parametrize(
    ("precision", "text"),
    [(1, "exact place"), (3, "district level"), (4, "province or region level"), (None, "")],
)
def test_precision_words(precision, text):  # fmt: skip
    assert labels.precision_words(precision) == text


@pytest.mark.parametrize(
    ("kind", "field", "record", "text"),
    [
        ("event", "date.evidence[0]", {}, "the date"),
        ("event", "place.evidence[1]", {}, "the place"),
        ("event", "evidence[2]", {}, "what happened"),
        (
            "event",
            "actors[1].evidence[0]",
            {"actors": [{"role": "target", "name": "x"}, {"role": "perpetrator", "name": "Gunmen"}]},
            "perpetrator: Gunmen",
        ),
        ("figure", "evidence[0]", {"kind": "killed", "group": "health_workers"}, "the count of health workers killed"),
        ("claim", "source_evidence", {}, "who said it"),
        ("claim", "content_evidence", {}, "what was said"),
    ],
)  # fmt: skip
def test_field_words_say_which_field_a_span_proves(kind, field, record, text):
    assert labels.field_words(kind, field, record) == text


def test_why_items_name_the_source_and_the_reasons_in_words():
    why = [
        "d2:ev1: type, date, place, text 0.74",
        "d3:ev1: syndicated copy of d2 (d2:ev1)",
        "d4:ev2: historical mention",
        "zz:ev9: something new, date",
    ]
    items = labels.why_items(why, {"d2:ev1": 1, "d3:ev1": 2, "d4:ev2": 3}, {"d2": 1})
    assert [i["text"] for i in items] == [
        "Source 2 joined: same type of event, same date, same place, "
        "reports read alike (74% similar wording)",
        "Source 3 is a copy of source 2 (counted once)",
        "Source 4 mentions this incident as an earlier event",
        # An unknown reason is shown as the linker wrote it, not dropped.
        "A report joined: something new, same date",
    ]
    assert [i["code"] for i in items] == why


@pytest.mark.parametrize(
    ("url", "linked"),
    [
        ("https://example.org/a?x=1", True),
        ("http://example.org", True),
        ("HTTPS://EXAMPLE.ORG/", True),
        ("javascript:alert(1)", False),
        ("data:text/html,<script>", False),
        ("//evil.example/x", False),
        ("https://", False),
        ("https://exa mple.org", False),
        ("ftp://example.org/f", False),
        (None, False),
    ],
)
def test_link_url_only_http_and_https(url, linked):
    assert (labels.link_url(url) is not None) == linked


@pytest.mark.parametrize(
    ("type_", "subtype", "text"),
    [
        ("Explosions/Remote violence", "Air/drone strike", "Air/drone strike on Al-Amal Hospital"),
        ("Violence against civilians", "Attack", "Attack on Al-Amal Hospital"),
        ("Strategic developments", "Arrests", "Arrests at Al-Amal Hospital"),
        ("Battles", "Armed clash", "Armed clash at Al-Amal Hospital"),
        ("Battles", "Other", "Battles at Al-Amal Hospital"),
    ],
)
def test_what_text_names_the_facility(type_, subtype, text):
    incident = _incident(type=type_)
    assert labels.what_text(incident, [{"subtype": subtype}]) == text


@pytest.mark.parametrize(
    ("actors", "expected"),
    [
        # the rules name the doer: a perpetrator only the argument model found stays out
        ([("gunmen", None), ("the militia", "model"), ("the militia", "model")], ["gunmen"]),
        ([("gunmen", "rules+model"), ("the militia", "model")], ["gunmen"]),
        # the rules name none: the model's is all there is
        ([("the militia", "model")], ["the militia"]),
    ],
)
def test_perpetrators_are_the_rules_own_where_they_name_any(actors, expected):
    events = [{"actors": [{"role": "perpetrator", "name": n, "source": s} for n, s in actors]}]
    assert labels.perpetrators(events) == expected
