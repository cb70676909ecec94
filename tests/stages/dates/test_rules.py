from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from eventledger.stages.dates import DateRules, parse_published, resolve_text
from eventledger.stages.dates.rules import NO_ANCHOR


@pytest.fixture(scope="module")
def rules():
    return DateRules()


def _find(doc, expr):
    hits = [m.value for m in doc.dates if m.value.text == expr]
    assert hits, f"{expr!r} not found in {[m.value.text for m in doc.dates]}"
    return hits[0]


# 2024-03-12 is a Tuesday; 2024-03-14 a Thursday.
@pytest.mark.parametrize(
    ("text", "published", "expr", "start", "end", "precision", "rule"),
    [
        (
            "The clinic was hit on Tuesday, officials said.",
            "2024-03-12",
            "on Tuesday",
            "2024-03-12",
            "2024-03-12",
            "day",
            "weekday-same-as-publication",
        ),
        (
            "The clinic was hit on Tuesday, officials said.",
            "2024-03-14",
            "on Tuesday",
            "2024-03-12",
            "2024-03-12",
            "day",
            "weekday-past",
        ),
        (
            "An air strike hit the hospital early on Monday.",
            "2024-03-12",
            "early on Monday",
            "2024-03-11",
            "2024-03-11",
            "day",
            "weekday-past",
        ),
        (
            "Gunmen attacked late on Sunday.",
            "2024-03-14",
            "late on Sunday",
            "2024-03-10",
            "2024-03-10",
            "day",
            "weekday-past",
        ),
        (
            "The minister will visit the camp on Tuesday.",
            "2024-03-12",
            "on Tuesday",
            "2024-03-19",
            "2024-03-19",
            "day",
            "weekday-future",
        ),
        (
            "Talks are due to resume next Monday.",
            "2024-03-14",
            "next Monday",
            "2024-03-18",
            "2024-03-18",
            "day",
            "weekday-future",
        ),
        (
            "Two medics were killed yesterday.",
            "2024-03-01",
            "yesterday",
            "2024-02-29",
            "2024-02-29",
            "day",
            "yesterday",
        ),
        (
            "Shelling continued overnight.",
            "2024-03-12T08:00:00Z",
            "overnight",
            "2024-03-11",
            "2024-03-12",
            "day",
            "overnight",
        ),
        (
            "A convoy was hit last week.",
            "2024-03-14",
            "last week",
            "2024-03-04",
            "2024-03-10",
            "week",
            "last-week",
        ),
        (
            "A convoy was hit last month.",
            "2024-01-10",
            "last month",
            "2023-12-01",
            "2023-12-31",
            "month",
            "last-month",
        ),
        (
            "Earlier this month, the hospital was shelled.",
            "2024-03-14",
            "Earlier this month",
            "2024-03-01",
            "2024-03-14",
            "month",
            "earlier-this-month",
        ),
        (
            "Gunmen attacked the town on October 7.",
            "2024-03-14",
            "October 7",
            "2023-10-07",
            "2023-10-07",
            "day",
            "month-day",
        ),
        (
            "Gunmen attacked the town on March 7.",
            "2024-03-14",
            "March 7",
            "2024-03-07",
            "2024-03-07",
            "day",
            "month-day",
        ),
        (
            "Fewer aid workers died in 2023.",
            "2024-03-14",
            "in 2023",
            "2023-01-01",
            "2023-12-31",
            "year",
            "year",
        ),
        (
            "Strikes killed 40 people over the past week.",
            "2024-03-14",
            "over the past week",
            "2024-03-07",
            "2024-03-14",
            "week",
            "duration-past-week",
        ),
        (
            "The convoy was hit on March 3, 2023.",
            "2024-03-14",
            "March 3, 2023",
            "2023-03-03",
            "2023-03-03",
            "day",
            "absolute",
        ),
    ],
)
def test_dates_resolve(make_doc, rules, text, published, expr, start, end, precision, rule):
    when = _find(rules(make_doc(text, published=published)), expr)
    assert (when.start, when.end, when.precision, when.rule) == (start, end, precision, rule)
    assert when.reason is None


def test_dates_evidence_matches_text(make_doc, rules):
    text = "Shelling continued overnight.\n\nTwo died on Monday in the camp."
    doc = rules(make_doc(text))
    assert len(doc.dates) == 2
    for m in doc.dates:
        (ev,) = m.value.evidence
        assert ev.text == text[ev.start : ev.end] == m.value.text
        assert (ev.start, ev.end) == (m.start, m.end)
        sent = doc.sentences[m.sentence]
        assert sent.start <= m.start < m.end <= sent.end


@pytest.mark.parametrize(
    ("text", "expr"),
    [
        ("Two died yesterday.", "yesterday"),
        ("Shelling continued overnight.", "overnight"),
        ("The clinic was hit on Tuesday.", "on Tuesday"),
        ("A convoy was hit last week.", "last week"),
    ],
)
def test_dates_relative_without_publication_unresolved(make_doc, rules, text, expr):
    when = _find(rules(make_doc(text, published=None)), expr)
    assert (when.start, when.end, when.precision) == (None, None, None)
    assert when.reason == NO_ANCHOR


def test_dates_absolute_without_publication_resolves(make_doc, rules):
    when = _find(
        rules(make_doc("The convoy was hit on March 3, 2023.", published=None)), "March 3, 2023"
    )
    assert (when.start, when.precision) == ("2023-03-03", "day")


@pytest.mark.parametrize(
    "text",
    ["Hours later, at 3 pm, a drone struck the ambulance.", "The siege lasted three weeks."],
)
def test_dates_durations_and_times_never_get_publication_date(make_doc, rules, text):
    doc = rules(make_doc(text, published="2024-03-14"))
    assert all(m.value.start is None and m.value.reason for m in doc.dates)


@pytest.mark.parametrize(
    ("published", "expected"),
    [
        ("2024-03-14", date(2024, 3, 14)),
        ("2024-03-14T22:10:00+02:00", date(2024, 3, 14)),
        (None, None),
        ("", None),
        ("yesterday", None),
    ],
)
def test_parse_published(published, expected):
    assert parse_published(published) == expected


_RELATIVE = [
    "yesterday",
    "overnight",
    "last night",
    "last week",
    "last month",
    "last year",
    "earlier this month",
    "earlier this week",
    "over the past week",
    "in March",
    "October 7",
    "29 February",
    "early on Monday",
    "on Tuesday",
    "late on Sunday night",
    "last Friday",
    "Saturday",
]
_PRECISION_RANK = {"day": 0, "week": 1, "month": 2, "year": 3}
# The finest precision each expression may claim.
_FINEST = {
    "last week": "week",
    "earlier this week": "week",
    "over the past week": "week",
    "last month": "month",
    "earlier this month": "month",
    "in March": "month",
    "last year": "year",
}

_pub_dates = st.dates(min_value=date(1995, 1, 1), max_value=date(2035, 12, 31))


@given(_pub_dates, st.sampled_from(_RELATIVE))
def test_dates_past_resolution_never_after_publication(pub, expr):
    res = resolve_text(expr, pub, future=False)
    assert res is not None and res.start is not None
    assert res.start <= res.end <= pub


@given(_pub_dates, st.sampled_from(_RELATIVE))
def test_dates_precision_never_finer_than_expression(pub, expr):
    res = resolve_text(expr, pub)
    finest = _FINEST.get(expr, "day")
    assert _PRECISION_RANK[res.precision] >= _PRECISION_RANK[finest]
    if res.precision == "day":
        assert (res.end - res.start) <= timedelta(days=1)


@given(_pub_dates, st.sampled_from(["on Monday", "next Friday", "on Sunday"]))
def test_dates_future_weekday_is_within_next_week(pub, expr):
    res = resolve_text(expr, pub, future=True)
    assert pub < res.start <= pub + timedelta(days=7)


@given(st.sampled_from(_RELATIVE))
def test_dates_relative_needs_anchor(expr):
    res = resolve_text(expr, None)
    assert res.start is None and res.reason == NO_ANCHOR
