"""Per-athlete, per-day load metrics and readiness: the typed API the planner and bot call.

`load_metrics` gives one day; `metrics_history` gives a range in one pass. Both use only data
on or before the day they describe (sessions and wellness after it are ignored), so the numbers
for a day do not change when later data arrive, except through the TRIMP calibration, which is
fitted on everything up to the last requested day unless one is passed in. A wearable's
nights (sleep hours, HRV, resting heart rate) add their flags (`planner.night`) to the same
readiness, whichever way the nights arrived.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import replace

from planner.acwr import ACUTE_DAYS, CHRONIC_DAYS, acwr_rolling, ewma
from planner.flags import load_flags, readiness
from planner.frbi import frbi
from planner.load import (
    TrimpCalibration,
    calibrate_trimp,
    daily_loads,
    first_load_day,
    load_series,
)
from planner.loadtypes import Flag, LoadMetrics, Night, SessionLoad, WellnessDay
from planner.monotony import WEEK_DAYS, monotony, strain
from planner.night import merge_nights, night_flags, night_signals
from planner.pmc import pmc
from planner.wellness import hooper_baseline, hooper_index, merge_wellness, wellness_z


def load_metrics(
    sessions: Sequence[SessionLoad],
    wellness: Sequence[WellnessDay],
    today: dt.date,
    calibration: TrimpCalibration | None = None,
    nights: Sequence[Night] = (),
) -> LoadMetrics:
    """Every metric, the flags and the readiness colour for ``today``."""
    return metrics_history(sessions, wellness, today, today, calibration, nights)[0]


def metrics_history(
    sessions: Sequence[SessionLoad],
    wellness: Sequence[WellnessDay],
    start: dt.date,
    end: dt.date,
    calibration: TrimpCalibration | None = None,
    nights: Sequence[Night] = (),
) -> list[LoadMetrics]:
    """`LoadMetrics` for every calendar day from ``start`` to ``end`` inclusive.

    ``nights`` are the wearable's (`planner.night`): each day's night signals and their flags
    (the day's Hooper sleep answer softening the sleep flag) join the load and wellness flags.

    The load history starts on the athlete's first day with a load (`planner.load`); days
    before it have load 0, CTL = ATL = TSB = 0 and every ratio undefined. ``calibration``
    maps wearable TRIMP to the sRPE scale; when omitted it is fitted from the sessions up to
    ``end`` (`planner.load.calibrate_trimp`).
    """
    if end < start:
        raise ValueError(f"the end day {end} is before the start day {start}")
    past = [s for s in sessions if s.day <= end]
    if calibration is None:
        calibration = calibrate_trimp(past)
    loads = daily_loads(past, calibration)
    first = first_load_day(loads)
    series = load_series(loads, first, end) if first is not None else []
    acute = ewma(series, ACUTE_DAYS)
    chronic = ewma(series, CHRONIC_DAYS)
    points = pmc(series)
    positive_so_far: list[bool] = []
    seen = False
    for load in series:
        seen = seen or load > 0
        positive_so_far.append(seen)
    by_day = merge_wellness(w for w in wellness if w.day <= end)
    night_by_day = merge_nights(n for n in nights if n.day <= end)

    out: list[LoadMetrics] = []
    day = start
    while day <= end:
        index = (day - first).days if first is not None else -1
        entry = loads.get(day)
        unmapped = entry.trimp_unmapped if entry is not None else None
        hooper = hooper_index(by_day.get(day))
        z = wellness_z(by_day, day)
        if index < 0:
            metrics = LoadMetrics(
                day=day, load=0.0, acwr_rolling=None, acwr_ewma=None, monotony=None,
                strain=None, ctl=0.0, atl=0.0, tsb=0.0, hooper=hooper, wellness_z=z,
                frbi=None, flags=(), readiness="green", trimp_unmapped=unmapped,
                days_of_history=0,
            )
            flags = load_flags(None, None, None, z, hooper, None)
        else:
            history = index + 1
            ratio_rolling = acwr_rolling(series[max(0, index - CHRONIC_DAYS + 1) : index + 1])
            ratio_ewma = None
            if history >= CHRONIC_DAYS and positive_so_far[index] and chronic[index] != 0:
                ratio_ewma = acute[index] / chronic[index]
            week = series[max(0, index - WEEK_DAYS + 1) : index + 1]
            mono, strn = monotony(week), strain(week)
            point = points[index]
            balance = frbi(ratio_rolling, hooper, hooper_baseline(by_day, day))
            flags = load_flags(ratio_rolling, mono, strn, z, hooper, balance)
            metrics = LoadMetrics(
                day=day, load=series[index], acwr_rolling=ratio_rolling, acwr_ewma=ratio_ewma,
                monotony=mono, strain=strn, ctl=point.ctl, atl=point.atl, tsb=point.tsb,
                hooper=hooper, wellness_z=z,
                frbi=None if balance is None else balance.value,
                flags=(), readiness="green",
                frbi_wellness=None if balance is None else balance.wellness_factor,
                trimp_unmapped=unmapped, days_of_history=history,
            )
        night = night_signals(night_by_day, day) if night_by_day else None
        rating = by_day[day].sleep if day in by_day else None
        metrics = replace(metrics, night=night)
        out.append(_with_flags(metrics, flags + night_flags(night, rating)))
        day += dt.timedelta(days=1)
    return out


def _with_flags(metrics: LoadMetrics, flags: tuple[Flag, ...]) -> LoadMetrics:
    return replace(metrics, flags=flags, readiness=readiness(flags))
