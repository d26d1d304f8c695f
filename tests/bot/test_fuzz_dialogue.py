"""Untrusted chat input: any text, command arguments or button data never crash the dialogue."""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from bot.dialogue import Dialogue
from bot.replies import Incoming
from storage.schema import CheckIn

# One database for all examples of a test: state carries over, as in a long chat.
SHARED_DB = [HealthCheck.function_scoped_fixture]
NOW = dt.datetime(2026, 11, 23, 18, 0, tzinfo=dt.UTC)
COMMANDS = ["/start", "/checkin", "/today", "/why", "/cancel", "/help", "/join", "/test",
            "/done", "/team", "/status", "/override", "/broadcast", "/privacy", "/reminders"]
ODD_TEXT = st.one_of(
    st.text(max_size=300),
    st.sampled_from(["rpe 99", "RPE -3, 10000 min", "𝟕 out of 10", "\u202eRPE 7\u202c",
                     "rpe 7" * 500, "\x00\x01", "😭😭😭 knee", "60 min" + " " * 5000]),
)


def _send(dialogue: Dialogue, user: int, text: str | None = None,
          button: str | None = None) -> list[str]:
    replies = dialogue.handle(Incoming(user_id=user, chat_id=user, display_name="F",
                                       received_at=NOW, text=text, callback=button))
    return [r.text for r in replies]


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
        texts = _send(dialogue, 77, **({"text": value} if kind == "text" else {"button": value}))
        assert texts and all(isinstance(t, str) and t for t in texts)
        assert not any("Traceback" in t for t in texts)
    with dialogue.database.session() as s:
        for row in s.scalars(select(CheckIn)):
            assert row.rpe is None or 0 <= row.rpe <= 10
            assert row.minutes is None or 0 <= row.minutes <= 600


@settings(max_examples=40, deadline=None, suppress_health_check=SHARED_DB)
@given(text=ODD_TEXT)
def test_strangers_never_get_anything_stored(dialogue: Dialogue, text: str) -> None:
    _send(dialogue, 5, text)
    _send(dialogue, 5, button="rpe:7")
    with dialogue.database.session() as s:
        assert s.scalar(select(func.count()).select_from(CheckIn)) == 0
