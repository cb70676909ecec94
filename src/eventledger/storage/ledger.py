"""The ledger: documents and their records in one SQL database (SQLite by default).

`store` writes one document and everything found in it in one transaction,
after checking that every evidence span matches the document's text; the
incident linker reads and writes incidents through the same object.
"""

from __future__ import annotations

import hashlib
import math
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    Connection,
    Table,
    and_,
    bindparam,
    delete,
    func,
    insert,
    or_,
    select,
    true,
    update,
)
from sqlalchemy.exc import SQLAlchemyError

from eventledger.errors import StorageError
from eventledger.models import (
    Article,
    Claim,
    Event,
    Figure,
    Incident,
    Place,
    Removed,
    When,
    to_dict,
)
from eventledger.storage import keys, migrations, tables
from eventledger.storage.anchors import anchors
from eventledger.storage.codec import RecordCodec, evidence_spans
from eventledger.storage.engine import (
    environment_failure,
    failure_cause,
    insert_ignore,
    open_engine,
    session_lock,
)

if TYPE_CHECKING:
    from eventledger.pipeline import Document

__all__ = ["Ledger"]

EARTH_RADIUS_KM = 6371.0088
KM_PER_DEGREE_LAT = 111.32
# Incidents whose date range is longer than this (a month) are flagged
# `long_span` and checked through their own index; the others are found
# through a bounded range on date_start, so the candidate query reads a window
# of days and never the whole history.
MAX_INDEXED_SPAN_DAYS = 31
# IN (...) lists are cut into chunks: SQLite limits bound parameters.
CHUNK = 500
# Documents whose story and metadata `sources_of` keeps (oldest dropped first).
SOURCE_CACHE = 4096
# Documents whose events `events_of` keeps.
EVENTS_CACHE = 1024


def _environment_error(exc: BaseException) -> StorageError | None:
    """A StorageError naming the cause when the database itself failed (locked,
    disk full, read-only); None for an error each method words for itself."""
    cause = environment_failure(exc)
    return None if cause is None else StorageError(f"the ledger failed: {cause}")


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _text_hash(article: Article) -> str:
    return article.text_hash or hashlib.sha256(article.text.encode("utf-8")).hexdigest()


def _day(value: str | None) -> date | None:
    """The calendar day an ISO date or date-time starts with; None if it has none."""
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def _blocking(when: When | None, place: Place | None) -> dict[str, Any]:
    """The indexed columns the linker blocks on, copied out of a date and a place."""
    start = _day(when.start) if when else None
    end = (_day(when.end) if when else None) or start
    return {
        "date_start": start.isoformat() if start else None,
        "date_end": end.isoformat() if end else None,
        "lat": place.lat if place else None,
        "lon": place.lon if place else None,
        "facility_key": place.facility.casefold() if place and place.facility else None,
        "country": place.country if place else None,
    }


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def _long_overlap(lo: str, hi: str) -> Any:
    """Long incidents overlapping [lo, hi], read by their end (ix_incidents_long_span_end).

    date_start is wrapped in coalesce so that the planner cannot read the range
    by start instead (ix_incidents_long_span: every long incident that began
    before hi, a number that grows with history); the start is still checked
    inside the index.
    """
    i = tables.incidents
    return and_(i.c.date_end >= lo, func.coalesce(i.c.date_start, "") <= hi)


# A link row with its integer keys (0008) looked up in the same statement: the
# event's document pk and the incident's pk. A link to an event that is not
# stored still fails on its foreign key, as a plain insert would.
_LINK = insert(tables.incident_events).values(
    incident_id=bindparam("incident_id"),
    event_id=bindparam("event_id"),
    document_pk=select(tables.events.c.document_pk)
    .where(tables.events.c.id == bindparam("event_id"))
    .scalar_subquery(),
    incident_pk=select(tables.incidents.c.pk)
    .where(tables.incidents.c.id == bindparam("incident_id"))
    .scalar_subquery(),
)


def _incident_filter_keys(
    conn: Connection, incident: Incident, added: list[str] | None
) -> dict[str, Any]:
    """The incident's `health_care` and `claimant_key` columns (0009), folded over
    its events and their figures: over all of them, or with `added` over the
    added ones and what the stored row holds already (no incident reported a
    hundred times is read a hundred times over)."""
    i, e, f = tables.incidents, tables.events, tables.figures
    health_care, claimants = False, []
    event_ids = list(dict.fromkeys(incident.event_ids if added is None else added))
    if added is not None:
        stored = conn.execute(
            select(i.c.health_care, i.c.claimant_key).where(i.c.id == incident.id)
        ).first()
        if stored is not None:
            health_care, claimants = bool(stored.health_care), [stored.claimant_key]
    for chunk in _chunks(event_ids):
        if not health_care:
            found = select(e.c.pk).where(e.c.id.in_(chunk), e.c.health_care.is_(True)).limit(1)
            health_care = conn.execute(found).first() is not None
        claimants += conn.execute(
            select(f.c.claimant_key).where(f.c.event_id.in_(chunk), f.c.claimant_key.is_not(None))
        ).scalars()
    return {"health_care": health_care, "claimant_key": keys.incident_claimant_key(claimants)}


def _chunks(items: list[str]) -> Iterable[list[str]]:
    for i in range(0, len(items), CHUNK):
        yield items[i : i + CHUNK]


def _remember(cache: dict[str, Any], key: str, value: Any, limit: int) -> None:
    """Keep `value` in a bounded cache of immutable answers; the oldest go first."""
    cache[key] = value
    while len(cache) > limit:
        del cache[next(iter(cache))]


def _verify(doc: Document) -> list[dict[str, Any]]:
    """Evidence rows for every span in the document's records; StorageError on a mismatch."""
    text, doc_id = doc.text, doc.id
    rows: list[dict[str, Any]] = []
    for kind, records in (
        ("claim", doc.claims),
        ("figure", doc.figures),
        ("event", doc.events),
    ):
        for record in records:
            if record.document_id != doc_id:
                raise StorageError(
                    f"{kind} {record.id!r} names document {record.document_id!r} but is "
                    f"stored with document {doc_id!r}; nothing was written."
                )
            for path, ev in evidence_spans(record):
                if (
                    ev.document_id != doc_id
                    or not 0 <= ev.start <= ev.end <= len(text)
                    or text[ev.start : ev.end] != ev.text
                ):
                    raise StorageError(
                        f"{kind} {record.id!r} field {path}: evidence "
                        f"{ev.document_id}[{ev.start}:{ev.end}] {ev.text!r} does not match "
                        f"the text of document {doc_id!r}; nothing was written. Build "
                        f"evidence with doc.evidence(start, end)."
                    )
                rows.append(
                    {
                        "record_kind": kind,
                        "record_id": record.id,
                        "field": path,
                        "document_id": doc_id,
                        "start": ev.start,
                        "end": ev.end,
                    }
                )
    return rows


@dataclass(slots=True)
class DocumentRows:
    """A document's records as the rows `Ledger.store` inserts: encoded (once), and
    every evidence span checked against the text. Pure work on one document."""

    claims: list[dict[str, Any]]
    events: list[dict[str, Any]]
    figures: list[dict[str, Any]]
    evidence: list[dict[str, Any]]


def document_rows(doc: Document) -> DocumentRows:
    """The rows of a document's records; StorageError if any evidence span does not
    match the document's text (nothing is written then)."""
    evidence = _verify(doc)
    base = {"document_id": doc.id}
    claims = [(c, to_dict(c)) for c in doc.claims]
    events = [(e, to_dict(e)) for e in doc.events]
    figures = [(f, to_dict(f)) for f in doc.figures]
    key, text = doc.article.key, doc.article.text
    claim_anchors = anchors(key, "claim", [d for _, d in claims], text)
    event_anchors = anchors(key, "event", [d for _, d in events], text)
    figure_anchors = anchors(key, "figure", [d for _, d in figures], text)
    return DocumentRows(
        claims=[
            {
                **base,
                "id": c.id,
                "stance": c.stance,
                "data": d,
                "speaker_key": keys.speaker_key(d),
                "anchor": a,
            }
            for (c, d), a in zip(claims, claim_anchors, strict=True)
        ],
        events=[
            {
                **base,
                "id": e.id,
                "type": e.type,
                "data": d,
                **_blocking(e.date, e.place),
                "place_key": keys.place_key(d.get("place")),
                "health_care": keys.health_care(d),
                "anchor": a,
            }
            for (e, d), a in zip(events, event_anchors, strict=True)
        ],
        figures=[
            {
                **base,
                "id": f.id,
                "kind": f.kind,
                "event_id": f.event_id,
                "claim_id": f.claim_id,
                "data": d,
                "claimant_key": keys.claimant_key(d),
                "anchor": a,
            }
            for (f, d), a in zip(figures, figure_anchors, strict=True)
        ],
        evidence=evidence,
    )


def _insert_records(
    conn: Connection, rows: Any, document_pk: int, document_id: str, failures: Any
) -> None:
    """Insert one document's claims, events, figures, evidence and stage failures."""
    # Events carry their document's pk: the full-text index answers in pks.
    events = [{**e, "document_pk": document_pk} for e in rows.events]
    for table, records in (
        (tables.claims, rows.claims),
        (tables.events, events),
        (tables.figures, rows.figures),
        (tables.evidence, rows.evidence),
    ):
        if records:
            conn.execute(insert(table), records)
    if failures:
        now = _now()
        conn.execute(
            insert(tables.failures),
            [
                {
                    "document_id": document_id,
                    "stage": f.stage,
                    "message": f.message,
                    "recorded_at": now,
                }
                for f in failures
            ],
        )


class Ledger:
    """Documents, claims, figures, events and incidents, each traced to its evidence."""

    def __init__(self, url: str) -> None:
        self._engine = open_engine(url)
        self._codec = RecordCodec()
        self._source_cache: dict[str, dict[str, Any]] = {}  # see sources_of
        self._events_cache: dict[str, list[Event]] = {}  # see events_of
        self._local = threading.local()  # the open unit's connection, per thread
        try:
            migrations.apply(self._engine)
        except SQLAlchemyError as exc:
            self._engine.dispose()
            raise StorageError(f"cannot open the ledger {url!r}: {failure_cause(exc)}") from exc
        except StorageError:
            self._engine.dispose()
            raise

    @property
    def url(self) -> str:
        """The database URL (password included), for another process to open it too."""
        return self._engine.url.render_as_string(hide_password=False)

    def close(self) -> None:
        """Release the database connections."""
        self._engine.dispose()

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- transactions ----------------------------------------------------

    @contextmanager
    def unit(self) -> Iterator[None]:
        """Run the block as one transaction: a document, its fingerprint and its
        incident links are stored together or not at all.

        Every Ledger call inside uses it. On SQLite it begins IMMEDIATE, taking
        the file's write lock at once: another process's linking cannot
        interleave (PostgreSQL has `linking()` for that). Nested units join the
        outer one.
        """
        if getattr(self._local, "conn", None) is not None:
            yield
            return
        try:
            conn = self._engine.connect().execution_options(eventledger_immediate=True)
        except SQLAlchemyError as exc:
            raise (_environment_error(exc) or exc) from exc
        try:
            with conn.begin():
                self._local.conn = conn
                try:
                    yield
                finally:
                    self._local.conn = None
        except BaseException as exc:
            # What was read inside may describe rows that were rolled back.
            self._source_cache.clear()
            self._events_cache.clear()
            if isinstance(exc, SQLAlchemyError) and (error := _environment_error(exc)):
                raise error from exc
            raise
        finally:
            conn.close()

    @contextmanager
    def _unit_or(self, open_own: Callable[[], Any]) -> Iterator[Connection]:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            yield conn
            return
        try:
            with open_own() as conn:
                yield conn
        except SQLAlchemyError as exc:
            if error := _environment_error(exc):
                raise error from exc
            raise

    def _begin(self) -> AbstractContextManager[Connection]:
        """A transaction: the open unit's, else one of its own, committed at the end."""
        return self._unit_or(self._engine.begin)

    def _connect(self) -> AbstractContextManager[Connection]:
        """A connection to read with: the open unit's, else one of its own."""
        return self._unit_or(self._engine.connect)

    # --- writing ---------------------------------------------------------

    def plan(self, article: Article) -> int | None:
        """None if this key and text are stored already; else the revision number to store."""
        with self._connect() as conn:
            return self._plan(conn, article)

    @staticmethod
    def _plan(conn: Connection, article: Article) -> int | None:
        d = tables.documents
        rows = conn.execute(select(d.c.revision, d.c.text_hash).where(d.c.key == article.key)).all()
        text_hash = _text_hash(article)
        # Any earlier revision with this text counts: re-running a batch that
        # holds an old snapshot must not add revisions back and forth.
        if any(r.text_hash == text_hash for r in rows):
            return None
        return max((r.revision for r in rows), default=0) + 1

    def store(self, doc: Document, *, skip_stored: bool = False) -> bool:
        """Write one document and all its records in one transaction, or nothing.

        True when written. A document whose key and text are stored already
        (by this or another process) is a StorageError, or False with
        `skip_stored`: concurrent ingests of the same inputs race here, and
        the database's unique key, not a prior check, decides who stores it.
        """
        article: Article = doc.article
        rows = document_rows(doc)
        try:
            with self._begin() as conn:
                expected = self._plan(conn, article)
                if expected is None and skip_stored:
                    return False
                if expected is None:
                    raise StorageError(
                        f"document {article.id!r}: key {article.key!r} with this text is stored "
                        f"already. Call Ledger.plan() first and skip it when it returns None."
                    )
                if article.revision != expected:
                    raise StorageError(
                        f"document {article.id!r} has revision {article.revision}, but the "
                        f"ledger expects revision {expected} for key {article.key!r}. Set the "
                        f"revision from Ledger.plan()."
                    )
                if not self._write(conn, article, rows, doc.failures):
                    if skip_stored and self._plan(conn, article) is None:
                        return False
                    raise StorageError(
                        f"document {article.id!r}: another process stored revision "
                        f"{article.revision} of key {article.key!r} first; nothing was written. "
                        f"Run the ingest again to store this text as a new revision."
                    )
            return True
        except SQLAlchemyError as exc:
            raise StorageError(
                f"could not store document {article.id!r}; nothing was written: "
                f"{failure_cause(exc)}"
            ) from exc

    def _write(
        self, conn: Connection, article: Article, rows: DocumentRows, failures: list[Any]
    ) -> bool:
        """Insert the document and its records; False (nothing written) if its id or
        (key, revision) is taken, e.g. by a concurrent writer."""
        d = tables.documents
        # RETURNING tells whether this writer inserted the row: rowcount is
        # not reliable here (psycopg reports -1 for INSERT .. ON CONFLICT).
        inserted = conn.execute(
            insert_ignore(conn, d)
            .values(
                id=article.id,
                key=article.key,
                revision=article.revision,
                superseded=False,
                url=article.url,
                title=article.title,
                outlet=article.outlet,
                published=article.published,
                published_source=article.published_source,
                language=article.language,
                text=article.text,
                text_hash=_text_hash(article),
                removed=[to_dict(r) for r in article.removed],
                source=article.source,
                ingested_at=_now(),
                encoding=article.encoding,
                encoding_confidence=article.encoding_confidence,
            )
            .returning(d.c.pk)
        ).first()
        if inserted is None:
            return False
        if article.revision > 1:
            conn.execute(
                update(d)
                .where(d.c.key == article.key, d.c.id != article.id)
                .values(superseded=True)
            )
        _insert_records(conn, rows, inserted.pk, article.id, failures)
        return True

    def record_rejection(self, source: str, code: str, message: str) -> None:
        """Record an input that was not ingested, and why: once per input and
        reason, counted again (with the time) each time it is rejected again."""
        r = tables.rejections
        now = _now()
        try:
            with self._begin() as conn:
                counted = conn.execute(
                    update(r)
                    .where(r.c.source == source, r.c.code == code, r.c.message == message)
                    .values(count=r.c.count + 1, last_recorded_at=now)
                    .returning(r.c.pk)
                ).first()
                if counted is None:
                    conn.execute(
                        insert(r).values(
                            source=source,
                            code=code,
                            message=message,
                            recorded_at=now,
                            count=1,
                            last_recorded_at=now,
                        )
                    )
        except SQLAlchemyError as exc:
            raise StorageError(f"could not record the rejection of {source!r}: {exc}") from exc

    @contextmanager
    def linking(self) -> Iterator[None]:
        """Hold the ledger-wide linking lock for the block (PostgreSQL; SQLite: no-op).

        Linking reads candidate incidents, then saves: two processes doing it
        at once would each miss the other's new incident and split one
        incident in two.
        """
        with session_lock(self._engine, "eventledger.linking"):
            yield

    # --- live feeds ------------------------------------------------------

    def feed_state(self, url: str) -> dict[str, Any] | None:
        """What the watcher last knew of a feed: etag, last_modified, seen, errors; None if new."""
        f = tables.feed_state
        with self._connect() as conn:
            row = conn.execute(select(f).where(f.c.url == url)).first()
        return dict(row._mapping) if row else None

    def save_feed_state(
        self,
        url: str,
        *,
        etag: str | None,
        last_modified: str | None,
        seen: list[str],
        errors: int,
        last_error: str | None,
    ) -> None:
        """Insert or replace the state of one feed."""
        f = tables.feed_state
        values = {
            "etag": etag,
            "last_modified": last_modified,
            "seen": seen,
            "errors": errors,
            "last_error": last_error,
            "checked_at": _now(),
        }
        try:
            with self._begin() as conn:
                conn.execute(insert_ignore(conn, f).values(url=url, **values))
                conn.execute(update(f).where(f.c.url == url).values(**values))
        except SQLAlchemyError as exc:
            raise StorageError(f"could not save the state of feed {url!r}: {exc}") from exc

    def save_incident(self, incident: Incident, *, added: list[str] | None = None) -> None:
        """Insert or replace an incident by id, with its links to events.

        `added`: the only events new since it was last saved, so only their
        links are written (an incident reported a hundred times is not
        relinked a hundred times); without it every link is rewritten.
        """
        i, links = tables.incidents, tables.incident_events
        when = incident.date
        start, end = _day(when.start) if when else None, _day(when.end) if when else None
        long_span = bool(start and end and (end - start).days > MAX_INDEXED_SPAN_DAYS)
        data = to_dict(incident)
        row = {
            "type": incident.type,
            "data": data,
            "long_span": long_span,
            **_blocking(incident.date, incident.place),
            "place_key": keys.place_key(data.get("place")),
        }
        try:
            with self._begin() as conn:
                if added is None:
                    conn.execute(delete(links).where(links.c.incident_id == incident.id))
                row |= _incident_filter_keys(conn, incident, added)
                done = conn.execute(update(i).where(i.c.id == incident.id).values(**row))
                if done.rowcount == 0:
                    conn.execute(insert(i).values(id=incident.id, **row))
                linked = incident.event_ids if added is None else added
                if linked:
                    conn.execute(
                        _LINK,
                        [
                            {"incident_id": incident.id, "event_id": e}
                            for e in dict.fromkeys(linked)
                        ],
                    )
        except SQLAlchemyError as exc:
            raise StorageError(
                f"could not save incident {incident.id!r} (are all its events stored?): "
                f"{getattr(exc, 'orig', None) or exc}"
            ) from exc

    # --- reading ---------------------------------------------------------

    def _current(self, table: Table, all_revisions: bool) -> Any:
        """SELECT data FROM table, limited to current revisions unless all_revisions."""
        query = select(table.c.data).order_by(table.c.pk)
        if not all_revisions:
            d = tables.documents
            query = query.join(d, d.c.id == table.c.document_id).where(d.c.superseded.is_(False))
        return query

    def _records(self, cls: type, query: Any) -> list[Any]:
        with self._connect() as conn:
            return [self._codec.decode(cls, r.data) for r in conn.execute(query)]

    def documents(self, *, all_revisions: bool = False) -> list[Article]:
        """Stored articles in ingestion order: current revisions, or all of them."""
        d = tables.documents
        query = select(d).order_by(d.c.pk)
        if not all_revisions:
            query = query.where(d.c.superseded.is_(False))
        with self._connect() as conn:
            return [self._article(r) for r in conn.execute(query)]

    @staticmethod
    def _article(row: Any) -> Article:
        return Article(
            id=row.id,
            key=row.key,
            text=row.text,
            revision=row.revision,
            url=row.url,
            title=row.title,
            outlet=row.outlet,
            published=row.published,
            published_source=row.published_source,
            language=row.language,
            removed=[Removed(**r) for r in row.removed],
            source=row.source,
            text_hash=row.text_hash,
            encoding=row.encoding,
            encoding_confidence=row.encoding_confidence,
        )

    def claims(self, *, all_revisions: bool = False) -> list[Claim]:
        return self._records(Claim, self._current(tables.claims, all_revisions))

    def figures(self, *, all_revisions: bool = False) -> list[Figure]:
        return self._records(Figure, self._current(tables.figures, all_revisions))

    def events(self, *, all_revisions: bool = False) -> list[Event]:
        return self._records(Event, self._current(tables.events, all_revisions))

    def incidents(self) -> list[Incident]:
        i = tables.incidents
        return self._records(Incident, select(i.c.data).order_by(i.c.pk))

    def incidents_of_type(self, type_: str) -> list[Incident]:
        """Every incident of one type, oldest first: a scan, for the benchmark's no-date mode."""
        i = tables.incidents
        return self._records(Incident, select(i.c.data).where(i.c.type == type_).order_by(i.c.pk))

    def events_of(self, document_id: str) -> list[Event]:
        """The events found in one document (one revision), in order. Do not change them.

        A stored document's events never change (a new text is a new
        revision, with its own id), so they are kept for the linker, which
        reads a reprint's earlier copies again and again (`EVENTS_CACHE`).
        """
        found = self._events_cache.get(document_id)
        if found is not None:
            return found
        e = tables.events
        found = self._records(
            Event, select(e.c.data).where(e.c.document_id == document_id).order_by(e.c.pk)
        )
        if found:  # none yet may mean not stored yet
            _remember(self._events_cache, document_id, found, EVENTS_CACHE)
        return found

    def figures_of_events(self, event_ids: list[str]) -> list[Figure]:
        """The figures attached to any of these events, in insertion order."""
        f = tables.figures
        found: list[Figure] = []
        for chunk in _chunks(list(dict.fromkeys(event_ids))):
            found += self._records(
                Figure, select(f.c.data).where(f.c.event_id.in_(chunk)).order_by(f.c.pk)
            )
        return found

    def incident_candidates(
        self,
        *,
        date_start: str | None,
        date_end: str | None,
        lat: float | None,
        lon: float | None,
        facility: str | None,
        max_km: float,
        window_days: int,
    ) -> list[Incident]:
        """Incidents near in time AND (same facility OR within max_km); [] without a date."""
        start, end = _day(date_start), _day(date_end)
        start, end = start or end, end or start
        if start is None or end is None:
            # No date, no time block: linking undated events would trade
            # precision for recall, and the query would scan everything.
            return []
        lo = (start - timedelta(days=window_days)).isoformat()
        hi = (end + timedelta(days=window_days)).isoformat()
        floor = (start - timedelta(days=window_days + MAX_INDEXED_SPAN_DAYS)).isoformat()
        key = facility.casefold() if facility else None
        box = self._box(lat, lon, max_km)
        if key is None and box is None:
            return []
        i = tables.incidents
        overlap = and_(i.c.date_start <= hi, i.c.date_end >= lo)
        # Three small indexed queries rather than one OR the planner may not
        # split: same facility in the window (ix_incidents_facility_date);
        # inside the box in the window (ix_incidents_date_place, which filters
        # lat/lon inside the index); the few incidents longer than the
        # window's look-back. The first two name no `long_span`: with it
        # SQLite picks ix_incidents_long_span and reads every incident of the
        # window from the table. A long incident they also return is
        # deduplicated by pk below. The third reads ix_incidents_long_span_end.
        branches = [and_(overlap, i.c.date_start >= floor)]
        place = []
        if key is not None:
            place.append(i.c.facility_key == key)
        if box is not None:
            place.append(box)
        queries = [and_(branches[0], p) for p in place]
        queries.append(and_(i.c.long_span.is_(True), _long_overlap(lo, hi), or_(*place)))
        columns = (i.c.pk, i.c.data, i.c.lat, i.c.lon, i.c.facility_key)
        rows: dict[int, Any] = {}
        with self._connect() as conn:
            for where in queries:
                for row in conn.execute(select(*columns).where(where)):
                    rows[row.pk] = row
        found = []
        for pk in sorted(rows):
            row = rows[pk]
            same_facility = key is not None and row.facility_key == key
            near = (
                lat is not None
                and lon is not None
                and row.lat is not None
                and row.lon is not None
                and haversine_km(lat, lon, row.lat, row.lon) <= max_km
            )
            if same_facility or near:
                found.append(self._codec.decode(Incident, row.data))
        return found

    @staticmethod
    def _box(lat: float | None, lon: float | None, max_km: float) -> Any:
        """The bounding-box condition on lat/lon around a point; None without one."""
        if lat is None or lon is None:
            return None
        i = tables.incidents
        dlat = max_km / KM_PER_DEGREE_LAT
        lat_cond = i.c.lat.between(lat - dlat, lat + dlat)
        cos = math.cos(math.radians(lat))
        if abs(lat) + dlat >= 90 or cos <= 1e-6:
            return lat_cond  # the box reaches a pole: every longitude
        dlon = max_km / (KM_PER_DEGREE_LAT * cos)
        if dlon >= 180:
            return lat_cond
        west, east = lon - dlon, lon + dlon
        if west < -180:  # the box crosses the antimeridian
            lon_cond = or_(i.c.lon >= west + 360, i.c.lon <= east)
        elif east > 180:
            lon_cond = or_(i.c.lon >= west, i.c.lon <= east - 360)
        else:
            lon_cond = i.c.lon.between(west, east)
        return and_(lat_cond, lon_cond)

    def rejections(self) -> list[dict[str, Any]]:
        """Inputs that were not ingested, one per input and reason: source, code,
        message, recorded_at (the first time), count and last_recorded_at."""
        r = tables.rejections
        query = select(
            r.c.source,
            r.c.code,
            r.c.message,
            r.c.recorded_at,
            r.c.count,
            func.coalesce(r.c.last_recorded_at, r.c.recorded_at).label("last_recorded_at"),
        ).order_by(r.c.pk)
        with self._connect() as conn:
            return [dict(row._mapping) for row in conn.execute(query)]

    def failures(self) -> list[dict[str, Any]]:
        """Stages that gave up on a stored document: document_id, stage, message, recorded_at."""
        f = tables.failures
        query = select(f.c.document_id, f.c.stage, f.c.message, f.c.recorded_at).order_by(f.c.pk)
        with self._connect() as conn:
            return [dict(row._mapping) for row in conn.execute(query)]

    def summary(self) -> dict[str, int]:
        """Row counts; documents, events, figures and claims count current revisions only."""
        d = tables.documents
        current = d.c.superseded.is_(False)
        counts: dict[str, Any] = {
            "documents": select(func.count()).select_from(d).where(current),
            "revisions": select(func.count()).select_from(d),
        }
        for name, table in (
            ("events", tables.events),
            ("figures", tables.figures),
            ("claims", tables.claims),
        ):
            counts[name] = (
                select(func.count())
                .select_from(table.join(d, d.c.id == table.c.document_id))
                .where(current)
            )
        for name, table in (
            ("incidents", tables.incidents),
            ("failures", tables.failures),
            ("rejections", tables.rejections),
        ):
            counts[name] = select(func.count()).select_from(table)
        with self._connect() as conn:
            return {name: int(conn.execute(q).scalar_one()) for name, q in counts.items()}

    # --- export ----------------------------------------------------------

    def export(
        self, *, all_revisions: bool = False, incident_ids: Iterable[str] | None = None
    ) -> dict[str, list[dict[str, Any]]]:
        """The ledger as plain JSON-ready dicts, in the shapes docs/format.md describes.

        With `incident_ids` (say, `Queries.incident_ids(filters)`), only those
        incidents and the events, figures, claims and documents they rest on."""
        documents = []
        d = tables.documents
        query = select(d).order_by(d.c.pk)
        if not all_revisions:
            query = query.where(d.c.superseded.is_(False))
        with self._connect() as conn:
            for row in conn.execute(query):
                record = to_dict(self._article(row))
                record["superseded"] = bool(row.superseded)
                documents.append(record)
            events = [r.data for r in conn.execute(self._current(tables.events, all_revisions))]
            figures = [r.data for r in conn.execute(self._current(tables.figures, all_revisions))]
            claims = [r.data for r in conn.execute(self._current(tables.claims, all_revisions))]
            incidents = [
                r.data
                for r in conn.execute(
                    select(tables.incidents.c.data).order_by(tables.incidents.c.pk)
                )
            ]
            if incident_ids is not None:
                documents, events, figures, claims, incidents = _only_incidents(
                    set(incident_ids), documents, events, figures, claims, incidents
                )
            evidence_of = {e["id"]: e["evidence"] for e in events}
            wanted = sorted({e for inc in incidents for e in inc["event_ids"]} - evidence_of.keys())
            ev = tables.events
            # Events of superseded revisions still hold evidence for old incidents.
            for chunk in _chunks(wanted):
                for r in conn.execute(select(ev.c.id, ev.c.data).where(ev.c.id.in_(chunk))):
                    evidence_of[r.id] = r.data["evidence"]
        for inc in incidents:
            spans: dict[tuple[str, int, int], dict[str, Any]] = {}
            for event_id in inc["event_ids"]:
                for span in evidence_of.get(event_id, []):
                    spans.setdefault((span["document_id"], span["start"], span["end"]), span)
            inc["evidence"] = [spans[k] for k in sorted(spans)]
            self._mark_copies(inc)
        return {
            "documents": documents,
            "events": events,
            "figures": figures,
            "claims": claims,
            "incidents": incidents,
            "tolls": self._tolls(figures),
        }

    # --- syndication and incident upkeep (issue 6) -------------------------

    def document_text(self, document_id: str) -> tuple[str, str] | None:
        """(key, cleaned text) of one stored document; None if it is not stored."""
        d = tables.documents
        with self._connect() as conn:
            row = conn.execute(select(d.c.key, d.c.text).where(d.c.id == document_id)).first()
        return (row.key, row.text) if row else None

    def save_syndication(
        self,
        document_id: str,
        *,
        norm_hash: str,
        shingles: int,
        signature: list[int],
        band_keys: list[str],
        source_id: str,
    ) -> None:
        """Record a document's text fingerprint, its LSH band keys and the story it belongs to."""
        s, b = tables.syndication, tables.syndication_bands
        self._source_cache.pop(document_id, None)
        try:
            with self._begin() as conn:
                conn.execute(delete(b).where(b.c.document_id == document_id))
                conn.execute(delete(s).where(s.c.document_id == document_id))
                conn.execute(
                    insert(s).values(
                        document_id=document_id,
                        norm_hash=norm_hash,
                        shingles=shingles,
                        signature=signature,
                        source_id=source_id,
                    )
                )
                if band_keys:
                    conn.execute(
                        insert(b),
                        [
                            {"band_key": k, "document_id": document_id}
                            for k in dict.fromkeys(band_keys)
                        ],
                    )
        except SQLAlchemyError as exc:
            raise StorageError(
                f"could not record the syndication fingerprint of {document_id!r}: "
                f"{getattr(exc, 'orig', None) or exc}"
            ) from exc

    def syndication_copies(
        self, *, norm_hash: str, exclude_key: str, limit: int
    ) -> list[dict[str, Any]]:
        """The earliest `limit` current documents (of other keys) with this normalised
        text hash: document_id, source_id.

        Two indexed look-ups: the fingerprints of that hash, then their documents.
        As one join, SQLite's planner drove it from the documents' `superseded`
        index, a scan of every current document (the cost per added article grew
        with the ledger)."""
        s, d = tables.syndication, tables.documents
        with self._connect() as conn:
            sources = {
                r.document_id: r.source_id
                for r in conn.execute(
                    select(s.c.document_id, s.c.source_id).where(s.c.norm_hash == norm_hash)
                )
            }
            if not sources:
                return []
            current = []
            for chunk in _chunks(list(sources)):
                query = select(d.c.id, d.c.pk).where(
                    d.c.id.in_(chunk), d.c.superseded.is_(False), d.c.key != exclude_key
                )
                current += [(r.pk, r.id) for r in conn.execute(query)]
        return [
            {"document_id": doc_id, "source_id": sources[doc_id]}
            for _pk, doc_id in sorted(current)[:limit]
        ]

    def syndication_candidates(
        self, *, band_keys: list[str], exclude_key: str, exclude_hash: str, per_source: int
    ) -> list[dict[str, Any]]:
        """Current documents (of other keys, other text hashes) sharing an LSH band key,
        the earliest `per_source` of each story, oldest first.

        Each: document_id, source_id, shingles, signature. Indexed look-ups
        only; signatures are read for the chosen few.
        """
        s, b, d = tables.syndication, tables.syndication_bands, tables.documents
        keys = list(dict.fromkeys(band_keys))
        if not keys:
            return []
        proposed: dict[str, tuple[int, str]] = {}  # document_id -> (pk, source_id)
        with self._connect() as conn:
            for chunk in _chunks(keys):
                query = (
                    select(s.c.document_id, s.c.source_id, d.c.pk)
                    .join(d, d.c.id == s.c.document_id)
                    .where(
                        s.c.document_id.in_(select(b.c.document_id).where(b.c.band_key.in_(chunk))),
                        s.c.norm_hash != exclude_hash,
                        d.c.superseded.is_(False),
                        d.c.key != exclude_key,
                    )
                )
                for r in conn.execute(query):
                    proposed[r.document_id] = (r.pk, r.source_id)
            taken: dict[str, int] = {}
            chosen = []
            for doc_id, (_pk, source_id) in sorted(proposed.items(), key=lambda kv: kv[1][0]):
                if taken.get(source_id, 0) < per_source:
                    taken[source_id] = taken.get(source_id, 0) + 1
                    chosen.append(doc_id)
            found: dict[str, dict[str, Any]] = {}
            for chunk in _chunks(chosen):
                query = select(s.c.document_id, s.c.source_id, s.c.shingles, s.c.signature).where(
                    s.c.document_id.in_(chunk)
                )
                for r in conn.execute(query):
                    found[r.document_id] = dict(r._mapping)
        return [found[doc_id] for doc_id in chosen if doc_id in found]

    def sources_of(self, document_ids: list[str]) -> dict[str, dict[str, Any]]:
        """Per document: source_id (the story it is a copy of, else itself), outlet,
        published, pk and text. The dicts are shared: do not change them.

        Every merge into an incident asks this for all the incident's
        documents; what it returns never changes once a document is stored and
        fingerprinted, so the answers are kept (`SOURCE_CACHE` documents).
        """
        s, d = tables.syndication, tables.documents
        out: dict[str, dict[str, Any]] = {}
        cache = self._source_cache
        missing = []
        for doc_id in dict.fromkeys(document_ids):
            hit = cache.get(doc_id)
            if hit is None:
                missing.append(doc_id)
            else:
                out[doc_id] = hit
        if not missing:
            return out
        with self._connect() as conn:
            for chunk in _chunks(missing):
                query = (
                    select(d.c.id, d.c.pk, d.c.outlet, d.c.published, d.c.text, s.c.source_id)
                    .outerjoin(s, s.c.document_id == d.c.id)
                    .where(d.c.id.in_(chunk))
                )
                for r in conn.execute(query):
                    out[r.id] = {
                        "source_id": r.source_id or r.id,
                        "outlet": r.outlet,
                        "published": r.published,
                        "pk": r.pk,
                        "text": r.text,
                    }
                    if r.source_id is not None:  # not fingerprinted yet: may still change
                        _remember(cache, r.id, out[r.id], SOURCE_CACHE)
        return out

    def previous_revisions(self, document_id: str) -> list[str]:
        """Ids of the older revisions of this document's article."""
        d = tables.documents
        with self._connect() as conn:
            row = conn.execute(select(d.c.key, d.c.revision).where(d.c.id == document_id)).first()
            if row is None:
                return []
            query = select(d.c.id).where(d.c.key == row.key, d.c.revision < row.revision)
            return [r.id for r in conn.execute(query.order_by(d.c.revision))]

    def incidents_of_events(self, event_ids: list[str]) -> list[Incident]:
        """The incidents that hold any of these events (through the indexed link table)."""
        i, links = tables.incidents, tables.incident_events
        rows: dict[int, Any] = {}
        with self._connect() as conn:
            for chunk in _chunks(list(dict.fromkeys(event_ids))):
                query = (
                    select(i.c.pk, i.c.data)
                    .join(links, links.c.incident_id == i.c.id)
                    .where(links.c.event_id.in_(chunk))
                )
                for r in conn.execute(query):
                    rows[r.pk] = r.data
        return [self._codec.decode(Incident, rows[pk]) for pk in sorted(rows)]

    def delete_incident(self, incident_id: str) -> None:
        """Remove an incident that no longer rests on any event."""
        i, links = tables.incidents, tables.incident_events
        try:
            with self._begin() as conn:
                conn.execute(delete(links).where(links.c.incident_id == incident_id))
                conn.execute(delete(i).where(i.c.id == incident_id))
        except SQLAlchemyError as exc:
            raise StorageError(f"could not delete incident {incident_id!r}: {exc}") from exc

    @staticmethod
    def _mark_copies(inc: dict[str, Any]) -> None:
        """Give each figure value its source_id and `copy` (true: from a syndicated copy)."""
        source_of, originals = {}, set()
        for src in inc.get("sources") or []:
            originals.add(src.get("original"))
            for doc_id in src.get("document_ids", []):
                source_of[doc_id] = src.get("source_id")
        for fig in inc.get("figures", []):
            for value in fig.get("values", []):
                doc_id = value.get("document_id")
                value["source_id"] = source_of.get(doc_id, doc_id)
                value["copy"] = doc_id in source_of and doc_id not in originals

    @staticmethod
    def _tolls(figures: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Cumulative figures as one time series per (kind, group, claimant), ordered by as_of."""
        series: dict[tuple[str, str, str], dict[str, Any]] = {}
        for f in figures:
            if f.get("scope") != "cumulative":
                continue
            claimant = (f.get("claimant") or {}).get("name")
            key = (f["kind"], f.get("group") or "", (claimant or "").casefold())
            toll = series.setdefault(
                key,
                {"kind": f["kind"], "group": f.get("group"), "claimant": claimant, "series": []},
            )
            toll["series"].append(
                {
                    "as_of": f.get("as_of"),
                    "min": f.get("min"),
                    "max": f.get("max"),
                    "document_id": f["document_id"],
                    "figure_id": f["id"],
                }
            )
        for toll in series.values():
            # Undated points go last: an unknown as_of is never replaced by a guess.
            toll["series"].sort(key=lambda p: (p["as_of"] is None, p["as_of"] or ""))
        return [series[k] for k in sorted(series)]

    def incident_candidates_in_area(
        self,
        *,
        date_start: str | None,
        date_end: str | None,
        country: str,
        window_days: int,
        unplaced_only: bool = False,
    ) -> list[Incident]:
        """Incidents in one country, or in none known, near in time.

        Reads the date window through the date index (bounded look-back, as in
        incident_candidates) and filters on country: the linker then checks
        that the places contain one another. `unplaced_only`: only incidents
        placed at no point (the others are found by distance).
        """
        if not country:
            return []
        i = tables.incidents
        # An incident placed nowhere yet (no country) may lie in this one.
        in_area = or_(i.c.country == country, i.c.country.is_(None))
        if unplaced_only:
            in_area = and_(in_area, i.c.lat.is_(None))
        return self._in_date_window(date_start, date_end, window_days, in_area)

    def incident_candidates_in_window(
        self,
        *,
        date_start: str | None,
        date_end: str | None,
        window_days: int,
        unplaced_only: bool = False,
    ) -> list[Incident]:
        """Incidents near in time anywhere, for events placed in no country
        (`unplaced_only`: only incidents placed at no point).

        Reads the date window through the date index with the same bounded
        look-back as incident_candidates_in_area: the answer grows with the
        incidents of a few days, not with the ledger.
        """
        unplaced = tables.incidents.c.lat.is_(None) if unplaced_only else true()
        return self._in_date_window(date_start, date_end, window_days, unplaced)

    def _in_date_window(
        self, date_start: str | None, date_end: str | None, window_days: int, where_also: Any
    ) -> list[Incident]:
        """Incidents whose dates meet [start - window, end + window] and `where_also`,
        read through the date index with a bounded look-back (long spans apart)."""
        start, end = _day(date_start), _day(date_end)
        start, end = start or end, end or start
        if start is None or end is None:
            return []
        lo = (start - timedelta(days=window_days)).isoformat()
        hi = (end + timedelta(days=window_days)).isoformat()
        floor = (start - timedelta(days=window_days + MAX_INDEXED_SPAN_DAYS)).isoformat()
        i = tables.incidents
        overlap = and_(i.c.date_start <= hi, i.c.date_end >= lo, where_also)
        where = or_(
            and_(overlap, i.c.date_start >= floor, i.c.long_span.is_(False)),
            and_(i.c.long_span.is_(True), _long_overlap(lo, hi), where_also),
        )
        with self._connect() as conn:
            rows = conn.execute(select(i.c.data).where(where).order_by(i.c.pk)).all()
        return [self._codec.decode(Incident, r.data) for r in rows]

    def recent_undated_incidents(self, *, country: str | None, within: int) -> list[Incident]:
        """Incidents without a date among the last `within` stored, in `country` or
        in none known (any country when None).

        Undated incidents cannot be found by the date index; they are read by
        primary key from the newest, so the cost is bounded by `within`.
        """
        i = tables.incidents
        with self._connect() as conn:
            top = conn.execute(select(func.max(i.c.pk))).scalar()
            if top is None:
                return []
            # date_start wrapped so that the planner reads the pk range, not
            # every undated incident through ix_incidents_date_place.
            where = [i.c.pk > top - within, func.coalesce(i.c.date_start, "") == ""]
            if country:
                where.append(or_(i.c.country == country, i.c.country.is_(None)))
            rows = conn.execute(select(i.c.data).where(*where).order_by(i.c.pk)).all()
        return [self._codec.decode(Incident, r.data) for r in rows]

    # --- review: coders' merges and splits, reprocess (issue 16) -------------

    def incident(self, incident_id: str) -> Incident | None:
        """One incident, or None."""
        i = tables.incidents
        with self._connect() as conn:
            row = conn.execute(select(i.c.data).where(i.c.id == incident_id)).first()
        return None if row is None else self._codec.decode(Incident, row.data)

    def events_by_id(self, event_ids: list[str]) -> list[Event]:
        """The events with these ids (any revision), in the order asked."""
        e = tables.events
        found: dict[str, Event] = {}
        with self._connect() as conn:
            for chunk in _chunks(list(dict.fromkeys(event_ids))):
                for r in conn.execute(select(e.c.id, e.c.data).where(e.c.id.in_(chunk))):
                    found[r.id] = self._codec.decode(Event, r.data)
        return [found[i] for i in event_ids if i in found]

    def event_anchors(self, event_ids: list[str]) -> dict[str, str]:
        """Each event's anchor (storage.anchors), by event id."""
        e = tables.events
        out: dict[str, str] = {}
        with self._connect() as conn:
            for chunk in _chunks(list(dict.fromkeys(event_ids))):
                for r in conn.execute(select(e.c.id, e.c.anchor).where(e.c.id.in_(chunk))):
                    out[r.id] = r.anchor
        return out

    def events_with_anchors(self, anchors_: list[str]) -> dict[str, list[str]]:
        """The ids of the current revisions' events with each anchor."""
        e, d = tables.events, tables.documents
        superseded = select(d.c.id).where(d.c.superseded.is_(True))
        out: dict[str, list[str]] = {}
        with self._connect() as conn:
            for chunk in _chunks(list(dict.fromkeys(anchors_))):
                query = (
                    select(e.c.id, e.c.anchor)
                    .where(e.c.anchor.in_(chunk), e.c.document_id.not_in(superseded))
                    .order_by(e.c.pk)
                )
                for r in conn.execute(query):
                    out.setdefault(r.anchor, []).append(r.id)
        return out

    def current_documents(self) -> list[Article]:
        """The current revision of every article, in the order they were stored."""
        d = tables.documents
        query = select(d).where(d.c.superseded.is_(False)).order_by(d.c.pk)
        with self._connect() as conn:
            return [self._article(r) for r in conn.execute(query)]

    def record_anchors(self) -> dict[str, dict[str, str]]:
        """Per record kind, anchor -> record id, over the current revisions (for a
        reprocess's report of what changed)."""
        d = tables.documents
        superseded = select(d.c.id).where(d.c.superseded.is_(True))
        out: dict[str, dict[str, str]] = {}
        with self._connect() as conn:
            for kind, table in (
                ("event", tables.events),
                ("figure", tables.figures),
                ("claim", tables.claims),
            ):
                query = select(table.c.id, table.c.anchor).where(
                    table.c.document_id.not_in(superseded)
                )
                out[kind] = {r.anchor: r.id for r in conn.execute(query)}
        return out

    def clear_incidents(self) -> None:
        """Remove every incident and link (a reprocess links every document again)."""
        with self._begin() as conn:
            conn.execute(delete(tables.incident_events))
            conn.execute(delete(tables.incidents))

    def replace_records(self, doc: Document) -> None:
        """Replace a stored document's claims, figures, events, evidence and stage
        failures with those of `doc` (the same revision run again); the
        document row, its text and its syndication fingerprint are kept."""
        rows = document_rows(doc)
        document_id = doc.article.id
        d = tables.documents
        try:
            with self._begin() as conn:
                pk = conn.execute(select(d.c.pk).where(d.c.id == document_id)).scalar()
                if pk is None:
                    raise StorageError(f"no stored document {document_id!r} to run again")
                for table in (tables.evidence, tables.failures):
                    conn.execute(delete(table).where(table.c.document_id == document_id))
                for table in (tables.figures, tables.claims, tables.events):
                    conn.execute(delete(table).where(table.c.document_id == document_id))
                _insert_records(conn, rows, pk, document_id, doc.failures)
        except SQLAlchemyError as exc:
            raise StorageError(
                f"could not store the records of {document_id!r} again; nothing was changed: "
                f"{failure_cause(exc)}"
            ) from exc
        self._events_cache.pop(document_id, None)


def _only_incidents(
    keep: set[str],
    documents: list[dict[str, Any]],
    events: list[dict[str, Any]],
    figures: list[dict[str, Any]],
    claims: list[dict[str, Any]],
    incidents: list[dict[str, Any]],
) -> tuple[list[dict[str, Any]], ...]:
    """The records of an export that the incidents `keep` rest on."""
    incidents = [i for i in incidents if i["id"] in keep]
    event_ids = {e for i in incidents for e in i["event_ids"]}
    events = [e for e in events if e["id"] in event_ids]
    figures = [f for f in figures if f.get("event_id") in event_ids]
    claim_ids = {c for e in events for c in e.get("claim_ids") or []}
    claim_ids |= {f["claim_id"] for f in figures if f.get("claim_id")}
    claims = [c for c in claims if c["id"] in claim_ids]
    document_ids = {d for i in incidents for d in i["document_ids"]}
    documents = [d for d in documents if d["id"] in document_ids]
    return documents, events, figures, claims, incidents
