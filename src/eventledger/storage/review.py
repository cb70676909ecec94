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
from eventledger.storage.edits import EDITABLE, VERDICTS, check_value, fold, machine_value
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
_TABLES = {"event": tables.events, "figure": tables.figures, "claim": tables.claims}
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.@-]{0,99}")


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
            before = machine_value(kind, current, field)
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
                status = VERDICTS.get(dec["action"], status)
            out[rid] = status
        return out
