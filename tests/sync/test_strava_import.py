"""Strava's import against its fake: pages, the rate headers, malformed tokens, no token in
a log line; and the budgets' arithmetic with a clock of our own."""

from __future__ import annotations

import datetime as dt
import email.utils
import logging
from collections.abc import Iterator

import pytest

from bot.sync import SyncConfig, ratelimit
from bot.sync.importer import sync_person
from bot.sync.ratelimit import Budget, Window, retry_after_s
from storage import connections
from storage.activities import list_activities
from storage.db import Database
from tests.sync.fake_server import serving
from tests.sync.fake_strava import CLIENT_ID, CLIENT_SECRET, FakeStrava
from tests.wearables.conftest import add_person

START = dt.datetime.now(dt.UTC).replace(microsecond=0) - dt.timedelta(days=20)


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
    person = add_person(sqlite_db)
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


def test_activities_arrive_across_pages_oldest_first(
    sqlite_db: Database,
    config: SyncConfig,
    fake_strava: FakeStrava,
    athlete: int,
) -> None:
    for n in range(130):
        fake_strava.add_activity(1000 + n, START + dt.timedelta(hours=3 * n), minutes=30)
    report = sync_person(sqlite_db, config, athlete, "strava")
    assert (report.imported, report.error) == (130, None)
    pages = [r.query["page"] for r in fake_strava.requests if r.path.endswith("/activities")]
    assert pages == ["1", "2"]
    with sqlite_db.session() as s:
        assert len(list_activities(s, athlete, include_strava=True)) == 130
        row = connections.get(s, athlete, "strava")
        assert row is not None and row.cursor == START + dt.timedelta(hours=3 * 129)


def test_a_used_up_window_stops_the_import_until_it_resets(
    sqlite_db: Database,
    config: SyncConfig,
    fake_strava: FakeStrava,
    athlete: int,
) -> None:
    fake_strava.add_activity(1, START, minutes=30)
    fake_strava.usage = [198, 1500]  # the app's other athletes used the window
    first = sync_person(sqlite_db, config, athlete, "strava")
    # the list and the activity's streams (a 404: no streams) brought usage to 200/200
    assert first.imported == 1
    second = sync_person(sqlite_db, config, athlete, "strava")
    assert second.error is not None and "rate limit is reached" in second.error
    assert len([r for r in fake_strava.requests if r.path.endswith("/activities")]) == 1


def test_a_429_from_strava_is_honoured(
    sqlite_db: Database,
    config: SyncConfig,
    fake_strava: FakeStrava,
    athlete: int,
) -> None:
    fake_strava.add_activity(1, START, minutes=30)
    fake_strava.fail_next(429, {"X-RateLimit-Limit": "200,2000", "X-RateLimit-Usage": "201,900"})
    report = sync_person(sqlite_db, config, athlete, "strava")
    assert report.error is not None and "slow down" in report.error
    with sqlite_db.session() as s:
        row = connections.get(s, athlete, "strava")
        assert row is not None and row.status == "error" and "resumes in" in (row.last_error or "")


def test_a_token_answer_that_is_not_tokens_is_refused(
    sqlite_db: Database,
    config: SyncConfig,
    fake_strava: FakeStrava,
    athlete: int,
) -> None:
    with sqlite_db.session() as s:
        row = connections.get(s, athlete, "strava")
        assert row is not None
        row.credentials = {**row.credentials, "expires_at": 0}  # refresh needed
    fake_strava.handle = lambda request: fake_strava.json_answer({"token_type": "Bearer"})  # type: ignore[method-assign]
    report = sync_person(sqlite_db, config, athlete, "strava")
    assert report.error == "Strava sent tokens that are not a token object"


def test_no_strava_token_or_secret_reaches_a_log_line(
    sqlite_db: Database,
    config: SyncConfig,
    fake_strava: FakeStrava,
    athlete: int,
    caplog: pytest.LogCaptureFixture,
) -> None:
    fake_strava.add_activity(1, START, minutes=30)
    with sqlite_db.session() as s:
        row = connections.get(s, athlete, "strava")
        assert row is not None
        secrets = [row.credentials["access_token"], row.credentials["refresh_token"]]
        row.credentials = {**row.credentials, "expires_at": 0}  # a refresh happens too
    with caplog.at_level(logging.DEBUG):
        assert sync_person(sqlite_db, config, athlete, "strava").error is None
        fake_strava.fail_next(401)
        sync_person(sqlite_db, config, athlete, "strava")
    with sqlite_db.session() as s:
        row = connections.get(s, athlete, "strava")
        assert row is not None
        secrets += [row.credentials["access_token"], row.credentials["refresh_token"]]
    text = "\n".join(r.getMessage() + str(r.args) for r in caplog.records)
    assert caplog.records
    for secret in [*secrets, CLIENT_SECRET]:
        assert secret not in text
    assert "Bearer " not in text


class Clock:
    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def test_budget_windows_reset_at_their_boundaries() -> None:
    clock = Clock(900 * 1000 + 890.0)  # ten seconds before a quarter hour ends
    budget = Budget((Window(900, 2), Window(86_400, 3)), clock=clock)
    budget.take()
    budget.take()
    assert budget.wait_s() == pytest.approx(10.0)  # the 15-minute window is used up
    clock.now += 10
    assert budget.wait_s() == 0
    budget.take()
    assert budget.wait_s() > 3600  # the day's 3 are used: wait for midnight UTC


def test_the_providers_usage_header_counts_when_higher() -> None:
    clock = Clock(1_000_000.0)
    budget = Budget(ratelimit.STRAVA_WINDOWS, clock=clock)
    budget.observe({"X-RateLimit-Limit": "200,2000", "X-RateLimit-Usage": "200,950"})
    assert budget.wait_s() > 0
    budget = Budget(ratelimit.STRAVA_WINDOWS, clock=clock)
    budget.observe({"X-ReadRateLimit-Limit": "100,1000", "X-ReadRateLimit-Usage": "100,10"})
    assert budget.wait_s() > 0  # the read limit is used up: as good as the whole window
    budget = Budget(ratelimit.STRAVA_WINDOWS, clock=clock)
    budget.observe({"X-RateLimit-Limit": "garbage", "X-RateLimit-Usage": "1,2,3"})
    assert budget.wait_s() == 0


def test_retry_after_reads_seconds_and_http_dates() -> None:
    now = 1_700_000_000.0
    assert retry_after_s("120", now) == 120
    later = email.utils.formatdate(now + 90, usegmt=True)
    assert retry_after_s(later, now) == pytest.approx(90, abs=1)
    assert retry_after_s("soon", now) is None and retry_after_s(None, now) is None
