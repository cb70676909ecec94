import io

import pytest

from eventledger.export.parquet import PARQUET_COLUMNS, write_parquet

pq = pytest.importorskip("pyarrow.parquet", reason="pyarrow not installed (extra 'parquet')")


def test_parquet_round_trips_the_events(example_export):
    out = io.BytesIO()
    write_parquet(example_export, out)
    table = pq.read_table(io.BytesIO(out.getvalue()))
    assert tuple(table.column_names) == PARQUET_COLUMNS
    rows = table.to_pylist()
    assert [r["id"] for r in rows] == [e["id"] for e in example_export["events"]]
    events = {e["id"]: e for e in example_export["events"]}
    for row in rows:
        event = events[row["id"]]
        assert row["evidence"] == event["evidence"]
        assert [a["name"] for a in row["actors"]] == [a["name"] for a in event["actors"]]
        # which actors the argument model alone found stays readable
        assert [a["source"] for a in row["actors"]] == [a.get("source") for a in event["actors"]]
        assert row["place_lat"] == (event.get("place") or {}).get("lat")
