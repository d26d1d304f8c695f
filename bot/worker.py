"""Celery on the broker (RabbitMQ): the task that runs a background job, and its publisher.

One task, ``coachloop.run_job(key)``: the message carries only the job's key, the job itself
is a row of the job table (`storage.jobs`), so the broker never holds a health value and a
lost message loses nothing. Acknowledged late, and rejected back to the queue when its worker
dies, so a ``kill -9`` mid-job means another worker runs it; `bot.jobs.run` makes that second
run a no-op when the first one had committed. Retries with back-off are the job table's (the
dispatcher publishes a failed job again when its ``not_before`` passes), not Celery's: one
retry policy, visible in the database.
"""

from __future__ import annotations

import logging
import os
from typing import Any

from celery import Celery
from celery.signals import worker_process_init

from bot import jobs
from bot.jobs import JobContext
from storage.db import Database, open_database

log = logging.getLogger(__name__)

TASK = "coachloop.run_job"
QUEUE = "coachloop.jobs"


class _WorkerState:
    """The database and planning a worker process runs jobs with (opened after the fork)."""

    url: str | None = None
    ctx: JobContext | None = None
    database: Database | None = None

    @classmethod
    def database_for_this_process(cls) -> Database:
        if cls.database is None:
            if cls.url is None:
                raise RuntimeError("the worker was started without a database (coachloop "
                                   "worker sets it)")
            cls.database = open_database(cls.url)
        return cls.database


@worker_process_init.connect
def _after_fork(**_: Any) -> None:
    """A prefork child opens its own connections, and loads the models itself.

    Nothing heavy runs in the parent before the fork: torch's thread pool does not survive a
    fork (a child's first forward pass then hangs for good), so each child warms up here.
    """
    _WorkerState.database = None
    if _WorkerState.ctx is not None:
        jobs.warm_up(_WorkerState.ctx)


def make_celery(broker_url: str, queue: str = QUEUE) -> Celery:
    """The Celery app: late acknowledgement, one message at a time per worker process.

    ``queue``: one per installation (``JOB_QUEUE``). A worker only finds jobs in its own
    database, so two installations sharing a broker must not share a queue.
    """
    app = Celery("coachloop", broker=broker_url, set_as_current=False)
    app.conf.update(
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        task_default_queue=queue,
        task_serializer="json",
        accept_content=["json"],
        task_ignore_result=True,
        broker_connection_retry_on_startup=True,
        broker_connection_timeout=3,
        worker_hijack_root_logger=False,
        worker_proc_alive_timeout=120,  # a child warms up (policy, SHAP kernels) first
    )

    @app.task(name=TASK)
    def run_job(key: str) -> str:
        ctx = _WorkerState.ctx
        if ctx is None:
            raise RuntimeError("the worker was started without a planning context")
        return jobs.run(_WorkerState.database_for_this_process(), key, ctx)

    return app


def configure_worker(database_url: str, ctx: JobContext) -> None:
    """What this worker's processes run jobs with (set before the worker starts)."""
    _WorkerState.url = database_url
    _WorkerState.ctx = ctx
    _WorkerState.database = None


def publisher(app: Celery) -> Any:
    """Publish one job key (the dispatcher's `Publisher`); a down broker raises at once."""

    def publish(key: str) -> None:
        app.send_task(TASK, args=[key], queue=app.conf.task_default_queue, retry=False)

    return publish


def start_worker(app: Celery, *, concurrency: int, pool: str = "prefork",
                 loglevel: str = "INFO") -> None:
    """Run a worker in this process until it is stopped (``coachloop worker``)."""
    if pool != "prefork" and _WorkerState.ctx is not None:  # no fork: warm up here
        jobs.warm_up(_WorkerState.ctx)
    argv = ["worker", f"--concurrency={concurrency}", f"--pool={pool}",
            f"--loglevel={loglevel}", "--without-gossip", "--without-mingle",
            f"--hostname=coachloop-{os.getpid()}@%h", "-Q", app.conf.task_default_queue]
    app.worker_main(argv=argv)
