"""Untrusted chat input: any text, command arguments or button data never crash the dialogue.

`Dialogue.handle` never raises: an unexpected exception becomes `texts.SORRY`. So "no crash"
is checked as "never that apology", not merely as "some reply".
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from bot.dialogue import Dialogue, texts
from bot.dialogue.features import default_features
from bot.replies import Incoming
from nlu import NluEngine
from storage import groups, people
from storage.db import Database
from storage.schema import CheckIn

# One database for all examples of a test: state carries over, as in a long chat.
SHARED_DB = [HealthCheck.function_scoped_fixture]
NOW = dt.datetime(2026, 11, 23, 18, 0, tzinfo=dt.UTC)
COMMANDS = ["/start", "/checkin", "/today", "/why", "/cancel", "/help", "/join", "/test",
            "/done", "/team", "/status", "/override", "/broadcast", "/privacy", "/reminders",
            "/week", "/history", "/export", "/forget", "/class", "/teamchart"]
BUTTONS = ["rpe:5", "rpe:11", "hooper:stress:3", "hooper:x:1", "consent:yes", "sex:Q", "sex:F",
           "ex:2026-11-23:0:done", "ex:2026-11-23:99:too_hard", "ex:9999-99-99:0:done",
           "ex:2026-11-23:x:done", "privacy:readiness", "privacy:", "forget:no",
           "forget:yes:bogus", "consentjoin:NOPE", "consentjoin:"]
ODD_TEXT = st.one_of(
    st.text(max_size=300),
    st.sampled_from(["rpe 99", "RPE -3, 10000 min", "𝟕 out of 10", "\u202eRPE 7\u202c",
                     "rpe 7" * 500, "\x00\x01", "😭😭😭 knee", "60 min" + " " * 5000]),
)


def _send(dialogue: Dialogue, user: int, text: str | None = None,
          button: str | None = None, chat_id: int | None = None) -> list[str]:
    replies = dialogue.handle(Incoming(
        user_id=user, chat_id=chat_id or user, display_name="F", received_at=NOW, text=text,
        callback=button, chat_type="private" if chat_id is None else "supergroup",
        sender_is_admin=None if chat_id is None else True))
    return [r.text for r in replies]


STEPS = st.lists(st.one_of(
    ODD_TEXT.map(lambda t: ("text", t)),
    st.tuples(st.sampled_from(COMMANDS), st.text(max_size=40)).map(
        lambda c: ("text", f"{c[0]} {c[1]}")),
    st.text(max_size=80).map(lambda b: ("button", b)),
    st.sampled_from(BUTTONS).map(lambda b: ("button", b)),
), max_size=12)


ATHLETE, COACH, TEAM_CHAT = 78, 79, -100_123


@pytest.fixture
def app_dialogue(sqlite_db: Database, nlu_engine: NluEngine) -> Dialogue:
    """Every feature the bot runs, with an athlete in a team whose chat is linked, and a coach.

    Set up so the fuzzed commands reach the handlers' real work, not only "send /start first".
    """
    with sqlite_db.session() as s:
        coach = people.get_or_create_person(s, COACH, "Coach")
        athlete = people.get_or_create_person(s, ATHLETE, "Ath")
        for person in (coach, athlete):
            people.give_consent(s, person, {"health_data": True})
        people.update_profile(athlete, sex="F", birth_year=2007)
        team = groups.create_group(s, coach, "team", "Club")
        groups.link_chat(s, team, TEAM_CHAT)
        groups.join(s, athlete, team)
    return Dialogue(sqlite_db, nlu_engine, timezone="UTC", features=default_features())


@settings(max_examples=60, deadline=None, suppress_health_check=SHARED_DB)
@given(steps=st.lists(st.one_of(
    ODD_TEXT.map(lambda t: ("text", t)),
    st.tuples(st.sampled_from(COMMANDS), st.text(max_size=40)).map(
        lambda c: ("text", f"{c[0]} {c[1]}")),
    st.text(max_size=80).map(lambda b: ("button", b)),
    st.sampled_from(["rpe:5", "rpe:11", "hooper:stress:3", "hooper:x:1", "consent:yes",
                     "sex:Q", "sex:F"]).map(lambda b: ("button", b)),
), max_size=12))
def test_any_sequence_of_inputs_gets_replies_and_never_raises(
    dialogue: Dialogue, steps: list[tuple[str, str]]
) -> None:
    for kind, value in steps:
        said = _send(dialogue, 77, **({"text": value} if kind == "text" else {"button": value}))
        assert said and all(isinstance(t, str) and t for t in said)
        assert not any("Traceback" in t for t in said)
        assert texts.SORRY not in said, (kind, value)
    with dialogue.database.session() as s:
        for row in s.scalars(select(CheckIn)):
            assert row.rpe is None or 0 <= row.rpe <= 10
            assert row.minutes is None or 0 <= row.minutes <= 600


@settings(max_examples=60, deadline=None, suppress_health_check=SHARED_DB)
@given(steps=STEPS, where=st.lists(st.tuples(st.sampled_from([ATHLETE, COACH]), st.booleans()),
                                   min_size=12, max_size=12))
def test_the_full_app_never_apologises_for_any_input(
    app_dialogue: Dialogue, steps: list[tuple[str, str]], where: list[tuple[int, bool]]
) -> None:
    """Every feature's commands, arguments and buttons, by athlete and coach, private and group."""
    for (kind, value), (user, group) in zip(steps, where, strict=False):
        said = _send(app_dialogue, user, chat_id=TEAM_CHAT if group else None,
                     **({"text": value} if kind == "text" else {"button": value}))
        assert texts.SORRY not in said, (kind, value, user, group)
        if not group:
            assert said and all(isinstance(t, str) and t for t in said)


@settings(max_examples=40, deadline=None, suppress_health_check=SHARED_DB)
@given(text=ODD_TEXT)
def test_strangers_never_get_anything_stored(dialogue: Dialogue, text: str) -> None:
    assert texts.SORRY not in _send(dialogue, 5, text)
    assert texts.SORRY not in _send(dialogue, 5, button="rpe:7")
    with dialogue.database.session() as s:
        assert s.scalar(select(func.count()).select_from(CheckIn)) == 0
