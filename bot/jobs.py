"""The background jobs and running one exactly once; where they run is `bot.jobrunner`'s.

A job's effects (the stored session, a follow-up message in the outbox) and its ``done`` mark
commit in one transaction, under a lock on the job's row: a job delivered twice (a worker
killed before it acknowledged, a republished message) finds it done and changes nothing, and
a crash mid-job leaves it pending to run again. A failure is counted on the row with its class
and place (never its message) and the job retries later with back-off; `storage.jobs` says
when it gives up.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session as DbSession

from bot import i18n
from bot.dialogue.features import coach_alerts
from bot.failures import describe
from bot.i18n import N_, _
from bot.outbox import encode
from bot.render import session_text, session_title
from bot.replies import Reply
from bot.services.background import FIRST_WEEK, REPLAN, REVOKE, SYNC
from bot.services.planning import PlanningConfig, local_today, plan_and_store, shown_session
from bot.services.policy import warm_up as policy_warm_up
from bot.sync import SyncConfig
from bot.sync.importer import revoke, sync_person
from models.registry import policy_dir
from planner.daily import PlannedDay
from storage import jobs, outbox, people
from storage.db import Database
from storage.jobs import Job
from storage.schema import Person

log = logging.getLogger(__name__)

SQLITE_PAUSE = 0.12  # seconds between two jobs on SQLite (see `run`)
RAN = "done"
SKIPPED = "skipped"  # done already, or never asked for: a repeated delivery


@dataclass(frozen=True, slots=True)
class JobContext:
    """What every job may use: the full planning (every model) of this installation, and
    the providers' addresses for the wearable sync."""

    planning: PlanningConfig
    sync: SyncConfig = field(default_factory=SyncConfig)
    max_upload_bytes: int = 20 * 2**20


JobFunction = Callable[[DbSession, Job, JobContext], None]


def _person(db: DbSession, job: Job) -> Person | None:
    """The job's person, while they still consent (an erased person has no jobs left)."""
    person = db.get(Person, job.person_id) if job.person_id is not None else None
    return person if person is not None and people.has_consent(person) else None


WHEN = {"today": N_("today"), "tomorrow": N_("tomorrow")}


def what_changed(shown: Mapping[str, Any], now: Mapping[str, Any],
                 when: str = "tomorrow") -> str | None:
    """A short sentence when the session differs in what the athlete would notice, else None.

    Rest or training, the title, the exercises: a dose moved by the policy's +/-5 % is not
    worth a message (the athlete sees it in /today and /why).
    """
    if not shown:
        return None
    day = _(WHEN[when]) if when in WHEN else when
    if shown.get("rest") != now.get("rest"):
        return (_("{when} is now a rest day in your week schedule") if now.get("rest")
                else _("{when} is now a training day in your week schedule")).format(when=day)
    if shown.get("title") != now.get("title"):
        return _("{when}'s session is now {title}").format(
            when=day, title=session_title(str(now.get("title"))))
    if list(shown.get("exercises", [])) != list(now.get("exercises", [])):
        return _("{when}'s exercises changed").format(when=day)
    return None


def follow_up_text(planned: PlannedDay, change: str, when: str = "tomorrow") -> str:
    """The follow-up: what changed, then the session as /today shows it."""
    day = _(WHEN[when]) if when in WHEN else when
    heading = (_("Update: {change}, now that your whole plan is worked out.").format(
        change=change) + "\n" + _("{title} ({when})").format(
        title=session_title(planned.session.title), when=day))
    return session_text(planned, heading=heading)


def replan(db: DbSession, job: Job, ctx: JobContext) -> None:
    """The full re-plan of a day a reply showed; a follow-up when it changed materially."""
    person = _person(db, job)
    if person is None:
        return
    day = dt.date.fromisoformat(str(job.args["day"]))
    planned = plan_and_store(db, person, day, ctx.planning)
    when = str(job.args.get("when") or "tomorrow")
    with i18n.language(person.language):  # sent outside any turn: in the athlete's language
        change = what_changed(job.args.get("shown") or {}, shown_session(planned), when)
        text = follow_up_text(planned, change, when) if change is not None else None
    chat_id = job.args.get("chat_id")
    if text is not None and chat_id is not None:
        outbox.add(db, None, [outbox.Outgoing(int(chat_id), encode(Reply(text)))])


def first_week(db: DbSession, job: Job, ctx: JobContext) -> None:
    """A new athlete's first plan (template, emphasis, ACO week) and first day, stored."""
    person = _person(db, job)
    if person is None:
        return
    plan_and_store(db, person, dt.date.fromisoformat(str(job.args["day"])), ctx.planning)


JOBS: dict[str, JobFunction] = {REPLAN: replan, FIRST_WEEK: first_week}


def warm_up(ctx: JobContext) -> None:
    """Load what jobs use (the policy, SHAP's compiled kernels, the fitness models) now.

    A worker's first job would otherwise load them inside its transaction, holding SQLite's
    write lock for seconds while the bot waits to store a check-in.
    """
    import models.fitness  # noqa: F401  # scikit-learn (~1 s): the plans' fitness models

    if ctx.planning.use_policy:
        policy_warm_up(policy_dir(ctx.planning.model_dir))


def sync(database: Database, key: str, ctx: JobContext) -> str:
    """A wearable import (or a revoke): its network calls outside any transaction, then
    ``done`` and the athlete's follow-up in one.

    Unlike the other jobs it cannot run inside the job's transaction (on SQLite the write
    lock would wait for the provider). Two workers handed the same sync at once import the
    same items: each item is stored once all the same (`storage.connections.seen` and the
    unique keys, checked in the item's own transaction), so only the work is repeated.
    """
    job = database.run(lambda db: jobs.lock_for_run(db, key))
    if job is None or job.person_id is None:
        return SKIPPED
    provider = str(job.args.get("provider", ""))
    person_id = job.person_id
    chosen = database.run(lambda db: getattr(db.get(Person, person_id), "language", None))
    with i18n.language(chosen):  # what they are told, in their language
        if job.kind == REVOKE:
            text = revoke(database, ctx.sync, person_id, provider)
        else:
            try:
                text = sync_person(database, ctx.sync, person_id, provider,
                                   max_bytes=ctx.max_upload_bytes).text()
            except ValueError as exc:  # the connection went away (or the consent) meanwhile
                text = _("Sync: {reason}.").format(reason=exc)
    chat_id = job.args.get("chat_id")

    def finish(db: DbSession) -> None:
        jobs.finish(db, key)
        if chat_id is not None:
            outbox.add(db, None, [outbox.Outgoing(int(chat_id), encode(Reply(text)))])
        if job.kind != REVOKE:
            _sync_alerts(db, person_id)

    database.run(finish)
    return RAN


def _sync_alerts(db: DbSession, person_id: int) -> None:
    """The coaches' red alert after an import, as after a check-in or an upload in the chat:
    a synced night of 4 h can turn an athlete red as the same night in a CSV does. In a
    savepoint: an alert that fails is logged and dropped, the import stays done."""
    person = db.get(Person, person_id)
    if person is None or not people.has_consent(person):
        return
    try:
        with db.begin_nested():
            today = local_today(person, dt.datetime.now(dt.UTC))
            alerts = coach_alerts(db, person, today)
            outbox.add(db, None, [outbox.Outgoing(r.chat_id, encode(r)) for r in alerts
                                  if r.chat_id is not None])
    except Exception:
        log.exception("readiness alert after a sync failed for person %s", person_id)


def run(database: Database, key: str, ctx: JobContext) -> str:
    """Run the job ``key`` once: ``done``, ``skipped`` (nothing to do), or the status the
    failure left (``pending`` to retry later, or ``failed``). Never raises for the job."""
    if key.startswith((f"{SYNC}:", f"{REVOKE}:")):
        try:
            return sync(database, key, ctx)
        except Exception as exc:  # as below: recorded, never the worker's end
            error = describe(exc)
            status = database.run(lambda db: jobs.record_failure(db, key, error))
            log.warning("job sync failed (%s): %s", status, error)
            return status

    def work(db: DbSession) -> str:
        job = jobs.lock_for_run(db, key)
        if job is None:
            return SKIPPED
        function = JOBS.get(job.kind)
        if function is None:
            raise LookupError(f"unknown job kind {job.kind!r}")
        function(db, job, ctx)
        jobs.finish(db, key)
        return RAN

    try:
        return database.run(work)
    except Exception as exc:  # the job's failure is recorded, never the worker's end
        error = describe(exc)
        status = database.run(lambda db: jobs.record_failure(db, key, error))
        log.warning("job %s failed (%s): %s", key.split(":")[0], status, error)
        return status
    finally:
        if database.dialect == "sqlite":
            # SQLite has one writer, and a worker that begins its next job the moment it
            # commits starves everyone else's busy-wait (their retries sleep up to 100 ms):
            # the pause lets the bot store a check-in between two jobs.
            time.sleep(SQLITE_PAUSE)
