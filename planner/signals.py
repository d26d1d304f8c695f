"""Signal cleaning and features for wearable time series: small pure functions over arrays.

The steps follow the preprocessing of Bo, "Application of Biomechanics-Based Data Mining
Technology in Personalized Training of Physical Education", section 3.2: outliers by z-score
and the interquartile-range (IQR) rule (e.g. a heart rate that drops to 0), sliding-window mean
smoothing, interpolation of gaps in time series (Lagrange; we also offer a cubic spline and
bound the gap length so we never invent minutes of data), K-nearest-neighbour imputation for
non-temporal fields, min-max (eq. 3) and z (eq. 4) normalisation, acceleration magnitude from
three axes (eq. 1), FFT frequency features (eq. 2) and the root mean square.

Missing values are NaN throughout; every function returns a new array and never mutates input.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

FloatArray = NDArray[np.float64]

#: Heart rates outside this band are sensor faults, not physiology (HRmax records are ~220-230;
#: the lowest resting rates of elite endurance athletes are in the high 20s).
HR_PLAUSIBLE_BPM = (25.0, 250.0)


def _as_float(values: ArrayLike) -> FloatArray:
    return np.array(values, dtype=np.float64, copy=True)


def range_outliers(values: ArrayLike, low: float, high: float) -> NDArray[np.bool_]:
    """True where a present value lies outside the physically possible band [low, high]."""
    x = _as_float(values)
    with np.errstate(invalid="ignore"):
        return ~np.isnan(x) & ((x < low) | (x > high))


def iqr_outliers(values: ArrayLike, k: float = 1.5, min_spread: float = 0.0) -> NDArray[np.bool_]:
    """Tukey's fences: True outside [Q1 - k*IQR, Q3 + k*IQR] (Bo 2025, sec. 3.2, IQR rule).

    NaNs are never flagged. With fewer than 4 present values nothing is flagged. The IQR is
    taken as at least ``min_spread``, so a near-constant signal does not flag every wiggle.
    """
    x = _as_float(values)
    present = ~np.isnan(x)
    if present.sum() < 4:
        return np.zeros(x.shape, dtype=bool)
    q1, q3 = np.percentile(x[present], [25.0, 75.0])
    spread = max(q3 - q1, min_spread)
    with np.errstate(invalid="ignore"):
        return present & ((x < q1 - k * spread) | (x > q3 + k * spread))


def zscore_outliers(values: ArrayLike, threshold: float = 3.0) -> NDArray[np.bool_]:
    """True where |x - mean| / sd > threshold (Bo 2025, sec. 3.2, eq. 4 used as a detector)."""
    x = _as_float(values)
    present = ~np.isnan(x)
    if present.sum() < 3:
        return np.zeros(x.shape, dtype=bool)
    sd = float(np.std(x[present]))
    if sd == 0.0:
        return np.zeros(x.shape, dtype=bool)
    z = np.abs(x - float(np.mean(x[present]))) / sd
    with np.errstate(invalid="ignore"):
        return present & (z > threshold)


def rolling_median(values: ArrayLike, window: int) -> FloatArray:
    """Centred running median ignoring NaN (edges use the shorter window that fits)."""
    x = _as_float(values)
    if window < 1:
        raise ValueError("window must be at least 1 sample")
    if x.size == 0:
        return x
    half = window // 2
    padded = np.concatenate([np.full(half, np.nan), x, np.full(half, np.nan)])
    windows = np.lib.stride_tricks.sliding_window_view(padded, 2 * half + 1)
    out = np.full(x.shape, np.nan)
    has = ~np.all(np.isnan(windows), axis=1)
    out[has] = np.nanmedian(windows[has], axis=1)
    return out


def spike_outliers(values: ArrayLike, window: int = 15, k: float = 3.0) -> NDArray[np.bool_]:
    """IQR rule on residuals from a running median: flags spikes and drops, not trends.

    Why residuals: a global IQR on an interval session would flag the hard intervals; a drop
    from 150 to 40 bpm for two seconds stands out against the local median instead. A floor of
    5 units on the spread keeps a perfectly steady signal from flagging every wiggle.

    Why not ``zscore_outliers`` here: mean and SD are pulled by the very faults they should
    find, and a global z-score flags real physiology - the warm-up minutes of a steady ride lie
    more than 3 SD below a session mean of 150 bpm. The residual IQR sees neither problem.
    """
    x = _as_float(values)
    return iqr_outliers(x - rolling_median(x, window), k=k, min_spread=5.0)


def moving_average(values: ArrayLike, window: int = 5) -> FloatArray:
    """Centred sliding-window mean over present values (Bo 2025, sec. 3.2, smoothing).

    NaN stays NaN (smoothing is not imputation); the window shrinks at the edges.
    """
    x = _as_float(values)
    if window < 1:
        raise ValueError("window must be at least 1 sample")
    if x.size == 0:
        return x
    present = ~np.isnan(x)
    filled = np.where(present, x, 0.0)
    kernel = np.ones(min(window, x.size))
    sums = np.convolve(filled, kernel, mode="same")
    counts = np.convolve(present.astype(np.float64), kernel, mode="same")
    with np.errstate(invalid="ignore", divide="ignore"):
        out = sums / counts
    out[~present] = np.nan
    return out


def _gap_runs(missing: NDArray[np.bool_]) -> list[tuple[int, int]]:
    """Half-open [start, stop) index runs of True."""
    runs = []
    i = 0
    while i < missing.size:
        if missing[i]:
            j = i
            while j < missing.size and missing[j]:
                j += 1
            runs.append((i, j))
            i = j
        else:
            i += 1
    return runs


def interpolate_gaps(
    t: ArrayLike,
    values: ArrayLike,
    max_gap_s: float = 10.0,
    method: str = "spline",
    neighbours: int = 2,
) -> FloatArray:
    """Fill interior NaN runs no longer than ``max_gap_s`` seconds (Bo 2025, sec. 3.2).

    ``method="lagrange"`` fits the Lagrange polynomial through ``neighbours`` present points on
    each side of the gap (local, so degree stays <= 2*neighbours-1 and Runge oscillation stays
    small); ``"spline"`` uses a cubic spline through all present points. Gaps at either end or
    longer than the bound stay NaN: a 10-minute hole is a pause, not missing data.
    """
    time = _as_float(t)
    x = _as_float(values)
    if time.shape != x.shape:
        raise ValueError("t and values must have the same length")
    if method not in ("spline", "lagrange"):
        raise ValueError("method must be 'spline' or 'lagrange'")
    # SciPy takes ~0.5 s to import: only when a recording has gaps to fill, not at start-up
    from scipy.interpolate import CubicSpline, lagrange
    present = ~np.isnan(x) & ~np.isnan(time)
    if present.sum() < 2:
        return x
    idx_present = np.flatnonzero(present)
    # Time must increase strictly for the spline; repeated stamps keep their first value.
    keep = np.concatenate([[True], np.diff(time[idx_present]) > 0])
    if np.any(np.diff(time[idx_present]) < 0):
        raise ValueError("t must be sorted in time")
    idx_present = idx_present[keep]
    spline = None
    if method == "spline" and idx_present.size >= 3:
        spline = CubicSpline(time[idx_present], x[idx_present])
    for start, stop in _gap_runs(~present):
        if start == 0 or stop == x.size:
            continue
        gap = time[stop] - time[start - 1]
        if not gap <= max_gap_s:
            continue
        if spline is not None:
            x[start:stop] = spline(time[start:stop])
            continue
        left = idx_present[idx_present < start][-neighbours:]
        right = idx_present[idx_present >= stop][:neighbours]
        pts = np.concatenate([left, right])
        t0 = time[pts[0]]
        poly = lagrange(time[pts] - t0, x[pts])
        x[start:stop] = poly(time[start:stop] - t0)
    return x


def knn_impute(table: ArrayLike, k: int = 3) -> FloatArray:
    """Fill NaN cells of a 2-D table from the k most similar rows (Bo 2025, sec. 3.2).

    For non-temporal fields (e.g. day summaries: resting HR, sleep, steps, HRV). Similarity is
    the NaN-aware Euclidean distance of scikit-learn's ``nan_euclidean_distances`` on
    z-normalised columns (so steps do not drown out heart rate), over the columns both rows
    have, scaled up by the share of columns compared. A cell with no donor stays NaN.
    """
    x = _as_float(table)
    if x.ndim != 2:
        raise ValueError("knn_impute needs a 2-D table (rows = samples, columns = fields)")
    if k < 1:
        raise ValueError("k must be at least 1")
    z = np.column_stack([z_normalize(x[:, j]) for j in range(x.shape[1])]) if x.size else x
    out = x.copy()
    n_cols = x.shape[1]
    for i in np.flatnonzero(np.isnan(x).any(axis=1)):
        both = ~np.isnan(z) & ~np.isnan(z[i])
        counts = both.sum(axis=1)
        diff = np.where(both, z - np.where(np.isnan(z[i]), 0.0, z[i]), 0.0)
        with np.errstate(invalid="ignore", divide="ignore"):
            dist = np.sqrt(n_cols / counts * (diff**2).sum(axis=1))
        dist[i] = np.inf
        dist[counts == 0] = np.inf
        for j in np.flatnonzero(np.isnan(x[i])):
            donors = np.flatnonzero(~np.isnan(x[:, j]) & np.isfinite(dist))
            if donors.size:
                nearest = donors[np.argsort(dist[donors], kind="stable")[:k]]
                out[i, j] = float(np.mean(x[nearest, j]))
    return out


def knn_impute_marked(
    table: ArrayLike, k: int = 3, min_complete_rows: int | None = None,
    min_present_fraction: float = 0.5,
) -> tuple[FloatArray, NDArray[np.bool_]]:
    """``knn_impute`` with guards, returning (filled table, True where a cell was imputed).

    The mask exists so imputed values are never mixed with measured ones downstream. Guards:
    - Only columns with at least one value count; an all-NaN column (a field the export does
      not have) is never invented.
    - At least ``min_complete_rows`` rows must have every such column (default ``2 * k``): with
      fewer, the "nearest" neighbours are simply all of them, and the imputed value is the
      mean of a handful of unrelated days. Otherwise nothing is imputed.
    - A row is filled only when at least ``min_present_fraction`` of those columns are
      measured: a day that is mostly missing is a day the device was not worn.
    """
    x = _as_float(table)
    if x.ndim != 2:
        raise ValueError("knn_impute_marked needs a 2-D table (rows = samples, columns = fields)")
    mask = np.zeros(x.shape, dtype=bool)
    needed = 2 * k if min_complete_rows is None else min_complete_rows
    columns = ~np.all(np.isnan(x), axis=0) if x.size else np.zeros(x.shape[1], dtype=bool)
    if not columns.any():
        return x, mask
    sub = x[:, columns]
    measured = ~np.isnan(sub)
    if int(measured.all(axis=1).sum()) < needed:
        return x, mask
    eligible = measured.mean(axis=1) >= min_present_fraction
    filled = knn_impute(sub, k=k)
    new = np.isnan(sub) & ~np.isnan(filled) & eligible[:, None]
    out = x.copy()
    block = out[:, columns]
    block[new] = filled[new]
    out[:, columns] = block
    mask[:, columns] = new
    return out, mask


def min_max_normalize(values: ArrayLike) -> FloatArray:
    """x' = (x - min) / (max - min) into [0, 1] (Bo 2025, eq. 3); a constant series maps to 0."""
    x = _as_float(values)
    if np.all(np.isnan(x)):
        return x
    low, high = np.nanmin(x), np.nanmax(x)
    if high == low:
        return np.where(np.isnan(x), np.nan, 0.0)
    return (x - low) / (high - low)


def z_normalize(values: ArrayLike) -> FloatArray:
    """z = (x - mean) / sd (Bo 2025, eq. 4); a constant series maps to 0."""
    x = _as_float(values)
    if np.all(np.isnan(x)):
        return x
    sd = float(np.nanstd(x))
    mean = float(np.nanmean(x))
    # A constant series can come out with a rounding-error SD (~1e-13 of its size): treat any
    # SD below 1e-12 of the values' scale as zero, or it would blow rounding noise up to +/-1.
    if sd <= 1e-12 * max(1.0, abs(mean)):
        return np.where(np.isnan(x), np.nan, 0.0)
    return (x - mean) / sd


def acceleration_magnitude(ax: ArrayLike, ay: ArrayLike, az: ArrayLike) -> FloatArray:
    """a = sqrt(ax^2 + ay^2 + az^2) from a three-axis accelerometer (Bo 2025, eq. 1)."""
    x, y, z = _as_float(ax), _as_float(ay), _as_float(az)
    if not x.shape == y.shape == z.shape:
        raise ValueError("the three axes must have the same length")
    return np.sqrt(x**2 + y**2 + z**2)


def rms(values: ArrayLike) -> float:
    """Root mean square of the present values (a time-domain feature, Bo 2025, sec. 3.2)."""
    x = _as_float(values)
    x = x[~np.isnan(x)]
    if x.size == 0:
        raise ValueError("rms of an empty signal")
    return float(np.sqrt(np.mean(x**2)))


def dominant_frequency(
    values: ArrayLike, sample_rate_hz: float, f_min: float = 0.0, f_max: float | None = None
) -> float:
    """Frequency (Hz) of the largest FFT magnitude in [f_min, f_max] (Bo 2025, eq. 2).

    The mean is removed first so the DC term cannot win; e.g. step frequency of a running
    accelerometer trace lies in 2.3-3.3 Hz (cadence 140-200 steps/min) -> pass that band.
    """
    return spectral_peak(values, sample_rate_hz, f_min, f_max)[0]


def spectral_peak(
    values: ArrayLike, sample_rate_hz: float, f_min: float = 0.0, f_max: float | None = None,
    pad: int = 1,
) -> tuple[float, float]:
    """(dominant frequency in Hz, peak magnitude / median magnitude in the band).

    The ratio says whether the signal is periodic at all: white noise has a ratio of about 2-4
    whatever its level, one clean rhythm hundreds. ``pad`` zero-pads the FFT to ``pad`` times
    the length, which interpolates the spectrum (a finer frequency grid for the peak); it adds
    no resolution between two close rhythms.
    """
    x = _as_float(values)
    if np.any(np.isnan(x)):
        raise ValueError("interpolate or drop missing samples before the FFT")
    if x.size < 4 or sample_rate_hz <= 0:
        raise ValueError("need at least 4 samples and a positive sample rate")
    if pad < 1:
        raise ValueError("pad must be at least 1")
    n_fft = x.size * pad
    spectrum = np.abs(np.fft.rfft(x - x.mean(), n=n_fft))
    freqs = np.fft.rfftfreq(n_fft, d=1.0 / sample_rate_hz)
    band = (freqs >= f_min) & (freqs <= (f_max if f_max is not None else freqs[-1]))
    band[0] = False
    if not band.any():
        raise ValueError("no FFT bin inside the requested band; record longer or widen it")
    in_band = spectrum[band]
    peak = int(np.argmax(in_band))
    floor = float(np.median(in_band))
    ratio = float(in_band[peak] / floor) if floor > 0 else (np.inf if in_band[peak] > 0 else 0.0)
    return float(freqs[band][peak]), ratio


def clean_heart_rate(t: ArrayLike, hr: ArrayLike, max_gap_s: float = 10.0) -> FloatArray:
    """The heart-rate pipeline: impossible values and spikes -> NaN, then short gaps filled.

    Order matters: range check (0 and 300 bpm are faults), then spike detection on what is
    left, then bounded-gap spline interpolation. No smoothing: HRmax must stay a real peak.
    """
    x = _as_float(hr)
    x[range_outliers(x, *HR_PLAUSIBLE_BPM)] = np.nan
    x[spike_outliers(x)] = np.nan
    return interpolate_gaps(t, x, max_gap_s=max_gap_s, method="spline")
