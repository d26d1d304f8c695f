"""Repository for wearable-provider connections and the provider items already seen.

A connection's credentials are an encrypted JSON column (`storage.crypto`), so they are
encrypted at rest with the other secrets and re-encrypted by `coachloop db rotate-key`; they
are erased with the person (``ON DELETE CASCADE``, and `storage.privacy` walks the table) and
exported with the rest of their data, minus the credentials themselves (an export is a file
the athlete may forward; `privacy.SECRET_COLUMNS`). Nothing here talks to a provider.
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from storage.schema import Connection, SyncedItem

PROVIDERS = ("intervals", "strava", "oura")
ACTIVE, ERROR, REVOKED = "active", "error", "revoked"
PENDING, REVOKING = "pending", "revoking"  # OAuth: waiting for the code / for the revoke
ERROR_LENGTH = 300


def get(session: Session, person_id: int, provider: str) -> Connection | None:
    """The person's connection to ``provider``, or None."""
    return session.scalar(
        select(Connection).where(Connection.person_id == person_id, Connection.provider == provider)
    )


def list_for(session: Session, person_id: int) -> list[Connection]:
    """The person's connections, by provider name."""
    return list(
        session.scalars(
            select(Connection)
            .where(Connection.person_id == person_id)
            .order_by(Connection.provider)
        )
    )


def active(session: Session, provider: str | None = None) -> list[Connection]:
    """Every connection that may be synced (for the periodic pull), oldest import first."""
    query = select(Connection).where(Connection.status.in_([ACTIVE, ERROR]))
    if provider is not None:
        query = query.where(Connection.provider == provider)
    return list(
        session.scalars(
            query.order_by(Connection.last_import_at.asc().nulls_first(), Connection.id)
        )
    )


def by_external_athlete(session: Session, provider: str, athlete_id: str) -> Connection | None:
    """The connection a provider's push event names by its own athlete id."""
    return session.scalar(
        select(Connection).where(
            Connection.provider == provider, Connection.external_athlete_id == athlete_id
        )
    )


def save(
    session: Session,
    person_id: int,
    provider: str,
    credentials: dict[str, Any],
    *,
    external_athlete_id: str | None = None,
) -> Connection:
    """Create or replace the person's connection to ``provider`` (a reconnect starts clean)."""
    if provider not in PROVIDERS:
        raise ValueError(f"unknown provider {provider[:16]!r}; one of {', '.join(PROVIDERS)}")
    found = get(session, person_id, provider)
    if found is None:
        found = Connection(person_id=person_id, provider=provider)
        session.add(found)
    found.credentials = dict(credentials)
    found.external_athlete_id = external_athlete_id
    found.status = ACTIVE
    found.last_error = None
    session.flush()
    return found


def save_pending(session: Session, person_id: int, provider: str, nonce: str) -> Connection:
    """An OAuth connection waiting for the provider's code; ``nonce`` checks it is ours.

    A connection already working keeps its tokens until the new code arrives.
    """
    found = get(session, person_id, provider)
    if found is not None and found.status in (ACTIVE, ERROR):
        found.credentials = {**found.credentials, "state": nonce}
        return found
    found = save(session, person_id, provider, {"state": nonce})
    found.status = PENDING
    return found


def accept_code(session: Session, person_id: int, provider: str, nonce: str, code: str) -> bool:
    """Store the code of the authorisation we asked for (``nonce`` must match); False else."""
    found = get(session, person_id, provider)
    expected = str((found.credentials or {}).get("state", "")) if found is not None else ""
    if found is None or not nonce or not secrets.compare_digest(expected, nonce):
        return False
    credentials = {k: v for k, v in found.credentials.items() if k != "state"}
    found.credentials = {**credentials, "code": code}
    return True


def activate(session: Session, person_id: int, provider: str, credentials: dict[str, Any],
             external_athlete_id: str | None) -> None:
    """Tokens from a finished OAuth exchange (or a refresh): the connection works."""
    found = get(session, person_id, provider)
    if found is None:  # disconnected while the exchange ran: keep nothing
        return
    found.credentials = dict(credentials)
    if external_athlete_id is not None:
        found.external_athlete_id = external_athlete_id
    if found.status == PENDING:
        found.status = ACTIVE


def set_status(connection: Connection, status: str) -> None:
    """Change the status (e.g. ``revoking`` while the provider is told)."""
    connection.status = status


def set_credentials(connection: Connection, credentials: dict[str, Any]) -> None:
    """New tokens after a refresh (a new dict: JSON columns do not track in-place changes)."""
    connection.credentials = dict(credentials)


def record_import(connection: Connection, at: dt.datetime, cursor: dt.datetime | None) -> None:
    """A successful import: when, and where the next one resumes."""
    connection.last_import_at = at
    if cursor is not None and (connection.cursor is None or cursor > connection.cursor):
        connection.cursor = cursor
    connection.status = ACTIVE
    connection.last_error = None


def rewind(connection: Connection, day: dt.date) -> None:
    """Move the cursor back to ``day``: the next import reads from there again."""
    connection.cursor = dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC)


def record_error(connection: Connection, message: str) -> None:
    """A failed import, in words the athlete can act on (never a token, never a value)."""
    connection.status = ERROR
    connection.last_error = message[:ERROR_LENGTH]


def revoke(connection: Connection) -> None:
    """The provider withdrew access: the tokens are erased, the row says so, syncing stops."""
    connection.credentials = {}
    connection.status = REVOKED
    connection.last_error = "access was withdrawn on the provider's side; /connect again"


def remove(session: Session, connection: Connection) -> None:
    """Delete the connection and its tokens (what /disconnect does after revoking)."""
    session.execute(delete(Connection).where(Connection.id == connection.id))


def seen(session: Session, person_id: int, source: str, external_id: str) -> bool:
    """True when this provider item was imported (or matched, or skipped) before."""
    return (
        session.scalar(
            select(SyncedItem.id).where(
                SyncedItem.person_id == person_id,
                SyncedItem.source == source,
                SyncedItem.external_id == external_id,
            )
        )
        is not None
    )


def mark_seen(
    session: Session,
    person_id: int,
    source: str,
    external_id: str,
    *,
    outcome: str,
    activity_id: int | None = None,
) -> None:
    """Remember a provider item, so that a re-sync skips it."""
    session.add(
        SyncedItem(
            person_id=person_id,
            source=source,
            external_id=external_id[:64],
            outcome=outcome,
            activity_id=activity_id,
        )
    )
    session.flush()


def forget_item(session: Session, person_id: int, source: str, external_id: str) -> None:
    """Forget an item (a provider said it changed: the next sync reads it again)."""
    session.execute(
        delete(SyncedItem).where(
            SyncedItem.person_id == person_id,
            SyncedItem.source == source,
            SyncedItem.external_id == external_id,
        )
    )
