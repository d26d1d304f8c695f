"""The "delete this message" effect: Telegram deletes the message that held the key; the
terminal, which keeps no chat history, ignores it. End to end against the intervals fake."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from pydantic import SecretStr
from telegram import Update
from telegram.ext import Application

from bot.config import Settings
from bot.dialogue import Dialogue
from bot.dialogue.features import default_features
from bot.jobs import JobContext
from bot.jobs import run as run_job
from bot.sync import SyncConfig
from bot.telegram_app import build_application
from bot.terminal import run_chat
from nlu import NluEngine
from storage import connections
from storage import jobs as job_rows
from storage.activities import list_activities
from storage.db import Database
from tests.bot.fakes import RecordingRequest, Updates
from tests.sync.fake_intervals import FakeIntervals
from tests.sync.fake_oura import FakeOura
from tests.sync.fake_server import serving
from tests.sync.fake_strava import CLIENT_ID, CLIENT_SECRET, FakeStrava


@pytest.fixture
def synced_dialogue(
    sqlite_db: Database, nlu_engine: NluEngine, sync_config: SyncConfig
) -> Dialogue:
    return Dialogue(sqlite_db, nlu_engine, features=default_features(sync_config))


@pytest.fixture
async def telegram(
    synced_dialogue: Dialogue,
) -> AsyncIterator[tuple[Application, RecordingRequest]]:
    request = RecordingRequest()
    app = build_application(
        Settings(telegram_token=SecretStr("123456:TEST-TOKEN")),
        synced_dialogue,
        request=request,
        get_updates_request=request,
        rate_limit=False,
    )
    await app.initialize()
    yield app, request
    await app.shutdown()


async def _feed(app: Application, data: dict[str, Any]) -> None:
    await app.process_update(Update.de_json(data, app.bot))


async def test_telegram_deletes_the_message_holding_the_key(
    telegram: tuple[Application, RecordingRequest],
    synced_dialogue: Dialogue,
    fake_intervals: FakeIntervals,
    sync_config: SyncConfig,
) -> None:
    app, request = telegram
    u = Updates()
    for data in (
        u.message("/start"),
        u.press("consent:yes"),
        u.press("sex:F"),
        u.message("1995"),
        u.message("running"),
        u.message("/connect intervals"),
    ):
        await _feed(app, data)
    key_message = u.message(f"{fake_intervals.athlete_id} {fake_intervals.api_key}")
    await _feed(app, key_message)
    assert any("Connected to intervals.icu" in t for t in request.texts())
    (deleted,) = request.sent("deleteMessage")
    assert int(deleted["message_id"]) == key_message["message"]["message_id"]
    assert int(deleted["chat_id"]) == u.user["id"]
    database = synced_dialogue.database
    ctx = JobContext(planning=synced_dialogue.planning, sync=sync_config)
    for job in database.run(lambda db: job_rows.due(db)):
        assert run_job(database, job.key, ctx) == "done"
    with database.session() as s:
        row = connections.get(s, 1, "intervals")
        assert row is not None and row.last_import_at is not None


def test_the_terminal_ignores_the_delete_and_connects(
    synced_dialogue: Dialogue,
    fake_intervals: FakeIntervals,
    sync_config: SyncConfig,
) -> None:
    yesterday = dt.datetime.now(dt.UTC) - dt.timedelta(days=1)
    fake_intervals.add_activity("i1", yesterday, minutes=30)
    script = io.StringIO(
        "\n".join(
            [
                "/start",
                "1",
                "F",
                "1995",
                "running",
                "/connect intervals",
                f"{fake_intervals.athlete_id} {fake_intervals.api_key}",
                "/sync",
                "",
            ]
        )
    )
    out = io.StringIO()
    database = synced_dialogue.database
    ctx = JobContext(planning=synced_dialogue.planning, sync=sync_config)

    def settle() -> None:  # what `coachloop chat` does at the end of a piped script
        for job in database.run(lambda db: job_rows.due(db)):
            run_job(database, job.key, ctx)

    run_chat(synced_dialogue.handle, stdin=script, stdout=out, settle=settle)
    text = out.getvalue()
    assert "Connected to intervals.icu" in text and "delete_message" not in text
    assert "intervals.icu (i4242)" in text
    with database.session() as s:
        assert len(list_activities(s, 1)) == 1


@pytest.fixture
def every_provider(fake_intervals: FakeIntervals) -> Iterator[tuple[SyncConfig, Any, Any]]:
    with serving(FakeStrava()) as strava, serving(FakeOura()) as ring:
        yield (
            SyncConfig(
                intervals_url=fake_intervals.base_url,
                strava_api_url=f"{strava.base_url}/api/v3",
                strava_oauth_url=f"{strava.base_url}/oauth",
                strava_client_id=CLIENT_ID,
                strava_client_secret=CLIENT_SECRET,
                oura_url=ring.base_url,
                timeout_s=5,
                max_wait_s=1.5,
            ),
            strava,
            ring,
        )


async def test_strava_and_oura_connect_through_telegram(
    sqlite_db: Database,
    nlu_engine: NluEngine,
    every_provider: tuple[SyncConfig, Any, Any],
) -> None:
    config, strava, ring = every_provider
    yesterday = dt.datetime.now(dt.UTC).replace(microsecond=0) - dt.timedelta(days=1)
    strava.add_activity(777, yesterday, minutes=50)
    ring.add_night(yesterday.date(), hrv=58)
    dialogue = Dialogue(sqlite_db, nlu_engine, features=default_features(config))
    request = RecordingRequest()
    app = build_application(
        Settings(telegram_token=SecretStr("123456:TEST-TOKEN")),
        dialogue,
        request=request,
        get_updates_request=request,
        rate_limit=False,
    )
    await app.initialize()
    try:
        u = Updates()
        for data in (
            u.message("/start"),
            u.press("consent:yes"),
            u.press("sex:F"),
            u.message("1995"),
            u.message("running"),
            u.message("/connect strava"),
        ):
            await _feed(app, data)
        link = next(w for w in request.texts()[-1].split() if w.startswith("http"))
        state = parse_qs(urlsplit(link).query)["state"][0]
        pasted = u.message(
            f"http://localhost/exchange_token?state={state}"
            f"&code={strava.new_code()}&scope=read,activity:read_all"
        )
        await _feed(app, pasted)
        await _feed(app, u.message("/connect oura"))
        token_message = u.message(ring.token)
        await _feed(app, token_message)
        deleted = [int(p["message_id"]) for p in request.sent("deleteMessage")]
        assert deleted == [pasted["message"]["message_id"], token_message["message"]["message_id"]]
        ctx = JobContext(planning=dialogue.planning, sync=config)
        for job in sqlite_db.run(lambda db: job_rows.due(db)):
            assert run_job(sqlite_db, job.key, ctx) == "done"
    finally:
        await app.shutdown()
    with sqlite_db.session() as s:
        mine = list_activities(s, 1, include_strava=True, include_days=True)
        assert sorted(a.source for a in mine) == ["oura", "strava"]
        assert [a.source for a in list_activities(s, 1, include_days=True)] == ["oura"]
