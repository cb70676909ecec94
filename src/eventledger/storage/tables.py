"""The ledger's tables (SQLAlchemy Core), portable between SQLite and PostgreSQL.

Every record keeps its full form as JSON in `data` (so what is written reads
back unchanged); the other columns are copies made for indexed queries. The
`pk` integer keeps insertion order; `id` is the record id the rest of the
project uses.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

__all__ = [
    "claims",
    "decisions",
    "documents",
    "events",
    "evidence",
    "failures",
    "feed_state",
    "figures",
    "incident_events",
    "incidents",
    "metadata",
    "migrations",
    "rejections",
    "syndication",
    "syndication_bands",
    "users",
]

metadata = MetaData()

# Recorded by storage.migrations; created before any migration runs.
migrations = Table(
    "migrations",
    metadata,
    Column("name", String(200), primary_key=True),
    Column("applied_at", String(40), nullable=False),
)

documents = Table(
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
    # Since 0003: how the input's bytes were decoded, and how sure that is.
    Column("encoding", String(40)),
    Column("encoding_confidence", Float),
    # Two writers storing the same revision of one article: one of them fails.
    UniqueConstraint("key", "revision", name="uq_documents_key_revision"),
    Index("ix_documents_key_hash", "key", "text_hash"),
    # Since 0006: the few superseded revisions, found without reading the texts.
    Index("ix_documents_superseded", "superseded", "id"),
)


def _record_table(name: str, *extra: Column | Index) -> Table:
    """A table of one record kind: pk, id, document_id, the JSON record, query columns."""
    return Table(
        name,
        metadata,
        Column("pk", Integer, primary_key=True, autoincrement=True),
        Column("id", String(300), nullable=False, unique=True),
        Column("document_id", String(300), ForeignKey("documents.id"), nullable=False),
        Column("data", JSON, nullable=False),
        *extra,
        Index(f"ix_{name}_document_id", "document_id"),
    )


# Since 0006 (issue 18), lowercased copies of the text the list filters match,
# with indexes that answer a filtered count without reading the JSON records:
# `speaker_key` (a claim's speaker name), `claimant_key` (a figure's claimant
# name), `place_key` (place name, facility and admin-1, one per line) and
# `health_care` (the event attacks health care). See storage.keys.
# Since 0007 (issue 16): `anchor`, a key of the record that a re-run of the
# pipeline or a revision of the article gives the same record again (see
# storage.anchors); human decisions are keyed to it, not to the record id.
claims = _record_table(
    "claims",
    Column("stance", String(40)),
    Column("speaker_key", Text),
    Index("ix_claims_speaker_key", "speaker_key", "document_id"),
    Column("anchor", String(64)),
    Index("ix_claims_anchor", "anchor"),
)

figures = _record_table(
    "figures",
    Column("kind", String(40)),
    Column("event_id", String(300)),
    Column("claim_id", String(300)),
    Column("claimant_key", Text),
    Index("ix_figures_event_id", "event_id"),
    Index("ix_figures_kind", "kind", "document_id"),
    Index("ix_figures_claimant_key", "claimant_key", "event_id", "document_id"),
    Column("anchor", String(64)),
    Index("ix_figures_anchor", "anchor"),
)


def _blocking_columns(prefix: str) -> list[Column | Index]:
    """The columns the incident linker blocks on, with their indexes."""
    return [
        Column("type", String(80)),
        Column("date_start", String(10)),
        Column("date_end", String(10)),
        Column("lat", Float),
        Column("lon", Float),
        Column("facility_key", Text),  # casefolded facility name
        Column("country", String(80)),
        # Blocking reads a window of days, then filters on place inside the
        # index: the work grows with incidents per month, not with history.
        Index(f"ix_{prefix}_date_place", "date_start", "lat", "lon", "date_end"),
        Index(f"ix_{prefix}_facility_date", "facility_key", "date_start"),
    ]


events = _record_table(
    "events",
    *_blocking_columns("events"),
    Column("place_key", Text),
    Column("health_care", Boolean),
    # Since 0006: documents.pk of its document, the key of the full-text index.
    Column("document_pk", Integer),
    Index("ix_events_type_date", "type", "date_start", "document_id"),
    Index("ix_events_health_care", "health_care", "id"),
    Index("ix_events_document_pk", "document_pk", "id"),
    Column("anchor", String(64)),
    Index("ix_events_anchor", "anchor"),
)

incidents = Table(
    "incidents",
    metadata,
    Column("pk", Integer, primary_key=True, autoincrement=True),
    Column("id", String(300), nullable=False, unique=True),
    Column("data", JSON, nullable=False),
    # True when the date range is longer than the candidate query's bounded
    # look-back; such incidents are few and are always checked.
    Column("long_span", Boolean, nullable=False, default=False),
    *_blocking_columns("incidents"),
    Index("ix_incidents_long_span", "long_span", "date_start"),
    # Long incidents overlapping a window are found by their end (>= the
    # window's start), with date_start checked inside the index: reading by
    # start alone would read every long incident that ever began (issue 6).
    Index("ix_incidents_long_span_end", "long_span", "date_end", "date_start"),
    Column("place_key", Text),
    Index("ix_incidents_place_key", "place_key", "country"),
    # Since 0006: incidents found by id (through their events) are ordered
    # and date-filtered in the index, without reading their records.
    Index("ix_incidents_id_date", "id", "date_start", "date_end"),
    # Since 0009 (issue 18): the per-event filters health_care and claimant,
    # folded over the incident's events when it is saved (storage.keys), so
    # that a list filtered by one of them counts and pages in one index of
    # incidents instead of going from figures or events to incidents through
    # the links. `health_care`: one of its events attacks health care;
    # `claimant_key`: the claimant keys of its events' figures, one per line.
    Column("health_care", Boolean),
    Column("claimant_key", Text),
    Index("ix_incidents_health_care", "health_care", "date_start", "date_end"),
    Index("ix_incidents_claimant_key", "claimant_key", "date_start", "date_end"),
)

incident_events = Table(
    "incident_events",
    metadata,
    Column("incident_id", String(300), ForeignKey("incidents.id"), primary_key=True),
    Column("event_id", String(300), ForeignKey("events.id"), primary_key=True),
    Index("ix_incident_events_event_id", "event_id"),
    # Since 0006: an event's incidents read from the index alone.
    Index("ix_incident_events_event_incident", "event_id", "incident_id"),
    # Since 0008: the event's document pk and the incident's pk, so that the
    # text filter goes from the full-text index (which answers in document
    # pks) to incidents in integer indexes, without looking up text ids.
    Column("document_pk", Integer),
    Column("incident_pk", Integer),
    Index("ix_incident_events_document_incident", "document_pk", "incident_pk"),
    # Since 0009: an incident's links by its pk, so that a text search's first
    # pages check incidents in date order, a few links each, instead of
    # mapping every matching document to its incidents first.
    Index("ix_incident_events_incident_document", "incident_pk", "document_pk"),
)

evidence = Table(
    "evidence",
    metadata,
    Column("pk", Integer, primary_key=True, autoincrement=True),
    Column("record_kind", String(20), nullable=False),  # claim | figure | event
    Column("record_id", String(300), nullable=False),
    Column("field", String(200), nullable=False),  # path in the record: "date.evidence[0]"
    Column("document_id", String(300), ForeignKey("documents.id"), nullable=False),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Index("ix_evidence_record", "record_kind", "record_id"),
    Index("ix_evidence_document", "document_id", "start"),
)

failures = Table(
    "failures",
    metadata,
    Column("pk", Integer, primary_key=True, autoincrement=True),
    Column("document_id", String(300), ForeignKey("documents.id"), nullable=False),
    Column("stage", String(200), nullable=False),
    Column("message", Text, nullable=False),
    Column("recorded_at", String(40), nullable=False),
    Index("ix_failures_document_id", "document_id"),
)

rejections = Table(
    "rejections",
    metadata,
    Column("pk", Integer, primary_key=True, autoincrement=True),
    Column("source", Text, nullable=False),
    Column("code", String(20), nullable=False),
    Column("message", Text, nullable=False),
    Column("recorded_at", String(40), nullable=False),  # the first time
    # Since 0004: one row per input and reason; a re-run counts it again.
    Column("count", Integer, nullable=False, default=1, server_default="1"),
    Column("last_recorded_at", String(40)),
)


# --- syndication (issue 6) -------------------------------------------------
# Copies of one story (wire reprints, retitled or cut) are found by a
# normalised-text hash and by MinHash LSH whose band keys live in an indexed
# table, so looking up the copies of a new document reads a few index entries
# whatever the size of the ledger.

syndication = Table(
    "syndication",
    metadata,
    Column("document_id", String(300), ForeignKey("documents.id"), primary_key=True),
    Column("norm_hash", String(64), nullable=False),  # sha256 of the normalised text
    Column("shingles", Integer, nullable=False),  # size of the shingle set (for containment)
    Column("signature", JSON, nullable=False),  # MinHash hash values
    Column("source_id", String(300), nullable=False),  # the story this document is a copy of
    Index("ix_syndication_norm_hash", "norm_hash"),
    Index("ix_syndication_source_id", "source_id"),
)

syndication_bands = Table(
    "syndication_bands",
    metadata,
    Column("band_key", String(40), primary_key=True),  # "<band>:<hash of the band's rows>"
    Column("document_id", String(300), ForeignKey("documents.id"), primary_key=True),
    Index("ix_syndication_bands_document_id", "document_id"),
)


# --- live feeds (issue 8) ----------------------------------------------------
# One row per polled feed URL, so a watcher that restarts sends the same
# conditional request (ETag, Last-Modified) and skips the entries it has
# ingested already.

feed_state = Table(
    "feed_state",
    metadata,
    Column("url", String(2000), primary_key=True),
    Column("etag", Text),
    Column("last_modified", Text),
    Column("seen", JSON, nullable=False),  # entry ids ingested, newest last (bounded)
    Column("errors", Integer, nullable=False, default=0),  # consecutive failed polls
    Column("last_error", Text),
    Column("checked_at", String(40)),
)


# --- review (issue 16) -------------------------------------------------------
# People who may read or write through the API and the web UI: only the hash
# of each token is kept, so a copy of the database gives no one a login.

users = Table(
    "users",
    metadata,
    Column("pk", Integer, primary_key=True, autoincrement=True),
    Column("name", String(100), nullable=False, unique=True),
    Column("role", String(20), nullable=False),  # viewer | coder | admin
    Column("token_hash", String(64), nullable=False, unique=True),  # sha256 hex of the token
    Column("created", String(40), nullable=False),
)

# One row per human decision on a machine record, never changed or deleted
# (0007 adds triggers that refuse UPDATE and DELETE): reads overlay the latest
# decision on the machine's record, which itself is never overwritten.
decisions = Table(
    "decisions",
    metadata,
    Column("pk", Integer, primary_key=True, autoincrement=True),
    Column("user", String(100), nullable=False),
    Column("at", String(40), nullable=False),
    Column("record_kind", String(20), nullable=False),  # event | figure | claim | incident
    Column("record_id", String(300), nullable=False),  # the record as the coder saw it
    # The record's anchor (events, figures, claims) or incident id: what the
    # decision applies to after a re-run gives the record another id.
    Column("anchor", String(300), nullable=False),
    Column("field", String(100)),
    Column("before", JSON),
    Column("after", JSON),
    Column("reason", Text, nullable=False),
    Column("action", String(20), nullable=False),  # accept | reject | edit | merge | split
    Index("ix_decisions_anchor", "record_kind", "anchor", "pk"),
    Index("ix_decisions_record", "record_kind", "record_id"),
    Index("ix_decisions_user", "user", "pk"),
)
