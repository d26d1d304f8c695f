"""Where background jobs run: a thread of this process, or Celery workers on a broker.

Both read the same job table (`storage.jobs`): a handler commits the job with its own effects
and calls `wake`, and the runner takes every due job. So a job asked for while the broker
was down, or while the bot was stopped, still runs: after the restart, or as soon as the
broker answers again.

- `LocalJobs` (no broker configured, the embedded default of `make run`): one thread runs
  due jobs one at a time with the same job functions a worker runs (`bot.jobs.run`).
- `CeleryDispatcher` (``BROKER_URL`` set): one thread publishes due jobs to Celery
  (`bot.worker`), records that it did, and publishes again a job that stayed pending too long
  (a lost message); the workers run them, acknowledging late.
"""

from __future__ import annotations

import logging
import threading
from typing import Protocol

from bot import jobs as job_functions
from bot.jobs import JobContext
from storage import jobs
from storage.db import Database

log = logging.getLogger(__name__)

POLL_SECONDS = 1.0


class JobRunner(Protocol):
    """What an adapter starts beside the bot, and pokes after a handler committed a job."""

    def start(self) -> None: ...

    def wake(self) -> None: ...

    def stop(self) -> None: ...


class _Loop:
    """A named thread that calls ``step`` whenever woken (or every ``poll`` seconds).

    The runners below are this loop with a different step: they start, wake and stop it.
    """

    def __init__(self, name: str, poll: float) -> None:
        self._name = name
        self._poll = poll
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.errors = 0

    def step(self) -> int:
        """One round of work; returns how much was done (0: sleep until woken)."""
        raise NotImplementedError

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._loop, name=self._name, daemon=True)
            self._thread.start()

    def wake(self) -> None:
        self._wake.set()

    @property
    def stopping(self) -> bool:
        return self._stop.is_set()

    def stop(self, timeout: float = 30.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def _loop(self) -> None:
        backoff = self._poll
        while not self._stop.is_set():
            try:
                worked = self.step()
                backoff = self._poll
            except Exception as exc:  # a database or broker outage: wait, never end
                self.errors += 1
                log.warning("%s: %s; retrying in %.0f s", self._name, type(exc).__name__,
                            backoff)
                worked = 0
                self._stop.wait(backoff)
                backoff = min(backoff * 2, 30.0)
            if not worked:
                self._wake.wait(self._poll)
                self._wake.clear()


class LocalJobs(_Loop):
    """Runs due jobs in a thread of this process (no broker)."""

    def __init__(self, database: Database, ctx: JobContext, *,
                 poll: float = POLL_SECONDS) -> None:
        super().__init__("jobs-local", poll)
        self.database = database
        self.ctx = ctx
        self.ran = 0

    def run_due(self) -> int:
        """Run every job due now, oldest first; returns how many were taken."""
        due = self.database.run(lambda s: jobs.due(s))
        for job in due:
            if self.stopping:  # a stop waits for one job, not for the whole queue
                break
            job_functions.run(self.database, job.key, self.ctx)
            self.ran += 1
        return len(due)

    step = run_due


class Publisher(Protocol):
    """Hands one job key to the workers (Celery's ``send_task``, in production)."""

    def __call__(self, key: str) -> None: ...


class CeleryDispatcher(_Loop):
    """Publishes due jobs to Celery workers; the job table remembers what was published."""

    def __init__(self, database: Database, publish: Publisher, *,
                 poll: float = POLL_SECONDS) -> None:
        super().__init__("jobs-dispatch", poll)
        self.database = database
        self.publish = publish
        self.published = 0

    def publish_due(self) -> int:
        """Publish every due job; a broker error stops this round (the rest wait)."""
        due = self.database.run(lambda s: jobs.due(s))
        sent: list[str] = []
        try:
            for job in due:
                self.publish(job.key)
                sent.append(job.key)
        finally:
            if sent:
                self.database.run(lambda s: jobs.mark_published(s, sent))
                self.published += len(sent)
        return len(sent)

    step = publish_due
