"""Gait features from a three-axis accelerometer: step frequency, cadence, RMS.

Bo 2025, "Application of Biomechanics-Based Data Mining Technology in Personalized Training of
Physical Education", sec. 3.2: acceleration magnitude a = sqrt(ax^2 + ay^2 + az^2) (eq. 1),
frequency features by FFT (eq. 2) and the root mean square as a time-domain feature. The step
band is 1.2-4.0 Hz (72-240 steps/min, slow walk to sprint): one impact per step shows in the
magnitude at the step frequency for a trunk- or wrist-worn sensor. A foot-worn sensor sees one
impact per stride, so its "step" frequency is the stride frequency (half the cadence); the FIT
file does not say where the sensor was worn, so ``extra["imu"]`` keeps the raw step frequency.

Why not from the 1 Hz record channels when there is no IMU: at 1 sample a second the Nyquist
frequency is 0.5 Hz, below any step frequency, and a cadence channel already is the device's
step rate; its spectrum only shows how pace changed (the period of intervals), which is not a
cadence. So without accelerometer data no FFT feature is derived.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

import numpy as np
from numpy.typing import NDArray

from planner.signals import (
    acceleration_magnitude,
    interpolate_gaps,
    rms,
    spectral_peak,
)

FloatArray = NDArray[np.float64]

STEP_BAND_HZ = (1.2, 4.0)  # 72-240 steps/min
GAIT_WINDOW_S = 20.0  # FFT window: 0.05 Hz (3 steps/min) resolution, short enough for pace changes
MIN_IMU_RATE_HZ = 10.0  # Nyquist: the 4 Hz top of the step band needs > 8 samples a second
MAX_IMU_GAP_S = 0.25  # longer holes in the IMU stream are not interpolated (window skipped)
PERIODIC_RATIO = 8.0  # spectral peak / band median: below this a window has no clear rhythm
MIN_MOTION_G = 0.05  # SD of the magnitude: below this the athlete is standing still
MIN_GAIT_WINDOWS = 3  # one minute of rhythmic windows before a cadence is reported


@dataclass(frozen=True, slots=True)
class GaitFeatures:
    """Accelerometer features of one session (None where the signal does not support them)."""

    samples: int
    rate_hz: float
    rms_g: float  # RMS of the magnitude, gravity included (~1 g at rest)
    dynamic_rms_g: float  # RMS of the magnitude minus its mean: movement intensity
    windows: int  # complete GAIT_WINDOW_S windows
    periodic_windows: int  # of those, with motion and one clear rhythm in the step band
    step_hz: float | None = None
    cadence_spm: float | None = None

    def as_dict(self) -> dict[str, float | int | list[float] | None]:
        """JSON-ready, rounded, with the band used (for ``Activity.extra["imu"]``)."""
        return {
            "samples": self.samples,
            "rate_hz": round(self.rate_hz, 2),
            "rms_g": round(self.rms_g, 4),
            "dynamic_rms_g": round(self.dynamic_rms_g, 4),
            "windows": self.windows,
            "periodic_windows": self.periodic_windows,
            "step_hz": None if self.step_hz is None else round(self.step_hz, 3),
            "cadence_spm": None if self.cadence_spm is None else round(self.cadence_spm, 1),
            "band_hz": list(STEP_BAND_HZ),
        }


def _segments(t_s: FloatArray) -> list[slice]:
    """Runs of samples without a hole longer than MAX_IMU_GAP_S (pauses split the stream)."""
    breaks = np.flatnonzero(np.diff(t_s) > MAX_IMU_GAP_S) + 1
    edges = [0, *breaks.tolist(), t_s.size]
    return [slice(a, b) for a, b in pairwise(edges)]


def _uniform(t_s: FloatArray, values: FloatArray, rate: float) -> FloatArray | None:
    """One segment on a uniform grid at ``rate``, its holes spline-filled (bounded gaps).

    None when the samples fill less than half the grid: a stream that irregular (or a rate
    estimate that wrong) would give an FFT of the interpolation, not of the movement.
    """
    index = np.rint((t_s - t_s[0]) * rate).astype(np.int64)
    size = int(index[-1]) + 1
    if size > 2 * t_s.size:
        return None
    grid = np.full(size, np.nan)
    grid[index] = values
    if np.isnan(grid).any():
        times = np.arange(size) / rate
        grid = interpolate_gaps(times, grid, max_gap_s=MAX_IMU_GAP_S, method="spline")
    return grid


def _sample_rate(t_s: FloatArray) -> float:
    """Samples per second over the regular part of the stream (pauses left out)."""
    steps = np.diff(t_s)
    steps = steps[steps > 0]
    if not steps.size:
        return 0.0
    regular = steps[steps <= 1.5 * float(np.median(steps))]
    return float(1.0 / np.mean(regular))


def gait_features(
    t_s: FloatArray, ax: FloatArray, ay: FloatArray, az: FloatArray
) -> GaitFeatures | None:
    """Step frequency, cadence and RMS from three-axis accelerometer samples (g).

    Magnitude (eq. 1) removes the dependence on how the sensor is worn. The stream is split at
    holes longer than MAX_IMU_GAP_S, each part put on a uniform grid at the stream's rate (FIT
    samples carry their own time offsets; shorter holes are spline-filled), cut into
    GAIT_WINDOW_S windows, and each window's dominant frequency in the step band (eq. 2, Hann
    window, 4x zero-pad) is kept when the athlete moves (SD >= MIN_MOTION_G) and the peak
    stands out (PERIODIC_RATIO). The session's step frequency is the median over kept windows,
    robust to a few windows locked on a harmonic; cadence = 60 x step frequency. RMS is over
    every sample. None when there are fewer than 4 s of samples.
    """
    t = np.asarray(t_s, dtype=np.float64)
    magnitude = acceleration_magnitude(ax, ay, az)
    ok = ~np.isnan(t) & ~np.isnan(magnitude)
    order = np.argsort(t[ok], kind="stable")
    t, magnitude = t[ok][order], magnitude[ok][order]
    if t.size < 2 or t[-1] - t[0] < 4.0:
        return None
    rate = _sample_rate(t)
    total, dynamic = rms(magnitude), rms(magnitude - magnitude.mean())
    if rate < MIN_IMU_RATE_HZ:
        return GaitFeatures(int(t.size), rate, total, dynamic, windows=0, periodic_windows=0)
    width = round(GAIT_WINDOW_S * rate)
    taper = np.hanning(width)
    found: list[float] = []
    windows = 0
    for part in _segments(t):
        if t[part][-1] - t[part][0] < GAIT_WINDOW_S:
            continue
        grid = _uniform(t[part], magnitude[part], rate)
        if grid is None:
            continue
        for start in range(0, grid.size - width + 1, width):
            windows += 1
            window = grid[start : start + width]
            if np.isnan(window).any() or float(np.std(window)) < MIN_MOTION_G:
                continue
            centred = (window - window.mean()) * taper
            freq, ratio = spectral_peak(centred, rate, *STEP_BAND_HZ, pad=4)
            if ratio >= PERIODIC_RATIO:
                found.append(freq)
    step = float(np.median(found)) if len(found) >= MIN_GAIT_WINDOWS else None
    return GaitFeatures(
        int(t.size), rate, total, dynamic, windows=windows, periodic_windows=len(found),
        step_hz=step, cadence_spm=None if step is None else 60.0 * step,
    )
