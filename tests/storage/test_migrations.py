"""Migrations: recorded by name, run once, and a newer database is refused."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import inspect

from eventledger.errors import StorageError
from eventledger.storage import Ledger, fulltext, migrations, tables
from eventledger.storage.engine import open_engine


def test_migrations_recorded_once_when_opened_twice(tmp_path: Path) -> None:
    db = tmp_path / "l.db"
    Ledger(str(db)).close()
    Ledger(str(db)).close()
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT name, applied_at FROM migrations").fetchall()
    assert [name for name, _ in rows] == [name for name, _ in migrations.MIGRATIONS]
    assert all(applied_at for _, applied_at in rows)


def test_apply_runs_only_pending_migrations(tmp_path: Path) -> None:
    engine = open_engine(str(tmp_path / "l.db"))
    ran = []
    extra = (*migrations.MIGRATIONS, ("9000_test", lambda conn: ran.append("9000")))
    assert migrations.apply(engine, extra) == [name for name, _ in extra]
    assert migrations.apply(engine, extra) == []
    assert ran == ["9000"]


def test_failed_migration_is_rolled_back_and_not_recorded(tmp_path: Path) -> None:
    engine = open_engine(str(tmp_path / "l.db"))

    def broken(conn) -> None:
        conn.exec_driver_sql("CREATE TABLE half (x INTEGER)")
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        migrations.apply(engine, (*migrations.MIGRATIONS, ("9000_broken", broken)))
    with engine.connect() as conn:
        assert migrations.applied(conn) == [name for name, _ in migrations.MIGRATIONS]
    assert "half" not in inspect(engine).get_table_names()


def test_unknown_newer_migration_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "l.db"
    Ledger(str(db)).close()
    with sqlite3.connect(db) as conn:
        conn.execute("INSERT INTO migrations VALUES ('9999_future', '2999-01-01')")
    with pytest.raises(StorageError, match="Upgrade eventledger"):
        Ledger(str(db))


def test_migrated_schema_matches_declared_tables(tmp_path: Path) -> None:
    db = tmp_path / "l.db"
    Ledger(str(db)).close()
    found = inspect(open_engine(str(db)))
    # The full-text index (an FTS5 table and its shadow tables) is no table of records.
    names = {n for n in found.get_table_names() if not n.startswith(fulltext.FTS_TABLE)}
    assert names == set(tables.metadata.tables)
    for name, table in tables.metadata.tables.items():
        assert {c["name"] for c in found.get_columns(name)} == set(table.columns.keys())
        assert {ix.name for ix in table.indexes} <= {ix["name"] for ix in found.get_indexes(name)}


def test_sqlite_file_is_in_wal_mode(tmp_path: Path) -> None:
    db = tmp_path / "l.db"
    Ledger(str(db)).close()
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_0002_fills_each_incident_value_with_its_figures_best(tmp_path: Path) -> None:
    from sqlalchemy import insert, select

    engine = open_engine(str(tmp_path / "l.db"))
    migrations.apply(engine, migrations.MIGRATIONS[:1])
    doc = {"id": "d1", "key": "d1", "revision": 1, "superseded": False, "text": "t"}
    figure = {"id": "d1:f1", "min": 24, "max": 99, "best": 12}
    value = {"min": 24, "max": 99, "claimant": None, "document_id": "d1", "figure_id": "d1:f1"}
    old = {"id": "i1", "figures": [{"kind": "killed", "values": [value]}]}
    with engine.begin() as conn:
        conn.execute(
            insert(tables.documents).values(**doc, text_hash="h", removed=[], ingested_at="2024")
        )
        conn.execute(
            insert(tables.figures).values(id="d1:f1", document_id="d1", kind="killed", data=figure)
        )
        conn.execute(insert(tables.incidents).values(id="i1", type="Attack", data=old))
    assert migrations.apply(engine, migrations.MIGRATIONS[:2]) == ["0002_figure_value_best"]
    with engine.connect() as conn:
        data = conn.execute(select(tables.incidents.c.data)).scalar_one()
    assert data["figures"][0]["values"][0]["best"] == 12


def test_0003_adds_the_document_encoding_to_an_old_ledger(tmp_path: Path) -> None:
    from sqlalchemy import select

    engine = open_engine(str(tmp_path / "l.db"))
    migrations.apply(engine, migrations.MIGRATIONS[:2])
    assert "encoding" not in {c["name"] for c in inspect(engine).get_columns("documents")}
    with engine.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO documents (id, key, revision, superseded, text, text_hash, removed, "
            "ingested_at) VALUES ('d1', 'd1', 1, 0, 't', 'h', '[]', '2024')"
        )
    assert migrations.apply(engine, migrations.MIGRATIONS[:3]) == ["0003_document_encoding"]
    d = tables.documents
    with engine.connect() as conn:
        row = conn.execute(select(d.c.encoding, d.c.encoding_confidence)).one()
    assert tuple(row) == (None, None)


def test_0004_merges_repeated_rejections_into_one_counted_row(tmp_path: Path) -> None:
    engine = open_engine(str(tmp_path / "l.db"))
    migrations.apply(engine, migrations.MIGRATIONS[:3])
    rows = [("a.txt", f"2024-01-0{day}") for day in (1, 3, 2)] + [("b.txt", "2024-01-01")]
    with engine.begin() as conn:
        for source, when in rows:
            conn.exec_driver_sql(
                "INSERT INTO rejections (source, code, message, recorded_at) "
                f"VALUES ('{source}', 'E103', 'binary', '{when}')"
            )
    assert migrations.apply(engine, migrations.MIGRATIONS[:4]) == ["0004_rejection_count"]
    with engine.connect() as conn:
        found = conn.exec_driver_sql(
            "SELECT source, recorded_at, count, last_recorded_at FROM rejections ORDER BY pk"
        ).all()
    assert [tuple(r) for r in found] == [
        ("a.txt", "2024-01-01", 3, "2024-01-03"),
        ("b.txt", "2024-01-01", 1, "2024-01-01"),
    ]


def test_0005_indexes_the_documents_stored_before(tmp_path: Path) -> None:
    engine = open_engine(str(tmp_path / "l.db"))
    migrations.apply(engine, migrations.MIGRATIONS[:4])
    with engine.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO documents (id, key, revision, superseded, title, text, text_hash, "
            "removed, ingested_at) VALUES ('d1', 'd1', 1, 0, 'Shelling', 'Müller was hit', "
            "'h', '[]', '2024')"
        )
    assert migrations.apply(engine, migrations.MIGRATIONS[:5]) == ["0005_document_fulltext"]
    with engine.begin() as conn:
        search = "SELECT rowid FROM documents_fts WHERE documents_fts MATCH ?"
        assert conn.exec_driver_sql(search, ('"muller"*',)).all() == [(1,)]
        assert conn.exec_driver_sql(search, ('"shell"*',)).all() == [(1,)]
        # A document stored after the migration is indexed in its own transaction.
        conn.exec_driver_sql(
            "INSERT INTO documents (id, key, revision, superseded, text, text_hash, removed, "
            "ingested_at) VALUES ('d2', 'd2', 1, 0, 'A market', 'h2', '[]', '2024')"
        )
        assert conn.exec_driver_sql(search, ('"market"',)).all() == [(2,)]


def test_0006_fills_the_filter_keys_of_records_stored_before(tmp_path: Path) -> None:
    from sqlalchemy import insert, select

    engine = open_engine(str(tmp_path / "l.db"))
    migrations.apply(engine, migrations.MIGRATIONS[:5])
    place = {"name": "Gaza City", "facility": "Al-Shifa Hospital", "admin1": None}
    with engine.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO documents (id, key, revision, superseded, text, text_hash, removed, "
            "ingested_at) VALUES ('d1', 'd1', 1, 0, 't', 'h', '[]', '2024')"
        )
        conn.exec_driver_sql(
            "INSERT INTO events (id, document_id, data) VALUES (?, 'd1', ?), (?, 'd1', ?)",
            ("d1:ev1", f'{{"place": {json.dumps(place)}, "health_care": {{}}}}', "d1:ev2", "{}"),
        )
        conn.exec_driver_sql(
            "INSERT INTO figures (id, document_id, data) VALUES "
            "('d1:fig1', 'd1', '{\"claimant\": {\"name\": \"Health Ministry\"}}')"
        )
        conn.exec_driver_sql(
            "INSERT INTO claims (id, document_id, data) VALUES "
            "('d1:cl1', 'd1', '{\"speaker\": {\"name\": \"UN OCHA\"}}')"
        )
        conn.execute(insert(tables.incidents).values(id="i1", data={"place": place}))
    assert migrations.apply(engine, migrations.MIGRATIONS[:6]) == ["0006_query_columns"]
    e = tables.events
    with engine.connect() as conn:
        rows = conn.execute(
            select(e.c.place_key, e.c.health_care, e.c.document_pk).order_by(e.c.pk)
        )
        assert rows.all() == [("gaza city\nal-shifa hospital", True, 1), (None, False, 1)]
        assert conn.execute(select(tables.incidents.c.place_key)).scalar_one() == (
            "gaza city\nal-shifa hospital"
        )
        assert conn.execute(select(tables.figures.c.claimant_key)).scalar_one() == "health ministry"
        assert conn.execute(select(tables.claims.c.speaker_key)).scalar_one() == "un ocha"
    names = {ix["name"] for t in ("events", "figures") for ix in inspect(engine).get_indexes(t)}
    assert {"ix_events_type_date", "ix_figures_claimant_key"} <= names


def test_0008_gives_links_stored_before_their_document_and_incident_pks(tmp_path: Path) -> None:
    from sqlalchemy import select

    engine = open_engine(str(tmp_path / "l.db"))
    migrations.apply(engine, migrations.MIGRATIONS[:7])
    with engine.begin() as conn:
        for n in (1, 2):
            conn.exec_driver_sql(
                "INSERT INTO documents (id, key, revision, superseded, text, text_hash, removed, "
                f"ingested_at) VALUES ('d{n}', 'd{n}', 1, 0, 't', 'h{n}', '[]', '2024')"
            )
        conn.exec_driver_sql(
            "INSERT INTO events (id, document_id, data, document_pk) VALUES "
            "('d2:ev1', 'd2', '{}', 2), ('d1:ev1', 'd1', '{}', 1)"
        )
        conn.exec_driver_sql(
            "INSERT INTO incidents (id, data, long_span) VALUES ('i1', '{}', 0), ('i2', '{}', 0)"
        )
        conn.exec_driver_sql(
            "INSERT INTO incident_events (incident_id, event_id) VALUES "
            "('i2', 'd1:ev1'), ('i2', 'd2:ev1'), ('i1', 'd2:ev1')"
        )
    assert migrations.apply(engine, migrations.MIGRATIONS[:8]) == ["0008_link_pks"]
    links = tables.incident_events
    with engine.connect() as conn:
        rows = conn.execute(
            select(
                links.c.incident_id, links.c.event_id, links.c.incident_pk, links.c.document_pk
            ).order_by(links.c.incident_id, links.c.event_id)
        ).all()
    assert rows == [("i1", "d2:ev1", 1, 2), ("i2", "d1:ev1", 2, 1), ("i2", "d2:ev1", 2, 2)]
    names = {ix["name"] for ix in inspect(engine).get_indexes("incident_events")}
    assert "ix_incident_events_document_incident" in names


def test_0009_folds_the_health_care_and_claimant_filters_over_incidents_stored_before(
    tmp_path: Path,
) -> None:
    from sqlalchemy import select

    engine = open_engine(str(tmp_path / "l.db"))
    migrations.apply(engine, migrations.MIGRATIONS[:8])
    with engine.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO documents (id, key, revision, superseded, text, text_hash, removed, "
            "ingested_at) VALUES ('d1', 'd1', 1, 0, 't', 'h', '[]', '2024')"
        )
        conn.exec_driver_sql(
            "INSERT INTO events (id, document_id, data, health_care) VALUES "
            "('d1:ev1', 'd1', '{}', 1), ('d1:ev2', 'd1', '{}', 0), ('d1:ev3', 'd1', '{}', 0)"
        )
        conn.exec_driver_sql(
            "INSERT INTO figures (id, document_id, data, event_id, claimant_key) VALUES "
            "('d1:fig1', 'd1', '{}', 'd1:ev2', 'the army'), "
            "('d1:fig2', 'd1', '{}', 'd1:ev1', 'health ministry'), "
            "('d1:fig3', 'd1', '{}', 'd1:ev2', 'health ministry')"
        )
        conn.exec_driver_sql(
            "INSERT INTO incidents (id, data, long_span) VALUES "
            "('i1', '{}', 0), ('i2', '{}', 0), ('i3', '{}', 0)"
        )
        conn.exec_driver_sql(
            "INSERT INTO incident_events (incident_id, event_id) VALUES "
            "('i1', 'd1:ev1'), ('i1', 'd1:ev2'), ('i2', 'd1:ev2'), ('i3', 'd1:ev3')"
        )
    assert migrations.apply(engine) == ["0009_incident_filter_keys"]
    i = tables.incidents
    with engine.connect() as conn:
        rows = conn.execute(
            select(i.c.id, i.c.health_care, i.c.claimant_key).order_by(i.c.id)
        ).all()
    assert rows == [
        ("i1", True, "health ministry\nthe army"),
        ("i2", False, "health ministry\nthe army"),
        ("i3", False, None),
    ]
    names = {ix["name"] for ix in inspect(engine).get_indexes("incidents")}
    assert {"ix_incidents_health_care", "ix_incidents_claimant_key"} <= names
    names = {ix["name"] for ix in inspect(engine).get_indexes("incident_events")}
    assert "ix_incident_events_incident_document" in names
