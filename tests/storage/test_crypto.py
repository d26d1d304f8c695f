"""Free text and pain details encrypted at rest; key rotation; refusal without the key.

The end-to-end tests drive a real check-in that mentions knee pain through the dialogue, then
read every column of every table with raw SQL: no word of the free text, and not "knee", may
be found outside ciphertext (conversation state, prescribed inputs, explanations, the inbox).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator

import pytest
from sqlalchemy import JSON, Text, inspect, select, text, type_coerce

from bot.dialogue import Dialogue
from bot.replies import Incoming, Reply
from nlu import NluEngine
from planner.catalogue import load_catalogue
from storage import checkins, conversations, crypto, groups, inbox, people, plans
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


# ---- every table, after a real dialogue ------------------------------------------------------

NOW = dt.datetime(2026, 11, 23, 18, 0, tzinfo=dt.UTC)
FULL_TEXT = "Brutal muddy derby, my knee is throbbing like crazy"
HALF_TEXT = "Swollen knee, grumpy, muddy derby"
OVERRIDE_NOTE = "Meniscus rehab: keep it gentle"
SECRET_WORDS = sorted({w.strip(",.:").lower() for t in (FULL_TEXT, HALF_TEXT, OVERRIDE_NOTE)
                       for w in t.split() if len(w.strip(",.:")) >= 4} | {"knee"})
TOKEN = re.compile(r"enc:v1:[A-Za-z0-9_\-=]+")


def _drive_checkins(dialogue: Dialogue) -> None:
    """Yesterday a full check-in with knee pain, today /today and /why, then one left half-done.

    The raw update of the half-done one also sits in the inbox, as if the process had died
    while handling it.
    """
    update_id = 100

    def send(text: str | None = None, button: str | None = None,
             at: dt.datetime = NOW) -> list[Reply]:
        nonlocal update_id
        update_id += 1
        return dialogue.handle(Incoming(user_id=7, chat_id=7, display_name="Ana",
                                        received_at=at, text=text, callback=button,
                                        update_id=update_id))

    yesterday = NOW - dt.timedelta(days=1)
    for step in ("/start", "consent:yes", "sex:F", "2007", "running", "/checkin", "rpe:7", "60",
                 "hooper:sleep_quality:3", "hooper:stress:2", "hooper:fatigue:5",
                 "hooper:soreness:6"):
        is_button = ":" in step
        assert send(None if is_button else step, step if is_button else None, at=yesterday)
    assert send(FULL_TEXT, at=yesterday)[0].text.startswith("Saved")
    assert "knee" in send("/today")[0].text + send("/why")[0].text
    with dialogue.database.session() as s:
        inbox.record_update(s, 9_999, json.dumps({"update_id": 9_999, "message": {
            "text": HALF_TEXT, "chat": {"id": 7}}}))
        ana = people.get_by_telegram_id(s, 7)
        assert ana is not None  # a coach's note about her knee is health data too
        groups.set_override(s, ana.id, ana.id, NOW.date() + dt.timedelta(days=1),
                            intensity_factor=0.8, volume_factor=1.0, note=OVERRIDE_NOTE)
    replies = send(HALF_TEXT)
    assert "RPE" in replies[-1].text  # asked for the effort: the state now holds the text


def _raw_dump(db: Database) -> dict[str, str]:
    """Every column of every table in the database, as the database returns it (raw SQL)."""
    out = {}
    with db.engine.connect() as conn:
        for name in inspect(conn).get_table_names():
            rows = conn.execute(text(f'SELECT * FROM "{name}"')).all()
            out[name] = "\n".join(" | ".join(str(v) for v in row) for row in rows)
    return out


def _catalogue_words() -> list[str]:
    """Exercise ids and names ("Knee push-ups") are catalogue data, not anyone's health."""
    exercises = load_catalogue().exercises.values()
    words = {e.id.lower() for e in exercises} | {e.name.lower() for e in exercises}
    return sorted(words, key=len, reverse=True)


def _plaintext_secrets(db: Database) -> dict[str, list[str]]:
    """Secret words found outside ciphertext (and outside exercise names), by table."""
    found = {}
    catalogue = _catalogue_words()
    for name, dump in _raw_dump(db).items():
        clear = TOKEN.sub("", dump).lower()
        for word in catalogue:
            clear = clear.replace(word, "")
        hits = [w for w in SECRET_WORDS if w in clear]
        if hits:
            found[name] = hits
    return found


@pytest.fixture
def keyed_dialogue(
    database: Database, nlu_engine: NluEngine, keys: tuple[str, str]
) -> Dialogue:
    return Dialogue(database, nlu_engine, timezone="UTC")


def test_no_table_holds_free_text_or_pain_in_plaintext_after_a_dialogue(
    keyed_dialogue: Dialogue,
) -> None:
    db = keyed_dialogue.database
    _drive_checkins(keyed_dialogue)
    assert _plaintext_secrets(db) == {}
    # ... while everything still reads back through storage, decrypted
    with db.session() as s:
        state, data = conversations.load_state(s, "7:7")
        assert state == "checkin_rpe" and data["free_text"] == HALF_TEXT
        assert data["pain_sites"] == ["knee"]
        assert [p.payload for p in inbox.pending(s)] == [
            json.dumps({"update_id": 9_999, "message": {"text": HALF_TEXT, "chat": {"id": 7}}})]
        person = people.get_by_telegram_id(s, 7)
        assert person is not None
        stored = plans.get_prescribed(s, person.id, NOW.date())
        assert stored is not None and stored.explanation is not None
        assert "knee" in json.dumps(stored.explanation.sentences)
        assert "knee" in json.dumps(stored.explanation.rules)
        assert "knee" in json.dumps(stored.inputs)
        override = groups.override_for(s, person.id, NOW.date() + dt.timedelta(days=1))
        assert override is not None and override.note == OVERRIDE_NOTE


def test_without_a_key_the_same_dialogue_is_readable_in_the_database(
    sqlite_db: Database, nlu_engine: NluEngine
) -> None:
    """The scan above can fail: without a key it finds the words in every sensitive table."""
    _drive_checkins(Dialogue(sqlite_db, nlu_engine, timezone="UTC"))
    found = _plaintext_secrets(sqlite_db)
    assert {"checkin", "conversation_state", "prescribed_session", "explanation",
            "processed_update"} <= set(found)


def test_rotation_encrypts_values_stored_before_the_key_and_reads_them_back(
    database: Database, nlu_engine: NluEngine
) -> None:
    _drive_checkins(Dialogue(database, nlu_engine, timezone="UTC"))
    assert _plaintext_secrets(database)
    key = crypto.new_key()
    crypto.configure(key)
    try:
        with database.session() as s:
            rewritten = rotate_encryption(s)
        assert rewritten >= 5
        assert _plaintext_secrets(database) == {}
        newest = crypto.new_key()
        crypto.configure(f"{newest},{key}")
        with database.session() as s:
            assert rotate_encryption(s) == rewritten
        crypto.configure(newest)  # the old key is gone: everything still reads
        with database.session() as s:
            _, data = conversations.load_state(s, "7:7")
            assert data["free_text"] == HALF_TEXT
            person = people.get_by_telegram_id(s, 7)
            assert person is not None
            stored = plans.get_prescribed(s, person.id, NOW.date())
            assert stored is not None and stored.explanation is not None
            assert "knee" in json.dumps(stored.explanation.sentences)
    finally:
        crypto.configure(None)
