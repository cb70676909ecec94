"""Read-only, filtered and paginated queries over the ledger, for the API and the web UI.

Every filter is a SQLAlchemy Core expression with bound parameters. `q` on
incidents, events and documents searches the documents' full-text index
(`fulltext`: every word, each as a word or the start of one); the other text
filters are case-insensitive substring matches (`LIKE` with `%` and `_`
escaped): on SQLite `lower()` folds ASCII letters only.
Lists are ordered by date (newest first, undated last), then insertion order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Engine,
    and_,
    func,
    or_,
    select,
)

from eventledger.errors import StorageError
from eventledger.storage import fulltext, tables
from eventledger.storage.engine import open_engine

__all__ = [
    "FilterError",
    "MAX_LIMIT",
    "MAX_OFFSET",
    "MAX_TOLL_POINTS",
    "Filters",
    "Page",
    "Queries",
    "SORTS",
    "parse_bbox",
]

# The record kinds evidence rows belong to (tables.evidence.record_kind).
RECORD_KINDS = ("claim", "figure", "event")
# The most rows one page may hold: a bounded page keeps every request cheap.
MAX_LIMIT = 500
# The largest offset the databases take (a signed 64-bit integer); larger is a 422.
MAX_OFFSET = 2**63 - 1
# The most cumulative-toll points one answer holds: a chart needs them all at once.
MAX_TOLL_POINTS = 5000
# The orders an incident list may be read in (a `-` first: descending), each an
# indexed or small column of the incidents table; nothing else reaches ORDER BY.
SORTS = ("-date", "date", "type", "-type", "country", "-country", "place", "-place")


class FilterError(ValueError):
    """A filter's value cannot be used; `field` names the parameter."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True, slots=True)
class Filters:
    """What an incident or event list is narrowed to; None means no condition."""

    date_from: str | None = None  # ISO date: the record's range ends on or after it
    date_to: str | None = None  # ISO date: the record's range starts on or before it
    place: str | None = None  # substring of place name, facility or admin-1; or a country code
    bbox: tuple[float, float, float, float] | None = None  # west, south, east, north
    event_type: str | None = None  # ACLED event type, exactly
    health_care: bool = False  # only records with an attack on health care
    actor: str | None = None  # substring of an actor's name or normalised name
    claimant: str | None = None  # substring of a figure's claimant name
    q: str | None = None  # words beginning words of a source document's title or text
    country: str | None = None  # ISO 3166-1 alpha-2 code of the place's country, exactly

    @classmethod
    def from_params(
        cls,
        *,
        date_from: str | None = None,
        date_to: str | None = None,
        place: str | None = None,
        bbox: str | None = None,
        type: str | None = None,
        health_care: bool = False,
        actor: str | None = None,
        claimant: str | None = None,
        q: str | None = None,
        country: str | None = None,
    ) -> Filters:
        """Filters from request parameters (API query or web form; empty means unset).

        Raises FilterError (a ValueError naming the field) for a malformed bbox,
        a date not of the calendar, a country that is no two-letter code or a
        `q` without words; each edge turns it into its own 422.
        """
        try:
            box = parse_bbox(bbox) if bbox else None
        except ValueError as exc:
            raise FilterError("bbox", str(exc)) from None
        for name, value in (("date_from", date_from), ("date_to", date_to)):
            try:
                if value:
                    date.fromisoformat(value)
            except ValueError:
                raise FilterError(
                    name, f"{name} {value!r} is not a date of the calendar (YYYY-MM-DD)"
                ) from None
        if country and not re.fullmatch(r"[A-Za-z]{2}", country):
            raise FilterError(
                "country", f"country {country!r} is not a two-letter ISO 3166 code such as LB or SD"
            )
        if q:
            try:
                fulltext.words(q)
            except ValueError as exc:
                raise FilterError("q", str(exc)) from None
        return cls(
            date_from=date_from or None,
            date_to=date_to or None,
            place=place or None,
            bbox=box,
            event_type=type or None,
            health_care=health_care,
            actor=actor or None,
            claimant=claimant or None,
            q=q or None,
            country=country or None,
        )


@dataclass(slots=True)
class Page:
    """One page of a list: its items and the total the filters match."""

    items: list[dict[str, Any]]
    total: int
    limit: int
    offset: int
    extra: dict[str, Any] = field(default_factory=dict)


def _contains(column: Any, text: str) -> ColumnElement[bool]:
    """Case-insensitive substring match with LIKE wildcards in `text` escaped."""
    return func.lower(column).contains(text.lower(), autoescape=True)


def _key_contains(column: Any, text: str) -> ColumnElement[bool]:
    """Substring match on a lowercased key column (storage.keys), wildcards escaped."""
    return column.contains(text.lower(), autoescape=True)


def _bbox(lat: Any, lon: Any, bbox: tuple[float, float, float, float]) -> ColumnElement[bool]:
    west, south, east, north = bbox
    lat_cond = lat.between(south, north)
    # A box whose west edge is east of its east edge crosses the antimeridian.
    lon_cond = lon.between(west, east) if west <= east else or_(lon >= west, lon <= east)
    return and_(lat_cond, lon_cond)


def _document_dict(row: Any, *, with_text: bool) -> dict[str, Any]:
    record = {
        "id": row.id,
        "key": row.key,
        "revision": row.revision,
        "superseded": bool(row.superseded),
        "url": row.url,
        "title": row.title,
        "outlet": row.outlet,
        "published": row.published,
        "published_source": row.published_source,
        "language": row.language,
        "source": row.source,
        "ingested_at": row.ingested_at,
        "encoding": row.encoding,
        "encoding_confidence": row.encoding_confidence,
    }
    if with_text:
        record["text"] = row.text
        record["removed"] = row.removed
    else:
        record["length"] = row.length
    return record


class Queries:
    """Filtered, paginated reads of one ledger; never writes."""

    def __init__(self, url: str) -> None:
        self._engine: Engine = open_engine(url)
        try:
            with self._engine.connect() as conn:
                conn.execute(select(func.count()).select_from(tables.migrations)).scalar_one()
        except Exception as exc:
            self._engine.dispose()
            raise StorageError(
                f"{url!r} is not an eventledger database (no migrations table): {exc}. Create "
                f"one with `eventledger ingest FILES --db {url}`."
            ) from exc

    def close(self) -> None:
        """Release the database connections."""
        self._engine.dispose()

    # --- conditions -------------------------------------------------------

    def _fulltext_events(self, e: Any, q: str) -> ColumnElement[bool]:
        """Events whose document's title or text holds every word of `q`."""
        try:
            return fulltext.events_matching(self._engine.dialect.name, e, tables.documents, q)
        except ValueError as exc:
            raise FilterError("q", str(exc)) from None

    def _documents_matching(self, q: str) -> Any:
        """The pks of documents whose title or text holds every word of `q` (a SELECT)."""
        try:
            return fulltext.documents_matching(self._engine.dialect.name, tables.documents, q)
        except ValueError as exc:
            raise FilterError("q", str(exc)) from None

    def _fulltext(self, pk: Any, q: str) -> ColumnElement[bool]:
        """Documents (by pk) whose title or text holds every word of `q` (see fulltext);
        FilterError when `q` holds no word or too many."""
        try:
            return fulltext.matches(self._engine.dialect.name, pk, q)
        except ValueError as exc:
            raise FilterError("q", str(exc)) from None

    def _event_conditions(self, e: Any, f: Filters) -> list[ColumnElement[bool]]:
        """Conditions on rows of the events table."""
        conds: list[ColumnElement[bool]] = []
        if f.date_from:
            conds.append(e.c.date_end >= f.date_from)
        if f.date_to:
            conds.append(e.c.date_start <= f.date_to)
        if f.bbox is not None:
            conds.append(_bbox(e.c.lat, e.c.lon, f.bbox))
        if f.event_type:
            conds.append(e.c.type == f.event_type)
        if f.health_care:
            conds.append(e.c.health_care.is_(True))
        if f.actor:
            # The actors list as JSON text: names and normalised names match.
            conds.append(_contains(e.c.data["actors"].as_string(), f.actor))
        if f.claimant:
            fig = tables.figures
            claimed = select(fig.c.event_id).where(_key_contains(fig.c.claimant_key, f.claimant))
            conds.append(e.c.id.in_(claimed))
        if f.q:
            conds.append(self._fulltext_events(e, f.q))
        return conds

    @staticmethod
    def _place_condition(table: Any, place: str) -> ColumnElement[bool]:
        """Place name, facility or admin-1 holds `place`, or it is the country code."""
        return or_(
            _key_contains(table.c.place_key, place), func.upper(table.c.country) == place.upper()
        )

    @staticmethod
    def _folded_condition(f: Filters) -> ColumnElement[bool] | None:
        """The per-event filter of `f` on the incident's own columns (0009), when
        it is health_care or claimant alone; None otherwise.

        Each column folds one filter over the incident's events, so two filters
        together ("one event attacks health care and has this claimant") still
        need the events; a claimant with a line break could match across two
        claimants of the folded key, and also goes through the events.
        """
        if f.actor or f.q or (f.health_care and f.claimant):
            return None
        i = tables.incidents
        if f.health_care:
            return i.c.health_care.is_(True)
        if f.claimant and "\n" not in f.claimant:
            return _key_contains(i.c.claimant_key, f.claimant)
        return None

    def _incident_conditions(
        self, f: Filters, *, in_date_order: bool = False
    ) -> list[ColumnElement[bool]]:
        """Conditions on incidents. `in_date_order`: written so that the database
        reads incidents in date order and checks each against the matching
        events, instead of starting from every match (see `incidents`)."""
        i = tables.incidents
        conds: list[ColumnElement[bool]] = []
        if f.date_from:
            conds.append(i.c.date_end >= f.date_from)
        if f.date_to:
            conds.append(i.c.date_start <= f.date_to)
        if f.place:
            conds.append(self._place_condition(i, f.place))
        if f.country:
            conds.append(func.upper(i.c.country) == f.country.upper())
        if f.bbox is not None:
            conds.append(_bbox(i.c.lat, i.c.lon, f.bbox))
        if f.event_type:
            conds.append(i.c.type == f.event_type)
        # The other filters hold when any of the incident's events meets them.
        event_only = Filters(health_care=f.health_care, actor=f.actor, claimant=f.claimant, q=f.q)
        e, links = tables.events, tables.incident_events
        if f.q and not (f.health_care or f.actor or f.claimant):
            # The text filter alone: from the full-text index's document pks to
            # incident pks in one integer index (0008), no text id looked up.
            if not in_date_order:
                found = links.c.document_pk.in_(self._documents_matching(f.q))
                conds.append(i.c.pk.in_(select(links.c.incident_pk).where(found)))
                return conds
            # In date order, each incident read checks its own few links (0009)
            # against the matching documents: `_page` reads in order only when
            # that reads fewer incidents than there are matches, so this beats
            # mapping every match to its incidents first. `document_pk + 0` is
            # no indexed column: SQLite then seeks the links by incident pk and
            # looks each document pk up in the matches, not the reverse.
            own = links.c.incident_pk == i.c.pk
            matching = (links.c.document_pk + 0).in_(self._documents_matching(f.q))
            conds.append(select(links.c.incident_pk).where(own, matching).exists())
            return conds
        folded = self._folded_condition(event_only)
        if folded is not None:
            conds.append(folded)
            return conds
        per_event = self._event_conditions(e, event_only)
        if per_event:
            # Uncorrelated: the matching events are found once, not once per incident.
            matching = select(e.c.id).where(*per_event)
            # `id || ''` is no indexed column: SQLite then reads in the order's index.
            key = i.c.id.concat("") if in_date_order else i.c.id
            conds.append(key.in_(select(links.c.incident_id).where(links.c.event_id.in_(matching))))
        return conds

    # --- pages ------------------------------------------------------------

    def _page(
        self,
        table: Any,
        conds: list[ColumnElement[bool]],
        order: list[Any],
        limit: int,
        offset: int,
        *,
        in_order: list[ColumnElement[bool]] | None = None,
        count: Any = None,
    ) -> Page:
        """A page of `table`'s records and the total matching `conds`.

        The page's keys are found first (in the indexes, however deep the
        offset); then only the page's records are read. `in_order`: the same
        conditions written to be checked row by row in `order`; used when the
        matches are so many that reading in order finds the page sooner than
        sorting every match (the count tells). `count`: a query that counts the
        same matches more cheaply, when the caller has one.
        """
        limit = max(0, min(limit, MAX_LIMIT))
        offset = max(0, offset)
        if count is None:
            count = select(func.count()).select_from(table).where(*conds)
        with self._engine.connect() as conn:
            total = int(conn.execute(count).scalar_one())
            where = conds
            if in_order is not None and total:
                # Reading in order checks about (offset + limit) * rows / total rows;
                # sorting the matches handles total of them.
                stored = conn.execute(select(func.max(table.c.pk))).scalar_one() or 0
                if total * total > 2 * (offset + limit) * stored:
                    where = in_order
            keys = select(table.c.pk).where(*where).order_by(*order).limit(limit).offset(offset)
            pks = list(conn.execute(keys).scalars()) if total else []
            rows = conn.execute(select(table.c.pk, table.c.data).where(table.c.pk.in_(pks)))
            data = {r.pk: r.data for r in rows} if pks else {}
        return Page([data[pk] for pk in pks], total, limit, offset)

    @staticmethod
    def _current(table: Any) -> ColumnElement[bool]:
        """Rows of documents that are not superseded by a newer revision."""
        d = tables.documents
        # The superseded revisions are few (and indexed): list them once.
        superseded = select(d.c.id).where(d.c.superseded.is_(True))
        return table.c.document_id.not_in(superseded)

    def incidents(
        self, f: Filters = Filters(), *, limit: int = 50, offset: int = 0, sort: str = "-date"
    ) -> Page:
        """Incidents matching `f`, newest first, or in another of `SORTS` (ties newest
        first); FilterError naming `sort` for any other order."""
        i = tables.incidents
        if sort not in SORTS:
            raise FilterError("sort", f"sort {sort!r} is not one of {', '.join(SORTS)}")
        conds = self._incident_conditions(f)
        per_event = f.health_care or f.actor or f.claimant or f.q
        newest = [i.c.date_start.desc().nulls_last(), i.c.pk]
        count = None
        if f.q and f == Filters(q=f.q):
            # The text filter alone: its links name the incidents (each link's
            # incident exists), so they are counted in the index without
            # reading an incident row, each much larger than its index entry.
            links = tables.incident_events
            found = links.c.document_pk.in_(self._documents_matching(f.q))
            count = select(func.count(links.c.incident_pk.distinct())).where(found)
        if sort == "-date":
            in_order = self._incident_conditions(f, in_date_order=True) if per_event else None
            return self._page(i, conds, newest, limit, offset, in_order=in_order, count=count)
        column = {
            "date": i.c.date_start,
            "type": i.c.type,
            "country": i.c.country,
            "place": i.c.place_key,
        }[sort.lstrip("-")]
        first = column.desc() if sort.startswith("-") else column.asc()
        # Records without the value come last whichever way the list runs.
        return self._page(i, conds, [first.nulls_last(), *newest], limit, offset, count=count)

    def events_by_id(
        self, event_ids: list[str], *, document_ids: list[str] | None = None
    ) -> dict[str, dict[str, Any]]:
        """The events of these ids (unknown ones left out; only those of
        `document_ids` when given), by id."""
        events = self._records(
            tables.events,
            tables.events.c.id,
            list(dict.fromkeys(event_ids)),
            document_ids=document_ids,
        )
        return {e["id"]: e for e in events}

    def event_documents(self, event_ids: list[str]) -> dict[str, str]:
        """The document of each of these events, by event id (columns only: cheap
        for an incident of hundreds of events)."""
        e = tables.events
        found: dict[str, str] = {}
        ids = list(dict.fromkeys(event_ids))
        with self._engine.connect() as conn:
            for start in range(0, len(ids), MAX_LIMIT):
                chunk = ids[start : start + MAX_LIMIT]
                query = select(e.c.id, e.c.document_id).where(e.c.id.in_(chunk))
                found.update({r.id: r.document_id for r in conn.execute(query)})
        return found

    def incidents_of_document(self, document_id: str) -> list[dict[str, Any]]:
        """The incidents one of the document's events belongs to (id, type, date, place)."""
        e, links, i = tables.events, tables.incident_events, tables.incidents
        ids = select(links.c.incident_id).where(
            links.c.event_id.in_(select(e.c.id).where(e.c.document_id == document_id))
        )
        query = (
            select(i.c.data)
            .where(i.c.id.in_(ids))
            .order_by(i.c.date_start.desc().nulls_last(), i.c.pk)
        )
        with self._engine.connect() as conn:
            return [r.data for r in conn.execute(query)]

    def incident_ids(self, f: Filters = Filters()) -> list[str]:
        """The ids of every incident matching `f` (no page: for an export), newest first."""
        i = tables.incidents
        query = (
            select(i.c.id)
            .where(*self._incident_conditions(f))
            .order_by(i.c.date_start.desc().nulls_last(), i.c.pk)
        )
        with self._engine.connect() as conn:
            return [r.id for r in conn.execute(query)]

    def events(
        self,
        f: Filters = Filters(),
        *,
        document_id: str | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> Page:
        """Events of current revisions matching `f`, newest first."""
        e = tables.events
        conds = [self._current(e), *self._event_conditions(e, f)]
        if f.place:
            conds.append(self._place_condition(e, f.place))
        if f.country:
            conds.append(func.upper(e.c.country) == f.country.upper())
        if document_id is not None:
            conds.append(e.c.document_id == document_id)
        order = [e.c.date_start.desc().nulls_last(), e.c.pk]
        return self._page(e, conds, order, limit, offset)

    def figures(
        self,
        *,
        kind: str | None = None,
        claimant: str | None = None,
        document_id: str | None = None,
        event_id: str | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> Page:
        """Figures of current revisions, in insertion order."""
        fig = tables.figures
        conds = [self._current(fig)]
        if kind:
            conds.append(fig.c.kind == kind)
        if claimant:
            conds.append(_key_contains(fig.c.claimant_key, claimant))
        if document_id is not None:
            conds.append(fig.c.document_id == document_id)
        if event_id is not None:
            conds.append(fig.c.event_id == event_id)
        return self._page(fig, conds, [fig.c.pk], limit, offset)

    def claims(
        self,
        *,
        speaker: str | None = None,
        stance: str | None = None,
        document_id: str | None = None,
        q: str | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> Page:
        """Claims of current revisions, in insertion order."""
        c = tables.claims
        conds = [self._current(c)]
        if speaker:
            conds.append(_key_contains(c.c.speaker_key, speaker))
        if stance:
            conds.append(c.c.stance == stance)
        if document_id is not None:
            conds.append(c.c.document_id == document_id)
        if q:
            conds.append(_contains(c.c.data["content"].as_string(), q))
        return self._page(c, conds, [c.c.pk], limit, offset)

    def documents(
        self,
        *,
        q: str | None = None,
        outlet: str | None = None,
        date_from: str | None = None,
        date_to: str | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> Page:
        """Current revisions of stored articles (without their text), newest first."""
        d = tables.documents
        conds: list[ColumnElement[bool]] = [d.c.superseded.is_(False)]
        if q:
            conds.append(self._fulltext(d.c.pk, q))
        if outlet:
            conds.append(_contains(d.c.outlet, outlet))
        if date_from:
            conds.append(d.c.published >= date_from)
        if date_to:
            # Published may be a date-time: compare its day.
            conds.append(func.substr(d.c.published, 1, 10) <= date_to)
        columns = [c for c in d.c if c.name not in ("text", "removed", "text_hash")]
        query = (
            select(*columns, func.length(d.c.text).label("length"))
            .where(*conds)
            .order_by(d.c.published.desc().nulls_last(), d.c.pk)
        )
        count = select(func.count()).select_from(d).where(*conds)
        limit = max(0, min(limit, MAX_LIMIT))
        offset = max(0, offset)
        with self._engine.connect() as conn:
            total = int(conn.execute(count).scalar_one())
            rows = conn.execute(query.limit(limit).offset(offset)).all()
        return Page([_document_dict(r, with_text=False) for r in rows], total, limit, offset)

    # --- single records ---------------------------------------------------

    def _one(self, table: Any, record_id: str) -> dict[str, Any] | None:
        with self._engine.connect() as conn:
            row = conn.execute(select(table.c.data).where(table.c.id == record_id)).first()
        return None if row is None else row.data

    def event(self, event_id: str) -> dict[str, Any] | None:
        return self._one(tables.events, event_id)

    def figure(self, figure_id: str) -> dict[str, Any] | None:
        return self._one(tables.figures, figure_id)

    def claim(self, claim_id: str) -> dict[str, Any] | None:
        return self._one(tables.claims, claim_id)

    def _records(
        self,
        table: Any,
        column: Any,
        values: list[str],
        *,
        document_ids: list[str] | None = None,
    ) -> list[dict[str, Any]]:
        """Records whose `column` is one of `values` (and, if given, of those documents)."""
        if not values or document_ids == []:
            return []
        found: list[dict[str, Any]] = []
        with self._engine.connect() as conn:
            for start in range(0, len(values), MAX_LIMIT):
                chunk = values[start : start + MAX_LIMIT]
                conds = [column.in_(chunk)]
                if document_ids is not None:
                    conds.append(table.c.document_id.in_(document_ids))
                query = select(table.c.data).where(*conds).order_by(table.c.pk)
                found += [r.data for r in conn.execute(query)]
        return found

    def evidence_rows(
        self, *, document_id: str | None = None, records: list[str] | None = None
    ) -> list[dict[str, Any]]:
        """Evidence rows (record_kind, record_id, field, document_id, start, end)."""
        ev = tables.evidence
        conds = []
        if document_id is not None:
            conds.append(ev.c.document_id == document_id)
        columns = (
            ev.c.pk,
            ev.c.record_kind,
            ev.c.record_id,
            ev.c.field,
            ev.c.document_id,
            ev.c.start,
            ev.c.end,
        )
        if records is None:
            chunks: list[list[ColumnElement[bool]]] = [conds]
        else:
            # Every kind named, so that the (record_kind, record_id) index finds each record.
            chunks = [
                [*conds, ev.c.record_kind.in_(RECORD_KINDS), ev.c.record_id.in_(chunk)]
                for chunk in (records[k : k + MAX_LIMIT] for k in range(0, len(records), MAX_LIMIT))
            ]
        found = []
        with self._engine.connect() as conn:
            for where in chunks:
                found += conn.execute(select(*columns).where(*where)).all()
        found.sort(key=lambda r: r.pk)
        return [{k: v for k, v in r._mapping.items() if k != "pk"} for r in found]

    def document(self, document_id: str) -> dict[str, Any] | None:
        """One stored revision with its text, or None."""
        d = tables.documents
        with self._engine.connect() as conn:
            row = conn.execute(select(d).where(d.c.id == document_id)).first()
        return None if row is None else _document_dict(row, with_text=True)

    def _documents(self, document_ids: list[str]) -> list[dict[str, Any]]:
        """Stored revisions with their text, in the order of `document_ids` (unknown left out)."""
        d = tables.documents
        found: dict[str, dict[str, Any]] = {}
        with self._engine.connect() as conn:
            for start in range(0, len(document_ids), MAX_LIMIT):
                chunk = document_ids[start : start + MAX_LIMIT]
                for row in conn.execute(select(d).where(d.c.id.in_(chunk))):
                    found[row.id] = _document_dict(row, with_text=True)
        return [found[i] for i in document_ids if i in found]

    def incident(
        self, incident_id: str, *, source_offset: int = 0, source_limit: int | None = None
    ) -> dict[str, Any] | None:
        """An incident with its events, figures, claims and source documents (with text).

        `documents` holds the sources from `source_offset`, at most
        `source_limit` of them (all without a limit), in the incident's order;
        `documents_total` counts them all. With a page of sources, `events`,
        `figures` and `claims` are those the page's sources report (an
        incident reported 300 times is read a page at a time); the incident
        record itself is always whole.
        """
        i = tables.incidents
        with self._engine.connect() as conn:
            row = conn.execute(select(i.c.data).where(i.c.id == incident_id)).first()
        if row is None:
            return None
        incident = row.data
        document_ids = list(incident["document_ids"])
        offset = max(0, source_offset)
        paged = source_limit is not None or offset > 0
        end = None if source_limit is None else offset + max(0, source_limit)
        page_ids = document_ids[offset:end]
        events = self._records(
            tables.events,
            tables.events.c.id,
            incident["event_ids"],
            document_ids=page_ids if paged else None,
        )
        event_ids = [e["id"] for e in events]
        figures = self._records(tables.figures, tables.figures.c.event_id, event_ids)
        claim_ids = list(
            dict.fromkeys(
                [c for e in events for c in e.get("claim_ids", [])]
                + [f["claim_id"] for f in figures if f.get("claim_id")]
            )
        )
        claims = self._records(tables.claims, tables.claims.c.id, claim_ids)
        return {
            "incident": incident,
            "events": events,
            "figures": figures,
            "claims": claims,
            "documents": self._documents(page_ids),
            "documents_total": len(document_ids),
        }

    # --- views over many records -------------------------------------------

    def points(self, f: Filters = Filters(), *, limit: int = 5000) -> Page:
        """Located incidents matching `f` (id, type, date, place, lat, lon); `extra` counts the rest."""
        i = tables.incidents
        conds = self._incident_conditions(f)
        located = [*conds, i.c.lat.is_not(None), i.c.lon.is_not(None)]
        query = (
            select(i.c.id, i.c.type, i.c.date_start, i.c.lat, i.c.lon, i.c.data)
            .where(*located)
            .order_by(i.c.date_start.desc().nulls_last(), i.c.pk)
            .limit(max(0, limit))
        )
        with self._engine.connect() as conn:
            total = int(
                conn.execute(select(func.count()).select_from(i).where(*conds)).scalar_one()
            )
            located_total = int(
                conn.execute(select(func.count()).select_from(i).where(*located)).scalar_one()
            )
            rows = conn.execute(query).all()
        items = [
            {
                "id": r.id,
                "type": r.type,
                "date": r.date_start,
                "lat": r.lat,
                "lon": r.lon,
                "place": (r.data.get("place") or {}).get("name"),
                "facility": (r.data.get("place") or {}).get("facility"),
                "country": (r.data.get("place") or {}).get("country"),
                "precision": (r.data.get("place") or {}).get("precision"),
            }
            for r in rows
        ]
        return Page(items, located_total, limit, 0, {"unlocated": total - located_total})

    def tolls(
        self,
        *,
        kind: str | None = None,
        claimant: str | None = None,
        date_from: str | None = None,
        date_to: str | None = None,
        limit: int = MAX_TOLL_POINTS,
    ) -> Page:
        """Reported cumulative tolls, one series per (kind, group, claimant), as the export's `tolls`.

        Reads figures of current revisions with scope "cumulative"; each point
        adds the figure's `text`, `approximate` and `evidence` to the export's
        fields. A date bound keeps points whose `as_of` lies within it (undated
        points are then left out). Points are read in `as_of` order, undated
        last, at most `limit` of them; `total` counts the points that match.
        """
        fig = tables.figures
        scope = fig.c.data["scope"].as_string()
        as_of = fig.c.data["as_of"].as_string()
        conds = [self._current(fig), scope == "cumulative"]
        if kind:
            conds.append(fig.c.kind == kind)
        if claimant:
            conds.append(_contains(fig.c.data[("claimant", "name")].as_string(), claimant))
        if date_from:
            conds.append(as_of >= date_from)
        if date_to:
            # as_of may carry a time: compare its day.
            conds.append(func.substr(as_of, 1, 10) <= date_to)
        limit = max(0, min(limit, MAX_TOLL_POINTS))
        query = (
            select(fig.c.pk, fig.c.data)
            .where(*conds)
            .order_by(as_of.asc().nulls_last(), fig.c.pk)
            .limit(limit)
        )
        with self._engine.connect() as conn:
            total = int(
                conn.execute(select(func.count()).select_from(fig).where(*conds)).scalar_one()
            )
            rows = conn.execute(query).all()
        series: dict[tuple[str, str, str], dict[str, Any]] = {}
        first_pk: dict[tuple[str, str, str], int] = {}
        for pk, f in rows:
            name = (f.get("claimant") or {}).get("name")
            # The export's key: claimants differing only in case are one series,
            # named as the earliest stored figure names it (as the export does).
            key = (f["kind"], f.get("group") or "", (name or "").casefold())
            toll = series.setdefault(
                key, {"kind": f["kind"], "group": f.get("group"), "claimant": name, "series": []}
            )
            if pk < first_pk.setdefault(key, pk):
                first_pk[key] = pk
                toll["claimant"] = name
            toll["series"].append(
                {
                    "as_of": f.get("as_of"),
                    "min": f.get("min"),
                    "max": f.get("max"),
                    "document_id": f["document_id"],
                    "figure_id": f["id"],
                    "text": f.get("text"),
                    "approximate": bool(f.get("approximate")),
                    "evidence": f.get("evidence") or [],
                }
            )
        return Page([series[k] for k in sorted(series)], total, limit, 0)

    def running_totals(self, f: Filters = Filters(), *, kind: str = "killed") -> dict[str, Any]:
        """Running totals of one per-incident figure kind per claimant over incident dates.

        Per incident and claimant the value is the largest lower bound that
        claimant gave for `kind` (groups overlap: "12 people, 3 of them
        children"), so sums never count one report twice. Undated incidents
        are counted apart, never placed on a guessed date.
        """
        i = tables.incidents
        conds = self._incident_conditions(f)
        query = select(i.c.date_start, i.c.data).where(*conds).order_by(i.c.date_start, i.c.pk)
        per_claimant: dict[str, dict[str, float]] = {}
        undated = 0
        with self._engine.connect() as conn:
            for row in conn.execute(query):
                values: dict[str, float] = {}
                for figure in row.data.get("figures", []):
                    if figure.get("kind") != kind:
                        continue
                    for v in figure.get("values", []):
                        # A statement its claimant later replaced no longer counts.
                        if v.get("min") is None or v.get("superseded_by"):
                            continue
                        who = (v.get("claimant") or {}).get("name") or "no claimant"
                        values[who] = max(values.get(who, 0.0), float(v["min"]))
                if not values:
                    continue
                if row.date_start is None:
                    undated += 1
                    continue
                for who, value in values.items():
                    days = per_claimant.setdefault(who, {})
                    days[row.date_start] = days.get(row.date_start, 0.0) + value
        series = []
        for who, days in sorted(per_claimant.items()):
            total = 0.0
            points = []
            for day in sorted(days):
                total += days[day]
                points.append({"date": day, "total": total})
            series.append({"claimant": who, "points": points})
        return {"kind": kind, "series": series, "undated_incidents": undated}


def parse_bbox(text: str) -> tuple[float, float, float, float]:
    """ "west,south,east,north" in degrees; ValueError saying what is wrong."""
    parts = text.split(",")
    if len(parts) != 4:
        raise ValueError(f"bbox {text!r} needs four numbers: west,south,east,north")
    try:
        west, south, east, north = (float(p) for p in parts)
    except ValueError:
        raise ValueError(f"bbox {text!r} holds something that is not a number") from None
    if not (-180 <= west <= 180 and -180 <= east <= 180 and -90 <= south <= north <= 90):
        raise ValueError(
            f"bbox {text!r} is out of range: longitudes within -180..180, "
            f"latitudes within -90..90, south <= north"
        )
    return west, south, east, north
