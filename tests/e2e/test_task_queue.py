"""Background jobs on the real task queue: Celery workers on this machine's RabbitMQ.

`coachloop worker` runs as its own process (as in production), the bot side publishes due jobs
(`CeleryDispatcher`), and the job table is the truth: every job ends ``done`` once, even when
the worker is killed with SIGKILL mid-burst and started again (late acknowledgement puts its
message back in the queue; the job's row makes the second run a no-op where the first had
committed).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from kombu import Connection
from sqlalchemy import func, select

from bot.dialogue import Dialogue
from bot.dialogue.features import default_features
from bot.jobrunner import CeleryDispatcher
from bot.replies import Incoming
from bot.services.planning import PlanningConfig
from bot.worker import make_celery, publisher
from nlu import NluEngine
from storage import jobs
from storage.db import Database
from storage.schema import BackgroundJob, Person, Plan

BROKER = os.environ.get("COACHLOOP_TEST_BROKER_URL", "amqp://guest:guest@127.0.0.1:5672//")
NOW = dt.datetime(2026, 11, 23, 18, 0, tzinfo=dt.UTC)


def _drop_queue(queue: str) -> None:
    """This run's queue, gone (it would otherwise stay in the broker)."""
    with Connection(BROKER, connect_timeout=5) as conn:
        channel = conn.channel()
        with contextlib.suppress(Exception):  # no queue yet: nothing to drop
            channel.queue_delete(queue)


def _worker(database: Database, log: Path, tmp: Path, queue: str) -> subprocess.Popen[bytes]:
    env = dict(os.environ, BROKER_URL=BROKER, JOB_QUEUE=queue, DATABASE_URL=database.url,
               NLU_BACKEND="vader",
               LOG_LEVEL="WARNING", HF_HUB_OFFLINE="1", DATA_DIR=str(tmp))
    return subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "worker", "--concurrency", "1", "--pool", "prefork"],
        env=env, stdout=log.open("ab"), stderr=subprocess.STDOUT, start_new_session=True)


def _kill(process: subprocess.Popen[bytes], sig: int = signal.SIGKILL) -> None:
    """The worker and its pool's children (its own process group)."""
    try:
        os.killpg(process.pid, sig)
    except ProcessLookupError:
        return
    process.wait(30)


def _onboard(dialogue: Dialogue, user_id: int) -> None:
    for i, (text, button) in enumerate([("/start", None), (None, "consent:yes"),
                                        (None, "sex:F"), ("2005", None), ("rowing", None)]):
        dialogue.handle(Incoming(
            user_id=user_id, chat_id=user_id, display_name=f"A{user_id}", username=None,
            received_at=NOW, chat_type="private", text=text, callback=button,
            update_id=user_id * 10 + i))


def _statuses(database: Database) -> dict[str, int]:
    with database.session() as s:
        return jobs.counts(s)


def _wait(database: Database, done: int, timeout: float, worker: subprocess.Popen[bytes],
          log: Path) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if _statuses(database).get(jobs.DONE, 0) >= done:
            return
        if worker.poll() is not None:
            pytest.fail(f"the worker ended: {log.read_text()[-3000:]}")
        time.sleep(0.02)
    pytest.fail(f"jobs {_statuses(database)} after {timeout:.0f} s: {log.read_text()[-3000:]}")


@pytest.mark.slow
def test_jobs_run_on_a_celery_worker_and_survive_its_kill_9(
    database: Database, nlu_engine: NluEngine, tmp_path: Path,
) -> None:
    dialogue = Dialogue(database, nlu_engine, timezone="UTC", features=default_features(),
                        planning=PlanningConfig(), defer_planning=True)
    athletes = 40
    for user in range(1, athletes + 1):
        _onboard(dialogue, user)
    assert _statuses(database) == {jobs.PENDING: athletes}
    queue = f"coachloop.test.{uuid.uuid4().hex[:8]}"  # this test's own: no other worker takes it
    dispatcher = CeleryDispatcher(database, publisher(make_celery(BROKER, queue)))
    log = tmp_path / "worker.log"
    worker = _worker(database, log, tmp_path, queue)
    try:
        assert dispatcher.publish_due() == athletes
        _wait(database, 3, 120, worker, log)
        _kill(worker)  # SIGKILL mid-burst: its unacknowledged message goes back to the queue
        half = _statuses(database).get(jobs.DONE, 0)
        assert half < athletes, "the burst finished before the kill: make it longer"
        worker = _worker(database, log, tmp_path, queue)
        _wait(database, athletes, 240, worker, log)
    finally:
        _kill(worker, signal.SIGTERM)
        _drop_queue(queue)
    assert _statuses(database) == {jobs.DONE: athletes}
    with database.session() as s:
        plans = dict(s.execute(select(Plan.person_id, func.count()).group_by(Plan.person_id))
                     .all())
        people_ids = set(s.scalars(select(Person.id)))
        attempts = set(s.scalars(select(BackgroundJob.attempts)))
    assert set(plans) == people_ids and set(plans.values()) == {1}  # each week made once
    assert attempts == {1}  # a run the kill interrupted committed nothing and counts nothing
