"""Real python-telegram-bot polling over HTTP against the fake Bot API on loopback."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest
from pydantic import SecretStr
from telegram.ext import Application

from bot.config import Settings
from bot.dialogue import Dialogue
from bot.dialogue.features import default_features
from bot.telegram_app import build_application, pipeline_for, serve
from nlu import NluEngine
from storage import inbox, outbox
from storage.db import Database
from tests.e2e.fake_bot_api import FakeBotApi

TOKEN = "123456:E2E-SECRET-TOKEN"


@dataclass
class Running:
    api: FakeBotApi
    app: Application
    database: Database

    async def handled(self, update_id: int, timeout: float = 20.0) -> None:
        """Wait until the bot finished ``update_id``: its inbox row is "done" and none of the
        replies it caused is still in the outbox, so "nothing was sent" can be asserted
        right after."""

        def finished() -> bool:
            with self.database.session() as s:
                return (inbox.status_of(s, update_id) == "done"
                        and not outbox.unsent(s, update_id=update_id, kind=None))

        async def done() -> None:
            while not await asyncio.to_thread(finished):
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
    async with running_bot(app) as running_app:
        running = Running(api, running_app, sqlite_db)
        api.handled = running.handled
        try:
            yield running
        finally:
            await api.stop()


@contextlib.asynccontextmanager
async def running_bot(app: Application, *, polling: bool = True) -> AsyncIterator[Application]:
    """The bot as `coachloop bot` runs it: our durable pipeline, long polling 1 s."""
    stop = asyncio.Event()
    task = asyncio.create_task(
        serve(app, stop, polling=polling, pipeline=pipeline_for(app, poll_timeout=1,
                                                                retry_delay=0.05)))
    deadline = asyncio.get_running_loop().time() + 30
    while not app.running:
        if task.done():
            task.result()
        if asyncio.get_running_loop().time() > deadline:
            raise TimeoutError("the bot did not start")
        await asyncio.sleep(0.01)
    try:
        yield app
    finally:
        stop.set()
        await asyncio.wait_for(task, 30)
