"""Named schema migrations, each run in its own transaction and recorded by name.

`MIGRATIONS` is the ordered list of `(name, function)`; `apply(engine)` runs
the ones a database has not recorded yet. A database that records a
migration this version does not know was written by a newer eventledger:
`StorageError`, never a guess at its schema.

On PostgreSQL every migration transaction first takes an advisory lock, so
that two processes opening a fresh database do not both run 0001: the second
waits, then finds it recorded.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Connection,
    Engine,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    bindparam,
    delete,
    insert,
    select,
    update,
)

from eventledger.errors import StorageError
from eventledger.storage import anchors, fulltext, keys, tables
from eventledger.storage.engine import advisory_lock

__all__ = ["MIGRATIONS", "Migration", "applied", "apply"]

Migration = tuple[str, Callable[[Connection], None]]


# Columns a later migration adds, by table.
_ADDED_LATER = {
    "documents": ("encoding", "encoding_confidence"),
    "rejections": ("count", "last_recorded_at"),
    # 0006: the filters' lowercased keys (storage.keys)
    "claims": ("speaker_key",),
    "figures": ("claimant_key",),
    "events": ("place_key", "health_care", "document_pk"),
    "incidents": ("place_key",),
    # 0008: integer keys for the text filter's path to incidents
    "incident_events": ("document_pk", "incident_pk"),
}
# Columns 0007 adds (anchors of records, storage.anchors), by table.
_ADDED_0007 = {"claims": ("anchor",), "figures": ("anchor",), "events": ("anchor",)}
# Columns 0009 adds (the per-event filters folded over each incident), by table.
_ADDED_0009 = {"incidents": ("health_care", "claimant_key")}
# Tables 0007 makes (review, issue 16).
_TABLES_0007 = ("users", "decisions")
# Indexes 0006 adds (declared in tables.py).
_INDEXES_0006 = (
    "ix_documents_superseded",
    "ix_claims_speaker_key",
    "ix_figures_kind",
    "ix_figures_claimant_key",
    "ix_events_type_date",
    "ix_events_health_care",
    "ix_events_document_pk",
    "ix_incidents_id_date",
    "ix_incidents_place_key",
    "ix_incident_events_event_incident",
)
# Tables 0001 made from tables.py, less what a later migration added there.
_RECORD_TABLES = ("claims", "figures", "events", "incidents", "incident_events")


def _as_of_0001(table: Table, metadata: MetaData) -> Table:
    """`table` as tables.py declares it, without the columns and indexes added later."""
    later = (
        set(_ADDED_LATER.get(table.name, ()))
        | set(_ADDED_0007.get(table.name, ()))
        | set(_ADDED_0009.get(table.name, ()))
    )
    columns = []
    for c in table.columns:
        if c.name in later:
            continue
        copy = c._copy()  # copies no foreign key: add them again
        for fk in c.foreign_keys:
            copy.append_foreign_key(ForeignKey(fk.target_fullname))
        columns.append(copy)
    indexes = [
        Index(ix.name, *[c.name for c in ix.columns], unique=ix.unique)
        for ix in table.indexes
        if ix.name not in _INDEXES_0006 and not later & {c.name for c in ix.columns}
    ]
    return Table(table.name, metadata, *columns, *indexes)


def _documents_0001(metadata: MetaData) -> Table:
    """The documents table as 0001 made it (frozen: later columns come by migration)."""
    return Table(
        "documents",
        metadata,
        Column("pk", Integer, primary_key=True, autoincrement=True),
        Column("id", String(300), nullable=False, unique=True),
        Column("key", String(300), nullable=False),
        Column("revision", Integer, nullable=False),
        Column("superseded", Boolean, nullable=False, default=False),
        Column("url", Text),
        Column("title", Text),
        Column("outlet", Text),
        Column("published", String(40)),
        Column("published_source", String(40)),
        Column("language", String(20)),
        Column("text", Text, nullable=False),
        Column("text_hash", String(128), nullable=False),
        Column("removed", JSON, nullable=False),
        Column("source", Text),
        Column("ingested_at", String(40), nullable=False),
        UniqueConstraint("key", "revision", name="uq_documents_key_revision"),
        Index("ix_documents_key_hash", "key", "text_hash"),
    )


def _rejections_0001(metadata: MetaData) -> Table:
    """The rejections table as 0001 made it."""
    return Table(
        "rejections",
        metadata,
        Column("pk", Integer, primary_key=True, autoincrement=True),
        Column("source", Text, nullable=False),
        Column("code", String(20), nullable=False),
        Column("message", Text, nullable=False),
        Column("recorded_at", String(40), nullable=False),
    )


def _initial(conn: Connection) -> None:
    # 0001 builds the schema as tables.py declares it, but for a table a later
    # migration changed: that one is frozen here as 0001 made it, so that a
    # fresh database replays the same history as an old one.
    frozen = MetaData()
    _documents_0001(frozen)
    _rejections_0001(frozen)
    for name in _RECORD_TABLES:
        _as_of_0001(tables.metadata.tables[name], frozen)
    frozen.create_all(conn)
    tables.metadata.create_all(
        conn,
        tables=[
            t
            for t in tables.metadata.sorted_tables
            if t.name
            not in ("migrations", "documents", "rejections", *_RECORD_TABLES, *_TABLES_0007)
        ],
    )


def _figure_value_best(conn: Connection) -> None:
    # Incident figure values carry their report's own `best` since 0002, so
    # that a merge reconciles from the incident's values without reading
    # every figure again. Fill it in for incidents stored before, from the
    # figure records they name.
    i, f = tables.incidents, tables.figures
    for row in conn.execute(select(i.c.pk, i.c.data).order_by(i.c.pk)).all():
        data = row.data
        values = [v for fig in data.get("figures") or [] for v in fig.get("values") or []]
        missing = sorted({v["figure_id"] for v in values if "best" not in v})
        if not missing:
            continue
        best: dict[str, float | None] = {}
        for start in range(0, len(missing), 500):
            query = select(f.c.id, f.c.data).where(f.c.id.in_(missing[start : start + 500]))
            best.update((r.id, r.data.get("best")) for r in conn.execute(query))
        for v in values:
            v.setdefault("best", best.get(v["figure_id"]))
        conn.execute(update(i).where(i.c.pk == row.pk).values(data=data))


def _document_encoding(conn: Connection) -> None:
    # How each input's bytes were decoded and how sure that is (issue 18):
    # unknown (null) for documents stored before.
    for name in _ADDED_LATER["documents"]:
        column: Column = tables.documents.c[name]
        kind = column.type.compile(dialect=conn.dialect)
        conn.exec_driver_sql(f"ALTER TABLE documents ADD COLUMN {name} {kind}")


def _rejection_count(conn: Connection) -> None:
    # One rejection per input and reason (issue 18): re-runs count it again
    # instead of adding a row. Rows recorded before are merged here.
    r = tables.rejections
    conn.exec_driver_sql("ALTER TABLE rejections ADD COLUMN count INTEGER NOT NULL DEFAULT 1")
    conn.exec_driver_sql("ALTER TABLE rejections ADD COLUMN last_recorded_at VARCHAR(40)")
    first: dict[tuple[str, str, str], int] = {}
    merged: dict[int, tuple[int, str]] = {}
    extra: list[int] = []
    rows = conn.execute(select(r.c.pk, r.c.source, r.c.code, r.c.message, r.c.recorded_at))
    for row in rows.all():
        key = (row.source, row.code, row.message)
        if key not in first:
            first[key] = row.pk
            merged[row.pk] = (1, row.recorded_at)
            continue
        keep = first[key]
        count, last = merged[keep]
        merged[keep] = (count + 1, max(last, row.recorded_at))
        extra.append(row.pk)
    for pk, (count, last) in merged.items():
        conn.execute(update(r).where(r.c.pk == pk).values(count=count, last_recorded_at=last))
    for start in range(0, len(extra), 500):
        conn.execute(delete(r).where(r.c.pk.in_(extra[start : start + 500])))


def _document_fulltext(conn: Connection) -> None:
    # The text filter `q` searches a full-text index (issue 18), not LIKE over
    # every text: create it and index the documents stored before.
    fulltext.create_index(conn)


def _query_columns(conn: Connection) -> None:
    # Lowercased copies of what the list filters match, with indexes that
    # answer a filtered count without reading the JSON records, and each
    # event's document pk (issue 18); filled in here for the records stored
    # before.
    fills: tuple[tuple[Table, Callable[[dict], dict]], ...] = (
        (tables.claims, lambda d: {"speaker_key": keys.speaker_key(d)}),
        (tables.figures, lambda d: {"claimant_key": keys.claimant_key(d)}),
        (
            tables.events,
            lambda d: {
                "place_key": keys.place_key(d.get("place")),
                "health_care": keys.health_care(d),
            },
        ),
        (tables.incidents, lambda d: {"place_key": keys.place_key(d.get("place"))}),
    )
    for table, fill in fills:
        for name in _ADDED_LATER[table.name]:
            kind = table.c[name].type.compile(dialect=conn.dialect)
            conn.exec_driver_sql(f"ALTER TABLE {table.name} ADD COLUMN {name} {kind}")
        names = [n for n in _ADDED_LATER[table.name] if n != "document_pk"]
        change = (
            update(table)
            .where(table.c.pk == bindparam("_pk"))
            .values({n: bindparam(n) for n in names})
        )
        last = 0
        while True:
            query = select(table.c.pk, table.c.data).where(table.c.pk > last).order_by(table.c.pk)
            rows = conn.execute(query.limit(1000)).all()
            if not rows:
                break
            conn.execute(change, [{"_pk": r.pk, **fill(r.data)} for r in rows])
            last = rows[-1].pk
    # Each event's document pk, the key the full-text index answers in.
    e, d = tables.events, tables.documents
    pk_of = select(d.c.pk).where(d.c.id == e.c.document_id).scalar_subquery()
    conn.execute(update(e).values(document_pk=pk_of))
    for table in tables.metadata.sorted_tables:
        for index in table.indexes:
            if index.name in _INDEXES_0006:
                index.create(conn)


_APPEND_ONLY_SQLITE = (
    "CREATE TRIGGER decisions_no_update BEFORE UPDATE ON decisions "
    "BEGIN SELECT RAISE(ABORT, 'decisions are append-only: add a new decision'); END",
    "CREATE TRIGGER decisions_no_delete BEFORE DELETE ON decisions "
    "BEGIN SELECT RAISE(ABORT, 'decisions are append-only: add a new decision'); END",
)
_APPEND_ONLY_POSTGRES = (
    "CREATE FUNCTION eventledger_decisions_append_only() RETURNS trigger AS $$ "
    "BEGIN RAISE EXCEPTION 'decisions are append-only: add a new decision'; END; "
    "$$ LANGUAGE plpgsql",
    "CREATE TRIGGER decisions_no_change BEFORE UPDATE OR DELETE ON decisions "
    "FOR EACH ROW EXECUTE FUNCTION eventledger_decisions_append_only()",
    # TRUNCATE skips row triggers: refuse it too.
    "CREATE TRIGGER decisions_no_truncate BEFORE TRUNCATE ON decisions "
    "FOR EACH STATEMENT EXECUTE FUNCTION eventledger_decisions_append_only()",
)


def _review(conn: Connection) -> None:
    # Users and append-only decisions (issue 16), and each record's anchor,
    # the key a decision survives a re-run by: computed here for the records
    # stored before, a document at a time, as Ledger.store computes it.
    for name in _TABLES_0007:
        tables.metadata.tables[name].create(conn)
    for statement in (
        _APPEND_ONLY_POSTGRES if conn.dialect.name == "postgresql" else _APPEND_ONLY_SQLITE
    ):
        conn.exec_driver_sql(statement)
    record_tables = {"claim": tables.claims, "figure": tables.figures, "event": tables.events}
    for table in record_tables.values():
        kind = table.c.anchor.type.compile(dialect=conn.dialect)
        conn.exec_driver_sql(f"ALTER TABLE {table.name} ADD COLUMN anchor {kind}")
    d = tables.documents
    last = 0
    while True:
        query = select(d.c.pk, d.c.id, d.c.key, d.c.text).where(d.c.pk > last).order_by(d.c.pk)
        docs = conn.execute(query.limit(100)).all()
        if not docs:
            break
        for doc in docs:
            for kind, table in record_tables.items():
                rows = conn.execute(
                    select(table.c.pk, table.c.data)
                    .where(table.c.document_id == doc.id)
                    .order_by(table.c.pk)
                ).all()
                if not rows:
                    continue
                found = anchors.anchors(doc.key, kind, [r.data for r in rows], doc.text)
                conn.execute(
                    update(table).where(table.c.pk == bindparam("_pk")),
                    [{"_pk": r.pk, "anchor": a} for r, a in zip(rows, found, strict=True)],
                )
        last = docs[-1].pk
    for table in record_tables.values():
        for index in table.indexes:
            if index.name == f"ix_{table.name}_anchor":
                index.create(conn)


def _link_pks(conn: Connection) -> None:
    # Each link carries its event's document pk and its incident's pk (issue
    # 18): the text filter then reads incidents from the full-text index's
    # document pks in one integer index, not through three text-id lookups.
    links, e, i = tables.incident_events, tables.events, tables.incidents
    for name in _ADDED_LATER["incident_events"]:
        kind = links.c[name].type.compile(dialect=conn.dialect)
        conn.exec_driver_sql(f"ALTER TABLE incident_events ADD COLUMN {name} {kind}")
    conn.execute(
        update(links).values(
            document_pk=select(e.c.document_pk).where(e.c.id == links.c.event_id).scalar_subquery(),
            incident_pk=select(i.c.pk).where(i.c.id == links.c.incident_id).scalar_subquery(),
        )
    )
    for index in links.indexes:
        if index.name == "ix_incident_events_document_incident":
            index.create(conn)


def _incident_filter_keys(conn: Connection) -> None:
    # Each incident carries the per-event filters health_care and claimant
    # folded over its events (issue 18), as Ledger.save_incident writes them:
    # a list filtered by one of them then reads one index of incidents.
    i, links, e, f = tables.incidents, tables.incident_events, tables.events, tables.figures
    for name in _ADDED_0009["incidents"]:
        kind = i.c[name].type.compile(dialect=conn.dialect)
        conn.exec_driver_sql(f"ALTER TABLE incidents ADD COLUMN {name} {kind}")
    attacked = (
        select(links.c.event_id)
        .join(e, e.c.id == links.c.event_id)
        .where(links.c.incident_id == i.c.id, e.c.health_care.is_(True))
        .exists()
    )
    conn.execute(update(i).values(health_care=attacked))
    claimed = (
        select(links.c.incident_id, f.c.claimant_key)
        .join(f, f.c.event_id == links.c.event_id)
        .where(f.c.claimant_key.is_not(None))
    )
    found: dict[str, list[str]] = {}
    for row in conn.execute(claimed):
        found.setdefault(row.incident_id, []).append(row.claimant_key)
    if found:
        conn.execute(
            update(i).where(i.c.id == bindparam("_id")),
            [{"_id": k, "claimant_key": keys.incident_claimant_key(v)} for k, v in found.items()],
        )
    for index in links.indexes:
        if index.name == "ix_incident_events_incident_document":
            index.create(conn)
    for index in i.indexes:
        # PostgreSQL refuses a B-tree entry over about 2.7 kB, which the claimants
        # of an incident reported hundreds of times may pass; there the filter
        # reads the column in a scan of the table instead.
        skip = conn.dialect.name == "postgresql" and index.name == "ix_incidents_claimant_key"
        if index.name in ("ix_incidents_health_care", "ix_incidents_claimant_key") and not skip:
            index.create(conn)


MIGRATIONS: tuple[Migration, ...] = (
    ("0001_initial", _initial),
    ("0002_figure_value_best", _figure_value_best),
    ("0003_document_encoding", _document_encoding),
    ("0004_rejection_count", _rejection_count),
    ("0005_document_fulltext", _document_fulltext),
    ("0006_query_columns", _query_columns),
    ("0007_review", _review),
    ("0008_link_pks", _link_pks),
    ("0009_incident_filter_keys", _incident_filter_keys),
)
LOCK = "eventledger.migrations"


def applied(conn: Connection) -> list[str]:
    """Names of the migrations recorded in the database, oldest first."""
    rows = conn.execute(
        select(tables.migrations.c.name).order_by(
            tables.migrations.c.applied_at, tables.migrations.c.name
        )
    )
    return [r.name for r in rows]


def apply(engine: Engine, migrations: tuple[Migration, ...] = MIGRATIONS) -> list[str]:
    """Run the pending migrations in order; return the names that ran."""
    with engine.begin() as conn:
        advisory_lock(conn, LOCK)
        tables.migrations.create(conn, checkfirst=True)
        done = applied(conn)
    known = {name for name, _ in migrations}
    unknown = [name for name in done if name not in known]
    if unknown:
        raise StorageError(
            f"the database records migration(s) {', '.join(unknown)} that this version of "
            f"eventledger does not know: it was written by a newer eventledger. Upgrade "
            f"eventledger to open it."
        )
    ran = []
    for name, function in migrations:
        if name in done:
            continue
        with engine.begin() as conn:
            advisory_lock(conn, LOCK)
            # Another process may have run it while this one waited for the lock.
            if name in applied(conn):
                continue
            function(conn)
            conn.execute(
                insert(tables.migrations).values(
                    name=name, applied_at=datetime.now(UTC).isoformat(timespec="microseconds")
                )
            )
        ran.append(name)
    return ran
