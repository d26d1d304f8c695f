"""Repository for prescribed sessions, their exercises and explanations, and exercise logs.

Takes plain dicts, not planner types: storage does not import the planner.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from storage.schema import (
    Activity,
    AuditLog,
    CheckIn,
    ExerciseLog,
    Explanation,
    FitnessTest,
    Override,
    Person,
    Plan,
    PrescribedSession,
    SessionExercise,
)

EXERCISE_FIELDS = (
    "exercise_id",
    "name",
    "sets",
    "reps",
    "seconds",
    "distance_m",
    "pace_s_per_km",
    "load_kg",
    "rest_s",
)


def save_prescribed(
    session: Session,
    person_id: int,
    day: dt.date,
    *,
    title: str,
    intensity_factor: float,
    volume_factor: float,
    reason_codes: Sequence[str],
    inputs: Mapping[str, Any],
    exercises: Sequence[Mapping[str, Any]],
    explanation: Mapping[str, Any],
) -> PrescribedSession:
    """Store (or replace) the session prescribed for ``person_id`` on ``day``.

    A replaced decision that differs (new data arrived: a check-in, a test, an override)
    leaves a line in the audit log with what it was, so "what did the bot tell me this
    morning?" has an answer; the line holds the title and factors, never health values.

    The person's row is locked first: a reply's plan and a background job's re-plan of the
    same day, in two processes, then replace one another in turn instead of both inserting
    (where the second would fail on the unique day).
    """
    session.execute(select(Person.id).where(Person.id == person_id)
                    .with_for_update(key_share=True))  # FOR NO KEY UPDATE: inserts of rows
    # that refer to the person (a check-in) take KEY SHARE and are not held up by it
    old = session.scalar(
        select(PrescribedSession).where(
            PrescribedSession.person_id == person_id, PrescribedSession.day == day
        )
    )
    new_ids = [item.get("exercise_id") for item in exercises]
    if old is not None and (old.title, round(old.intensity_factor, 4),
                            round(old.volume_factor, 4),
                            [e.exercise_id for e in old.exercises]) != (
            title, round(intensity_factor, 4), round(volume_factor, 4), new_ids):
        session.add(AuditLog(subject_id=person_id, action="prescription_replaced", detail={
            "day": day.isoformat(), "title": old.title,
            "intensity_factor": old.intensity_factor, "volume_factor": old.volume_factor,
            "decided_at": old.created_at.isoformat() if old.created_at else None,
            "exercises": [e.exercise_id for e in old.exercises], "new_exercises": new_ids,
            "new_title": title, "new_intensity_factor": intensity_factor,
            "new_volume_factor": volume_factor}))
    if old is not None:  # through the ORM: its loaded children leave the identity map too
        session.delete(old)
        session.flush()
    row = PrescribedSession(
        person_id=person_id,
        day=day,
        title=title,
        intensity_factor=intensity_factor,
        volume_factor=volume_factor,
        reason_codes=list(reason_codes),
        inputs=dict(inputs),
    )
    for position, item in enumerate(exercises):
        row.exercises.append(
            SessionExercise(position=position, **{k: item.get(k) for k in EXERCISE_FIELDS})
        )
    row.explanation = Explanation(
        factors=list(explanation.get("factors", [])),
        rules=list(explanation.get("rules", [])),
        sentences=list(explanation.get("sentences", [])),
    )
    session.add(row)
    session.flush()
    return row


def get_prescribed(session: Session, person_id: int, day: dt.date) -> PrescribedSession | None:
    """The stored session for that day, with exercises and explanation loaded."""
    return session.scalar(
        select(PrescribedSession)
        .where(PrescribedSession.person_id == person_id, PrescribedSession.day == day)
        .options(
            selectinload(PrescribedSession.exercises),
            selectinload(PrescribedSession.explanation),
        )
    )


def list_prescribed(
    session: Session, person_id: int, since: dt.date, until: dt.date
) -> Sequence[PrescribedSession]:
    """Prescribed sessions in ``[since, until]``, oldest first."""
    return session.scalars(
        select(PrescribedSession)
        .where(
            PrescribedSession.person_id == person_id,
            PrescribedSession.day >= since,
            PrescribedSession.day <= until,
        )
        .order_by(PrescribedSession.day)
    ).all()


def add_exercise_log(session: Session, person_id: int, day: dt.date, **values: Any) -> ExerciseLog:
    """Record one exercise done, skipped or found too hard."""
    status = values.get("status", "done")
    if status not in ("done", "skipped", "too_hard"):
        raise ValueError("status must be done, skipped or too_hard")
    row = ExerciseLog(person_id=person_id, day=day, **values)
    row.completed = status != "skipped"
    session.add(row)
    session.flush()
    return row


def list_exercise_logs(session: Session, person_id: int, since: dt.date) -> Sequence[ExerciseLog]:
    """Exercise-level history from ``since`` on, oldest first."""
    return session.scalars(
        select(ExerciseLog)
        .where(ExerciseLog.person_id == person_id, ExerciseLog.day >= since)
        .order_by(ExerciseLog.day, ExerciseLog.id)
    ).all()


def latest_plan(session: Session, person_id: int) -> Plan | None:
    """The person's newest multi-week plan."""
    return session.scalar(
        select(Plan).where(Plan.person_id == person_id).order_by(Plan.id.desc()).limit(1)
    )


def find_plan(session: Session, person_id: int, start_day: dt.date, key: str) -> Plan | None:
    """The newest plan starting on ``start_day`` made from the tests named by ``key``."""
    rows = session.scalars(
        select(Plan)
        .where(Plan.person_id == person_id, Plan.start_day == start_day)
        .order_by(Plan.id.desc())
    ).all()
    return next((p for p in rows if (p.meta or {}).get("tests_key") == key), None)


def add_plan(
    session: Session, person_id: int, start_day: dt.date, end_day: dt.date, template: str,
    meta: Mapping[str, Any],
) -> Plan:
    """Store a new plan."""
    plan = Plan(person_id=person_id, start_day=start_day, end_day=end_day, template=template,
                meta=dict(meta))
    session.add(plan)
    session.flush()
    return plan


def newest_input_at(session: Session, person_id: int) -> dt.datetime | None:
    """When the newest thing a plan reads about the person was stored (a check-in, a file,
    a fitness test, exercise feedback, a coach's override): a decision stored after it is
    still current."""
    times = [
        session.scalar(select(func.max(model.created_at)).where(model.person_id == person_id))
        for model in (CheckIn, Activity, FitnessTest, ExerciseLog, Override)
    ]
    known = [t for t in times if t is not None]
    return max(known) if known else None
