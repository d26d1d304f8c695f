"""The providers' request budgets shared through a real Redis: two processes of one app stay
inside one budget together, and a 429 seen by one stops both until the window resets."""

from __future__ import annotations

import datetime as dt
import threading
import uuid
from collections.abc import Iterator

import pytest
from redis import Redis
from redis.exceptions import RedisError

from bot.sync import SyncConfig, budgets
from bot.sync.budgets import RedisBudget, budget_for
from bot.sync.importer import sync_person
from bot.sync.ratelimit import Budget, Window
from bot.sync.transport import ProviderHttp, RateLimited
from storage import connections
from storage.activities import list_activities
from storage.db import Database
from tests.sync.fake_server import serving
from tests.sync.fake_strava import CLIENT_ID, CLIENT_SECRET, FakeStrava
from tests.wearables.conftest import add_person

REDIS_URL = "redis://127.0.0.1:6379/15"
START = dt.datetime.now(dt.UTC).replace(microsecond=0) - dt.timedelta(days=3)


class Clock:
    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture()
def redis_client() -> Iterator[Redis]:
    client = Redis.from_url(REDIS_URL, socket_connect_timeout=1)
    try:
        client.ping()
    except RedisError:
        pytest.fail("Redis is not running on 127.0.0.1:6379 (`make broker` starts it)")
    yield client
    client.close()


@pytest.fixture()
def prefix(redis_client: Redis) -> Iterator[str]:
    """A key prefix of this test's own: no other test's counts."""
    name = f"test:sync:{uuid.uuid4().hex[:10]}"
    yield name
    for key in redis_client.scan_iter(f"{name}:*"):
        redis_client.delete(key)


@pytest.fixture()
def fake_strava() -> Iterator[FakeStrava]:
    with serving(FakeStrava()) as fake:
        yield fake


def test_two_processes_take_exactly_the_shared_windows_requests(
    redis_client: Redis, prefix: str
) -> None:
    windows = (Window(900, 20), Window(86_400, 30))
    clock = Clock(900 * 2_000_000 + 10.0)
    processes = [RedisBudget(redis_client, prefix, windows, clock=clock) for _ in range(2)]
    taken: list[int] = []
    lock = threading.Lock()

    def ask(budget: RedisBudget) -> None:
        for _ in range(25):
            if budget.acquire() == 0:
                with lock:
                    taken.append(1)

    threads = [threading.Thread(target=ask, args=(b,)) for b in processes for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(taken) == 20  # 100 asks, 20 allowed in the quarter hour
    assert processes[1].wait_s() == pytest.approx(890.0)
    clock.now += 890  # the next quarter hour: the day's window has 10 left
    assert sum(processes[0].acquire() == 0 for _ in range(15)) == 10
    assert processes[1].wait_s() > 3600  # until midnight UTC


def test_two_processes_sending_to_strava_stay_inside_its_window_together(
    redis_client: Redis, prefix: str, fake_strava: FakeStrava
) -> None:
    windows = (Window(900, 12), Window(86_400, 2_000))
    sent: list[str] = []
    bearer = {"Authorization": f"Bearer {fake_strava._tokens(athlete=False)['access_token']}"}
    fake_strava.add_streams(1, [150] * 60)

    def process(name: str) -> None:
        budget = RedisBudget(redis_client, prefix, windows)
        with ProviderHttp("Strava", fake_strava.base_url, budget, timeout_s=5,
                          max_wait_s=0.5, headers=bearer) as http:
            for _ in range(10):
                try:
                    http.request("GET", "/api/v3/activities/1/streams")
                except RateLimited:
                    return
                sent.append(name)

    threads = [threading.Thread(target=process, args=(n,)) for n in ("a", "b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(fake_strava.requests) == 12 == len(sent)


def test_without_redis_each_process_counts_its_own() -> None:
    assert isinstance(budget_for("strava", SyncConfig()), Budget)
    budget = budget_for("strava", SyncConfig(redis_url=REDIS_URL, budget_prefix="x"))
    assert isinstance(budget, RedisBudget)
    assert budget is budget_for("strava", SyncConfig(redis_url=REDIS_URL, budget_prefix="x"))


def test_an_unreachable_redis_falls_back_to_the_process_count() -> None:
    dead = Redis.from_url("redis://127.0.0.1:1/0", socket_connect_timeout=0.2)
    budget = RedisBudget(dead, "test:sync:dead", (Window(900, 2),))
    assert [budget.acquire(), budget.acquire()] == [0.0, 0.0]
    assert budget.acquire() > 0  # the local count holds the window


def test_a_429_with_stravas_headers_stops_every_process_and_the_import_resumes(
    sqlite_db: Database, redis_client: Redis, prefix: str, fake_strava: FakeStrava
) -> None:
    config = SyncConfig(
        strava_api_url=f"{fake_strava.base_url}/api/v3",
        strava_oauth_url=f"{fake_strava.base_url}/oauth",
        strava_client_id=CLIENT_ID,
        strava_client_secret=CLIENT_SECRET,
        timeout_s=5,
        max_wait_s=1.5,
        redis_url=REDIS_URL,
        budget_prefix=prefix,
    )
    person = add_person(sqlite_db)
    tokens = fake_strava._tokens(athlete=False)
    with sqlite_db.session() as s:
        connections.save(s, person, "strava",
                         {k: tokens[k] for k in ("access_token", "refresh_token", "expires_at")})
    for n in range(3):
        fake_strava.add_activity(500 + n, START + dt.timedelta(hours=n), minutes=30)
        fake_strava.add_streams(500 + n, [140 + i % 9 for i in range(30 * 60)])
    clock = Clock(900 * (int(START.timestamp()) // 900 + 100) + 60.0)
    first_process = budget_for("strava", config)
    assert isinstance(first_process, RedisBudget)
    first_process.clock = clock
    # the list, the first activity's streams, then Strava says the window is used up
    fake_strava.fail_at(3, 429, {"X-RateLimit-Limit": "200,2000",
                                 "X-RateLimit-Usage": "200,900"})
    report = sync_person(sqlite_db, config, person, "strava")
    assert report.imported == 1 and report.error is not None and "slow down" in report.error
    asked = len(fake_strava.requests)

    budgets._BUDGETS.clear()  # a second bot process of the same app
    second_process = budget_for("strava", config)
    assert isinstance(second_process, RedisBudget) and second_process is not first_process
    second_process.clock = clock
    again = sync_person(sqlite_db, config, person, "strava")
    assert again.error is not None and "rate limit is reached" in again.error
    assert len(fake_strava.requests) == asked  # nothing was sent

    clock.now += 900  # the next quarter hour
    fake_strava.usage = [0, 900]
    resumed = sync_person(sqlite_db, config, person, "strava")
    assert (resumed.imported, resumed.error) == (2, None)
    with sqlite_db.session() as s:
        rows = list_activities(s, person, include_strava=True)
        assert sorted(r.external_id or "" for r in rows) == ["500", "501", "502"]
        assert {r.file_type for r in rows} == {"streams"}
