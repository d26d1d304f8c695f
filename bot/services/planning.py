"""Read an athlete's history from storage, ask the planner, store the decision.

This is the orchestration the architecture puts in `bot/`: storage in, pure planner decision,
storage out. The planner never sees a database row, only plain views.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy.orm import Session as DbSession

from bot.services.approval import payload_of, settle_plan
from bot.services.history import day_night_flags, load_inputs, nights_of
from bot.services.policy import propose_for
from bot.services.prescription import DEFAULT_WEIGHTS, ensure_plan, plan_inputs
from bot.services.schedule import aco_schedule
from models.registry import policy_dir
from planner.availability import Availability
from planner.daily import (
    CheckInView,
    CoachOverride,
    DayContext,
    ExerciseLogView,
    PlannedDay,
    PriorSession,
    plan_day,
)
from planner.explanation import Explanation, FiredRule, ShapFactor
from planner.night import plan_flags
from planner.readiness import metrics_history
from storage import checkins as checkin_repo
from storage import plans as plan_repo
from storage.activities import DAY_SUMMARY, list_activities
from storage.groups import override_for
from storage.schema import Activity, CheckIn, Person

log = logging.getLogger(__name__)

HISTORY_DAYS = 120


@dataclass(frozen=True, slots=True)
class PlanningConfig:
    """Which models the daily plan may use (retrained ones under ``model_dir`` first)."""

    model_dir: Path | None = None
    use_scheduler: bool = True
    use_policy: bool = True
    reward_weights: tuple[float, float, float] = DEFAULT_WEIGHTS  # Eq. 9, for ACO's weeks
    # False: a period without a stored plan is planned from its template for this answer
    # only, so the full plan (ACO's week) is still made, by the job that re-plans
    store_new_plan: bool = True

    def quick(self) -> PlanningConfig:
        """The reply path's planning: every rule (pain guard, two-week rule, FRBI, the coach's
        override) on the stored plan, but no new ACO week and no PPO proposal, which a
        background job adds (`bot.services.background`)."""
        return replace(self, use_scheduler=False, use_policy=False, store_new_plan=False)


def local_today(person: Person | None, now: dt.datetime, default_tz: str = "UTC") -> dt.date:
    """The athlete's calendar day at ``now`` in their own time zone."""
    name = (person.timezone if person is not None else None) or default_tz
    try:
        zone = ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo("UTC")
    return now.astimezone(zone).date()


def frbi_series(
    rows: list[CheckIn], activities: list[Activity], start: dt.date, end: dt.date
) -> dict[dt.date, float | None]:
    """FRBI per day from check-ins (sRPE, Hooper wellness) and wearable sessions (TRIMP).

    A wearable session counts only on days without a session RPE, mapped to the sRPE scale by
    the athlete's own calibration (`planner.load.calibrate_trimp`).
    """
    sessions, wellness = load_inputs(rows, activities)
    if not sessions:
        return {}
    first = min(s.day for s in sessions)
    history = metrics_history(sessions, wellness, min(first, start), end)
    return {m.day: m.frbi for m in history if m.day >= start}


def build_context(
    db: DbSession, person: Person, day: dt.date, config: PlanningConfig | None = None
) -> DayContext:
    """Everything the planner needs for ``day``, read from storage (and the person's plan)."""
    config = config or PlanningConfig()
    scheduler = (partial(aco_schedule, weights=config.reward_weights)
                 if config.use_scheduler else None)
    plan = ensure_plan(db, person, day, model_dir=config.model_dir, scheduler=scheduler,
                       store=config.store_new_plan, weights=config.reward_weights)
    from_plan = plan_inputs(plan, day)
    away = Availability.from_dict(person.availability).away(day)
    override = override_for(db, person.id, day)
    since = day - dt.timedelta(days=HISTORY_DAYS)
    # A report of the day's own session (RPE, minutes, a wearable file, /done feedback) says
    # what happened to that session: its load, effort and mood shape the days after, not the
    # session already done (no FRBI cut or two-week step after the fact). Pain reported that
    # day still protects it: safety does not wait for tomorrow.
    rows, same_day_pain, same_day_sides = [], [], {}
    every = checkin_repo.list_checkins(db, person.id, since=since, until=day)
    for r in every:
        if r.day == day and (r.rpe is not None or r.minutes is not None):
            same_day_pain += list(r.pain_sites or ())
            same_day_sides.update(r.pain_sides or {})
        else:
            rows.append(r)
    logs = [r for r in plan_repo.list_exercise_logs(db, person.id, since) if r.day < day]
    activities = [
        a for a in list_activities(db, person.id) if a.day is not None and since <= a.day < day
    ]
    prior = plan_repo.list_prescribed(db, person.id, since, day - dt.timedelta(days=1))
    # Two-week blocks count from the first check-in ever, not from the window read here.
    start_day = checkin_repo.first_checkin_day(db, person.id)
    # a wearable's nights: sleep, resting heart rate and HRV measured at rest
    nights = [a for a in list_activities(db, person.id, include_days=True)
              if a.sport == DAY_SUMMARY and a.day is not None and a.day <= day]
    proposal = None
    if config.use_policy:
        injured = any(r.pain_sites for r in rows if (day - r.day).days < 3)
        try:
            proposal = propose_for(person, day, rows, activities, policy_dir(config.model_dir),
                                   injured=injured, day_summaries=nights)
        except ValueError as exc:
            log.warning("no policy proposal: %s", exc)
    return DayContext(
        proposal=proposal,
        today=day,
        template=from_plan["template"],
        start_day=start_day,
        emphases=from_plan["emphases"],
        shap_factors=from_plan["shap_factors"],
        training_days=from_plan["training_days"],
        minutes_by_weekday=from_plan["minutes_by_weekday"],
        hr_by_weekday=from_plan["hr_by_weekday"],
        modality_by_weekday=from_plan["modality_by_weekday"],
        second_by_weekday=from_plan["second_by_weekday"],
        away_until=away.end if away is not None else None,
        away_reason=away.reason if away is not None else "",
        plan_rules=from_plan["plan_rules"],
        override=None if override is None else CoachOverride(
            override.intensity_factor, override.volume_factor, override.note,
            override.coach_name,
        ),
        checkins=tuple(
            CheckInView(
                day=r.day,
                rpe=r.rpe,
                minutes=r.minutes,
                sentiment_level=r.sentiment_level,
                pain_sites=tuple(r.pain_sites or ()),
                pain_sides=dict(r.pain_sides or {}),
            )
            for r in rows
        ) + ((CheckInView(day=day, pain_sites=tuple(same_day_pain),
                          pain_sides=same_day_sides),) if same_day_pain else ()),
        exercise_logs=tuple(
            ExerciseLogView(day=r.day, exercise_id=r.exercise_id, status=r.status, rpe=r.rpe)
            for r in logs
        ),
        prior_sessions={
            p.day: PriorSession(p.day, p.intensity_factor, p.volume_factor,
                                (p.inputs or {}).get("planned_minutes"))
            for p in prior
        },
        frbi_by_day=frbi_series(rows, activities, day - dt.timedelta(days=35), day),
        night_flags=plan_flags(day_night_flags(nights_of(nights), every, day)),
    )


def plan_and_store(
    db: DbSession, person: Person, day: dt.date, config: PlanningConfig | None = None
) -> PlannedDay:
    """Plan ``day`` for ``person`` and store the session with its inputs and explanation.

    Returns what the athlete is shown: the new plan, or, when their coach reviews it
    (`bot.services.approval`), the last approved one marked as awaiting the coach.
    """
    planned = plan_day(build_context(db, person, day, config))
    session = planned.session
    inputs: dict[str, Any] = dict(planned.inputs)
    inputs["planned_minutes"] = round(session.estimated_minutes(), 1)
    inputs["quick"] = not config.store_new_plan if config is not None else False
    final = config is None or config.store_new_plan
    return settle_plan(db, person, day, planned, payload_of(planned, inputs), final=final)


def shown_session(planned: PlannedDay) -> dict[str, Any]:
    """What makes a session materially different to the athlete: rest or not, its title and
    its exercises (a +/-5 % dose change is not worth a message; /today shows it)."""
    session = planned.session
    return {"title": session.title, "rest": session.is_rest,
            "exercises": [p.exercise_id for p in session.prescriptions]}


def stored_explanation(db: DbSession, person: Person, day: dt.date) -> Explanation | None:
    """The explanation stored with ``day``'s session, while it is still the whole answer.

    It is, when a full plan (not the reply path's quick one) stored it and nothing the plan
    reads has been stored since; then /why shows it (the PPO and SHAP reasons included)
    without planning again. Else None: plan the day.
    """
    stored = plan_repo.get_prescribed(db, person.id, day)
    if stored is None or stored.explanation is None or (stored.inputs or {}).get("quick"):
        return None
    newest = plan_repo.newest_input_at(db, person.id)
    if newest is not None and newest >= stored.created_at:
        return None
    e = stored.explanation
    return Explanation(
        rules=tuple(FiredRule(r["code"], r["effect"], r.get("inputs", {}), r["threshold"],
                              r["sentence"]) for r in e.rules or ()),
        factors=tuple(ShapFactor(f["feature"], f.get("value"), float(f["contribution"]))
                      for f in e.factors or ()),
        sentences=tuple(e.sentences or ()),
    )
