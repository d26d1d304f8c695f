"""The inbox of Telegram updates: each update is committed here before Telegram is told.

Why: Telegram forgets an update once it is confirmed (a webhook's 200, a getUpdates offset
past it). Committing the raw update first, in the same database as the data, makes "nothing
fetched is lost" and "stored once" database guarantees, not a cache's. An update is marked
``done`` in the transaction that applies its effects (`settle`), so after a crash it is either
wholly handled or still ``received`` and handled again.

A poison update (one that cannot be parsed, or whose handling raises, or that kills the
process) must never stop the bot: every handling attempt is counted before it starts
(`begin_attempt`), and an update that used up its attempts is quarantined as ``failed`` with
the class and place of its last error (never the message, which may quote a health value).
An operator sees and acts on those with ``coachloop inbox list|retry|drop``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from storage.schema import ProcessedUpdate, utcnow

RECEIVED = "received"
DONE = "done"
FAILED = "failed"
DROPPED = "dropped"
STATUSES = (RECEIVED, DONE, FAILED, DROPPED)
MAX_ERROR = 200


Keys = tuple[int | None, int | None]
"""An update's chat id and sender id (either may be missing), as `record_update` stores them."""


def record_update(session: Session, update_id: int, payload: str | None = None,
                  keys: Keys = (None, None)) -> bool:
    """Record a received update; True when it must be handled now.

    True on first sight, and for an update recorded earlier but never handled (the webhook
    inbox wrote it before answering, or the process died mid-handling). False for an update
    already handled or given up: a redelivery.
    """
    existing = session.get(ProcessedUpdate, update_id)
    if existing is not None:
        return existing.status == RECEIVED
    try:
        with session.begin_nested():
            session.add(ProcessedUpdate(update_id=update_id, payload=payload,
                                        chat_id=keys[0], user_id=keys[1]))
            session.flush()
    except IntegrityError:
        return False
    return True


def record_batch(session: Session, updates: Iterable[tuple[int, str]],
                 keys: dict[int, Keys] | None = None) -> list[int]:
    """Record a fetched batch (``(update_id, raw JSON)`` pairs, with each one's `Keys`);
    returns the ids that are new.

    Ids seen before are left as they are, whatever their status: a batch fetched again after a
    crash (its offset was never advanced) stores nothing twice.
    """
    batch = dict(updates)
    if not batch:
        return []
    known = set(session.scalars(
        select(ProcessedUpdate.update_id).where(ProcessedUpdate.update_id.in_(batch))
    ))
    new = [uid for uid in sorted(batch) if uid not in known]
    for uid in new:
        chat_id, user_id = (keys or {}).get(uid, (None, None))
        session.add(ProcessedUpdate(update_id=uid, payload=batch[uid], chat_id=chat_id,
                                    user_id=user_id))
    session.flush()
    return new


def status_of(session: Session, update_id: int) -> str | None:
    """``received``, ``done``, ``failed``, ``dropped`` or None when never seen."""
    row = session.get(ProcessedUpdate, update_id)
    return None if row is None else row.status


def mark(session: Session, update_id: int, status: str) -> None:
    """Mark an update handled (``done``) or given up; a ``done`` one drops its payload."""
    if status not in STATUSES:
        raise ValueError(f"unknown inbox status {status!r}")
    row = session.get(ProcessedUpdate, update_id)
    if row is None:
        raise ValueError(f"update {update_id} was never recorded")
    row.status = status
    row.processed_at = utcnow()
    if status in (DONE, DROPPED):
        row.payload = None


def settle(session: Session, update_id: int) -> None:
    """Mark ``update_id`` done inside the caller's transaction (the one holding its effects).

    An update handed to the handlers without going through the inbox (a test feeding the
    application directly) is recorded here, already done.
    """
    row = session.get(ProcessedUpdate, update_id)
    if row is None:
        session.add(ProcessedUpdate(update_id=update_id, status=DONE, processed_at=utcnow()))
        session.flush()
        return
    mark(session, update_id, DONE)


def begin_attempt(session: Session, update_id: int, *, after_earlier: bool = False) -> int:
    """Count one more handling attempt (committed before handling starts); returns the count.

    Counting before, not after, is what catches an update that kills the process: after the
    restart its count is already up, and enough restarts quarantine it.

    Returns 0, counting nothing, when the update is not the caller's to handle now: it is no
    longer pending (another bot process handled it), or, with ``after_earlier``, an older
    update of its chat or sender is still pending (`earlier_pending`).
    """
    row = session.get(ProcessedUpdate, update_id)
    if row is None:
        raise ValueError(f"update {update_id} was never recorded")
    if row.status != RECEIVED or (after_earlier and earlier_pending(session, update_id)):
        return 0
    row.attempts = (row.attempts or 0) + 1
    return row.attempts


def record_error(session: Session, update_id: int, error: str) -> None:
    """Remember the last error of a still-pending update (class and place only)."""
    row = session.get(ProcessedUpdate, update_id)
    if row is not None:
        row.error = error[:MAX_ERROR]


def last_error(session: Session, update_id: int) -> str | None:
    """The last error recorded for an update (None if none, or never seen)."""
    row = session.get(ProcessedUpdate, update_id)
    return None if row is None else row.error


def quarantine(session: Session, update_id: int, error: str) -> None:
    """Give up on an update: ``failed``, with its error; the payload stays for a retry."""
    row = session.get(ProcessedUpdate, update_id)
    if row is None:
        raise ValueError(f"update {update_id} was never recorded")
    row.status = FAILED
    row.error = error[:MAX_ERROR]
    row.processed_at = utcnow()


def pending(session: Session, limit: int = 100) -> Sequence[ProcessedUpdate]:
    """Updates received but not handled (to handle, or replay after a crash), oldest first."""
    return session.scalars(
        select(ProcessedUpdate)
        .where(ProcessedUpdate.status == RECEIVED)
        .order_by(ProcessedUpdate.update_id)
        .limit(limit)
    ).all()


def earlier_pending(session: Session, update_id: int) -> bool:
    """Whether an update of the same chat or sender, older than ``update_id``, is still to be
    handled: then this one must wait (another bot process stored the older one).

    Failed (quarantined) updates do not hold the chat up; an update without keys orders
    against nothing.
    """
    row = session.get(ProcessedUpdate, update_id)
    if row is None:
        return False
    same = [column == value for column, value in ((ProcessedUpdate.chat_id, row.chat_id),
                                                  (ProcessedUpdate.user_id, row.user_id))
            if value is not None]
    if not same:
        return False
    older = session.scalar(
        select(ProcessedUpdate.update_id)
        .where(ProcessedUpdate.status == RECEIVED, ProcessedUpdate.update_id < update_id,
               or_(*same))
        .limit(1)
    )
    return older is not None


def listing(
    session: Session, status: str | None = FAILED, limit: int = 100
) -> Sequence[ProcessedUpdate]:
    """Rows for an operator, newest first (``status`` None: every status)."""
    query = select(ProcessedUpdate)
    if status is not None:
        if status not in STATUSES:
            raise ValueError(f"status must be one of {', '.join(STATUSES)}")
        query = query.where(ProcessedUpdate.status == status)
    return session.scalars(query.order_by(ProcessedUpdate.update_id.desc()).limit(limit)).all()


def counts(session: Session) -> dict[str, int]:
    """How many updates are in each status."""
    rows = session.execute(
        select(ProcessedUpdate.status, func.count()).group_by(ProcessedUpdate.status)
    ).all()
    return {status: int(n) for status, n in rows}


def retry(session: Session, update_id: int) -> None:
    """Put a quarantined update back in line, its attempts reset (an operator's decision)."""
    row = session.get(ProcessedUpdate, update_id)
    if row is None:
        raise ValueError(f"update {update_id} is not in the inbox")
    if row.status != FAILED:
        raise ValueError(f"update {update_id} is {row.status}, not failed")
    if row.payload is None:
        raise ValueError(f"update {update_id} has no stored payload to retry")
    row.status = RECEIVED
    row.attempts = 0
    row.processed_at = None


def drop(session: Session, update_id: int) -> None:
    """Give up on a quarantined (or pending) update for good; its payload is deleted."""
    row = session.get(ProcessedUpdate, update_id)
    if row is None:
        raise ValueError(f"update {update_id} is not in the inbox")
    if row.status not in (FAILED, RECEIVED):
        raise ValueError(f"update {update_id} is {row.status}; only failed or pending ones "
                         "can be dropped")
    mark(session, update_id, DROPPED)
