"""Downloads: the incidents the list filters match, in an export format, as a file."""

from __future__ import annotations

import io
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from eventledger.api.deps import FiltersDep, QueriesDep
from eventledger.api.errors import ApiError
from eventledger.api.schemas import ERRORS

router = APIRouter(prefix="/api/export", tags=["export"], responses=ERRORS)

# --format name -> (media type, file extension). Text formats only: a download is
# written in memory, and parquet needs an optional extra.
DOWNLOAD_FORMATS = {
    "csv": ("text/csv; charset=utf-8", "csv"),
    "acled": ("text/csv; charset=utf-8", "acled.csv"),
    "ucdp": ("text/csv; charset=utf-8", "ucdp.csv"),
    "insecurity": ("text/csv; charset=utf-8", "insecurity.csv"),
    "json": ("application/json", "json"),
    "jsonl": ("application/x-ndjson", "jsonl"),
    "plover": ("application/x-ndjson", "plover.jsonl"),
    "geojson": ("application/geo+json", "geojson"),
}


@router.get("", response_class=Response)
def export_incidents(
    request: Request,
    queries: QueriesDep,
    filters: FiltersDep,
    format: Annotated[
        str, Query(pattern="^(" + "|".join(DOWNLOAD_FORMATS) + ")$", description="export format")
    ] = "csv",
) -> Any:
    """Every incident the filters match (the web list's and `eventledger export`'s
    filters), with the events, figures, claims and documents they rest on, written
    as `eventledger export --format FORMAT` writes it; sent as a file to save."""
    from eventledger.export import FORMATS  # the writers load only when asked for

    exporter = request.app.state.export
    if exporter is None:
        raise ApiError(404, "this server does not offer downloads (no ledger to export from)")
    data = exporter(queries.incident_ids(filters))
    out = io.StringIO()
    write, _binary = FORMATS[format]
    write(data, out)
    media, extension = DOWNLOAD_FORMATS[format]
    return Response(
        out.getvalue().encode("utf-8"),
        media_type=media,
        headers={"content-disposition": f'attachment; filename="incidents.{extension}"'},
    )
