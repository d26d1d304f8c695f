"""The real python-telegram-bot Application, offline: real Update JSON in, Bot API calls out."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from pydantic import SecretStr
from sqlalchemy import func, select
from telegram import Update
from telegram.ext import Application

from bot.config import Settings
from bot.dialogue import Dialogue, texts
from bot.telegram_app import build_application
from storage.schema import CheckIn, ProcessedUpdate
from tests.bot.fakes import RecordingRequest, Updates


@pytest.fixture
async def telegram(dialogue: Dialogue) -> AsyncIterator[tuple[Application, RecordingRequest]]:  # type: ignore[type-arg]
    request = RecordingRequest()
    settings = Settings(telegram_token=SecretStr("123456:TEST-TOKEN"))
    app = build_application(settings, dialogue, request=request, get_updates_request=request,
                            rate_limit=False)
    await app.initialize()
    yield app, request
    await app.shutdown()


async def _feed(app: Application, data: dict[str, Any]) -> None:  # type: ignore[type-arg]
    await app.process_update(Update.de_json(data, app.bot))


async def test_checkin_through_telegram_is_stored_and_confirmed(
    telegram: tuple[Application, RecordingRequest], dialogue: Dialogue  # type: ignore[type-arg]
) -> None:
    app, request = telegram
    u = Updates()
    await _feed(app, u.message("/start"))
    consent = request.sent("sendMessage")[-1]
    assert "Do you agree?" in consent["text"]
    keyboard = consent["reply_markup"]
    keyboard = keyboard if isinstance(keyboard, dict) else keyboard.to_dict()
    assert keyboard["inline_keyboard"][0][0]["callback_data"] == "consent:yes"
    await _feed(app, u.press("consent:yes"))
    assert request.sent("answerCallbackQuery"), "button presses must be answered"
    await _feed(app, u.press("sex:F"))
    await _feed(app, u.message("2005"))
    await _feed(app, u.message("swimming"))
    await _feed(app, u.message("RPE 7, 60 min, legs heavy"))
    assert any(text.startswith("Saved") for text in request.texts())
    with dialogue.database.session() as s:
        assert s.scalar(select(func.count()).select_from(CheckIn)) == 1


async def test_duplicate_update_is_handled_once(
    telegram: tuple[Application, RecordingRequest], dialogue: Dialogue  # type: ignore[type-arg]
) -> None:
    app, request = telegram
    u = Updates()
    for data in (u.message("/start"), u.press("consent:yes"), u.press("sex:-"),
                 u.message("skip"), u.message("skip")):
        await _feed(app, data)
    checkin = u.message("rpe 6, 50 min, felt fine")
    sent_before = len(request.texts())
    for _ in range(3):
        await _feed(app, checkin)
    assert len(request.texts()) - sent_before == 1  # "Saved" and the next session, once
    with dialogue.database.session() as s:
        assert s.scalar(select(func.count()).select_from(CheckIn)) == 1
        row = s.get(ProcessedUpdate, checkin["update_id"])
        assert row is not None and row.status == "done" and row.payload is None


async def test_commands_before_consent_get_a_clear_answer(
    telegram: tuple[Application, RecordingRequest], dialogue: Dialogue  # type: ignore[type-arg]
) -> None:
    app, request = telegram
    u = Updates()
    await _feed(app, u.message("/today"))
    assert "/start" in request.texts()[-1]
    await _feed(app, u.message("/nonsense"))
    assert "/help" in request.texts()[-1]


async def test_reminder_job_names_todays_session(
    telegram: tuple[Application, RecordingRequest], dialogue: Dialogue  # type: ignore[type-arg]
) -> None:
    """The JobQueue reminder plans today for the athlete and says what it is."""
    import asyncio

    from bot import reminders
    from tests.bot.test_webhook import _consenting

    app, request = telegram
    _consenting(dialogue, 4242)
    await app.start()
    try:
        assert app.job_queue is not None
        app.job_queue.run_once(reminders.remind, 0, chat_id=4242, user_id=4242)
        for _ in range(200):
            if request.sent("sendMessage"):
                break
            await asyncio.sleep(0.05)
    finally:
        await app.stop()
    text = request.texts()[0]
    assert text.startswith("Today's session: ") and "/checkin" in text


def _group_message(u: Updates, text: str, chat_id: int = -100321) -> dict[str, Any]:
    data = u.message(text)
    data["message"]["chat"] = {"id": chat_id, "type": "supergroup", "title": "Team"}
    return data


async def test_a_command_addressed_to_another_bot_is_left_to_it(
    telegram: tuple[Application, RecordingRequest], dialogue: Dialogue  # type: ignore[type-arg]
) -> None:
    app, request = telegram
    u = Updates()
    await _feed(app, _group_message(u, "/today@other_bot"))
    await _feed(app, _group_message(u, "/help@Other_Bot extra"))
    assert request.texts() == []
    await _feed(app, _group_message(u, "/help@coachloop_bot"))
    await _feed(app, u.message("/help@COACHLOOP_BOT"))
    assert len(request.texts()) == 2


async def test_a_file_from_someone_without_consent_is_refused_before_download(
    telegram: tuple[Application, RecordingRequest], dialogue: Dialogue  # type: ignore[type-arg]
) -> None:
    app, request = telegram
    u = Updates()
    data = u.message("")
    message = data["message"]
    del message["text"]
    message["document"] = {"file_id": "f1", "file_unique_id": "f1", "file_name": "run.fit",
                           "file_size": 1000}
    await _feed(app, data)
    assert request.sent("getFile") == []
    assert request.texts() == [texts.NEED_START]
    group = _group_message(u, "")
    group["message"].pop("text")
    group["message"]["document"] = message["document"]
    from tests.bot.test_webhook import _consenting

    _consenting(dialogue, 4242)
    await _feed(app, group)
    assert request.sent("getFile") == []  # a file posted in a group is never fetched
    assert request.texts()[-1] == texts.PRIVATE_FILE
