"""`coachloop sync`: what /sync does, from the command line, with a progress bar.

Bad input (an unknown provider, a date that is not one, a date in the future, an athlete
without that connection) is answered with the right form and exit code 2, before anything is
read from a provider or written. The bar goes to stderr (tqdm), the report lines to stdout,
log lines to ``coachloop.log`` under the data directory, as `coachloop import` does.

Heavy libraries are imported inside the commands so `coachloop --help` stays fast.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import typer

from bot.config import load_settings
from storage import connections
from storage.people import find_person

PROVIDERS = ", ".join(connections.PROVIDERS)


def parse_since(value: str | None, today: dt.date) -> dt.date | None:
    """``--since`` as a date, not after today; ValueError with the right form."""
    if value is None:
        return None
    try:
        day = dt.date.fromisoformat(value.strip())
    except ValueError:
        raise ValueError(
            f"--since must be an ISO date like 2026-11-01, not {value[:20]!r}"
        ) from None
    if day > today:
        raise ValueError(
            f"--since {day.isoformat()} is in the future (today is {today.isoformat()} UTC)"
        )
    return day


def register(app: typer.Typer, train: typer.Typer) -> None:
    """Add `coachloop sync` to the app."""

    @app.command("sync")
    def sync(
        athlete: Annotated[str, typer.Option("--athlete", help="athlete id, @username or name")],
        provider: Annotated[str | None, typer.Option(help=f"one of {PROVIDERS}")] = None,
        since: Annotated[str | None, typer.Option(help="ISO date: import from this day")] = None,
    ) -> None:
        """Import what is new from an athlete's connections (intervals.icu, Strava)."""
        from tqdm import tqdm

        from bot.sync import SyncConfig
        from bot.sync.importer import sync_person
        from bot.wiring import configure_logging, open_migrated

        if provider is not None and provider not in connections.PROVIDERS:
            typer.echo(f"--provider must be one of {PROVIDERS}, not {provider[:20]!r}", err=True)
            raise typer.Exit(2)
        try:
            first = parse_since(since, dt.datetime.now(dt.UTC).date())
        except ValueError as exc:
            typer.echo(str(exc), err=True)
            raise typer.Exit(2) from None
        settings = load_settings()
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        configure_logging(settings, log_file=settings.data_dir / "coachloop.log")
        database = open_migrated(settings)
        with database.session() as session:
            person = find_person(session, athlete)
            if person is None:
                typer.echo(
                    f"no athlete matches {athlete!r} (use an id, @username or name)", err=True
                )
                raise typer.Exit(2)
            person_id, name = person.id, person.display_name
            linked = [
                c.provider
                for c in connections.list_for(session, person_id)
                if c.status in (connections.ACTIVE, connections.ERROR)
                and (provider is None or c.provider == provider)
            ]
        if not linked:
            what = provider or "any provider"
            typer.echo(
                f"{name} has no working connection to {what}: they send /connect "
                f"{provider or 'intervals'} in the private chat first",
                err=True,
            )
            raise typer.Exit(2)
        config = SyncConfig.from_settings(settings)
        failed = False
        for each in linked:
            with tqdm(desc=each, unit="item", total=0, leave=False) as bar:

                def progress(done: int, total: int, bar: tqdm = bar) -> None:
                    bar.total = total
                    bar.n = done
                    bar.refresh()

                report = sync_person(
                    database,
                    config,
                    person_id,
                    each,
                    since=first,
                    progress=progress,
                    max_bytes=settings.max_upload_bytes,
                )
            typer.echo(f"{name}: {report.text()}")
            failed = failed or report.error is not None
        if failed:
            raise typer.Exit(1)
