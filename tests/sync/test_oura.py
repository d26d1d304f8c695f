"""Oura against its fake: nights into day summaries, pages, faults, the chat connection."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest

from bot import jobs as job_functions
from bot.dialogue import Dialogue
from bot.dialogue.features import default_features
from bot.jobs import JobContext
from bot.replies import DELETE_META, Incoming, Reply
from bot.sync import SyncConfig
from bot.sync.importer import sync_person
from bot.uploads import import_upload
from nlu import NluEngine
from storage import connections
from storage import jobs as job_rows
from storage.activities import DAY_SUMMARY, list_activities
from storage.db import Database
from tests.sync.fake_oura import FakeOura
from tests.sync.fake_server import serving
from tests.wearables.conftest import add_person

TODAY = dt.datetime.now(dt.UTC).date()


@pytest.fixture()
def fake_oura() -> Iterator[FakeOura]:
    with serving(FakeOura()) as fake:
        yield fake


@pytest.fixture()
def config(fake_oura: FakeOura) -> SyncConfig:
    return SyncConfig(oura_url=fake_oura.base_url, timeout_s=5, max_wait_s=1.5)


def days_of(database: Database, person: int) -> dict[dt.date, dict[str, Any]]:
    with database.session() as s:
        return {
            a.day: {**a.extra, "rmssd_ms": a.rmssd_ms}
            for a in list_activities(s, person, include_days=True)
            if a.sport == DAY_SUMMARY and a.day is not None
        }


def test_nights_become_day_summaries_across_pages_once(
    database: Database,
    fake_oura: FakeOura,
    config: SyncConfig,
) -> None:
    person = add_person(database)
    with database.session() as s:
        connections.save(s, person, "oura", {"token": fake_oura.token})
    for back in range(1, 6):
        fake_oura.add_night(TODAY - dt.timedelta(days=back), hrv=60 + back, lowest=45 + back)
    fake_oura.add_night(TODAY - dt.timedelta(days=1), kind="late_nap", hours=0.5, hrv=99)
    fake_oura.add_night(TODAY - dt.timedelta(days=2), kind="sleep", hours=1.0, lowest=30)
    report = sync_person(database, config, person, "oura")
    assert (report.days, report.error) == (5, None)
    days = days_of(database, person)
    yesterday = days[TODAY - dt.timedelta(days=1)]
    assert (yesterday["resting_hr"], yesterday["hrv_ms"], yesterday["sleep_h"]) == (46, 61, 7.5)
    assert yesterday["rmssd_ms"] == 61 and yesterday["provider"]["sleepScore"] == 80
    assert days[TODAY - dt.timedelta(days=2)]["resting_hr"] == 47  # the main night, not the nap
    pages = [r for r in fake_oura.requests if r.path.endswith("/sleep")]
    assert len(pages) == 4 and pages[-1].query["next_token"] == "6"  # 7 periods, 2 a page
    again = sync_person(database, config, person, "oura")
    assert again.days == 0 and days_of(database, person) == days


def test_a_day_stored_from_another_source_only_gains_what_it_lacked(
    database: Database,
    fake_oura: FakeOura,
    config: SyncConfig,
) -> None:
    person = add_person(database)
    day = TODAY - dt.timedelta(days=1)
    csv = f"Date,Steps,Resting Heart Rate\n{day.isoformat()},9000,52\n".encode()
    assert import_upload(database, person, "days.csv", csv, 2**20).status == "imported"
    with database.session() as s:
        connections.save(s, person, "oura", {"token": fake_oura.token})
    fake_oura.add_night(day, hrv=70, lowest=44)
    sync_person(database, config, person, "oura")
    (stored,) = days_of(database, person).values()
    assert (stored["steps"], stored["resting_hr"], stored["hrv_ms"]) == (9000, 52, 70)


@pytest.mark.parametrize("fault", ["token", "malformed", "server"])
def test_faults_stop_with_words_and_store_nothing(
    database: Database,
    fake_oura: FakeOura,
    config: SyncConfig,
    fault: str,
) -> None:
    person = add_person(database)
    with database.session() as s:
        connections.save(
            s,
            person,
            "oura",
            {"token": "revoked-token-0123456789" if fault == "token" else fake_oura.token},
        )
    fake_oura.add_night(TODAY - dt.timedelta(days=1))
    if fault == "malformed":
        fake_oura.malformed = True
    if fault == "server":
        fake_oura.fail_next(503, times=3)
    report = sync_person(database, config, person, "oura")
    expected = {
        "token": "Oura refused the credentials (HTTP 401)",
        "malformed": "Oura sent an answer that is not JSON",
        "server": "Oura answered HTTP 503; try /sync later",
    }[fault]
    assert report.error == expected
    assert days_of(database, person) == {}


def test_connect_oura_in_the_chat(
    database: Database,
    nlu_engine: NluEngine,
    fake_oura: FakeOura,
    config: SyncConfig,
) -> None:
    dialogue = Dialogue(database, nlu_engine, features=default_features(config))
    fake_oura.add_night(TODAY - dt.timedelta(days=1), hrv=66)
    received = dt.datetime.now(dt.UTC)
    counter = iter(range(1, 100))

    def say(text: str | None = None, button: str | None = None) -> Reply:
        number = next(counter)
        (reply, *_) = dialogue.handle(
            Incoming(
                user_id=9,
                chat_id=9,
                display_name="Ana",
                received_at=received,
                text=text,
                callback=button,
                update_id=number,
                message_id=number,
            )
        )
        return reply

    say("/start"), say(button="consent:yes"), say(button="sex:F"), say("1995"), say("running")
    assert "personal access token" in say("/connect oura").text
    refused = say("not a token")
    assert "couldn't read that" in refused.text and DELETE_META in refused.meta
    connected = say(fake_oura.token)
    assert "Connected to Oura" in connected.text and DELETE_META in connected.meta
    ctx = JobContext(planning=dialogue.planning, sync=config)
    for job in database.run(lambda db: job_rows.due(db)):
        job_functions.run(database, job.key, ctx)
    with database.session() as s:
        person = connections.list_for(s, 1)[0].person_id
    (day,) = days_of(database, person).values()
    assert day["hrv_ms"] == 66
    assert "Oura: last import" in say("/sync").text
