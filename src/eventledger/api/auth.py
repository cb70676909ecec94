"""Who is asking: the API's bearer token, and the role a write needs.

The API reads `Authorization: Bearer <token>` and nothing else (no token in
a query string, where logs would keep it). Reads need no token. A write
needs a coder's or an admin's token; with no user at all the ledger is
read-only and every write is refused (403).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from eventledger.api.errors import ApiError
from eventledger.review.desk import Desk
from eventledger.storage.review import User

__all__ = ["WriterDep", "bearer_token", "desk_of", "writer"]


def bearer_token(request: Request) -> str | None:
    """The token of an `Authorization: Bearer <token>` header (the scheme in any case)."""
    scheme, _, given = (request.headers.get("authorization") or "").strip().partition(" ")
    given = given.strip()
    return given if scheme.lower() == "bearer" and given else None


def desk_of(request: Request) -> Desk:
    desk = getattr(request.app.state, "desk", None)
    if desk is None:
        raise ApiError(403, "this server is read-only: it was started without review")
    return desk


def writer(request: Request) -> User:
    """The coder or admin the bearer token names; 401 without a valid token, 403 for a
    viewer or while no user exists."""
    desk = desk_of(request)
    if desk.read_only():
        raise ApiError(
            403,
            "the ledger is read-only: no user exists. Add one with "
            "`eventledger user add NAME --role coder`",
        )
    token = bearer_token(request)
    user = desk.user_for_token(token) if token else None
    if user is None:
        raise ApiError(401, "missing or wrong token: send Authorization: Bearer <token>")
    if not user.can_write:
        raise ApiError(403, f"user {user.name!r} is a {user.role}: only coders and admins write")
    return user


WriterDep = Annotated[User, Depends(writer)]
