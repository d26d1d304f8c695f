"""Scripted multi-week scenarios: the loop reacts as specified and explains itself with numbers.

Each scenario drives the real dialogue (real NLU, real planner, real SQLite) day by day, as an
athlete would, and reads the stored prescriptions.
"""

from __future__ import annotations

import datetime as dt

import pytest

from bot.dialogue import Dialogue
from bot.replies import Incoming, Reply
from storage.plans import get_prescribed
from storage.schema import Person, PrescribedSession

START = dt.datetime(2026, 9, 7, 19, 0, tzinfo=dt.UTC)  # a Monday evening


class Athlete:
    """One athlete chatting on successive days."""

    def __init__(self, dialogue: Dialogue, user_id: int = 11) -> None:
        self.dialogue = dialogue
        self.user_id = user_id
        self.update_id = 0
        self.day = 0

    def send(self, text: str | None = None, *, button: str | None = None) -> list[Reply]:
        self.update_id += 1
        return self.dialogue.handle(
            Incoming(user_id=self.user_id, chat_id=self.user_id, display_name="Sam",
                     received_at=START + dt.timedelta(days=self.day), text=text,
                     callback=button, update_id=self.update_id)
        )

    def onboard(self) -> None:
        for step in ("/start", None, None, "2006", "running"):
            if step is None:
                self.send(button="consent:yes" if self.update_id == 1 else "sex:M")
            else:
                self.send(step)

    def today(self) -> PrescribedSession:
        self.send("/today")
        date = (START + dt.timedelta(days=self.day)).date()
        with self.dialogue.database.session() as s:
            person = s.query(Person).filter_by(telegram_user_id=self.user_id).one()
            row = get_prescribed(s, person.id, date)
            assert row is not None
            s.expunge_all()
            return row

    def why(self) -> str:
        return self.send("/why")[0].text


def _days(athlete: Athlete, n: int, text: str) -> None:
    for _ in range(n):
        replies = athlete.send(text)
        assert replies[0].text.startswith("Saved"), replies[0].text
        athlete.day += 1


def test_negative_sentiment_with_hard_sessions_lowers_intensity_about_10_percent(
    dialogue: Dialogue,
) -> None:
    sam = Athlete(dialogue)
    sam.onboard()
    _days(sam, 14, "RPE 9, 60 min, exhausted and miserable, that was awful")
    session = sam.today()
    assert session.intensity_factor == pytest.approx(0.9)
    why = sam.why()
    assert "10% lower" in why and "mood score -1.00" in why


def test_positive_sentiment_with_completed_sessions_raises_intensity_about_10_percent(
    dialogue: Dialogue,
) -> None:
    sam = Athlete(dialogue)
    sam.onboard()
    _days(sam, 14, "RPE 5, 45 min, great session, felt strong and happy")
    session = sam.today()
    assert session.intensity_factor == pytest.approx(1.1)
    assert "goes up 10%" in sam.why()


def test_pain_stops_the_increase_and_swaps_exercises(dialogue: Dialogue) -> None:
    sam = Athlete(dialogue)
    sam.onboard()
    _days(sam, 14, "RPE 5, 45 min, great session, felt strong and happy")
    sam.send("RPE 5, 30 min, good run but my knee hurts")
    session = sam.today()
    assert session.intensity_factor == pytest.approx(1.0)
    ids = {e.exercise_id for e in session.exercises}
    assert not ids & {"easy_run", "long_run", "squat", "lunge", "jump_squat"}
    why = sam.why()
    assert "knee" in why and "nothing gets harder" in why


def test_high_frbi_cuts_load_15_to_20_percent_for_3_to_5_days(dialogue: Dialogue) -> None:
    sam = Athlete(dialogue)
    sam.onboard()
    _days(sam, 30, "RPE 5, 60 min, normal day")
    cut_days = []
    for day in range(8):
        if day < 3:  # three huge days in a row, then rest
            assert sam.send("RPE 9, 150 min, huge block")[0].text.startswith("Saved")
        session = sam.today()
        if "frbi_cut" in session.reason_codes:
            cut_days.append(session.volume_factor)
            if len(cut_days) == 1:
                why = sam.why()
                assert "fatigue balance was" in why and "above 1.2" in why
        sam.day += 1
    assert 3 <= len(cut_days) <= 5
    assert all(0.8 - 1e-9 <= v <= 0.85 + 1e-9 for v in cut_days)
