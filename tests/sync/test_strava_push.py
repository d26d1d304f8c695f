"""Strava's push subscription (handshake, events) and OAuth callback on the bot's server."""

from __future__ import annotations

import asyncio
import datetime as dt
import socket
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest
import tornado.web
from sqlalchemy import select

from bot import jobs as job_functions
from bot.jobs import JobContext
from bot.services.planning import PlanningConfig
from bot.strava_push import CALLBACK_PATH, PUSH_PATH, strava_routes
from bot.sync import SyncConfig
from bot.sync.importer import sync_person
from storage import connections
from storage import jobs as job_rows
from storage.activities import list_activities
from storage.db import Database
from storage.schema import Activity, ExerciseLog, Person
from tests.sync.fake_server import serving
from tests.sync.fake_strava import CLIENT_ID, CLIENT_SECRET, FakeStrava
from tests.wearables.conftest import add_person

RUN = dt.datetime.now(dt.UTC).replace(microsecond=0) - dt.timedelta(days=2)
VERIFY = "verify-me-0123"


@pytest.fixture()
def fake_strava() -> Iterator[FakeStrava]:
    with serving(FakeStrava()) as fake:
        yield fake


@pytest.fixture()
def config(fake_strava: FakeStrava) -> SyncConfig:
    return SyncConfig(
        strava_api_url=f"{fake_strava.base_url}/api/v3",
        strava_oauth_url=f"{fake_strava.base_url}/oauth",
        strava_client_id=CLIENT_ID,
        strava_client_secret=CLIENT_SECRET,
        strava_verify_token=VERIFY,
        strava_subscription_id=77,
        timeout_s=5,
        max_wait_s=1.5,
    )


@pytest.fixture()
def athlete(database: Database, fake_strava: FakeStrava) -> int:
    person = add_person(database)
    tokens = fake_strava._tokens(athlete=False)
    with database.session() as s:
        connections.save(
            s,
            person,
            "strava",
            {k: tokens[k] for k in ("access_token", "refresh_token", "expires_at")},
            external_athlete_id=str(fake_strava.athlete_id),
        )
    return person


@pytest.fixture()
async def server(database: Database, config: SyncConfig) -> AsyncIterator[str]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    app = tornado.web.Application(strava_routes(database, config))
    listening = app.listen(port, address="127.0.0.1")
    yield f"http://127.0.0.1:{port}"
    listening.stop()


def run_jobs(database: Database, config: SyncConfig) -> None:
    ctx = JobContext(planning=PlanningConfig(use_policy=False), sync=config)
    for job in database.run(lambda db: job_rows.due(db)):
        job_functions.run(database, job.key, ctx)


def event(fake: FakeStrava, **fields: Any) -> dict[str, Any]:
    return {
        "object_type": "activity",
        "object_id": 9001,
        "aspect_type": "create",
        "owner_id": fake.athlete_id,
        "subscription_id": 77,
        "event_time": 1732550000,
        "updates": {},
        **fields,
    }


async def test_the_subscription_handshake_echoes_the_challenge_for_our_token_only(
    server: str,
) -> None:
    async with httpx.AsyncClient() as client:
        ok = await client.get(
            f"{server}{PUSH_PATH}",
            params={
                "hub.mode": "subscribe",
                "hub.challenge": "15f7d1a91c1f40f8a748fd134752feb3",
                "hub.verify_token": VERIFY,
            },
        )
        assert ok.status_code == 200
        assert ok.json() == {"hub.challenge": "15f7d1a91c1f40f8a748fd134752feb3"}
        wrong = await client.get(
            f"{server}{PUSH_PATH}",
            params={"hub.mode": "subscribe", "hub.challenge": "x", "hub.verify_token": "guess"},
        )
        no_mode = await client.get(
            f"{server}{PUSH_PATH}", params={"hub.challenge": "x", "hub.verify_token": VERIFY}
        )
    assert (wrong.status_code, no_mode.status_code) == (403, 403)


async def test_create_update_and_delete_events_pull_refresh_and_remove(
    server: str,
    database: Database,
    config: SyncConfig,
    fake_strava: FakeStrava,
    athlete: int,
) -> None:
    fake_strava.add_activity(9001, RUN, minutes=45)
    async with httpx.AsyncClient() as client:
        assert (
            await client.post(f"{server}{PUSH_PATH}", json=event(fake_strava))
        ).status_code == 200
        await asyncio.to_thread(run_jobs, database, config)
        with database.session() as s:
            (row,) = list_activities(s, athlete, include_strava=True)
            assert (row.source, row.external_id, row.hr_avg) == ("strava", "9001", 145)
            assert s.scalars(select(ExerciseLog)).all() == []  # plans never read Strava's
        fake_strava.activities[0]["average_heartrate"] = 151  # edited on Strava
        assert (
            await client.post(
                f"{server}{PUSH_PATH}",
                json=event(fake_strava, aspect_type="update", event_time=1732550100),
            )
        ).status_code == 200
        await asyncio.to_thread(run_jobs, database, config)
        with database.session() as s:
            (row,) = list_activities(s, athlete, include_strava=True)
            assert row.hr_avg == 151
        assert (
            await client.post(
                f"{server}{PUSH_PATH}",
                json=event(fake_strava, aspect_type="delete", event_time=1732550200),
            )
        ).status_code == 200
    with database.session() as s:
        assert s.scalars(select(Activity)).all() == []
        assert not connections.seen(s, athlete, "strava", "9001")


async def test_deauthorisation_erases_the_tokens_and_stops_syncing(
    server: str,
    database: Database,
    config: SyncConfig,
    fake_strava: FakeStrava,
    athlete: int,
) -> None:
    async with httpx.AsyncClient() as client:
        response = await client.post(
            f"{server}{PUSH_PATH}",
            json=event(
                fake_strava,
                object_type="athlete",
                object_id=fake_strava.athlete_id,
                aspect_type="update",
                updates={"authorized": "false"},
            ),
        )
    assert response.status_code == 200
    with database.session() as s:
        row = connections.get(s, athlete, "strava")
        assert row is not None and row.credentials == {} and row.status == "revoked"
        assert connections.active(s, "strava") == []
    with pytest.raises(ValueError, match="withdrawn"):
        sync_person(database, config, athlete, "strava")


async def test_events_of_another_subscription_or_athlete_and_bad_bodies_change_nothing(
    server: str,
    database: Database,
    fake_strava: FakeStrava,
    athlete: int,
) -> None:
    async with httpx.AsyncClient() as client:
        other = await client.post(
            f"{server}{PUSH_PATH}",
            json=event(
                fake_strava,
                subscription_id=5,
                object_type="athlete",
                updates={"authorized": "false"},
            ),
        )
        stranger = await client.post(f"{server}{PUSH_PATH}", json=event(fake_strava, owner_id=1))
        odd = await client.post(
            f"{server}{PUSH_PATH}", json=event(fake_strava, aspect_type="explode")
        )
        garbage = await client.post(f"{server}{PUSH_PATH}", content=b"{not json")
        huge = await client.post(f"{server}{PUSH_PATH}", content=b"[" + b"1," * 20000 + b"1]")
    assert [r.status_code for r in (other, stranger, odd)] == [200, 200, 200]
    assert (garbage.status_code, huge.status_code) == (400, 400)
    with database.session() as s:
        row = connections.get(s, athlete, "strava")
        assert row is not None and row.status == "active" and row.credentials
    assert database.run(lambda db: job_rows.due(db)) == []


async def test_the_oauth_callback_accepts_our_state_only(
    server: str,
    database: Database,
    config: SyncConfig,
    fake_strava: FakeStrava,
) -> None:
    person = add_person(database)
    with database.session() as s:
        connections.save_pending(s, person, "strava", "n0nce")
    code = fake_strava.new_code()
    async with httpx.AsyncClient() as client:
        forged = await client.get(
            f"{server}{CALLBACK_PATH}",
            params={"state": f"{person}.other", "code": code, "scope": "read,activity:read_all"},
        )
        assert forged.status_code == 400 and "expired" in forged.text
        ok = await client.get(
            f"{server}{CALLBACK_PATH}",
            params={"state": f"{person}.n0nce", "code": code, "scope": "read,activity:read_all"},
        )
    assert ok.status_code == 200 and "connected" in ok.text
    await asyncio.to_thread(run_jobs, database, config)
    with database.session() as s:
        row = connections.get(s, person, "strava")
        assert row is not None and row.status == "active" and "access_token" in row.credentials
        telegram = s.get(Person, person)
        assert telegram is not None
