"""Open a SQLAlchemy engine from a file path or a database URL, set up for the ledger."""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import ArgumentError

from eventledger.errors import StorageError

__all__ = ["open_engine"]


def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    # pysqlite opens transactions only before INSERT/UPDATE/DELETE, so DDL
    # and reads would run outside them; take over and emit BEGIN ourselves
    # (the recipe in SQLAlchemy's pysqlite notes).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _sqlite_begin(conn: Any) -> None:
    conn.exec_driver_sql("BEGIN")


def open_engine(url: str) -> Engine:
    """An engine for a path (a SQLite file, created) or a SQLAlchemy URL; StorageError if neither."""
    if "://" not in url:
        path = Path(url).expanduser()
        if not path.parent.is_dir():
            raise StorageError(
                f"cannot create the ledger {str(path)!r}: folder {str(path.parent)!r} does not "
                f"exist. Create it, or pass another path or a database URL."
            )
        url = f"sqlite:///{path.resolve()}"
    # NaN and Infinity are not JSON: refuse them rather than store what
    # PostgreSQL and every strict reader would reject.
    serializer = functools.partial(json.dumps, allow_nan=False, ensure_ascii=False)
    try:
        engine = create_engine(url, json_serializer=serializer)
    except (ArgumentError, ImportError) as exc:
        raise StorageError(
            f"cannot open the ledger {url!r}: {exc}. Pass a file path, a sqlite:/// URL or a "
            f"postgresql+psycopg:// URL (pip install 'eventledger[postgres]')."
        ) from exc
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)
    return engine
