"""No token and no health value in any log line, over a whole scenario, even at DEBUG.

The scenario's numbers are picked to be distinctive: 173 minutes at RPE 9 (session load
9 x 173 = 1557), sleep 4.75 h and a birth year of 1989, so a hit can only be the value
leaking, not an update id or a timestamp; every captured record is checked with its message,
its arguments and its formatted traceback.
"""

from __future__ import annotations

import logging
import re

import pytest
from pydantic import SecretStr
from telegram import Update

from bot.config import Settings
from bot.dialogue import Dialogue
from bot.telegram_app import build_application
from bot.wiring import configure_logging
from tests.bot.fakes import RecordingRequest, Updates

TOKEN = "987654:SECRET-token-value-xyz"
HEALTH_TEXT = "my achilles is burning and I slept 4.75 hours"
MINUTES, RPE = 173, 9
LOAD = MINUTES * RPE  # 1557, shown to the athlete as "load 1557"
QUICK_TEXT = "rpe 7, 143 min, calf cramping"  # a free-text check-in: 7 x 143 = 1001
LEAKS = [
    re.compile(rf"(?<![\d.]){value}(?![\d])")
    for value in (MINUTES, LOAD, "4.75", 1989, 143, 7 * 143)
] + [
    # "RPE 9", "rpe=9", "'rpe': 9", "soreness 7", "75 min", "sleep_h: 4.75" ...
    re.compile(r"\b(rpe|minutes|min|load|srpe|sleep\w*|fatigue|soreness|stress|mood)\b"
               r"\W{0,4}\d", re.IGNORECASE),
    re.compile(r"\d+(\.\d+)?\s*(min|minutes|h|hours)\b", re.IGNORECASE),
]
WORDS = (TOKEN, "SECRET-token", "achilles", "slept", "rowing", "calf", "cramping")


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
                     u.message("1989"), u.message("rowing"), u.message("/checkin"),
                     u.press(f"rpe:{RPE}"), u.message(str(MINUTES)),
                     u.press("hooper:sleep_quality:6"), u.press("hooper:stress:5"),
                     u.press("hooper:fatigue:6"), u.press("hooper:soreness:7"),
                     u.message(HEALTH_TEXT), u.message("/today"), u.message("/why"),
                     u.press("rpe:99"), u.message(QUICK_TEXT), u.message("/history")):
            await app.process_update(Update.de_json(data, app.bot))
    sent = request.texts()
    assert any(t.startswith("Saved") and f"load {LOAD}" in t for t in sent), sent
    assert sum(t.startswith("Saved") for t in sent) == 2, sent  # the values were really used
    logged = "\n".join(
        record.getMessage() + " " + str(record.args) + " " + (record.exc_text or "")
        for record in caplog.records
    )
    assert caplog.records, "the scenario should log something at DEBUG"
    for secret in WORDS:
        assert secret not in logged, secret
    for pattern in LEAKS:
        hit = pattern.search(logged)
        assert hit is None, (pattern.pattern, logged[max(0, hit.start() - 200):hit.end() + 200])


@pytest.mark.parametrize("line", [
    "checkin stored rpe=9 minutes=173", "{'rpe': 9}", "session load 1557", "75 min easy",
    "sleep_h: 4.75", "born 1989", "RPE 9", "slept 4.75 hours",
])
def test_the_leak_patterns_catch_a_health_value(line: str) -> None:
    assert any(p.search(line) for p in LEAKS), line


@pytest.mark.parametrize("line", [
    "update 1001557 from person 1: button (state checkin_rpe)", "took 0.0173 s",
    "2026-11-23T18:17:30+00:00", "HTTP Request: POST /bot.../sendMessage 200",
])
def test_the_leak_patterns_spare_ids_and_timestamps(line: str) -> None:
    assert not any(p.search(line) for p in LEAKS), line
