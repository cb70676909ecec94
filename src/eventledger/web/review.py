"""The review pages: sign in and out, the review queue, a record's history, and the
forms a coder sends from an incident page (accept, reject, edit, merge, split).

Every form is a POST with a CSRF token; every write needs a signed-in coder
or admin (a viewer gets 403, nobody signed in is sent to /login). The forms
call the same review desk as the API (eventledger.review.desk).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl, quote, urlencode

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from eventledger.errors import NotFound, ReviewError
from eventledger.storage.queries import MAX_OFFSET
from eventledger.web.auth import CSRF_COOKIE, SESSION_COOKIE, Session, Sessions, same_token
from eventledger.web.pages import EVENT_TYPES, FiltersDep

__all__ = ["current_session", "router", "sessions_of"]

router = APIRouter(include_in_schema=False, default_response_class=HTMLResponse)

QUEUE_PAGE = 25


def sessions_of(request: Request) -> Sessions:
    sessions = getattr(request.app.state, "sessions", None)
    if sessions is None:
        sessions = request.app.state.sessions = Sessions()
    return sessions


def current_session(request: Request) -> Session | None:
    """The signed-in session of this request, or None (also once its user was removed)."""
    desk = getattr(request.app.state, "desk", None)
    session = sessions_of(request).get(request.cookies.get(SESSION_COOKIE))
    if session is None or desk is None:
        return None
    if not any(u.name == session.user for u in desk.review.users()):
        sessions_of(request).close(request.cookies.get(SESSION_COOKIE))
        return None
    return session


def _desk(request: Request) -> Any:
    desk = getattr(request.app.state, "desk", None)
    if desk is None:
        raise HTTPException(403, "this server is read-only: it was started without review")
    return desk


def _local(path: str | None, default: str) -> str:
    """`path` if it is a path on this site (never another host), else `default`."""
    if path and path.startswith("/") and not path.startswith("//") and "\\" not in path:
        return path
    return default


def _render(request: Request, template: str, context: dict[str, Any], status: int = 200):
    return request.app.state.templates.TemplateResponse(
        request, template, context, status_code=status
    )


async def _form(request: Request) -> dict[str, str]:
    """The fields of a form POST (application/x-www-form-urlencoded, what every form
    here sends); read without python-multipart, which the UI does not need."""
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind != "application/x-www-form-urlencoded":
        raise HTTPException(415, "send the form as application/x-www-form-urlencoded")
    body = (await request.body()).decode("utf-8", errors="replace")
    return dict(parse_qsl(body, keep_blank_values=True, max_num_fields=100))


def _client(request: Request) -> str:
    return request.client.host if request.client else "?"


# --- sign in and out ------------------------------------------------------------


@router.get("/login")
def login_form(request: Request, next: str = Query("/review", max_length=500)) -> Response:
    """The sign-in form, with a CSRF token bound to a cookie of its own."""
    import secrets

    token = request.cookies.get(CSRF_COOKIE) or secrets.token_urlsafe(32)
    response = _render(
        request,
        "login.html",
        {"csrf": token, "next": _local(next, "/review"), "error": None,
         "read_only": _desk(request).read_only()},
    )  # fmt: skip
    response.set_cookie(
        CSRF_COOKIE,
        token,
        httponly=True,
        samesite="strict",
        path="/login",
        secure=request.url.scheme == "https",
    )
    return response


@router.post("/login")
async def login(request: Request) -> Response:
    form = await _form(request)
    sessions, client = sessions_of(request), _client(request)
    next_page = _local(str(form.get("next") or ""), "/review")
    if not same_token(str(form.get("csrf") or ""), request.cookies.get(CSRF_COOKIE)):
        raise HTTPException(403, "the form expired or did not come from this site; reload it")
    if sessions.blocked(client):
        raise HTTPException(429, "too many failed sign-ins: wait a minute and try again")
    user = _desk(request).user_for_token(str(form.get("token") or "").strip())
    if user is None:
        sessions.failed(client)
        context = {"csrf": request.cookies.get(CSRF_COOKIE), "next": next_page,
                   "error": "that token belongs to no user", "read_only": False}  # fmt: skip
        return _render(request, "login.html", context, status=401)
    sid = sessions.open(user.name, user.role)
    response = RedirectResponse(next_page, status_code=303)
    # Secure when the page came over HTTPS (a proxy in front); plain HTTP on
    # 127.0.0.1 could not send a Secure cookie back.
    response.set_cookie(
        SESSION_COOKIE,
        sid,
        httponly=True,
        samesite="strict",
        path="/",
        secure=request.url.scheme == "https",
    )
    response.delete_cookie(CSRF_COOKIE, path="/login")
    return response


async def _checked_form(request: Request) -> tuple[Session, Any]:
    """The signed-in session and the form of a write, CSRF token checked."""
    form = await _form(request)
    session = current_session(request)
    if session is None:
        raise HTTPException(401, "sign in first (/login)")
    if not same_token(str(form.get("csrf") or ""), session.csrf):
        raise HTTPException(403, "the form expired or did not come from this site; reload it")
    return session, form


@router.post("/logout")
async def logout(request: Request) -> Response:
    await _checked_form(request)
    sessions_of(request).close(request.cookies.get(SESSION_COOKIE))
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


# --- the review queue -------------------------------------------------------------


@router.get("/review")
def review_queue(
    request: Request,
    filters: FiltersDep,
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
) -> Response:
    """What awaits review: incidents no coder decided on, newest first, filtered like the list."""
    session = current_session(request)
    if session is None:
        return RedirectResponse("/login?" + urlencode({"next": str(request.url.path)}), 303)
    queue = _desk(request).queue(
        request.app.state.queries, filters, limit=QUEUE_PAGE, offset=offset
    )
    params = [(k, v) for k, v in request.query_params.multi_items() if k != "offset"]
    here = "/review" + ("?" + urlencode(params) if params else "")
    return _render(
        request,
        "review.html",
        {
            "session": session,
            "queue": queue,
            "filters": filters,
            "params": dict(request.query_params),
            "types": EVENT_TYPES,
            "here": here,
            "next_page": "/review?" + urlencode([*params, ("offset", offset + QUEUE_PAGE)])
            if queue["more"]
            else None,
            "prev_page": "/review?" + urlencode([*params, ("offset", max(0, offset - QUEUE_PAGE))])
            if offset
            else None,
        },
    )


@router.get("/history/{kind}/{record_id}")
def history_page(request: Request, kind: str, record_id: str) -> Response:
    """Every decision on a record, oldest first."""
    if kind not in ("event", "figure", "claim", "incident"):
        raise HTTPException(404, f"no record kind {kind!r}")
    try:
        items = _desk(request).review.history(kind, record_id)
    except NotFound as exc:
        raise HTTPException(404, str(exc)) from exc
    return _render(request, "history.html", {"kind": kind, "record_id": record_id, "items": items})


# --- writes -------------------------------------------------------------------------


def _writer(request: Request, session: Session) -> Any:
    from eventledger.storage.review import User

    user = User(session.user, session.role, "")
    if not user.can_write:
        raise HTTPException(403, f"{user.name} is a {user.role}: only coders and admins write")
    return user


def _value(field: str, form: Any) -> Any:
    """An edit's value from a form's fields (the API's shapes, docs/api.md)."""

    def get(name: str) -> str:
        return str(form.get(name) or "").strip()

    def number(name: str) -> float | None:
        text = get(name)
        if not text:
            return None
        try:
            value = float(text)
        except ValueError as exc:
            raise ReviewError(f"{name} {text!r} is not a number") from exc
        return int(value) if value.is_integer() else value

    if field == "place":
        return {
            "name": get("name") or None,
            "facility": get("facility") or None,
            "lat": number("lat"),
            "lon": number("lon"),
            "precision": number("precision"),
            "country": get("country") or None,
            "geonames_id": get("geonames_id") or None,
        }
    if field == "value":
        out = {"min": number("min")}
        if "max" in form:
            out["max"] = number("max")
        return out
    if field == "type":
        return {"type": get("type"), "subtype": get("subtype") or None}
    if field == "date":
        return {"start": get("start"), "end": get("end") or None, "precision": get("precision")}
    if field in ("perpetrator", "claimant"):
        return {"name": get("name")} if get("name") else None
    if field == "health_care":
        return get("health_care") == "yes"
    return get("value") or None


def _back(form: Any, default: str) -> RedirectResponse:
    return RedirectResponse(_local(str(form.get("next") or ""), default), status_code=303)


@router.post("/review/decide")
async def decide(request: Request) -> Response:
    """Accept, reject or edit a record from a form; accept or reject every event of an
    incident (`kind` incident) from the queue."""
    session, form = await _checked_form(request)
    user = _writer(request, session)
    desk = _desk(request)
    kind, record_id = str(form.get("kind") or ""), str(form.get("record_id") or "")
    action, field = str(form.get("action") or ""), str(form.get("field") or "") or None
    reason = str(form.get("reason") or "")[:2000]
    try:
        if kind == "incident":
            found = request.app.state.queries.incident(record_id, source_limit=0)
            if found is None:
                raise NotFound(f"no incident {record_id!r}")
            for event_id in found["incident"]["event_ids"]:
                desk.decide(user, "event", event_id, action, reason=reason)
        else:
            value = _value(field, form) if action == "edit" and field else None
            desk.decide(user, kind, record_id, action, field=field, value=value, reason=reason)
    except NotFound as exc:
        raise HTTPException(404, str(exc)) from exc
    except ReviewError as exc:
        raise HTTPException(422, str(exc)) from exc
    return _back(form, "/review")


@router.post("/review/merge")
async def merge(request: Request) -> Response:
    session, form = await _checked_form(request)
    user = _writer(request, session)
    incident_id, other = str(form.get("incident_id") or ""), str(form.get("other") or "").strip()
    try:
        _desk(request).merge(user, incident_id, other, str(form.get("reason") or "")[:2000])
    except NotFound as exc:
        raise HTTPException(404, str(exc)) from exc
    except ReviewError as exc:
        raise HTTPException(422, str(exc)) from exc
    return RedirectResponse(f"/incidents/{quote(incident_id, safe='')}", status_code=303)


@router.post("/review/split")
async def split(request: Request) -> Response:
    session, form = await _checked_form(request)
    user = _writer(request, session)
    incident_id, event_id = str(form.get("incident_id") or ""), str(form.get("event_id") or "")
    try:
        decision = _desk(request).split(
            user, incident_id, event_id, str(form.get("reason") or "")[:2000]
        )
    except NotFound as exc:
        raise HTTPException(404, str(exc)) from exc
    except ReviewError as exc:
        raise HTTPException(422, str(exc)) from exc
    new = decision["after"]["new_incident"]
    return RedirectResponse(f"/incidents/{quote(new, safe='')}", status_code=303)
