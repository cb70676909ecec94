from __future__ import annotations

import gzip

import pytest

from eventledger.evaluation.geo import (
    GoldToponym,
    haversine_km,
    last_fraction,
    place_error_km,
    read_gwn,
    read_lgl,
    reanchor,
    score_errors,
    span_detection,
)
from eventledger.models import Place

LGL = """<?xml version="1.0" encoding="utf-8"?>
<articles><article docid="7"><title>t</title>
<text><![CDATA[Fire in Alexandria, Louisiana. Gaza too.]]></text>
<toponyms>
<toponym><start>8</start><end>18</end><phrase>Alexandria</phrase>
<gaztag geonameid="4314550"><name>Alexandria</name><fclass>P</fclass><fcode>PPL</fcode>
<lat>31.3113</lat><lon>-92.4451</lon></gaztag></toponym>
<toponym><start>22</start><end>31</end><phrase>Louisiana</phrase>
<gaztag geonameid="4331987"><lat>31.0</lat><lon>-92.0</lon></gaztag></toponym>
<toponym><start>31</start><end>35</end><phrase>Gaza</phrase></toponym>
</toponyms></article></articles>"""

GWN = """<?xml version="1.0" ?>
<articles><article file="3"><title>t</title><text>Shelling hit Afrin in Syria.</text><toponyms>
<toponym><extractedName>Afrin</extractedName><type>Literal</type><start>13</start><end>18</end>
<geonamesID>174184</geonamesID><latitude>36.5</latitude><longitude>36.8</longitude></toponym>
<toponym><extractedName>Syria</extractedName><type>Literal</type><start>-5</start><end>-1</end>
<geonamesID>163843</geonamesID><latitude>35.0</latitude><longitude>38.0</longitude></toponym>
<toponym><extractedName>Syria</extractedName><type>Literal</type><start>-50</start><end>-45</end>
</toponym>
<toponym><extractedName>the city</extractedName><type>Non_Lit_Expression</type>
<start>0</start><end>8</end></toponym>
</toponyms></article></articles>"""


def test_read_lgl_reanchors_shifted_spans(tmp_path):
    path = tmp_path / "lgl.xml.gz"
    path.write_bytes(gzip.compress(LGL.encode()))
    (art,) = read_lgl(path)
    assert art.id == "7"
    # Louisiana was given two characters late: it is re-anchored on its phrase.
    assert [art.text[t.start : t.end] for t in art.toponyms] == ["Alexandria", "Louisiana", "Gaza"]
    assert [t.geonameid for t in art.resolvable] == [4314550, 4331987]


def test_read_gwn_drops_spans_it_cannot_place(tmp_path):
    path = tmp_path / "gwn.xml"
    path.write_text(GWN, encoding="utf-8")
    (art,) = read_gwn(path)
    spans = [(t.phrase, art.text[t.start : t.end]) for t in art.toponyms]
    # "the city" is not in the text at 0:8; both Syrias re-anchor to the one in the text.
    assert spans == [("Afrin", "Afrin"), ("Syria", "Syria"), ("Syria", "Syria")]
    assert [t.geonameid for t in art.resolvable] == [174184, 163843]


@pytest.mark.parametrize(
    ("a", "b", "km"),
    [
        ((31.5, 34.47), (31.5, 34.47), 0.0),
        ((0.0, 0.0), (0.0, 1.0), 111.2),  # one degree of longitude at the equator
        ((51.5074, -0.1278), (48.8566, 2.3522), 343.6),  # London - Paris
    ],
)
def test_haversine_km(a, b, km):
    assert haversine_km(*a, *b) == pytest.approx(km, abs=0.5)


@pytest.mark.parametrize(
    ("text", "start", "end", "phrase", "expected"),
    [
        ("in Gaza City", 3, 7, "Gaza", (3, 7)),
        ("in Gaza City", 1, 5, "Gaza", (3, 7)),
        ("Gaza and Gaza", 8, 12, "Gaza", (9, 13)),
        ("nothing here", 0, 4, "Gaza", (0, 4)),
    ],
)
def test_reanchor(text, start, end, phrase, expected):
    assert reanchor(text, start, end, phrase) == expected


GOLD = GoldToponym(0, 5, "Rafah", 31.29722, 34.24357, 281129)


@pytest.mark.parametrize(
    ("place", "expected"),
    [
        (Place(name="Rafah", lat=31.29722, lon=34.24357), 0.0),
        (Place(name="Rafah", lat=31.28204, lon=34.23869), pytest.approx(1.75, abs=0.1)),
        # an area without coordinates that is the gold entity: the same GeoNames point
        (Place(name="Rafah", geonames_id=281129), 0.0),
        (Place(name="Rafah", geonames_id=349114), None),
        (Place(name="Rafah", reason="ambiguous"), None),
        (None, None),
    ],
)
def test_place_error_km(place, expected):
    assert place_error_km(place, GOLD) == expected


def test_score_errors_counts_unanswered_as_misses():
    got = score_errors([0.0, 10.0, 500.0, None])
    assert got["acc161"] == 0.5
    assert got["mean_km"] == pytest.approx(170.0)
    assert (got["answered"], got["n"]) == (0.75, 4)


def test_last_fraction_is_the_tail_in_order():
    assert list(last_fraction(list(range(10)))) == [7, 8, 9]


def test_span_detection_matches_one_to_one_by_overlap():
    pred = [(0, 5), (3, 8), (20, 25)]
    gold = [(0, 8), (30, 35)]
    assert span_detection(pred, gold) == (1, 3, 2)
