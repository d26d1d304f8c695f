"""Coaches' daily digests with python-telegram-bot's JobQueue, in the coach's time zone.

One job per coach, named ``digest:<telegram user id>``, rebuilt from the database at start and
re-read every minute (`resync`), like the reminders (`bot.reminders`). Every bot process
schedules every digest; the day's claim (`storage.approvals.claim`) lets one of them write it,
with the nudges, to the outbox in the same transaction, and the outbox sends it.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from typing import Any

from sqlalchemy.orm import Session as DbSession
from telegram.ext import Application, ContextTypes, JobQueue

from bot.dialogue import Dialogue
from bot.digest_text import digest_of
from bot.reminders import DIALOGUE_KEY, parse
from bot.services.digest import send_digest
from storage import groups, people
from storage.db import Database

log = logging.getLogger(__name__)

PREFIX = "digest:"


def job_name(user_id: int) -> str:
    """The job's name for that coach."""
    return f"{PREFIX}{user_id}"


def schedule(job_queue: JobQueue[Any], user_id: int, spec: str) -> None:
    """Set (or replace, or with ``"off"`` remove) the coach's daily digest."""
    for job in job_queue.get_jobs_by_name(job_name(user_id)):
        job.schedule_removal()
    parsed = parse(spec)
    if parsed is None:
        return
    job_queue.run_daily(run_digest, time=parsed[0], chat_id=user_id, user_id=user_id,
                        name=job_name(user_id), data=spec)


def write(dialogue: Dialogue, user_id: int, now: dt.datetime) -> int:
    """Claim and write the coach's digest of today (0 when claimed elsewhere or empty)."""
    def work(db: DbSession) -> int:
        coach = people.get_by_telegram_id(db, user_id)
        if coach is None or not people.has_consent(coach):
            return 0
        return send_digest(db, coach, now, dialogue.timezone, digest_of)

    return dialogue.database.run(work)


async def run_digest(context: ContextTypes.DEFAULT_TYPE) -> None:
    """The job: the digest and nudges into the outbox (the pipeline's sender delivers them)."""
    job = context.job
    dialogue = context.application.bot_data.get(DIALOGUE_KEY)
    if job is None or job.user_id is None or dialogue is None:
        return
    try:
        count = await asyncio.to_thread(write, dialogue, job.user_id, dt.datetime.now(dt.UTC))
        log.info("digest: %d messages written", count)
    except Exception:  # the next day's digest must still run
        log.exception("digest not written")


async def restore(application: Application, database: Database) -> int:
    """Schedule every stored digest; remove the jobs of digests turned off elsewhere."""
    if application.job_queue is None:
        return 0
    rows = await asyncio.to_thread(database.run, groups.digest_specs)
    stored = {job_name(user_id) for user_id, _ in rows}
    for job in application.job_queue.jobs():
        if job.name is not None and job.name.startswith(PREFIX) and job.name not in stored:
            job.schedule_removal()
    for user_id, spec in rows:
        if any(job.data == spec and not job.removed
               for job in application.job_queue.get_jobs_by_name(job_name(user_id))):
            continue
        try:
            schedule(application.job_queue, user_id, spec)
        except (ValueError, TypeError) as exc:
            log.warning("digest of user %s not restored: %s", user_id, type(exc).__name__)
    return len(rows)


async def resync(context: ContextTypes.DEFAULT_TYPE) -> None:
    """The periodic job: what another bot process stored since (a new time, off)."""
    dialogue = context.application.bot_data.get(DIALOGUE_KEY)
    if dialogue is not None:
        try:
            await restore(context.application, dialogue.database)
        except Exception as exc:  # a database outage: the next round reads again
            log.warning("digests not re-read: %s", type(exc).__name__)
