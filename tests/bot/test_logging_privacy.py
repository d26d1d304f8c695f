"""No token and no health value in any log line, over a whole scenario, even at DEBUG."""

from __future__ import annotations

import logging

import pytest
from pydantic import SecretStr
from telegram import Update

from bot.config import Settings
from bot.dialogue import Dialogue
from bot.telegram_app import build_application
from bot.wiring import configure_logging
from tests.bot.fakes import RecordingRequest, Updates

TOKEN = "987654:SECRET-token-value-xyz"
HEALTH_TEXT = "my achilles is burning and I slept 3 hours"


async def test_a_full_scenario_logs_neither_token_nor_health_values(
    dialogue: Dialogue, caplog: pytest.LogCaptureFixture
) -> None:
    configure_logging(Settings(log_level="DEBUG", telegram_token=SecretStr(TOKEN)))
    caplog.set_level(logging.DEBUG)
    request = RecordingRequest()
    app = build_application(Settings(telegram_token=SecretStr(TOKEN)), dialogue,
                            request=request, rate_limit=False)
    u = Updates()
    async with app:
        for data in (u.message("/start"), u.press("consent:yes"), u.press("sex:F"),
                     u.message("2004"), u.message("rowing"), u.message("/checkin"),
                     u.press("rpe:8"), u.message("75"), u.press("hooper:sleep_quality:6"),
                     u.press("hooper:stress:5"), u.press("hooper:fatigue:6"),
                     u.press("hooper:soreness:7"), u.message(HEALTH_TEXT),
                     u.message("/today"), u.message("/why"), u.press("rpe:99")):
            await app.process_update(Update.de_json(data, app.bot))
    assert any(t.startswith("Saved") for t in request.texts())
    logged = "\n".join(
        record.getMessage() + " " + str(record.args) + " " + (record.exc_text or "")
        for record in caplog.records
    )
    assert caplog.records, "the scenario should log something at DEBUG"
    for secret in (TOKEN, "SECRET-token", "achilles", "slept 3 hours", "rowing"):
        assert secret not in logged, secret
