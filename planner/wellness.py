"""Hooper wellness index and wellness z-scores against the athlete's own baseline.

Hooper index (Hooper & Mackinnon 1995, Sports Med 20:321-327; Hooper et al. 1995, Med Sci
Sports Exerc 27:106-112): sleep quality + stress + fatigue + muscle soreness, each 1 (very
good) .. 7 (very bad), so 4 .. 28 and higher is worse.

z-scores follow the individual-baseline approach of athlete self-report monitoring (Saw, Main
& Gastin 2016, Br J Sports Med 50:281-291: self-reports respond to load within a person, so
compare an athlete with themself, not with the squad).
"""

from __future__ import annotations

import datetime as dt
import math
import statistics
from collections.abc import Iterable

from planner.loadtypes import WELLNESS_ITEMS, WellnessDay

BASELINE_DAYS = 28
"""The baseline is the 28 calendar days before today (today excluded)."""
MIN_BASELINE_VALUES = 7
"""Fewer baseline values than this and the z-score is undefined (too noisy to mean anything)."""


def merge_wellness(wellness: Iterable[WellnessDay]) -> dict[dt.date, WellnessDay]:
    """One record per day; a later record's given items override earlier ones (corrections)."""
    merged: dict[dt.date, WellnessDay] = {}
    for entry in wellness:
        previous = merged.get(entry.day)
        if previous is None:
            merged[entry.day] = entry
            continue
        values = {
            name: getattr(entry, name) if getattr(entry, name) is not None
            else getattr(previous, name)
            for name in WELLNESS_ITEMS
        }
        merged[entry.day] = WellnessDay(day=entry.day, **values)
    return merged


def hooper_index(entry: WellnessDay | None) -> float | None:
    """Sleep + stress + fatigue + soreness (Hooper & Mackinnon 1995); ``None`` if any is missing.

    A partial sum would not be comparable with full days, so it is not made.
    """
    if entry is None:
        return None
    values = [getattr(entry, name) for name in WELLNESS_ITEMS]
    if any(v is None for v in values):
        return None
    return float(sum(v for v in values if v is not None))


def _item(entry: WellnessDay | None, name: str) -> float | None:
    if entry is None:
        return None
    if name == "hooper":
        return hooper_index(entry)
    value = getattr(entry, name)
    return None if value is None else float(value)


def _baseline(by_day: dict[dt.date, WellnessDay], today: dt.date, name: str) -> list[float]:
    values = []
    for back in range(1, BASELINE_DAYS + 1):
        value = _item(by_day.get(today - dt.timedelta(days=back)), name)
        if value is not None:
            values.append(value)
    return values


def hooper_baseline(by_day: dict[dt.date, WellnessDay], today: dt.date) -> float | None:
    """Mean Hooper index over the 28 days before today; ``None`` with fewer than 7 such days."""
    values = _baseline(by_day, today, "hooper")
    if len(values) < MIN_BASELINE_VALUES:
        return None
    return math.fsum(values) / len(values)


def wellness_z(by_day: dict[dt.date, WellnessDay], today: dt.date) -> dict[str, float]:
    """z = (today - baseline mean) / baseline SD for each Hooper item and the index itself.

    Keys: ``sleep``, ``stress``, ``fatigue``, ``soreness``, ``hooper``. Positive z = worse than
    usual (higher Hooper scores are worse). Baseline: the athlete's values over the 28 days
    before today (today excluded, so today's deviation is not diluted by itself), sample SD
    (n - 1). An item is left out when today's value is missing, the baseline has fewer than 7
    values, or the baseline SD is 0 (the athlete always answers the same: no spread to scale by).
    """
    today_entry = by_day.get(today)
    result: dict[str, float] = {}
    for name in (*WELLNESS_ITEMS, "hooper"):
        value = _item(today_entry, name)
        if value is None:
            continue
        base = _baseline(by_day, today, name)
        if len(base) < MIN_BASELINE_VALUES:
            continue
        sd = statistics.stdev(base)
        if sd == 0:
            continue
        result[name] = (value - statistics.fmean(base)) / sd
    return result
