"""RabbitMQ and Redis stopped and started again under a running bot, on the real services.

The reply path must not depend on either: check-ins are stored and confirmed while RabbitMQ
is down (the jobs wait in their table and are published once it is back) and replies go out
while Redis is down (each process limits itself until Redis answers again).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import shutil
import signal
import socket
import subprocess
import time
import uuid
from pathlib import Path

import pytest
from redis import Redis

from bot.dialogue import Dialogue
from bot.dialogue.features import default_features
from bot.jobrunner import CeleryDispatcher
from bot.ratelimit import SharedRateLimiter
from bot.replies import Incoming
from bot.services.planning import PlanningConfig
from bot.worker import make_celery, publisher
from nlu import NluEngine
from storage import jobs
from storage.db import Database
from tests.e2e.test_task_queue import BROKER, _drop_queue, _kill, _onboard, _statuses, _wait
from tests.e2e.test_task_queue import _worker as start_worker

pytestmark = [pytest.mark.postgres, pytest.mark.slow]
NOW = dt.datetime(2026, 11, 24, 18, 0, tzinfo=dt.UTC)
REDIS_START = ["redis-server", "--daemonize", "yes", "--bind", "127.0.0.1", "-::1", "--port",
               "6379", "--save", "", "--appendonly", "no", "--dir", "/var/lib/redis",
               "--logfile", "/var/log/redis/ci.log"]


def _port_open(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex(("127.0.0.1", port)) == 0


def _until(check: object, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not check():  # type: ignore[operator]
        if time.monotonic() > deadline:
            pytest.fail(f"timed out: {what}")
        time.sleep(0.2)


def _rabbit(action: str) -> None:
    """``stop_app`` / ``start_app``: the broker closes its port and opens it again."""
    if shutil.which("rabbitmqctl") is None:
        pytest.skip("rabbitmqctl is not installed here")
    subprocess.run(["rabbitmqctl", action], check=True, capture_output=True, timeout=120)


def _checkin(dialogue: Dialogue, user_id: int, update_id: int) -> str:
    replies = dialogue.handle(Incoming(
        user_id=user_id, chat_id=user_id, display_name=f"A{user_id}", username=None,
        received_at=NOW, chat_type="private", text="rpe 6, 45 min, fine",
        update_id=update_id))
    return replies[0].text


def test_checkins_are_confirmed_while_rabbitmq_is_down_and_their_jobs_run_after(
    database: Database, nlu_engine: NluEngine, tmp_path: Path,
) -> None:
    if database.dialect != "postgresql":
        pytest.skip("the worker shares PostgreSQL here")
    dialogue = Dialogue(database, nlu_engine, timezone="UTC", features=default_features(),
                        planning=PlanningConfig(), defer_planning=True)
    for user in (1, 2, 3):
        _onboard(dialogue, user)
    queue = f"coachloop.test.{uuid.uuid4().hex[:8]}"
    dispatcher = CeleryDispatcher(database, publisher(make_celery(BROKER, queue)))
    log = tmp_path / "worker.log"
    worker = start_worker(database, log, tmp_path, queue)
    dispatcher.start()
    dialogue.on_commit = dispatcher.wake
    try:
        _wait(database, 3, 180, worker, log)  # the first weeks, before the broker goes
        _rabbit("stop_app")
        try:
            _until(lambda: not _port_open(5672), 60, "RabbitMQ closing its port")
            confirmations = [_checkin(dialogue, user, 1000 + user) for user in (1, 2, 3)]
            assert all(text.startswith("Saved") for text in confirmations), confirmations
            time.sleep(1.5)  # the dispatcher tries, and fails, to publish
            assert _statuses(database).get(jobs.PENDING, 0) == 3  # kept, not lost
        finally:
            _rabbit("start_app")
        _until(lambda: _port_open(5672), 120, "RabbitMQ back")
        _wait(database, 6, 420, worker, log)  # the re-plans, published again, ran
    finally:
        dispatcher.stop()
        _kill(worker, signal.SIGTERM)
        _drop_queue(queue)
    assert _statuses(database) == {jobs.DONE: 6}


async def test_replies_go_out_while_redis_is_down_and_share_it_again_after() -> None:
    if shutil.which("redis-server") is None or shutil.which("redis-cli") is None:
        pytest.skip("redis-server is not installed here")
    url = "redis://127.0.0.1:6379/15"
    limiter = SharedRateLimiter(url, uuid.uuid4().hex[:8])
    await limiter.initialize()
    sent: list[int] = []

    async def send(i: int) -> None:
        async def call() -> bool:
            sent.append(i)
            return True

        await limiter.process_request(call, (), {}, "sendMessage", {"chat_id": i}, None)

    try:
        for i in range(5):
            await send(i)
        subprocess.run(["redis-cli", "-p", "6379", "shutdown", "nosave"], timeout=30,
                       capture_output=True)
        await asyncio.to_thread(_until, lambda: not _port_open(6379), 30, "Redis stopping")
        try:
            for i in range(5, 10):
                await send(i)  # on each process's own limiter
        finally:
            subprocess.run(REDIS_START, check=True, timeout=30, capture_output=True)
        await asyncio.to_thread(_until, lambda: _port_open(6379), 30, "Redis back")
        await asyncio.sleep(5.5)  # the limiter tries Redis again after RETRY_REDIS
        for i in range(10, 15):
            await send(i)
        assert sent == list(range(15))
        assert Redis.from_url(url).exists(f"{limiter.prefix}:all")  # shared again
    finally:
        await limiter.shutdown()
