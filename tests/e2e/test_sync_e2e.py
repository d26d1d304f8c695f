"""Connecting intervals.icu through real polling: the key's message is deleted on Telegram,
the import runs as a background job against the fake intervals.icu, and the imported
session is in the athlete's /history."""

from __future__ import annotations

import datetime as dt

from pydantic import SecretStr

from bot.config import Settings
from bot.dialogue import Dialogue
from bot.dialogue.features import default_features
from bot.jobrunner import LocalJobs
from bot.jobs import JobContext
from bot.sync import SyncConfig
from bot.telegram_app import build_application
from nlu import NluEngine
from storage import connections
from storage.activities import list_activities
from storage.db import Database
from tests.e2e.conftest import TOKEN, Running, running_bot
from tests.e2e.fake_bot_api import FakeBotApi
from tests.e2e.test_role_flows import _onboard, _say
from tests.sync.fake_intervals import FakeIntervals
from tests.sync.fake_server import serving
from tests.wearables.fit_writer import write_fit

ANA = 2


async def test_connect_intervals_deletes_the_key_imports_and_history_shows_the_session(
    sqlite_db: Database, nlu_engine: NluEngine
) -> None:
    ride = (dt.datetime.now(dt.UTC) - dt.timedelta(days=1)).replace(
        hour=7, minute=0, second=0, microsecond=0
    )
    with serving(FakeIntervals()) as intervals:
        intervals.add_activity(
            "i9001", ride, minutes=45, fit=write_fit(ride, [148 + i % 9 for i in range(2700)])
        )
        api = FakeBotApi()
        url = await api.start()
        settings = Settings(
            telegram_token=SecretStr(TOKEN), telegram_api_url=url,
            intervals_api_url=intervals.base_url,
        )
        config = SyncConfig.from_settings(settings)
        dialogue = Dialogue(sqlite_db, nlu_engine, features=default_features(config))
        jobs = LocalJobs(sqlite_db, JobContext(planning=dialogue.planning, sync=config), poll=0.1)
        dialogue.on_commit = jobs.wake
        jobs.start()
        try:
            async with running_bot(build_application(settings, dialogue)) as app:
                running = Running(api, app, sqlite_db)
                api.handled = running.handled
                await _onboard(api, ANA, "Ana")
                [empty] = await _say(api, ANA, "Ana", "/history")
                assert empty.text.startswith("No history yet")

                [ask] = await _say(api, ANA, "Ana", "/connect intervals")
                assert "athlete id and API key" in ask.text
                pasted = f"{intervals.athlete_id} {intervals.api_key}"
                before = len(api.to(ANA))
                update_id = api.say(ANA, "Ana", pasted)
                key_message = api.updates[-1]["message"]["message_id"]
                [connected] = await api.reply_to(ANA, before, update_id=update_id)
                assert connected.text.startswith("Connected to intervals.icu")
                await api.wait_for(lambda: (ANA, key_message) in api.deleted)
                assert all(pasted not in s.text for s in api.sent)  # never echoed

                await api.wait_for(
                    lambda: any("intervals.icu: 1 new session(s)" in s.text
                                for s in api.to(ANA)), timeout=60)
                chart, compliance = await _say(api, ANA, "Ana", "/history", n=2)
                assert chart.method == "sendPhoto" and chart.data
                assert chart.text.startswith("Your load (CTL/ATL/TSB)")
                assert compliance.text.startswith("Planned vs done")
        finally:
            jobs.stop()
            await api.stop()
    with sqlite_db.session() as s:
        [session] = list_activities(s, 1)
        assert (session.source, session.external_id, session.file_type) == (
            "intervals", "i9001", "fit")
        assert session.day == ride.date() and session.trimp_banister
        row = connections.get(s, 1, "intervals")
        assert row is not None and row.status == "active" and row.last_import_at is not None
        assert row.credentials == {"api_key": intervals.api_key}
    assert [r.path for r in intervals.requests if "activities" in r.path]  # it was asked
