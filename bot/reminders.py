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

from telegram.error import Forbidden, TelegramError
from telegram.ext import Application, ContextTypes, JobQueue

from bot.dialogue.account import reminder_text
from storage import groups
from storage.db import Database

log = logging.getLogger(__name__)


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
    try:
        await context.bot.send_message(job.chat_id, reminder_text(None))
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
    for user_id, spec in rows:
        schedule(application.job_queue, user_id, spec)
    return len(rows)
