"""Real-athlete entry points: stored values -> observation / ACO week / today's session."""

from __future__ import annotations

import numpy as np

from planner.aco import plan_week
from planner.sim.dynamics import encode_action
from planner.sim.real_athlete import (
    athlete_from_profile,
    objective_params_from_history,
    session_from_action,
)
from planner.week import WeekConstraints


def test_aco_plans_a_feasible_week_from_stored_loads() -> None:
    athlete = athlete_from_profile(sex="F", height_m=1.66, mass_kg=58, resting_hr=55, hr_max=192)
    loads = [60, 0, 80, 70, 0, 90, 50] * 6
    op = objective_params_from_history(athlete, loads, wellness=4)
    c = WeekConstraints(hr_rest=55, hr_max=192, available_days=(0, 1, 3, 4, 5, 6))
    plan = plan_week(c, op, seed=0, iterations=20)
    assert plan.violation == 0 and 4 <= len(plan.sessions) <= 6
    assert all(s.day in c.available_days for s in plan.sessions)


def test_ppo_action_becomes_a_session_inside_constraints() -> None:
    c = WeekConstraints(hr_rest=60, hr_max=190)
    lo, hi = c.hr_interval
    s = session_from_action(encode_action(1.0, 120.0, 0.5, np.eye(5)[0]), 2, c)
    assert s.modality == "aerobic" and s.minutes == 60.0 and lo <= s.hr_target <= hi
    rest = session_from_action(encode_action(0.5, 5.0, 0.5, np.eye(5)[1]), 3, c)
    assert rest.is_rest
