"""An athlete measured against themself: z-scores over their own previous days, vectorised.

Self-report and load monitoring compare an athlete with their own recent normal rather than
with the squad (Saw, Main & Gastin 2016, Br J Sports Med 50:281; Gastin, Meyer & Robinson
2013, J Strength Cond Res 27:2518; as AthleteMonitoring does): the baseline of day *t*
is the athlete's values on the ``window`` calendar days before *t* (day *t* itself excluded,
so today's deviation does not dilute its own yardstick), mean and sample SD (n - 1).

Two guards make a z-score something a coach can act on:

* ``min_obs``: with few observations the SD is too uncertain to scale by (its 95 % interval
  from 7 values is 0.64-2.2 x the true SD, from 14 values 0.73-1.6 x, chi-square), so below
  ``min_obs`` values in the window the z-score is undefined (NaN), not zero.
* ``floor``: the SD used is at least ``floor``, the smallest change the measure can show
  (one step of a questionnaire item). An athlete who always answers "3" has SD 0; without a
  floor one answer of "2" would be infinitely unusual, with it it is one step = z 1.

Missing days (NaN) are neither observations nor zeros: a rest day must be given as 0 load.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]

BASELINE_DAYS = 28
"""The window: the athlete's last 28 days, as the ACWR's chronic month (Gabbett 2016)."""
MIN_BASELINE_OBSERVATIONS = 14
"""Values needed in the window before a z-score is trusted (half the window; see above)."""


@dataclass(frozen=True, slots=True)
class Baseline:
    """Per day: the baseline's mean, SD (floored), number of values, and today's z-score."""

    mean: FloatArray
    sd: FloatArray
    count: FloatArray
    z: FloatArray


def trailing_baseline(
    values: FloatArray,
    window: int = BASELINE_DAYS,
    min_obs: int = MIN_BASELINE_OBSERVATIONS,
    floor: float | FloatArray = 0.0,
) -> Baseline:
    """z_t = (x_t - mean of x over [t - window, t - 1]) / max(sample SD, floor), per day.

    ``values`` is one athlete's daily series (or a stack of series, days on the last axis, so
    one call serves every item of an athlete), NaN where nothing was observed; ``floor`` is one
    number or one per series. ``mean`` is NaN where the window is empty, ``sd`` where it has
    fewer than 2 values; ``z`` is NaN where today is missing, the window has fewer than
    ``min_obs`` values, or the (floored) SD is 0. The SD is two-pass over each window (an
    (n x window) view, cheap at 28 days), so a window of equal values, such as four weeks of
    rest, has SD exactly 0 rather than a rounding residue that would make the next session
    infinitely unusual.
    """
    if window < 2 or min_obs < 2:
        raise ValueError("a baseline needs a window and a minimum of at least 2 observations")
    floors = np.asarray(floor, dtype=np.float64)
    if np.any(floors < 0) or np.any(np.isnan(floors)):
        raise ValueError(f"the SD floor must be zero or positive, got {floor}")
    x = np.asarray(values, dtype=np.float64)
    n = x.shape[-1]
    # windows[..., t, :] holds x[..., t - window .. t - 1]; days before day 0 are "not observed"
    padded = np.concatenate([np.full((*x.shape[:-1], window), np.nan), x], axis=-1)
    windows = np.lib.stride_tricks.sliding_window_view(padded, window, axis=-1)[..., :n, :]
    seen = ~np.isnan(windows)
    count = seen.sum(axis=-1).astype(np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        mean = np.where(count > 0, np.where(seen, windows, 0.0).sum(axis=-1) / count, np.nan)
        deviation = np.where(seen, windows - mean[..., None], 0.0)
        var = np.where(count > 1, (deviation * deviation).sum(axis=-1) / (count - 1), np.nan)
    sd = np.sqrt(var)
    # A window of equal values has SD exactly 0 (its mean may be off in the last bit).
    top = np.where(seen, windows, -np.inf).max(axis=-1)
    flat = top == np.where(seen, windows, np.inf).min(axis=-1)
    sd = np.where(flat & (count > 1), 0.0, sd)
    scale = np.maximum(sd, floors[..., None] if floors.ndim else floors)
    today = ~np.isnan(x)
    trusted = today & (count >= min_obs) & (scale > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(trusted, (x - mean) / scale, np.nan)
    return Baseline(mean=mean, sd=scale, count=count, z=z)
