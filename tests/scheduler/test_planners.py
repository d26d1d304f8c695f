"""ACO and baseline week planners: constraints, determinism, the reward weights they use."""

from __future__ import annotations

import pytest

from planner.aco import ObjectiveParams, plan_week
from planner.schedule_baselines import fixed_plan, ga_plan, lp_plan
from planner.sim.athletes import sample_athletes
from planner.sim.dynamics import RewardWeights, initial_state
from planner.sim.evaluate import compare
from planner.sim.surrogate import nominal_athlete
from planner.week import WeekConstraints, WeekPlan


@pytest.fixture(scope="module")
def setup() -> tuple[WeekConstraints, ObjectiveParams]:
    athlete = sample_athletes(1, "college", 11)[0]
    c = WeekConstraints(hr_rest=athlete.resting_hr, hr_max=athlete.hr_max)
    return c, ObjectiveParams(nominal_athlete(athlete), initial_state(athlete))


def _assert_feasible(plan: WeekPlan, c: WeekConstraints) -> None:
    lo, hi = c.hr_interval
    sessions = plan.sessions
    assert c.min_sessions <= len(sessions) <= c.max_sessions
    for s in sessions:
        assert c.min_minutes <= s.minutes <= c.max_minutes
        assert lo - 1e-6 <= s.hr_target <= hi + 1e-6
        assert s.day in c.available_days
    for a, b in zip(plan.days, plan.days[1:], strict=False):
        if a.is_hard:
            assert b.is_rest, f"day {b.day} must be rest after hard day {a.day}"


def test_aco_week_respects_every_constraint(setup: tuple) -> None:
    c, op = setup
    plan = plan_week(c, op, seed=0, iterations=25)
    assert plan.violation == 0
    _assert_feasible(plan, c)


def test_aco_respects_available_days(setup: tuple) -> None:
    _, op = setup
    c = WeekConstraints(hr_rest=60, hr_max=190, available_days=(0, 2, 4, 5, 6))
    plan = plan_week(c, op, seed=1, iterations=25)
    _assert_feasible(plan, c)


def test_aco_is_deterministic_under_seed(setup: tuple) -> None:
    c, op = setup
    a, b = plan_week(c, op, seed=5, iterations=10), plan_week(c, op, seed=5, iterations=10)
    assert a.days == b.days and a.trace == b.trace


def test_aco_improves_on_its_first_iteration(setup: tuple) -> None:
    c, op = setup
    trace = plan_week(c, op, seed=2, iterations=25).trace
    assert trace[-1] >= trace[0] and list(trace) == sorted(trace)


def test_ga_and_lp_and_fixed_plans_are_feasible(setup: tuple) -> None:
    c, op = setup
    for plan in (ga_plan(c, op, seed=0, generations=25), lp_plan(c, op), fixed_plan(c)):
        assert plan.violation == pytest.approx(0.0, abs=1e-9), plan.method
        _assert_feasible(plan, c)
        assert len(plan.actions()) == 7


def test_constraints_reject_too_few_available_days() -> None:
    with pytest.raises(ValueError, match="available days"):
        WeekConstraints(available_days=(0, 1))


def test_ga_is_deterministic_under_seed(setup: tuple) -> None:
    c, op = setup
    a, b = ga_plan(c, op, seed=3, generations=8), ga_plan(c, op, seed=3, generations=8)
    assert a.days == b.days and a.trace == b.trace


def test_lp_never_exceeds_the_acwr_load_cap(setup: tuple) -> None:
    from planner.sim.dynamics import decode_action, session_load

    c, op = setup
    plan = lp_plan(c, op)
    athlete = op.athlete
    week_load = sum(session_load(decode_action(a), athlete.sex) for a in plan.actions())
    assert week_load <= 1.3 * 7 * op.state.loads.mean() * 1.05


def test_compare_scores_the_same_decisions_with_the_weights_asked_for() -> None:
    """The fixed plan's decisions do not depend on the weights: same gain, Eq.-9 reward."""
    runs = {
        w: compare(1, 7, 0, "college", methods=("fixed",), weights=RewardWeights(*w))[0]
        for w in ((0.6, 0.3, 0.1), (1.0, 0.0, 0.0))
    }
    paper, gain_only = runs[(0.6, 0.3, 0.1)], runs[(1.0, 0.0, 0.0)]
    assert paper.perf_gain_pct == gain_only.perf_gain_pct
    assert paper.fatigue == gain_only.fatigue
    assert paper.reward != gain_only.reward


def test_week_planners_optimise_the_weights_asked_for() -> None:
    """ACO told that only fatigue counts (beta = 1) plans a less tiring week than Eq. 9's."""
    paper = compare(1, 7, 0, "college", methods=("aco",))[0]
    fatigue_only = compare(1, 7, 0, "college", methods=("aco",),
                           weights=RewardWeights(0.0, 1.0, 0.0))[0]
    assert fatigue_only.fatigue < paper.fatigue - 0.1
