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
    floor: float = 0.0,
) -> Baseline:
    """z_t = (x_t - mean of x over [t - window, t - 1]) / max(sample SD, floor), per day.

    ``values`` is one athlete's daily series, NaN where nothing was observed. ``mean`` and
    ``sd`` are NaN where the window has fewer than 2 values; ``z`` is NaN where today is
    missing, the window has fewer than ``min_obs`` values, or the (floored) SD is 0.
    Cumulative sums of values centred on the series mean keep the SDs exact to ~1e-12 for
    years of daily loads.
    """
    if window < 2 or min_obs < 2:
        raise ValueError("a baseline needs a window and a minimum of at least 2 observations")
    if floor < 0:
        raise ValueError(f"the SD floor must be zero or positive, got {floor}")
    x = np.asarray(values, dtype=np.float64)
    n = x.shape[0]
    seen = ~np.isnan(x)
    centre = float(x[seen].mean()) if seen.any() else 0.0
    d = np.where(seen, x - centre, 0.0)
    cum_n = np.concatenate([[0.0], np.cumsum(seen, dtype=np.float64)])
    cum_s = np.concatenate([[0.0], np.cumsum(d)])
    cum_q = np.concatenate([[0.0], np.cumsum(d * d)])
    end = np.arange(n)
    start = np.maximum(end - window, 0)
    count = cum_n[end] - cum_n[start]
    total = cum_s[end] - cum_s[start]
    squares = cum_q[end] - cum_q[start]
    with np.errstate(divide="ignore", invalid="ignore"):
        mean_d = np.where(count > 0, total / count, np.nan)
        var = np.where(count > 1, (squares - total * mean_d) / (count - 1), np.nan)
    sd = np.sqrt(np.clip(var, 0.0, None))
    mean = mean_d + centre
    # Exact spreads of 0 come back as ~1e-13 from the differences of sums: treat as 0.
    sd = np.where(sd <= 1e-9 * (1.0 + np.abs(mean)), 0.0, sd)
    scale = np.maximum(sd, floor)
    trusted = seen & (count >= min_obs) & (scale > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(trusted, (x - mean) / scale, np.nan)
    return Baseline(mean=mean, sd=scale, count=count, z=z)
