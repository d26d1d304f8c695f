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

from bot.dialogue import Dialogue
from bot.dialogue.account import reminder_text
from bot.services.planning import local_today, plan_and_store
from storage import groups, people
from storage.db import Database

log = logging.getLogger(__name__)


DIALOGUE_KEY = "dialogue"  # application.bot_data key, set by build_application


def todays_title(dialogue: Dialogue, user_id: int) -> str | None:
    """The title of today's session for the athlete (planned now if it is not yet)."""
    def work(db: DbSession) -> str | None:
        person = people.get_by_telegram_id(db, user_id)
        if person is None or not people.has_consent(person):
            return None
        day = local_today(person, dt.datetime.now(dt.UTC), dialogue.timezone)
        session = plan_and_store(db, person, day, dialogue.planning).session
        return "rest day" if session.is_rest else session.title

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
                        name=job_name(user_id))


async def remind(context: ContextTypes.DEFAULT_TYPE) -> None:
    """The job: a short nudge to check in (stops itself if the user blocked the bot)."""
    job = context.job
    if job is None or job.chat_id is None:
        return
    dialogue = context.application.bot_data.get(DIALOGUE_KEY)
    title = None
    if dialogue is not None and job.user_id is not None:
        try:
            title = await asyncio.to_thread(todays_title, dialogue, job.user_id)
        except Exception:  # the nudge matters more than naming the session
            log.exception("reminder: today's session could not be planned")
    try:
        await context.bot.send_message(job.chat_id, reminder_text(title))
    except Forbidden:
        job.schedule_removal()
    except TelegramError as exc:
        log.warning("reminder not sent: %s", type(exc).__name__)


async def restore(application: Application, database: Database) -> int:
    """Schedule every stored reminder (at start); returns how many."""
    if application.job_queue is None:
        log.warning("no job queue: install python-telegram-bot[job-queue] for reminders")
        return 0
    rows = await asyncio.to_thread(database.run, groups.reminder_specs)
    count = 0
    for user_id, spec in rows:
        try:  # one unreadable stored reminder must not keep the bot from starting
            schedule(application.job_queue, user_id, spec)
            count += 1
        except (ValueError, TypeError) as exc:
            log.warning("reminder of user %s not restored: %s", user_id, type(exc).__name__)
    return count
