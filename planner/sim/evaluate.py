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
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
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


def run_method(
    method: str,
    athletes: list[SimAthlete],
    days: int,
    seed: int,
    policy: Any = None,
    progress: Callable[[], None] | None = None,
    weights: RewardWeights | None = None,
) -> MethodResult:
    """Play ``method`` for ``days`` days on each athlete; aggregate the outcomes."""
    w = weights or RewardWeights()
    env = TrainingSchedulerEnv(
        population=athletes[0].population,
        max_days=days,
        alpha=w.alpha,
        beta=w.beta,
        gamma=w.gamma,
        gain_scale=w.gain_scale,
        heldout=True,
        constrained=method == "ppo_c",
    )
    rewards, gains, fatigues, decide_s = [], [], [], 0.0
    injuries, traces = 0, []
    for i, athlete in enumerate(athletes):
        if not is_heldout_seed(athlete.athlete_seed):
            raise ValueError("compare runs on held-out (odd-seed) athletes only")
        obs, _ = env.reset(seed=seed * 100_003 + i, options={"athlete": athlete})
        total, fat, week = 0.0, [], None
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
                    op = ObjectiveParams(nominal, state, w)  # type: ignore[arg-type]
                    week = _week_planner(method, seed + i)(c, op)
                    if week.trace:
                        traces.append(list(week.trace))
                action = week.actions()[d % 7]  # type: ignore[union-attr]
            decide_s += time.perf_counter() - t0
            obs, r, _, _, info = env.step(action)
            total += r
            fat.append(info["fatigue"])
        rewards.append(total)
        gains.append(info["perf_gain_pct"])
        fatigues.append(float(np.mean(fat)))
        injuries += env.state.injuries  # type: ignore[union-attr]
        if progress is not None:
            progress()
    conv = float(np.mean([iteration_to_fraction(t) for t in traces])) if traces else None
    return MethodResult(
        method=method,
        perf_gain_pct=float(np.mean(gains)),
        fatigue=float(np.mean(fatigues)),
        injuries_per_1000_days=1000.0 * injuries / (len(athletes) * days),
        reward=float(np.mean(rewards)),
        latency_ms_per_day=1000.0 * decide_s / (len(athletes) * days),
        convergence=conv,
        traces=traces,
    )


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
) -> list[MethodResult]:
    """Every method on the same ``n_athletes`` held-out athletes of ``population``.

    ``weights``: Eq. 9's reward weights (default the paper's 0.6 / 0.3 / 0.1).
    """
    if not 1 <= days <= 365:
        raise ValueError("days must be 1-365")
    athletes = sample_athletes(n_athletes, population, seed)
    policy = None
    if "ppo" in methods or "ppo_c" in methods:
        if policy_path is None:
            raise ValueError("PPO needs a policy path (the shipped ppo-scheduler directory)")
        from models.ppo import load_policy

        _check_trained_on_even_seeds(Path(policy_path))
        policy = load_policy(policy_path)
    policy_c = policy
    if constrained_policy_path is not None:
        from models.ppo import load_policy

        _check_trained_on_even_seeds(Path(constrained_policy_path))
        policy_c = load_policy(constrained_policy_path)
    return [
        run_method(m, athletes, days, seed, policy_c if m == "ppo_c" else policy, progress,
                   weights)
        for m in methods
    ]
