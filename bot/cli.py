"""The `coachloop` command: one typer app; each area registers its own commands.

Heavy libraries are imported inside the commands so `coachloop --help` stays fast.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from bot import i18n
from bot.commands import fitness as fitness_commands
from bot.commands import i18n as i18n_commands
from bot.commands import inbox as inbox_commands
from bot.commands import load as load_commands
from bot.commands import nlu as nlu_commands
from bot.commands import readiness as readiness_commands
from bot.commands import simulate as simulate_commands
from bot.commands import sync as sync_commands
from bot.commands import train as train_commands
from bot.commands import wearables as wearable_commands
from bot.config import Settings, load_settings
from storage.crypto import new_key
from storage.maintenance import rotate_encryption
from storage.people import find_person
from storage.research import consented_checkins
from storage.schema import Person

if TYPE_CHECKING:
    from bot.dialogue import Dialogue

app = typer.Typer(
    help="coachloop: chat-first training assistant.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
db_app = typer.Typer(help="Database schema.", no_args_is_help=True)
models_app = typer.Typer(help="Shipped and trained models.", no_args_is_help=True)
train_app = typer.Typer(help="Train models.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(models_app, name="models")
app.add_typer(train_app, name="train")

for area in (nlu_commands, load_commands, wearable_commands, train_commands, simulate_commands,
             fitness_commands, inbox_commands, readiness_commands, sync_commands,
             i18n_commands):
    area.register(app, train_app)


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Create or migrate the database to the newest schema."""
    from bot.wiring import open_migrated

    settings = load_settings()
    database = open_migrated(settings)
    typer.echo(f"database ready: {_where(settings)} ({database.dialect})")


@db_app.command("new-key")
def db_new_key() -> None:
    """Print a fresh encryption key for ENCRYPTION_KEY (free text and pain details)."""
    typer.echo(new_key())


@db_app.command("rotate-key")
def db_rotate_key() -> None:
    """Re-encrypt stored free text and pain details with the first key of ENCRYPTION_KEY."""
    from bot.wiring import open_migrated

    settings = load_settings()
    if settings.encryption_key is None:
        typer.echo("set ENCRYPTION_KEY=NEW_KEY,OLD_KEY first (newest first)", err=True)
        raise typer.Exit(2)
    database = open_migrated(settings)
    with database.session() as session:
        count = rotate_encryption(session)
    typer.echo(f"re-encrypted {count} check-in(s) with the newest key; the old key can go")


@app.command("export-research")
def export_research(
    out: Annotated[str, typer.Option(help="Folder for checkins.csv and summary.json")],
    epsilon: Annotated[float, typer.Option(help="Differential-privacy budget per count")] = 1.0,
    no_noise: Annotated[bool, typer.Option(help="Exact counts (internal use only)")] = False,
    seed: Annotated[int | None, typer.Option(help="Noise seed (reproducible exports)")] = None,
) -> None:
    """Write a de-identified research export (pseudonyms, age bands, day indices, DP counts)."""
    from bot.services.research import EXPORT_FIELDS, deidentify
    from bot.wiring import open_migrated

    database = open_migrated(load_settings())
    with database.session() as session:
        rows = consented_checkins(session)
    result = deidentify(rows, today=dt.datetime.now(dt.UTC).date(),
                        epsilon=None if no_noise else epsilon, seed=seed)
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / "checkins.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(EXPORT_FIELDS))
        writer.writeheader()
        writer.writerows(result.rows)
    summary = {"rows": len(result.rows), "epsilon": result.epsilon,
               "pain_people_by_site": result.pain_people_by_site}
    (folder / "summary.json").write_text(json.dumps(summary, indent=2), encoding="utf-8")
    typer.echo(f"wrote {len(result.rows)} de-identified rows to {folder}")


def _where(settings: Settings) -> str:
    if settings.database_url:
        return "DATABASE_URL (" + settings.database_url.split("@")[-1] + ")"
    return str(settings.sqlite_path)


@models_app.command("prepare")
def models_prepare() -> None:
    """Check that every shipped model loads (train a missing one from our own data)."""
    from bot.wiring import prepare_models

    for line in prepare_models(load_settings()):
        typer.echo(line)


@app.command()
def chat(
    role: Annotated[
        str | None, typer.Option("--as", help="athlete | coach | teacher (demo personas)")
    ] = None,
    user_id: Annotated[int, typer.Option(help="Local user id for this terminal")] = -1,
    name: Annotated[str, typer.Option(help="Your display name")] = "You",
    language: Annotated[
        str | None, typer.Option(help="Your app's language, as Telegram reports it: es, de, "
                                      "ru, zh-hans ... (/language in the chat stores a choice)")
    ] = None,
) -> None:
    """Chat in the terminal with the same dialogue as the Telegram bot.

    With --as coach or --as teacher, a line starting with "group:" is said in the persona's
    group chat (where you count as the group's admin).
    """
    from bot.terminal import follow_ups, in_language, run_chat, wait_for_jobs
    from bot.wiring import configure_logging, job_runner

    settings = load_settings()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    log_file = settings.data_dir / "coachloop.log"
    configure_logging(settings, log_file=log_file)  # keep the chat screen clean
    typer.echo(f"database: {_where(settings)}; log: {log_file}", err=True)
    dialogue = _dialogue_or_exit(settings)
    from bot.dialogue.broadcasts import render_copy
    from bot.dialogue.features import handle_with_alerts, persona_handler, terminal_persona

    handle, who = handle_with_alerts(dialogue), (user_id, name)
    if role:
        try:
            persona_id, _, _, persona_name = terminal_persona(role)
        except ValueError as exc:
            typer.echo(str(exc), err=True)
            raise typer.Exit(2) from exc
        handle, who = persona_handler(dialogue, role), (persona_id, persona_name)
    if language:
        handle = in_language(handle, language)
    runner = job_runner(settings, dialogue)
    runner.start()
    try:
        run_chat(handle, user_id=who[0], name=who[1],
                 later=follow_ups(dialogue.database, who[0]),
                 settle=lambda: wait_for_jobs(dialogue.database),
                 prepare=lambda reply: render_copy(dialogue, reply))
    finally:
        runner.stop()


def _dialogue_or_exit(settings: Settings) -> Dialogue:
    """Build the dialogue; a missing model ends the command with its fix, not a traceback."""
    from bot.wiring import build_dialogue
    from nlu.errors import NluError

    try:
        return build_dialogue(settings)
    except NluError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from exc


@app.command()
def bot(
    webhook: Annotated[bool, typer.Option(help="Use a webhook instead of polling")] = False,
) -> None:
    """Run the Telegram bot (polling, or webhook with a secret token)."""
    from bot.telegram_app import run_bot
    from bot.wiring import configure_logging

    settings = load_settings()
    configure_logging(settings)
    if settings.telegram_token is None:
        typer.echo("TELEGRAM_TOKEN is not set: `coachloop chat` is the terminal chat.", err=True)
        raise typer.Exit(2)
    typer.echo(f"database: {_where(settings)}", err=True)
    from bot.wiring import job_runner
    from nlu.errors import NluError

    dialogue = _dialogue_or_exit(settings)
    runner = job_runner(settings, dialogue)
    runner.start()
    try:
        run_bot(settings, dialogue, webhook=webhook)
    except NluError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from exc
    finally:
        runner.stop()


@app.command()
def worker(
    concurrency: Annotated[int, typer.Option(help="jobs run at once (processes)")] = 1,
    pool: Annotated[str, typer.Option(help="prefork | threads | solo")] = "prefork",
) -> None:
    """Run background jobs (full re-plans, first weeks) from the broker in BROKER_URL."""
    from bot.wiring import configure_logging, job_context, open_migrated, planning_config
    from bot.worker import configure_worker, make_celery, start_worker

    settings = load_settings()
    configure_logging(settings)
    if not settings.broker_url:
        typer.echo("BROKER_URL is not set: without a broker the bot runs its jobs itself "
                   "(e.g. BROKER_URL=amqp://guest:guest@127.0.0.1:5672//).", err=True)
        raise typer.Exit(2)
    if pool not in ("prefork", "threads", "solo") or concurrency < 1:
        raise typer.BadParameter("--pool prefork|threads|solo and --concurrency >= 1")
    open_migrated(settings).dispose()  # the schema is current; each process opens its own
    ctx = job_context(settings, planning_config(settings))
    configure_worker(settings.resolved_database_url, ctx)
    typer.echo(f"database: {_where(settings)}; jobs from the broker", err=True)
    start_worker(make_celery(settings.broker_url, settings.job_queue), concurrency=concurrency,
                 pool=pool)


@app.command()
def start() -> None:
    """What `make run` starts: the Telegram bot when TELEGRAM_TOKEN is set (environment or
    .env), else the terminal chat."""
    if load_settings().telegram_token is not None:
        bot(webhook=False)
    else:
        chat(role=None, user_id=-1, name="You")


def _person_day(athlete: str, date: str | None) -> tuple[int, dt.date]:
    """The athlete's id and the day asked for (default: today in the athlete's time zone,
    the day `/today` would answer for)."""
    from bot.services.planning import local_today
    from bot.wiring import open_migrated

    settings = load_settings()
    database = open_migrated(settings)
    with database.session() as session:
        person = find_person(session, athlete)
        if person is None:
            typer.echo(f"no athlete {athlete!r} (use an id, @username or display name)", err=True)
            raise typer.Exit(2)
        person_id = person.id
        if date:
            try:
                day = dt.date.fromisoformat(date)
            except ValueError:
                typer.echo(f"--date must be an ISO date like 2026-12-01, not {date!r}", err=True)
                raise typer.Exit(2) from None
        else:
            day = local_today(person, dt.datetime.now(dt.UTC), settings.timezone)
    return person_id, day


@app.command()
def plan(
    athlete: Annotated[str, typer.Option(help="Id, @username or display name")],
    date: Annotated[str | None, typer.Option(help="ISO date (default today)")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON")] = False,
) -> None:
    """Print the session for a day, as /today does."""
    _print_plan(athlete, date, as_json, why=False)


@app.command()
def why(
    athlete: Annotated[str, typer.Option(help="Id, @username or display name")],
    date: Annotated[str | None, typer.Option(help="ISO date (default today)")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON")] = False,
) -> None:
    """Print why the session for a day looks as it does, as /why does."""
    _print_plan(athlete, date, as_json, why=True)


@app.command()
def calendar(
    athlete: Annotated[str, typer.Option(help="Id, @username or display name")],
    out: Annotated[Path, typer.Option(help="The .ics file to write")],
    weeks: Annotated[int, typer.Option(help="Weeks from today (1-8)")] = 2,
    date: Annotated[str | None, typer.Option(help="First day, ISO (default today)")] = None,
) -> None:
    """Write the coming weeks' sessions as an .ics file, as /calendar sends it.

    Events keep their UIDs across exports, so importing a newer file after a re-plan
    updates them (and removes the days that became rest days)."""
    from bot.calendar_file import MAX_WEEKS, person_calendar
    from bot.wiring import open_migrated, planning_config

    if not 1 <= weeks <= MAX_WEEKS:
        typer.echo(f"--weeks must be between 1 and {MAX_WEEKS}, not {weeks}", err=True)
        raise typer.Exit(2)
    if out.suffix.lower() != ".ics" or (out.exists() and out.is_dir()):
        typer.echo(f"--out must name an .ics file, not {str(out)[:80]!r}", err=True)
        raise typer.Exit(2)
    person_id, first = _person_day(athlete, date)
    settings = load_settings()
    database = open_migrated(settings)
    config = planning_config(settings)
    with database.session() as session:
        person = session.get(Person, person_id)
        if person is None:
            raise typer.Exit(2)
        with i18n.language(person.language):  # the athlete's own, as /calendar sends it
            data, sessions = person_calendar(session, person, first, weeks, config)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(data)
    typer.echo(f"wrote {out}: {7 * weeks} days from {first.isoformat()}, {sessions} sessions")


def _print_plan(athlete: str, date: str | None, as_json: bool, *, why: bool) -> None:
    from bot.render import session_text, why_text
    from bot.services.planning import plan_and_store
    from bot.wiring import open_migrated, planning_config

    person_id, day = _person_day(athlete, date)
    settings = load_settings()
    database = open_migrated(settings)
    with database.session() as session:
        person = session.get(Person, person_id)
        if person is None:
            raise typer.Exit(2)
        planned = plan_and_store(session, person, day, planning_config(settings))
    if as_json:
        payload = {
            "day": day.isoformat(),
            "title": planned.session.title,
            "intensity_factor": planned.session.intensity_factor,
            "volume_factor": planned.session.volume_factor,
            "exercises": [p.describe() for p in planned.session.prescriptions],
            "explanation": planned.explanation.as_dict(),
            "inputs": planned.inputs,
        }
        json.dump(payload, sys.stdout, indent=2, default=str)
        sys.stdout.write("\n")
    else:
        typer.echo(why_text(planned) if why else session_text(planned))


def main() -> None:
    """Console entry point."""
    app()


if __name__ == "__main__":
    main()
