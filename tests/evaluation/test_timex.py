from __future__ import annotations

import pytest

from eventledger.evaluation.timex import read_timeml, timeml_value, value_f1
from eventledger.models import When

TML = """<?xml version="1.0" ?><TimeML>
<DOCID>X_1</DOCID>
<DCT><TIMEX3 functionInDocument="CREATION_TIME" tid="t0" type="DATE" value="2013-03-22">March 22, 2013</TIMEX3></DCT>
<TITLE>t</TITLE>
<TEXT>Deaths were <EVENT eid="e1">reported</EVENT> in <TIMEX3 tid="t2" type="DATE" value="2013-W11">the last week</TIMEX3>, for <TIMEX3 tid="t3" type="DURATION" value="P1M">a month</TIMEX3>, officials said <TIMEX3 tid="t4" type="DATE" value="2013-03-22">Friday</TIMEX3>.</TEXT>
</TimeML>"""


def test_read_timeml_strips_tags_and_keeps_offsets(tmp_path):
    path = tmp_path / "x.tml"
    path.write_text(TML, encoding="utf-8")
    doc = read_timeml(path)
    assert (doc.id, doc.dct) == ("X_1", "2013-03-22")
    assert "<" not in doc.text
    assert [(doc.text[t.start : t.end], t.type, t.value) for t in doc.timexes] == [
        ("the last week", "DATE", "2013-W11"),
        ("a month", "DURATION", "P1M"),
        ("Friday", "DATE", "2013-03-22"),
    ]
    assert [t.value for t in doc.dates] == ["2013-W11", "2013-03-22"]


def _when(start, end, precision, rule="x", text=""):
    return When(start=start, end=end, precision=precision, text=text, rule=rule)


@pytest.mark.parametrize(
    ("when", "value"),
    [
        (_when("2013-03-22", "2013-03-22", "day"), "2013-03-22"),
        (_when("2013-03-11", "2013-03-17", "week"), "2013-W11"),
        (_when("2012-12-01", "2012-12-10", "month", "early-month"), "2012-12"),
        (_when("2009-01-01", "2009-12-31", "year"), "2009"),
        (_when("2010-01-04", "2010-01-10", "week"), "2010-W01"),
        # ISO week years: 2012-12-31 is in 2013's first week
        (_when("2012-12-31", "2013-01-06", "week"), "2013-W01"),
        (_when("2023-10-01", "2024-03-14", "year", "since", "since October"), "2023-10"),
        (_when("2023-10-07", "2024-03-14", "year", "since", "since October 7"), "2023-10-07"),
        (_when("2023-01-01", "2024-03-14", "year", "since", "since 2023"), "2023"),
        (_when(None, None, None), None),
        (None, None),
    ],
)
def test_timeml_value(when, value):
    assert timeml_value(when) == value


def test_value_f1_relaxed_match_and_ignored_types():
    gold = [(10, 20, "2013-W11"), (40, 46, "2013-03-22")]
    pred = [
        (14, 20, "2013-W11"),  # overlaps, right value
        (40, 46, "2013-03-15"),  # overlaps, wrong value
        (60, 70, "2013"),  # no gold: a false positive
        (30, 37, "2013-03"),  # overlaps a DURATION: ignored
    ]
    correct, n_pred, n_gold, scores = value_f1(pred, gold, ignore=[(30, 37)])
    assert (correct, n_pred, n_gold) == (1, 3, 2)
    assert scores["precision"] == pytest.approx(1 / 3, abs=1e-4)
    assert scores["recall"] == 0.5
