"""A pain's side said in a check-in is stored, planned with and shown to the coach, on
SQLite and PostgreSQL."""

from __future__ import annotations

from sqlalchemy import select

from bot.dialogue import Dialogue
from storage.schema import CheckIn
from tests.bot_roles.conftest import NOW, User, code_of


def test_a_left_knee_stays_left_in_storage_why_and_the_coachs_status(
    full_dialogue: Dialogue,
) -> None:
    coach = User(full_dialogue, 1, "Ben")
    coach.onboard("M")
    code = code_of(coach.send("/team create Rowing U18"))
    ana = User(full_dialogue, 2, "Ana")
    ana.onboard()
    ana.send(f"/join {code}")
    saved = ana.texts(ana.send("RPE 6, 40 min, my left knee hurts after the run", at=NOW))
    assert "left knee" in saved
    with full_dialogue.database.session() as s:
        row = s.scalar(select(CheckIn))
        assert row is not None
        assert row.pain_sites == ["knee"] and row.pain_sides == {"knee": "left"}
    why = ana.texts(ana.send("/why", at=NOW))
    assert "left knee" in why
    status = coach.texts(coach.send("/status @Ana", at=NOW))
    assert "pain: left knee" in status


def test_a_side_said_later_is_added_and_no_side_is_invented(full_dialogue: Dialogue) -> None:
    ana = User(full_dialogue, 2, "Ana")
    ana.onboard()
    ana.send("RPE 5, 30 min, knee pain", at=NOW)
    with full_dialogue.database.session() as s:
        row = s.scalar(select(CheckIn))
        assert row is not None and row.pain_sides == {}
    ana.send("right knee sore", at=NOW)
    with full_dialogue.database.session() as s:
        rows = list(s.scalars(select(CheckIn)))
        assert len(rows) == 1 and rows[0].pain_sides == {"knee": "right"}
