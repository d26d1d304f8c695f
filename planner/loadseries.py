"""Vectorised load metrics for a whole club: one numpy pass over athletes x days.

Same definitions as the scalar functions (`planner.acwr`, `planner.monotony`, `planner.pmc`),
computed on an (athletes x days) matrix: rolling windows from cumulative sums, EWMAs and the
PMC as first-order IIR filters (`scipy.signal.lfilter`, zero initial state = "starting at 0
the day before the first day"), monotony from 7-day sliding windows. "Zero" tests (chronic
load 0, SD 0) are made on exact quantities (counts of positive days, max == min) rather than
on floating-point differences, so the vectorised and scalar paths agree on what is undefined.
The tests check both paths agree on random histories.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from planner.acwr import ACUTE_DAYS, CHRONIC_DAYS, ewma_lambda
from planner.monotony import WEEK_DAYS
from planner.pmc import ATL_DAYS, CTL_DAYS

COLUMNS = (
    "athlete", "date", "load", "acwr_rolling", "acwr_ewma", "monotony", "strain", "ctl", "atl",
    "tsb",
)

Matrix = NDArray[np.float64]


def _window_sum(cum: Matrix, width: int) -> Matrix:
    """Sum of the ``width`` values ending at each day (NaN where the window is incomplete)."""
    n_days = cum.shape[1] - 1
    out = np.full((cum.shape[0], n_days), np.nan)
    if n_days >= width:
        out[:, width - 1 :] = cum[:, width:] - cum[:, : n_days - width + 1]
    return out


def _ewma(matrix: Matrix, alpha: float) -> Matrix:
    """y_t = alpha x_t + (1 - alpha) y_{t-1}, y_{-1} = 0, along each row."""
    from scipy.signal import lfilter  # SciPy (~0.5 s to import): off the bot's start-up path

    return np.asarray(lfilter([alpha], [1.0, alpha - 1.0], matrix, axis=1), dtype=np.float64)


def club_matrix_metrics(loads: Matrix) -> dict[str, Matrix]:
    """Every metric for a (athletes x days) matrix whose column 0 is each athlete's first day.

    Days after an athlete's last day may be padded with anything: every metric is causal.
    """
    n_athletes, n_days = loads.shape
    zero = np.zeros((n_athletes, 1))
    cum = np.concatenate([zero, np.cumsum(loads, axis=1)], axis=1)
    positive = np.concatenate([zero, np.cumsum(loads > 0, axis=1, dtype=np.float64)], axis=1)

    acute_sum = _window_sum(cum, ACUTE_DAYS)
    chronic_sum = _window_sum(cum, CHRONIC_DAYS)
    acute_pos = _window_sum(positive, ACUTE_DAYS)
    chronic_pos = _window_sum(positive, CHRONIC_DAYS)
    with np.errstate(divide="ignore", invalid="ignore"):
        acute_mean = np.where(acute_pos > 0, acute_sum / ACUTE_DAYS, 0.0)
        rolling = np.where(chronic_pos > 0, acute_mean / (chronic_sum / CHRONIC_DAYS), np.nan)
    rolling[np.isnan(chronic_pos)] = np.nan

    e_acute = _ewma(loads, ewma_lambda(ACUTE_DAYS))
    e_chronic = _ewma(loads, ewma_lambda(CHRONIC_DAYS))
    any_positive = positive[:, 1:] > 0
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio_ewma = np.where(any_positive & (e_chronic != 0), e_acute / e_chronic, np.nan)
    ratio_ewma[:, : CHRONIC_DAYS - 1] = np.nan

    mono = np.full((n_athletes, n_days), np.nan)
    strain = np.full((n_athletes, n_days), np.nan)
    if n_days >= WEEK_DAYS:
        windows = np.lib.stride_tricks.sliding_window_view(loads, WEEK_DAYS, axis=1)
        flat = windows.max(axis=2) == windows.min(axis=2)
        mean = windows.mean(axis=2)
        sd = windows.std(axis=2)
        with np.errstate(divide="ignore", invalid="ignore"):
            value = np.where(flat, np.nan, mean / sd)
        mono[:, WEEK_DAYS - 1 :] = value
        strain[:, WEEK_DAYS - 1 :] = windows.sum(axis=2) * value

    ctl = _ewma(loads, 1.0 / CTL_DAYS)
    atl = _ewma(loads, 1.0 / ATL_DAYS)
    tsb = np.zeros_like(ctl)
    tsb[:, 1:] = ctl[:, :-1] - atl[:, :-1]
    return {
        "acwr_rolling": rolling, "acwr_ewma": ratio_ewma, "monotony": mono, "strain": strain,
        "ctl": ctl, "atl": atl, "tsb": tsb,
    }


def daily_series(sessions: pd.DataFrame) -> pd.DataFrame:
    """Per athlete and calendar day (first to last date): load and every load metric.

    ``sessions`` has columns ``athlete``, ``date`` (dates or timestamps; the calendar day of the
    wall-clock time is used) and either ``load`` (AU) or ``rpe`` and ``minutes`` (load = RPE x
    minutes, Foster et al. 2001). Several rows per day are summed. Undefined values are NaN.
    Returns columns `COLUMNS`, sorted by athlete and date. Invalid rows raise ``ValueError``:
    clean them first (the ``coachloop load`` command skips and counts them).
    """
    missing = {"athlete", "date"} - set(sessions.columns)
    if missing:
        raise ValueError(f"sessions need the columns {sorted(missing)}")
    if "load" in sessions.columns:
        load = pd.to_numeric(sessions["load"], errors="coerce").to_numpy(dtype=np.float64)
    elif {"rpe", "minutes"} <= set(sessions.columns):
        rpe = pd.to_numeric(sessions["rpe"], errors="coerce").to_numpy(dtype=np.float64)
        minutes = pd.to_numeric(sessions["minutes"], errors="coerce").to_numpy(dtype=np.float64)
        if np.any((rpe < 0) | (rpe > 10)) or np.any((minutes < 0) | (minutes > 1440)):
            raise ValueError("RPE must be 0-10 and minutes 0-1440 in every row")
        load = rpe * minutes
    else:
        raise ValueError("sessions need a 'load' column or both 'rpe' and 'minutes'")
    if not np.all(np.isfinite(load)) or np.any(load < 0):
        raise ValueError("every session load must be a non-negative number")
    stamps = pd.to_datetime(sessions["date"])
    if getattr(stamps.dt, "tz", None) is not None:
        stamps = stamps.dt.tz_localize(None)
    days = stamps.dt.floor("D").to_numpy(dtype="datetime64[D]")
    if np.any(np.isnat(days)):
        raise ValueError("every session needs a date")
    if len(load) == 0:
        return pd.DataFrame({name: [] for name in COLUMNS})

    codes, athletes = pd.factorize(sessions["athlete"], sort=True)
    day_num = days.astype(np.int64)
    first = np.full(len(athletes), np.iinfo(np.int64).max)
    last = np.full(len(athletes), np.iinfo(np.int64).min)
    np.minimum.at(first, codes, day_num)
    np.maximum.at(last, codes, day_num)
    length = last - first + 1
    n_days = int(length.max())
    matrix = np.zeros((len(athletes), n_days))
    np.add.at(matrix, (codes, day_num - first[codes]), load)

    metrics = club_matrix_metrics(matrix)
    valid = np.arange(n_days)[None, :] < length[:, None]
    rows, offsets = np.nonzero(valid)
    frame = {
        "athlete": np.asarray(athletes)[rows],
        "date": (first[rows] + offsets).astype("datetime64[D]"),
        "load": matrix[rows, offsets],
    }
    for name in COLUMNS[3:]:
        frame[name] = metrics[name][rows, offsets]
    return pd.DataFrame(frame, columns=list(COLUMNS))
