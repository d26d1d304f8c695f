"""Use the simulator's schedulers for a REAL athlete, from plain stored values.

The planner asks two things: "what should today be?" (the shipped PPO policy, via
`observation_from_history` and `session_from_action`) and "what should this week be?" (ACO,
via `objective_params_from_history` and `planner.aco.plan_week`). Both work from the athlete's
stored body data and daily loads, never from simulator internals.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from planner.aco import ObjectiveParams
from planner.sim.athletes import MODALITIES, SPECS, SimAthlete
from planner.sim.dynamics import RewardWeights, decode_action
from planner.sim.surrogate import nominal_athlete, state_from_history
from planner.week import DaySession, WeekConstraints

MIN_SESSION_MINUTES = 20.0  # PPO volumes below this are read as a rest day


def athlete_from_profile(
    *,
    sex: str,
    height_m: float,
    mass_kg: float,
    resting_hr: float,
    hr_max: float,
    population: str = "college",
    vo2max: float | None = None,
    hrv_rmssd_ms: float = 60.0,
    age: float | None = None,
) -> SimAthlete:
    """A nominal simulator athlete (population-mean response) with this person's body."""
    if population not in SPECS:
        raise ValueError(f"unknown population {population!r}")
    spec = SPECS[population]
    base = SimAthlete(
        athlete_seed=0, population=population, sex=sex, age=age or spec.age[0],
        height_m=height_m, mass_kg=mass_kg, training_level=spec.training_level[0],
        resting_hr=resting_hr, hr_max=hr_max, vo2max=vo2max or 45.0, psych=3.0,
        hrv_ln_rmssd=float(np.log(hrv_rmssd_ms)), k1=0.0, k2=0.0, tau_fitness=42.0,
        tau_fatigue=7.0, recovery_rate=1.0, injury_susceptibility=1.0,
        modality_response=(1.0, 1.0, 1.0, 1.0, 1.0), habitual_load=60.0,
    )
    return nominal_athlete(base)


def objective_params_from_history(
    athlete: SimAthlete,
    daily_loads: Sequence[float],
    wellness: float = 3.0,
    weights: RewardWeights | None = None,
) -> ObjectiveParams:
    """What `planner.aco.plan_week` needs, from daily TRIMP (oldest first, 0 = rest)."""
    state = state_from_history(athlete, daily_loads, wellness)
    return ObjectiveParams(athlete, state, weights or RewardWeights())


def session_from_action(action: np.ndarray, day: int, constraints: WeekConstraints) -> DaySession:
    """A PPO action as today's session, kept inside the athlete's constraints.

    Minutes are clipped to the session bounds (below `MIN_SESSION_MINUTES` = rest), the heart
    rate into the safe interval, and the modality is the mix's largest share.
    """
    act = decode_action(action)
    if act.minutes < MIN_SESSION_MINUTES:
        return DaySession(day, "rest", 0.0, 0.0, constraints.hr_rest)
    lo, hi = (constraints.hrr_fraction(x) for x in constraints.hr_interval)
    frac = float(np.clip(act.intensity, lo, hi))
    minutes = float(np.clip(act.minutes, constraints.min_minutes, constraints.max_minutes))
    modality = MODALITIES[int(np.argmax(act.mix))]
    return DaySession(day, modality, minutes, frac, constraints.target_hr(frac))
