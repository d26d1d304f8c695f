"""z-scores against the athlete's own previous 28 days (planner.baseline)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planner.baseline import BASELINE_DAYS, MIN_BASELINE_OBSERVATIONS, trailing_baseline

days = st.lists(
    st.one_of(st.just(float("nan")), st.just(0.0), st.floats(min_value=0, max_value=3000)),
    min_size=1, max_size=90,
)


@settings(max_examples=150, deadline=None)
@given(days)
def test_baseline_equals_pandas_rolling_over_the_previous_28_days(values: list[float]) -> None:
    x = np.array(values)
    base = trailing_baseline(x)
    prior = pd.Series(x).shift(1).rolling(BASELINE_DAYS, min_periods=1)
    count = prior.count().fillna(0).to_numpy()
    assert np.array_equal(base.count, count)
    mean = prior.mean().to_numpy()
    sd = prior.std().to_numpy()
    defined = count >= 2
    assert np.allclose(base.mean[defined], mean[defined], rtol=1e-9, atol=1e-6)
    assert np.allclose(base.sd[defined], sd[defined], rtol=1e-6, atol=1e-5)
    trusted = (count >= MIN_BASELINE_OBSERVATIONS) & ~np.isnan(x) & (sd > 1e-6)
    with np.errstate(divide="ignore", invalid="ignore"):
        expected = (x - mean) / sd
    assert np.allclose(base.z[trusted], expected[trusted], rtol=1e-6, atol=1e-6)
    assert np.all(np.isnan(base.z[count < MIN_BASELINE_OBSERVATIONS]))


def test_today_is_not_part_of_its_own_baseline() -> None:
    x = np.array([3.0, 4.0] * 10 + [9.0])
    base = trailing_baseline(x)
    assert base.mean[-1] == pytest.approx(3.5)
    assert base.z[-1] == pytest.approx((9.0 - 3.5) / np.std([3.0, 4.0] * 10, ddof=1))


def test_an_athlete_who_always_answers_the_same_is_scaled_by_the_floor() -> None:
    x = np.array([3.0] * 20 + [2.0])
    assert np.isnan(trailing_baseline(x).z[-1])  # SD 0 and no floor: undefined, not infinite
    assert trailing_baseline(x, floor=1.0).z[-1] == pytest.approx(-1.0)


def test_a_z_score_needs_the_minimum_number_of_previous_values() -> None:
    few = np.array([3.0, 4.0] * 6 + [3.0] + [6.0])  # 13 values before today
    assert np.isnan(trailing_baseline(few).z[-1])
    enough = np.array([3.0, 4.0] * 7 + [6.0])  # 14
    assert not np.isnan(trailing_baseline(enough).z[-1])


def test_missing_days_are_neither_observations_nor_zeros() -> None:
    x = np.array([4.0, np.nan] * 14 + [np.nan, 4.0])
    base = trailing_baseline(x, min_obs=2, floor=1.0)
    assert base.count[-1] == 13  # the 28 days before today hold 13 answers
    assert base.mean[-1] == pytest.approx(4.0)
    assert base.z[-1] == pytest.approx(0.0)
    assert np.isnan(base.z[-2])  # today missing: no z


def test_four_weeks_of_rest_have_no_spread_so_the_next_session_has_no_z() -> None:
    x = np.array([0.0] * 28 + [500.0])
    base = trailing_baseline(x)
    assert base.sd[-1] == 0.0
    assert np.isnan(base.z[-1])


def test_only_the_last_28_days_count() -> None:
    x = np.array([100.0] * 10 + [1.0, 2.0] * 14 + [2.0])
    assert trailing_baseline(x).mean[-1] == pytest.approx(1.5)


@pytest.mark.parametrize("kwargs", [{"window": 1}, {"min_obs": 1}, {"floor": -1.0}])
def test_nonsense_parameters_are_refused(kwargs: dict[str, float]) -> None:
    with pytest.raises(ValueError, match=r"baseline|floor"):
        trailing_baseline(np.zeros(5), **kwargs)  # type: ignore[arg-type]


def test_a_stack_of_series_is_each_series_on_its_own_with_its_own_floor() -> None:
    rng = np.random.default_rng(4)
    stack = rng.integers(1, 6, size=(3, 60)).astype(float)
    stack[rng.random((3, 60)) < 0.2] = np.nan
    floors = np.array([0.0, 1.0, 2.5])
    together = trailing_baseline(stack, floor=floors)
    for row in range(3):
        alone = trailing_baseline(stack[row], floor=float(floors[row]))
        assert np.array_equal(together.z[row], alone.z, equal_nan=True)
        assert np.array_equal(together.mean[row], alone.mean, equal_nan=True)
