"""The digest's JobQueue jobs: scheduled from the database in the coach's zone, removed when
turned off, and a run writes the digest and the nudges to the outbox once a day."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import AsyncIterator
from zoneinfo import ZoneInfo

import pytest
from pydantic import SecretStr
from sqlalchemy.orm import Session
from telegram.ext import Application

from bot import digests
from bot.config import Settings
from bot.dialogue import Dialogue
from bot.dialogue.features import default_features
from bot.telegram_app import build_application
from nlu import NluEngine
from storage import checkins, groups, outbox, people
from storage.db import Database
from tests.bot.fakes import RecordingRequest


@pytest.fixture
async def app(sqlite_db: Database, nlu_engine: NluEngine) -> AsyncIterator[Application]:
    dialogue = Dialogue(sqlite_db, nlu_engine, features=default_features())
    request = RecordingRequest()
    application = build_application(Settings(telegram_token=SecretStr("123456:TEST-TOKEN")),
                                     dialogue, request=request, get_updates_request=request,
                                     rate_limit=False)
    await application.initialize()
    yield application
    await application.shutdown()


def _team(s: Session) -> None:
    coach = people.get_or_create_person(s, 501, "Ben")
    people.give_consent(s, coach, {})
    people.update_profile(coach, digest_time="07:30", timezone="Europe/Rome")
    team = groups.create_group(s, coach, "team", "Rowing")
    ana = people.get_or_create_person(s, 502, "Ana")
    people.give_consent(s, ana, {})
    groups.join(s, ana, team)
    checkins.add_checkin(s, ana, checkins.NewCheckIn(
        day=dt.datetime.now(dt.UTC).date() - dt.timedelta(days=3), rpe=5, minutes=40,
        source="seed"))


async def test_digests_are_scheduled_in_the_zone_written_once_and_removed_when_off(
        app: Application, sqlite_db: Database) -> None:
    sqlite_db.run(_team)
    await app.start()
    try:
        assert app.job_queue is not None
        assert await digests.restore(app, sqlite_db) == 1
        [job] = app.job_queue.get_jobs_by_name("digest:501")
        assert job.next_t is not None
        at = job.next_t.astimezone(ZoneInfo("Europe/Rome"))
        assert (at.hour, at.minute) == (7, 30)

        def written() -> list[int]:
            with sqlite_db.session() as s:
                return sorted(r.chat_id for r in outbox.loose(s))

        app.job_queue.run_once(digests.run_digest, 0, chat_id=501, user_id=501)
        for _ in range(200):
            if written():
                break
            await asyncio.sleep(0.05)
        assert written() == [501, 502]  # the digest, Ana's nudge
        app.job_queue.run_once(digests.run_digest, 0, chat_id=501, user_id=501)
        await asyncio.sleep(1.0)
        assert written() == [501, 502], "today's digest was claimed: nothing more"

        def off(s: Session) -> None:
            coach = people.get_by_telegram_id(s, 501)
            assert coach is not None
            people.update_profile(coach, digest_time=None)

        sqlite_db.run(off)
        await digests.restore(app, sqlite_db)
        await asyncio.sleep(0.1)
        assert not [j for j in app.job_queue.get_jobs_by_name("digest:501") if not j.removed]
    finally:
        await app.stop()
