"""The model a planner (ACO, GA, LP) scores a candidate week with.

Planners never see a simulated athlete's hidden response (k1, k2, time constants,
susceptibility): they plan with a nominal athlete of the same body and population means
(`nominal_athlete`) from the athlete's current load state, using the simulator's expected-value
dynamics (no noise, injury as probability). The week's value credits the performance the
athlete would show after a 7-day taper, so fitness built this week counts while fatigue that
will clear does not (Banister's model: fatigue decays ~6x faster than fitness).
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from dataclasses import replace

import numpy as np

from planner.sim.athletes import SPECS, SimAthlete
from planner.sim.body import body_load_table
from planner.sim.dynamics import RewardWeights, SimState, performance, simulate_day


def nominal_athlete(athlete: SimAthlete) -> SimAthlete:
    """Same observable body and resting values; population-mean hidden response parameters."""
    spec = SPECS[athlete.population]
    k1 = 0.0045 * (1.15 - 0.6 * spec.training_level[0])
    return replace(
        athlete,
        k1=k1,
        k2=2.2 * k1,
        tau_fitness=42.0,
        tau_fatigue=spec.tau_fatigue[0],
        recovery_rate=spec.recovery_rate[0],
        injury_susceptibility=spec.injury_susceptibility[0],
        modality_response=(1.0, 1.0, 1.0, 1.0, 1.0),
    )


def projected_performance(state: SimState, athlete: SimAthlete, days: int = 7) -> float:
    """Performance (%) after ``days`` of rest from ``state`` (the taper projection)."""
    g = state.g * np.exp(-days / athlete.tau_fitness)
    h = state.h * np.exp(-days * athlete.recovery_rate / athlete.tau_fatigue)
    b = state.b * np.exp(-days / 4.0)
    return performance(g, h, b, athlete)


def week_value(
    actions: Sequence[np.ndarray],
    athlete: SimAthlete,
    state: SimState,
    weights: RewardWeights | None = None,
) -> float:
    """Expected Eq.-9 value of playing ``actions`` from ``state`` (higher is better)."""
    w = weights or RewardWeights()
    table = body_load_table(athlete.sex, athlete.height_m, athlete.mass_kg)
    s = copy.deepcopy(state)
    start = projected_performance(s, athlete)
    total = 0.0
    for a in actions:
        _, info = simulate_day(s, athlete, a, table, w, None)
        total -= w.beta * info["fatigue"] + w.gamma * info["injury_risk"]
    return total + w.alpha * w.gain_scale * (projected_performance(s, athlete) - start)


def state_from_history(
    athlete: SimAthlete, daily_loads: Sequence[float], wellness: float = 3.0
) -> SimState:
    """A simulator state for a real athlete: Banister filters run over their daily TRIMP."""
    loads = np.asarray(list(daily_loads), dtype=np.float64)
    if loads.size < 7 or np.any(loads < 0):
        raise ValueError("need at least 7 non-negative daily loads (0 on rest days)")
    g = h = b = 0.0
    for x in loads:
        g = g * np.exp(-1.0 / athlete.tau_fitness) + x
        h = h * np.exp(-athlete.recovery_rate / athlete.tau_fatigue) + x
        b = b * np.exp(-1.0 / 4.0) + x
    window = loads[-28:]
    if window.size < 28:
        window = np.concatenate([np.full(28 - window.size, window.mean()), window])
    perf = performance(g, h, b, athlete)
    rest = np.flatnonzero(loads[::-1] < 15.0)
    return SimState(
        g=g, h=h, b=b, loads=window, perf=perf, perf0=perf, psych=wellness,
        rhr=athlete.resting_hr, ln_rmssd=athlete.hrv_ln_rmssd, vo2=athlete.vo2max,
        days_since_rest=int(rest[0]) if rest.size else int(loads.size),
    )
