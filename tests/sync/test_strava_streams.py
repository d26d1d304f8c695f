"""Strava's streams against its fake: samples as a file's, so load is a file's load; manual
activities (no streams) and streams that contradict the reference."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest

from bot.sync import SyncConfig
from bot.sync.importer import sync_person
from bot.sync.strava_streams import parse_streams
from bot.sync.transport import MalformedPayload
from bot.uploads import import_upload
from storage import connections
from storage.activities import list_activities
from storage.db import Database
from storage.schema import Activity
from tests.sync.fake_server import serving
from tests.sync.fake_strava import CLIENT_ID, CLIENT_SECRET, FakeStrava
from tests.wearables.conftest import add_person
from tests.wearables.fit_writer import write_fit

START = dt.datetime.now(dt.UTC).replace(microsecond=0) - dt.timedelta(days=5)
PROFILE: dict[str, object] = {"sex": "f", "birth_year": 1995, "hr_rest": 50.0, "hr_max": 190.0}
#: 40 minutes of intervals: 3 min easy, 2 min hard (the weighting is convex, so a mean-HR
#: summary would under-count this session)
HR = [125 + (45 if (i // 60) % 5 >= 3 else 0) + (i % 4) for i in range(40 * 60)]


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
        timeout_s=5,
        max_wait_s=1.5,
    )


@pytest.fixture()
def athlete(sqlite_db: Database, fake_strava: FakeStrava) -> int:
    person = add_person(sqlite_db, **PROFILE)
    tokens = fake_strava._tokens(athlete=False)
    with sqlite_db.session() as s:
        connections.save(
            s,
            person,
            "strava",
            {k: tokens[k] for k in ("access_token", "refresh_token", "expires_at")},
            external_athlete_id=str(fake_strava.athlete_id),
        )
    return person


def strava_rows(db: Database, person: int) -> list[Activity]:
    with db.session() as s:
        rows = list_activities(s, person, include_strava=True)
        s.expunge_all()
        return rows


def test_streams_give_the_load_an_uploaded_file_of_the_same_samples_gives(
    sqlite_db: Database, config: SyncConfig, fake_strava: FakeStrava, athlete: int
) -> None:
    fake_strava.add_activity(7001, START, minutes=40, hr=sum(HR) / len(HR))
    fake_strava.add_streams(7001, HR, cadence=[85] * len(HR))
    report = sync_person(sqlite_db, config, athlete, "strava")
    assert (report.imported, report.error) == (1, None)
    [synced] = strava_rows(sqlite_db, athlete)
    assert synced.file_type == "streams" and synced.source == "strava"
    assert set(synced.extra["channels"]) == {"hr", "cadence", "speed"}

    uploader = add_person(sqlite_db, **PROFILE)
    result = import_upload(sqlite_db, uploader, "ride.fit", write_fit(START, HR), 2**24)
    assert result.status == "imported"
    [uploaded] = strava_rows(sqlite_db, uploader)
    assert synced.trimp_banister == pytest.approx(uploaded.trimp_banister, rel=1e-9)
    assert synced.trimp_edwards == pytest.approx(uploaded.trimp_edwards, rel=1e-9)
    assert synced.zones_s == pytest.approx(uploaded.zones_s)
    assert synced.hr_avg == pytest.approx(uploaded.hr_avg)
    assert synced.duration_s == pytest.approx(uploaded.duration_s)

    asked = next(r for r in fake_strava.requests if r.path.endswith("/streams"))
    assert asked.path == "/api/v3/activities/7001/streams"
    assert asked.query["key_by_type"] == "true"
    assert asked.query["keys"].split(",") == [
        "time", "heartrate", "watts", "distance", "altitude", "velocity_smooth", "cadence"
    ]


def test_a_manual_activity_without_streams_is_stored_from_its_summary(
    sqlite_db: Database, config: SyncConfig, fake_strava: FakeStrava, athlete: int
) -> None:
    fake_strava.add_activity(7101, START, minutes=30)  # no streams: the fake answers 404
    fake_strava.add_activity(7102, START + dt.timedelta(days=1), minutes=30)
    fake_strava.streams["7102"] = {}  # an empty stream set
    report = sync_person(sqlite_db, config, athlete, "strava")
    assert (report.imported, report.error) == (2, None)
    assert [r.file_type for r in strava_rows(sqlite_db, athlete)] == ["summary", "summary"]
    again = sync_person(sqlite_db, config, athlete, "strava")
    assert (again.imported, again.error) == (0, None)  # a re-sync changes nothing
    assert len(strava_rows(sqlite_db, athlete)) == 2


def test_streams_that_contradict_the_reference_stop_the_import_and_store_nothing_wrong(
    sqlite_db: Database, config: SyncConfig, fake_strava: FakeStrava, athlete: int
) -> None:
    fake_strava.add_activity(7201, START, minutes=40)
    fake_strava.add_streams(7201, HR)
    fake_strava.streams["7201"]["heartrate"] = HR[:-5]  # shorter than the time stream
    report = sync_person(sqlite_db, config, athlete, "strava")
    assert report.error == "Strava sent streams of unequal lengths"
    assert strava_rows(sqlite_db, athlete) == []
    with sqlite_db.session() as s:
        row = connections.get(s, athlete, "strava")
        assert row is not None and row.status == "error"


def test_power_streams_beat_heart_rate_alone_among_strava_recordings(
    sqlite_db: Database, config: SyncConfig, fake_strava: FakeStrava, athlete: int
) -> None:
    # the same ride twice on Strava (a head unit and a watch both uploaded it)
    fake_strava.add_activity(7301, START, minutes=40)
    fake_strava.add_streams(7301, HR)
    fake_strava.add_activity(7302, START + dt.timedelta(seconds=20), minutes=40)
    fake_strava.add_streams(7302, HR, watts=[210] * len(HR))
    report = sync_person(sqlite_db, config, athlete, "strava")
    assert (report.imported, report.matched) == (1, 1)
    [row] = strava_rows(sqlite_db, athlete)
    assert "power" in row.extra["channels"] and row.external_id == "7302"


@pytest.mark.parametrize(
    ("payload", "expected"),
    [
        ({}, None),
        ([], None),
        ({"time": {"data": [0]}}, None),  # one point: nothing to integrate
        ({"heartrate": {"data": [120, 121]}}, None),  # no clock
        ([{"type": "time", "data": [0, 1]}, {"type": "heartrate", "data": [120, 121]}],
         {"time": [0, 1], "heartrate": [120, 121]}),  # the list form (key_by_type absent)
    ],
)
def test_stream_sets_without_a_usable_clock_are_none(payload: object, expected: object) -> None:
    assert parse_streams(payload) == expected


@pytest.mark.parametrize(
    "payload",
    [
        "streams",
        {"time": {"data": "0,1,2"}},
        {"time": {"data": [0, 2, 1]}},  # the clock runs backwards
        {"time": {"data": [0, "one"]}},
    ],
)
def test_malformed_stream_sets_are_refused_in_words(payload: object) -> None:
    with pytest.raises(MalformedPayload, match=r"^Strava sent "):
        parse_streams(payload)
