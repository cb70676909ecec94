from __future__ import annotations

import errno
import sqlite3

import pytest

from eventledger.storage.engine import environment_failure, failure_cause


@pytest.mark.parametrize(
    ("exc", "cause"),
    [
        (sqlite3.OperationalError("database is locked"), "locked by another process"),
        (sqlite3.OperationalError("database or disk is full"), "the disk is full"),
        (OSError(errno.ENOSPC, "No space left on device"), "the disk is full"),
        (sqlite3.OperationalError("attempt to write a readonly database"), "read-only"),
        (sqlite3.OperationalError("unable to open database file"), "cannot be opened"),
        (sqlite3.DatabaseError("file is not a database"), "not a database"),
    ],
)
def test_environment_failure_names_the_cause(exc, cause):
    assert cause in (environment_failure(exc) or "")
    assert cause in failure_cause(exc)


def test_statement_errors_are_not_environment_failures():
    exc = sqlite3.IntegrityError("UNIQUE constraint failed: documents.id")
    assert environment_failure(exc) is None
    assert failure_cause(exc) == "UNIQUE constraint failed: documents.id"
