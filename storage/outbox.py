"""The outbox: replies committed with the update that caused them, sent afterwards.

Why: "stored" and "answered" cannot be one atomic step (Telegram is not our database), so the
answer is stored in the transaction that stores the effects, and sent from here. After a crash
the unsent rows are sent; nothing is recomputed, so a replay answers exactly what the first
attempt would have. The only window left is between Telegram accepting a message and the
``sent`` mark: a kill there sends that one message again (Telegram offers no idempotency key).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from storage.schema import OutboxMessage, utcnow

PENDING = "pending"
SENT = "sent"
FAILED = "failed"
BLOCKED = "blocked"
REPLY = "reply"
COPY = "copy"
REPORT = "report"


@dataclass(frozen=True, slots=True)
class Outgoing:
    """One message to store: its kind, target chat, body (the serialised reply)."""

    chat_id: int
    body: dict[str, Any] = field(default_factory=dict)
    kind: str = REPLY
    broadcast_id: int | None = None


def add(session: Session, update_id: int | None, messages: Sequence[Outgoing]) -> list[int]:
    """Store ``messages`` for ``update_id`` in the caller's transaction; returns their ids."""
    rows = [
        OutboxMessage(update_id=update_id, kind=m.kind, chat_id=m.chat_id, body=dict(m.body),
                      broadcast_id=m.broadcast_id)
        for m in messages
    ]
    session.add_all(rows)
    session.flush()
    return [r.id for r in rows]


def unsent(
    session: Session, *, update_id: int | None = None, kind: str | None = REPLY,
    broadcast_id: int | None = None, chat_id: int | None = None, limit: int = 1000,
) -> Sequence[OutboxMessage]:
    """Pending rows in the order they were committed (optionally of one update, broadcast or
    chat)."""
    query = select(OutboxMessage).where(OutboxMessage.status == PENDING)
    if update_id is not None:
        query = query.where(OutboxMessage.update_id == update_id)
    if chat_id is not None:
        query = query.where(OutboxMessage.chat_id == chat_id)
    if kind is not None:
        query = query.where(OutboxMessage.kind == kind)
    if broadcast_id is not None:
        query = query.where(OutboxMessage.broadcast_id == broadcast_id)
    return session.scalars(query.order_by(OutboxMessage.id).limit(limit)).all()


def loose(session: Session, *, chat_id: int | None = None,
          limit: int = 1000) -> Sequence[OutboxMessage]:
    """Pending replies no update caused (a background job's follow-up), oldest first."""
    query = select(OutboxMessage).where(
        OutboxMessage.status == PENDING, OutboxMessage.update_id.is_(None),
        OutboxMessage.kind == REPLY, OutboxMessage.broadcast_id.is_(None))
    if chat_id is not None:
        query = query.where(OutboxMessage.chat_id == chat_id)
    return session.scalars(query.order_by(OutboxMessage.id).limit(limit)).all()


def mark(session: Session, message_id: int, status: str, error: str | None = None) -> None:
    """Record a row's outcome; a sent row's body is dropped (it held health values)."""
    row = session.get(OutboxMessage, message_id)
    if row is None:
        raise ValueError(f"outbox message {message_id} does not exist")
    row.status = status
    row.error = None if error is None else error[:64]
    row.sent_at = utcnow()
    if status != PENDING:
        row.body = {}


def broadcasts_open(session: Session) -> list[int]:
    """Broadcasts with a copy or a report still to send (to resume after a restart)."""
    return sorted(set(session.scalars(
        select(OutboxMessage.broadcast_id)
        .where(OutboxMessage.status == PENDING, OutboxMessage.broadcast_id.is_not(None))
    )))


def outcomes(session: Session, broadcast_id: int) -> dict[int, tuple[str, str | None]]:
    """Per-student outcome of a broadcast's copies (chat id -> (status, error))."""
    rows = session.execute(
        select(OutboxMessage.chat_id, OutboxMessage.status, OutboxMessage.error)
        .where(OutboxMessage.broadcast_id == broadcast_id, OutboxMessage.kind == COPY)
        .order_by(OutboxMessage.id)
    ).all()
    return {int(chat): (status, error) for chat, status, error in rows}


def counts(session: Session) -> dict[str, int]:
    """How many rows are in each status."""
    rows = session.execute(
        select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)
    ).all()
    return {status: int(n) for status, n in rows}


def prune(session: Session, older_than: dt.timedelta = dt.timedelta(days=7)) -> int:
    """Delete settled rows older than ``older_than`` (their bodies are already gone)."""
    cutoff = utcnow() - older_than
    result = session.execute(
        delete(OutboxMessage).where(OutboxMessage.status != PENDING,
                                    OutboxMessage.sent_at < cutoff)
    )
    return int(getattr(result, "rowcount", 0) or 0)
