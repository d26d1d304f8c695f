"""Mixed-variable ant colony optimisation of a training week (athletics ACO paper).

Chen et al. 2025 (Appl Math Nonlin Sci, doi:10.2478/amns-2025-0286) generate a track-and-field
plan as a constrained mixed-coding problem solved by ACO: a solution archive (the pheromone
model), ranked by a fitness that combines the objective with a constraint-violation penalty
(their Eq. 10), rank-based solution weights, Gaussian sampling around a chosen archive
solution for continuous variables with a standard deviation from the archive spread,
continuous relaxation of the (numeric) discrete variables, and repair of illegal encodings
(values outside their interval are reset to the bound). The archive mechanics follow ACO_R
(Socha & Dorigo 2008, Eur J Oper Res 185(3), Eqs. 5-9), on which the paper builds:

    w_l = exp(-(l-1)^2 / (2 q^2 k^2)) / (q k sqrt(2 pi)),
    sigma_i = xi * sum_e |s_e,i - s_l,i| / (k - 1).

Encoding of a week (28 variables): per day a train flag (discrete 0/1), a modality (discrete
0..4, `planner.sim.athletes.MODALITIES`), minutes (continuous) and the heart-rate target as a
fraction of heart-rate reserve (continuous, inside the athlete's safe interval). When the
athlete allows two sessions on some days (`WeekConstraints.double_days`), 28 more variables
encode a second session per day the same way; repair switches it off on the other days and on
days without a first session. A modality the athlete does not allow that day is repaired to
the nearest allowed one, as values outside their interval are reset to the bound.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from planner.sim.athletes import MODALITIES, SimAthlete
from planner.sim.dynamics import RewardWeights, SimState
from planner.sim.surrogate import week_value
from planner.week import DaySession, WeekConstraints, WeekPlan, violation

PENALTY = 25.0  # objective units per unit of constraint violation (Eq. 10 penalty weight)


@dataclass(frozen=True, slots=True)
class ObjectiveParams:
    """What a week is scored on: a (nominal) athlete model, their current state, Eq. 9 weights."""

    athlete: SimAthlete
    state: SimState
    weights: RewardWeights = field(default_factory=RewardWeights)


def slots(c: WeekConstraints) -> int:
    """Sessions a day the encoding holds: 2 when any day may have a second session."""
    return 2 if c.double_days else 1


def bounds(c: WeekConstraints) -> tuple[np.ndarray, np.ndarray]:
    """Lower/upper bounds of the 28 (or 56, see `slots`) encoded variables."""
    lo_f, hi_f = (c.hrr_fraction(x) for x in c.hr_interval)
    minutes = [c.minutes_bounds(d) for d in range(7)]
    lo = np.concatenate([np.zeros(7), np.zeros(7), [m[0] for m in minutes], np.full(7, lo_f)])
    hi = np.concatenate([np.ones(7), np.full(7, len(MODALITIES) - 1.0), [m[1] for m in minutes],
                         np.full(7, hi_f)])
    return np.tile(lo, slots(c)), np.tile(hi, slots(c))


def _allowed_modality(index: float, day: int, c: WeekConstraints) -> float:
    allowed = [i for i, k in enumerate(MODALITIES) if c.modality_allowed(day, k)]
    return float(min(allowed, key=lambda i: (abs(i - index), i)))


def repair(x: np.ndarray, c: WeekConstraints) -> np.ndarray:
    """Clip every variable into its interval and round the discrete ones (legal encoding)."""
    lo, hi = bounds(c)
    y = np.clip(x, lo, hi)
    for s in range(slots(c)):
        base = 28 * s
        y[base:base + 14] = np.round(y[base:base + 14])
        for d in range(7):
            if d not in c.available_days or (s == 1 and (d not in c.double_days or y[d] < 0.5)):
                y[base + d] = 0.0
            y[base + 7 + d] = _allowed_modality(y[base + 7 + d], d, c)
    return y


def _session(x: np.ndarray, base: int, d: int, c: WeekConstraints) -> DaySession:
    frac = float(x[base + 21 + d])
    return DaySession(d, MODALITIES[int(x[base + 7 + d])], float(x[base + 14 + d]), frac,
                      c.target_hr(frac))


def decode(x: np.ndarray, c: WeekConstraints) -> tuple[DaySession, ...]:
    """Encoded vector -> seven day sessions (each with its second session, if any)."""
    days = []
    for d in range(7):
        if x[d] < 0.5:
            days.append(DaySession(d, "rest", 0.0, 0.0, c.hr_rest))
            continue
        second = _session(x, 28, d, c) if len(x) > 28 and x[28 + d] >= 0.5 else None
        first = _session(x, 0, d, c)
        days.append(DaySession(first.day, first.modality, first.minutes, first.intensity,
                               first.hr_target, second))
    return tuple(days)


def make_objective(params: ObjectiveParams) -> Callable[[tuple[DaySession, ...]], float]:
    """Week -> expected Eq.-9 value under the surrogate (higher is better)."""

    def objective(days: tuple[DaySession, ...]) -> float:
        return week_value([d.action() for d in days], params.athlete, params.state, params.weights)

    return objective


def fitness(
    x: np.ndarray, c: WeekConstraints, objective: Callable[[tuple[DaySession, ...]], float]
) -> tuple[float, float, float]:
    """(fitness to minimise, objective, violation): -objective + PENALTY x violation."""
    days = decode(x, c)
    obj, vio = objective(days), violation(days, c)
    return -obj + PENALTY * vio, obj, vio


def plan_week(
    constraints: WeekConstraints,
    objective_params: ObjectiveParams,
    seed: int = 0,
    *,
    archive_size: int = 20,
    ants: int = 10,
    iterations: int = 40,
    q: float = 0.2,
    xi: float = 0.85,
) -> WeekPlan:
    """Best week found by mixed-variable ACO; deterministic under ``seed``.

    ``trace`` holds the best objective after each iteration (for convergence plots).
    """
    return optimise(constraints, make_objective(objective_params), seed, archive_size=archive_size,
                    ants=ants, iterations=iterations, q=q, xi=xi)


def optimise(
    c: WeekConstraints,
    objective: Callable[[tuple[DaySession, ...]], float],
    seed: int = 0,
    *,
    archive_size: int = 20,
    ants: int = 10,
    iterations: int = 40,
    q: float = 0.2,
    xi: float = 0.85,
) -> WeekPlan:
    """ACO over any week objective (see `plan_week`)."""
    if archive_size < 2 or ants < 1 or iterations < 1:
        raise ValueError("need archive_size >= 2, ants >= 1, iterations >= 1")
    rng = np.random.default_rng(seed)
    lo, hi = bounds(c)
    archive = [repair(rng.uniform(lo, hi), c) for _ in range(archive_size)]
    scored = sorted(((fitness(x, c, objective), x) for x in archive), key=lambda t: t[0][0])
    k = archive_size
    ranks = np.arange(k)
    w = np.exp(-(ranks**2) / (2 * q * q * k * k)) / (q * k * np.sqrt(2 * np.pi))
    p = w / w.sum()
    trace: list[float] = []
    for _ in range(iterations):
        sols = np.stack([x for _, x in scored])
        new = []
        for _ in range(ants):
            guide = int(rng.choice(k, p=p))
            sigma = xi * np.abs(sols - sols[guide]).sum(axis=0) / (k - 1)
            # Continuous relaxation: the discrete variables are sampled like continuous ones
            # and rounded by `repair`; a floor on sigma keeps every variable explorable.
            sigma = np.maximum(sigma, 0.02 * (hi - lo))
            x = repair(rng.normal(sols[guide], sigma), c)
            new.append((fitness(x, c, objective), x))
        scored = sorted(scored + new, key=lambda t: t[0][0])[:k]
        trace.append(scored[0][0][1] if scored[0][0][2] == 0 else -scored[0][0][0])
    (_, obj, vio), best = scored[0]
    return WeekPlan(decode(best, c), obj, vio, "aco", tuple(trace))
