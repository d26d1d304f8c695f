"""The simulator: check_env, determinism, body loads and the catalogue's archetypes, reward
weights, the real-athlete observation."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from stable_baselines3.common.env_checker import check_env

from planner.catalogue import load_catalogue
from planner.sim import body
from planner.sim.anthropometry import build_segments
from planner.sim.athletes import heldout_athlete_seeds, sample_athlete, sample_athletes
from planner.sim.body import (
    CACHE_PATH,
    EXERCISES,
    JOINT_GROUPS,
    body_load_table,
    exercise_load_index,
    joint_load_index,
)
from planner.sim.dynamics import RewardWeights, decode_action, encode_action
from planner.sim.env import TrainingSchedulerEnv
from planner.sim.exercises import ARCHETYPE_OF, CATALOGUE
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


def test_body_has_13_segments_and_12_joints() -> None:
    from planner.sim.anthropometry import build_joints

    assert len(build_segments("F", 1.7, 60.0)) == 13
    assert len(build_joints(1.7)) == 12


def test_every_catalogue_exercise_maps_to_an_archetype_the_cache_covers() -> None:
    ids = set(load_catalogue().exercises)
    assert len(ids) >= 38
    assert set(ARCHETYPE_OF) - ids == set(), "mapping names exercises the catalogue lacks"
    assert ids - set(ARCHETYPE_OF) == set(), "catalogue exercises without an archetype"
    with np.load(CACHE_PATH) as z:
        cached = tuple(str(e) for e in z["exercises"])
        assert z["M"].shape == z["F"].shape == (len(z["heights"]), len(cached), len(JOINT_GROUPS))
    assert cached == EXERCISES == tuple(CATALOGUE)  # the shipped cache is current
    assert set(ARCHETYPE_OF.values()) <= set(cached)


def test_catalogue_load_index_reads_the_shipped_cache_without_pybullet(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def no_pybullet(sex: str, height_m: float) -> np.ndarray:
        raise AssertionError(f"PyBullet run for ({sex}, {height_m}): not in the shipped cache")

    monkeypatch.setattr(body, "_compute", no_pybullet)
    body._cached.cache_clear()
    try:
        for exercise_id, archetype in ARCHETYPE_OF.items():
            for sex, height in (("F", 1.58), ("M", 1.86)):
                index = exercise_load_index(exercise_id, sex, height, 64.0)
                row = body_load_table(sex, height, 64.0)[EXERCISES.index(archetype)]
                assert list(index) == list(JOINT_GROUPS)
                assert list(index.values()) == pytest.approx(list(row))
                assert all(np.isfinite(v) and v >= 0 for v in index.values())
    finally:
        body._cached.cache_clear()


def test_catalogue_load_index_ranks_exercises_and_bodies_as_the_movements_do() -> None:
    squat = exercise_load_index("squat", "M", 1.80, 78.0)
    push = exercise_load_index("knee_push_up", "M", 1.80, 78.0)
    run = exercise_load_index("easy_run", "M", 1.80, 78.0)
    sprint = exercise_load_index("sprints", "M", 1.80, 78.0)
    assert squat["knee"] > squat["shoulder"] and push["shoulder"] > push["knee"]
    assert sprint["knee"] > run["knee"] and sprint["hip"] > run["hip"]
    heavy = exercise_load_index("lunge", "F", 1.64, 90.0)
    light = exercise_load_index("lunge", "F", 1.64, 55.0)
    assert all(heavy[g] > light[g] for g in JOINT_GROUPS)


def test_unknown_catalogue_exercise_says_where_to_map_it() -> None:
    with pytest.raises(ValueError, match="ARCHETYPE_OF"):
        exercise_load_index("handstand", "M", 1.8, 75.0)


@pytest.mark.parametrize(
    "weights", [(-0.1, 0.3, 0.1), (0.6, float("nan"), 0.1), (0.0, 0.0, 0.0)]
)
def test_reward_weights_refuse_negative_missing_or_all_zero(
    weights: tuple[float, float, float],
) -> None:
    with pytest.raises(ValueError, match="reward weight"):
        RewardWeights(*weights)


def test_env_reward_is_eq9_with_the_weights_it_was_given() -> None:
    act = encode_action(0.7, 50.0, 0.5, np.eye(5)[0])
    rewards: dict[tuple[float, float, float], float] = {}
    for w in ((0.6, 0.3, 0.1), (1.0, 0.0, 0.0), (0.0, 1.0, 0.0), (0.0, 0.0, 1.0)):
        env = TrainingSchedulerEnv(max_days=10, alpha=w[0], beta=w[1], gamma=w[2])
        env.reset(seed=5)
        for _ in range(3):
            _, r, _, _, info = env.step(act)
        rewards[w] = r
    assert rewards[(1.0, 0.0, 0.0)] == pytest.approx(15.0 * info["gain"])
    assert rewards[(0.0, 1.0, 0.0)] == pytest.approx(-info["fatigue"])
    assert rewards[(0.0, 0.0, 1.0)] == pytest.approx(-info["injury_risk"])
    mix = 0.6 * rewards[(1.0, 0.0, 0.0)] + 0.3 * rewards[(0.0, 1.0, 0.0)]
    assert rewards[(0.6, 0.3, 0.1)] == pytest.approx(mix + 0.1 * rewards[(0.0, 0.0, 1.0)])
