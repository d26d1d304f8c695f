"""Conversation state: kept across workers and restarts, but an abandoned one expires."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select, update

from bot.dialogue import Dialogue
from bot.replies import Incoming, Reply
from nlu import NluEngine
from storage import conversations
from storage.conversations import STATE_TTL
from storage.db import Database
from storage.schema import CheckIn, ConversationState, utcnow

HALF_DONE = {"mode": "quick", "free_text": "knee sore", "pain_sites": ["knee"]}


def _states(db: Database) -> list[str]:
    with db.session() as s:
        return sorted(s.scalars(select(ConversationState.chat_key)))


def test_a_state_is_read_back_by_another_session(database: Database) -> None:
    with database.session() as s:
        conversations.save_state(s, "7:7", None, "checkin_rpe", HALF_DONE)
    with database.session() as s:
        assert conversations.load_state(s, "7:7") == ("checkin_rpe", HALF_DONE)


def test_a_state_older_than_a_day_is_gone_and_deleted(database: Database) -> None:
    now = utcnow()
    with database.session() as s:
        conversations.save_state(s, "7:7", None, "checkin_rpe", HALF_DONE,
                                 now=now - STATE_TTL - dt.timedelta(minutes=1))
        conversations.save_state(s, "8:8", None, "checkin_rpe", HALF_DONE,
                                 now=now - STATE_TTL + dt.timedelta(minutes=1))
    with database.session() as s:
        assert conversations.load_state(s, "7:7", now=now) == (None, {})
        assert conversations.load_state(s, "8:8", now=now) == ("checkin_rpe", HALF_DONE)
    assert _states(database) == ["8:8"]


def test_any_write_sweeps_expired_states_of_other_chats(database: Database) -> None:
    now = utcnow()
    with database.session() as s:
        for chat in ("1:1", "2:2", "3:3"):
            conversations.save_state(s, chat, None, "checkin_rpe", HALF_DONE,
                                     now=now - dt.timedelta(days=3))
    with database.session() as s:
        conversations.save_state(s, "4:4", None, "checkin_minutes", {"rpe": 5}, now=now)
    assert _states(database) == ["4:4"]


def test_expire_states_deletes_only_expired_ones(database: Database) -> None:
    now = utcnow()
    with database.session() as s:
        for age_h, chat in ((30, "1:1"), (25, "2:2"), (1, "3:3")):  # as an old version left them
            s.add(ConversationState(chat_key=chat, state="checkin_rpe", data={},
                                    updated_at=now - dt.timedelta(hours=age_h)))
    with database.session() as s:
        assert conversations.expire_states(s, now=now) == 2
    assert _states(database) == ["3:3"]


def test_rewriting_the_same_state_keeps_it_alive(database: Database) -> None:
    old = utcnow() - STATE_TTL + dt.timedelta(minutes=5)
    with database.session() as s:
        conversations.save_state(s, "7:7", None, "checkin_rpe", HALF_DONE, now=old)
    with database.session() as s:
        conversations.save_state(s, "7:7", None, "checkin_rpe", HALF_DONE)  # same values
    with database.session() as s:
        assert conversations.load_state(s, "7:7", now=old + STATE_TTL) == (
            "checkin_rpe", HALF_DONE)


def test_an_abandoned_checkin_cannot_be_completed_a_day_later(
    database: Database, nlu_engine: NluEngine
) -> None:
    dialogue = Dialogue(database, nlu_engine, timezone="UTC")
    at = dt.datetime(2026, 11, 23, 18, 0, tzinfo=dt.UTC)

    def send(text: str | None = None, button: str | None = None) -> list[Reply]:
        return dialogue.handle(Incoming(user_id=7, chat_id=7, display_name="Ana",
                                        received_at=at, text=text, callback=button))

    for step in ("/start", "consent:yes", "sex:F", "2007", "running"):
        send(None if ":" in step else step, step if ":" in step else None)
    assert "minutes" in send("legs heavy and my knee hurts, rpe 8")[0].text
    assert _states(database) == ["7:7"]
    with database.session() as s:  # the athlete walks away for 25 hours
        s.execute(update(ConversationState).values(
            updated_at=utcnow() - STATE_TTL - dt.timedelta(hours=1)))
    replies = send("45")  # within the day, this would complete and store the check-in
    assert not replies[0].text.startswith("Saved"), replies[0].text
    with database.session() as s:  # "45" starts afresh: yesterday's answers and text are gone
        _, data = conversations.load_state(s, "7:7")
    assert data.get("rpe") is None and "knee" not in str(data)
    with database.session() as s:
        assert s.scalar(select(func.count()).select_from(CheckIn)) == 0
