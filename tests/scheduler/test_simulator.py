"""The simulator: check_env, determinism, body loads, the real-athlete observation."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from stable_baselines3.common.env_checker import check_env

from planner.sim.athletes import heldout_athlete_seeds, sample_athlete, sample_athletes
from planner.sim.body import body_load_table, joint_load_index
from planner.sim.dynamics import decode_action, encode_action
from planner.sim.env import TrainingSchedulerEnv
from planner.sim.observation import FEATURES, OBS_DIM, observation_from_history


def test_env_passes_sb3_check_env() -> None:
    check_env(TrainingSchedulerEnv(), warn=True)


def _rollout(seed: int) -> tuple[np.ndarray, list[float]]:
    env = TrainingSchedulerEnv(max_days=30)
    obs, _ = env.reset(seed=seed)
    env.action_space.seed(seed)
    rewards, trunc = [], False
    while not trunc:
        obs, r, _, trunc, _ = env.step(env.action_space.sample())
        rewards.append(r)
    return obs, rewards


def test_env_is_deterministic_under_seed() -> None:
    a, b, c = _rollout(3), _rollout(3), _rollout(4)
    assert np.array_equal(a[0], b[0]) and a[1] == b[1]
    assert a[1] != c[1]


def test_episode_is_truncated_at_max_days() -> None:
    assert len(_rollout(1)[1]) == 30


def test_training_env_refuses_heldout_athletes() -> None:
    athlete = sample_athletes(1, "college", 0)[0]
    with pytest.raises(ValueError, match="held-out"):
        TrainingSchedulerEnv().reset(seed=0, options={"athlete": athlete})


def test_heldout_seeds_are_odd_and_distinct() -> None:
    seeds = heldout_athlete_seeds(200, 5)
    assert all(s % 2 == 1 for s in seeds) and len(set(seeds)) == 200


def test_populations_differ_as_documented() -> None:
    youth = [sample_athlete(2 * i, "youth") for i in range(300)]
    retired = [sample_athlete(2 * i, "retired") for i in range(300)]
    assert np.mean([a.height_m for a in youth]) < np.mean([a.height_m for a in retired])
    assert np.mean([a.vo2max for a in retired]) < np.mean([a.vo2max for a in youth])
    assert np.mean([a.tau_fatigue for a in retired]) > np.mean([a.tau_fatigue for a in youth])


@pytest.mark.parametrize("exercise", ["squat", "running_stride", "push_up", "pull_up"])
def test_heavier_body_has_larger_joint_load_index(exercise: str) -> None:
    light = joint_load_index(exercise, "M", 1.78, 65.0)
    heavy = joint_load_index(exercise, "M", 1.78, 95.0)
    assert heavy.max() > light.max()


def test_squat_loads_knee_more_than_shoulder_and_push_up_the_reverse() -> None:
    squat = joint_load_index("squat", "F", 1.65, 60.0)
    push = joint_load_index("push_up", "F", 1.65, 60.0)
    assert squat[0] > squat[2] and push[2] > push[0]


def test_cached_table_matches_direct_pybullet_run() -> None:
    direct = joint_load_index("lunge", "F", 1.62, 71.0)
    cached = body_load_table("F", 1.62, 71.0)[1]
    np.testing.assert_allclose(cached, direct, rtol=1e-6)


@settings(max_examples=50, deadline=None)
@given(
    st.floats(0, 1), st.floats(0, 120), st.floats(0, 1),
    st.lists(st.floats(0.01, 1), min_size=5, max_size=5),
)
def test_encode_then_decode_action_round_trips(
    intensity: float, minutes: float, wr: float, mix: list[float]
) -> None:
    act = decode_action(encode_action(intensity, minutes, wr, np.array(mix)))
    assert act.intensity == pytest.approx(intensity, abs=1e-6)
    assert act.minutes == pytest.approx(minutes, abs=1e-4)
    assert act.mix.sum() == pytest.approx(1.0)


@settings(max_examples=30, deadline=None)
@given(
    st.lists(st.floats(0, 300), min_size=7, max_size=90),
    st.floats(40, 90), st.floats(10, 150), st.floats(1, 5), st.floats(-1, 1),
)
def test_observation_from_history_has_env_shape_and_range(
    loads: list[float], rhr: float, hrv: float, wellness: float, sentiment: float
) -> None:
    obs = observation_from_history(
        resting_hr=rhr, hrv_rmssd_ms=hrv, daily_loads=loads, wellness=wellness,
        sentiment_trend=sentiment, sex="F", height_m=1.68, mass_kg=61.0, days_since_rest=2,
    )
    env = TrainingSchedulerEnv()
    assert obs.shape == (OBS_DIM,) == env.observation_space.shape == (len(FEATURES),)
    assert env.observation_space.contains(obs)


def test_observation_from_history_rejects_too_short_history() -> None:
    with pytest.raises(ValueError, match="7 days"):
        observation_from_history(
            resting_hr=60, hrv_rmssd_ms=60, daily_loads=[50, 0, 60], wellness=3,
            sentiment_trend=0, sex="M", height_m=1.8, mass_kg=75, days_since_rest=1,
        )


def test_harder_training_raises_fatigue_feature() -> None:
    easy = observation_from_history(
        resting_hr=60, hrv_rmssd_ms=60, daily_loads=[40] * 28, wellness=3, sentiment_trend=0,
        sex="M", height_m=1.8, mass_kg=75, days_since_rest=1,
    )
    hard = observation_from_history(
        resting_hr=60, hrv_rmssd_ms=60, daily_loads=[40] * 21 + [150] * 7, wellness=3,
        sentiment_trend=0, sex="M", height_m=1.8, mass_kg=75, days_since_rest=1,
    )
    i = FEATURES.index("muscle_fatigue")
    assert hard[i] > easy[i] and hard[FEATURES.index("acwr")] > easy[FEATURES.index("acwr")]


def test_constrained_env_keeps_every_week_inside_the_pe_constraints() -> None:
    from planner.sim.dynamics import decode_action

    env = TrainingSchedulerEnv(max_days=28, constrained=True)
    hard: list[bool] = []
    env.reset(seed=2)
    env.action_space.seed(2)
    for week in range(4):
        trained = 0
        for _ in range(7):
            projected = env._project(env.action_space.sample())
            act = decode_action(projected)
            if act.minutes > 0:
                trained += 1
                assert 35.0 - 1e-3 <= act.minutes <= 60.0 + 1e-3
            hard.append(act.minutes > 0 and act.intensity >= 0.75)
            env.state.day += 1  # type: ignore[union-attr]
        assert 4 <= trained <= 6, f"week {week}: {trained} sessions"
    for a, b in itertools.pairwise(hard):
        assert not (a and b)
