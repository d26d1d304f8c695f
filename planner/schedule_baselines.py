"""The PPO paper's comparison schedulers (Bo 2025, Tables 3 and 4).

* Baseline-A, a fixed plan "set by traditional empirical rules": the same week for everyone
  (5 sessions of 45-60 min, hard days followed by rest, intensities inside the HR interval).
* Baseline-B, a "heuristic scheduling method based on genetic algorithms": the same week
  encoding and fitness as the ACO (`planner.aco`), evolved with tournament selection, uniform
  crossover, Gaussian mutation and elitism.
* The LP model, "a training task scheduling method built on LP [that] relies on fixed cost
  functions and resource constraints ... within a single cycle": a mixed-integer linear
  programme (scipy.optimize.milp) maximising a linear fitness benefit of the week's load under
  the session, duration, rest-after-hard-day and acute:chronic load (ACWR <= 1.3) limits.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from planner.aco import ObjectiveParams, bounds, decode, fitness, make_objective, repair
from planner.sim.dynamics import INTENSITY_FACTOR, trimp
from planner.week import DaySession, WeekConstraints, WeekPlan, violation

# Baseline-A: Monday .. Sunday as (modality, minutes, HR-reserve fraction); 0 minutes = rest.
FIXED_WEEK = (
    ("aerobic", 50.0, 0.65),
    ("strength", 45.0, 0.70),
    ("rest", 0.0, 0.0),
    ("speed", 40.0, 0.80),
    ("rest", 0.0, 0.0),
    ("aerobic", 60.0, 0.65),
    ("flexibility", 45.0, 0.55),
)


def fixed_plan(c: WeekConstraints) -> WeekPlan:
    """Baseline-A: the fixed week, moved into the athlete's HR interval and available days."""
    lo, hi = (c.hrr_fraction(x) for x in c.hr_interval)
    sessions = [s for s in FIXED_WEEK if s[1] > 0]
    days_free = [d for d in range(7) if d in c.available_days]
    wanted = [d for d, s in enumerate(FIXED_WEEK) if s[1] > 0 and d in c.available_days]
    extra = [d for d in days_free if d not in wanted]
    chosen = sorted((wanted + extra)[: min(len(sessions), c.max_sessions)])
    days: list[DaySession] = []
    it = iter(sessions)
    for d in range(7):
        if d in chosen:
            mod, minutes, frac = next(it)
            frac = float(np.clip(frac, lo, hi))
            minutes = float(np.clip(minutes, c.min_minutes, c.max_minutes))
            days.append(DaySession(d, mod, minutes, frac, c.target_hr(frac)))
        else:
            days.append(DaySession(d, "rest", 0.0, 0.0, c.hr_rest))
    week = tuple(days)
    return WeekPlan(week, float("nan"), violation(week, c), "fixed")


def ga_plan(
    constraints: WeekConstraints,
    objective_params: ObjectiveParams,
    seed: int = 0,
    *,
    population: int = 20,
    generations: int = 40,
    mutation: float = 0.15,
) -> WeekPlan:
    """Baseline-B: genetic algorithm on the ACO's encoding and fitness (same evaluations/iter)."""
    return ga_optimise(constraints, make_objective(objective_params), seed,
                       population=population, generations=generations, mutation=mutation)


def ga_optimise(
    c: WeekConstraints,
    objective: Callable[[tuple[DaySession, ...]], float],
    seed: int = 0,
    *,
    population: int = 20,
    generations: int = 40,
    mutation: float = 0.15,
    offspring: int = 10,
) -> WeekPlan:
    """GA over any week objective; deterministic under ``seed``."""
    rng = np.random.default_rng(seed)
    lo, hi = bounds(c)
    pop = [repair(rng.uniform(lo, hi), c) for _ in range(population)]
    scored = sorted(((fitness(x, c, objective), x) for x in pop), key=lambda t: t[0][0])
    trace: list[float] = []
    for _ in range(generations):
        children = []
        for _ in range(offspring):
            a, b = (min(rng.choice(population, 2, replace=False)) for _ in range(2))
            mask = rng.random(lo.size) < 0.5
            child = np.where(mask, scored[a][1], scored[b][1])
            flip = rng.random(lo.size) < mutation
            child = child + flip * rng.normal(0.0, 0.25 * (hi - lo))
            x = repair(child, c)
            children.append((fitness(x, c, objective), x))
        scored = sorted(scored + children, key=lambda t: t[0][0])[:population]
        best = scored[0][0]
        trace.append(best[1] if best[2] == 0 else -best[0])
    (_, obj, vio), x = scored[0]
    return WeekPlan(decode(x, c), obj, vio, "ga", tuple(trace))


def lp_plan(constraints: WeekConstraints, objective_params: ObjectiveParams) -> WeekPlan:
    """The LP model: a mixed-integer linear week (scipy.optimize.milp), see module docstring.

    Per day two binary session types, easy aerobic at the bottom of the HR interval and hard
    (speed / strength alternating) near its top, and their minutes. Objective: maximise the
    linear Banister steady-state benefit (k1 tau1 - k2 tau2) x TRIMP-per-minute x minutes.
    """
    from scipy.optimize import Bounds, LinearConstraint, milp

    c = constraints
    a, st = objective_params.athlete, objective_params.state
    lo_f, hi_f = (c.hrr_fraction(x) for x in c.hr_interval)
    easy_f, hard_f = lo_f + 0.25 * (hi_f - lo_f), hi_f - 0.05 * (hi_f - lo_f)
    rate = np.array(
        [trimp(1.0, easy_f * INTENSITY_FACTOR[0], a.sex), trimp(1.0, hard_f, a.sex)]
    )
    benefit = a.k1 * a.tau_fitness - a.k2 * a.tau_fatigue  # per TRIMP at steady state
    # Variables: e_d, h_d (binary), me_d, mh_d (minutes) for d = 0..6 -> 28.
    n = 28
    cost = np.zeros(n)
    cost[14:21], cost[21:28] = -benefit * rate[0], -benefit * rate[1]
    rows, lb, ub = [], [], []

    def add(row: np.ndarray, low: float, high: float) -> None:
        rows.append(row)
        lb.append(low)
        ub.append(high)

    for d in range(7):
        r = np.zeros(n)
        r[d] = r[7 + d] = 1
        add(r, 0, 1 if d in c.available_days else 0)
        for kind in (0, 1):  # minutes tied to the binary: 35 y <= m <= 60 y
            r1 = np.zeros(n)
            r1[14 + 7 * kind + d], r1[7 * kind + d] = 1, -c.min_minutes
            add(r1, 0, np.inf)
            r2 = np.zeros(n)
            r2[14 + 7 * kind + d], r2[7 * kind + d] = 1, -c.max_minutes
            add(r2, -np.inf, 0)
        if d < 6:  # a hard day is followed by rest
            r3 = np.zeros(n)
            r3[7 + d] = r3[d + 1] = r3[7 + d + 1] = 1
            add(r3, 0, 1)
    r = np.zeros(n)
    r[:14] = 1
    add(r, c.min_sessions, c.max_sessions)
    chronic_week = 7.0 * float(st.loads.mean())
    r = np.zeros(n)
    r[14:21], r[21:28] = rate[0], rate[1]
    add(r, 0, max(1.3 * chronic_week, 4 * c.min_minutes * rate[0]))  # ACWR <= 1.3
    res = milp(
        cost,
        constraints=LinearConstraint(np.array(rows), lb, ub),
        integrality=np.r_[np.ones(14), np.zeros(14)],
        bounds=Bounds(np.zeros(n), np.r_[np.ones(14), np.full(14, c.max_minutes)]),
    )
    if res.x is None:
        raise ValueError(f"no feasible LP week for these constraints ({res.message})")
    x = res.x
    days = []
    hard_mods = ("speed", "strength")
    for d in range(7):
        if x[d] > 0.5:
            days.append(DaySession(d, "aerobic", float(x[14 + d]), easy_f, c.target_hr(easy_f)))
        elif x[7 + d] > 0.5:
            mod = hard_mods[d % 2]
            days.append(DaySession(d, mod, float(x[21 + d]), hard_f, c.target_hr(hard_f)))
        else:
            days.append(DaySession(d, "rest", 0.0, 0.0, c.hr_rest))
    week = tuple(days)
    obj = make_objective(objective_params)(week)
    return WeekPlan(week, obj, round(violation(week, c), 9), "lp")
