"""A person's right of access and right to erasure: export everything, erase everything.

Both walk the schema's foreign keys instead of listing tables by hand, so a table added later
is exported and erased without anyone remembering to: a table belongs to the person when a
column references ``person.id`` (their rows), or when it references a row that does
(e.g. ``session_exercise`` -> ``prescribed_session``). Columns pointing at *another* person
(``coach_id``, ``actor_id``) are left out of the export: it contains nothing of others.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from sqlalchemy import Column, Table, delete, or_, select, update
from sqlalchemy.engine import CursorResult
from sqlalchemy.orm import Session

from storage.schema import (
    Base,
    ConversationState,
    DailyClaim,
    Group,
    Membership,
    Person,
    ProcessedUpdate,
    SentReminder,
)

SKIP_TABLES = {"processed_update"}  # Telegram update ids, payload dropped once handled
# a provider's API key or OAuth tokens: the athlete's, but an export is a file they may
# forward, and a key in it would open their provider account to whoever reads it
SECRET_COLUMNS = {"connection": {"credentials"}}


def _person_columns(table: Table) -> list[Column[Any]]:
    return [
        col for col in table.columns
        if any(fk.column.table.name == "person" for fk in col.foreign_keys)
    ]


def _owner_column(table: Table) -> Column[Any] | None:
    """The column that makes a row the person's own (``person_id`` first)."""
    cols = _person_columns(table)
    for col in cols:
        if col.name == "person_id":
            return col
    owners = [c for c in cols if c.name in ("sender_id", "subject_id")]
    return owners[0] if owners else None


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return value


def _rows(session: Session, table: Table, where: Any, drop: set[str]) -> list[dict[str, Any]]:
    result = session.execute(select(table).where(where)).mappings().all()
    return [{k: _plain(v) for k, v in row.items() if k not in drop} for row in result]


def export_person(session: Session, person_id: int) -> dict[str, Any]:
    """Every stored row about the person, as JSON-ready data, grouped by table."""
    person = session.get(Person, person_id)
    if person is None:
        raise ValueError("nothing stored about you")
    out: dict[str, Any] = {
        "format": "coachloop-export/1",
        "exported_at": dt.datetime.now(dt.UTC).isoformat(),
        "tables": {},
    }
    owned_ids: dict[str, list[int]] = {}
    for table in Base.metadata.sorted_tables:
        if table.name in SKIP_TABLES:
            continue
        if table.name == "person":
            rows = _rows(session, table, table.c.id == person_id, set())
        else:
            owner = _owner_column(table)
            parent = _owned_parent(table, owned_ids)
            others = {c.name for c in _person_columns(table) if c is not owner}
            others |= SECRET_COLUMNS.get(table.name, set())
            if owner is not None:
                rows = _rows(session, table, owner == person_id, others)
            elif parent is not None:
                col, ids = parent
                rows = _rows(session, table, col.in_(ids), others) if ids else []
            else:
                continue
        if "id" in table.c:
            owned_ids[table.name] = [int(r["id"]) for r in rows if r.get("id") is not None]
        out["tables"][table.name] = rows
    groups = session.execute(
        select(Group.title, Group.kind, Membership.role)
        .join(Membership)
        .where(Membership.person_id == person_id)
    ).all()
    out["groups"] = [{"title": t, "kind": k, "role": r} for t, k, r in groups]
    return out


def _owned_parent(
    table: Table, owned_ids: dict[str, list[int]]
) -> tuple[Column[Any], list[int]] | None:
    for col in table.columns:
        for fk in col.foreign_keys:
            parent = fk.column.table.name
            if parent in owned_ids and parent not in ("chat_group", "person"):
                return col, owned_ids[parent]
    return None


def export_json(session: Session, person_id: int) -> bytes:
    """The export as a UTF-8 JSON document (what /export sends)."""
    return json.dumps(export_person(session, person_id), indent=2, ensure_ascii=False,
                      sort_keys=True).encode()


def _count(result: Any) -> int:
    return int(result.rowcount or 0) if isinstance(result, CursorResult) else 0


def erase_person(session: Session, person_id: int) -> int:
    """Delete every row of the person and unlink them from rows of others; returns rows touched.

    Rows the person owns are deleted (``ON DELETE CASCADE`` does it, and we delete explicitly
    too, so erasure does not depend on the database enforcing foreign keys); references from
    other people's rows (a coach's override, an audit line they caused) are set to NULL.
    Conversation state is keyed by chat and user id, so it is deleted by key as well.
    """
    person = session.get(Person, person_id)
    if person is None:
        return 0
    telegram_id = person.telegram_user_id
    touched = 0
    for table in reversed(Base.metadata.sorted_tables):
        if table.name == "person":
            continue
        for col in _person_columns(table):
            if any(fk.ondelete == "SET NULL" for fk in col.foreign_keys):
                touched += _count(session.execute(
                    update(table).where(col == person_id).values({col.name: None})
                ))
            else:
                touched += _count(session.execute(delete(table).where(col == person_id)))
    touched += _count(session.execute(
        delete(ConversationState).where(
            or_(
                ConversationState.chat_key.like(f"%:{telegram_id}"),
                ConversationState.person_id == person_id,
            )
        )
    ))
    # keyed by Telegram id, not person: the reminders, digests and nudges sent, and the
    # inbox's ordering keys
    touched += _count(session.execute(
        delete(SentReminder).where(SentReminder.telegram_id == telegram_id)))
    touched += _count(session.execute(
        delete(DailyClaim).where(DailyClaim.telegram_id == telegram_id)))
    for column in (ProcessedUpdate.user_id, ProcessedUpdate.chat_id):
        touched += _count(session.execute(
            update(ProcessedUpdate).where(column == telegram_id).values({column.key: None})))
    touched += _count(session.execute(delete(Person).where(Person.id == person_id)))
    session.flush()
    session.expunge_all()
    return touched
