"""Cleaning steps of Bo 2025 sec. 3.2, each pinned by a small property or example."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from planner.signals import (
    acceleration_magnitude,
    clean_heart_rate,
    dominant_frequency,
    interpolate_gaps,
    iqr_outliers,
    knn_impute,
    knn_impute_marked,
    min_max_normalize,
    moving_average,
    rms,
    spectral_peak,
    spike_outliers,
    z_normalize,
    zscore_outliers,
)

finite_lists = st.lists(st.floats(-1e3, 1e3, allow_nan=False), min_size=2, max_size=50)


def test_heart_rate_dropping_to_zero_is_an_iqr_outlier() -> None:
    hr = np.array([150, 151, 149, 152, 0, 150, 148, 151], dtype=float)
    assert iqr_outliers(hr).tolist() == [False] * 4 + [True] + [False] * 3


def test_zscore_flags_the_far_value_only() -> None:
    x = np.r_[np.full(30, 10.0) + np.linspace(0, 1, 30), 100.0]
    assert np.flatnonzero(zscore_outliers(x)).tolist() == [30]


def test_spike_detector_keeps_a_real_interval_but_drops_a_dropout() -> None:
    hr = np.r_[np.full(60, 120.0), np.full(60, 175.0)]
    hr[90] = 40.0
    flagged = spike_outliers(hr)
    assert flagged[90] and flagged.sum() == 1


def test_clean_heart_rate_removes_zero_and_300_and_fills_short_gaps() -> None:
    t = np.arange(20, dtype=float)
    hr = np.full(20, 140.0)
    hr[5], hr[12] = 0.0, 300.0
    out = clean_heart_rate(t, hr)
    assert out[5] == pytest.approx(140.0) and out[12] == pytest.approx(140.0)


def test_interpolation_never_fills_gaps_longer_than_the_bound() -> None:
    t = np.arange(30, dtype=float)
    x = np.sin(t / 5)
    x[3:5] = np.nan
    x[10:25] = np.nan
    for method in ("spline", "lagrange"):
        out = interpolate_gaps(t, x, max_gap_s=5, method=method)
        assert not np.isnan(out[3:5]).any()
        assert np.isnan(out[10:25]).all()
        assert out[3] == pytest.approx(np.sin(3 / 5), abs=0.01)


def test_interpolation_leaves_edges_missing() -> None:
    x = np.array([np.nan, 1.0, 2.0, np.nan])
    out = interpolate_gaps(np.arange(4.0), x, max_gap_s=10)
    assert np.isnan(out[0]) and np.isnan(out[3])


def test_moving_average_of_constant_is_constant_and_keeps_nan() -> None:
    x = np.array([5.0, 5.0, np.nan, 5.0, 5.0])
    out = moving_average(x, 3)
    assert np.isnan(out[2]) and np.allclose(out[[0, 1, 3, 4]], 5.0)


def test_knn_imputation_takes_the_nearest_rows() -> None:
    table = np.array([[50, 7.0, 60], [51, 7.1, 62], [70, 5.0, 30], [50.5, 7.05, np.nan]])
    out = knn_impute(table, k=2)
    assert out[3, 2] == pytest.approx(61.0)
    assert not np.isnan(out).any()


@given(finite_lists)
def test_min_max_maps_into_unit_interval(values: list[float]) -> None:
    out = min_max_normalize(values)
    assert out.min() >= 0.0 and out.max() <= 1.0


@given(finite_lists)
def test_z_normalized_has_zero_mean(values: list[float]) -> None:
    out = z_normalize(values)
    assert abs(out.mean()) < 1e-6


def test_acceleration_magnitude_is_euclidean_norm() -> None:
    assert acceleration_magnitude([3.0], [4.0], [12.0]).tolist() == [13.0]


def test_dominant_frequency_finds_cadence_of_a_running_trace() -> None:
    fs = 50.0
    t = np.arange(0, 20, 1 / fs)
    rng = np.random.default_rng(0)
    signal = np.sin(2 * np.pi * 2.8 * t) + 0.3 * rng.standard_normal(t.size) + 9.81
    assert dominant_frequency(signal, fs, 0.5, 5.0) == pytest.approx(2.8, abs=0.06)


def test_rms_of_sine_is_amplitude_over_root_two() -> None:
    t = np.linspace(0, 1, 1000, endpoint=False)
    assert rms(2 * np.sin(2 * np.pi * 5 * t)) == pytest.approx(2 / np.sqrt(2), rel=1e-3)


def test_a_constant_series_with_rounding_noise_normalizes_to_zero() -> None:
    # found by hypothesis on CI: nanstd of three equal floats is ~1e-13, not 0
    from planner.signals import z_normalize

    assert list(z_normalize([683.3582915348677] * 3)) == [0.0, 0.0, 0.0]


def _days(n: int, rng: np.random.Generator) -> np.ndarray:
    """n complete day rows: resting HR, HRV, sleep h, steps, HRV falling as resting HR rises."""
    rhr = rng.uniform(45, 65, n)
    return np.column_stack([rhr, 140 - 1.5 * rhr, rng.uniform(6, 9, n), rng.uniform(4e3, 15e3, n)])


def test_marked_imputation_fills_only_missing_cells_and_says_which() -> None:
    table = _days(8, np.random.default_rng(0))
    table[2, 1] = np.nan
    out, imputed = knn_impute_marked(table, k=3)
    assert imputed.tolist()[2] == [False, True, False, False] and imputed.sum() == 1
    assert np.array_equal(np.delete(out, 2, axis=0), np.delete(table, 2, axis=0))
    assert 140 - 1.5 * 65 <= out[2, 1] <= 140 - 1.5 * 45


def test_marked_imputation_needs_2k_complete_rows() -> None:
    table = _days(6, np.random.default_rng(1))
    table[0, 1] = np.nan  # 5 complete rows < 2k = 6
    out, imputed = knn_impute_marked(table, k=3)
    assert not imputed.any() and np.isnan(out[0, 1])
    more = np.vstack([table, _days(1, np.random.default_rng(2))])  # now 6 complete rows
    assert knn_impute_marked(more, k=3)[1][0, 1]


def test_marked_imputation_never_invents_a_column_or_a_mostly_empty_day() -> None:
    table = _days(8, np.random.default_rng(3))
    table[:, 3] = np.nan  # the export has no steps column
    table[0, [1, 2]] = np.nan  # one of three fields measured: the device was not worn
    table[1, 2] = np.nan  # two of three measured: filled
    out, imputed = knn_impute_marked(table, k=3)
    assert not imputed[:, 3].any() and np.isnan(out[:, 3]).all()
    assert not imputed[0].any()
    assert imputed[1].tolist() == [False, False, True, False]


def test_iqr_floor_on_the_spread_keeps_a_steady_signal_unflagged() -> None:
    x = np.r_[np.full(20, 140.0), 141.0, 139.0]
    assert iqr_outliers(x).sum() == 2  # IQR 0: any wiggle is "outside"
    assert not iqr_outliers(x, min_spread=5.0).any()


def test_zscore_would_drop_a_warm_up_that_the_heart_rate_pipeline_keeps() -> None:
    # why clean_heart_rate uses the IQR of residuals, not a z-score: 5 min at 85 bpm before
    # an hour at 155 bpm are more than 3 SD below the mean, yet they are real beats.
    t = np.arange(65 * 60, dtype=float)
    hr = np.r_[np.linspace(80, 90, 300), 150 + 5 * np.sin(np.arange(3600) / 60)]
    assert zscore_outliers(hr).sum() > 60
    assert np.array_equal(clean_heart_rate(t, hr), hr)


def test_spectral_peak_ratio_separates_a_rhythm_from_noise() -> None:
    rng = np.random.default_rng(4)
    t = np.arange(0, 20, 1 / 25)
    rhythm = spectral_peak(np.sin(2 * np.pi * 2.8 * t) + 0.3 * rng.standard_normal(t.size), 25)
    noise = spectral_peak(rng.standard_normal(t.size), 25)
    assert rhythm[0] == pytest.approx(2.8, abs=0.05) and rhythm[1] > 20
    assert noise[1] < 6


def test_zero_padding_refines_the_peak_between_bins() -> None:
    t = np.arange(0, 20, 1 / 25)  # 0.05 Hz bins; 2.83 Hz lies between two
    signal = np.sin(2 * np.pi * 2.83 * t) * np.hanning(t.size)
    assert spectral_peak(signal, 25, 1, 4, pad=4)[0] == pytest.approx(2.83, abs=0.007)
