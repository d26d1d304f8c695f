"""Connections at rest: encrypted, covered by the key rotation, erased by /forget."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Text, func, select, type_coerce

from bot.services.background import ask_periodic_pulls
from storage import connections, crypto, jobs
from storage.db import Database
from storage.maintenance import rotate_encryption
from storage.privacy import erase_person
from storage.schema import Connection, SyncedItem
from tests.wearables.conftest import add_person


def _raw(db: Database) -> str:
    with db.session() as s:
        value = s.scalar(select(type_coerce(Connection.credentials, Text)))
        assert value is not None
        return value


def test_the_key_rotation_re_encrypts_the_credentials(database: Database) -> None:
    old, new = crypto.new_key(), crypto.new_key()
    person = add_person(database)
    try:
        crypto.configure(old)
        with database.session() as s:
            connections.save(s, person, "intervals", {"api_key": "k3y-0f-ana-0000000"})
        before = _raw(database)
        crypto.configure(f"{new},{old}")
        with database.session() as s:
            assert rotate_encryption(s) >= 1
        after = _raw(database)
        assert after != before and "k3y-0f-ana" not in after
        crypto.configure(new)  # the old key can go
        with database.session() as s:
            row = connections.get(s, person, "intervals")
            assert row is not None and row.credentials == {"api_key": "k3y-0f-ana-0000000"}
    finally:
        crypto.configure(None)


def test_forget_erases_connections_and_the_items_seen(database: Database) -> None:
    person, other = add_person(database), add_person(database)
    with database.session() as s:
        for who in (person, other):
            connections.save(s, who, "strava", {"access_token": "t0ken-000000000000"})
            connections.mark_seen(s, who, "strava", "9001", outcome="skipped")
    with database.session() as s:
        erase_person(s, person)
    with database.session() as s:
        assert s.scalar(select(func.count()).select_from(Connection)) == 1
        assert s.scalar(select(func.count()).select_from(SyncedItem)) == 1
        assert connections.get(s, other, "strava") is not None


def test_the_periodic_pull_asks_once_per_period_for_working_connections(
    database: Database,
) -> None:
    working, revoked = add_person(database), add_person(database)
    with database.session() as s:
        connections.save(s, working, "intervals", {"api_key": "k3y-0000000000000"})
        gone = connections.save(s, revoked, "strava", {"access_token": "t0ken-000000000000"})
        connections.revoke(gone)
    now = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)
    assert database.run(lambda db: ask_periodic_pulls(db, now, 360)) == 1
    later = now + dt.timedelta(minutes=30)  # the same six-hour period, another process
    assert database.run(lambda db: ask_periodic_pulls(db, later, 360)) == 0
    next_period = now + dt.timedelta(hours=6)
    assert database.run(lambda db: ask_periodic_pulls(db, next_period, 360)) == 1
    keys = [j.key for j in database.run(lambda db: jobs.due(db))]
    assert len(keys) == 2 and all(k.startswith(f"sync:{working}:intervals:pull:") for k in keys)
