"""The command line: parse, call the library, print. Errors from the library
are translated here, once, into messages and exit codes:
0 everything ingested, 1 some inputs rejected, 2 usage or configuration error,
3 the database failed (locked by another process, disk full, read-only)."""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from eventledger.errors import EventLedgerError

app = typer.Typer(
    help=(
        "Turn news reports into an incident ledger where every field is traced to its "
        "evidence.\n\nExit codes: 0 done (every input ingested or already stored), "
        "1 some inputs rejected (each listed), 2 usage or configuration error, "
        "3 the database failed (locked by another process, disk full, read-only)."
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

DbOption = Annotated[
    str | None, typer.Option("--db", help="SQLite file or database URL (default: setting 'db').")
]
ConfigOption = Annotated[
    Path | None, typer.Option("--config", help="A TOML file of settings (see default_config.toml).")
]


def _print_version(value: bool) -> None:
    if value:
        from eventledger import __version__

        print(f"eventledger {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            help="Print the version and exit.",
            callback=_print_version,
            is_eager=True,
        ),
    ] = False,
) -> None:
    """Options of the main command (its help text is the app's, above)."""


def _settings(config: Path | None, **flags):
    from eventledger.config import load_settings

    return load_settings(config, **flags)


def _ledger(db: str | None, settings, *, create: bool = False):
    """The ledger at --db (or the `db` setting). Only a command that stores
    (`create`) may make a new SQLite file: a mistyped path elsewhere would
    answer from an empty ledger. A URL (postgresql://...) is never checked."""
    from eventledger.errors import ConfigError
    from eventledger.storage import Ledger

    url = db or settings.db
    if not create and "://" not in url and not Path(url).expanduser().is_file():
        raise ConfigError(
            f"no ledger at {url!r}; check --db, or create one with "
            f"`eventledger ingest FILES --db {url}`"
        )
    return Ledger(url)


# Control characters (C0, DEL, C1) and bidirectional overrides in a file name or
# in an article's metadata could move the cursor, recolour or rewrite the
# terminal: they are printed as escapes (\x1b, \u202e), never as themselves.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _escape(value: object) -> str:
    """`value` as text safe to print on a terminal."""
    return _UNSAFE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), str(value))


# Exit codes (README, docs/cli.md): 1 is an ingest's "some inputs rejected".
EXIT_USAGE = 2
EXIT_STORAGE = 3


def _fail(exc: EventLedgerError) -> None:
    """Print the error on one line and exit: 3 for a database failure, else 2."""
    from eventledger.errors import StorageError

    message = _escape(" ".join(str(exc).split()))
    Console(stderr=True, soft_wrap=True).print(
        f"error [{exc.code}] {message}", markup=False, highlight=False
    )
    raise typer.Exit(EXIT_STORAGE if isinstance(exc, StorageError) else EXIT_USAGE)


@app.command()
def ingest(
    paths: Annotated[
        list[Path],
        # No checks here: a missing or unreadable path is rejected like one in a
        # folder (listed, exit 1), and the other paths are ingested.
        typer.Argument(help="Files or folders (folders recurse).", readable=False),
    ],
    db: DbOption = None,
    outlet: Annotated[str | None, typer.Option(help="Outlet for inputs that name none.")] = None,
    published: Annotated[
        str | None, typer.Option(help="ISO date for inputs that give none.")
    ] = None,
    config: ConfigOption = None,
    engine: Annotated[
        str,
        typer.Option(
            "--engine", help="local (this machine) or ray (pip install 'eventledger\\[ray]')."
        ),
    ] = "local",
    address: Annotated[
        str | None,
        typer.Option("--address", help="Ray cluster address (default: start a local Ray)."),
    ] = None,
    workers: Annotated[
        int | None,
        typer.Option(
            "--workers",
            help=(
                "local: processes that run the stages while this one stores, 0 runs them "
                "here (default: setting 'workers'; inputs under 'workers_min_articles' "
                "articles run here); ray: pipeline actors (default: one per CPU)."
            ),
        ),
    ] = None,
) -> None:
    """Read articles, extract events, figures and claims, and store them with evidence."""
    import functools

    from eventledger.batch.local import ingest as run_ingest

    console = Console(stderr=True, soft_wrap=True)
    try:
        if engine == "ray":
            from eventledger.batch.ray_engine import ingest_ray

            run_ingest = functools.partial(ingest_ray, address=address, workers=workers)
        elif engine != "local" or address is not None:
            from eventledger.errors import ConfigError

            raise ConfigError(
                f"--engine {engine!r}: choose local or ray; --address needs --engine ray"
            )
        else:
            run_ingest = functools.partial(run_ingest, workers=workers)
        settings = _settings(config)
        if published is not None:
            _check_iso(published)
        ledger = _ledger(db, settings, create=True)
        db_file = db or settings.db
        # A database inside an ingested folder must not be read as an article.
        own = [f"{db_file}{suffix}" for suffix in ("", "-wal", "-shm", "-journal")]
        with _progress(console) as progress:
            report = run_ingest(
                paths,
                ledger,
                settings,
                outlet=outlet,
                published=published,
                progress=progress,
                exclude=own,
            )
    except EventLedgerError as exc:
        _fail(exc)
        return
    out = Console(highlight=False, soft_wrap=True)
    out.print(
        f"stored {report.stored} article(s) ({report.revised} new revision(s)), "
        f"{report.unchanged} unchanged, {len(report.rejected)} rejected, "
        f"{report.failed_stages} stage failure(s) in {report.seconds:.1f}s"
    )
    for source, code, message in report.rejected:
        console.print(
            _escape(f"rejected [{code}] {source}: {message}"), markup=False, highlight=False
        )
    for d in getattr(report, "orphaned", []):
        console.print(
            _escape(
                f"decision {d['id']} ({d['action']} {d['record_kind']} {d['record_id']} by "
                f"{d['user']}) no longer applies: the revised article lost its record"
            ),
            markup=False,
            highlight=False,
        )
    raise typer.Exit(report.exit_code)


def _check_date(option: str, value: str) -> None:
    """ConfigError naming `option` unless `value` is a real calendar day, YYYY-MM-DD."""
    from datetime import date

    from eventledger.errors import ConfigError

    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise ConfigError(f"{option} {value!r} is not a date; write it YYYY-MM-DD")
    try:
        date.fromisoformat(value)
    except ValueError as exc:
        raise ConfigError(f"{option} {value!r} is not a day of the calendar ({exc})") from exc


def _check_iso(value: str) -> None:
    from datetime import date, datetime

    from eventledger.errors import ConfigError

    for parse in (date.fromisoformat, datetime.fromisoformat):
        try:
            parse(value)
            return
        except ValueError:
            pass
    raise ConfigError(f"--published {value!r} is not an ISO 8601 date such as 2024-03-12")


class _progress:
    """A rich progress line with articles per second on a terminal; nothing otherwise.
    Until the first report it says the model is loading: that is the slow start."""

    LOADING = "loading the model…"

    def __init__(self, console: Console) -> None:
        self.console = console
        self.bar = None

    def __enter__(self):
        if not self.console.is_terminal:
            return None
        from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

        self.bar = Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            TextColumn("{task.fields[rate]}"),
            TimeElapsedColumn(),
            console=self.console,
            transient=True,
        )
        self.bar.start()
        task = self.bar.add_task(self.LOADING, total=None, rate="")

        def update(done: int, _words: int) -> None:
            elapsed = self.bar.tasks[task].elapsed or 1e-9
            self.bar.update(
                task,
                completed=done,
                description=f"{done} articles",
                rate=f"{done / elapsed:.1f} articles/s",
            )

        return update

    def __exit__(self, *exc) -> None:
        if self.bar is not None:
            self.bar.stop()


@app.command()
def export(
    db: DbOption = None,
    format: Annotated[
        str,
        typer.Option(
            "--format",
            help=(
                "json, jsonl, csv, acled, ucdp, plover, insecurity, geojson, parquet, "
                "or decisions (the coders' decisions, as CSV)."
            ),
        ),
    ] = "json",
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="File to write (default: stdout).")
    ] = None,
    all_revisions: Annotated[
        bool, typer.Option("--all-revisions", help="Include superseded revisions.")
    ] = False,
    date_from: Annotated[
        str | None,
        typer.Option("--from", help="Only incidents on or after this date (YYYY-MM-DD)."),
    ] = None,
    date_to: Annotated[
        str | None,
        typer.Option("--to", help="Only incidents on or before this date (YYYY-MM-DD)."),
    ] = None,
    country: Annotated[
        str | None,
        typer.Option("--country", help="Only incidents in this country (ISO 3166 code: LB)."),
    ] = None,
    health_care: Annotated[
        bool, typer.Option("--health-care", help="Only incidents with an attack on health care.")
    ] = False,
    event_type: Annotated[
        str | None,
        typer.Option("--type", help="Only incidents of this ACLED event type ('Battles')."),
    ] = None,
    reviewed_only: Annotated[
        bool,
        typer.Option(
            "--reviewed-only", help="Only the records a coder accepted or edited (review_status)."
        ),
    ] = False,
    config: ConfigOption = None,
) -> None:
    """Write the ledger as JSON, JSON Lines, CSV or an exchange format (docs/exports.md).

    Every row carries its review_status (machine, accepted, edited, rejected);
    --format decisions writes the coders' decisions instead (who changed what).

    The filters are the web list's: with any of them, only the incidents that match
    are written, with the events, figures, claims and documents they rest on."""
    from eventledger.export import FORMATS

    writers = FORMATS
    if format not in writers:
        Console(stderr=True).print(
            f"error: unknown format {format!r}; choose one of {', '.join(writers)}", markup=False
        )
        raise typer.Exit(2)
    try:
        filters = _export_filters(date_from, date_to, country, health_care, event_type)
        if output is not None and not output.parent.is_dir():
            from eventledger.errors import ConfigError

            raise ConfigError(
                f"--output {str(output)!r}: no folder {str(output.parent)!r}; create it first"
            )
        settings = _settings(config)
        ledger = _ledger(db, settings)
        data = _reviewed_export(
            ledger, db or settings.db, filters, format, all_revisions, reviewed_only
        )
    except EventLedgerError as exc:
        _fail(exc)
        return
    write, binary = writers[format]
    try:
        if output is None:
            write(data, sys.stdout.buffer if binary else sys.stdout)
        elif binary:
            with output.open("wb") as fh:
                write(data, fh)
        else:
            with output.open("w", encoding="utf-8", newline="") as fh:
                write(data, fh)
    except EventLedgerError as exc:
        _fail(exc)
        return
    except OSError as exc:
        if output is None:  # stdout closed early (| head): the reader's choice
            raise
        from eventledger.errors import ConfigError

        reason = exc.strerror or str(exc)
        _fail(ConfigError(f"--output {str(output)!r}: cannot write: {reason}"))
        return
    if output is not None:
        wrote = (
            f"{len(data['decisions'])} decision(s)"
            if format == "decisions"
            else f"{len(data['incidents'])} incident(s), {len(data['events'])} event(s), "
            f"{len(data['documents'])} document(s)"
        )
        Console(stderr=True, highlight=False, soft_wrap=True).print(
            _escape(f"wrote {wrote} as {format} to {output}"), markup=False
        )


def _reviewed_export(ledger, url: str, filters, format: str, all_revisions: bool, reviewed_only):
    """The export with each record's review_status (only the reviewed ones with
    `reviewed_only`); for --format decisions, {"decisions": [...]}."""
    from eventledger.review import overlay_export
    from eventledger.storage.review import Review

    review = Review(ledger.url)
    try:
        if format == "decisions":
            return {"decisions": review.decisions()}
        ids = None if filters is None else _matching_incidents(url, filters)
        data = ledger.export(all_revisions=all_revisions, incident_ids=ids)
        return overlay_export(review, data, reviewed_only=reviewed_only)
    finally:
        review.close()


def _export_filters(
    date_from: str | None,
    date_to: str | None,
    country: str | None,
    health_care: bool,
    event_type: str | None,
):
    """The list filters (storage.queries.Filters, as the API and web pages build
    them) from export's options; None when none is given. A bad value is a
    ConfigError that names its option."""
    from eventledger.errors import ConfigError
    from eventledger.storage.queries import Filters

    if not any((date_from, date_to, country, health_care, event_type)):
        return None
    for option, value in (("--from", date_from), ("--to", date_to)):
        if value is not None:
            _check_date(option, value)
    if date_from and date_to and date_from > date_to:
        raise ConfigError(f"--from {date_from} is after --to {date_to}")
    if country is not None:
        from eventledger.export.rows import country as country_record

        if not re.fullmatch(r"[A-Za-z]{2}", country) or not country_record(country):
            raise ConfigError(
                f"--country {country!r} is not an ISO 3166 country code such as LB or SD"
            )
    if event_type is not None:
        from eventledger.web.pages import EVENT_TYPES

        if event_type not in EVENT_TYPES:
            raise ConfigError(
                f"--type {event_type!r} is not an event type; choose one of "
                + ", ".join(repr(t) for t in EVENT_TYPES)
            )
    return Filters.from_params(
        date_from=date_from,
        date_to=date_to,
        country=country,
        health_care=health_care,
        type=event_type,
    )


def _matching_incidents(url: str, filters) -> list[str]:
    from eventledger.storage.queries import Queries

    queries = Queries(url)
    try:
        return queries.incident_ids(filters)
    finally:
        queries.close()


@app.command()
def summary(db: DbOption = None, config: ConfigOption = None) -> None:
    """Print what the ledger holds: counts, then each incident with its figures."""
    try:
        settings = _settings(config)
        ledger = _ledger(db, settings)
        counts = ledger.summary()
        data = _reviewed_export(ledger, db or settings.db, None, "json", False, False)
    except EventLedgerError as exc:
        _fail(exc)
        return
    console = Console(highlight=False, width=None if sys.stdout.isatty() else 140)
    table = Table(title="eventledger")
    for key in counts:
        table.add_column(key, justify="right")
    table.add_row(*(str(v) for v in counts.values()))
    console.print(table)
    console.print(_incidents_table(data))


def _incidents_table(data: dict) -> Table:
    events = {e["id"]: e for e in data["events"]}
    docs = {d["id"]: d for d in data["documents"]}
    table = Table(title="incidents (asserted events, linked across reports)")
    for col, width in (
        ("when", 12),
        ("what", 34),
        ("where", 30),
        ("figures (claimant)", 44),
        ("sources", 18),
    ):
        table.add_column(col, overflow="fold", max_width=width)
    for inc in data["incidents"]:
        when = inc.get("date") or {}
        where = inc.get("place") or {}
        first = events.get(inc["event_ids"][0], {}) if inc["event_ids"] else {}
        health = " [health care]" if first.get("health_care") else ""
        figures = [
            ("  of which " if f.get("subgroup") else "")
            + f"{f['kind']} {f.get('group') or ''}: "
            + ", ".join(_value_text(v) for v in f["values"])
            + (" (disagree)" if f["disagreement"] else "")
            for f in inc.get("figures", [])
        ]
        outlets = source_lines(inc, docs)
        cells = (
            f"{when.get('start') or '?'}\n({when.get('precision') or 'unresolved'})",
            f"{inc['type']} / {first.get('subtype') or '-'}{health}",
            ", ".join(x for x in (where.get("facility"), where.get("name")) if x) or "unresolved",
            "\n".join(_escape(f) for f in figures) or "-",
            "\n".join(_escape(o) for o in outlets),
        )
        # Text, not markup: an outlet or a place may hold "[" or control characters.
        table.add_row(*(Text("\n".join(_escape(line) for line in c.split("\n"))) for c in cells))
    return table


def source_lines(inc: dict, docs: dict[str, dict]) -> list[str]:
    """One line per independent source of an incident: the story's outlet, then the
    outlets that reprinted it ("Levant Wire (+ Coastal Daily Herald)")."""
    lines = []
    for src in inc.get("sources") or [
        {"original": d, "outlets": [docs.get(d, {}).get("outlet") or "?"]}
        for d in inc["document_ids"]
    ]:
        origin = docs.get(src["original"], {}).get("outlet") or "?"
        copies = [o for o in src.get("outlets") or [] if o != origin]
        lines.append(origin + (f" (+ {', '.join(copies)})" if copies else ""))
    return lines


def _value_text(v: dict) -> str:
    lo, hi = v.get("min"), v.get("max")
    if lo is not None and lo == hi:
        size = f"{lo:g}"
    else:
        size = f"{'' if lo is None else f'{lo:g}'}-{'' if hi is None else f'{hi:g}'}"
    who = (v.get("claimant") or {}).get("name") or "unattributed"
    return f"{size} ({who})"


@app.command()
def status(db: DbOption = None, config: ConfigOption = None) -> None:
    """List inputs that were rejected and stages that failed on a document."""
    try:
        ledger = _ledger(db, _settings(config))
        rejections, failures = ledger.rejections(), ledger.failures()
    except EventLedgerError as exc:
        _fail(exc)
        return
    console = Console(highlight=False, soft_wrap=True)
    console.print(f"{len(rejections)} rejected input(s), {len(failures)} stage failure(s)")
    for r in rejections:
        again = f" ({r['count']} times, last {r['last_recorded_at']})" if r["count"] > 1 else ""
        console.print(
            _escape(f"rejected {r['source']}: [{r['code']}] {r['message']}{again}"), markup=False
        )
    for f in failures:
        console.print(
            _escape(f"failed {f['document_id']}: {f['stage']}: {f['message']}"), markup=False
        )


@app.command()
def incidents(db: DbOption = None, config: ConfigOption = None) -> None:
    """List incidents with the documents they rest on and their figures."""
    try:
        settings = _settings(config)
        ledger = _ledger(db, settings)
        data = _reviewed_export(ledger, db or settings.db, None, "json", False, False)
    except EventLedgerError as exc:
        _fail(exc)
        return
    docs = {d["id"]: d for d in data["documents"]}
    console = Console(highlight=False, soft_wrap=True)
    for inc in data["incidents"]:
        when = (inc.get("date") or {}).get("start") or "date unresolved"
        place = inc.get("place") or {}
        where = (
            ", ".join(x for x in (place.get("facility"), place.get("name")) if x)
            or "place unresolved"
        )
        review = inc.get("review_status", "machine")
        mark = "" if review == "machine" else f"  [{review}]"
        console.print(_escape(f"{inc['id']}  {inc['type']}  {when}  {where}{mark}"), markup=False)
        # One line per independent source; a wire story lists every outlet that carried it.
        sources = inc.get("sources") or [
            {"source_id": d, "document_ids": [d], "outlets": [], "original": d}
            for d in inc["document_ids"]
        ]
        for src in sources:
            original = docs.get(src["original"], {})
            outlets = ", ".join(src.get("outlets") or []) or original.get("outlet") or "?"
            copies = len(src["document_ids"]) - 1
            carried = (
                f" (+{copies} syndicated cop{'y' if copies == 1 else 'ies'})" if copies else ""
            )
            console.print(
                _escape(
                    f"    source {src['original']}: {outlets}{carried} — {original.get('title') or ''}"
                ),
                markup=False,
            )
        for f in inc.get("figures", []):
            values = ", ".join(
                f"{v['min']:g}"
                + ("" if v["max"] == v["min"] else f"-{v['max'] if v['max'] is not None else ''}")
                + f" ({(v.get('claimant') or {}).get('name') or 'unattributed'}"
                + (", syndicated copy" if v.get("copy") else "")
                + (", superseded)" if v.get("superseded_by") else ")")
                for v in f["values"]
                if v["min"] is not None
            )
            flag = "  DISAGREE" if f["disagreement"] else ""
            # A subgroup ("including three paramedics") is shown under its total, never as one.
            lead = "      of which " if f.get("subgroup") else "    "
            console.print(
                _escape(f"{lead}{f['kind']} {f.get('group') or ''}: {values}{flag}"), markup=False
            )
    # An attack is one incident, and a wire story with its syndicated copies one source.
    stories = {
        src["source_id"]
        for inc in data["incidents"]
        for src in inc.get("sources") or [{"source_id": d} for d in inc["document_ids"]]
    }
    documents = {d for inc in data["incidents"] for d in inc["document_ids"]}
    console.print(
        f"{len(data['incidents'])} incident(s) from {len(stories)} independent source(s)"
        f" ({len(documents)} document(s))",
        markup=False,
    )
    for toll in data.get("tolls", []):
        points = ", ".join(
            f"{p['as_of'] or 'undated'}: {p['min'] if p['min'] is not None else '?'}"
            + ("+" if p["max"] is None else "" if p["max"] == p["min"] else f"-{p['max']}")
            for p in toll["series"]
        )
        console.print(
            _escape(
                f"toll  {toll['kind']} {toll.get('group') or ''} "
                f"({toll.get('claimant') or 'unattributed'}): {points}"
            ),
            markup=False,
        )


@app.command()
def stages() -> None:
    """List the registered pipeline stages."""
    from eventledger.pipeline import registered

    for name in registered():
        print(name)


from eventledger.cli.serve import serve  # noqa: E402 (one module per command group)

app.command()(serve)


@app.command(name="config")
def show_config() -> None:
    """Print the commented default settings."""
    from eventledger.config import default_config_text

    print(default_config_text(), end="")


# Last: the watch and review commands reuse the helpers above.
from eventledger.cli.review import reprocess as _reprocess  # noqa: E402
from eventledger.cli.review import user_app as _user_app  # noqa: E402
from eventledger.cli.watch import watch as _watch  # noqa: E402

app.command(name="watch")(_watch)
app.command(name="reprocess")(_reprocess)
app.add_typer(_user_app, name="user")


def main() -> None:
    app()


if __name__ == "__main__":
    main()
