"""Session metrics: TRIMP formulas, zones, HRmax defaults, ectopic filtering, moving time."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from planner.session_metrics import (
    AthleteProfile,
    SessionSeries,
    compute_session_metrics,
    ectopic_mask,
    hrv_time_domain,
)


def steady(hr: float, minutes: int = 30, speed: float = 3.0) -> SessionSeries:
    n = minutes * 60 + 1
    s = SessionSeries.empty(n)
    s.t_s = np.arange(n, dtype=float)
    s.hr = np.full(n, hr)
    s.speed = np.full(n, speed)
    s.distance = np.arange(n) * speed
    return s


def test_banister_trimp_matches_the_formula_for_men_and_women() -> None:
    rest, top, hr = 60.0, 190.0, 151.0
    x = (hr - rest) / (top - rest)
    for sex, (a, b) in {"m": (0.64, 1.92), "f": (0.86, 1.67)}.items():
        m = compute_session_metrics(steady(hr), AthleteProfile(sex, rest, top), 2024)
        assert m.trimp_banister == pytest.approx(30 * x * a * math.exp(b * x), rel=1e-3)


def test_edwards_trimp_weights_zone_minutes() -> None:
    m = compute_session_metrics(steady(0.85 * 200), AthleteProfile("m", 50, 200), 2024)
    assert m.trimp_edwards == pytest.approx(30 * 4, rel=1e-3)  # 85 % HRmax = zone 4


def test_time_in_karvonen_zones_sums_to_duration_above_50_percent_hrr() -> None:
    s = steady(150.0)
    s.hr[: s.hr.size // 2] = 120.0
    m = compute_session_metrics(s, AthleteProfile("f", 50, 200), 2024)
    # HRR: 120 -> 0.467 (below Z1), 150 -> 0.667 (Z2)
    assert m.zones_s[1] == pytest.approx(900, abs=2) and sum(m.zones_s) == pytest.approx(900, abs=2)


def test_tanaka_hrmax_when_unknown() -> None:
    m = compute_session_metrics(steady(150), AthleteProfile("m", 60, None, 1984), 2024)
    assert m.hr_max_used == pytest.approx(208 - 0.7 * 40)


def test_absurd_heart_rate_is_ignored_with_a_note() -> None:
    s = steady(0.0)
    s.hr[::10] = 300.0
    m = compute_session_metrics(s, AthleteProfile(), 2024)
    assert m.hr_avg is None and m.trimp_banister is None
    assert any("heart rate ignored" in n for n in m.notes)
    assert m.distance_m == pytest.approx(5400.0)


def test_pace_and_moving_time_skip_standing_still() -> None:
    s = steady(140.0, minutes=10)
    s.speed[:120] = 0.0
    s.distance[:120] = 0.0
    s.distance[120:] = (np.arange(s.t_s.size - 120)) * 3.0
    m = compute_session_metrics(s, AthleteProfile(), 2024)
    assert m.moving_s == pytest.approx(480, abs=1)
    assert m.pace_s_per_km == pytest.approx(m.moving_s / (m.distance_m / 1000))


def test_malik_rule_drops_a_premature_beat_and_its_compensatory_pause() -> None:
    rr = np.array([800.0] * 10 + [500.0, 1100.0] + [800.0] * 10)
    keep = ectopic_mask(rr)
    assert not keep[10] and not keep[11] and keep.sum() == 20


def test_rmssd_of_alternating_intervals() -> None:
    rr = np.array([800.0, 820.0] * 30)
    rmssd, sdnn, kept = hrv_time_domain(rr)
    assert rmssd == pytest.approx(20.0) and kept == 1.0
    assert sdnn == pytest.approx(np.std(rr, ddof=1))


@given(st.lists(st.floats(300, 2000), min_size=30, max_size=200))
def test_filtered_rmssd_is_finite_and_nonnegative(rr: list[float]) -> None:
    try:
        rmssd, sdnn, kept = hrv_time_domain(np.array(rr))
    except ValueError:
        return
    assert rmssd >= 0 and sdnn >= 0 and 0 < kept <= 1
