"""The server-rendered pages: incident list, incident, document, map and chart."""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Callable
from importlib import resources
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, Response
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup, escape

from eventledger.storage.queries import MAX_LIMIT, MAX_OFFSET, Filters, Queries
from eventledger.web.highlight import Span, anchor, highlight
from eventledger.web.svg import (
    PALETTE,
    chart_geometry,
    country_paths,
    evidence_href,
    map_view,
    toll_geometry,
    value_text,
)

__all__ = ["EVENT_TYPES", "FIGURE_KINDS", "SOURCES_PER_PAGE", "error_page", "router", "templates"]

# An incident page shows this many sources at a time (an incident may have hundreds).
SOURCES_PER_PAGE = 20

EVENT_TYPES = (
    "Battles",
    "Explosions/Remote violence",
    "Violence against civilians",
    "Protests",
    "Riots",
    "Strategic developments",
)

# The kinds models.Figure names, offered in the chart's kind filter.
FIGURE_KINDS = (
    "killed",
    "injured",
    "missing",
    "hostages",
    "detained",
    "displaced",
    "trapped",
    "present",
    "other",
)


def templates() -> Jinja2Templates:
    """The page templates, with autoescaping on for every file."""
    folder = str(resources.files("eventledger").joinpath("web/templates"))
    env = Environment(
        loader=FileSystemLoader(folder),
        autoescape=select_autoescape(default=True, default_for_string=True),
    )
    return Jinja2Templates(env=env)


def _queries(request: Request) -> Queries:
    return request.app.state.queries


DATE = r"^(\d{4}-\d{2}-\d{2})?$"  # a form sends empty fields


def _filters(
    date_from: str | None = Query(None, pattern=DATE),
    date_to: str | None = Query(None, pattern=DATE),
    place: str | None = Query(None, max_length=200),
    bbox: str | None = Query(None, max_length=100),
    type: str | None = Query(None, max_length=100),
    health_care: bool = Query(False),
    actor: str | None = Query(None, max_length=200),
    claimant: str | None = Query(None, max_length=200),
    q: str | None = Query(None, max_length=200),
) -> Filters:
    """The list filters from a form (the same names as the API's); 422 on a bad bbox."""
    try:
        return Filters.from_params(
            date_from=date_from,
            date_to=date_to,
            place=place,
            bbox=bbox,
            type=type,
            health_care=health_care,
            actor=actor,
            claimant=claimant,
            q=q,
        )
    except ValueError as exc:
        raise HTTPException(422, str(exc)) from exc


FiltersDep = Annotated[Filters, Depends(_filters)]


def _page_links(request: Request, total: int, limit: int, offset: int) -> dict[str, str | None]:
    params = [(k, v) for k, v in request.query_params.multi_items() if k != "offset"]

    def link(to: int) -> str:
        return "?" + urlencode([*params, ("offset", str(to))])

    return {
        "prev": link(max(0, offset - limit)) if offset > 0 else None,
        "next": link(offset + limit) if offset + limit < total else None,
    }


def _field_spans(
    rows: list[dict[str, Any]],
    doc_index: dict[str, int],
    *,
    shown: set[str] | None = None,
    page_of: Callable[[int], str] | None = None,
) -> tuple[dict[int, list[Span]], dict[str, list[dict[str, str]]]]:
    """Spans per source shown and, per record id, the links ({field, href}) to them.

    `shown`: the sources on this page (all when None); a link to a source on
    another page starts with `page_of(n)`, the query that shows it.
    """
    per_doc: dict[int, list[Span]] = defaultdict(list)
    links: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in rows:
        n = doc_index.get(row["document_id"])
        if n is None:
            continue
        here = shown is None or row["document_id"] in shown
        if here:
            label = f"{row['record_kind']} {row['record_id'].rsplit(':', 1)[-1]} {row['field']}"
            per_doc[n].append(Span(row["start"], row["end"], label))
        page = "" if here or page_of is None else page_of(n)
        links[row["record_id"]].append(
            {"field": row["field"], "href": page + "#" + anchor(n, row["start"], row["end"])}
        )
    return per_doc, links


def _evlinks(links: dict[str, list[dict[str, str]]]) -> Callable[..., Markup]:
    """`evlinks(rid, prefix)` for the templates: the ¶ links from a record's fields
    (those starting with `prefix`) to their evidence marks, escaped. Python, not a
    macro: an incident page calls it thousands of times."""

    def evlinks(rid: str, prefix: str = "") -> Markup:
        return Markup(
            "".join(
                f'<a class="ev" href="{escape(link["href"])}" title="{escape(link["field"])}">¶</a>'
                for link in links.get(rid, ())
                if not prefix or link["field"].startswith(prefix)
            )
        )

    return evlinks


def _group_claims(claims: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Claims grouped by speaker, then by stance."""
    groups: dict[str, dict[str, list[dict[str, Any]]]] = defaultdict(lambda: defaultdict(list))
    for claim in claims:
        speaker = (claim.get("speaker") or {}).get("normalized") or (
            claim.get("speaker") or {}
        ).get("name")
        groups[speaker or "unattributed"][claim.get("stance") or "report"].append(claim)
    return [
        {"speaker": s, "stances": [{"stance": k, "claims": v} for k, v in stances.items()]}
        for s, stances in groups.items()
    ]


def _reviewed(request: Request, found: dict[str, Any]) -> dict[str, Any]:
    """An incident answer (Queries.incident) with the coders' decisions laid over it."""
    desk = getattr(request.app.state, "desk", None)
    if desk is None:
        return found
    from eventledger.review.overlay import overlay_incidents

    found = dict(found)
    figures = {f["id"]: f for f in found["figures"]}
    published = {d["id"]: d.get("published") for d in found["documents"]}
    found["incident"] = overlay_incidents(
        desk.review, [found["incident"]], published_of=published, figures=figures
    )[0]
    for key, kind in (("events", "event"), ("figures", "figure"), ("claims", "claim")):
        found[key] = desk.review.overlay(kind, found[key])
    return found


def error_page(request: Request, status: int, code: str, message: str) -> Response:
    """An HTML error page (the API answers JSON instead)."""
    return request.app.state.templates.TemplateResponse(
        request,
        "error.html",
        {"status": status, "code": code, "message": message},
        status_code=status,
    )


router = APIRouter(include_in_schema=False, default_response_class=HTMLResponse)


@router.get("/")
def incident_list(
    request: Request,
    filters: FiltersDep,
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
    limit: int = Query(50, ge=1, le=MAX_LIMIT),
) -> Response:
    page = _queries(request).incidents(filters, limit=limit, offset=offset)
    desk = getattr(request.app.state, "desk", None)
    if desk is not None:  # as reviewed, like every other read
        from eventledger.review.overlay import overlay_incidents

        page = dataclasses.replace(page, items=overlay_incidents(desk.review, page.items))
    return request.app.state.templates.TemplateResponse(
        request,
        "incidents.html",
        {
            "page": page,
            "filters": filters,
            "params": dict(request.query_params),
            "types": EVENT_TYPES,
            "links": _page_links(request, page.total, page.limit, page.offset),
            "query": urlencode(
                [
                    (k, v)
                    for k, v in request.query_params.multi_items()
                    if k not in ("offset", "limit")
                ]
            ),
        },
    )


@router.get("/incidents/{incident_id}")
def incident_page(
    request: Request,
    incident_id: str,
    source_offset: int = Query(0, ge=0, le=MAX_OFFSET),
) -> Response:
    """An incident's fields and, a page at a time, its sources with their evidence marked."""
    queries = _queries(request)
    found = queries.incident(
        incident_id, source_offset=source_offset, source_limit=SOURCES_PER_PAGE
    )
    if found is None:
        raise HTTPException(404, f"no incident {incident_id!r}")
    found = _reviewed(request, found)
    documents = found["documents"]
    total = found["documents_total"]
    # Sources are numbered in the incident's order, on every page alike.
    doc_index = {d: n for n, d in enumerate(found["incident"]["document_ids"])}
    shown = {d["id"] for d in documents}

    here = {doc_index[d] for d in shown}

    def page_of(n: int) -> str:
        """The query that shows source n (empty for one on this page)."""
        return "" if n in here else f"?source_offset={n - n % SOURCES_PER_PAGE}"

    source_href = {d: f"{page_of(n)}#src{n}" for d, n in doc_index.items()}
    record_ids = (
        [e["id"] for e in found["events"]]
        + [f["id"] for f in found["figures"]]
        + [c["id"] for c in found["claims"]]
    )
    rows = queries.evidence_rows(records=record_ids)
    per_doc, links = _field_spans(rows, doc_index, shown=shown, page_of=page_of)
    sources = [
        {
            "doc": d,
            "n": doc_index[d["id"]],
            "html": highlight(d["text"], per_doc.get(doc_index[d["id"]], []), doc_index[d["id"]]),
        }
        for d in documents
    ]
    incident_figures = found["incident"].get("figures") or []
    if total > SOURCES_PER_PAGE:
        # The values the page's sources report; the range still counts every source.
        incident_figures = [
            {**f, "values": [v for v in f["values"] if v.get("document_id") in shown]}
            for f in incident_figures
        ]
        incident_figures = [f for f in incident_figures if f["values"]]
    first = min(source_offset, total)
    pages = {
        "first": first + 1,
        "last": first + len(documents),
        "total": total,
        "size": SOURCES_PER_PAGE,
        "paged": total > SOURCES_PER_PAGE or source_offset > 0,
        "prev": f"?source_offset={max(0, first - SOURCES_PER_PAGE)}#sources" if first > 0 else None,
        "next": (
            f"?source_offset={first + SOURCES_PER_PAGE}#sources"
            if first + SOURCES_PER_PAGE < total
            else None
        ),
    }
    return request.app.state.templates.TemplateResponse(
        request,
        "incident.html",
        {
            "incident": found["incident"],
            "events": found["events"],
            "figures": {f["id"]: f for f in found["figures"]},
            "incident_figures": incident_figures,
            "claims": _group_claims(found["claims"]),
            "sources": sources,
            "source_pages": pages,
            "source_href": source_href,
            "evlinks": _evlinks(links),
            "doc_index": doc_index,
            "anchor": anchor,
        },
    )


@router.get("/documents/{document_id}")
def document_page(request: Request, document_id: str) -> Response:
    queries = _queries(request)
    doc = queries.document(document_id)
    if doc is None:
        raise HTTPException(404, f"no document {document_id!r}")
    rows = queries.evidence_rows(document_id=document_id)
    per_doc, links = _field_spans(rows, {document_id: 0})
    events = queries.events(Filters(), document_id=document_id, limit=MAX_LIMIT).items
    claims = queries.claims(document_id=document_id, limit=MAX_LIMIT).items
    figures = queries.figures(document_id=document_id, limit=MAX_LIMIT).items
    desk = getattr(request.app.state, "desk", None)
    if desk is not None:  # as reviewed, like every other read
        events, claims, figures = (
            desk.review.overlay(kind, records)
            for kind, records in (("event", events), ("claim", claims), ("figure", figures))
        )
    return request.app.state.templates.TemplateResponse(
        request,
        "document.html",
        {
            "doc": doc,
            "html": highlight(doc["text"], per_doc.get(0, []), 0),
            "events": events,
            "figures": figures,
            "claims": _group_claims(claims),
            "evlinks": _evlinks(links),
        },
    )


@router.get("/map")
def map_page(request: Request, filters: FiltersDep) -> Response:
    page = _queries(request).points(filters)
    view = map_view(page.items)
    return request.app.state.templates.TemplateResponse(
        request,
        "map.html",
        {
            "view": view,
            "countries": country_paths(),
            "located": page.total,
            "unlocated": page.extra["unlocated"],
            "params": dict(request.query_params),
            "filters": filters,
            "types": EVENT_TYPES,
        },
    )


@router.get("/chart")
def chart_page(
    request: Request,
    filters: FiltersDep,
    kind: str = Query("", pattern=r"^[a-z_]{0,40}$"),
) -> Response:
    """Reported cumulative tolls first; running totals of per-incident figures below."""
    queries = _queries(request)
    # Cumulative figures belong to no incident: only kind, claimant and dates apply to them.
    reported = queries.tolls(
        kind=kind or None,
        claimant=filters.claimant,
        date_from=filters.date_from,
        date_to=filters.date_to,
    )
    rows = [
        {
            "toll": toll,
            "point": point,
            "value": value_text(point),
            "href": evidence_href(point),
            "color": PALETTE[n % len(PALETTE)],
        }
        for n, toll in enumerate(reported.items)
        for point in toll["series"]
    ]
    running_kind = kind or "killed"
    running = queries.running_totals(filters, kind=running_kind)
    return request.app.state.templates.TemplateResponse(
        request,
        "chart.html",
        {
            "reported": reported,
            "toll_chart": toll_geometry(reported.items),
            "rows": rows,
            "tolls": running,
            "chart": chart_geometry(running),
            "kind": kind,
            "running_kind": running_kind,
            "kinds": FIGURE_KINDS,
            "params": dict(request.query_params),
            "filters": filters,
            "types": EVENT_TYPES,
        },
    )
