"""Open a SQLAlchemy engine from a file path or a database URL, set up for the ledger.

Also the few dialect-specific pieces the storage layer needs, so that they
live in one place: an INSERT that skips rows whose unique key is taken, and a
database-wide lock (an advisory lock on PostgreSQL; SQLite serialises
writers by itself).
"""

from __future__ import annotations

import errno
import functools
import hashlib
import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, Table, create_engine, event, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from eventledger.errors import StorageError

__all__ = [
    "BUSY_TIMEOUT_MS",
    "advisory_lock",
    "environment_failure",
    "failure_cause",
    "insert_ignore",
    "open_engine",
    "session_lock",
    "to_sqlalchemy_url",
]

# How long a SQLite writer waits for another process's lock before it fails.
BUSY_TIMEOUT_MS = 30_000

# The schemes people write for PostgreSQL, mapped to the driver eventledger
# installs with its `postgres` extra (psycopg 3).
_POSTGRES_SCHEMES = ("postgresql", "postgres", "postgresql+psycopg2", "postgresql+psycopg")


def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    # pysqlite opens transactions only before INSERT/UPDATE/DELETE, so DDL
    # and reads would run outside them; take over and emit BEGIN ourselves
    # (the recipe in SQLAlchemy's pysqlite notes).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    # Several processes may write one file: wait for the lock, never fail at once.
    cursor.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT_MS)}")
    cursor.close()


def failure_cause(exc: BaseException) -> str:
    """What went wrong with the database, in words, from a driver or OS error."""
    orig = getattr(exc, "orig", None) or exc
    return environment_failure(exc) or " ".join(str(orig).split()) or type(orig).__name__


def environment_failure(exc: BaseException) -> str | None:
    """The cause, in words, when the database itself failed (locked, disk full,
    read-only, unreadable); None for an error of the statement or its data."""
    orig = getattr(exc, "orig", None) or exc
    lower = " ".join(str(orig).split()).lower()
    if "locked" in lower or "could not obtain lock" in lower or "lock timeout" in lower:
        return (
            f"the database is locked by another process (waited {BUSY_TIMEOUT_MS / 1000:g} s); "
            "run again when that process is done"
        )
    if (
        "disk is full" in lower
        or "no space left" in lower
        or getattr(orig, "errno", None) == errno.ENOSPC
    ):
        return "the disk is full; free some space and run again"
    if "readonly" in lower or "read-only" in lower:
        return "the database is read-only; check the file's and its folder's permissions"
    if "unable to open" in lower:
        return "the database file cannot be opened; check the path and its permissions"
    if "disk i/o error" in lower:
        return "a disk I/O error; check the disk"
    if "not a database" in lower or "malformed" in lower:
        return "the file is not a database, or it is corrupt"
    return None


def _sqlite_begin(conn: Any) -> None:
    # A unit of work (Ledger.unit) writes after reading: IMMEDIATE takes the
    # write lock first, so that another writer cannot invalidate its reads.
    immediate = conn.get_execution_options().get("eventledger_immediate")
    conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def to_sqlalchemy_url(url: str) -> str:
    """The SQLAlchemy URL for a path or URL: postgres:// and postgresql:// use psycopg 3."""
    if "://" not in url:
        path = Path(url).expanduser()
        if not path.parent.is_dir():
            raise StorageError(
                f"cannot create the ledger {str(path)!r}: folder {str(path.parent)!r} does not "
                f"exist. Create it, or pass another path or a database URL."
            )
        return f"sqlite:///{path.resolve()}"
    scheme, rest = url.split("://", 1)
    if scheme.lower() in _POSTGRES_SCHEMES:
        return f"postgresql+psycopg://{rest}"
    return url


def open_engine(url: str) -> Engine:
    """An engine for a path (a SQLite file, created) or a SQLAlchemy URL; StorageError if neither."""
    url = to_sqlalchemy_url(url)
    # NaN and Infinity are not JSON: refuse them rather than store what
    # PostgreSQL and every strict reader would reject.
    serializer = functools.partial(json.dumps, allow_nan=False, ensure_ascii=False)
    options: dict[str, Any] = {"json_serializer": serializer}
    try:
        if make_url(url).get_backend_name() == "postgresql":
            # A server restart or an idle timeout must not fail the next query.
            options["pool_pre_ping"] = True
        engine = create_engine(url, **options)
    except (ArgumentError, ImportError) as exc:
        raise StorageError(
            f"cannot open the ledger {_redact(url)!r}: {exc}. Pass a file path, a sqlite:/// URL "
            f"or a postgresql:// URL (pip install 'eventledger[postgres]')."
        ) from exc
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)
    return engine


def _redact(url: str) -> str:
    """The URL with its password hidden, for messages."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url


def insert_ignore(conn: Connection, table: Table) -> Any:
    """INSERT INTO table ... ON CONFLICT DO NOTHING, in the connection's dialect.

    The database decides which row wins, atomically: two writers never both
    insert one unique key, and the loser is not an error (add RETURNING to
    learn which: psycopg reports rowcount -1 for it).
    """
    name = conn.dialect.name
    if name == "postgresql":
        return postgresql.insert(table).on_conflict_do_nothing()
    if name == "sqlite":
        return sqlite.insert(table).on_conflict_do_nothing()
    raise StorageError(f"the ledger supports SQLite and PostgreSQL, not {name!r}")


def _lock_key(name: str) -> int:
    """A stable signed 64-bit key for a lock name (pg advisory locks take a bigint)."""
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)


def advisory_lock(conn: Connection, name: str) -> None:
    """Hold the database-wide lock `name` until the transaction on `conn` ends.

    PostgreSQL: pg_advisory_xact_lock. SQLite: nothing, since one writer at a
    time holds the file's lock anyway.
    """
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _lock_key(name)})


@contextmanager
def session_lock(engine: Engine, name: str) -> Iterator[None]:
    """Hold the database-wide lock `name` for the block, across several transactions.

    Used where work made of several transactions (linking one document's
    events into incidents) must not interleave with another process doing the
    same. PostgreSQL: a session advisory lock on a connection kept for the
    block. SQLite: nothing (see `advisory_lock`).
    """
    if engine.dialect.name != "postgresql":
        yield
        return
    key = _lock_key(name)
    with engine.connect() as conn:
        conn.execute(text("SELECT pg_advisory_lock(:key)"), {"key": key})
        conn.commit()
        try:
            yield
        finally:
            conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": key})
            conn.commit()
