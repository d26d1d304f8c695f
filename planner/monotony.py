"""Training monotony and strain (Foster 1998, Med Sci Sports Exerc 30:1164-1168).

``loads`` is the athlete's daily-load history from their first day to today (rest days 0).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

WEEK_DAYS = 7


def monotony(loads: Sequence[float]) -> float | None:
    """Mean / population SD of the last 7 daily loads, rest days counted as 0.

    Source: Foster 1998 (monotony = daily mean / SD over a week); the population SD (divide by
    7) is coachloop's convention. ``None`` before 7 days of history (the week would reach
    before the first day) and when the SD is 0, i.e. all seven loads are equal (including an
    all-rest week): the ratio is then undefined, not infinite.
    """
    if len(loads) < WEEK_DAYS:
        return None
    week = [float(x) for x in loads[-WEEK_DAYS:]]
    if max(week) == min(week):
        return None
    mean = math.fsum(week) / WEEK_DAYS
    sd = math.sqrt(math.fsum((x - mean) ** 2 for x in week) / WEEK_DAYS)
    return mean / sd


def strain(loads: Sequence[float]) -> float | None:
    """Weekly strain = sum of the last 7 daily loads x monotony (Foster 1998).

    ``None`` whenever the monotony is undefined.
    """
    value = monotony(loads)
    if value is None:
        return None
    return math.fsum(loads[-WEEK_DAYS:]) * value
