"""Run every scheduler on the same held-out simulated athletes (the paper's Table 4, ours).

Held-out means odd athlete seeds (`planner.sim.athletes.heldout_athlete_seeds`); training
environments refuse them, so no method is scored on an athlete PPO trained on. PPO decides
daily from the observation; ACO, GA and LP plan a week at a time from the athlete's current
load state with the nominal population response (`planner.sim.surrogate`); the fixed plan
repeats Baseline-A. "ppo_c" is PPO in the constrained environment (every action projected
onto the week the planners obey: 4-6 sessions of 35-60 min, rest after hard days, HR inside
the safe interval), with a policy trained that way if one is given (``constrained_policy_path``)
or else the unconstrained one; PPO's own action space allows up to 120 min every day.
Each athlete's episode uses the same simulator seed for every method, so differences come
from the decisions, not from the noise. ``weights`` (Eq. 9) score every method's reward and
are the objective the week planners optimise; a PPO policy learned its own at training time
(recorded in its manifest), which `compare` does not change.
"""

from __future__ import annotations

import copy
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from planner.aco import ObjectiveParams, plan_week
from planner.schedule_baselines import fixed_plan, ga_plan, lp_plan
from planner.sim.athletes import SimAthlete, is_heldout_seed, sample_athletes
from planner.sim.dynamics import RewardWeights
from planner.sim.env import TrainingSchedulerEnv
from planner.sim.surrogate import nominal_athlete
from planner.week import WeekConstraints, WeekPlan

METHODS = ("ppo", "ppo_c", "aco", "ga", "lp", "fixed")


@dataclass(slots=True)
class MethodResult:
    """Outcome of one scheduler over all held-out athletes."""

    method: str
    perf_gain_pct: float
    fatigue: float
    injuries_per_1000_days: float
    reward: float
    latency_ms_per_day: float
    convergence: float | None = None
    traces: list[list[float]] = field(default_factory=list)

    def as_row(self) -> dict[str, Any]:
        """JSON-friendly summary (without the raw traces)."""
        row = asdict(self)
        row.pop("traces")
        return row


def iteration_to_fraction(trace: list[float], fraction: float = 0.95) -> int:
    """1-based iteration at which a best-so-far trace covers ``fraction`` of its improvement."""
    t = np.asarray(trace, dtype=np.float64)
    target = t[0] + fraction * (t[-1] - t[0])
    return int(np.flatnonzero(t >= target - 1e-12)[0] + 1)


def _week_planner(method: str, seed: int) -> Callable[[WeekConstraints, ObjectiveParams], WeekPlan]:
    if method == "aco":
        return lambda c, op: plan_week(c, op, seed)
    if method == "ga":
        return lambda c, op: ga_plan(c, op, seed)
    if method == "lp":
        return lp_plan
    if method == "fixed":
        return lambda c, op: fixed_plan(c)
    raise ValueError(f"unknown method {method!r}")


@dataclass(frozen=True, slots=True)
class AthleteOutcome:
    """One method's block on one athlete: what `aggregate` averages over the athletes."""

    reward: float
    perf_gain_pct: float
    fatigue: float
    injuries: int
    decide_s: float
    traces: tuple[tuple[float, ...], ...] = ()


@dataclass(frozen=True, slots=True)
class AthleteJob:
    """One (method, athlete) block as plain values, so another process can play it.

    ``index`` is the athlete's place in the comparison: it seeds the episode and the week
    planner exactly as the single-process loop does. ``policy_path`` is where that process
    loads the PPO policy from (a policy object itself does not travel well between processes).
    """

    method: str
    athlete: SimAthlete
    index: int
    days: int
    seed: int
    weights: RewardWeights
    policy_path: str | None = None


# What runs the jobs: called as mapper(run_job, jobs, progress), returns the outcomes in the
# order of the jobs (e.g. `models.ray_cluster.ray_map`).
Mapper = Callable[
    [Callable[[AthleteJob], AthleteOutcome], Sequence[AthleteJob], Callable[[], None] | None],
    list[AthleteOutcome],
]


def method_env(method: str, population: str, days: int, w: RewardWeights) -> TrainingSchedulerEnv:
    """The held-out environment ``method`` is played in (constrained for ppo_c)."""
    return TrainingSchedulerEnv(
        population=population,
        max_days=days,
        alpha=w.alpha,
        beta=w.beta,
        gamma=w.gamma,
        gain_scale=w.gain_scale,
        heldout=True,
        constrained=method == "ppo_c",
    )


def play_athlete(
    env: TrainingSchedulerEnv,
    method: str,
    athlete: SimAthlete,
    index: int,
    days: int,
    seed: int,
    policy: Any,
    weights: RewardWeights,
) -> AthleteOutcome:
    """Play ``method`` for ``days`` days on one athlete, the ``index``-th of the comparison.

    Everything random is seeded from ``seed`` and ``index`` (the episode with
    ``seed * 100_003 + index``, the week planner with ``seed + index``) and ``reset`` starts
    the environment afresh, so the outcome does not depend on which process plays it or
    what that environment played before.
    """
    if not is_heldout_seed(athlete.athlete_seed):
        raise ValueError("compare runs on held-out (odd-seed) athletes only")
    obs, _ = env.reset(seed=seed * 100_003 + index, options={"athlete": athlete})
    total, fat, week, decide_s = 0.0, [], None, 0.0
    traces: list[tuple[float, ...]] = []
    info: dict[str, Any] = {}
    for d in range(days):
        t0 = time.perf_counter()
        if method in ("ppo", "ppo_c"):
            from models.ppo import propose

            action = propose(policy, obs)  # ppo_c: the env projects it onto the week
        else:
            if d % 7 == 0:
                c = WeekConstraints(hr_rest=athlete.resting_hr, hr_max=athlete.hr_max)
                state = copy.deepcopy(env.state)
                nominal = nominal_athlete(athlete)
                op = ObjectiveParams(nominal, state, weights)  # type: ignore[arg-type]
                week = _week_planner(method, seed + index)(c, op)
                if week.trace:
                    traces.append(tuple(week.trace))
            action = week.actions()[d % 7]  # type: ignore[union-attr]
        decide_s += time.perf_counter() - t0
        obs, r, _, _, info = env.step(action)
        total += r
        fat.append(info["fatigue"])
    return AthleteOutcome(
        reward=total,
        perf_gain_pct=info["perf_gain_pct"],
        fatigue=float(np.mean(fat)),
        injuries=env.state.injuries,  # type: ignore[union-attr]
        decide_s=decide_s,
        traces=tuple(traces),
    )


def aggregate(method: str, outcomes: Sequence[AthleteOutcome], days: int) -> MethodResult:
    """One method's result from its athletes' outcomes (in the athletes' order)."""
    traces = [list(t) for o in outcomes for t in o.traces]
    conv = float(np.mean([iteration_to_fraction(t) for t in traces])) if traces else None
    athlete_days = len(outcomes) * days
    return MethodResult(
        method=method,
        perf_gain_pct=float(np.mean([o.perf_gain_pct for o in outcomes])),
        fatigue=float(np.mean([o.fatigue for o in outcomes])),
        injuries_per_1000_days=1000.0 * sum(o.injuries for o in outcomes) / athlete_days,
        reward=float(np.mean([o.reward for o in outcomes])),
        latency_ms_per_day=1000.0 * sum(o.decide_s for o in outcomes) / athlete_days,
        convergence=conv,
        traces=traces,
    )


def run_method(
    method: str,
    athletes: list[SimAthlete],
    days: int,
    seed: int,
    policy: Any = None,
    progress: Callable[[], None] | None = None,
    weights: RewardWeights | None = None,
) -> MethodResult:
    """Play ``method`` for ``days`` days on each athlete in this process; aggregate."""
    w = weights or RewardWeights()
    env = method_env(method, athletes[0].population, days, w)
    outcomes = []
    for i, athlete in enumerate(athletes):
        outcomes.append(play_athlete(env, method, athlete, i, days, seed, policy, w))
        if progress is not None:
            progress()
    return aggregate(method, outcomes, days)


@lru_cache(maxsize=4)
def _policy_at(path: str) -> Any:
    """A process's copy of the policy at ``path``, loaded once per process and path."""
    from models.ppo import load_policy

    return load_policy(path)


def run_job(job: AthleteJob) -> AthleteOutcome:
    """Play one job in a fresh environment (what a worker process runs)."""
    env = method_env(job.method, job.athlete.population, job.days, job.weights)
    policy = _policy_at(job.policy_path) if job.policy_path is not None else None
    return play_athlete(env, job.method, job.athlete, job.index, job.days, job.seed, policy,
                        job.weights)


def _check_trained_on_even_seeds(policy_dir: Path) -> None:
    """Refuse a policy whose manifest does not say it trained on even (training) seeds only."""
    manifest = policy_dir / "manifest.json" if policy_dir.is_dir() else None
    if manifest is None or not manifest.exists():
        return
    import json

    if "even-seeds" not in json.loads(manifest.read_text()).get("data", ""):
        raise ValueError(
            f"{manifest} does not record training on even athlete seeds; held-out evaluation "
            "cannot be guaranteed. Retrain with `coachloop train scheduler`."
        )


def compare(
    n_athletes: int = 20,
    days: int = 60,
    seed: int = 0,
    population: str = "college",
    policy_path: Path | None = None,
    methods: tuple[str, ...] = METHODS,
    progress: Callable[[], None] | None = None,
    constrained_policy_path: Path | None = None,
    weights: RewardWeights | None = None,
    mapper: Mapper | None = None,
) -> list[MethodResult]:
    """Every method on the same ``n_athletes`` held-out athletes of ``population``.

    ``weights``: Eq. 9's reward weights (default the paper's 0.6 / 0.3 / 0.1). Without
    ``mapper`` everything runs in this process, one method after the other; with one, each
    (method, athlete) block is an `AthleteJob` that ``mapper`` runs where it likes (each
    worker loads the policies from their paths) and the outcomes are aggregated here in the
    same order, so the results are the same numbers (timings apart).
    """
    if not 1 <= days <= 365:
        raise ValueError("days must be 1-365")
    if n_athletes < 1:
        raise ValueError("athletes must be at least 1")
    athletes = sample_athletes(n_athletes, population, seed)
    policy = None
    if "ppo" in methods or "ppo_c" in methods:
        if policy_path is None:
            raise ValueError("PPO needs a policy path (the shipped ppo-scheduler directory)")
        from models.ppo import load_policy, policy_zip

        _check_trained_on_even_seeds(Path(policy_path))
        policy = load_policy(policy_path) if mapper is None else policy_zip(policy_path)
    policy_c = policy
    if constrained_policy_path is not None:
        from models.ppo import load_policy, policy_zip

        _check_trained_on_even_seeds(Path(constrained_policy_path))
        load = load_policy if mapper is None else policy_zip
        policy_c = load(constrained_policy_path)
    if mapper is None:
        return [
            run_method(m, athletes, days, seed, policy_c if m == "ppo_c" else policy, progress,
                       weights)
            for m in methods
        ]
    w = weights or RewardWeights()
    paths = {"ppo": policy, "ppo_c": policy_c}
    jobs = [
        AthleteJob(m, athlete, i, days, seed, w, str(paths[m]) if m in paths else None)
        for m in methods
        for i, athlete in enumerate(athletes)
    ]
    outcomes = mapper(run_job, jobs, progress)
    n = len(athletes)
    return [aggregate(m, outcomes[k * n : (k + 1) * n], days) for k, m in enumerate(methods)]
