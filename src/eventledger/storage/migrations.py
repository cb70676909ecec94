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
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    delete,
    insert,
    select,
    update,
)

from eventledger.errors import StorageError
from eventledger.storage import fulltext, tables
from eventledger.storage.engine import advisory_lock

__all__ = ["MIGRATIONS", "Migration", "applied", "apply"]

Migration = tuple[str, Callable[[Connection], None]]


# Columns a later migration adds, by table.
_ADDED_LATER = {
    "documents": ("encoding", "encoding_confidence"),
    "rejections": ("count", "last_recorded_at"),
}


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
    _documents_0001(frozen).create(conn)
    _rejections_0001(frozen).create(conn)
    tables.metadata.create_all(
        conn,
        tables=[
            t
            for t in tables.metadata.sorted_tables
            if t.name not in ("migrations", "documents", "rejections")
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


MIGRATIONS: tuple[Migration, ...] = (
    ("0001_initial", _initial),
    ("0002_figure_value_best", _figure_value_best),
    ("0003_document_encoding", _document_encoding),
    ("0004_rejection_count", _rejection_count),
    ("0005_document_fulltext", _document_fulltext),
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
