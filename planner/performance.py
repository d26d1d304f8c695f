"""Performance forecasts: the Banister model fitted to an athlete's tests, run on a planned load.

The impulse-response model is meant to be "fitted per athlete to performance tests ... and
used to predict performance under a planned load". This module is that use: it turns stored
fitness-test results into a "higher is better" performance, fits `planner.banister`'s
`BanisterModel` on the athlete's daily load series (the same series as every other load metric:
`planner.load`, rest days 0, wearable TRIMP through the athlete's calibration), extends that
series with a planned load and reads the model on a target day.

Performance items, in order of preference (the first with >= 3 tests is used):

* ``run_3000m_s`` (3000 m), ``endurance_run_s`` (1000 m men / 800 m women): the endurance tests.
  Banister's model was built and validated for endurance performance (Banister et al. 1975;
  running: Morton, Fitz-Clarke & Banister 1990, J Appl Physiol 69:1171), and coachloop's
  session load (sRPE) is mostly aerobic conditioning, so these come first.
* ``run_50m_s`` (50 m sprint), ``standing_long_jump_cm``: fall-backs; speed and power respond
  less to the whole-session load, so expect a weaker fit.

Times are converted to mean speed, distance / time in m/s, so that higher is better. Speed, not
a negated time, because speed is proportional to the work rate that fitness adds to and fatigue
takes from, and it keeps p0 a positive, readable number. ``endurance_run_s`` uses a nominal
1000 m (for the women's 800 m the m/s figure is 25 % high); the fit and the predicted *time*
do not depend on that choice, because p0, k1 and k2 all scale with the distance. The jump is
used as measured (cm).
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
import statistics
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from planner.banister import BanisterModel
from planner.load import calibrate_trimp, daily_loads, first_load_day, load_series
from planner.loadtypes import SessionLoad

MIN_TESTS = 3
"""Tests needed to fit (five parameters; with three, the time-constant prior carries tau1, tau2)."""
PLAN_BASELINE_DAYS = 28
"""Days whose mean daily load stands in for every planned day without a planned session."""


@dataclass(frozen=True, slots=True)
class PerformanceItem:
    """A fitness-test item usable as Banister performance and how it becomes "higher is better".

    ``distance_m`` set: the item is a time in seconds and performance is distance / time (m/s);
    ``None``: the item is already higher-is-better and is used as measured.
    """

    name: str
    distance_m: float | None
    unit: str

    def performance(self, value: float) -> float | None:
        """The measured value as performance (None for a time that is not positive)."""
        if self.distance_m is None:
            return float(value)
        return self.distance_m / value if value > 0 else None

    def value(self, performance: float) -> float | None:
        """A performance back in the item's own unit (a time in s; None for speed <= 0)."""
        if self.distance_m is None:
            return float(performance)
        return self.distance_m / performance if performance > 0 else None


    def format(self, value: float) -> str:
        """A value in the item's own unit as a coach reads it (m:ss.s for times)."""
        if self.distance_m is None:
            return f"{value:.0f} cm"
        minutes, seconds = divmod(value, 60.0)
        return f"{int(minutes)}:{seconds:04.1f}" if minutes else f"{seconds:.2f} s"


PERFORMANCE_ITEMS: dict[str, PerformanceItem] = {
    "run_3000m_s": PerformanceItem("3000 m run", 3000.0, "m/s"),
    "endurance_run_s": PerformanceItem("1000 m / 800 m run", 1000.0, "m/s (nominal 1000 m)"),
    "run_50m_s": PerformanceItem("50 m sprint", 50.0, "m/s"),
    "standing_long_jump_cm": PerformanceItem("standing long jump", None, "cm"),
}
"""Items in order of preference (see the module docstring for why)."""


@dataclass(frozen=True, slots=True)
class PerformanceTest:
    """One stored test result, in the item's own unit (seconds or cm)."""

    day: dt.date
    item: str
    value: float


@dataclass(frozen=True, slots=True)
class BanisterFit:
    """Fitted parameters (p in the item's performance unit, loads in AU) and fit quality.

    ``rmse`` and ``r2`` are in-sample (optimistic: five parameters); ``loo_rmse`` is the
    leave-one-test-out prediction error, the honest one, given from 4 tests on.
    """

    p0: float
    k1: float
    k2: float
    tau1: float
    tau2: float
    n_tests: int
    rmse: float
    r2: float | None
    loo_rmse: float | None


@dataclass(frozen=True, slots=True)
class PerformanceForecast:
    """The fit and the prediction on ``target_day``, or a refusal (``fit`` None, ``reason``)."""

    item: str | None
    unit: str | None
    fit: BanisterFit | None
    reason: str | None
    tests: tuple[tuple[dt.date, float], ...] = ()
    """The tests used, as (day, performance)."""
    history_end: dt.date | None = None
    target_day: dt.date | None = None
    predicted: float | None = None
    """Predicted performance on ``target_day`` (item's performance unit)."""
    predicted_value: float | None = None
    """The same in the item's own unit (seconds for a run, cm for the jump)."""
    planned_days: int = 0
    planned_mean_load: float | None = None
    baseline_load: float | None = None
    """Mean daily load of the last 28 recorded days (used for days without a planned load)."""
    curve: tuple[tuple[dt.date, float], ...] = ()
    """Modelled performance every day from the first test to ``target_day``."""

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready: ISO dates, the curve left out (it is for the chart)."""
        data = asdict(self)
        data.pop("curve")
        data["tests"] = [{"day": d.isoformat(), "performance": p} for d, p in self.tests]
        for key in ("history_end", "target_day"):
            value = getattr(self, key)
            data[key] = None if value is None else value.isoformat()
        return data


def daily_load_history(
    sessions: Sequence[SessionLoad], end: dt.date
) -> tuple[dt.date | None, list[float]]:
    """(first day, daily loads up to ``end``): the series `planner.readiness` computes on."""
    past = [s for s in sessions if s.day <= end]
    loads = daily_loads(past, calibrate_trimp(past))
    first = first_load_day(loads)
    return first, (load_series(loads, first, end) if first is not None else [])


def assumed_rpe(sessions: Sequence[SessionLoad], end: dt.date,
                days: int = PLAN_BASELINE_DAYS) -> float | None:
    """Minutes-weighted mean session RPE of the ``days`` up to ``end`` (None without any).

    Why: a prescribed session stores its planned minutes but no planned RPE; the athlete's own
    recent RPE per minute is the assumption that keeps planned load on the sRPE scale.
    """
    since = end - dt.timedelta(days=days - 1)
    rated = [s for s in sessions if since <= s.day <= end and s.rpe is not None
             and s.minutes is not None and s.minutes > 0]
    minutes = sum(s.minutes or 0.0 for s in rated)
    if minutes <= 0:
        return None
    return sum((s.rpe or 0.0) * (s.minutes or 0.0) for s in rated) / minutes


def choose_item(tests: Sequence[PerformanceTest]) -> str | None:
    """The first item of `PERFORMANCE_ITEMS` with >= 3 tests, else the one with most tests."""
    counts = {item: len({t.day for t in tests if t.item == item}) for item in PERFORMANCE_ITEMS}
    for item, count in counts.items():
        if count >= MIN_TESTS:
            return item
    best = max(counts, key=lambda item: counts[item])
    return best if counts[best] else None


def next_test_day(test_days: Sequence[dt.date], after: dt.date) -> dt.date:
    """The athlete's usual test interval (median gap) stepped on from the last test past ``after``.

    Why: the next test is when the prediction can be checked; without a stored test calendar
    the athlete's own rhythm is the best guess.
    """
    days = sorted(set(test_days))
    gaps = [(b - a).days for a, b in itertools.pairwise(days)]
    step = max(1, round(statistics.median(gaps))) if gaps else 14
    target = days[-1] + dt.timedelta(days=step)
    while target <= after:
        target += dt.timedelta(days=step)
    return target


def forecast_performance(
    first_day: dt.date | None,
    loads: Sequence[float],
    tests: Sequence[PerformanceTest],
    planned: Mapping[dt.date, float] | None = None,
    target_day: dt.date | None = None,
    item: str | None = None,
    model: BanisterModel | None = None,
    leave_one_out: bool = True,
) -> PerformanceForecast:
    """Fit the athlete's Banister model to ``tests`` and predict ``target_day`` under a plan.

    ``loads`` are daily loads from ``first_day`` on (rest days 0; `daily_load_history`). A test
    on day t is taken before that day's training (the model uses the loads of days < t). The
    recorded series ends on the later of its last day and the last test; every day after it up
    to ``target_day`` takes ``planned[day]`` if given, else the mean daily load of the last 28
    recorded days ("keep training as lately"). ``target_day`` defaults to `next_test_day`.
    ``leave_one_out`` refits once per test for ``BanisterFit.loo_rmse`` (skip it to save time).
    Refuses (``fit`` None, ``reason`` set) with fewer than 3 tests of the item or no load.
    """
    chosen = item if item is not None else choose_item(tests)
    if chosen is None:
        names = ", ".join(p.name for p in PERFORMANCE_ITEMS.values())
        return PerformanceForecast(None, None, None, f"no performance test stored ({names})")
    if chosen not in PERFORMANCE_ITEMS:
        raise ValueError(f"{chosen!r} is not a performance item; use one of "
                         f"{', '.join(PERFORMANCE_ITEMS)}")
    spec = PERFORMANCE_ITEMS[chosen]
    by_day: dict[dt.date, float] = {}
    for test in sorted(tests, key=lambda t: t.day):
        value = spec.performance(test.value) if test.item == chosen else None
        if value is not None and math.isfinite(value):
            by_day[test.day] = value
    points = tuple(sorted(by_day.items()))
    if len(points) < MIN_TESTS:
        return PerformanceForecast(
            chosen, spec.unit, None,
            f"the Banister model needs at least {MIN_TESTS} {spec.name} tests; "
            f"{len(points)} stored", points,
        )
    if first_day is None or not any(v > 0 for v in loads):
        return PerformanceForecast(chosen, spec.unit, None,
                                   "no training load recorded to fit the model on", points)
    start = min(first_day, points[0][0])
    end = max(first_day + dt.timedelta(days=len(loads) - 1), points[-1][0])
    series = np.zeros((end - start).days + 1)
    offset = (first_day - start).days
    series[offset:offset + len(loads)] = np.asarray(loads, dtype=np.float64)
    index = np.array([(d - start).days for d, _ in points], dtype=np.int64)
    if not np.any(series[: index.max()] > 0):
        return PerformanceForecast(chosen, spec.unit, None,
                                   "no training load before the tests to fit the model on",
                                   points)
    y = np.array([p for _, p in points])
    estimator = model if model is not None else BanisterModel()
    fitted = _clone(estimator).fit(series, index, y)
    fit = _quality(fitted, estimator, series, index, y, leave_one_out)

    target = target_day if target_day is not None else next_test_day(
        [d for d, _ in points], end)
    baseline = float(np.mean(series[-PLAN_BASELINE_DAYS:]))
    horizon = [end + dt.timedelta(days=i) for i in range(1, (target - end).days)]
    plan = [float(planned.get(d, baseline)) if planned else baseline for d in horizon]
    target_index = (target - start).days
    if target_index < 0:
        raise ValueError(f"the target day {target} is before the athlete's history ({start})")
    full = np.concatenate([series, plan])[:target_index]
    days = np.arange(min((points[0][0] - start).days, target_index), target_index + 1)
    curve_values = fitted.predict(full, days)
    predicted = float(fitted.predict(full, [target_index])[0])
    return PerformanceForecast(
        item=chosen, unit=spec.unit, fit=fit, reason=None, tests=points, history_end=end,
        target_day=target, predicted=predicted, predicted_value=spec.value(predicted),
        planned_days=len(plan), planned_mean_load=float(np.mean(plan)) if plan else None,
        baseline_load=baseline,
        curve=tuple((start + dt.timedelta(days=int(d)), float(v))
                    for d, v in zip(days, curve_values, strict=True)),
    )


def _clone(model: BanisterModel) -> BanisterModel:
    return BanisterModel(
        tau1_prior=model.tau1_prior, tau2_prior=model.tau2_prior,
        prior_weight=model.prior_weight, prior_log_sd=model.prior_log_sd,
        tau1_bounds=model.tau1_bounds, tau2_bounds=model.tau2_bounds,
    )


def _quality(fitted: BanisterModel, estimator: BanisterModel, series: np.ndarray,
             index: np.ndarray, y: np.ndarray, leave_one_out: bool) -> BanisterFit:
    """In-sample RMSE and R², and the leave-one-test-out RMSE (refitting without each test)."""
    resid = fitted.predict(series, index) - y
    total = float(np.sum((y - y.mean()) ** 2))
    r2 = 1.0 - float(resid @ resid) / total if total > 0 else None
    loo = None
    if leave_one_out and len(y) > MIN_TESTS:
        errors = []
        for left_out in range(len(y)):
            keep = np.arange(len(y)) != left_out
            refit = _clone(estimator).fit(series, index[keep], y[keep])
            errors.append(float(refit.predict(series, index[[left_out]])[0] - y[left_out]))
        loo = math.sqrt(float(np.mean(np.square(errors))))
    return BanisterFit(
        p0=fitted.p0_, k1=fitted.k1_, k2=fitted.k2_, tau1=fitted.tau1_, tau2=fitted.tau2_,
        n_tests=len(y), rmse=math.sqrt(float(np.mean(resid ** 2))), r2=r2, loo_rmse=loo,
    )
