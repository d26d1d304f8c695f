"""An athlete's stored history as the planner's load inputs: one reading for every surface.

The coach's roster, `/history`, `coachloop report` and the daily plan's FRBI all describe the
same athlete, so they read the same inputs: every check-in (session RPE x minutes, Hooper
wellness) and every wearable session (Banister TRIMP, mapped to the sRPE scale by the
athlete's own calibration in `planner.load`). The whole history is read, because CTL (a 42-day
time constant) and the TRIMP calibration depend on more than the days a chart shows.

A wearable's nights are read here too (`nights_of`), from the day summaries whatever brought
them: a provider's sync (Oura, intervals.icu) and a day CSV upload store the same rows
(`bot.uploads.day_rows`), so one reading serves both.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy.orm import Session as DbSession

from planner.loadtypes import Flag, LoadMetrics, Night, SessionLoad, WellnessDay
from planner.night import merge_nights, night_flags, night_signals
from planner.performance import (
    PerformanceForecast,
    PerformanceTest,
    assumed_rpe,
    daily_load_history,
    forecast_performance,
)
from planner.readiness import metrics_history
from storage.activities import DAY_SUMMARY, list_activities
from storage.checkins import list_checkins
from storage.crypto import DecryptionError
from storage.fitness_tests import results_by_day
from storage.plans import list_prescribed
from storage.schema import Activity, CheckIn, PrescribedSession


def load_inputs(
    checkins: Iterable[CheckIn], activities: Iterable[Activity]
) -> tuple[list[SessionLoad], list[WellnessDay]]:
    """Sessions (check-ins and wearable TRIMP) and wellness days from stored rows."""
    rows = list(checkins)
    sessions = [SessionLoad(day=r.day, rpe=r.rpe, minutes=r.minutes) for r in rows]
    sessions += [
        SessionLoad(day=a.day, rpe=None, minutes=None, trimp=a.trimp_banister)
        for a in activities
        if a.day is not None and a.trimp_banister is not None
    ]
    wellness = [
        WellnessDay(day=r.day, sleep=r.sleep_quality, stress=r.stress, fatigue=r.fatigue,
                    soreness=r.soreness)
        for r in rows
    ]
    return sessions, wellness


def _measured(row: Activity, name: str, low: float, high: float) -> float | None:
    """A day summary's measured ``name`` inside the reader's bounds; an estimate is None."""
    extra = row.extra or {}
    if name in (extra.get("imputed") or {}):
        return None
    value = row.rmssd_ms if name == "hrv_ms" and row.rmssd_ms is not None else extra.get(name)
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    number = float(value)
    return number if math.isfinite(number) and low <= number <= high else None


def nights_of(activities: Iterable[Activity]) -> list[Night]:
    """The wearable's nights: each day summary's measured sleep hours, HRV (rMSSD) and resting
    heart rate. Values the import estimated (``extra.imputed``, KNN across a file's days) are
    left out: a readiness flag stands on measurements only. Other rows are ignored."""
    nights = []
    for row in activities:
        if row.sport != DAY_SUMMARY or row.day is None:
            continue
        night = Night(row.day, sleep_h=_measured(row, "sleep_h", 0.0, 24.0),
                      hrv_ms=_measured(row, "hrv_ms", 1.0, 500.0),
                      resting_hr=_measured(row, "resting_hr", 25.0, 150.0))
        if (night.sleep_h, night.hrv_ms, night.resting_hr) != (None, None, None):
            nights.append(night)
    return nights


def stored_nights(db: DbSession, person_id: int, until: dt.date) -> list[Night]:
    """`nights_of` every stored day summary of the person up to ``until``."""
    return nights_of(a for a in list_activities(db, person_id, include_days=True)
                     if a.sport == DAY_SUMMARY and a.day is not None and a.day <= until)


def day_night_flags(nights: Iterable[Night], checkins: Iterable[CheckIn], day: dt.date
                    ) -> tuple[Flag, ...]:
    """The flags of the night ending on ``day``, exactly as `planner.readiness` raises them
    (the day's last Hooper sleep answer softening the sleep flag): what the digest and the
    plan read, so they agree with /status about the same night."""
    ratings = [c.sleep_quality for c in checkins if c.day == day and c.sleep_quality]
    signals = night_signals(merge_nights(n for n in nights if n.day <= day), day)
    return night_flags(signals, ratings[-1] if ratings else None)


def stored_inputs(
    db: DbSession, person_id: int, until: dt.date, *, include_strava: bool = False
) -> tuple[list[SessionLoad], list[WellnessDay]]:
    """`load_inputs` for everything the person stored up to ``until``.

    Strava-sourced sessions only with ``include_strava`` (the athlete's own /history): the
    roster, plans and every model read without them (`storage.activities.list_activities`).
    """
    activities = [a for a in list_activities(db, person_id, include_strava=include_strava)
                  if a.day is not None and a.day <= until]
    return load_inputs(list_checkins(db, person_id, until=until), activities)


def first_day(sessions: list[SessionLoad], wellness: list[WellnessDay]) -> dt.date | None:
    """The first day with any stored load or wellness (None for an empty history)."""
    days = [s.day for s in sessions] + [w.day for w in wellness]
    return min(days) if days else None


def stored_metrics(db: DbSession, person_id: int, start: dt.date, end: dt.date
                   ) -> list[LoadMetrics]:
    """Load metrics, flags and readiness (the nights' included) from ``start`` to ``end``."""
    sessions, wellness = stored_inputs(db, person_id, end)
    return metrics_history(sessions, wellness, start, end,
                           nights=stored_nights(db, person_id, end))


@dataclass(frozen=True, slots=True)
class Outlook:
    """The Banister forecast and the planned load it was made under."""

    forecast: PerformanceForecast
    planned_loads: dict[dt.date, float]
    assumed_rpe: float | None
    plan_unreadable: bool = False  # prescriptions encrypted with a key that is not set


def prescribed_minutes(rows: Iterable[PrescribedSession]) -> dict[dt.date, float]:
    """Planned minutes per day of the stored prescriptions that carry them (rest days: 0)."""
    minutes = {}
    for row in rows:
        planned = (row.inputs or {}).get("planned_minutes")
        if isinstance(planned, int | float) and math.isfinite(planned) and planned >= 0:
            minutes[row.day] = float(planned)
    return minutes


def performance_outlook(
    db: DbSession, person_id: int, sessions: list[SessionLoad], end: dt.date,
    item: str | None = None,
) -> Outlook:
    """The athlete's Banister model fitted to their tests, predicting the next test day.

    Planned load: each stored prescribed session after ``end`` counts as its planned minutes x
    the athlete's minutes-weighted mean RPE of the last 28 days (planned RPE is not stored);
    every other day keeps the last 28-day mean daily load (`planner.performance`), which is
    also all there is when the prescriptions cannot be decrypted (``plan_unreadable``).
    """
    tests = [PerformanceTest(day, test_item, value)
             for day, values in results_by_day(db, person_id).items()
             for test_item, value in values.items()]
    unreadable = False
    try:
        minutes = prescribed_minutes(list_prescribed(db, person_id, end + dt.timedelta(days=1),
                                                     end + dt.timedelta(days=366)))
    except DecryptionError:
        minutes, unreadable = {}, True
    rpe = assumed_rpe(sessions, end)
    planned = {d: m * rpe for d, m in minutes.items()} if rpe is not None else {}
    load_first, loads = daily_load_history(sessions, end)
    forecast = forecast_performance(load_first, loads, tests, planned, item=item)
    return Outlook(forecast, planned, rpe, unreadable)
