"""The inbox of Telegram updates: each update id is recorded once, before it is handled.

Why: Telegram re-delivers updates (polling after a crash, webhook retries). Recording the id in
the same database as the data makes "stored once" a database guarantee, not a cache's.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from storage.schema import ProcessedUpdate, utcnow


def record_update(session: Session, update_id: int, payload: str | None = None) -> bool:
    """Record a received update; True when it must be handled now.

    True on first sight, and for an update recorded earlier but never handled (the webhook
    inbox wrote it before answering, or the process died mid-handling). False for an update
    already handled or given up: a redelivery.
    """
    existing = session.get(ProcessedUpdate, update_id)
    if existing is not None:
        return existing.status == "received"
    try:
        with session.begin_nested():
            session.add(ProcessedUpdate(update_id=update_id, payload=payload))
            session.flush()
    except IntegrityError:
        return False
    return True


def status_of(session: Session, update_id: int) -> str | None:
    """``received``, ``done``, ``failed`` or None when never seen."""
    row = session.get(ProcessedUpdate, update_id)
    return None if row is None else row.status


def mark(session: Session, update_id: int, status: str) -> None:
    """Mark an update handled (``done``) or given up (``failed``); drops its payload."""
    row = session.get(ProcessedUpdate, update_id)
    if row is None:
        raise ValueError(f"update {update_id} was never recorded")
    row.status = status
    row.processed_at = utcnow()
    row.payload = None


def pending(session: Session, limit: int = 100) -> Sequence[ProcessedUpdate]:
    """Updates received but not handled (to replay after a crash), oldest first."""
    return session.scalars(
        select(ProcessedUpdate)
        .where(ProcessedUpdate.status == "received")
        .order_by(ProcessedUpdate.update_id)
        .limit(limit)
    ).all()
