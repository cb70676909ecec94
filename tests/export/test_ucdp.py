import csv
import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

from eventledger.export.rows import gleditsch_ward, total_figure
from eventledger.export.ucdp import UCDP_COLUMNS, estimates, priogrid, ucdp_rows, write_ucdp
from eventledger.models import Figure, to_dict
from eventledger.stages.incidents.tolls import reconcile_figures

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
    # GED's 49 columns, then the ledger's review of the row.
    assert rows[0] == [*GED, "review_status"] and len(rows) > 1
    for r in rows[1:]:
        record = dict(zip(rows[0], r, strict=True))
        assert record["review_status"] == "machine"
        assert int(record["best"]) >= 1
        assert int(record["low"]) <= int(record["best"]) <= int(record["high"])
        assert record["year"].isdigit()
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


def test_ucdp_a_health_worker_death_is_a_civilian_death(hospital_strike_export):
    (row,) = ucdp_rows(hospital_strike_export)
    assert (row["best"], row["deaths_civilians"], row["deaths_unknown"]) == (12, 3, 9)


def test_ucdp_low_best_high_from_the_total_and_the_country_code(hospital_strike_export):
    (row,) = ucdp_rows(hospital_strike_export)
    # ministry 12, civil defence "at least 15": an open-ended high takes the largest number
    assert (row["low"], row["best"], row["high"]) == (12, 12, 15)
    assert (row["country_id"], row["year"]) == (666, 2024)


@pytest.mark.parametrize(
    ("code", "gwno"), [("SY", 652), ("DE", 260), ("YE", 678), ("RS", 345), ("AQ", None)]
)
def test_ucdp_gleditsch_ward_codes(code, gwno):
    assert gleditsch_ward(code) == gwno


_bound = st.one_of(st.none(), st.floats(0, 300, allow_nan=False))


@given(
    st.lists(
        st.tuples(_bound, _bound, _bound, st.sampled_from([None, "ministry", "un"]), st.booleans()),
        min_size=1,
        max_size=6,
    )
)
def test_ucdp_low_best_high_are_ordered(reports):
    figures = []
    for n, (lo, hi, best, who, part) in enumerate(reports):
        claimant = {"name": who, "type": "ngo"} if who else None
        figures.append(
            Figure(f"d{n}:fig1", f"d{n}", "killed", None, lo, hi, False, "", best=best,
                   claimant=claimant, event_id=f"d{n}:ev1", part_of="d0:fig1" if part else None)
        )  # fmt: skip
    incident = {"figures": [to_dict(f) for f in reconcile_figures(figures)]}
    total = total_figure(incident, "killed")
    if total is None:
        return
    low, best, high = estimates(total)
    assert low <= best <= high
    assert all(isinstance(x, int) for x in (low, best, high))
