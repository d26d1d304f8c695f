"""Daily check-in reminders with python-telegram-bot's JobQueue, in the athlete's time zone.

One job per athlete, named ``reminder:<telegram user id>``, so setting a new time replaces the
old job and /reminders off or /forget removes it. Jobs are rebuilt from the database at start
(`restore`), so a restart or another worker keeps the reminders.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy.orm import Session as DbSession
from telegram.error import Forbidden, TelegramError
from telegram.ext import Application, ContextTypes, JobQueue

from bot import i18n
from bot.dialogue import Dialogue
from bot.dialogue.account import reminder_text
from bot.i18n import _
from bot.render import session_title
from bot.services.planning import local_today, plan_and_store
from storage import groups, people
from storage.db import Database

log = logging.getLogger(__name__)


DIALOGUE_KEY = "dialogue"  # application.bot_data key, set by build_application


def todays_reminder(dialogue: Dialogue, user_id: int) -> str | None:
    """Today's reminder naming today's session (planned now if it is not yet), in the
    athlete's language: it is sent outside any turn of theirs."""
    def work(db: DbSession) -> str | None:
        person = people.get_by_telegram_id(db, user_id)
        if person is None or not people.has_consent(person):
            return None
        day = local_today(person, dt.datetime.now(dt.UTC), dialogue.timezone)
        session = plan_and_store(db, person, day, dialogue.planning).session
        with i18n.language(person.language):
            return reminder_text(_("rest day") if session.is_rest
                                 else session_title(session.title))

    return dialogue.database.run(work)


def job_name(user_id: int) -> str:
    """The job's name for that user."""
    return f"reminder:{user_id}"


def parse(spec: str) -> tuple[dt.time, str] | None:
    """``"HH:MM Area/City"`` -> a timezone-aware time; None for ``"off"``."""
    if spec == "off":
        return None
    when, _, zone = spec.partition(" ")
    hh, _, mm = when.partition(":")
    try:
        tz = ZoneInfo(zone or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        tz, zone = ZoneInfo("UTC"), "UTC"
    return dt.time(int(hh), int(mm), tzinfo=tz), zone or "UTC"


def cancel(job_queue: JobQueue[Any], user_id: int) -> None:
    """Remove the user's reminder job, if any."""
    for job in job_queue.get_jobs_by_name(job_name(user_id)):
        job.schedule_removal()


def schedule(job_queue: JobQueue[Any], user_id: int, spec: str) -> None:
    """Set (or replace, or with ``"off"`` remove) the user's daily reminder."""
    cancel(job_queue, user_id)
    parsed = parse(spec)
    if parsed is None:
        return
    when, _ = parsed
    job_queue.run_daily(remind, time=when, chat_id=user_id, user_id=user_id,
                        name=job_name(user_id), data=spec)


def claim(database: Database, user_id: int, zone: dt.tzinfo | None) -> bool:
    """Claim today's reminder of the user (their local day): only one claim a day succeeds,
    whichever bot process runs the schedule, and however often it restarts at that minute."""
    day = dt.datetime.now(zone or dt.UTC).date()
    return database.run(lambda s: groups.claim_reminder(s, user_id, day))


async def remind(context: ContextTypes.DEFAULT_TYPE) -> None:
    """The job: a short nudge to check in (stops itself if the user blocked the bot).

    Every bot process schedules every reminder (`resync`), so that one process dying does not
    stop them; the day's claim in the database lets exactly one of them send.
    """
    job = context.job
    if job is None or job.chat_id is None:
        return
    dialogue = context.application.bot_data.get(DIALOGUE_KEY)
    if dialogue is not None and job.user_id is not None:
        parsed = parse(job.data) if isinstance(job.data, str) else None
        zone = parsed[0].tzinfo if parsed is not None else None
        if not await asyncio.to_thread(claim, dialogue.database, job.user_id, zone):
            return
    text = None
    if dialogue is not None and job.user_id is not None:
        try:
            text = await asyncio.to_thread(todays_reminder, dialogue, job.user_id)
        except Exception:  # the nudge matters more than naming the session
            log.exception("reminder: today's session could not be planned")
    try:
        await context.bot.send_message(job.chat_id, text or reminder_text(None))
    except Forbidden:
        job.schedule_removal()
    except TelegramError as exc:
        log.warning("reminder not sent: %s", type(exc).__name__)


RESYNC_EVERY = 60.0  # seconds between two reads of the stored reminders


async def resync(context: ContextTypes.DEFAULT_TYPE) -> None:
    """The periodic job: schedule what another bot process stored since (a new time, /forget)."""
    dialogue = context.application.bot_data.get(DIALOGUE_KEY)
    if dialogue is not None:
        try:
            await restore(context.application, dialogue.database)
        except Exception as exc:  # a database outage: the next round reads again
            log.warning("reminders not re-read: %s", type(exc).__name__)


async def restore(application: Application, database: Database) -> int:
    """Schedule every stored reminder (at start); returns how many."""
    if application.job_queue is None:
        log.warning("no job queue: install python-telegram-bot[job-queue] for reminders")
        return 0
    rows = await asyncio.to_thread(database.run, groups.reminder_specs)
    stored = {job_name(user_id) for user_id, _ in rows}
    for job in application.job_queue.jobs():
        if job.name is not None and job.name.startswith("reminder:") and job.name not in stored:
            job.schedule_removal()  # turned off, or erased, elsewhere
    count = 0
    for user_id, spec in rows:
        if any(job.data == spec and not job.removed
               for job in application.job_queue.get_jobs_by_name(job_name(user_id))):
            count += 1
            continue  # scheduled already, at that time
        try:  # one unreadable stored reminder must not keep the bot from starting
            schedule(application.job_queue, user_id, spec)
            count += 1
        except (ValueError, TypeError) as exc:
            log.warning("reminder of user %s not restored: %s", user_id, type(exc).__name__)
    return count
