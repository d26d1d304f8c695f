"""Dialogue state per chat, stored in the database so any worker (or a restart) can continue."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete
from sqlalchemy.orm import Session

from storage.schema import ConversationState


def load_state(session: Session, chat_key: str) -> tuple[str | None, dict[str, Any]]:
    """The chat's state name and data, or ``(None, {})`` when idle."""
    row = session.get(ConversationState, chat_key)
    if row is None:
        return None, {}
    return row.state, dict(row.data or {})


def save_state(
    session: Session, chat_key: str, person_id: int | None, state: str, data: dict[str, Any]
) -> None:
    """Remember where the chat is."""
    row = session.get(ConversationState, chat_key)
    if row is None:
        session.add(
            ConversationState(chat_key=chat_key, person_id=person_id, state=state, data=data)
        )
    else:
        row.state = state
        row.data = dict(data)
        row.person_id = person_id


def clear_state(session: Session, chat_key: str) -> None:
    """Forget the chat's dialogue state (conversation finished or cancelled)."""
    session.execute(delete(ConversationState).where(ConversationState.chat_key == chat_key))
