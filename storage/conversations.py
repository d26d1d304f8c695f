"""Dialogue state per chat, stored in the database so any worker (or a restart) can continue.

A state is a half-finished conversation, often a check-in holding the athlete's free text and
pain sites. One left alone for `STATE_TTL` is treated as gone: the athlete will not remember
answering two questions yesterday, a button pressed a day later must not complete it, and
health details should not linger in a table nobody reads. Expired states are deleted when
their chat is next read, and a few at a time on every write (`expire_states` does all).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from storage.schema import ConversationState, utcnow

STATE_TTL = dt.timedelta(hours=24)
_PURGE_PER_WRITE = 100


def _cutoff(now: dt.datetime | None) -> dt.datetime:
    return (now or utcnow()) - STATE_TTL


def load_state(
    session: Session, chat_key: str, *, now: dt.datetime | None = None
) -> tuple[str | None, dict[str, Any]]:
    """The chat's state name and data, or ``(None, {})`` when idle or expired."""
    row = session.get(ConversationState, chat_key)
    if row is None:
        return None, {}
    if row.updated_at < _cutoff(now):
        session.expunge(row)
        session.execute(
            delete(ConversationState).where(ConversationState.chat_key == chat_key),
            execution_options={"synchronize_session": False},
        )
        return None, {}
    return row.state, dict(row.data or {})


def save_state(
    session: Session,
    chat_key: str,
    person_id: int | None,
    state: str,
    data: dict[str, Any],
    *,
    now: dt.datetime | None = None,
) -> None:
    """Remember where the chat is (and sweep a few expired states of other chats)."""
    when = now or utcnow()
    expire_states(session, now=when, limit=_PURGE_PER_WRITE, keep=chat_key)
    row = session.get(ConversationState, chat_key)
    if row is None:
        session.add(ConversationState(chat_key=chat_key, person_id=person_id, state=state,
                                      data=dict(data), updated_at=when))
    else:
        row.state = state
        row.data = dict(data)
        row.person_id = person_id
        row.updated_at = when  # also when nothing else changed: the chat is alive


def clear_state(session: Session, chat_key: str) -> None:
    """Forget the chat's dialogue state (conversation finished or cancelled)."""
    session.execute(delete(ConversationState).where(ConversationState.chat_key == chat_key))


def expire_states(
    session: Session,
    *,
    now: dt.datetime | None = None,
    limit: int | None = None,
    keep: str | None = None,
) -> int:
    """Delete states untouched for `STATE_TTL`; returns how many.

    ``limit`` bounds the work done on a hot path. The rows are picked with ``FOR UPDATE SKIP
    LOCKED`` (PostgreSQL; SQLite has one writer anyway) so two workers sweeping at once never
    wait on, or deadlock over, a state the other is writing. ``keep`` spares the caller's own
    chat, which it is about to overwrite.
    """
    stale = select(ConversationState.chat_key).where(ConversationState.updated_at < _cutoff(now))
    if keep is not None:
        stale = stale.where(ConversationState.chat_key != keep)
    if limit is not None:
        stale = stale.limit(limit)
    keys = list(session.scalars(stale.with_for_update(skip_locked=True)))
    if not keys:
        return 0
    session.execute(
        delete(ConversationState).where(ConversationState.chat_key.in_(keys)),
        execution_options={"synchronize_session": "fetch"},
    )
    return len(keys)
