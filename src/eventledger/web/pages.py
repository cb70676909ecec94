"""The server-rendered pages: incident list, incident, document, map and chart."""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from importlib import resources
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, Response
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, select_autoescape

from eventledger.storage.queries import MAX_LIMIT, MAX_OFFSET, SORTS, Filters, Queries
from eventledger.web import labels
from eventledger.web.evidence import evidence_links, field_spans
from eventledger.web.highlight import anchor, highlight
from eventledger.web.svg import (
    chart_geometry,
    country_paths,
    evidence_href,
    map_marks,
    map_view,
    toll_colors,
    toll_geometry,
    value_text,
)

__all__ = ["EVENT_TYPES", "FIGURE_KINDS", "SOURCES_PER_PAGE", "error_page", "router", "templates"]

# An incident page shows this many sources at a time (an incident may have hundreds).
SOURCES_PER_PAGE = 20
# The map draws at most this many incidents (and says so when there are more):
# a ledger of 10,000 located incidents is drawn whole, in about 3 MB of SVG.
MAP_POINTS = 20_000

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
    # The human words for codes (web.labels), for every template.
    env.globals.update({name: getattr(labels, name) for name in labels.__all__})
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
    country: str | None = Query(None, max_length=100),
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
            country=country,
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


def _group_claims(claims: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Claims grouped by speaker, then by stance."""
    groups: dict[str, dict[str, list[dict[str, Any]]]] = defaultdict(lambda: defaultdict(list))
    for claim in claims:
        speaker = labels.actor_name(claim.get("speaker") or {})
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


# The list's sortable columns: (heading, sort key); the key is one of storage's SORTS.
SORTABLE = {"date": "When", "type": "What", "place": "Where", "country": "Country"}
# The orders offered in the list's form (the column headings offer them too).
SORT_CHOICES = (
    ("-date", "newest first"),
    ("date", "oldest first"),
    ("type", "type, A to Z"),
    ("place", "place, A to Z"),
    ("country", "country code, A to Z"),
)
# The formats the list offers to download its rows in (api.routers.exports serves them).
DOWNLOADS = (("csv", "CSV"), ("acled", "ACLED"))


def _sort_links(request: Request, sort: str) -> dict[str, dict[str, str]]:
    """Per sortable column: the link that sorts by it (reversing the current order
    when it is the one in force) and its aria-sort state."""
    params = [(k, v) for k, v in request.query_params.multi_items() if k not in ("sort", "offset")]
    out = {}
    for key in SORTABLE:
        current = sort.lstrip("-") == key
        descending = sort.startswith("-")
        # A first click sorts dates newest first and names from A.
        target = (
            ("" if descending else "-") + key if current else ("-" if key == "date" else "") + key
        )
        out[key] = {
            "href": "?" + urlencode([*params, ("sort", target)]),
            "state": ("descending" if descending else "ascending") if current else "none",
        }
    return out


def _list_rows(queries: Queries, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The list's rows: each incident with its perpetrators and headline toll in words."""
    events = queries.events_by_id([e for inc in items for e in inc.get("event_ids", [])])
    rows = []
    for inc in items:
        own = [events[e] for e in inc.get("event_ids", []) if e in events]
        asserted = [e for e in own if e.get("factuality", "asserted") == "asserted"] or own
        rows.append(
            {
                "incident": inc,
                "what": labels.what_text(inc, asserted),
                "perpetrators": labels.perpetrators(asserted),
                "sources": len(inc.get("sources") or inc.get("document_ids") or []),
            }
        )
    return rows


@router.get("/")
def incident_list(
    request: Request,
    filters: FiltersDep,
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
    limit: int = Query(50, ge=1, le=MAX_LIMIT),
    sort: str = Query("-date", max_length=20),
) -> Response:
    if sort not in SORTS:
        raise HTTPException(422, f"sort {sort!r} is not one of {', '.join(SORTS)}")
    queries = _queries(request)
    page = queries.incidents(filters, limit=limit, offset=offset, sort=sort)
    kept = [
        (k, v)
        for k, v in request.query_params.multi_items()
        if k not in ("offset", "limit", "sort") and v != ""
    ]
    desk = getattr(request.app.state, "desk", None)
    if desk is not None:  # as reviewed, like every other read
        from eventledger.review.overlay import overlay_incidents

        page = dataclasses.replace(page, items=overlay_incidents(desk.review, page.items))
    return request.app.state.templates.TemplateResponse(
        request,
        "incidents.html",
        {
            "page": page,
            "rows": _list_rows(queries, page.items),
            "filters": filters,
            "params": dict(request.query_params),
            "types": EVENT_TYPES,
            "links": _page_links(request, page.total, page.limit, page.offset),
            "sort": sort,
            "sortable": SORTABLE,
            "sort_links": _sort_links(request, sort),
            "sort_choices": SORT_CHOICES,
            "query": urlencode(kept),
            # Every matching row, not only this page: the filters, without paging.
            "downloads": [
                (label, "/api/export?" + urlencode([("format", fmt), *kept]))
                for fmt, label in DOWNLOADS
            ],
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
    records = {r["id"]: r for r in (*found["events"], *found["figures"], *found["claims"])}
    per_doc, links = field_spans(rows, doc_index, records=records, shown=shown, page_of=page_of)
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
    incident = found["incident"]
    # The summary's what and by whom come from the first page of sources on every
    # page (its toll and source count from the whole incident record): one page
    # of an incident reported 300 times never reads all 300 reports' events.
    first_page = incident["document_ids"][:SOURCES_PER_PAGE]
    every_event = (
        list(queries.events_by_id(incident.get("event_ids", []), document_ids=first_page).values())
        if first > 0
        else found["events"]
    )
    # The linker names events in `why`: each is told by the source of its document.
    source_of_event = {
        event: doc_index[doc]
        for event, doc in queries.event_documents(incident.get("event_ids", [])).items()
        if doc in doc_index
    }
    return request.app.state.templates.TemplateResponse(
        request,
        "incident.html",
        {
            "summary": labels.incident_summary(incident, every_event),
            "why": labels.why_items(incident.get("why") or [], source_of_event, doc_index),
            "incident": incident,
            "events": found["events"],
            "figures": {f["id"]: f for f in found["figures"]},
            "incident_figures": incident_figures,
            "claims": _group_claims(found["claims"]),
            "sources": sources,
            "source_pages": pages,
            "source_href": source_href,
            "evlinks": evidence_links(links),
            "doc_index": doc_index,
            "anchor": anchor,
        },
    )


def _with_summaries(queries: Queries, incidents: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each incident with its one-line summary (read over all its events)."""
    events = queries.events_by_id([e for i in incidents for e in i.get("event_ids", [])])
    return [
        {
            "incident": i,
            "summary": labels.incident_summary(
                i, [events[e] for e in i.get("event_ids", []) if e in events]
            ),
        }
        for i in incidents
    ]


@router.get("/documents/{document_id}")
def document_page(request: Request, document_id: str) -> Response:
    queries = _queries(request)
    doc = queries.document(document_id)
    if doc is None:
        raise HTTPException(404, f"no document {document_id!r}")
    rows = queries.evidence_rows(document_id=document_id)
    events = queries.events(Filters(), document_id=document_id, limit=MAX_LIMIT).items
    claims = queries.claims(document_id=document_id, limit=MAX_LIMIT).items
    figures = queries.figures(document_id=document_id, limit=MAX_LIMIT).items
    desk = getattr(request.app.state, "desk", None)
    if desk is not None:  # as reviewed, like every other read
        events, claims, figures = (
            desk.review.overlay(kind, records)
            for kind, records in (("event", events), ("claim", claims), ("figure", figures))
        )
    records = {r["id"]: r for r in (*events, *figures, *claims)}
    per_doc, links = field_spans(rows, {document_id: 0}, records=records)
    return request.app.state.templates.TemplateResponse(
        request,
        "document.html",
        {
            "doc": doc,
            "html": highlight(doc["text"], per_doc.get(0, []), 0),
            "events": events,
            "figures": figures,
            "claims": _group_claims(claims),
            "evlinks": evidence_links(links),
            "incidents": _with_summaries(queries, queries.incidents_of_document(document_id)),
        },
    )


@router.get("/map")
def map_page(request: Request, filters: FiltersDep) -> Response:
    page = _queries(request).points(filters, limit=MAP_POINTS)
    view = map_view(page.items)
    view["marks"] = map_marks(view)
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
    colors = toll_colors(reported.items)
    rows = [
        {
            "toll": toll,
            "point": point,
            "value": value_text(point),
            "href": evidence_href(point),
            "color": colors[n],
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
