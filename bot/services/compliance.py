"""Planned vs done for one athlete: the stored plans against what they reported.

A read: the stored sessions (never a new plan), the check-ins' minutes and RPE, the wearable
files' durations and /done's exercise marks; `planner.compliance` classifies each day.
"""

from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import dataclass

from sqlalchemy.orm import Session as DbSession

from planner.compliance import PlannedVsDone, classify, compliance
from storage import checkins as checkin_repo
from storage import plans as plan_repo
from storage.activities import list_activities

WEEK = 7
USUAL_RPE_DAYS = 28
MIN_RATED = 3
"""Rated sessions needed before the athlete's usual RPE sets a planned load."""


@dataclass(frozen=True, slots=True)
class DayOutcome:
    """One planned day: the numbers and how it ended (None: rest kept or not over yet)."""

    numbers: PlannedVsDone
    outcome: str | None


def outcomes(db: DbSession, person_id: int, today: dt.date,
             days: int = WEEK) -> list[DayOutcome]:
    """The last ``days`` planned days up to yesterday (and today, when already reported)."""
    start = today - dt.timedelta(days=days)
    plans = {p.day: p for p in plan_repo.list_prescribed(db, person_id, start, today)}
    rows = checkin_repo.list_checkins(db, person_id,
                                      since=today - dt.timedelta(days=USUAL_RPE_DAYS),
                                      until=today)
    rated = [r.rpe for r in rows if r.rpe is not None and r.minutes]
    usual = statistics.median(rated) if len(rated) >= MIN_RATED else None
    minutes: dict[dt.date, float] = {}
    load: dict[dt.date, float] = {}
    for r in rows:
        if r.minutes is not None and r.day >= start:
            minutes[r.day] = minutes.get(r.day, 0.0) + float(r.minutes)
            if r.rpe is not None:
                load[r.day] = load.get(r.day, 0.0) + float(r.rpe) * float(r.minutes)
    for a in list_activities(db, person_id):
        if a.day is not None and start <= a.day <= today and a.day not in minutes:
            seconds = a.moving_s or a.duration_s
            if seconds:
                minutes[a.day] = seconds / 60
    marks: dict[dt.date, list[str]] = {}
    for log in plan_repo.list_exercise_logs(db, person_id, start):
        marks.setdefault(log.day, []).append(log.status)
    out = []
    for day in sorted(plans):
        plan = plans[day]
        planned = (plan.inputs or {}).get("planned_minutes")
        numbers = PlannedVsDone(
            day=day, planned_minutes=float(planned) if planned else None,
            rest=float(planned) <= 0 if planned is not None else not plan.exercises,
            done_minutes=minutes.get(day), done_load=load.get(day), usual_rpe=usual,
            exercises_done=sum(1 for s in marks.get(day, ()) if s != "skipped"),
            exercises_skipped=sum(1 for s in marks.get(day, ()) if s == "skipped"))
        out.append(DayOutcome(numbers, classify(numbers, today)))
    return out


def week_compliance(db: DbSession, person_id: int, today: dt.date) -> float | None:
    """The last seven days' compliance (`planner.compliance.compliance`)."""
    return compliance([d.outcome for d in outcomes(db, person_id, today)])
