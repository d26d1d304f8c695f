"""Connecting Strava and Oura through real polling, against the providers' fakes.

Strava: the authorize link, the code pasted from the redirect page (polling mode) and its
message deleted, the exchange and import (activities and streams) in a background job, the
ride in the athlete's own /history but not in the coach's /status (in the group or in
private: Strava's agreement), then /disconnect strava withdrawing access at Strava. Oura: the
personal access token pasted and deleted, nights of sleep, HRV and resting heart rate stored
as day summaries, /sync showing the connection, its last import and the latest night.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
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
from tests.e2e.fake_bot_api import FakeBotApi, Sent
from tests.e2e.test_role_flows import GROUP, _code, _onboard, _press, _say
from tests.sync.fake_oura import FakeOura
from tests.sync.fake_server import serving
from tests.sync.fake_strava import CLIENT_ID, CLIENT_SECRET, FakeStrava

BEN, ANA = 1, 2
#: 45 minutes of a ride at one point a second: 3 min easy, 2 min hard
HR = [128 + (40 if (i // 60) % 5 >= 3 else 0) + (i % 5) for i in range(45 * 60)]


@dataclass
class Bot:
    api: FakeBotApi
    database: Database


@contextlib.asynccontextmanager
async def bot_with_jobs(database: Database, nlu_engine: NluEngine,
                        **sync_settings: Any) -> AsyncIterator[Bot]:
    """`coachloop bot` in polling mode with its job thread, the providers at the fakes."""
    api = FakeBotApi()
    url = await api.start()
    settings = Settings(telegram_token=SecretStr(TOKEN), telegram_api_url=url, **sync_settings)
    config = SyncConfig.from_settings(settings)
    dialogue = Dialogue(database, nlu_engine, features=default_features(config))
    jobs = LocalJobs(database, JobContext(planning=dialogue.planning, sync=config), poll=0.1)
    dialogue.on_commit = jobs.wake
    jobs.start()
    try:
        async with running_bot(build_application(settings, dialogue)) as app:
            api.handled = Running(api, app, database).handled
            yield Bot(api, database)
    finally:
        jobs.stop()
        await api.stop()


async def _paste(api: FakeBotApi, uid: int, name: str, text: str) -> tuple[Sent, int]:
    """Say ``text`` (a secret) and wait for the answer; (the answer, the message's id)."""
    before = len(api.to(uid))
    update_id = api.say(uid, name, text)
    message_id = api.updates[-1]["message"]["message_id"]
    [answer] = await api.reply_to(uid, before, update_id=update_id)
    return answer, message_id


async def _told(api: FakeBotApi, uid: int, words: str, timeout: float = 60) -> Sent:
    """The background job's message to ``uid`` holding ``words``."""
    await api.wait_for(lambda: any(words in s.text for s in api.to(uid)), timeout=timeout)
    return next(s for s in api.to(uid) if words in s.text)


def _authorize(link: str) -> str:
    """The athlete opens the link and presses Authorize: where Strava sends the browser."""
    answer = httpx.get(link, follow_redirects=False, timeout=5)
    assert answer.status_code == 302
    return answer.headers["location"]


async def test_strava_over_polling_code_pasted_imported_shown_to_the_athlete_only_then_revoked(
    sqlite_db: Database, nlu_engine: NluEngine
) -> None:
    ride = (dt.datetime.now(dt.UTC) - dt.timedelta(days=1)).replace(
        hour=7, minute=0, second=0, microsecond=0)
    with serving(FakeStrava()) as strava:
        strava.add_activity(5501, ride, minutes=45, hr=sum(HR) / len(HR))
        strava.add_streams(5501, HR)
        async with bot_with_jobs(
            sqlite_db, nlu_engine, strava_api_url=f"{strava.base_url}/api/v3",
            strava_oauth_url=f"{strava.base_url}/oauth", strava_client_id=CLIENT_ID,
            strava_client_secret=SecretStr(CLIENT_SECRET),
        ) as bot:
            api = bot.api
            # Ben coaches Ana's team; Ana lets the team chat see her load
            await _onboard(api, BEN, "Ben")
            code = _code((await _say(api, BEN, "Ben", "/team create Rowing"))[0].text)
            api.members[(GROUP, BEN)] = "administrator"
            await _say(api, BEN, "Ben", f"/team link {code}", chat=GROUP)
            await _onboard(api, ANA, "Ana")
            await _say(api, ANA, "Ana", f"/join {code}")
            await _say(api, ANA, "Ana", "/privacy")
            [shared] = await _press(api, ANA, "Ana", "privacy:load")
            assert "- load: shown" in shared.text
            [empty] = await _say(api, ANA, "Ana", "/history")
            assert empty.text.startswith("No history yet")

            [ask] = await _say(api, ANA, "Ana", "/connect strava")
            assert "scope activity:read_all" in ask.text and "never to your coach" in ask.text
            link = next(w for w in ask.text.split() if w.startswith(strava.base_url))
            redirected = await asyncio.to_thread(_authorize, link)
            assert redirected.startswith("http://localhost/exchange_token?state=")
            thanks, pasted_id = await _paste(api, ANA, "Ana", redirected)
            assert thanks.text.startswith("Thanks: I'm finishing the Strava connection")
            await api.wait_for(lambda: (ANA, pasted_id) in api.deleted)
            assert all(redirected not in s.text for s in api.sent)

            imported = await _told(api, ANA, "Strava: ")
            assert imported.text == "Strava: 1 new session(s)."
            chart, _ = await _say(api, ANA, "Ana", "/history", n=2)
            assert chart.method == "sendPhoto" and chart.text.startswith("Your load")
            [listed] = await _say(api, ANA, "Ana", "/sync")
            assert f"- Strava ({strava.athlete_id}): last import " in listed.text

            # the coach, in the group and in private: no Strava session in Ana's load
            to_ben = len(api.to(BEN))
            [public] = await _say(api, BEN, "Ben", "/status", chat=GROUP)
            [private] = await api.reply_to(BEN, to_ben)
            for text in (public.text, private.text):
                line = next(x for x in text.splitlines() if x.startswith("Ana: "))
                assert "load 0 AU/7d" in line, line
            [alone] = await _say(api, BEN, "Ben", "/status @ana")
            assert "load 0 AU/7d" in alone.text

            with sqlite_db.session() as s:
                [mine] = list_activities(s, 2, include_strava=True)
                assert (mine.source, mine.external_id, mine.file_type) == (
                    "strava", "5501", "streams")
                assert mine.trimp_banister and mine.trimp_banister > 30
                assert list_activities(s, 2) == []  # every other view
                row = connections.get(s, 2, "strava")
                assert row is not None and row.status == "active"
                access_token = str(row.credentials["access_token"])
                assert "code" not in row.credentials

            [going] = await _say(api, ANA, "Ana", "/disconnect strava")
            assert going.text.startswith("Strava disconnected")
            done = await _told(api, ANA, "Strava withdrew coachloop's access")
            assert done.text.endswith("the tokens are deleted.")
            assert strava.deauthorized == [access_token]
            [none] = await _say(api, ANA, "Ana", "/sync")
            assert none.text.startswith("No connections yet.")
            assert "- Strava" not in none.text
    with sqlite_db.session() as s:
        assert connections.get(s, 2, "strava") is None
        assert len(list_activities(s, 2, include_strava=True)) == 1  # what was imported stays
    exchanged = [r for r in strava.requests if r.path == "/oauth/token"]
    assert [r.form()["grant_type"] for r in exchanged] == ["authorization_code"]
    assert [r.path for r in strava.requests if r.path.endswith("/streams")] == [
        "/api/v3/activities/5501/streams"]


async def test_oura_over_polling_token_deleted_nights_in_the_day_summaries_and_sync_lists_it(
    sqlite_db: Database, nlu_engine: NluEngine
) -> None:
    today = dt.datetime.now(dt.UTC).date()
    nights = [today - dt.timedelta(days=d) for d in (3, 2, 1)]
    with serving(FakeOura()) as ring:
        for number, day in enumerate(nights):
            ring.add_night(day, hours=7 + number * 0.5, hrv=60 + number, lowest=47 + number)
        ring.add_night(nights[-1], kind="late_nap", hours=0.5, hrv=90, lowest=60)  # not a night
        async with bot_with_jobs(sqlite_db, nlu_engine, oura_api_url=ring.base_url) as bot:
            api = bot.api
            await _onboard(api, ANA, "Ana")
            [empty] = await _say(api, ANA, "Ana", "/history")
            assert empty.text.startswith("No history yet")

            [ask] = await _say(api, ANA, "Ana", "/connect oura")
            assert "personal access token" in ask.text
            connected, token_id = await _paste(api, ANA, "Ana", ring.token)
            assert connected.text.startswith("Connected to Oura. I deleted your message.")
            await api.wait_for(lambda: (ANA, token_id) in api.deleted)
            assert all(ring.token not in s.text for s in api.sent)

            imported = await _told(api, ANA, "Oura: ")
            assert imported.text == "Oura: 0 new session(s), 3 day(s) of sleep/HRV/resting HR."
            [listed] = await _say(api, ANA, "Ana", "/sync")
            lines = listed.text.splitlines()
            assert lines[0] == "Your connections:"
            assert lines[1].startswith("- Oura: last import ") and lines[1].endswith("; working")
            last = nights[-1].strftime("%a %d %b")
            assert lines[2] == (f"Latest day ({last}, from Oura): sleep 8.0 h, HRV 62 ms, "
                                "resting HR 49 bpm.")  # the night, not the nap after it
            assert lines[3].startswith("Importing what is new now")
            await _told(api, ANA, "Oura: 0 new session(s).")  # /sync's import: nothing new
    with sqlite_db.session() as s:
        days = sorted(list_activities(s, 1, include_days=True), key=lambda a: a.day or dt.date.min)
        assert [(a.source, a.day) for a in days] == [("oura", d) for d in nights]
        assert [a.rmssd_ms for a in days] == [60, 61, 62]
        assert [a.extra["resting_hr"] for a in days] == [47, 48, 49]
        assert [a.extra["sleep_h"] for a in days] == [7.0, 7.5, 8.0]
        row = connections.get(s, 1, "oura")  # Ana, the only person
        assert row is not None and row.last_import_at is not None
        assert row.credentials == {"token": ring.token}
