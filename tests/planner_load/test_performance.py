"""The Banister model in use: fitted to an athlete's tests, predicting under a planned load."""

from __future__ import annotations

import datetime as dt
import json

import numpy as np
import pytest

from planner import charts
from planner.banister import banister_performance
from planner.loadtypes import SessionLoad, WellnessDay
from planner.performance import (
    PERFORMANCE_ITEMS,
    PerformanceTest,
    assumed_rpe,
    choose_item,
    forecast_performance,
    next_test_day,
)
from planner.readiness import metrics_history

D0 = dt.date(2024, 1, 1)
N_DAYS = 168  # 24 weeks of recorded training
TRUTH = {"p0": 3.4, "k1": 3e-5, "k2": 1.2e-4, "tau1": 40.0, "tau2": 8.0}
"""A 3000 m runner: 3.4 m/s (14:42) untrained; ~3.6 m/s after the block."""
NOISE = 0.005  # 0.5 % test-to-test noise on speed (about 4 s over 3000 m)
TOLERANCE = 0.01  # the fit must predict within 1 % of the true speed (docs/load.md)
PLAN_DAYS = 14


def day(n: int) -> dt.date:
    return D0 + dt.timedelta(days=n)


def synthetic_athlete(seed: int, every: int = 14) -> tuple[np.ndarray, list[PerformanceTest]]:
    """Periodised 3:1 load (weeks x1.0, 1.2, 1.4, 0.5; Sundays off) and 3000 m tests.

    The tests are the true Banister speeds (``TRUTH``) with 0.5 % noise, stored as times.
    """
    rng = np.random.default_rng(seed)
    week = np.arange(N_DAYS) // 7
    level = np.array([1.0, 1.2, 1.4, 0.5])[week % 4] * (1 + 0.02 * week)
    training = np.where(np.arange(N_DAYS) % 7 == 6, 0.0, 1.0)
    loads = 350.0 * level * training * rng.uniform(0.8, 1.2, N_DAYS)
    test_days = np.arange(7, N_DAYS + 1, every)
    speed = banister_performance(loads, test_days, **TRUTH)
    speed = speed * (1 + rng.normal(0, NOISE, len(test_days)))
    tests = [PerformanceTest(day(int(d)), "run_3000m_s", 3000.0 / v)
             for d, v in zip(test_days, speed, strict=True)]
    return loads, tests


def true_speed(loads: np.ndarray, planned: float) -> float:
    full = np.concatenate([loads, [planned] * PLAN_DAYS])
    return float(banister_performance(full, [N_DAYS + PLAN_DAYS], **TRUTH)[0])


def plan(daily: float) -> dict[dt.date, float]:
    return {day(N_DAYS - 1 + i): daily for i in range(1, PLAN_DAYS + 1)}


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_fit_recovers_the_prediction_under_a_planned_taper_and_a_hard_block(seed: int) -> None:
    loads, tests = synthetic_athlete(seed)
    target = day(N_DAYS + PLAN_DAYS)
    predicted = {}
    for daily in (150.0, 600.0):
        forecast = forecast_performance(D0, list(loads), tests, plan(daily), target,
                                        leave_one_out=False)
        assert forecast.fit is not None and forecast.reason is None
        assert forecast.planned_days == PLAN_DAYS
        assert forecast.planned_mean_load == pytest.approx(daily)
        truth = true_speed(loads, daily)
        assert forecast.predicted == pytest.approx(truth, rel=TOLERANCE)
        assert forecast.predicted_value == pytest.approx(3000.0 / truth, rel=TOLERANCE)
        predicted[daily] = forecast.predicted
    # the taper is predicted faster than the hard block, by the true margin +- 30 %
    true_gap = true_speed(loads, 150.0) - true_speed(loads, 600.0)
    assert 0.7 * true_gap < predicted[150.0] - predicted[600.0] < 1.3 * true_gap
    # a naive "same as the last test" forecast misses the taper by more than the tolerance
    last = 3000.0 / tests[-1].value
    assert abs(last - true_speed(loads, 150.0)) / true_speed(loads, 150.0) > TOLERANCE


def test_fit_quality_is_reported_in_sample_and_leave_one_out() -> None:
    loads, tests = synthetic_athlete(0, every=21)
    forecast = forecast_performance(D0, list(loads), tests)
    fit = forecast.fit
    assert fit is not None and fit.n_tests == len(tests) == 8
    speed = 3000.0 / np.array([t.value for t in tests])
    assert fit.rmse < 3 * NOISE * speed.mean()
    assert fit.r2 is not None and fit.r2 > 0.8
    assert fit.loo_rmse is not None and fit.loo_rmse >= fit.rmse
    assert 5 <= fit.tau1 <= 120 and 1 <= fit.tau2 <= 30 and fit.k1 >= 0 and fit.k2 >= 0


def test_fewer_than_three_tests_is_refused_with_a_reason() -> None:
    loads, tests = synthetic_athlete(0)
    forecast = forecast_performance(D0, list(loads), tests[:2])
    assert forecast.fit is None and forecast.predicted is None and forecast.curve == ()
    assert forecast.reason == "the Banister model needs at least 3 3000 m run tests; 2 stored"
    none = forecast_performance(D0, list(loads), [])
    assert none.fit is None and none.reason is not None
    assert none.reason.startswith("no performance test stored")


def test_tests_without_any_training_load_are_refused() -> None:
    _, tests = synthetic_athlete(0)
    forecast = forecast_performance(D0, [0.0] * N_DAYS, tests)
    assert forecast.fit is None and forecast.reason is not None
    assert "no training load" in forecast.reason


def test_without_a_plan_the_last_28_day_mean_load_is_kept() -> None:
    loads, tests = synthetic_athlete(1)
    target = day(N_DAYS + PLAN_DAYS)
    default = forecast_performance(D0, list(loads), tests, None, target, leave_one_out=False)
    mean = float(loads[-28:].mean())
    explicit = forecast_performance(D0, list(loads), tests, plan(mean), target,
                                    leave_one_out=False)
    assert default.baseline_load == pytest.approx(mean)
    assert default.planned_mean_load == pytest.approx(mean)
    assert default.predicted == pytest.approx(explicit.predicted)


def test_planned_days_missing_from_the_plan_keep_the_baseline() -> None:
    loads, tests = synthetic_athlete(1)
    target = day(N_DAYS + PLAN_DAYS)
    one_day = {day(N_DAYS): 0.0}
    forecast = forecast_performance(D0, list(loads), tests, one_day, target, leave_one_out=False)
    mean = float(loads[-28:].mean())
    assert forecast.planned_mean_load == pytest.approx(mean * (PLAN_DAYS - 1) / PLAN_DAYS)


def test_times_become_speeds_and_the_jump_stays_in_cm() -> None:
    assert PERFORMANCE_ITEMS["run_3000m_s"].performance(750.0) == pytest.approx(4.0)
    assert PERFORMANCE_ITEMS["run_50m_s"].performance(8.0) == pytest.approx(6.25)
    assert PERFORMANCE_ITEMS["run_3000m_s"].value(4.0) == pytest.approx(750.0)
    assert PERFORMANCE_ITEMS["run_3000m_s"].performance(0.0) is None
    assert PERFORMANCE_ITEMS["standing_long_jump_cm"].performance(231.0) == 231.0
    # faster is higher: a shorter time is a better performance
    spec = PERFORMANCE_ITEMS["endurance_run_s"]
    assert (spec.performance(200.0) or 0) > (spec.performance(220.0) or 0)
    assert PERFORMANCE_ITEMS["run_3000m_s"].format(754.0) == "12:34.0"


def test_the_3000m_is_preferred_once_it_has_three_tests() -> None:
    def tests(item: str, n: int) -> list[PerformanceTest]:
        return [PerformanceTest(day(7 * i), item, 200.0) for i in range(n)]

    assert choose_item(tests("standing_long_jump_cm", 5) + tests("run_3000m_s", 3)) == (
        "run_3000m_s")
    assert choose_item(tests("standing_long_jump_cm", 3) + tests("run_3000m_s", 2)) == (
        "standing_long_jump_cm")
    assert choose_item(tests("run_3000m_s", 2) + tests("pull_ups", 9)) == "run_3000m_s"
    assert choose_item(tests("pull_ups", 9)) is None


def test_next_test_day_is_the_usual_interval_past_the_history() -> None:
    days = [day(0), day(14), day(28), day(43)]
    assert next_test_day(days, day(50)) == day(57)
    assert next_test_day(days, day(57)) == day(71)


def test_assumed_rpe_is_minutes_weighted_over_the_last_28_days() -> None:
    sessions = [SessionLoad(day(0), 9, 60), SessionLoad(day(40), 4, 30),
                SessionLoad(day(41), 7, 90), SessionLoad(day(41), None, None, trimp=80)]
    assert assumed_rpe(sessions, day(41)) == pytest.approx((4 * 30 + 7 * 90) / 120)
    assert assumed_rpe(sessions[:1], day(41)) is None


def test_forecast_is_json_ready() -> None:
    loads, tests = synthetic_athlete(2)
    data = json.loads(json.dumps(forecast_performance(D0, list(loads), tests[:4]).as_dict()))
    assert set(data["fit"]) == {"p0", "k1", "k2", "tau1", "tau2", "n_tests", "rmse", "r2",
                                "loo_rmse"}
    assert data["item"] == "run_3000m_s" and len(data["tests"]) == 4
    # tests every 14 days from day 7; the first 14-day step past the history (day 167) is day 175
    assert data["target_day"] == "2024-06-24" and data["history_end"] == "2024-06-16"


def _panels(figure: object) -> int:
    return len({ax.get_subplotspec().get_geometry()  # type: ignore[attr-defined]
                for ax in figure.axes})  # type: ignore[attr-defined]


def _png_height(png: bytes) -> int:
    return int.from_bytes(png[20:24], "big")


def test_report_has_a_fifth_panel_only_when_the_model_is_fitted() -> None:
    loads, tests = synthetic_athlete(0)
    sessions = [SessionLoad(day(i), 5.0, float(v) / 5.0) for i, v in enumerate(loads) if v > 0]
    wellness = [WellnessDay(day(i), 3, 3, 3, 3) for i in range(N_DAYS)]
    history = metrics_history(sessions, wellness, day(N_DAYS - 60), day(N_DAYS - 1))
    fitted = forecast_performance(D0, list(loads), tests, leave_one_out=False)
    refused = forecast_performance(D0, list(loads), tests[:2])
    assert _panels(charts.report_figure(history, "a", fitted)) == 5
    assert _panels(charts.report_figure(history, "a", refused)) == 4
    five = charts.report_chart(history, "a", fitted)
    assert five.startswith(b"\x89PNG\r\n\x1a\n")
    assert _png_height(five) == 5 * 260
    assert _png_height(charts.report_chart(history, "a")) == 4 * 260
