"""kill -9 of the bot process during a burst of check-ins, then a restart.

The bot runs as its own process (`coachloop bot`, polling) against the fake Bot API on
loopback. After SIGKILL mid-burst and a restart, every check-in the bot had confirmed to its
athlete is in the database, none is stored twice, and SQLite's integrity check is ok.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select, text

from storage import inbox, people
from storage.db import Database
from storage.schema import CheckIn, Person
from tests.e2e.fake_bot_api import FakeBotApi

ATHLETES = 40
TOKEN = "424242:CRASH-TEST-TOKEN"


def _start_bot(url: str, db_url: str, log: Path) -> subprocess.Popen[bytes]:
    env = dict(os.environ, TELEGRAM_TOKEN=TOKEN, TELEGRAM_API_URL=url, DATABASE_URL=db_url,
               NLU_BACKEND="vader", LOG_LEVEL="WARNING", HF_HUB_OFFLINE="1")
    return subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "bot"], env=env, stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
    )


def _saved(api: FakeBotApi) -> set[int]:
    """Chats that got a "Saved" confirmation."""
    return {s.chat_id for s in api.sent if s.text.startswith("Saved")}


@pytest.mark.slow
async def test_kill_9_mid_burst_loses_no_confirmed_checkin(tmp_path: Path) -> None:
    db_url = f"sqlite:///{tmp_path / 'bot.sqlite3'}"
    db = Database(db_url)
    db.upgrade()
    with db.session() as s:
        for user in range(1, ATHLETES + 1):
            person = people.get_or_create_person(s, 50_000 + user, f"A{user}")
            people.give_consent(s, person, {})
    api = FakeBotApi()
    url = await api.start()
    log = tmp_path / "bot.log"
    bot = _start_bot(url, db_url, log)
    try:
        for user in range(1, ATHLETES + 1):
            api.say(50_000 + user, f"A{user}", f"rpe {1 + user % 9}, {20 + user} min, ok")
        await api.wait_for(lambda: len(_saved(api)) >= 8, timeout=180)
        os.kill(bot.pid, signal.SIGKILL)
        bot.wait(timeout=30)
        confirmed_before_kill = _saved(api)
        bot = _start_bot(url, db_url, log)
        # after the restart the bot works on: a second burst is handled completely
        later = [api.say(50_000 + u, f"A{u}", "/today") for u in range(1, 6)]
        await api.wait_for(lambda: api.confirmed > max(later), timeout=180)
        await api.wait_for(lambda: _inbox_drained(db), timeout=180)
    finally:
        bot.send_signal(signal.SIGTERM)
        try:
            bot.wait(timeout=30)
        except subprocess.TimeoutExpired:
            bot.kill()
        await api.stop()
    with db.session() as s:
        rows = s.execute(select(CheckIn.source_update_id, Person.telegram_user_id)
                         .join(Person, Person.id == CheckIn.person_id)).all()
        integrity = s.execute(text("PRAGMA integrity_check")).scalar()
    stored_chats = {chat for _, chat in rows}
    assert confirmed_before_kill, log.read_text()[-2000:]
    assert _saved(api) <= stored_chats  # every confirmed check-in is there
    assert len(rows) == len({ref for ref, _ in rows})  # no update stored twice
    assert integrity == "ok"


def _inbox_drained(db: Database) -> bool:
    """Nothing left half-handled in the inbox (replayed after the restart)."""
    with db.session() as s:
        return not inbox.pending(s)
