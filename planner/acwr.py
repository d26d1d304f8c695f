"""Acute:chronic workload ratio (ACWR), rolling-average and EWMA forms.

ACWR *describes* how this week's load compares with the last month's. It is not an injury
predictor: its predictive value is weak and its statistics are contested (Impellizzeri et al.
2020, Int J Sports Physiol Perform 15:907-913; Impellizzeri et al. 2021, Sports Med). coachloop
shows it as a load description and flags large changes, never as an injury risk.

Both functions take ``loads``: the athlete's daily loads from their first day of history to
today inclusive (rest days 0), so ``len(loads)`` is the number of days of history.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

ACUTE_DAYS = 7
CHRONIC_DAYS = 28


def acwr_rolling(loads: Sequence[float]) -> float | None:
    """Coupled rolling ACWR: mean of the last 7 daily loads / mean of the last 28.

    Both windows end today, so the acute week is part of the chronic month ("coupled",
    Gabbett 2016, Br J Sports Med 50:273-280). ``None`` before 28 days of history (the chronic
    window would reach before the first day) or when the chronic mean is 0.
    """
    if len(loads) < CHRONIC_DAYS:
        return None
    chronic = math.fsum(loads[-CHRONIC_DAYS:]) / CHRONIC_DAYS
    if chronic == 0:
        return None
    acute = math.fsum(loads[-ACUTE_DAYS:]) / ACUTE_DAYS
    return acute / chronic


def ewma_lambda(span_days: int) -> float:
    """Williams et al. 2017 (Br J Sports Med 51:209-210) decay: lambda = 2 / (N + 1)."""
    if span_days < 1:
        raise ValueError("the EWMA span must be at least one day")
    return 2.0 / (span_days + 1)


def ewma(loads: Sequence[float], span_days: int) -> list[float]:
    """EWMA_t = lambda x load_t + (1 - lambda) x EWMA_{t-1}, starting at 0 the day before day 0.

    Source: Williams et al. 2017, Br J Sports Med 51:209-210 (lambda = 2 / (N + 1)).
    """
    lam = ewma_lambda(span_days)
    out: list[float] = []
    value = 0.0
    for load in loads:
        value = lam * load + (1.0 - lam) * value
        out.append(value)
    return out


def acwr_ewma(loads: Sequence[float]) -> float | None:
    """EWMA ACWR (Williams et al. 2017): EWMA_7(today) / EWMA_28(today).

    Each EWMA starts at 0 the day before the athlete's first day. ``None`` before 28 days of
    history or when the chronic EWMA is 0 (no load at all so far).
    """
    if len(loads) < CHRONIC_DAYS:
        return None
    if not any(load > 0 for load in loads):
        return None
    acute = ewma(loads, ACUTE_DAYS)[-1]
    chronic = ewma(loads, CHRONIC_DAYS)[-1]
    if chronic == 0:
        return None
    return acute / chronic
