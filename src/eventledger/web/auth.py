"""Sign-in for the web UI: sessions, CSRF tokens and a limit on failed sign-ins.

A user signs in with the token `eventledger user add` printed. The session
lives in the server (a random id in a cookie that is `HttpOnly` and
`SameSite=Strict`), so signing out ends it at once; a restart signs everyone
out. Every form carries a CSRF token: the session's own once signed in, and
before that (the sign-in form) one that must match a cookie of its own.
Failed sign-ins are counted per client address: after `MAX_FAILURES` in
`WINDOW_S` seconds the next ones are refused (429) until the window passes.
"""

from __future__ import annotations

import hmac
import secrets
import threading
import time
from collections import deque
from dataclasses import dataclass

__all__ = [
    "CSRF_COOKIE",
    "MAX_FAILURES",
    "SESSION_COOKIE",
    "Session",
    "Sessions",
    "WINDOW_S",
    "same_token",
]

SESSION_COOKIE = "eventledger_session"
CSRF_COOKIE = "eventledger_csrf"
SESSION_S = 12 * 3600  # a working day; then sign in again
MAX_FAILURES = 5
WINDOW_S = 60.0


def same_token(a: str | None, b: str | None) -> bool:
    """Both given and equal, compared in constant time."""
    return bool(a) and bool(b) and hmac.compare_digest(str(a).encode(), str(b).encode())


@dataclass(frozen=True, slots=True)
class Session:
    user: str
    role: str
    csrf: str
    expires: float


class Sessions:
    """Signed-in sessions and failed sign-ins of one server (thread-safe)."""

    def __init__(self, *, clock=time.monotonic) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._sessions: dict[str, Session] = {}
        self._failures: dict[str, deque[float]] = {}

    def open(self, user: str, role: str) -> str:
        """A new session for `user`; its id (the cookie's value)."""
        sid = secrets.token_urlsafe(32)
        session = Session(user, role, secrets.token_urlsafe(32), self._clock() + SESSION_S)
        with self._lock:
            self._sessions[sid] = session
        return sid

    def get(self, sid: str | None) -> Session | None:
        if not sid:
            return None
        with self._lock:
            session = self._sessions.get(sid)
            if session is not None and session.expires < self._clock():
                del self._sessions[sid]
                return None
        return session

    def close(self, sid: str | None) -> None:
        with self._lock:
            self._sessions.pop(sid or "", None)

    def blocked(self, client: str) -> bool:
        """Whether `client` failed too often lately to try again now."""
        with self._lock:
            recent = self._recent(client)
            if not recent:  # forget an address whose failures are all old
                del self._failures[client]
            return len(recent) >= MAX_FAILURES

    def failed(self, client: str) -> None:
        with self._lock:
            self._recent(client).append(self._clock())

    def _recent(self, client: str) -> deque[float]:
        seen = self._failures.setdefault(client, deque())
        while seen and seen[0] < self._clock() - WINDOW_S:
            seen.popleft()
        return seen
