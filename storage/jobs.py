"""Background jobs: written with the action that asked for them, run once, results in the DB.

Why a table and not only a broker message: the job must survive what the broker does not
see. It is committed in the transaction of the check-in that caused it (a crash loses
neither), it is published to a worker after that commit (a broker that is down delays it,
never drops it), and it is marked done in the transaction of its own effects, so a message
delivered twice finds it done and changes nothing.

States: ``pending`` (to run; ``published_at`` says when a worker was last told),
``done``, ``failed`` (gave up after ``attempts``; the error's class and place only).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from storage.schema import BackgroundJob, utcnow

PENDING = "pending"
DONE = "done"
FAILED = "failed"
MAX_ATTEMPTS = 5
REPUBLISH_AFTER = dt.timedelta(minutes=5)  # a published job not done by then is sent again


@dataclass(frozen=True, slots=True)
class Job:
    """What a worker needs to run one job (a plain view, detached from the session)."""

    key: str
    kind: str
    person_id: int | None
    args: Mapping[str, Any]
    attempts: int


def _view(row: BackgroundJob) -> Job:
    return Job(row.key, row.kind, row.person_id, dict(row.args or {}), row.attempts)


def enqueue(session: Session, key: str, kind: str, *, person_id: int | None = None,
            args: Mapping[str, Any] | None = None) -> bool:
    """Ask for a job in the caller's transaction; False when ``key`` was asked for already.

    An insert that ignores a conflict on ``key``, so two processes asking at once store one.
    """
    values = {"key": key, "kind": kind, "person_id": person_id, "args": dict(args or {}),
              "status": PENDING, "attempts": 0, "created_at": utcnow(), "not_before": utcnow()}
    dialect = session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    result = session.execute(
        insert(BackgroundJob).values(**values).on_conflict_do_nothing(index_elements=["key"])
        .returning(BackgroundJob.id))  # a row back only when it was inserted
    return result.first() is not None


def lock_for_run(session: Session, key: str) -> Job | None:
    """The job, locked for this transaction, when it still has to run; else None.

    ``FOR UPDATE`` on PostgreSQL (SQLite's write transaction locks the whole database): two
    workers handed the same job run it one after the other, and the second finds it done.
    """
    row = session.scalar(select(BackgroundJob).where(BackgroundJob.key == key)
                         .with_for_update())
    if row is None or row.status != PENDING:
        return None
    return _view(row)


def finish(session: Session, key: str) -> None:
    """Mark done, in the transaction that holds the job's effects."""
    row = session.scalar(select(BackgroundJob).where(BackgroundJob.key == key))
    if row is None:  # the person was erased while the job ran: nothing left to mark
        return
    row.status = DONE
    row.finished_at = utcnow()
    row.attempts += 1
    row.error = None


def record_failure(session: Session, key: str, error: str, *,
                   max_attempts: int = MAX_ATTEMPTS) -> str:
    """Count a failed attempt; the job retries later with back-off, or fails for good.

    Returns the job's new status.
    """
    row = session.scalar(select(BackgroundJob).where(BackgroundJob.key == key)
                         .with_for_update())
    if row is None or row.status != PENDING:
        return row.status if row is not None else FAILED
    row.attempts += 1
    row.error = error[:200]
    if row.attempts >= max_attempts:
        row.status = FAILED
        row.finished_at = utcnow()
    else:
        row.not_before = utcnow() + dt.timedelta(seconds=min(2 ** row.attempts, 300))
        row.published_at = None
    return row.status


def due(session: Session, *, limit: int = 100, now: dt.datetime | None = None) -> list[Job]:
    """Pending jobs to hand to a worker: never published, or published long ago and not done
    (the worker died without a trace, or the broker lost the message), oldest first."""
    now = now or utcnow()
    rows = session.scalars(
        select(BackgroundJob)
        .where(BackgroundJob.status == PENDING, BackgroundJob.not_before <= now,
               or_(BackgroundJob.published_at.is_(None),
                   BackgroundJob.published_at < now - REPUBLISH_AFTER))
        .order_by(BackgroundJob.id).limit(limit)
    ).all()
    return [_view(r) for r in rows]


def mark_published(session: Session, keys: Sequence[str]) -> None:
    """Record that a worker was told about these jobs (so the dispatcher does not repeat)."""
    if not keys:
        return
    for row in session.scalars(select(BackgroundJob).where(BackgroundJob.key.in_(keys))):
        row.published_at = utcnow()


def status_of(session: Session, key: str) -> str | None:
    """A job's status, or None if it was never asked for (or its person was erased)."""
    return session.scalar(select(BackgroundJob.status).where(BackgroundJob.key == key))


def counts(session: Session) -> dict[str, int]:
    """How many jobs are in each status."""
    rows = session.execute(
        select(BackgroundJob.status, func.count()).group_by(BackgroundJob.status)).all()
    return {status: int(n) for status, n in rows}


def outstanding(session: Session) -> int:
    """Jobs still to run (what a benchmark waits for before it stops the clock)."""
    return int(session.scalar(select(func.count()).select_from(BackgroundJob)
                              .where(BackgroundJob.status == PENDING)) or 0)
