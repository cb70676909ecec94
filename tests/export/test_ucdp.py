import csv
import io

import pytest

from eventledger.export.ucdp import UCDP_COLUMNS, priogrid, ucdp_rows, write_ucdp

# UCDP GED's columns (GED codebook 23.1), in order.
GED = (
    "id relid year active_year code_status type_of_violence conflict_dset_id conflict_new_id "
    "conflict_name dyad_dset_id dyad_new_id dyad_name side_a_dset_id side_a_new_id side_a "
    "side_b_dset_id side_b_new_id side_b number_of_sources source_article source_office "
    "source_date source_headline source_original where_prec where_coordinates "
    "where_description adm_1 adm_2 latitude longitude geom_wkt priogrid_gid country country_id "
    "region event_clarity date_prec date_start date_end deaths_a deaths_b deaths_civilians "
    "deaths_unknown best high low gwnoa gwnob"
).split()


def test_ucdp_columns_are_ged_49():
    assert len(GED) == 49
    assert list(UCDP_COLUMNS) == GED


def test_ucdp_csv_rows_have_deaths(example_export):
    out = io.StringIO()
    write_ucdp(example_export, out)
    rows = list(csv.reader(io.StringIO(out.getvalue())))
    assert rows[0] == GED and len(rows) > 1
    for r in rows[1:]:
        record = dict(zip(GED, r, strict=True))
        assert int(record["best"]) >= 1
        assert int(record["deaths_civilians"]) + int(record["deaths_unknown"]) == int(
            record["best"]
        )
        assert record["date_prec"] in {"", "1", "2", "3", "4", "5"}


def test_ucdp_skips_incidents_without_deaths(example_export):
    with_deaths = {
        i["id"]
        for i in example_export["incidents"]
        if any(f["kind"] == "killed" and f["best"] for f in i["figures"])
    }
    assert {r["id"] for r in ucdp_rows(example_export)} <= with_deaths


@pytest.mark.parametrize(
    ("lat", "lon", "gid"),
    [(-89.75, -179.75, 1), (-89.75, 179.75, 720), (-89.25, -179.75, 721), (89.75, 179.75, 259200)],
)
def test_priogrid_cells(lat, lon, gid):
    assert priogrid(lat, lon) == gid
