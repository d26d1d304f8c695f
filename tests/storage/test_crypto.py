"""Free text and pain details encrypted at rest; key rotation; refusal without the key."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from sqlalchemy import JSON, Text, select, type_coerce

from storage import checkins, crypto, people
from storage.checkins import NewCheckIn
from storage.db import Database
from storage.maintenance import rotate_encryption
from storage.schema import CheckIn

SECRET_TEXT = "my left knee is killing me after the derby"


@pytest.fixture
def keys() -> Iterator[tuple[str, str]]:
    old, new = crypto.new_key(), crypto.new_key()
    crypto.configure(old)
    yield old, new
    crypto.configure(None)


def _store(db: Database) -> int:
    with db.session() as s:
        person = people.get_or_create_person(s, 1, "A")
        people.give_consent(s, person, {"health_data": True})
        row, _ = checkins.add_checkin(s, person, NewCheckIn(
            day=dt.date(2026, 11, 1), rpe=6, minutes=50, free_text=SECRET_TEXT,
            pain_sites=("knee",)))
        return row.id


def _raw(db: Database, row_id: int) -> tuple[str, object]:
    table = CheckIn.__table__
    with db.session() as s:
        text, pain = s.execute(
            select(type_coerce(table.c.free_text, Text), type_coerce(table.c.pain_sites, JSON))
            .where(table.c.id == row_id)
        ).one()
    return text, pain


def test_sensitive_fields_are_unreadable_in_the_database(
    database: Database, keys: tuple[str, str]
) -> None:
    row_id = _store(database)
    text, pain = _raw(database, row_id)
    assert text.startswith("enc:v1:") and "knee" not in text
    assert isinstance(pain, dict) and "knee" not in str(pain)
    with database.session() as s:
        row = s.get(CheckIn, row_id)
        assert row is not None
        assert (row.free_text, row.pain_sites) == (SECRET_TEXT, ["knee"])


def test_rotation_moves_every_value_to_the_new_key(
    database: Database, keys: tuple[str, str]
) -> None:
    old, new = keys
    row_id = _store(database)
    before = _raw(database, row_id)
    crypto.configure(f"{new},{old}")
    with database.session() as s:
        assert rotate_encryption(s) == 1
    after = _raw(database, row_id)
    assert after != before
    crypto.configure(new)  # the old key is gone: everything still reads
    with database.session() as s:
        row = s.get(CheckIn, row_id)
        assert row is not None and row.free_text == SECRET_TEXT and row.pain_sites == ["knee"]


def test_reading_without_the_key_fails_loudly(sqlite_db: Database, keys: tuple[str, str]) -> None:
    row_id = _store(sqlite_db)
    crypto.configure(None)
    with pytest.raises(Exception, match="ENCRYPTION_KEY"), sqlite_db.session() as s:
        s.get(CheckIn, row_id)


def test_without_a_key_values_are_stored_plainly(sqlite_db: Database) -> None:
    row_id = _store(sqlite_db)
    assert _raw(sqlite_db, row_id) == (SECRET_TEXT, ["knee"])


def test_a_malformed_key_is_refused_with_the_fix() -> None:
    with pytest.raises(ValueError, match="db new-key"):
        crypto.configure("not-a-key")
