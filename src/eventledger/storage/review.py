"""Users and human decisions (issue 16): who may write, and what coders decided.

A decision is a row of its own, never changed (the database refuses UPDATE
and DELETE on `decisions`): who, when, which record and field, the value
before and after, a reason. The machine's record is never overwritten:
`Review.overlay` reads a page of records and lays the latest decision on
each field over it, with `review` saying what was reviewed.

Decisions on events, figures and claims are found through the record's
anchor (storage.anchors), so that they still apply after a re-run of the
pipeline gives the record another id; decisions on incidents (merge, split)
carry the anchors of the events they moved (see eventledger.review).
"""

from __future__ import annotations

import copy
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, delete, func, insert, select
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from eventledger.errors import NotFound, ReviewError, StorageError
from eventledger.storage import tables
from eventledger.storage.engine import failure_cause, open_engine

__all__ = [
    "ACTIONS",
    "EDITABLE",
    "RECORD_KINDS",
    "ROLES",
    "STATUSES",
    "Review",
    "User",
    "check_value",
    "fold",
    "hash_token",
]

ROLES = ("viewer", "coder", "admin")
ACTIONS = ("accept", "reject", "edit", "merge", "split")
RECORD_KINDS = ("event", "figure", "claim", "incident")
# review_status of a record: no decision, or the latest decision's verdict.
STATUSES = ("machine", "accepted", "edited", "rejected")
# The fields a coder may edit, per record kind (docs/api.md gives each value's shape).
EDITABLE = {
    "event": ("type", "date", "place", "perpetrator", "health_care"),
    "figure": ("value", "group", "scope", "claimant"),
    "claim": (),
}
_TABLES = {"event": tables.events, "figure": tables.figures, "claim": tables.claims}
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.@-]{0,99}")
_VERDICT = {"accept": "accepted", "reject": "rejected", "edit": "edited"}


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def hash_token(token: str) -> str:
    """sha256 hex of a token: what the users table keeps instead of the token."""
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class User:
    name: str
    role: str
    created: str

    @property
    def can_write(self) -> bool:
        """Coders and admins may record decisions; viewers only read."""
        return self.role in ("coder", "admin")


def _machine_value(kind: str, record: dict[str, Any], field: str) -> Any:
    """The value a field has in a record, in the shape its edits take."""
    if kind == "event":
        if field == "type":
            return {"type": record.get("type"), "subtype": record.get("subtype")}
        if field == "perpetrator":
            names = [
                a.get("name") for a in record.get("actors") or [] if a["role"] == "perpetrator"
            ]
            return {"name": names[0]} if names else None
        value = record.get(field)
        if field == "date" and value:
            return {k: value.get(k) for k in ("start", "end", "precision")}
        if field == "place" and value:
            return {k: v for k, v in value.items() if k not in ("evidence", "attachment")}
        return copy.deepcopy(value)
    if field == "value":
        return {"min": record.get("min"), "max": record.get("max")}
    return copy.deepcopy(record.get(field))


def _apply(kind: str, record: dict[str, Any], field: str, value: Any) -> None:
    """Lay an edit's value over a record (a copy: the machine's record is kept)."""
    if kind == "event":
        if field == "type":
            record["type"], record["subtype"] = value["type"], value.get("subtype")
        elif field == "date":
            record["date"] = {
                **(record.get("date") or {"text": "", "evidence": []}),
                **value,
                "rule": "reviewed",
                "reason": None,
            }
        elif field == "place":
            machine = record.get("place") or {}
            record["place"] = {
                "name": None,
                "facility": None,
                "admin1": None,
                "country": None,
                "geo_precision": None,
                "geonames_id": None,
                "reason": None,
                **value,
                "attachment": machine.get("attachment"),
                "evidence": machine.get("evidence", []),
            }
        elif field == "perpetrator":
            actors = [a for a in record.get("actors") or [] if a["role"] != "perpetrator"]
            if value:
                actors.insert(
                    0,
                    {
                        "role": "perpetrator",
                        "name": value["name"],
                        "normalized": value["name"],
                        "type": value.get("type"),
                        "evidence": [],
                    },
                )
            record["actors"] = actors
        else:
            record[field] = value
    elif kind == "figure" and field == "value":
        record["min"], record["max"] = value["min"], value["max"]
        record["best"] = value.get("best", value["min"] if value["min"] == value["max"] else None)
        record["approximate"] = False
    else:
        record[field] = value


def fold(kind: str, record: dict[str, Any], decisions: list[dict[str, Any]]) -> dict[str, Any]:
    """The record as reviewed: each field's latest edit laid over a copy, and `review`
    ({status, fields: {field: machine value}, decisions, history}). The latest
    accept, reject or edit gives the status; none gives "machine"."""
    out = copy.deepcopy(record) if decisions else dict(record)
    status = "machine"
    machine: dict[str, Any] = {}
    for d in decisions:
        if d["action"] not in _VERDICT:
            continue
        status = _VERDICT[d["action"]]
        if d["action"] == "edit" and d.get("field"):
            machine.setdefault(d["field"], _machine_value(kind, record, d["field"]))
            _apply(kind, out, d["field"], d["after"])
    out["review"] = {
        "status": status,
        "fields": machine,
        "decisions": len(decisions),
        "history": f"/api/{kind}s/{record.get('id')}/history",
    }
    return out


_PRECISIONS = ("day", "week", "month", "year")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _text(value: Any, what: str, *, limit: int = 300) -> str:
    if not isinstance(value, str) or not value.strip() or len(value) > limit:
        raise ReviewError(f"{what} must be text of 1 to {limit} characters")
    return value.strip()


def _number(value: Any, what: str, lo: float, hi: float) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not lo <= value <= hi:
        raise ReviewError(f"{what} must be a number from {lo:g} to {hi:g}")
    return value


def _day(value: Any, what: str) -> str:
    from datetime import date

    if not isinstance(value, str) or not _DATE.fullmatch(value):
        raise ReviewError(f"{what} must be a date written YYYY-MM-DD")
    try:
        date.fromisoformat(value)
    except ValueError as exc:
        raise ReviewError(f"{what} {value!r} is not a day of the calendar") from exc
    return value


def check_value(kind: str, field: str, value: Any) -> Any:
    """An edit's value in its stored shape (docs/api.md, "Review"); ReviewError if it
    does not fit the field."""
    if kind == "event" and field == "type":
        if not isinstance(value, dict):
            raise ReviewError('type: send {"type": "...", "subtype": "..." or null}')
        subtype = value.get("subtype")
        return {
            "type": _text(value.get("type"), "type", limit=100),
            "subtype": None if subtype in (None, "") else _text(subtype, "subtype", limit=100),
        }
    if kind == "event" and field == "date":
        if not isinstance(value, dict):
            raise ReviewError('date: send {"start": "YYYY-MM-DD", "end": ..., "precision": "day"}')
        start = _day(value.get("start"), "date start")
        end = _day(value.get("end") or start, "date end")
        if end < start:
            raise ReviewError(f"date end {end} is before its start {start}")
        precision = value.get("precision") or "day"
        if precision not in _PRECISIONS:
            raise ReviewError(f"date precision: choose {', '.join(_PRECISIONS)}")
        return {"start": start, "end": end, "precision": precision}
    if kind == "event" and field == "place":
        if not isinstance(value, dict):
            raise ReviewError('place: send {"name", "lat", "lon", "precision"} (see docs/api.md)')
        precision = int(_number(value.get("precision"), "place precision (UCDP where_prec)", 1, 7))
        place = {
            "name": None if not value.get("name") else _text(value["name"], "place name"),
            "facility": None
            if not value.get("facility")
            else _text(value["facility"], "place facility"),
            "lat": _number(value.get("lat"), "latitude", -90, 90),
            "lon": _number(value.get("lon"), "longitude", -180, 180),
            "precision": precision,
            # ACLED's geo_precision from UCDP's where_prec (as places.resolver derives it).
            "geo_precision": {1: 1, 2: 2, 3: 3, 4: 3}.get(precision),
            "admin1": None if not value.get("admin1") else _text(value["admin1"], "admin-1"),
            "country": None,
            "geonames_id": None,
        }
        country = value.get("country")
        if country:
            if not isinstance(country, str) or not re.fullmatch(r"[A-Za-z]{2}", country):
                raise ReviewError("place country must be an ISO 3166 code such as LB")
            place["country"] = country.upper()
        if value.get("geonames_id") is not None:
            place["geonames_id"] = int(_number(value["geonames_id"], "geonames_id", 1, 2**53))
        return place
    if kind == "event" and field == "perpetrator":
        if value is None or value == "" or (isinstance(value, dict) and not value.get("name")):
            return None
        name = value.get("name") if isinstance(value, dict) else value
        return {"name": _text(name, "perpetrator name", limit=200)}
    if kind == "event" and field == "health_care":
        if value is None or value is False:
            return None
        if value is True:
            return {"attack_types": [], "resources": []}
        if not isinstance(value, dict):
            raise ReviewError(
                'health_care: send null, or {"attack_types": [...], "resources": [...]}'
            )
        out = {}
        for key in ("attack_types", "resources"):
            items = value.get(key) or []
            if not isinstance(items, list):
                raise ReviewError(f"health_care {key} must be a list of words")
            out[key] = [_text(i, f"health_care {key}", limit=100) for i in items]
        return out
    if kind == "figure" and field == "value":
        if not isinstance(value, dict):
            raise ReviewError('value: send {"min": number, "max": number or null}')
        lo = value.get("min")
        hi = value.get("max", lo)
        lo = None if lo is None else _number(lo, "min", 0, 1e9)
        hi = None if hi is None else _number(hi, "max", 0, 1e9)
        if lo is None and hi is None:
            raise ReviewError("value: give min, max or both")
        if lo is not None and hi is not None and hi < lo:
            raise ReviewError(f"value: max {hi:g} is below min {lo:g}")
        return {"min": lo, "max": hi}
    if kind == "figure" and field == "group":
        return None if value in (None, "") else _text(value, "group", limit=100)
    if kind == "figure" and field == "scope":
        if value not in ("incident", "cumulative"):
            raise ReviewError("scope: choose incident or cumulative")
        return value
    if kind == "figure" and field == "claimant":
        if value in (None, "") or (isinstance(value, dict) and not value.get("name")):
            return None
        name = value.get("name") if isinstance(value, dict) else value
        kind_ = value.get("type") if isinstance(value, dict) else None
        return {
            "name": _text(name, "claimant name", limit=200),
            "type": None if not kind_ else _text(kind_, "claimant type", limit=60),
        }
    raise ReviewError(f"field {field!r} of a {kind} cannot be edited")


def _decision_dict(row: Any) -> dict[str, Any]:
    return {
        "id": row.pk,
        "user": row.user,
        "at": row.at,
        "record_kind": row.record_kind,
        "record_id": row.record_id,
        "anchor": row.anchor,
        "field": row.field,
        "before": row.before,
        "after": row.after,
        "reason": row.reason,
        "action": row.action,
    }


class Review:
    """Users and decisions of one ledger (its schema made by `Ledger`, migration 0007)."""

    def __init__(self, url: str | Engine) -> None:
        self._own = not isinstance(url, Engine)
        self._engine = open_engine(url) if isinstance(url, str) else url

    def close(self) -> None:
        if self._own:
            self._engine.dispose()

    # --- users -------------------------------------------------------------

    def add_user(self, name: str, role: str) -> str:
        """Create a user; return the token, which is shown once and stored only as its hash."""
        if role not in ROLES:
            raise ReviewError(f"role {role!r}: choose one of {', '.join(ROLES)}")
        if not _NAME.fullmatch(name):
            raise ReviewError(
                f"user name {name!r}: use 1 to 100 letters, digits, '_', '.', '@' or '-', "
                "starting with a letter or digit"
            )
        token = secrets.token_urlsafe(32)
        try:
            with self._engine.begin() as conn:
                conn.execute(
                    insert(tables.users).values(
                        name=name, role=role, token_hash=hash_token(token), created=_now()
                    )
                )
        except IntegrityError as exc:
            raise ReviewError(
                f"a user named {name!r} exists; remove it first or choose another name"
            ) from exc
        except SQLAlchemyError as exc:
            raise StorageError(f"could not add user {name!r}: {failure_cause(exc)}") from exc
        return token

    def users(self) -> list[User]:
        u = tables.users
        with self._engine.connect() as conn:
            rows = conn.execute(select(u.c.name, u.c.role, u.c.created).order_by(u.c.name))
            return [User(r.name, r.role, r.created) for r in rows]

    def has_users(self) -> bool:
        with self._engine.connect() as conn:
            return conn.execute(select(tables.users.c.pk).limit(1)).first() is not None

    def remove_user(self, name: str) -> None:
        """Remove a user (their decisions stay, under their name); NotFound if unknown."""
        with self._engine.begin() as conn:
            done = conn.execute(delete(tables.users).where(tables.users.c.name == name))
        if not done.rowcount:
            raise NotFound(f"no user named {name!r}; `eventledger user list` shows them")

    def user_for_token(self, token: str) -> User | None:
        """The user whose token this is, or None."""
        if not token:
            return None
        wanted = hash_token(token)
        u = tables.users
        with self._engine.connect() as conn:
            row = conn.execute(select(u).where(u.c.token_hash == wanted)).first()
        # The lookup is by hash; the comparison once more in constant time.
        if row is None or not hmac.compare_digest(row.token_hash, wanted):
            return None
        return User(row.name, row.role, row.created)

    # --- records -----------------------------------------------------------

    def record(self, kind: str, record_id: str) -> tuple[dict[str, Any], str]:
        """A machine record and its anchor; NotFound when the ledger has none by that id."""
        table = _TABLES.get(kind)
        if table is None:
            raise ReviewError(f"record kind {kind!r}: choose event, figure or claim")
        with self._engine.connect() as conn:
            row = conn.execute(
                select(table.c.data, table.c.anchor).where(table.c.id == record_id)
            ).first()
        if row is None:
            raise NotFound(f"no {kind} {record_id!r}")
        return row.data, row.anchor or record_id

    def decisions_for(self, kind: str, record_ids: list[str]) -> dict[str, list[dict[str, Any]]]:
        """The decisions that apply to each of these records (through their anchors), oldest first."""
        table, d = _TABLES[kind], tables.decisions
        found: dict[str, list[dict[str, Any]]] = {}
        ids = list(dict.fromkeys(record_ids))
        # The record's anchor is wrapped (coalesce) so that no index serves it:
        # SQLite then reads the few records by id and finds their decisions by
        # (kind, anchor), instead of reading every decision of the kind first.
        anchor = func.coalesce(table.c.anchor, "")
        with self._engine.connect() as conn:
            for start in range(0, len(ids), 500):
                query = (
                    select(table.c.id.label("rid"), d)
                    .join(d, (d.c.record_kind == kind) & (d.c.anchor == anchor))
                    .where(table.c.id.in_(ids[start : start + 500]))
                    .order_by(d.c.pk)
                )
                for row in conn.execute(query):
                    found.setdefault(row.rid, []).append(_decision_dict(row))
        return found

    def overlay(self, kind: str, records: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """The records as reviewed (see `fold`), in their order; the inputs are not changed."""
        if not records:
            return records
        decided = self.decisions_for(kind, [r["id"] for r in records])
        return [fold(kind, r, decided.get(r["id"], [])) for r in records]

    # --- decisions ---------------------------------------------------------

    def decide(
        self,
        user: User,
        kind: str,
        record_id: str,
        action: str,
        *,
        field: str | None = None,
        value: Any = None,
        reason: str = "",
    ) -> dict[str, Any]:
        """Record an accept, reject or edit of an event, figure or claim; the decision."""
        if not user.can_write:
            raise ReviewError(f"user {user.name!r} is a {user.role}: only coders and admins decide")
        if action not in ("accept", "reject", "edit"):
            raise ReviewError(f"action {action!r}: choose accept, reject or edit")
        record, anchor = self.record(kind, record_id)
        current = fold(kind, record, self.decisions_for(kind, [record_id]).get(record_id, []))
        before = after = None
        if action == "edit":
            if field not in EDITABLE[kind]:
                allowed = ", ".join(EDITABLE[kind]) or "none"
                raise ReviewError(
                    f"field {field!r} of a {kind} cannot be edited; editable: {allowed}"
                )
            before = _machine_value(kind, current, field)
            after = check_value(kind, field, value)
        elif field is not None:
            raise ReviewError(f"{action} takes no field: it applies to the whole {kind}")
        return self.append(
            user,
            kind=kind,
            record_id=record_id,
            anchor=anchor,
            action=action,
            field=field,
            before=before,
            after=after,
            reason=reason,
        )

    def append(
        self,
        user: User,
        *,
        kind: str,
        record_id: str,
        anchor: str,
        action: str,
        field: str | None,
        before: Any,
        after: Any,
        reason: str,
    ) -> dict[str, Any]:
        """Append one decision row as given; the decision with its id."""
        if action not in ACTIONS or kind not in RECORD_KINDS:
            raise ReviewError(f"no such decision: {action} on a {kind}")
        row = {
            "user": user.name,
            "at": _now(),
            "record_kind": kind,
            "record_id": record_id,
            "anchor": anchor,
            "field": field,
            "before": before,
            "after": after,
            "reason": reason or "",
            "action": action,
        }
        try:
            with self._engine.begin() as conn:
                pk = conn.execute(
                    insert(tables.decisions).values(**row).returning(tables.decisions.c.pk)
                ).scalar_one()
        except SQLAlchemyError as exc:
            raise StorageError(f"could not record the decision: {failure_cause(exc)}") from exc
        return {"id": pk, **row}

    def decisions(
        self,
        *,
        kind: str | None = None,
        actions: tuple[str, ...] | None = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[dict[str, Any]]:
        """Decisions oldest first (optionally of one record kind or some actions)."""
        d = tables.decisions
        query = select(d).order_by(d.c.pk)
        if kind is not None:
            query = query.where(d.c.record_kind == kind)
        if actions is not None:
            query = query.where(d.c.action.in_(actions))
        if limit is not None:
            query = query.limit(limit).offset(offset)
        with self._engine.connect() as conn:
            return [_decision_dict(r) for r in conn.execute(query)]

    def decisions_for_incidents(self, incident_ids: list[str]) -> list[dict[str, Any]]:
        """The merges and splits recorded on these incidents, oldest first."""
        d = tables.decisions
        found: list[dict[str, Any]] = []
        ids = list(dict.fromkeys(incident_ids))
        with self._engine.connect() as conn:
            for start in range(0, len(ids), 500):
                query = select(d).where(
                    d.c.record_kind == "incident", d.c.record_id.in_(ids[start : start + 500])
                )
                found += [_decision_dict(r) for r in conn.execute(query)]
        return sorted(found, key=lambda r: r["id"])

    def count(self) -> int:
        with self._engine.connect() as conn:
            return int(
                conn.execute(select(func.count()).select_from(tables.decisions)).scalar_one()
            )

    def history(self, kind: str, record_id: str) -> list[dict[str, Any]]:
        """Every decision on a record (through its anchor), oldest first; NotFound if unknown."""
        d = tables.decisions
        if kind == "incident":
            with self._engine.connect() as conn:
                rows = conn.execute(
                    select(d)
                    .where(d.c.record_kind == "incident", d.c.record_id == record_id)
                    .order_by(d.c.pk)
                )
                return [_decision_dict(r) for r in rows]
        _, anchor = self.record(kind, record_id)
        with self._engine.connect() as conn:
            rows = conn.execute(
                select(d).where(d.c.record_kind == kind, d.c.anchor == anchor).order_by(d.c.pk)
            )
            return [_decision_dict(r) for r in rows]

    def orphaned(self) -> list[dict[str, Any]]:
        """Decisions on events, figures or claims whose record is gone: no record of a
        current revision has their anchor (the article changed there, or the
        pipeline no longer finds it). Listed for a coder; never applied elsewhere."""
        d, doc = tables.decisions, tables.documents
        superseded = select(doc.c.id).where(doc.c.superseded.is_(True))
        gone = []
        with self._engine.connect() as conn:
            for kind, table in _TABLES.items():
                alive = (
                    select(table.c.pk)
                    .where(table.c.anchor == d.c.anchor, table.c.document_id.not_in(superseded))
                    .exists()
                )
                rows = conn.execute(
                    select(d).where(d.c.record_kind == kind, ~alive).order_by(d.c.pk)
                )
                gone += [_decision_dict(r) for r in rows]
        return sorted(gone, key=lambda r: r["id"])

    def statuses(self, kind: str, record_ids: list[str]) -> dict[str, str]:
        """review_status of each record (machine when undecided)."""
        decided = self.decisions_for(kind, record_ids)
        out = {}
        for rid in record_ids:
            status = "machine"
            for dec in decided.get(rid, []):
                status = _VERDICT.get(dec["action"], status)
            out[rid] = status
        return out
