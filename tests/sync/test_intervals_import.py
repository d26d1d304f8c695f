"""intervals.icu against its fake: activities with their FIT, summaries, wellness, faults."""

from __future__ import annotations

import datetime as dt
import logging

import pytest
from sqlalchemy import func, select

from bot.services.history import stored_metrics
from bot.sync import SyncConfig, budgets
from bot.sync.importer import sync_person
from bot.sync.intervals import parse_credentials
from bot.uploads import import_upload
from storage import connections
from storage.activities import DAY_SUMMARY, list_activities
from storage.checkins import NewCheckIn, add_checkin
from storage.db import Database
from storage.schema import Activity, Connection, ExerciseLog, Person, SyncedItem
from tests.sync.fake_intervals import FakeIntervals
from tests.wearables.conftest import add_person
from tests.wearables.fit_writer import write_fit

NOW = dt.datetime(2026, 11, 27, 18, 0, tzinfo=dt.UTC)
RUN = dt.datetime(2026, 11, 20, 7, 0, tzinfo=dt.UTC)
LIMIT = 20 * 2**20


def connect(db: Database, fake: FakeIntervals, person: int) -> None:
    with db.session() as s:
        connections.save(
            s, person, "intervals", {"api_key": fake.api_key}, external_athlete_id=fake.athlete_id
        )


def count(db: Database, model: type) -> int:
    with db.session() as s:
        return int(s.scalar(select(func.count()).select_from(model)) or 0)


def fit_run(start: dt.datetime = RUN, minutes: int = 40, bpm: int = 150) -> bytes:
    return write_fit(start, [bpm + (i % 7) for i in range(minutes * 60)])


@pytest.fixture()
def athlete(database: Database) -> int:
    return add_person(database, sex="F", birth_year=1995)


def test_credentials_are_read_in_either_order_and_refused_with_the_form() -> None:
    assert parse_credentials("i4242 abcdefghijklmnop") == ("i4242", "abcdefghijklmnop")
    assert parse_credentials("abcdefghijklmnop, i4242") == ("i4242", "abcdefghijklmnop")
    for bad in ("", "i4242", "i4242 short", "a b c", "abcdefghijklmnop qrstuvwxyzabcdef"):
        with pytest.raises(ValueError, match="athlete id and API key"):
            parse_credentials(bad)


def test_activities_wellness_and_a_strava_stub_are_imported_once(
    database: Database, athlete: int, fake_intervals: FakeIntervals, sync_config: SyncConfig
) -> None:
    fake_intervals.add_activity("i101", RUN, minutes=40, fit=fit_run())
    fake_intervals.add_activity("i102", RUN + dt.timedelta(days=1), minutes=50, hr=135)
    fake_intervals.add_strava_stub("i103", RUN + dt.timedelta(days=2))
    fake_intervals.wellness = [
        {
            "id": "2026-11-20",
            "restingHR": 48,
            "hrv": 72.5,
            "sleepSecs": 27000,
            "sleepScore": 81,
            "weight": 61.2,
            "soreness": 2,
            "fatigue": 1,
            "steps": 9000,
        },
        {"id": "2026-11-21", "restingHR": 400, "hrv": None, "sleepSecs": 25200},  # absurd HR
    ]
    connect(database, fake_intervals, athlete)
    report = sync_person(database, sync_config, athlete, "intervals", now=NOW)
    assert (report.imported, report.matched, report.already, report.days, report.error) == (
        2,
        0,
        0,
        2,
        None,
    )
    with database.session() as s:
        rows = list_activities(s, athlete, include_days=True)
        sessions = {a.external_id: a for a in rows if a.sport != DAY_SUMMARY}
        days = {a.day: a for a in rows if a.sport == DAY_SUMMARY}
        fit, summary = sessions["i101"], sessions["i102"]
        assert fit.source == summary.source == "intervals"
        assert fit.file_type == "fit" and summary.file_type == "summary"
        assert fit.trimp_banister and summary.trimp_banister
        assert summary.duration_s == 3000 and summary.hr_avg == 135
        assert summary.extra["provider"]["icu_rpe"] == 6 and summary.extra["provider"]["feel"] == 2
        assert days[dt.date(2026, 11, 20)].extra["resting_hr"] == 48
        assert days[dt.date(2026, 11, 20)].rmssd_ms == 72.5
        assert days[dt.date(2026, 11, 20)].extra["provider"]["weight"] == 61.2
        assert days[dt.date(2026, 11, 21)].extra["resting_hr"] is None  # absurd: missing
        assert days[dt.date(2026, 11, 21)].extra["sleep_h"] == 7.0
        assert s.scalar(select(func.count()).select_from(ExerciseLog)) == 2
        connection = connections.get(s, athlete, "intervals")
        assert connection is not None and connection.last_import_at == NOW
        assert connection.cursor == RUN + dt.timedelta(days=1)
    before = (count(database, Activity), count(database, SyncedItem), count(database, ExerciseLog))
    again = sync_person(
        database, sync_config, athlete, "intervals", now=NOW, since=dt.date(2026, 11, 1)
    )
    assert (again.imported, again.already) == (0, 2)
    after = (count(database, Activity), count(database, SyncedItem), count(database, ExerciseLog))
    assert after == before


def test_a_synced_fit_drives_load_exactly_as_the_same_file_uploaded(
    database: Database, fake_intervals: FakeIntervals, sync_config: SyncConfig
) -> None:
    uploader = add_person(database, sex="M", birth_year=1990)
    syncer = add_person(database, sex="M", birth_year=1990)
    # days 0-4: a check-in and a session (the TRIMP calibration pairs five); day 5: TRIMP only
    minutes = [45, 50, 40, 55, 35, 60]
    files = [fit_run(RUN + dt.timedelta(days=d), m, 140 + 5 * d) for d, m in enumerate(minutes)]
    for person in (uploader, syncer):
        with database.session() as s:
            athlete = s.get(Person, person)
            assert athlete is not None
            for d in range(5):
                add_checkin(
                    s,
                    athlete,
                    NewCheckIn(day=RUN.date() + dt.timedelta(days=d), rpe=6, minutes=minutes[d]),
                )
    for number, data in enumerate(files):
        assert import_upload(database, uploader, f"{number}.fit", data, LIMIT).status == "imported"
        fake_intervals.add_activity(
            f"i20{number}", RUN + dt.timedelta(days=number), minutes=minutes[number], fit=data
        )
    connect(database, fake_intervals, syncer)
    assert sync_person(database, sync_config, syncer, "intervals", now=NOW).imported == 6
    with database.session() as s:
        first, last = RUN.date() - dt.timedelta(days=3), RUN.date() + dt.timedelta(days=6)
        uploaded = stored_metrics(s, uploader, first, last)
        synced = stored_metrics(s, syncer, first, last)
    assert [m.load for m in synced] == [m.load for m in uploaded]
    assert [m.acwr_rolling for m in synced] == [m.acwr_rolling for m in uploaded]
    assert [m.readiness for m in synced] == [m.readiness for m in uploaded]
    day_two = [m for m in synced if m.day == RUN.date() + dt.timedelta(days=5)]
    assert day_two and day_two[0].load > 0  # the TRIMP-only day carries load


def test_a_file_sent_in_chat_and_synced_later_is_stored_once(
    database: Database, athlete: int, fake_intervals: FakeIntervals, sync_config: SyncConfig
) -> None:
    data = fit_run()
    import_upload(database, athlete, "run.fit", data, LIMIT)
    fake_intervals.add_activity("i301", RUN, minutes=40, fit=data)  # the same bytes
    fake_intervals.add_activity("i302", RUN + dt.timedelta(seconds=70), minutes=41.5)  # summary
    connect(database, fake_intervals, athlete)
    report = sync_person(database, sync_config, athlete, "intervals", now=NOW)
    assert (report.imported, report.matched) == (0, 2)
    with database.session() as s:
        (only,) = list_activities(s, athlete)
        assert only.source == "upload" and only.file_type == "fit"


def test_a_richer_upload_replaces_a_synced_summary_in_place(
    database: Database, athlete: int, fake_intervals: FakeIntervals, sync_config: SyncConfig
) -> None:
    fake_intervals.add_activity("i401", RUN + dt.timedelta(minutes=2), minutes=41)
    connect(database, fake_intervals, athlete)
    sync_person(database, sync_config, athlete, "intervals", now=NOW)
    with database.session() as s:
        (summary,) = list_activities(s, athlete)
        summary_id = summary.id
    result = import_upload(database, athlete, "run.fit", fit_run(), LIMIT)
    assert result.status == "imported" and "richer one" in result.message
    with database.session() as s:
        (kept,) = list_activities(s, athlete)
        assert (kept.id, kept.file_type, kept.source) == (summary_id, "fit", "upload")
        assert kept.extra["replaced"][0] == {
            "source": "intervals",
            "external_id": "i401",
            "file_type": "summary",
        }
    assert import_upload(database, athlete, "run.fit", fit_run(), LIMIT).status == "duplicate"
    assert (
        sync_person(
            database, sync_config, athlete, "intervals", now=NOW, since=dt.date(2026, 11, 1)
        ).already
        == 1
    )
    assert count(database, Activity) == 1


def test_a_429_stops_the_import_and_the_next_one_resumes_from_the_last_stored_item(
    database: Database, athlete: int, fake_intervals: FakeIntervals, sync_config: SyncConfig
) -> None:
    for day in range(3):
        fake_intervals.add_activity(f"i50{day}", RUN + dt.timedelta(days=day), minutes=30)
    connect(database, fake_intervals, athlete)
    # the list and the first item's two file requests and its streams pass, then a long
    # Retry-After
    fake_intervals.fail_at(5, 429, {"Retry-After": "900"})
    report = sync_person(database, sync_config, athlete, "intervals", now=NOW)
    assert report.imported == 1 and report.error is not None and "slow down" in report.error
    with database.session() as s:
        connection = connections.get(s, athlete, "intervals")
        assert connection is not None and connection.status == "error"
        assert connection.last_error and "resumes in 15 min" in connection.last_error
        assert connection.cursor == RUN
    budgets._BUDGETS.clear()  # fifteen minutes later: the budget is free again
    resumed = sync_person(database, sync_config, athlete, "intervals", now=NOW)
    assert (resumed.imported, resumed.already, resumed.error) == (2, 1, None)
    assert count(database, Activity) == 3
    oldest = [
        r.query.get("oldest") for r in fake_intervals.requests if r.path.endswith("/activities")
    ]
    assert oldest[-1] == RUN.date().isoformat()  # resumed from the cursor, not 30 days back


def test_a_short_retry_after_is_waited_for_in_place(
    database: Database, athlete: int, fake_intervals: FakeIntervals, sync_config: SyncConfig
) -> None:
    fake_intervals.add_activity("i601", RUN, minutes=30)
    connect(database, fake_intervals, athlete)
    fake_intervals.fail_next(429, {"Retry-After": "1"})
    report = sync_person(database, sync_config, athlete, "intervals", now=NOW)
    assert (report.imported, report.error) == (1, None)


def test_a_wrong_key_is_an_error_in_words_and_nothing_is_stored(
    database: Database, athlete: int, fake_intervals: FakeIntervals, sync_config: SyncConfig
) -> None:
    fake_intervals.add_activity("i701", RUN, minutes=30)
    with database.session() as s:
        connections.save(
            s,
            athlete,
            "intervals",
            {"api_key": "not-the-right-key-000"},
            external_athlete_id=fake_intervals.athlete_id,
        )
    report = sync_person(database, sync_config, athlete, "intervals", now=NOW)
    assert report.error == "intervals.icu refused the credentials (HTTP 401)"
    assert count(database, Activity) == 0
    with database.session() as s:
        (row,) = s.scalars(select(Connection)).all()
        assert row.status == "error" and row.last_error == report.error


@pytest.mark.parametrize("fault", ["not json", "not a list", "no id", "bad time"])
def test_malformed_payloads_stop_the_import_and_store_nothing(
    database: Database,
    athlete: int,
    fake_intervals: FakeIntervals,
    sync_config: SyncConfig,
    fault: str,
) -> None:
    if fault == "not json":
        fake_intervals.add_activity("i801", RUN, minutes=30)
        fake_intervals.malformed = True
    elif fault == "not a list":
        fake_intervals.listing = {"id": "x"}
    elif fault == "no id":
        fake_intervals.activities.append({"start_date_local": "2026-11-20T07:00:00"})
    else:
        fake_intervals.add_activity("i802", RUN, minutes=30)
        fake_intervals.activities[0]["start_date"] = "yesterday"
    connect(database, fake_intervals, athlete)
    report = sync_person(database, sync_config, athlete, "intervals", now=NOW)
    assert report.error is not None and "intervals.icu sent" in report.error
    assert count(database, Activity) == 0


def test_the_api_key_never_reaches_a_log_line(
    database: Database,
    athlete: int,
    fake_intervals: FakeIntervals,
    sync_config: SyncConfig,
    caplog: pytest.LogCaptureFixture,
) -> None:
    fake_intervals.add_activity("i901", RUN, minutes=30, fit=fit_run())
    fake_intervals.fail_next(500)
    connect(database, fake_intervals, athlete)
    with caplog.at_level(logging.DEBUG):
        sync_person(database, sync_config, athlete, "intervals", now=NOW)
        with database.session() as s:
            connections.save(
                s,
                athlete,
                "intervals",
                {"api_key": fake_intervals.api_key[::-1]},
                external_athlete_id=fake_intervals.athlete_id,
            )
        sync_person(database, sync_config, athlete, "intervals", now=NOW)
    assert caplog.records  # httpx, the importer and the upload path all logged
    text = "\n".join(r.getMessage() + str(r.args) for r in caplog.records)
    for secret in (fake_intervals.api_key, fake_intervals.api_key[::-1]):
        assert secret not in text
    assert "Basic " not in text
