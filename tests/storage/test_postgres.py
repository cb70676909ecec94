"""The storage contract on both backends (SQLite, PostgreSQL), and concurrent
writers on PostgreSQL.

PostgreSQL tests need a server: `export EVENTLEDGER_TEST_PG_URL="$(bash
scripts/start_postgres.sh)"`. Each test gets a fresh database on it.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import uuid
from collections import Counter
from pathlib import Path

import pytest

from eventledger.errors import StorageError
from eventledger.models import Article
from eventledger.pipeline import Document, Failure
from eventledger.storage import Ledger, migrations
from eventledger.storage.engine import open_engine, to_sqlalchemy_url

PG_URL = os.environ.get("EVENTLEDGER_TEST_PG_URL")
NO_PG = "EVENTLEDGER_TEST_PG_URL is not set (start one: bash scripts/start_postgres.sh)"
EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "articles"


def _admin(sql: str) -> None:
    """Run one statement outside a transaction on the test server (CREATE/DROP DATABASE)."""
    engine = open_engine(PG_URL)
    try:
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql(sql)
    finally:
        engine.dispose()


@pytest.fixture
def pg_url():
    """A fresh, empty PostgreSQL database; dropped after the test."""
    if not PG_URL:
        pytest.skip(NO_PG)
    pytest.importorskip("psycopg", reason="pip install 'eventledger[postgres]'")
    name = f"el_test_{uuid.uuid4().hex[:12]}"
    _admin(f'CREATE DATABASE "{name}"')
    base = PG_URL.rsplit("/", 1)[0]
    yield f"{base}/{name}"
    _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request, tmp_path: Path) -> str:
    """A fresh ledger URL on each backend."""
    if request.param == "sqlite":
        return str(tmp_path / "ledger.db")
    return request.getfixturevalue("pg_url")


def _doc(text: str = "An air strike hit the hospital.", key: str = "k1", revision: int = 1):
    article = Article(
        id=key if revision == 1 else f"{key}.r{revision}",
        key=key,
        text=text,
        revision=revision,
        title="t",
        outlet="o",
        source="mem",
        text_hash=hashlib.sha256(text.encode()).hexdigest(),
    )
    return Document(article)


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("ledger.db", "sqlite:///"),
        ("postgresql://u@h:5432/d", "postgresql+psycopg://u@h:5432/d"),
        ("postgres://u@h/d", "postgresql+psycopg://u@h/d"),
        ("postgresql+psycopg2://u@h/d", "postgresql+psycopg://u@h/d"),
        ("sqlite:///x.db", "sqlite:///x.db"),
    ],
)
def test_urls_map_to_the_installed_drivers(given: str, expected: str, tmp_path: Path) -> None:
    if "://" not in given:
        given = str(tmp_path / given)
    assert to_sqlalchemy_url(given).startswith(expected)


def test_same_document_twice_is_stored_once(url: str) -> None:
    with Ledger(url) as ledger:
        assert ledger.store(_doc()) is True
        assert ledger.store(_doc(), skip_stored=True) is False
        with pytest.raises(StorageError, match="stored already"):
            ledger.store(_doc())
        assert ledger.summary()["documents"] == 1


def test_new_text_is_a_revision_and_supersedes(url: str) -> None:
    with Ledger(url) as ledger:
        ledger.store(_doc())
        new = _doc("An air strike hit the clinic.", revision=2)
        assert ledger.plan(new.article) == 2
        ledger.store(new)
        current = ledger.documents()
        everything = ledger.documents(all_revisions=True)
    assert [d.id for d in current] == ["k1.r2"]
    assert [d.id for d in everything] == ["k1", "k1.r2"]


def test_a_failing_write_leaves_nothing(url: str) -> None:
    doc = _doc()
    doc.failures.append(Failure(None, "x"))  # type: ignore[arg-type] - NOT NULL breaks mid-write
    with Ledger(url) as ledger:
        with pytest.raises(StorageError, match="nothing was written"):
            ledger.store(doc)
        assert ledger.summary()["documents"] == 0
        assert ledger.store(_doc()) is True


def test_feed_state_round_trips_and_is_replaced(url: str) -> None:
    with Ledger(url) as ledger:
        assert ledger.feed_state("http://x/feed") is None
        ledger.save_feed_state(
            "http://x/feed", etag='"a"', last_modified=None, seen=["e1"], errors=0, last_error=None
        )
        ledger.save_feed_state(
            "http://x/feed",
            etag='"b"',
            last_modified="Mon",
            seen=["e1", "e2"],
            errors=2,
            last_error="HTTP 500",
        )
    with Ledger(url) as reopened:
        state = reopened.feed_state("http://x/feed")
    assert (state["etag"], state["last_modified"], state["seen"], state["errors"]) == (
        '"b"',
        "Mon",
        ["e1", "e2"],
        2,
    )


def test_migrations_recorded_once_when_reopened(url: str) -> None:
    Ledger(url).close()
    engine = open_engine(url)
    try:
        assert migrations.apply(engine) == []
        with engine.connect() as conn:
            assert migrations.applied(conn) == [name for name, _ in migrations.MIGRATIONS]
    finally:
        engine.dispose()


def _export(url: str) -> dict:
    with Ledger(url) as ledger:
        data = ledger.export()
    for doc in data["documents"]:
        doc.pop("ingested_at", None)
    return data


@pytest.mark.slow
def test_postgresql_ledger_equals_sqlite_ledger(pg_url: str, example_export, settings) -> None:
    from eventledger.batch.local import ingest

    with Ledger(pg_url) as ledger:
        report = ingest([EXAMPLES], ledger, settings)
    assert report.stored == len(example_export["documents"]) > 0
    expected = {k: v for k, v in example_export.items()}
    expected["documents"] = [
        {k: v for k, v in d.items() if k != "ingested_at"} for d in example_export["documents"]
    ]
    assert _export(pg_url) == expected


OPEN_LEDGER = "import sys; from eventledger.storage import Ledger; Ledger(sys.argv[1]).close()"


def test_processes_opening_a_fresh_database_run_each_migration_once(pg_url: str) -> None:
    procs = [
        subprocess.Popen([sys.executable, "-c", OPEN_LEDGER, pg_url], stderr=subprocess.PIPE)
        for _ in range(3)
    ]
    errors = [p.communicate(timeout=120)[1].decode() for p in procs]
    assert [p.returncode for p in procs] == [0] * 3, errors
    engine = open_engine(pg_url)
    try:
        with engine.connect() as conn:
            assert migrations.applied(conn) == [name for name, _ in migrations.MIGRATIONS]
    finally:
        engine.dispose()


@pytest.mark.slow
def test_concurrent_ingests_store_each_document_and_event_once(pg_url: str, example_export) -> None:
    cli = [sys.executable, "-m", "eventledger.cli.main", "ingest", str(EXAMPLES), "--db", pg_url]
    procs = [
        subprocess.Popen(cli, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(3)
    ]
    outputs = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0], [o[1].decode()[-2000:] for o in outputs]
    data = _export(pg_url)
    ids = Counter(d["id"] for d in data["documents"])
    assert sorted(ids) == sorted(d["id"] for d in example_export["documents"])
    assert set(ids.values()) == {1}
    assert sorted(e["id"] for e in data["events"]) == sorted(
        e["id"] for e in example_export["events"]
    )
    # Every linked event sits in exactly one incident: no incident was made twice.
    linked = Counter(e for inc in data["incidents"] for e in inc["event_ids"])
    assert linked and set(linked.values()) == {1}
    expected_linked = Counter(e for inc in example_export["incidents"] for e in inc["event_ids"])
    assert set(linked) == set(expected_linked)


FILTERS = [
    {"q": "hospital"},
    {"q": "hosp strike"},
    {"q": '"hospital*'},
    {"place": "gaza"},
    {"claimant": "ministry"},
    {"health_care": True},
    {"health_care": True, "q": "killed"},
]


def test_filters_answer_alike_on_both_backends(pg_url: str, example_db, settings) -> None:
    """Full-text search and the indexed filter keys (migrations 0005, 0006) on PostgreSQL."""
    from eventledger.batch.local import ingest
    from eventledger.storage.queries import Filters, Queries

    with Ledger(pg_url) as ledger:
        ingest([EXAMPLES], ledger, settings)
    pg, lite = Queries(pg_url), Queries(str(example_db))
    try:
        for params in FILTERS:
            f = Filters.from_params(**params)
            got, want = pg.incidents(f, limit=500), lite.incidents(f, limit=500)
            assert got.total == want.total, params
            assert {i["id"] for i in got.items} == {i["id"] for i in want.items}, params
            got, want = pg.events(f, limit=500), lite.events(f, limit=500)
            assert {e["id"] for e in got.items} == {e["id"] for e in want.items}, params
        assert pg.incidents(Filters.from_params(q="hospital")).total > 0
        for q in ("hospital", "strike hosp", "KILLED"):
            got, want = pg.documents(q=q, limit=500), lite.documents(q=q, limit=500)
            assert {d["id"] for d in got.items} == {d["id"] for d in want.items}, q
        for kwargs in ({"speaker": "minist"}, {"q": "killed"}):
            got, want = pg.claims(limit=500, **kwargs), lite.claims(limit=500, **kwargs)
            assert {c["id"] for c in got.items} == {c["id"] for c in want.items}, kwargs
        got, want = pg.figures(claimant="ministry"), lite.figures(claimant="ministry")
        assert got.total == want.total
        incident = max(lite.incidents(limit=500).items, key=lambda i: len(i["document_ids"]))
        page = pg.incident(incident["id"], source_offset=1, source_limit=1)
        assert [d["id"] for d in page["documents"]] == incident["document_ids"][1:2]
        assert {e["document_id"] for e in page["events"]} <= set(incident["document_ids"][1:2])
    finally:
        pg.close()
        lite.close()


@pytest.mark.parametrize(
    "statement", ["UPDATE decisions SET reason = 'x'", "DELETE FROM decisions"]
)
def test_decisions_refuse_update_and_delete_on_both_backends(url: str, statement: str) -> None:
    from sqlalchemy.exc import DBAPIError

    from eventledger.storage.review import Review, User

    Ledger(url).close()
    review = Review(url)
    try:
        review.append(
            User("ana", "coder", "2024"),
            kind="incident",
            record_id="inc-1",
            anchor="inc-1",
            action="merge",
            field=None,
            before=None,
            after={"from": []},
            reason="same attack",
        )
        with pytest.raises(DBAPIError, match="append-only"), review._engine.begin() as conn:
            conn.exec_driver_sql(statement)
        assert [d["reason"] for d in review.decisions()] == ["same attack"]
    finally:
        review.close()


def test_a_decision_follows_its_anchor_and_is_orphaned_on_both_backends(url: str) -> None:
    from eventledger.models import Event, Evidence
    from eventledger.storage.review import Review, User

    def with_event(text: str, revision: int) -> Document:
        doc = _doc(text, revision=revision)
        start = text.index("air strike")
        doc.events.append(
            Event(f"{doc.id}:ev1", doc.id, "Explosions/Remote violence", None, "air strike",
                  evidence=[Evidence.of(doc.id, text, start, start + 10)])
        )  # fmt: skip
        return doc

    ledger = Ledger(url)
    ledger.store(with_event("An air strike hit the hospital.", 1))
    review = Review(url)
    try:
        review.decide(User("ana", "coder", ""), "event", "k1:ev1", "reject", reason="not here")
        assert review.statuses("event", ["k1:ev1"]) == {"k1:ev1": "rejected"}
        assert review.orphaned() == []
        ledger.store(with_event("An air strike hit the school.", 2))
        assert review.statuses("event", ["k1.r2:ev1"]) == {"k1.r2:ev1": "machine"}
        assert [d["record_id"] for d in review.orphaned()] == ["k1:ev1"]
    finally:
        review.close()
        ledger.close()
