"""The `watch` command: poll RSS/Atom feeds and ingest new entries as they appear."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from eventledger.errors import EventLedgerError

__all__ = ["watch"]


def watch(
    feeds_file: Annotated[Path, typer.Argument(help="A file of feed URLs, one a line.")],
    db: Annotated[
        str | None,
        typer.Option("--db", help="SQLite file or database URL (default: setting 'db')."),
    ] = None,
    every: Annotated[str, typer.Option("--every", help="Polling interval: 30s, 10m, 1h.")] = "10m",
    rounds: Annotated[
        int | None, typer.Option("--rounds", help="Stop after this many polls (default: never).")
    ] = None,
    config: Annotated[
        Path | None, typer.Option("--config", help="A TOML file of settings.")
    ] = None,
) -> None:
    """Poll RSS/Atom feeds (conditional requests, back-off on errors) and ingest new entries."""
    from eventledger.batch.watch import FeedWatcher, parse_every, read_feeds_file
    from eventledger.cli.main import _escape, _fail, _ledger, _settings

    console = Console(stderr=True, highlight=False, soft_wrap=True)
    try:
        interval = parse_every(every)
        urls = read_feeds_file(feeds_file)
        settings = _settings(config)
        ledger = _ledger(db, settings, create=True)  # it ingests, as `ingest` does
        watcher = FeedWatcher(urls, ledger, settings, every=interval)
        console.print(f"watching {len(urls)} feed(s) every {every}", markup=False)
        remaining = rounds
        while remaining is None or remaining > 0:
            # One round at a time, so each poll is reported as it happens.
            for result in watcher.run(rounds=1):
                if result.status == "error":
                    line = f"{result.url}: error ({result.error}); backing off"
                elif result.status == "not-modified":
                    line = f"{result.url}: not modified"
                else:
                    line = f"{result.url}: {result.stored} new article(s) stored"
                console.print(_escape(line), markup=False)
            if remaining is not None:
                remaining -= 1
                if remaining == 0:
                    break
            wait = min(f.due for f in watcher.feeds.values()) - watcher.clock()
            watcher.sleep(max(0.0, wait))
    except EventLedgerError as exc:
        _fail(exc)
    except KeyboardInterrupt:
        console.print("stopped", markup=False)
