"""Real python-telegram-bot polling over HTTP against the fake Bot API on loopback."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest
from pydantic import SecretStr
from telegram.ext import Application

from bot.config import Settings
from bot.dialogue import Dialogue
from bot.dialogue.features import default_features
from bot.telegram_app import build_application
from nlu import NluEngine
from storage import inbox
from storage.db import Database
from tests.e2e.fake_bot_api import FakeBotApi

TOKEN = "123456:E2E-SECRET-TOKEN"


@dataclass
class Running:
    api: FakeBotApi
    app: Application
    database: Database

    async def handled(self, update_id: int, timeout: float = 20.0) -> None:
        """Wait until the bot finished ``update_id`` (its inbox row is "done"): every reply it
        caused was sent by then, so "nothing was sent" can be asserted right after."""

        def status() -> str | None:
            with self.database.session() as s:
                return inbox.status_of(s, update_id)

        async def done() -> None:
            while await asyncio.to_thread(status) != "done":
                await asyncio.sleep(0.05)

        await asyncio.wait_for(done(), timeout)


@pytest.fixture(scope="session")
def nlu_engine() -> NluEngine:
    return NluEngine.create(backend="vader")


@pytest.fixture
async def bot(sqlite_db: Database, nlu_engine: NluEngine) -> AsyncIterator[Running]:
    api = FakeBotApi()
    url = await api.start()
    settings = Settings(telegram_token=SecretStr(TOKEN), telegram_api_url=url)
    dialogue = Dialogue(sqlite_db, nlu_engine, features=default_features())
    app = build_application(settings, dialogue)
    await app.initialize()
    if app.post_init is not None:
        await app.post_init(app)
    await app.start()
    assert app.updater is not None
    await app.updater.start_polling(poll_interval=0.0, timeout=1)
    try:
        yield Running(api, app, sqlite_db)
    finally:
        await app.updater.stop()
        await app.stop()
        await app.shutdown()
        await api.stop()
