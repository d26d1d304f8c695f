"""kill -9 of the bot process during a burst of check-ins, then a restart.

The bot runs as its own process (`coachloop bot`, polling) against the fake Bot API on
loopback, which forgets what a getUpdates offset confirmed, as Telegram does. After SIGKILL
mid-burst and a restart, every check-in sent is in the database exactly once (matched by
athlete and text) and confirmed to its athlete: none was lost between fetching and handling,
nothing is stored that the athlete was not told about, and SQLite's integrity check is ok.

"None twice" is not checked as distinct source update ids (the UNIQUE constraint makes that
true by construction) but as one row per confirmed message: a replayed update stored under a
new reference, or a confirmation without a row, would fail here.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import select, text

from storage import inbox, outbox, people
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


MARKER = 59_999  # a stranger whose /help is sent last: its reply means all before it is done
CONFIRMATIONS = ("Saved",)


def _text(user: int) -> str:
    """One distinct check-in per athlete (the letters tell the messages apart)."""
    tag = chr(97 + user % 26) + chr(97 + user // 26)
    return f"rpe {1 + user % 9}, {20 + user} min, ok note{tag}"


def _saved(api: FakeBotApi) -> set[int]:
    """Chats that got a confirmation of their check-in."""
    return {s.chat_id for s in api.sent if s.text.startswith(CONFIRMATIONS)}


@pytest.mark.slow
async def test_kill_9_mid_burst_loses_no_fetched_checkin_and_stores_none_twice(
    tmp_path: Path,
) -> None:
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
            api.say(50_000 + user, f"A{user}", _text(user))
        await api.wait_for(lambda: len(_saved(api)) >= 8, timeout=180)
        os.kill(bot.pid, signal.SIGKILL)
        bot.wait(timeout=30)
        confirmed_before_kill = _saved(api)
        bot = _start_bot(url, db_url, log)
        # after the restart the bot works on: a second burst is handled completely
        later = [api.say(50_000 + u, f"A{u}", "/today") for u in range(1, 6)]
        api.say(MARKER, "Last", "/help")
        await api.wait_for(lambda: api.confirmed > max(later) and api.to(MARKER), timeout=180)
        await api.wait_for(lambda: _inbox_drained(db), timeout=180)
    finally:
        bot.send_signal(signal.SIGTERM)
        try:
            bot.wait(timeout=30)
        except subprocess.TimeoutExpired:
            bot.kill()
        await api.stop()
    with db.session() as s:
        rows = s.execute(select(Person.telegram_user_id, CheckIn.free_text)
                         .join(Person, Person.id == CheckIn.person_id)).all()
        integrity = s.execute(text("PRAGMA integrity_check")).scalar()
    assert confirmed_before_kill, log.read_text()[-2000:]
    sent = Counter((50_000 + u, _text(u)) for u in range(1, ATHLETES + 1))
    confirmed = Counter((chat, _text(chat - 50_000)) for chat in _saved(api))
    stored = Counter((user, free_text) for user, free_text in rows)
    assert not sent - stored, f"sent but never stored (lost): {sorted(sent - stored)}"
    twice = {k: n for k, n in stored.items() if n > 1}
    assert not twice, f"stored more than once: {twice}"
    assert stored == sent == confirmed, f"stored but never confirmed: {sorted(stored - confirmed)}"
    assert confirmed_before_kill <= _saved(api)
    assert integrity == "ok"


def _inbox_drained(db: Database) -> bool:
    """Nothing left half-handled in the inbox (replayed after the restart), and no reply of
    an update left unsent (chats are handled at once: the marker's answer can come first)."""
    with db.session() as s:
        return not inbox.pending(s) and not outbox.unsent(s, kind=None, limit=1)
