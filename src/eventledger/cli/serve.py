"""`eventledger serve`: the HTTP API and the web UI over one ledger, read-only by default."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from eventledger.errors import EventLedgerError

__all__ = ["build_app", "serve"]


class _Submitter:
    """Ingests one submitted article at a time; loads the pipeline on first use."""

    def __init__(self, db: str, settings: Any) -> None:
        self.db = db
        self.settings = settings
        self.lock = threading.Lock()
        self.pipeline: Any = None

    def __call__(self, fields: dict[str, Any]) -> dict[str, Any]:
        from eventledger.batch.local import ingest_raw
        from eventledger.pipeline import Pipeline
        from eventledger.stages.ingest import RawArticle
        from eventledger.storage import Ledger

        raw = RawArticle(
            source="api",
            text=fields["text"],
            id=fields.get("id"),
            url=fields.get("url"),
            title=fields.get("title"),
            outlet=fields.get("outlet"),
            published=fields.get("published"),
        )
        with self.lock:
            if self.pipeline is None:
                self.pipeline = Pipeline.from_settings(self.settings)
            ledger = Ledger(self.db)
            try:
                before = {d.id for d in ledger.documents()}
                report = ingest_raw([raw], ledger, self.settings, pipeline=self.pipeline)
                added = [d.id for d in ledger.documents() if d.id not in before]
            finally:
                ledger.close()
        return {
            "stored": report.stored,
            "unchanged": report.unchanged,
            "rejected": [{"source": s, "code": c, "message": m} for s, c, m in report.rejected],
            "document_ids": added,
        }


def _exporter(db: str) -> Any:
    """Ledger.export of some incidents, on a connection of its own per download."""
    from eventledger.storage import Ledger

    def export(incident_ids: list[str]) -> dict[str, Any]:
        ledger = Ledger(db)
        try:
            return ledger.export(incident_ids=incident_ids)
        finally:
            ledger.close()

    return export


def build_app(db: str, settings: Any, *, api_token: str | None = None) -> Any:
    """The API and the web UI over the ledger `db` (which must exist)."""
    from fastapi.staticfiles import StaticFiles

    from eventledger import web
    from eventledger.api import create_app
    from eventledger.storage import Ledger
    from eventledger.storage.queries import Queries

    # Queries only read: bring an older ledger's schema (its full-text index,
    # migration 0005) up to date first.
    Ledger(db).close()
    from eventledger.review.desk import Desk

    token = getattr(settings, "api_token", "") if api_token is None else api_token
    app = create_app(
        Queries(db),
        api_token=token,
        ingest=_Submitter(db, settings) if token else None,
        export=_exporter(db),
        max_request_bytes=getattr(settings, "api_max_request_bytes", 1_000_000),
        max_article_chars=settings.max_article_chars,
        routers=[web.router],
        html_errors=web.error_page,
        desk=Desk(db, settings),
    )
    app.state.templates = web.templates()
    app.state.sessions = web.Sessions()
    app.mount("/static", StaticFiles(directory=web.static_dir()), name="static")
    return app


def _check_port(host: str, port: int) -> None:
    """ConfigError unless `host:port` can be bound now, so that a busy port is one
    clear line before "serving" rather than a server log after it."""
    import socket

    from eventledger.errors import ConfigError

    # As uvicorn binds (uvicorn.Config.bind_socket): IPv6 for a host with a colon,
    # and SO_REUSEADDR, so that a port in TIME_WAIT after a previous server is free.
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except (OSError, OverflowError, UnicodeError) as exc:
            import errno

            reason = (getattr(exc, "strerror", None) or str(exc)).rstrip(".")
            if getattr(exc, "errno", None) == errno.EADDRINUSE:
                hint = "another server is listening there; choose another --port"
            else:
                hint = "check --host and --port"
            raise ConfigError(f"cannot listen on {host}:{port}: {reason}; {hint}") from exc


def serve(
    db: Annotated[
        str | None,
        typer.Option("--db", help="SQLite file or database URL (default: setting 'db')."),
    ] = None,
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    config: Annotated[
        Path | None, typer.Option("--config", help="A TOML file of settings.")
    ] = None,
) -> None:
    """Serve the HTTP API (/api) and the web UI over a ledger, read-only unless api_token is set."""
    import uvicorn

    from eventledger.config import load_settings

    console = Console(stderr=True, highlight=False, soft_wrap=True)
    try:
        settings = load_settings(config)
        url = db or settings.db
        if "://" not in url and not Path(url).is_file():
            console.print(
                f"error: no ledger at {url!r}; create one with `eventledger ingest FILES --db {url}`",
                markup=False,
            )
            raise typer.Exit(2)
        app = build_app(url, settings)
        _check_port(host, port)
    except EventLedgerError as exc:
        from eventledger.errors import StorageError

        console.print(f"error [{exc.code}] {exc}", markup=False)
        raise typer.Exit(3 if isinstance(exc, StorageError) else 2) from exc
    Console(highlight=False).print(f"serving {url} at http://{host}:{port}/", markup=False)
    uvicorn.run(app, host=host, port=port, log_level="warning")
