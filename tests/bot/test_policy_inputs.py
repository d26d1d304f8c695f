"""What the policy reads of a wearable: a night's resting heart rate and HRV first (measured at
rest), never an estimate, then a session file's RMSSD, then the profile."""

from __future__ import annotations

import datetime as dt

from bot.services.policy import rest_and_hrv
from storage.schema import Activity, Person

DAY = dt.date(2026, 12, 4)


def _night(days_ago: int, hrv: float | None, resting: float | None,
           imputed: dict[str, float] | None = None) -> Activity:
    extra: dict[str, object] = {"resting_hr": resting} if resting is not None else {}
    if imputed:
        extra["imputed"] = imputed
    return Activity(day=DAY - dt.timedelta(days=days_ago), rmssd_ms=hrv, extra=extra,
                    sport="day_summary")


def _file(days_ago: int, rmssd: float) -> Activity:
    return Activity(day=DAY - dt.timedelta(days=days_ago), rmssd_ms=rmssd, extra={})


def test_the_newest_measured_night_wins_over_files_and_the_profile() -> None:
    person = Person(hr_rest=60.0)
    nights = [_night(3, 55.0, 50.0), _night(1, 66.0, 46.0)]
    assert rest_and_hrv(person, DAY, [_file(1, 30.0)], nights) == (46.0, 66.0)


def test_estimated_values_are_not_measurements() -> None:
    person = Person(hr_rest=60.0)
    nights = [_night(2, 55.0, 49.0), _night(1, 80.0, 40.0, imputed={"hrv_ms": 80.0,
                                                                     "resting_hr": 40.0})]
    assert rest_and_hrv(person, DAY, [], nights) == (49.0, 55.0)


def test_without_nights_the_newest_file_then_nothing() -> None:
    person = Person(hr_rest=None)
    files = [_file(1, 42.0), _file(5, 30.0)]  # newest first, as storage lists them
    assert rest_and_hrv(person, DAY, files) == (65.0, 42.0)
    assert rest_and_hrv(person, DAY, [_file(20, 42.0)], [_night(20, 70.0, 44.0)]) == (65.0, None)
