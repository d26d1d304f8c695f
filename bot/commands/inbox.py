"""`coachloop inbox list|retry|drop`: what the bot could not handle, and an operator's answer.

An update that is not an Update, or whose handling failed on every attempt, is quarantined in
the inbox (``failed``) instead of stopping the bot. These commands show those rows (id, when,
attempts, the error's class and place; never the message, which is a person's health data),
put one back in line after a fix (``retry``: the running bot takes it within a second), or
give up on it for good (``drop``: its stored payload is deleted).

Heavy libraries are imported inside the commands so `coachloop --help` stays fast.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated

import typer

from bot.config import load_settings
from storage import inbox

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from storage.db import Database

inbox_app = typer.Typer(help="Updates the bot could not handle (quarantined).",
                        no_args_is_help=True)


def _database() -> Database:
    from bot.wiring import open_migrated

    return open_migrated(load_settings())


@inbox_app.command("list")
def list_rows(
    status: Annotated[str, typer.Option(
        help="failed | received | done | dropped | all")] = "failed",
    limit: Annotated[int, typer.Option(min=1, max=10_000)] = 50,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per row")] = False,
) -> None:
    """Quarantined updates (or another status), newest first, with the inbox's counts."""
    database = _database()
    wanted = None if status == "all" else status
    try:
        with database.session() as session:
            rows = [(r.update_id, r.received_at, r.status, r.attempts, r.error)
                    for r in inbox.listing(session, wanted, limit)]
            counts = inbox.counts(session)
    except ValueError as exc:
        typer.echo(f"error: {exc} (or all)", err=True)
        raise typer.Exit(2) from exc
    if as_json:
        for update_id, at, state, attempts, error in rows:
            typer.echo(json.dumps({"update_id": update_id, "received_at": at.isoformat(),
                                   "status": state, "attempts": attempts, "error": error}))
        return
    summary = ", ".join(f"{n} {s}" for s, n in sorted(counts.items())) or "empty"
    typer.echo(f"inbox: {summary}")
    if not rows:
        typer.echo(f"no {status} updates")
        return
    typer.echo(f"{'update':>12}  {'received (UTC)':19}  {'status':8}  tries  error")
    for update_id, at, state, attempts, error in rows:
        typer.echo(f"{update_id:>12}  {at:%Y-%m-%d %H:%M:%S}  {state:8}  {attempts:>5}  "
                   f"{error or ''}")


def _apply(action: Callable[[Session, int], None], update_id: int, session: Session) -> None:
    action(session, update_id)


def _act(update_ids: list[int], verb: str) -> None:
    action = {"retry": inbox.retry, "drop": inbox.drop}[verb]
    database = _database()
    failed = False
    for update_id in update_ids:
        try:
            database.run(functools.partial(_apply, action, update_id))
        except ValueError as exc:
            typer.echo(f"{exc}", err=True)
            failed = True
            continue
        done = "back in line (attempts reset)" if verb == "retry" else "dropped (payload deleted)"
        typer.echo(f"update {update_id}: {done}")
    if failed:
        raise typer.Exit(1)


@inbox_app.command("retry")
def retry(update_ids: Annotated[list[int], typer.Argument(help="Update ids to retry")]) -> None:
    """Put quarantined updates back in line; the running bot handles them next."""
    _act(update_ids, "retry")


@inbox_app.command("drop")
def drop(update_ids: Annotated[list[int], typer.Argument(help="Update ids to drop")]) -> None:
    """Give up on quarantined (or pending) updates for good; their payload is deleted."""
    _act(update_ids, "drop")


def register(app: typer.Typer, train_app: typer.Typer) -> None:
    """Add ``coachloop inbox ...``."""
    app.add_typer(inbox_app, name="inbox")
