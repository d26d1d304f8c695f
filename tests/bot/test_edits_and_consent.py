"""Edits of a check-in message, and the consent buttons pressed twice or forged."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from bot.dialogue import Dialogue, texts
from bot.replies import Incoming, Reply
from storage.schema import AuditLog, CheckIn

NOW = dt.datetime(2026, 11, 23, 18, 0, tzinfo=dt.UTC)


class Chat:
    def __init__(self, dialogue: Dialogue, user_id: int = 7) -> None:
        self.dialogue, self.user_id, self.n = dialogue, user_id, 100

    def send(self, text: str | None = None, *, button: str | None = None,
             edit_of: int | None = None) -> tuple[int, list[Reply]]:
        self.n += 1
        message_id = edit_of if edit_of is not None else self.n
        replies = self.dialogue.handle(Incoming(
            user_id=self.user_id, chat_id=self.user_id, display_name="Ana", received_at=NOW,
            text=text, callback=button, update_id=self.n, message_id=message_id,
            edited=edit_of is not None))
        return message_id, replies

    def onboard(self) -> None:
        for text, button in (("/start", None), (None, "consent:yes"), (None, "sex:F"),
                             ("2007", None), ("running", None)):
            self.send(text, button=button)


def _rows(dialogue: Dialogue) -> list[CheckIn]:
    with dialogue.database.session() as s:
        rows = list(s.scalars(select(CheckIn)).all())
        s.expunge_all()
        return rows


def test_an_edited_checkin_message_updates_the_checkin_with_an_audit_line(
    dialogue: Dialogue,
) -> None:
    chat = Chat(dialogue)
    chat.onboard()
    message, _ = chat.send("RPE 7, 60 min, legs heavy")
    _, replies = chat.send("RPE 4, 20 min, legs heavy, left knee sore", edit_of=message)
    assert replies[0].text.startswith(
        "Updated your check-in of 2026-11-23: RPE 7 → 4, minutes 60 → 20, soreness 5, your "
        "note, pain: left knee added")
    assert "(tomorrow)" not in replies[0].text and len(replies) == 2  # + the next session
    [row] = _rows(dialogue)
    assert (row.rpe, row.minutes, row.pain_sites) == (4, 20, ["knee"])
    with dialogue.database.session() as s:
        audit = s.scalars(select(AuditLog).where(AuditLog.action == "checkin_edited")).one()
        assert audit.detail["fields"] == ["rpe", "minutes", "soreness", "free_text",
                                          "pain_sites", "pain_sides"]
        assert "4" not in str(audit.detail) and "knee" not in str(audit.detail)


def test_an_edit_never_removes_pain_and_an_identical_edit_changes_nothing(
    dialogue: Dialogue,
) -> None:
    chat = Chat(dialogue)
    chat.onboard()
    message, _ = chat.send("RPE 6, 45 min, my back hurts")
    _, replies = chat.send("RPE 6, 45 min, my back hurts", edit_of=message)
    assert replies[0].text == "Your edit changes nothing in the check-in of 2026-11-23."
    chat.send("RPE 6, 45 min, all fine", edit_of=message)
    [row] = _rows(dialogue)
    assert row.pain_sites and row.free_text == "RPE 6, 45 min, all fine"


def test_an_edit_that_cannot_apply_says_how_to_correct_and_stores_nothing(
    dialogue: Dialogue,
) -> None:
    chat = Chat(dialogue)
    chat.onboard()
    command, _ = chat.send("/today")
    assert chat.send("RPE 9, 90 min", edit_of=command)[1][0].text == texts.EDIT_NOT_APPLIED
    assert chat.send("hello there", edit_of=command)[1] == []
    assert _rows(dialogue) == []
    message, _ = chat.send("RPE 3, 30 min")
    refused = chat.send("RPE 14, 30 min", edit_of=message)[1][0].text
    assert refused == "RPE 14 can't be right (0 to 10); your check-in of 2026-11-23 is unchanged."
    assert _rows(dialogue)[0].rpe == 3  # an out-of-range edit changes nothing


def test_no_thanks_after_consent_does_not_claim_nothing_was_stored(dialogue: Dialogue) -> None:
    chat = Chat(dialogue)
    assert chat.send(button="consent:no")[1][0].text == texts.NO_CONSENT
    chat.onboard()
    assert chat.send(button="consent:no")[1][0].text == texts.ALREADY_CONSENTED
    assert chat.send(button="consent:maybe")[1][0].text == texts.STALE_BUTTON
    chat.send("RPE 5, 30 min")
    assert len(_rows(dialogue)) == 1


def test_a_forged_consent_value_stores_no_person(dialogue: Dialogue) -> None:
    from storage.schema import Person

    chat = Chat(dialogue, user_id=9)
    assert chat.send(button="consent:YES")[1][0].text == texts.STALE_BUTTON
    with dialogue.database.session() as s:
        assert s.scalars(select(Person)).all() == []
