"""The linker's blocking reads through indexes, so adding one article costs the
same whatever the size of the ledger (issue 6)."""

from __future__ import annotations

import pytest
from sqlalchemy import event

from eventledger.models import Incident, Place
from eventledger.storage import Ledger


@pytest.mark.parametrize(
    ("query", "index"),
    [
        ({"facility": "Nasser Hospital"}, "ix_incidents_facility_date"),
        ({"lat": 31.34, "lon": 34.30}, "ix_incidents_date_place"),
    ],
)
def test_candidate_queries_use_the_blocking_indexes(tmp_path, query, index):
    ledger = Ledger(str(tmp_path / "l.db"))
    statements: list[tuple[str, tuple]] = []

    def capture(conn, cursor, statement, params, context, executemany):
        if statement.lstrip().upper().startswith("SELECT"):
            statements.append((statement, params))

    event.listen(ledger._engine, "before_cursor_execute", capture)
    args = {"date_start": "2024-03-12", "date_end": None, "lat": None, "lon": None,
            "facility": None, "max_km": 25.0, "window_days": 2}  # fmt: skip
    ledger.incident_candidates(**{**args, **query})
    event.remove(ledger._engine, "before_cursor_execute", capture)
    with ledger._engine.connect() as conn:
        raw = conn.connection.driver_connection
        plans = [
            " ".join(str(row[-1]) for row in raw.execute("EXPLAIN QUERY PLAN " + sql, params))
            for sql, params in statements
        ]
    ledger.close()
    # The windowed branch for this place reads its own index, not every
    # incident of the date window through ix_incidents_long_span; the branch
    # for long incidents reads them by their end, not every one that began.
    windowed, long = plans
    assert index in windowed, plans
    assert "ix_incidents_long_span_end" in long, plans


def test_recent_undated_incidents_read_a_primary_key_range(tmp_path):
    ledger = Ledger(str(tmp_path / "l.db"))
    for n in range(20):
        ledger.save_incident(Incident(f"i{n}", "Battles", [], [], place=Place("x", country="SD")))
    statements: list[tuple[str, tuple]] = []

    def capture(conn, cursor, statement, params, context, executemany):
        if statement.lstrip().upper().startswith("SELECT"):
            statements.append((statement, params))

    event.listen(ledger._engine, "before_cursor_execute", capture)
    found = ledger.recent_undated_incidents(country="SD", within=5)
    event.remove(ledger._engine, "before_cursor_execute", capture)
    with ledger._engine.connect() as conn:
        raw = conn.connection.driver_connection
        plans = [
            " ".join(str(row[-1]) for row in raw.execute("EXPLAIN QUERY PLAN " + sql, params))
            for sql, params in statements
        ]
    ledger.close()
    assert [i.id for i in found] == [f"i{n}" for n in range(15, 20)]
    # the newest rows by primary key, not every undated incident by the date index
    assert "PRIMARY KEY" in plans[-1] and "ix_incidents_date_place" not in plans[-1], plans
