"""After /test, the athlete is told which items the fitness models estimated, not measured."""

from __future__ import annotations

import pytest

from bot.dialogue import Dialogue
from bot.dialogue.account import estimated_note
from bot.dialogue.features import default_features
from nlu import NluEngine
from storage.db import Database
from tests.bot.test_dialogue import Chat


def test_the_note_names_estimated_items_in_plain_words() -> None:
    note = estimated_note(["grip_kg", "diastolic", "lap_01_s", "lap_02_s"])
    assert "grip strength" in note and "blood pressure (diastolic)" in note
    assert note.count("3000 m lap splits") == 1 and "lap_01_s" not in note
    assert estimated_note([]) == ""


@pytest.mark.slow
def test_a_test_reply_says_which_items_were_estimated(
    sqlite_db: Database, nlu_engine: NluEngine
) -> None:
    chat = Chat(Dialogue(sqlite_db, nlu_engine, timezone="UTC", features=default_features()))
    chat.onboard()
    replies = chat.send("/test grip_kg 22 sit_ups 30 height_cm 164 weight_kg 58")
    text = " ".join(r.text for r in replies)
    assert "Saved ✅" in text and "template" in text
    estimated = text.split("Estimated, not measured", 1)[1]
    assert "blood pressure" in estimated and "body fat" in estimated
    assert "grip strength" not in estimated and "sit-ups" not in estimated
    assert "age" not in estimated.split(":", 1)[1].split(",")[0]  # the birth year gave the age
