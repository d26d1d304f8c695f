"""Banister impulse-response (fitness-fatigue) model, fitted per athlete.

Model (Banister et al. 1975; discrete form as in Busso 2003, Med Sci Sports Exerc 35:1188, and
Clarke & Skiba 2013, Adv Physiol Educ 37:134-152, eq. 1):

    p(t) = p0 + k1 * sum_{s<t} w_s exp(-(t - s) / tau1) - k2 * sum_{s<t} w_s exp(-(t - s) / tau2)

``w_s`` is the daily load on day s (day 0 = first day of ``loads``); performance on day t
depends on the loads of the days before it. ``p`` must be "higher is better" (negate times).

Fitting: bounded least squares (scipy) on the test results scaled by their SD, plus a
log-normal prior on the two time constants (centred on tau1 = 42 d and tau2 = 7 d, the
conventional values, e.g. Morton et al. 1990, J Appl Physiol 69:1171) weighted by
``prior_weight``. With many tests the data dominate; with few (>= 3 are required) the time
constants stay near the prior and only p0, k1, k2 are learned. The start point comes from a
deterministic grid over (tau1, tau2) where p0, k1, k2 are solved exactly by bounded linear
least squares, so the fit is deterministic and does not depend on a random seed.

Used by `planner.performance` (fitted to an athlete's stored tests, predicting the next test under
a planned load) and so by ``coachloop report``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Self

import numpy as np
from numpy.typing import NDArray

Vector = NDArray[np.float64]


def impulse_response(loads: Sequence[float] | Vector, tau: float) -> Vector:
    """g(t) = sum_{s<t} w_s exp(-(t - s)/tau) for t = 0 .. len(loads) (one more than loads).

    Recursion: g(t) = exp(-1/tau) * (g(t-1) + w_{t-1}), g(0) = 0.
    """
    w = np.asarray(loads, dtype=np.float64)
    decay = math.exp(-1.0 / tau)
    # y[t] = decay * x[t-1] + decay * y[t-1] with x = loads padded by one day at the end.
    padded = np.concatenate([w, [0.0]])
    from scipy.signal import lfilter  # SciPy (~0.5 s to import): off the bot's start-up path

    return np.asarray(lfilter([0.0, decay], [1.0, -decay], padded), dtype=np.float64)


def banister_performance(
    loads: Sequence[float] | Vector,
    days: Sequence[int] | NDArray[np.int64],
    p0: float,
    k1: float,
    k2: float,
    tau1: float,
    tau2: float,
) -> Vector:
    """Model performance on ``days`` (0 .. len(loads)) given the parameters."""
    index = _days(days, len(loads))
    fitness = impulse_response(loads, tau1)[index]
    fatigue = impulse_response(loads, tau2)[index]
    return p0 + k1 * fitness - k2 * fatigue


def _days(days: Sequence[int] | NDArray[np.int64], n_loads: int) -> NDArray[np.int64]:
    index = np.asarray(days, dtype=np.int64)
    if index.size and (index.min() < 0 or index.max() > n_loads):
        raise ValueError(
            f"performance days must lie between 0 and {n_loads} (the loads cover days "
            f"0..{n_loads - 1}); extend the loads with the planned load to predict further"
        )
    return index


class BanisterModel:
    """Per-athlete Banister model: ``fit(loads, days, performance)`` then ``predict``.

    Learned attributes: ``p0_``, ``k1_``, ``k2_``, ``tau1_``, ``tau2_``, ``cost_``.
    """

    def __init__(
        self,
        tau1_prior: float = 42.0,
        tau2_prior: float = 7.0,
        prior_weight: float = 1.0,
        prior_log_sd: float = 0.5,
        tau1_bounds: tuple[float, float] = (5.0, 120.0),
        tau2_bounds: tuple[float, float] = (1.0, 30.0),
    ) -> None:
        self.tau1_prior = tau1_prior
        self.tau2_prior = tau2_prior
        self.prior_weight = prior_weight
        self.prior_log_sd = prior_log_sd
        self.tau1_bounds = tau1_bounds
        self.tau2_bounds = tau2_bounds

    def _prior(self, tau1: float, tau2: float) -> Vector:
        scale = math.sqrt(self.prior_weight) / self.prior_log_sd
        return np.array([
            scale * (math.log(tau1) - math.log(self.tau1_prior)),
            scale * (math.log(tau2) - math.log(self.tau2_prior)),
        ])

    def fit(
        self,
        loads: Sequence[float] | Vector,
        days: Sequence[int] | NDArray[np.int64],
        performance: Sequence[float] | Vector,
    ) -> Self:
        """Fit p0, k1, k2, tau1, tau2 to the test results ``performance`` on ``days``."""
        from scipy.optimize import least_squares, lsq_linear  # see `_response`'s import

        w = np.asarray(loads, dtype=np.float64)
        index = _days(days, len(w))
        y = np.asarray(performance, dtype=np.float64)
        if len(y) != len(index):
            raise ValueError("give one performance value per test day")
        if len(y) < 3:
            raise ValueError("the Banister model needs at least 3 performance tests to fit")
        if not (np.all(np.isfinite(w)) and np.all(w >= 0) and np.all(np.isfinite(y))):
            raise ValueError("loads must be non-negative numbers and results finite")
        scale = float(np.std(y)) or max(abs(float(np.mean(y))), 1.0)
        k_max = np.inf

        def linear(tau1: float, tau2: float) -> tuple[Vector, float]:
            design = np.column_stack([
                np.ones(len(index)),
                impulse_response(w, tau1)[index],
                -impulse_response(w, tau2)[index],
            ]) / scale
            sol = lsq_linear(design, y / scale, bounds=([-np.inf, 0, 0], [np.inf, k_max, k_max]))
            resid = design @ sol.x - y / scale
            cost = float(resid @ resid + np.sum(self._prior(tau1, tau2) ** 2))
            return np.asarray(sol.x, dtype=np.float64), cost

        best: tuple[float, Vector, float, float] | None = None
        for tau1 in np.geomspace(*self.tau1_bounds, 9):
            for tau2 in np.geomspace(*self.tau2_bounds, 7):
                coef, cost = linear(float(tau1), float(tau2))
                if best is None or cost < best[0]:
                    best = (cost, coef, float(tau1), float(tau2))
        if best is None:  # pragma: no cover - the grid is never empty
            raise RuntimeError("empty parameter grid")
        _, coef, tau1_0, tau2_0 = best

        def residuals(theta: Vector) -> Vector:
            p0, k1, k2, tau1, tau2 = theta
            pred = banister_performance(w, index, p0, k1, k2, tau1, tau2)
            return np.concatenate([(pred - y) / scale, self._prior(tau1, tau2)])

        lower = [-np.inf, 0.0, 0.0, self.tau1_bounds[0], self.tau2_bounds[0]]
        upper = [np.inf, np.inf, np.inf, self.tau1_bounds[1], self.tau2_bounds[1]]
        start = np.clip([coef[0], coef[1], coef[2], tau1_0, tau2_0], lower, upper)
        result = least_squares(residuals, start, bounds=(lower, upper), x_scale="jac")
        self.p0_, self.k1_, self.k2_, self.tau1_, self.tau2_ = (float(v) for v in result.x)
        self.cost_ = float(2 * result.cost)
        return self

    def predict(
        self, loads: Sequence[float] | Vector, days: Sequence[int] | NDArray[np.int64]
    ) -> Vector:
        """Predicted performance on ``days``; to plan, pass history + planned daily loads."""
        if not hasattr(self, "p0_"):
            raise ValueError("fit the Banister model before predicting")
        return banister_performance(
            loads, days, self.p0_, self.k1_, self.k2_, self.tau1_, self.tau2_
        )
