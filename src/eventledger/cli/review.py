"""The review commands: `user add|list|remove` and `reprocess`."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console

from eventledger.errors import EventLedgerError

__all__ = ["reprocess", "user_app"]

T = TypeVar("T")

DbOption = Annotated[
    str | None, typer.Option("--db", help="SQLite file or database URL (default: setting 'db').")
]
ConfigOption = Annotated[
    Path | None, typer.Option("--config", help="A TOML file of settings (see default_config.toml).")
]

user_app = typer.Typer(
    help=(
        "Users of the API and the web UI: viewer (reads), coder (records decisions), admin. "
        "With no user the server is read-only."
    ),
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _review(db: str | None, config: Path | None):
    from eventledger.cli.main import _ledger, _settings
    from eventledger.storage.review import Review

    ledger = _ledger(db, _settings(config))  # brings the schema up to date (0007)
    url = ledger.url
    ledger.close()
    return Review(url)


def _on_review(db: str | None, config: Path | None, act: Callable[[Any], T]) -> T:
    """`act` on the ledger's review store, closed after; an error is one line and an exit."""
    from eventledger.cli.main import _fail

    try:
        review = _review(db, config)
        try:
            return act(review)
        finally:
            review.close()
    except EventLedgerError as exc:
        _fail(exc)  # exits
        raise


@user_app.command("add")
def user_add(
    name: Annotated[str, typer.Argument(help="The user's name (letters, digits, _ . @ -).")],
    role: Annotated[str, typer.Option("--role", help="viewer, coder or admin.")] = "viewer",
    db: DbOption = None,
    config: ConfigOption = None,
) -> None:
    """Add a user and print their token once: only its hash is stored."""
    token = _on_review(db, config, lambda review: review.add_user(name, role))
    Console(stderr=True, highlight=False, soft_wrap=True).print(
        f"added {role} {name!r}. Their token (shown once, not stored; send it as "
        "'Authorization: Bearer TOKEN' or sign in with it):",
        markup=False,
    )
    print(token)


@user_app.command("list")
def user_list(db: DbOption = None, config: ConfigOption = None) -> None:
    """List the users: name, role, when added."""
    from eventledger.cli.main import _escape

    users = _on_review(db, config, lambda review: review.users())
    console = Console(highlight=False, soft_wrap=True)
    for user in users:
        console.print(f"{_escape(user.name)}  {user.role}  {user.created}", markup=False)
    console.print(f"{len(users)} user(s)", markup=False)


@user_app.command("remove")
def user_remove(
    name: Annotated[str, typer.Argument(help="The user's name.")],
    db: DbOption = None,
    config: ConfigOption = None,
) -> None:
    """Remove a user: their token stops working; their decisions stay."""
    from eventledger.cli.main import _escape

    _on_review(db, config, lambda review: review.remove_user(name))
    Console(highlight=False).print(_escape(f"removed {name!r}"), markup=False)


def reprocess(
    db: DbOption = None,
    stages: Annotated[
        list[str] | None,
        typer.Option(
            "--stages",
            help=(
                "Run only these configured stages (repeat the option; default: the whole "
                "pipeline). A stage left out finds nothing in this run."
            ),
        ),
    ] = None,
    config: ConfigOption = None,
) -> None:
    """Run the pipeline again on the stored documents (after an upgrade) and say what changed.

    Every human decision whose record is found again is kept; those whose record is gone are
    listed for a coder to look at."""
    from eventledger.batch.reprocess import reprocess as run_reprocess
    from eventledger.batch.reprocess import stages_to_run
    from eventledger.cli.main import _escape, _fail, _ledger, _progress, _settings

    console = Console(stderr=True, soft_wrap=True)
    try:
        settings = _settings(config)
        # --stages a,b and --stages a --stages b alike.
        wanted = [n.strip() for s in stages or () for n in s.split(",") if n.strip()]
        names = stages_to_run(settings, wanted)
        ledger = _ledger(db, settings)
        try:
            with _progress(console) as progress:
                report = run_reprocess(ledger, settings, stages=names, progress=progress)
        finally:
            ledger.close()
    except EventLedgerError as exc:
        _fail(exc)
        return
    out = Console(highlight=False, soft_wrap=True)
    out.print(
        f"reprocessed {report.documents} document(s) with {len(report.stages)} stage(s) "
        f"in {report.seconds:.1f}s, {report.failed_stages} stage failure(s)",
        markup=False,
    )
    for kind in ("event", "figure", "claim"):
        out.print(
            f"{kind}s: {report.before[kind]} -> {report.after[kind]} "
            f"(+{report.added[kind]} new, -{report.removed[kind]} gone)",
            markup=False,
        )
    out.print(f"incidents: {report.incidents_before} -> {report.incidents_after}", markup=False)
    replayed = report.replay
    out.print(
        f"merges and splits: {len(replayed.applied)} applied again, "
        f"{len(replayed.unchanged)} holding already, {len(replayed.gone)} without their events",
        markup=False,
    )
    out.print(f"{len(report.orphaned)} decision(s) whose record is gone", markup=False)
    for d in report.orphaned:
        out.print(
            _escape(
                f"  decision {d['id']} by {d['user']} at {d['at']}: {d['action']} "
                f"{d['record_kind']} {d['record_id']}"
                + (f" {d['field']}" if d["field"] else "")
                + (f" ({d['reason']})" if d["reason"] else "")
            ),
            markup=False,
        )
