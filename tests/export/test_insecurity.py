import csv
import io
import json
from pathlib import Path

import pytest

from eventledger.export.insecurity import (
    INSECURITY_COLUMNS,
    INSECURITY_HXL,
    insecurity_rows,
    write_insecurity,
)

DATA = Path(__file__).resolve().parents[3] / "shared" / "data" / "insecurity-insight"


def test_insecurity_has_35_columns_and_a_hxl_row():
    assert len(INSECURITY_COLUMNS) == len(INSECURITY_HXL) == 35
    assert INSECURITY_HXL[0] == "#date" and INSECURITY_HXL[5] == "#lat"
    assert all(t == "" or t.startswith("#") for t in INSECURITY_HXL)


def test_insecurity_columns_match_their_data():
    path = DATA / "attacks-on-health-care-2016-2023.jsonl.gz"
    if not path.exists():
        pytest.skip(f"Insecurity Insight data not found at {path}")
    import gzip

    with gzip.open(path, "rt", encoding="utf-8") as fh:
        first = json.loads(fh.readline())
    assert tuple(first) == INSECURITY_COLUMNS


def test_insecurity_csv_rows_are_health_care_incidents(example_export):
    out = io.StringIO()
    write_insecurity(example_export, out)
    rows = list(csv.reader(io.StringIO(out.getvalue())))
    # Their 35 columns, then the ledger's review of the row (with its HXL tag).
    assert rows[0] == [*INSECURITY_COLUMNS, "review_status"]
    assert rows[1] == [*INSECURITY_HXL, "#status +review"]
    assert len(rows) > 2 and all(len(r) == 36 for r in rows)
    health_incidents = [
        i
        for i in example_export["incidents"]
        if any(
            e["health_care"] and e["factuality"] == "asserted"
            for e in example_export["events"]
            if e["id"] in i["event_ids"]
        )
    ]
    assert len(rows) - 2 == len(health_incidents)
    for r in rows[2:]:
        record = dict(zip(rows[0], r, strict=True))
        assert record["Health Workers Killed"].isdigit()
        assert record["review_status"] == "machine"


@pytest.mark.parametrize(
    ("column", "count"),
    [
        ("Health Workers Killed", 3),  # "including three paramedics", a subgroup of the 12
        ("Health Workers Kidnapped", 2),  # "two paramedics were abducted"
        ("Health Workers Injured", 0),
        ("Health Workers Arrested", 0),
    ],
)
def test_insecurity_health_worker_figures_reach_their_columns(
    hospital_strike_export, column, count
):
    (row,) = insecurity_rows(hospital_strike_export)
    assert row[column] == count
