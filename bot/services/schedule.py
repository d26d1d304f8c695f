"""The week's training days for a real athlete, by the athletics paper's ant-colony optimiser.

The athlete's body and stored loads become the simulator's nominal athlete and state
(`planner.sim.real_athlete`); ACO (`planner.aco.plan_week`) then places 4-6 sessions of 35-60
minutes (the PE paper's prescription) inside the athlete's safe heart-rate interval, with
rest after hard days. The plan stores the chosen days, each session's modality, minutes and
heart-rate target; the daily planner lays the template's sessions on those days.

The athlete's availability (`planner.availability`) narrows the week: weekdays off, shorter
days, allowed kinds of work and second sessions shape the usual week; a week of the plan
period with days away gets its own ACO week around them (``by_week``), so the sessions move to
the days the athlete is there instead of being lost or squeezed.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.orm import Session as DbSession

from bot.services.policy import daily_trimp
from planner.aco import ObjectiveParams, plan_week
from planner.availability import Availability, narrow
from planner.sim.dynamics import RewardWeights
from planner.sim.real_athlete import athlete_from_profile, objective_params_from_history
from planner.week import WeekConstraints, WeekPlan
from planner.week_prefs import WeekPreferences, constraints_for, habitual
from storage import checkins as checkin_repo
from storage.activities import list_activities
from storage.schema import Person

HISTORY_DAYS = 120
PERIOD_DAYS = 14  # a plan period (bot.services.prescription.PLAN_DAYS): its weeks get planned


def _hr_max(person: Person, day: dt.date) -> float:
    """Measured HRmax, else Tanaka et al. 2001: 208 - 0.7 x age."""
    if person.hr_max:
        return float(person.hr_max)
    age = day.year - person.birth_year if person.birth_year else 20
    return 208.0 - 0.7 * age


def _day_minutes(rows: list[Any], acts: list[Any], day: dt.date) -> list[float]:
    """Minutes trained on each of the 28 days before ``day`` (check-ins, else files)."""
    minutes: dict[dt.date, float] = {}
    for r in rows:
        if r.minutes and r.day < day:
            minutes[r.day] = minutes.get(r.day, 0.0) + float(r.minutes)
    for a in acts:
        seconds = a.moving_s or a.duration_s
        if a.day is not None and a.day < day and a.day not in minutes and seconds:
            minutes[a.day] = float(seconds) / 60.0
    return [minutes.get(day - dt.timedelta(days=n), 0.0) for n in range(28, 0, -1)]


def aco_schedule(db: DbSession, person: Person, day: dt.date,
                 weights: tuple[float, float, float] = (0.6, 0.3, 0.1)) -> dict[str, Any]:
    """Schedule one week from ``day`` with ACO; JSON-ready result stored in the plan.

    ``weights`` are Eq. 9's (gain, fatigue, injury risk), from the settings' REWARD_WEIGHTS.
    """
    since = day - dt.timedelta(days=HISTORY_DAYS)
    rows = list(checkin_repo.list_checkins(db, person.id, since=since, until=day))
    acts = [a for a in list_activities(db, person.id) if a.day is not None and a.day >= since]
    loads = daily_trimp(person, rows, acts, day - dt.timedelta(days=28), day - dt.timedelta(days=1))
    hr_rest = float(person.hr_rest or 65.0)
    hr_max = _hr_max(person, day)
    prefs = WeekPreferences.from_dict(person.week_prefs)
    constraints = constraints_for(prefs, hr_rest=hr_rest, hr_max=hr_max)
    if prefs is None:  # the athlete's own week wins; else their habit narrows the default
        constraints = habitual(constraints, _day_minutes(rows, acts, day))
    age = day.year - person.birth_year if person.birth_year else None
    athlete = athlete_from_profile(
        sex="F" if person.sex == "F" else "M",
        height_m=(person.height_cm or 170.0) / 100.0,
        mass_kg=person.mass_kg or 65.0,
        resting_hr=hr_rest,
        hr_max=hr_max,
        population="youth" if age is not None and age < 18 else "college",
        age=float(age) if age is not None else None,
    )
    params = objective_params_from_history(athlete, loads, weights=RewardWeights(*weights))
    availability = Availability.from_dict(person.availability)
    seed = person.id * 10_007 + day.toordinal()
    result = _week_json(narrow(constraints, availability), params, seed)
    start = day - dt.timedelta(days=day.weekday())
    result.update({
        "method": "aco",
        "week_of": start.isoformat(),
        "preferences": prefs.as_dict() if prefs is not None else None,
        "reward_weights": list(weights),
        "week_bounds": {"sessions": [constraints.min_sessions, constraints.max_sessions],
                        "minutes": [round(constraints.min_minutes, 1),
                                    round(constraints.max_minutes, 1)]},
    })
    if not availability.is_empty:
        result["availability"] = availability.fingerprint(day, day + dt.timedelta(
            days=PERIOD_DAYS - 1))
    by_week = {}
    monday = start
    while monday <= day + dt.timedelta(days=PERIOD_DAYS - 1):
        if any(availability.away(monday + dt.timedelta(days=i)) for i in range(7)):
            by_week[monday.isoformat()] = _week_json(
                narrow(constraints, availability, monday), params, seed + monday.toordinal())
        monday += dt.timedelta(days=7)
    if by_week:
        result["by_week"] = by_week
    return result


def _week_json(constraints: WeekConstraints | None, params: ObjectiveParams,
               seed: int) -> dict[str, Any]:
    """One ACO week as stored in the plan; no available day (all away or off): no sessions."""
    if constraints is None:
        return {"training_days": [], "sessions": [], "objective": None, "violation": 0.0}
    week: WeekPlan = plan_week(constraints, params, seed=seed)
    sessions = [s for s in week.days if s.modality != "rest"]
    return {
        "training_days": sorted(s.day + 1 for s in sessions),  # ISO weekdays
        "sessions": [
            {"weekday": s.day + 1, "modality": s.modality, "minutes": round(s.minutes, 1),
             "hr_target": round(s.hr_target)}
            | ({"second": {"modality": s.second.modality,
                           "minutes": round(s.second.minutes, 1),
                           "hr_target": round(s.second.hr_target)}}
               if s.second is not None else {})
            for s in sessions
        ],
        "objective": round(week.objective, 4),
        "violation": round(week.violation, 4),
    }
