"""Published and hand-computed test vectors for the load formulas."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pytest

from planner.acwr import acwr_ewma, acwr_rolling, ewma, ewma_lambda
from planner.banister import BanisterModel, banister_performance, impulse_response
from planner.frbi import frbi
from planner.load import calibrate_trimp, daily_loads, session_rpe_load
from planner.loadtypes import SessionLoad, WellnessDay
from planner.monotony import monotony, strain
from planner.pmc import pmc

D0 = dt.date(2024, 1, 1)


def day(n: int) -> dt.date:
    return D0 + dt.timedelta(days=n)


def test_session_rpe_of_7_for_60_minutes_is_420() -> None:
    assert session_rpe_load(7, 60) == 420


def test_session_rpe_rejects_out_of_scale_rating() -> None:
    with pytest.raises(ValueError, match="CR-10"):
        session_rpe_load(11, 60)


def test_two_sessions_on_one_day_are_summed() -> None:
    loads = daily_loads([SessionLoad(D0, 7, 60), SessionLoad(D0, 3, 30)])
    assert loads[D0].load == 420 + 90


def test_monotony_and_strain_of_a_known_week() -> None:
    # Hand: mean 200, deviations (-200,0,200,-200,0,200,0), population SD 400/sqrt(7),
    # monotony = 200 / (400/sqrt 7) = sqrt(7)/2, strain = 1400 * sqrt(7)/2 = 700 sqrt(7).
    week = [0, 200, 400, 0, 200, 400, 200]
    assert monotony(week) == pytest.approx(math.sqrt(7) / 2)
    assert strain(week) == pytest.approx(700 * math.sqrt(7))


def test_monotony_uses_only_the_last_seven_days() -> None:
    assert monotony([9999, 0, 200, 400, 0, 200, 400, 200]) == pytest.approx(math.sqrt(7) / 2)


def test_monotony_is_undefined_for_an_all_rest_week_and_a_flat_week() -> None:
    assert monotony([0] * 7) is None
    assert monotony([300] * 7) is None
    assert strain([300] * 7) is None


def test_monotony_is_undefined_before_seven_days_of_history() -> None:
    assert monotony([100, 0, 300, 0, 200, 100]) is None


def test_pmc_hand_computed_steps() -> None:
    points = pmc([420, 0, 210])
    # day 0: CTL = 420/42, ATL = 420/7, TSB = 0 - 0
    assert (points[0].ctl, points[0].atl, points[0].tsb) == pytest.approx((10, 60, 0))
    # day 1: CTL = 10 - 10/42, ATL = 60 - 60/7, TSB = CTL_0 - ATL_0 = -50
    assert points[1].ctl == pytest.approx(10 - 10 / 42)
    assert points[1].atl == pytest.approx(60 - 60 / 7)
    assert points[1].tsb == pytest.approx(-50)
    ctl1, atl1 = 10 - 10 / 42, 60 - 60 / 7
    assert points[2].ctl == pytest.approx(ctl1 + (210 - ctl1) / 42)
    assert points[2].atl == pytest.approx(atl1 + (210 - atl1) / 7)
    assert points[2].tsb == pytest.approx(ctl1 - atl1)


def test_acwr_is_null_before_28_days_of_history() -> None:
    assert acwr_rolling([100.0] * 27) is None
    assert acwr_ewma([100.0] * 27) is None
    assert acwr_rolling([100.0] * 28) == pytest.approx(1.0)


def test_rolling_acwr_of_a_load_jump() -> None:
    # acute mean 200, chronic mean (21*100 + 7*200)/28 = 125 -> 1.6
    assert acwr_rolling([100.0] * 21 + [200.0] * 7) == pytest.approx(1.6)


def test_acwr_is_null_when_chronic_load_is_zero() -> None:
    assert acwr_rolling([500.0] + [0.0] * 28) is None
    assert acwr_ewma([0.0] * 40) is None


def test_ewma_uses_williams_lambda_and_starts_at_zero() -> None:
    assert ewma_lambda(7) == 0.25
    assert ewma_lambda(28) == pytest.approx(2 / 29)
    assert ewma([100.0, 100.0], 7) == pytest.approx([25.0, 25 + 0.75 * 25])
    expected = (1 - 0.75**28) / (1 - (27 / 29) ** 28)
    assert acwr_ewma([100.0] * 28) == pytest.approx(expected)


def test_trimp_calibration_worked_example() -> None:
    # Five paired days with sRPE = 2 x TRIMP; a TRIMP-only day of 50 maps to 100 AU.
    sessions = [SessionLoad(day(i), 5, 60, trimp=150) for i in range(5)]
    sessions.append(SessionLoad(day(6), None, None, trimp=50))
    calibration = calibrate_trimp(sessions)
    assert calibration is not None
    assert (calibration.ratio, calibration.pairs) == (2.0, 5)
    loads = daily_loads(sessions, calibration)
    assert loads[day(6)].load == 100
    assert loads[day(6)].source == "trimp"


def test_trimp_is_reported_separately_without_enough_paired_days() -> None:
    sessions = [SessionLoad(day(i), 5, 60, trimp=150) for i in range(4)]
    sessions.append(SessionLoad(day(6), None, None, trimp=50))
    assert calibrate_trimp(sessions) is None
    entry = daily_loads(sessions, None)[day(6)]
    assert (entry.load, entry.trimp_unmapped, entry.source) == (0.0, 50, "none")


def test_a_day_with_session_rpe_ignores_the_wearable_trimp() -> None:
    sessions = [SessionLoad(day(i), 5, 60, trimp=150) for i in range(5)]
    sessions.append(SessionLoad(day(0), None, None, trimp=999))
    loads = daily_loads(sessions, calibrate_trimp(sessions))
    assert loads[day(0)].load == 300


def test_banister_worked_example_single_impulse() -> None:
    # One impulse of 100 AU on day 0, p0 = 500, k1 = 1, k2 = 2, tau1 = 42, tau2 = 7:
    # p(7) = 500 + 100 e^(-7/42) - 200 e^(-1) = 500 + 84.648 - 73.576 = 511.072
    loads = [100.0] + [0.0] * 9
    p = banister_performance(loads, [0, 1, 7], 500, 1, 2, 42, 7)
    assert p[0] == 500
    assert p[1] == pytest.approx(500 + 100 * math.exp(-1 / 42) - 200 * math.exp(-1 / 7))
    assert p[2] == pytest.approx(511.0723, abs=1e-3)


def test_impulse_response_recursion_matches_the_sum() -> None:
    rng = np.random.default_rng(3)
    w = rng.uniform(0, 500, 30)
    g = impulse_response(w, 10.0)
    for t in (0, 1, 15, 30):
        direct = sum(w[s] * math.exp(-(t - s) / 10.0) for s in range(t))
        assert g[t] == pytest.approx(direct)


def test_banister_fit_recovers_parameters_from_noise_free_tests() -> None:
    rng = np.random.default_rng(0)
    loads = rng.uniform(0, 600, 200) * (rng.random(200) < 0.7)
    days = np.arange(10, 200, 7)
    truth = (500.0, 0.1, 0.25, 40.0, 9.0)
    y = banister_performance(loads, days, *truth)
    model = BanisterModel(prior_weight=0.0).fit(loads, days, y)
    fitted = (model.p0_, model.k1_, model.k2_, model.tau1_, model.tau2_)
    assert fitted == pytest.approx(truth, rel=1e-4)


def test_banister_with_three_tests_keeps_time_constants_near_the_prior() -> None:
    rng = np.random.default_rng(1)
    loads = rng.uniform(0, 600, 90)
    days = [20, 50, 85]
    y = banister_performance(loads, days, 500.0, 0.1, 0.25, 40.0, 9.0)
    model = BanisterModel().fit(loads, days, y)
    assert 30 < model.tau1_ < 60
    assert 4 < model.tau2_ < 12
    assert model.predict(loads, days) == pytest.approx(y, rel=1e-3)


def test_banister_predicts_under_a_planned_taper() -> None:
    rng = np.random.default_rng(2)
    history = list(rng.uniform(300, 600, 120))
    days = list(range(10, 120, 5))
    y = banister_performance(history, days, 500.0, 0.1, 0.25, 40.0, 9.0)
    model = BanisterModel().fit(history, days, y)
    taper = history + [100.0] * 14
    hard = history + [700.0] * 14
    end = len(taper)
    assert model.predict(taper, [end])[0] > model.predict(hard, [end])[0]


def test_banister_refuses_fewer_than_three_tests() -> None:
    with pytest.raises(ValueError, match="at least 3"):
        BanisterModel().fit([100.0] * 10, [3, 6], [1.0, 2.0])


def test_frbi_combines_load_ratio_and_wellness_ratio() -> None:
    value = frbi(acwr_rolling=1.2, hooper_today=14, hooper_baseline=10)
    assert value is not None
    assert value.value == pytest.approx(1.2 * 1.4)
    assert value.wellness_factor == pytest.approx(1.4)


def test_frbi_without_wellness_is_the_load_ratio_and_says_so() -> None:
    value = frbi(acwr_rolling=1.3, hooper_today=None, hooper_baseline=10)
    assert value is not None
    assert (value.value, value.wellness_factor) == (pytest.approx(1.3), None)


def test_frbi_is_null_when_the_load_ratio_is_undefined() -> None:
    assert frbi(acwr_rolling=None, hooper_today=8, hooper_baseline=8) is None


def test_frbi_is_balanced_for_any_repeated_week_while_atl_over_ctl_swings() -> None:
    week = [4, 6, 0, 5, 7, 0, 3]
    loads = [week[i % 7] * 60.0 for i in range(120)]
    ratios = [acwr_rolling(loads[: t + 1]) for t in range(60, 120)]
    assert all(r == pytest.approx(1.0) for r in ratios)
    swing = [p.atl / p.ctl for p in pmc(loads)[60:]]
    assert max(swing) > 1.2  # why the PMC ratio is not used (see planner.frbi)


def test_wellness_day_rejects_values_off_the_hooper_scale() -> None:
    with pytest.raises(ValueError, match="Hooper"):
        WellnessDay(D0, sleep=8, stress=1, fatigue=1, soreness=1)
