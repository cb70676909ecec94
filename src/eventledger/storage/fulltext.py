"""Full-text search over the documents' title and text, in each database's own index.

SQLite: an FTS5 table `documents_fts` (tokenizer `unicode61`, diacritics
removed) whose rowid is `documents.pk`; it keeps no copy of the text
(external content), and triggers on `documents` keep it up to date in the
transaction that writes the document. PostgreSQL: a GIN index on the
`simple` text-search vector of title and text, kept up to date by the
database itself.

A search is a list of words (`words(q)`: runs of letters and digits, so no
character of the query reaches either database's query syntax); a document
matches when every word begins a word of its title or text.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import ColumnElement, Connection, column, func, literal_column, select, table

__all__ = [
    "FTS_TABLE",
    "MAX_WORDS",
    "create_index",
    "documents_matching",
    "events_matching",
    "matches",
    "words",
]

FTS_TABLE = "documents_fts"
# More words than this in one search is a 422: each one is a term the index looks up.
MAX_WORDS = 32

_WORD = re.compile(r"[^\W_]+")

# The expression PostgreSQL indexes; a query must repeat it exactly to use the index.
_PG_VECTOR = (
    "to_tsvector('simple'::regconfig, coalesce(documents.title, '') || ' ' || documents.text)"
)

_SQLITE_DDL = (
    f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5(title, text, content='documents', "
    "content_rowid='pk', tokenize='unicode61 remove_diacritics 2')",
    f"CREATE TRIGGER {FTS_TABLE}_insert AFTER INSERT ON documents BEGIN "
    f"INSERT INTO {FTS_TABLE}(rowid, title, text) VALUES (new.pk, new.title, new.text); END",
    f"CREATE TRIGGER {FTS_TABLE}_delete AFTER DELETE ON documents BEGIN "
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, title, text) "
    "VALUES ('delete', old.pk, old.title, old.text); END",
    f"CREATE TRIGGER {FTS_TABLE}_update AFTER UPDATE OF title, text ON documents BEGIN "
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, title, text) "
    "VALUES ('delete', old.pk, old.title, old.text); "
    f"INSERT INTO {FTS_TABLE}(rowid, title, text) VALUES (new.pk, new.title, new.text); END",
    # Index the documents stored before (the migration's backfill).
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')",
)


def words(q: str) -> list[str]:
    """The words of a search, lowercased; ValueError when there are none or too many."""
    found = [w.lower() for w in _WORD.findall(q)]
    if not found:
        raise ValueError(f"q {q!r} holds no word to search for: give letters or digits")
    if len(found) > MAX_WORDS:
        raise ValueError(f"q holds {len(found)} words; search for at most {MAX_WORDS}")
    return found


def create_index(conn: Connection) -> None:
    """Create the full-text index of the documents and fill it (migration 0005)."""
    name = conn.dialect.name
    if name == "sqlite":
        for statement in _SQLITE_DDL:
            conn.exec_driver_sql(statement)
    elif name == "postgresql":
        conn.exec_driver_sql(
            f"CREATE INDEX ix_documents_fulltext ON documents USING gin ({_PG_VECTOR})"
        )


def matches(dialect: str, pk: Any, q: str) -> ColumnElement[bool]:
    """A condition on `documents.pk`: the document's title or text holds every word of `q`,
    each as the start of a word (case-insensitive)."""
    terms = words(q)
    if dialect == "postgresql":
        # Letters and digits only: nothing in the terms is tsquery syntax.
        query = " & ".join(f"{w}:*" for w in terms)
        vector = literal_column(_PG_VECTOR)
        return vector.op("@@")(func.to_tsquery(literal_column("'simple'::regconfig"), query))
    return pk.in_(documents_matching(dialect, None, q))


def documents_matching(dialect: str, documents: Any, q: str) -> Any:
    """The pks of the documents whose title or text holds every word of `q`: a SELECT.

    SQLite's index answers in document pks itself: no document row is read.
    """
    if dialect == "postgresql":
        return select(documents.c.pk).where(matches(dialect, documents.c.pk, q))
    terms = words(q)
    fts = table(FTS_TABLE, column("rowid"), column(FTS_TABLE))
    # Each word quoted (letters and digits only, so no quote inside) and a prefix.
    query = " ".join(f'"{w}"*' for w in terms)
    return select(fts.c.rowid).where(fts.c[FTS_TABLE].op("MATCH")(query))


def events_matching(dialect: str, events: Any, documents: Any, q: str) -> ColumnElement[bool]:
    """A condition on `events`: its document's title or text holds every word of `q`.

    SQLite's index answers in document pks, which events carry
    (`document_pk`): no document row is read. PostgreSQL's index is on the
    documents' rows.
    """
    if dialect == "postgresql":
        return events.c.document_id.in_(
            select(documents.c.id).where(matches(dialect, documents.c.pk, q))
        )
    return matches(dialect, events.c.document_pk, q)
