"""Planning off the reply path: jobs asked for in the handler's transaction, run once.

On SQLite and PostgreSQL: a check-in's reply is planned quickly and asks for the full
re-plan; the job stores the full decision (the PPO proposal's inputs included) and sends a
follow-up only when tomorrow changed in a way the athlete would notice; a job delivered twice,
or by two workers at once, has its effects once; a failing job retries with back-off and
gives up after its attempts, with its error's class and place only.
"""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

import pytest
from sqlalchemy import func, select

from bot import jobs as job_functions
from bot.dialogue import Dialogue
from bot.dialogue.features import default_features
from bot.jobrunner import CeleryDispatcher, LocalJobs
from bot.jobs import JobContext, what_changed
from bot.replies import Incoming, Reply
from bot.services.background import FIRST_WEEK, REPLAN, ask_replan
from bot.services.planning import PlanningConfig
from nlu import NluEngine
from storage import jobs, outbox
from storage.db import Database
from storage.schema import BackgroundJob, OutboxMessage, Person, Plan, PrescribedSession

NOW = dt.datetime(2026, 11, 23, 18, 0, tzinfo=dt.UTC)
FULL = PlanningConfig()


class Athlete:
    def __init__(self, dialogue: Dialogue, user_id: int = 7) -> None:
        self.dialogue, self.user_id, self.updates = dialogue, user_id, 100

    def send(self, text: str | None = None, *, button: str | None = None,
             at: dt.datetime = NOW) -> list[Reply]:
        self.updates += 1
        return self.dialogue.handle(Incoming(
            user_id=self.user_id, chat_id=self.user_id, display_name="Ana", username="ana",
            received_at=at, chat_type="private", text=text, callback=button,
            update_id=self.updates))

    def onboard(self) -> None:
        self.send("/start")
        self.send(button="consent:yes")
        self.send(button="sex:F")
        self.send("2004")
        self.send("running")


@pytest.fixture
def deferred(database: Database, nlu_engine: NluEngine) -> Dialogue:
    return Dialogue(database, nlu_engine, timezone="UTC", features=default_features(),
                    planning=FULL, defer_planning=True)


def _jobs(database: Database) -> list[tuple[str, str, int]]:
    with database.session() as s:
        return [(r.kind, r.status, r.attempts)
                for r in s.scalars(select(BackgroundJob).order_by(BackgroundJob.id))]


def test_a_new_athletes_first_week_is_prepared_as_a_job_right_after_the_profile(
    deferred: Dialogue,
) -> None:
    ana = Athlete(deferred)
    ana.onboard()
    assert _jobs(deferred.database) == [(FIRST_WEEK, jobs.PENDING, 0)]
    with deferred.database.session() as s:
        assert s.scalar(select(func.count()).select_from(Plan)) == 0
    runner = LocalJobs(deferred.database, JobContext(FULL))
    assert runner.run_due() == 1
    assert _jobs(deferred.database) == [(FIRST_WEEK, jobs.DONE, 1)]
    with deferred.database.session() as s:
        plan = s.scalar(select(Plan))
        assert plan is not None and "schedule" in (plan.meta or {})  # ACO's week, made now
        assert s.scalar(select(func.count()).select_from(PrescribedSession)) == 1


def test_a_checkin_answers_at_once_and_the_full_replan_lands_later(deferred: Dialogue) -> None:
    ana = Athlete(deferred)
    ana.onboard()
    runner = LocalJobs(deferred.database, JobContext(FULL))
    runner.run_due()
    for day in range(9):  # enough history for the PPO proposal (7 days)
        replies = ana.send(f"rpe {4 + day % 3}, {30 + day} min, legs fine",
                           at=NOW + dt.timedelta(days=day))
        assert replies[0].text.startswith("Saved")
        assert "\n\nNext: " in replies[0].text  # one message: saved, then tomorrow
    tomorrow = (NOW + dt.timedelta(days=9)).date()
    with deferred.database.session() as s:
        quick = s.scalar(select(PrescribedSession).where(PrescribedSession.day == tomorrow))
        assert quick is not None and quick.inputs["policy_volume_change"] is None
    pending = [k for k, status, _ in _jobs(deferred.database) if status == jobs.PENDING]
    assert pending == [REPLAN] * 9
    assert runner.run_due() == 9
    with deferred.database.session() as s:
        full = s.scalar(select(PrescribedSession).where(PrescribedSession.day == tomorrow))
        assert full is not None and full.inputs["policy_volume_change"] is not None
    assert runner.run_due() == 0  # nothing left, nothing run twice


def test_a_follow_up_only_when_tomorrow_changed_materially(deferred: Dialogue) -> None:
    ana = Athlete(deferred)
    ana.onboard()
    day = dt.date(2026, 11, 24)
    runner = LocalJobs(deferred.database, JobContext(FULL))
    with deferred.database.session() as s:
        person = s.scalar(select(Person))
        assert person is not None
        shown = {"title": "a session the plan never names", "rest": False, "exercises": []}
        assert ask_replan(s, person, day, cause="t:1", chat_id=7, shown=shown)
        assert not ask_replan(s, person, day, cause="t:1", chat_id=7, shown=shown)  # once
    runner.run_due()
    with deferred.database.session() as s:
        texts = [str(r.body.get("text")) for r in outbox.loose(s, chat_id=7)]
        stored = s.scalar(select(PrescribedSession).where(PrescribedSession.day == day))
        assert stored is not None
        same = {"title": stored.title, "rest": not stored.exercises,
                "exercises": [e.exercise_id for e in stored.exercises]}
    assert len(texts) == 1 and texts[0].startswith("Update: "), texts
    assert stored.title in texts[0]
    with deferred.database.session() as s:
        person = s.scalar(select(Person))
        assert person is not None
        ask_replan(s, person, day, cause="t:2", chat_id=7, shown=same)
    runner.run_due()
    with deferred.database.session() as s:
        assert len(outbox.loose(s, chat_id=7)) == 1  # the same session: no second message


def test_what_changed_ignores_dose_and_names_rest_title_and_exercises() -> None:
    base = {"title": "Aerobic base", "rest": False, "exercises": ["run_easy", "plank"]}
    assert what_changed(base, dict(base)) is None
    assert what_changed({}, base) is None  # nothing was shown: nothing to correct
    assert "rest day" in str(what_changed(base, {**base, "rest": True}))
    assert "Intervals" in str(what_changed(base, {**base, "title": "Intervals"}))
    assert "exercises" in str(what_changed(base, {**base, "exercises": ["plank"]}))


def test_a_job_delivered_twice_or_to_two_workers_at_once_runs_once(deferred: Dialogue) -> None:
    ana = Athlete(deferred)
    ana.onboard()
    with deferred.database.session() as s:
        key = s.scalar(select(BackgroundJob.key))
    assert key is not None
    outcomes: list[str] = []
    ctx = JobContext(FULL)

    def work() -> None:
        outcomes.append(job_functions.run(deferred.database, key, ctx))

    threads = [threading.Thread(target=work) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == [job_functions.RAN, job_functions.SKIPPED]
    assert job_functions.run(deferred.database, key, ctx) == job_functions.SKIPPED
    with deferred.database.session() as s:
        assert s.scalar(select(func.count()).select_from(Plan)) == 1


def test_a_failing_job_retries_with_back_off_then_gives_up_without_its_message(
    deferred: Dialogue, monkeypatch: pytest.MonkeyPatch,
) -> None:
    def boom(db: Any, job: Any, ctx: Any) -> None:
        raise RuntimeError("knee pain 7/10 in the message")

    monkeypatch.setitem(job_functions.JOBS, FIRST_WEEK, boom)
    ana = Athlete(deferred)
    ana.onboard()
    with deferred.database.session() as s:
        key = s.scalar(select(BackgroundJob.key))
    assert key is not None
    ctx = JobContext(FULL)
    assert job_functions.run(deferred.database, key, ctx) == jobs.PENDING
    with deferred.database.session() as s:
        row = s.scalar(select(BackgroundJob))
        assert row is not None and row.attempts == 1 and row.not_before > NOW
        assert row.error is not None and row.error.startswith("RuntimeError at bot.jobs:")
        assert "knee" not in row.error
        assert jobs.due(s) == []  # not before its back-off
    statuses = [job_functions.run(deferred.database, key, ctx)
                for _ in range(jobs.MAX_ATTEMPTS - 1)]
    assert statuses[-1] == jobs.FAILED
    assert _jobs(deferred.database) == [(FIRST_WEEK, jobs.FAILED, jobs.MAX_ATTEMPTS)]


def test_the_dispatcher_keeps_what_the_broker_refused_and_publishes_it_later(
    deferred: Dialogue,
) -> None:
    ana = Athlete(deferred)
    ana.onboard()
    published: list[str] = []
    down = [True]

    def publish(key: str) -> None:
        if down[0]:
            raise ConnectionError("broker down")
        published.append(key)

    dispatcher = CeleryDispatcher(deferred.database, publish)
    with pytest.raises(ConnectionError):
        dispatcher.publish_due()
    assert published == [] and _jobs(deferred.database) == [(FIRST_WEEK, jobs.PENDING, 0)]
    down[0] = False
    assert dispatcher.publish_due() == 1
    assert dispatcher.publish_due() == 0  # published, not yet stale: not sent again
    with deferred.database.session() as s:
        assert len(jobs.due(s, now=NOW + dt.timedelta(days=30))) == 1  # lost? sent again
        assert s.scalar(select(func.count()).select_from(OutboxMessage)) == 0


def test_why_reads_the_full_decision_while_it_is_current_and_replans_after_new_data(
    deferred: Dialogue,
) -> None:
    ana = Athlete(deferred)
    ana.onboard()
    LocalJobs(deferred.database, JobContext(FULL)).run_due()  # the first week: today, in full

    def today_row() -> tuple[int, bool]:
        with deferred.database.session() as s:
            row = s.scalar(select(PrescribedSession).where(PrescribedSession.day == NOW.date()))
            assert row is not None
            return row.id, bool((row.inputs or {}).get("quick"))

    stored = today_row()
    assert stored[1] is False
    why = ana.send("/why")[0].text
    assert why.startswith("Why ") and today_row() == stored  # read, not planned again
    ana.send("rpe 6, 40 min, my knee hurts")  # new data: today's decision must see the pain
    why = ana.send("/why")[0].text
    assert today_row()[0] != stored[0]
    assert "pain" in why.lower()
