"""intervals.icu activities without a file: their streams (getActivityStreams) become samples
as a file's records do, so heart-rate load is a file's load; without streams, the summary."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from bot.sync import SyncConfig
from bot.sync.importer import sync_person
from bot.uploads import import_upload
from storage import connections
from storage.activities import list_activities
from storage.db import Database
from storage.schema import Activity
from tests.sync.fake_intervals import FakeIntervals
from tests.wearables.conftest import add_person
from tests.wearables.fit_writer import write_fit

NOW = dt.datetime(2026, 11, 27, 18, 0, tzinfo=dt.UTC)
START = dt.datetime(2026, 11, 22, 7, 0, tzinfo=dt.UTC)
PROFILE: dict[str, Any] = {"sex": "f", "birth_year": 1995, "hr_rest": 50.0, "hr_max": 190.0}
#: 40 minutes of intervals (3 min easy, 2 min hard): a mean-HR summary under-counts it
HR = [125 + (45 if (i // 60) % 5 >= 3 else 0) + (i % 4) for i in range(40 * 60)]


def rows(db: Database, person: int) -> list[Activity]:
    with db.session() as s:
        found = list_activities(s, person)
        s.expunge_all()
        return found


@pytest.fixture()
def athlete(sqlite_db: Database, fake_intervals: FakeIntervals) -> int:
    person = add_person(sqlite_db, **PROFILE)
    with sqlite_db.session() as s:
        connections.save(s, person, "intervals", {"api_key": fake_intervals.api_key},
                         external_athlete_id=fake_intervals.athlete_id)
    return person


def test_streams_of_an_activity_without_a_file_give_the_load_its_file_would_give(
    sqlite_db: Database, sync_config: SyncConfig, fake_intervals: FakeIntervals, athlete: int
) -> None:
    fake_intervals.add_activity("i801", START, minutes=40, hr=sum(HR) / len(HR))  # no file
    fake_intervals.add_streams("i801", HR)
    report = sync_person(sqlite_db, sync_config, athlete, "intervals", now=NOW)
    assert (report.imported, report.error) == (1, None)
    [synced] = rows(sqlite_db, athlete)
    assert (synced.source, synced.external_id, synced.file_type) == ("intervals", "i801",
                                                                     "streams")
    assert synced.extra["provider"]["icu_rpe"] == 6  # the athlete's own fields stay

    twin = add_person(sqlite_db, **PROFILE)
    assert import_upload(sqlite_db, twin, "run.fit", write_fit(START, HR),
                         2**24).status == "imported"
    [uploaded] = rows(sqlite_db, twin)
    assert synced.trimp_banister == pytest.approx(uploaded.trimp_banister, rel=1e-9)
    assert synced.trimp_edwards == pytest.approx(uploaded.trimp_edwards, rel=1e-9)
    assert synced.zones_s == pytest.approx(uploaded.zones_s)
    assert synced.duration_s == pytest.approx(uploaded.duration_s)

    asked = [r for r in fake_intervals.requests if r.path.endswith("/streams.json")]
    assert [r.path for r in asked] == ["/api/v1/activity/i801/streams.json"]
    assert asked[0].query["types"].split(",") == [
        "time", "heartrate", "watts", "distance", "altitude", "velocity_smooth", "cadence"]
    again = sync_person(sqlite_db, sync_config, athlete, "intervals", now=NOW)
    assert (again.imported, again.already) == (0, 1)  # a re-sync changes nothing


def test_a_file_is_preferred_and_an_activity_without_streams_keeps_its_summary(
    sqlite_db: Database, sync_config: SyncConfig, fake_intervals: FakeIntervals, athlete: int
) -> None:
    fake_intervals.add_activity("i811", START, minutes=40, fit=write_fit(START, HR))
    fake_intervals.add_streams("i811", HR)
    fake_intervals.add_activity("i812", START + dt.timedelta(days=1), minutes=30)  # by hand: []
    report = sync_person(sqlite_db, sync_config, athlete, "intervals", now=NOW)
    assert (report.imported, report.error) == (2, None)
    assert sorted(r.file_type for r in rows(sqlite_db, athlete)) == ["fit", "summary"]
    streams_asked = [r.path for r in fake_intervals.requests if "/streams" in r.path]
    assert streams_asked == ["/api/v1/activity/i812/streams.json"]  # never for i811


def test_streams_that_contradict_the_reference_stop_the_import_and_store_nothing(
    sqlite_db: Database, sync_config: SyncConfig, fake_intervals: FakeIntervals, athlete: int
) -> None:
    fake_intervals.add_activity("i821", START, minutes=40)
    fake_intervals.add_streams("i821", HR)
    fake_intervals.streams["i821"]["heartrate"] = HR[:-3]
    report = sync_person(sqlite_db, sync_config, athlete, "intervals", now=NOW)
    assert report.error == "intervals.icu sent streams of unequal lengths"
    assert rows(sqlite_db, athlete) == []
